"""My Number (個人番号): 12 digits, mod-11 check (stdnum.jp.in_), label in a character window.

Example: "個人番号 6214 9832 0257" -> my_number_card, strong signal "個人番号 **** **** 0257".
An invoice whose order number passes the checksum without a label stays quiet.
"""

from __future__ import annotations

from stdnum.jp import in_ as my_number

from bucketscan.policies.detectors.common import card_signal, is_image, label_signal
from bucketscan.policies.detectors.context import Lexicon, any_label, digit_runs, label_near
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.scoring import conclude
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import Document, Evidence, Signal, Strength

NAME = "my_number"
NUMBER_LABELS = ("個人番号", "マイナンバー", "My Number", "Individual Number", "通知カード")
CARD_LABELS = Lexicon.of(
    ("個人番号カード", "マイナンバーカード", "Individual Number Card"),
    ("通知カード",),
    ("個人番号通知書",),
    ("電子証明書の有効期限", "電子証明書"),
    ("臓器提供",),
    ("セキュリティコード",),
    ("サインパネル",),
    ("まで有効",),
    ("個人番号", "マイナンバー", "My Number"),
)
WIDE = 200  # characters: "near a label" for a medium signal (the strong window is 30/10)
_PREFILTER = (*NUMBER_LABELS, *CARD_LABELS.spellings(), "[barcode QR")


def number_signal(text: str) -> Signal | None:
    """The best checksum-valid 12-digit number: strong next to a label or in a decoded QR code,
    medium with a label further away (same page region), dropped without any label."""
    best: Signal | None = None
    for run in digit_runs(text, 12):
        if not my_number.is_valid(run.digits):
            continue
        snippet = mask_number(run.digits, label="個人番号")
        label = label_near(text, run.start, run.end, NUMBER_LABELS)
        in_qr = label_near(text, run.start, run.end, ("[barcode QR",), before=24, after=0)
        if label or (in_qr and run.repairs == 0):
            where = f"next to {label!r}" if label else "decoded from a QR code"
            reason = f"12-digit number passing the My Number check digit {where}"
            return Signal(NAME, "my_number", Strength.STRONG, reason, snippet)
        far = label_near(text, run.start, run.end, NUMBER_LABELS, before=WIDE, after=WIDE)
        if far and best is None:
            reason = f"12-digit number passing the My Number check digit, {far!r} nearby"
            best = Signal(NAME, "my_number", Strength.MEDIUM, reason, snippet)
    return best


def _document_type(text: str) -> str:
    # The notification letter mentions 個人番号カード in its notes; the cards never name 通知書.
    if any_label(text, ("通知カード", "個人番号通知書")):
        return "my_number_notification"
    return "my_number_card"


class MyNumberDetector:
    """個人番号カード (both sides), 通知カード and 個人番号通知書."""

    name = NAME

    def applies(self, doc: Document) -> bool:
        """Any My Number label in the text."""
        return any_label(doc.text, _PREFILTER)

    def inspect(self, doc: Document) -> Evidence | None:
        """Number with label (strong); labels plus card layout (medium + medium); weak ranks."""
        text = doc.text
        document_type = _document_type(text)
        candidates = [
            number_signal(text),
            label_signal(NAME, CARD_LABELS, text, "My Number card"),
            card_signal(NAME, doc, "id1") if is_image(doc) else None,
            filename_signal(NAME, document_type, doc.name),
        ]
        return conclude(NAME, document_type, [s for s in candidates if s is not None])
