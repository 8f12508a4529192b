"""National identity cards and residence permits read by their title and field labels (a card's
front has no MRZ, and its document number has no public check digit).

Example: a photo reading "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD … Nom/Surname … Prénoms/
Given names … Date de naiss./Date of birth … Signature" on an ID-1 card with a face -> id_card_icao.
"""

from __future__ import annotations

from bucketscan.policies.detectors.context import Lexicon
from bucketscan.policies.detectors.family import Family
from bucketscan.records.content import CardShape, DocumentType

TITLES = (
    "IDENTITY CARD",
    "NATIONAL IDENTITY CARD",
    "IDENTIFICATION CARD",
    "CARTE NATIONALE D'IDENTITÉ",
    "CARTE NATIONALE D'IDENTITE",
    "CARTE D'IDENTITÉ",
    "CARTE D'IDENTITE",
    "PERSONALAUSWEIS",
    "DOCUMENTO NACIONAL DE IDENTIDAD",
    "CARTA D'IDENTITÀ",
    "CARTA D'IDENTITA",
    "CARTÃO DE CIDADÃO",
    "IDENTITEITSKAART",
    "DOWÓD OSOBISTY",
    "RESIDENCE PERMIT",
    "TITRE DE SÉJOUR",
    "TITRE DE SEJOUR",
    "AUFENTHALTSTITEL",
    "PERMESSO DI SOGGIORNO",
)
LABELS = Lexicon.of(
    ("Surname", "Nom", "Nachname", "Apellidos", "Cognome", "Familienname"),
    ("Given names", "Given name", "Prénoms", "Prenoms", "Vornamen", "Nombre", "Nome"),
    ("Date of birth", "Date de naissance", "Date de naiss", "Geburtsdatum", "Fecha de nacimiento"),
    ("Sex", "Sexe", "Geschlecht", "Sexo", "Sesso"),
    ("Nationality", "Nationalité", "Nationalite", "Staatsangehörigkeit", "Nacionalidad"),
    ("Place of birth", "Lieu de naissance", "Geburtsort", "Lugar de nacimiento"),
    ("Date of expiry", "Expiry date", "Date d'expir", "Gültig bis", "Valid until", "Expiry"),
    ("Document No", "Document number", "N° du document", "Card No", "Ausweisnummer"),
    ("Date of issue", "Date de délivrance", "Issue date", "Date of Issue"),
    ("Signature", "Unterschrift", "Firma"),
    ("Type of permit", "Remarks", "Leave to remain"),
    ("SPECIMEN", "SAMPLE", "MUSTER"),
)


ID_CARD = Family(
    name="id_card",
    document_type=DocumentType.ID_CARD_ICAO,
    description="identity card",
    labels=LABELS,
    titles=TITLES,
    shapes=frozenset({CardShape.ID1}),
)
