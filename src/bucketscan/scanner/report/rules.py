"""One rule per document type, named and explained for formats that carry rules (SARIF, OCSF)."""

from __future__ import annotations

from dataclasses import dataclass

from bucketscan.policies.fingerprint import COULD_NOT_TELL
from bucketscan.records.content import DOCUMENT_TYPES, Category, DocumentType

_ID_HELP = (
    "An identity document readable from outside the owner's organisation can be used for "
    "identity theft and fraud. Remove public or all-authenticated-users access to the object "
    "and its bucket, check the access logs for reads, and tell the people concerned if "
    "required."
)
_RESUME_HELP = (
    "A résumé readable from outside the owner's organisation exposes names, addresses, birth "
    "dates and careers. Remove public or all-authenticated-users access to the object and its "
    "bucket, and check the access logs for reads."
)


@dataclass(frozen=True)
class Rule:
    """What a finding of one document type is called and what to do about it."""

    id: str
    name: str  # PascalCase, as SARIF rule names are
    title: str
    help: str


_TITLES: dict[DocumentType, tuple[str, str]] = {
    DocumentType.MY_NUMBER_CARD: ("MyNumberCard", "Japanese My Number card"),
    DocumentType.MY_NUMBER_NOTIFICATION: ("MyNumberNotification", "My Number notification"),
    DocumentType.DRIVERS_LICENSE_JP: ("DriversLicenseJp", "Japanese driver's licence"),
    DocumentType.PASSPORT: ("Passport", "Passport data page"),
    DocumentType.ID_CARD_ICAO: ("IdCardIcao", "Machine-readable ID card (ICAO 9303)"),
    DocumentType.RESIDENCE_CARD_JP: ("ResidenceCardJp", "Japanese residence card"),
    DocumentType.HEALTH_INSURANCE_JP: ("HealthInsuranceJp", "Japanese health insurance card"),
    DocumentType.DRIVERS_LICENSE_US: ("DriversLicenseUs", "US driver's licence"),
    DocumentType.FOREIGN_ID: ("ForeignId", "National ID document"),
    DocumentType.RIREKISHO: ("Rirekisho", "Japanese résumé (rirekisho)"),
    DocumentType.SHOKUMU_KEIREKISHO: ("ShokumuKeirekisho", "Japanese career history"),
    DocumentType.CV_EN: ("CvEn", "Résumé / CV"),
}


def _rule(document_type: DocumentType) -> Rule:
    name, title = _TITLES[document_type]
    identity = DOCUMENT_TYPES[document_type] is Category.ID_DOCUMENT
    return Rule(
        id=document_type.value,
        name=name,
        title=f"Exposed {title}",
        help=_ID_HELP if identity else _RESUME_HELP,
    )


COULD_NOT_TELL_RULE = Rule(
    id=COULD_NOT_TELL,
    name="CouldNotTell",
    title="Exposed file that could not be read",
    help=(
        "A file readable from outside could not be read, or only in part, so nobody can say "
        "whether it holds an ID document or a résumé. Check it by hand, or remove the access."
    ),
)

RULES: dict[str, Rule] = {
    **{rule.id: rule for rule in map(_rule, DocumentType)},
    COULD_NOT_TELL_RULE.id: COULD_NOT_TELL_RULE,
}


def rule_of(document_type: str) -> Rule:
    """The rule of a document type; one no table names yet gets a plain one."""
    known = RULES.get(document_type)
    if known is not None:
        return known
    return Rule(document_type, document_type, f"Exposed {document_type}", _ID_HELP)
