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


class CardShape(StrEnum):
    """ISO/IEC 7810 card formats that image analysis recognises (`ImageCues.card_shape` values)."""

    ID1 = "id1"  # bank-card size: My Number, licences, residence cards, ICAO TD1
    ID3 = "id3"  # passport data page (ID-2 / TD2 cards share its ratio)


@dataclass(frozen=True)
class ImageCues:
    """Visual cues of one image (a photo, a scan, or a rendered PDF page)."""

    width: int
    height: int
    card_shape: str | None = None
    faces: int = 0
    face_side: str | None = None
    mrz_band: bool = False


class OcrEngine(StrEnum):
    """OCR engines a user can pick: PP-OCRv5 (deep; reads real cards), Tesseract, a cascade."""

    AUTO = "auto"  # PP-OCRv5 on cards, Tesseract on pages and photos it reads confidently
    PPOCR = "ppocr"
    TESSERACT = "tesseract"
    NONE = "none"


class Legibility(StrEnum):
    """How well the text of a page or image could be read."""

    READ = "read"
    POOR = "poor"  # something was read, little of it with confidence
    UNREADABLE = "unreadable"  # nothing could be read where a document may be: could not tell


@dataclass(frozen=True)
class Code:
    """A decoded barcode (QR, PDF417, ...) and its text."""

    kind: str
    text: str


@dataclass(frozen=True)
class Page:
    """Text of one page or image, where it came from ("text", "ocr"), and what else was read:
    machine-readable-zone lines and barcodes are typed fields, never markers in the text."""

    text: str
    source: str
    cues: ImageCues | None = None
    mrz: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()
    legibility: Legibility = Legibility.READ
    legibility_reason: str | None = None


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

    @property
    def mrz_lines(self) -> tuple[str, ...]:
        """Machine-readable-zone lines read on any page."""
        return tuple(line for page in self.pages for line in page.mrz)

    @property
    def codes(self) -> tuple[Code, ...]:
        """Barcodes decoded on any page."""
        return tuple(code for page in self.pages for code in page.codes)

    @property
    def unreadable(self) -> str | None:
        """Why the document could not be read, when no page was legible: could not tell."""
        if any(page.legibility is not Legibility.UNREADABLE for page in self.pages):
            return None
        reasons = [page.legibility_reason for page in self.pages if page.legibility_reason]
        return reasons[0] if reasons else None


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
    unreadable: str | None = None  # why nothing could be read (only when category is None)


class DocumentType(StrEnum):
    """The shared vocabulary of document types: detectors emit them, the corpus uses them."""

    MY_NUMBER_CARD = "my_number_card"
    MY_NUMBER_NOTIFICATION = "my_number_notification"
    DRIVERS_LICENSE_JP = "drivers_license_jp"
    PASSPORT = "passport"
    ID_CARD_ICAO = "id_card_icao"
    RESIDENCE_CARD_JP = "residence_card_jp"
    HEALTH_INSURANCE_JP = "health_insurance_jp"
    DRIVERS_LICENSE_US = "drivers_license_us"
    FOREIGN_ID = "foreign_id"
    RIREKISHO = "rirekisho"
    SHOKUMU_KEIREKISHO = "shokumu_keirekisho"
    CV_EN = "cv_en"


# Keyed by the enum; its members are their string values, so plain strings look up too.
DOCUMENT_TYPES: dict[str, Category] = {
    DocumentType.MY_NUMBER_CARD: Category.ID_DOCUMENT,
    DocumentType.MY_NUMBER_NOTIFICATION: Category.ID_DOCUMENT,
    DocumentType.DRIVERS_LICENSE_JP: Category.ID_DOCUMENT,
    DocumentType.PASSPORT: Category.ID_DOCUMENT,
    DocumentType.ID_CARD_ICAO: Category.ID_DOCUMENT,
    DocumentType.RESIDENCE_CARD_JP: Category.ID_DOCUMENT,
    DocumentType.HEALTH_INSURANCE_JP: Category.ID_DOCUMENT,
    DocumentType.DRIVERS_LICENSE_US: Category.ID_DOCUMENT,
    DocumentType.FOREIGN_ID: Category.ID_DOCUMENT,
    DocumentType.RIREKISHO: Category.RESUME,
    DocumentType.SHOKUMU_KEIREKISHO: Category.RESUME,
    DocumentType.CV_EN: Category.RESUME,
}
