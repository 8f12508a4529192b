"""Signal builders shared by several detectors: label coverage and card layout cues."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bucketscan.policies.detectors.context import Lexicon, any_label
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.scoring import conclude
from bucketscan.records.content import Document, Evidence, ImageCues, Signal, Strength

MIN_LABELS = 3
IMAGE_TYPES = ("image/",)


def label_signal(detector: str, lexicon: Lexicon, text: str, document: str) -> Signal | None:
    """Medium when at least three distinct document-specific labels appear, weak for one or two."""
    found = lexicon.found(text)
    if not found:
        return None
    strength = Strength.MEDIUM if len(found) >= MIN_LABELS else Strength.WEAK
    shown = "、".join(found[:6])
    return Signal(
        detector,
        "labels",
        strength,
        f"{len(found)} distinct {document} labels",
        shown,
        matches=len(found),
    )


def _cues(doc: Document) -> tuple[ImageCues, ...]:
    return tuple(page.cues for page in doc.pages if page.cues is not None)


def card_signal(detector: str, doc: Document, *shapes: str) -> Signal | None:
    """Card layout: a card of one of `shapes` and a face together are one medium cue; either
    alone is weak.

    A face on a card-shaped object is what an identity card looks like, but neither proves a
    document on its own (portraits have faces, loyalty and business cards are card-shaped),
    and the pair still needs a second, document-specific medium signal to alert.
    """
    cues = _cues(doc)
    shaped = [cue for cue in cues if cue.card_shape in shapes]
    with_face = [cue for cue in shaped if cue.faces >= 1]
    if with_face:
        reason = f"{with_face[0].card_shape} card shape with a face"
        return Signal(detector, "card_layout", Strength.MEDIUM, reason)
    if shaped:
        return Signal(detector, "card_shape", Strength.WEAK, f"{shaped[0].card_shape} card shape")
    if any(cue.faces >= 1 for cue in cues):
        return Signal(detector, "face", Strength.WEAK, "a face in the image")
    return None


def mrz_band(doc: Document) -> bool:
    """Whether image analysis saw a machine-readable-zone band."""
    return any(cue.mrz_band for cue in _cues(doc))


def is_image(doc: Document) -> bool:
    """Whether the text came from OCR of an image (a scan or photo rather than a text file)."""
    return any(page.source == "ocr" for page in doc.pages)


@dataclass(frozen=True)
class TitledDetector:
    """A document family named by a title: its number, label coverage, the ID-1 card layout
    (when `card` is set) and the file name; two medium signals or one strong alert."""

    name: str
    document_type: str
    titles: tuple[str, ...]
    labels: Lexicon
    number: Callable[[str], Signal | None]
    description: str
    card: bool

    def applies(self, doc: Document) -> bool:
        """A title of the document in the text (cheap)."""
        return any_label(doc.text, self.titles)

    def inspect(self, doc: Document) -> Evidence | None:
        """Number, labels and layout (each medium at best); the file name only ranks."""
        text = doc.text
        candidates = [
            self.number(text),
            label_signal(self.name, self.labels, text, self.description),
            card_signal(self.name, doc, "id1") if self.card and is_image(doc) else None,
            filename_signal(self.name, self.document_type, doc.name),
        ]
        return conclude(self.name, self.document_type, [s for s in candidates if s is not None])
