"""Records of content analysis: the extracted document and what detectors found in it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """What kind of sensitive document a file is."""

    ID_DOCUMENT = "id_document"
    RESUME = "resume"


class Strength(StrEnum):
    """How much one signal counts: one strong or two medium alert; weak ones only rank."""

    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


@dataclass(frozen=True)
class ImageCues:
    """Visual cues of one image (a photo, a scan, or a rendered PDF page)."""

    width: int
    height: int
    card_shape: str | None = None
    faces: int = 0
    face_side: str | None = None
    mrz_band: bool = False


@dataclass(frozen=True)
class Page:
    """Text of one page or image, and where it came from ("text", "ocr")."""

    text: str
    source: str
    cues: ImageCues | None = None


@dataclass(frozen=True)
class Document:
    """Everything extracted from one file, once; every detector reads the same record."""

    name: str
    media_type: str
    pages: tuple[Page, ...]
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """All text, page after page (NFKC-normalised by extraction)."""
        return "\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class Signal:
    """One piece of evidence; `snippet` is always redacted."""

    detector: str
    kind: str
    strength: Strength
    reason: str
    snippet: str | None = None
    matches: int = 0  # distinct items behind the signal (labels found): breaks ranking ties


@dataclass(frozen=True)
class Evidence:
    """One detector's conclusion about a document."""

    detector: str
    category: Category
    document_type: str
    confidence: float
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class Classification:
    """The pipeline's answer for one file: the best evidence, or none."""

    category: Category | None
    document_type: str | None
    confidence: float
    evidence: tuple[Signal, ...]
    notes: tuple[str, ...] = ()


# The shared vocabulary of document types: detectors emit them, the synthetic corpus uses them.
DOCUMENT_TYPES: dict[str, Category] = {
    "my_number_card": Category.ID_DOCUMENT,
    "my_number_notification": Category.ID_DOCUMENT,
    "drivers_license_jp": Category.ID_DOCUMENT,
    "passport": Category.ID_DOCUMENT,
    "id_card_icao": Category.ID_DOCUMENT,
    "residence_card_jp": Category.ID_DOCUMENT,
    "health_insurance_jp": Category.ID_DOCUMENT,
    "drivers_license_us": Category.ID_DOCUMENT,
    "foreign_id": Category.ID_DOCUMENT,
    "rirekisho": Category.RESUME,
    "shokumu_keirekisho": Category.RESUME,
    "cv_en": Category.RESUME,
}
