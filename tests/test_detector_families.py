"""Table tests of the family machinery itself, on a tiny family built here."""

from __future__ import annotations

import re
from functools import partial

import pytest

from bucketscan.policies.detectors.context import Lexicon
from bucketscan.policies.detectors.family import (
    Family,
    FamilyDetector,
    NumberRule,
    Window,
    read_number,
)
from bucketscan.policies.detectors.registry import DETECTORS
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import (
    CardShape,
    Code,
    Document,
    DocumentType,
    ImageCues,
    Page,
    Strength,
)

S, M, W = Strength.STRONG, Strength.MEDIUM, Strength.WEAK


def _sum_check(number: str) -> bool | None:
    """Digit sum divisible by 10: valid; ending in 9: cannot tell (a retired series)."""
    if number.endswith("9"):
        return None
    return sum(map(int, number)) % 10 == 0


PASS = Family(
    name="pass_card",
    document_type=DocumentType.FOREIGN_ID,
    description="pass card",
    labels=Lexicon.of("PASS CARD", "Holder", ("Valid until", "Expiry")),
    titles=("PASS CARD",),
    keywords=("Pass No",),
    numbers=(
        NumberRule(
            "pass_number",
            "6-digit pass number",
            (
                Window(("Pass No",), 12, 0, S),
                Window(("PASS CARD",), 80, 80, M, ", {label!r} nearby"),
            ),
            digits=6,
            validator=_sum_check,
            codes=("QR",),
            mask=partial(mask_number, label="Pass No"),
        ),
        NumberRule(
            "member_code",
            "member code {number:.2}",
            (Window(where=""),),  # its M- prefix is label enough
            pattern=re.compile(r"(?<![A-Z0-9])M-([A-Z]{2})(?P<digits>[0-9OI]{4})(?![0-9])"),
            unverified=W,
        ),
    ),
    shapes=frozenset({CardShape.ID1}),
    variants=((DocumentType.ID_CARD_ICAO, ("ICAO",)),),
)
CARD = ImageCues(1011, 638, card_shape="id1", faces=1)


def _number(text: str, codes: tuple[Code, ...] = ()) -> tuple[str, Strength, str, str | None]:
    doc = Document("f.txt", "text/plain", (Page(text, "text", codes=codes),))
    signal = read_number(PASS, doc)
    assert signal is not None
    return signal.kind, signal.strength, signal.reason, signal.snippet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # valid next to its label: the window's grade, masked
        (
            "Pass No 123400",
            ("pass_number", S, "6-digit pass number next to 'Pass No'", "Pass No **** 00"),
        ),
        # spaced and one OCR confusion repaired
        (
            "Pass No 12 34 O0",
            ("pass_number", S, "6-digit pass number next to 'Pass No'", "Pass No **** 00"),
        ),
        # the wider window grades lower and says so
        (
            "PASS CARD " + "-" * 40 + " 123400",
            ("pass_number", M, "6-digit pass number, 'PASS CARD' nearby", "Pass No **** 00"),
        ),
        # the validator cannot tell: kept at the rule's unverified grade, never above
        (
            "Pass No 123409",
            ("pass_number", M, "6-digit pass number next to 'Pass No'", "Pass No **** 09"),
        ),
        # a pattern rule: groups joined, confusions repaired only in the digits group
        ("M-OI12O4", ("member_code", W, "member code OI", "**** 04")),
    ],
)
def test_number_rules(text: str, expected: tuple[str, Strength, str, str | None]) -> None:
    assert _number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pass No 123401",  # invalid checksum: dropped, whatever the label
        "123400",  # valid but no label in any window
        "Pass No " + "-" * 20 + " 123400",  # the label is outside the strong window
        "Pass No 12I4O0",  # two confusions: more repairs than allowed
        "M-OI1OI4",  # two confusions in the digits group
    ],
)
def test_numbers_that_do_not_count(text: str) -> None:
    doc = Document("f.txt", "text/plain", (Page(text, "text"),))
    assert read_number(PASS, doc) is None


def test_the_strongest_number_wins_then_the_first() -> None:
    text = "PASS CARD 123400 Pass No 640055 Pass No 910037"
    assert _number(text)[3] == "Pass No **** 55"
    assert _number(text)[1] is S


def test_a_number_in_a_decoded_code_needs_no_label() -> None:
    kind, strength, reason, _ = _number("", (Code("QR", "123400"),))
    assert (kind, strength, reason) == (
        "pass_number",
        S,
        "6-digit pass number decoded from a QR code",
    )
    doc = Document("f.png", "image/png", (Page("", "ocr", codes=(Code("QR", "123400"),)),))
    assert FamilyDetector(PASS).applies(doc)


@pytest.mark.parametrize(
    ("text", "cues", "expected", "kinds"),
    [
        ("Pass No 123400", None, DocumentType.FOREIGN_ID, {"pass_number"}),  # one strong signal
        ("Pass No 123409", None, None, set()),  # unverified: one medium signal
        ("Pass No 123409\nPASS CARD\nHolder\nExpiry", None, DocumentType.FOREIGN_ID, {"labels"}),
        ("PASS CARD\nHolder\nExpiry", None, None, set()),  # labels alone: one medium signal
        ("PASS CARD\nHolder\nExpiry", CARD, DocumentType.FOREIGN_ID, {"title", "card_layout"}),
        ("ICAO Pass No 123400", None, DocumentType.ID_CARD_ICAO, {"pass_number"}),  # a variant
        ("Holder 123400", None, None, set()),  # the prefilter: no title, keyword or code
    ],
)
def test_family_detector(
    text: str, cues: ImageCues | None, expected: DocumentType | None, kinds: set[str]
) -> None:
    detector = FamilyDetector(PASS)
    doc = Document("f.jpg", "image/jpeg", (Page(text, "ocr" if cues else "text", cues),))
    evidence = detector.inspect(doc) if detector.applies(doc) else None
    assert (evidence.document_type if evidence else None) == expected
    assert kinds <= {signal.kind for signal in evidence.signals} if evidence else not kinds


def test_a_rule_needs_windows_and_one_way_to_match() -> None:
    with pytest.raises(ValueError, match="needs windows"):
        NumberRule("x", "x", (), digits=6)
    with pytest.raises(ValueError, match="digits or a pattern"):
        NumberRule("x", "x", (Window(),))


def test_registered_families_have_distinct_names_and_known_types() -> None:
    families = [d.family for d in DETECTORS if isinstance(d, FamilyDetector)]
    assert len({family.name for family in families}) == len(families) >= 10
    assert all(isinstance(family.document_type, DocumentType) for family in families)
    assert all(family.numbers or family.titles for family in families)
