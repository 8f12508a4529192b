"""Document families as data, one machinery to read them: as a Presidio recognizer is patterns,
context words and a validation hook, a `Family` is titles, labels, number rules and card shapes.

A number counts only with one of its labels in a character window (Japanese has no spaces to count
words by). Its validator is three-valued: True keeps it at the window's grade, False drops it,
None (cannot tell) keeps it at `NumberRule.unverified` at most. Adding an ID type is one value
(listed in registry.py), its lexicons and a table test:

    PASS = Family(
        name="pass_card",
        document_type=DocumentType.FOREIGN_ID,
        description="pass card",
        labels=Lexicon.of("PASS CARD", "Holder", ("Valid until", "Expiry")),
        titles=("PASS CARD",),
        numbers=(
            NumberRule(
                "pass_number",
                "Luhn-valid pass number",
                (Window(("Pass No",), strength=Strength.STRONG),),
                digits=10,
                validator=luhn.is_valid,
            ),
        ),
        shapes=frozenset({CardShape.ID1}),
    )

"PASS CARD … Pass No 4992 7398 72" -> foreign_id, strong on its own; a number failing Luhn
is dropped, and a valid one with no "Pass No" within 30 characters before it does not count.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from bucketscan.policies.detectors.common import card_signal, is_image, label_signal, title_signal
from bucketscan.policies.detectors.context import (
    DIGIT_CONFUSIONS,
    Lexicon,
    any_label,
    digit_runs,
    label_in,
    label_near,
)
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.scoring import WEIGHTS, conclude
from bucketscan.policies.redact import mask_number
from bucketscan.records.content import (
    CardShape,
    Code,
    Document,
    DocumentType,
    Evidence,
    Signal,
    Strength,
)

ANYWHERE = sys.maxsize  # a window as wide as the document
Validator = Callable[[str], bool | None]
Source = Callable[["Family", Document], Signal | None]


@dataclass(frozen=True)
class Window:
    """Labels near a number, and the grade they give it when its validator confirms it."""

    labels: tuple[str, ...] = ()  # none: no label needed (the pattern carries its own context)
    before: int = 30  # characters ahead of the number
    after: int = 10  # characters behind it
    strength: Strength = Strength.MEDIUM
    where: str = " next to {label!r}"  # ends the reason; {label} is the label found


@dataclass(frozen=True)
class NumberRule:
    """How one number of a family is printed, checked, graded (first window with a label) and
    masked."""

    kind: str  # the signal's kind
    what: str  # starts the reason; {number:.2} may show its first characters, never more
    windows: tuple[Window, ...]
    digits: int = 0  # a run of so many digits, spaced or hyphenated in any grouping ...
    pattern: re.Pattern[str] | None = None  # ... or this: its groups joined are the number
    normalize: Callable[[str], str] | None = None  # the number's written form (case, symbols)
    repairs: int = 1  # OCR letter-for-digit misreads undone (only in a group named `digits`)
    validator: Validator | None = None  # True valid, False invalid, None cannot tell
    unverified: Strength = Strength.MEDIUM  # the most a number the validator cannot judge gets
    valid_note: str = ""  # ends the reason when the validator confirms the number
    codes: tuple[str, ...] = ()  # barcode kinds that may hold it: graded by the first window
    mask: Callable[[str], str] = mask_number  # the snippet

    def __post_init__(self) -> None:
        """Refuse a rule that could never match or grade."""
        if not self.windows or (self.pattern is None) == (self.digits == 0):
            raise ValueError(f"{self.kind}: a number rule needs windows, and digits or a pattern")


@dataclass(frozen=True)
class Hit:
    """The best-graded number of a set of rules: its value (never shown) and signal."""

    number: str
    signal: Signal


def read_number(family: Family, doc: Document) -> Signal | None:
    """The family's best-graded number."""
    hit = best_number(family.name, family.numbers, doc.text, doc.codes, is_image(doc))
    return hit.signal if hit else None


def read_labels(family: Family, doc: Document) -> Signal | None:
    """How many of the family's labels the text holds."""
    return label_signal(family.name, family.labels, doc.text, family.description, is_image(doc))


def read_title(family: Family, doc: Document) -> Signal | None:
    """The family's title with its labels on a photographed card."""
    return title_signal(family.name, family.titles, family.labels, doc)


def read_card(family: Family, doc: Document) -> Signal | None:
    """A card of the family's shapes and a face, on an image."""
    return (
        card_signal(family.name, doc, *family.shapes, portrait=family.portrait)
        if family.shapes and is_image(doc)
        else None
    )


def read_filename(family: Family, doc: Document) -> Signal | None:
    """A file-name token of the document type (weak)."""
    return filename_signal(family.name, family.document_type_of(doc.text), doc.name)


SOURCES: tuple[Source, ...] = (read_number, read_labels, read_title, read_card, read_filename)


@dataclass(frozen=True)
class Family:
    """One document family: what it is called, its labels, numbers and card shapes."""

    name: str  # the detector's name in evidence
    document_type: DocumentType
    description: str  # how the label signal names the document ("residence card")
    labels: Lexicon  # its field labels: three distinct ones are a medium signal
    titles: tuple[str, ...] = ()  # what it calls itself: the prefilter and the title signal
    keywords: tuple[str, ...] = ()  # more words that pass the prefilter
    numbers: tuple[NumberRule, ...] = ()  # ways its number is printed: the best reading counts
    shapes: frozenset[CardShape] = frozenset()  # its card formats; none: no card layout signal
    portrait: bool = True  # whether its cards carry the holder's photograph
    variants: tuple[tuple[DocumentType, tuple[str, ...]], ...] = ()  # types their words choose
    prefilter: Callable[[Document], bool] | None = None  # passes the prefilter too
    sources: tuple[Source, ...] = SOURCES  # the signals read, in the order reports show

    def document_type_of(self, text: str) -> DocumentType:
        """The first variant whose words appear, else the family's own document type."""
        found = (kind for kind, words in self.variants if any_label(text, words))
        return next(found, self.document_type)


@dataclass(frozen=True)
class FamilyDetector:
    """The detector of any family: its prefilter, then its sources; one strong or two medium
    signals alert, weak ones only rank."""

    family: Family

    @property
    def name(self) -> str:
        """The family's name."""
        return self.family.name

    def applies(self, doc: Document) -> bool:
        """A title, keyword or barcode of the family (cheap; within one misread on images), or
        its own prefilter."""
        family, text = self.family, doc.text
        kinds = {kind for rule in family.numbers for kind in rule.codes}
        return (
            any_label(text, family.titles + family.keywords)
            or any(code.kind in kinds for code in doc.codes)
            or (
                is_image(doc)
                and any(
                    label_in(text, word, fuzzy=True) for word in family.titles + family.keywords
                )
            )
            or (family.prefilter is not None and family.prefilter(doc))
        )

    def inspect(self, doc: Document) -> Evidence | None:
        """Every source's signal, concluded for the document type the text names."""
        family = self.family
        signals = [signal for read in family.sources if (signal := read(family, doc)) is not None]
        return conclude(family.name, family.document_type_of(doc.text), signals)


@dataclass(frozen=True)
class _Candidate:
    rule: NumberRule
    number: str
    start: int
    end: int
    code: str | None = None  # the barcode kind it was decoded from


def best_number(
    detector: str,
    rules: tuple[NumberRule, ...],
    text: str,
    codes: tuple[Code, ...] = (),
    fuzzy: bool = False,
) -> Hit | None:
    """The first number of the highest grade: in decoded barcodes first, then in text order
    (labels matched within one misread with `fuzzy`, for OCR'd text)."""
    best: Hit | None = None
    for candidate in _candidates(rules, text, codes):
        rule, number = candidate.rule, candidate.number
        verdict = rule.validator(number) if rule.validator else None
        graded = None if verdict is False else _grade(candidate, text, fuzzy)
        if graded is None:
            continue
        strength, where, label = graded
        if verdict is None:
            strength = min(strength, rule.unverified, key=WEIGHTS.__getitem__)
        template = rule.what + where + (rule.valid_note if verdict else "")
        reason = template.format(label=label, number=number)
        signal = Signal(detector, rule.kind, strength, reason, rule.mask(number))
        if best is None or WEIGHTS[strength] > WEIGHTS[best.signal.strength]:
            best = Hit(number, signal)
        if strength is Strength.STRONG:
            break
    return best


def _grade(candidate: _Candidate, text: str, fuzzy: bool) -> tuple[Strength, str, str] | None:
    """Strength, reason ending and label of the first window holding a label."""
    windows, start, end = candidate.rule.windows, candidate.start, candidate.end
    if candidate.code is not None:
        return windows[0].strength, f" decoded from a {candidate.code} code", ""
    for window in windows:
        if not window.labels:
            return window.strength, window.where, ""
        label = label_near(text, start, end, window.labels, window.before, window.after, fuzzy)
        if label is not None:
            return window.strength, window.where, label
    return None


def _candidates(
    rules: tuple[NumberRule, ...], text: str, codes: tuple[Code, ...]
) -> Iterator[_Candidate]:
    for code in codes:
        for rule in rules:
            if code.kind in rule.codes:
                for found in _matches(rule, " ".join(code.text.split()), repairs=0):
                    yield replace(found, code=code.kind)
    in_text = itertools.chain.from_iterable(_matches(rule, text, rule.repairs) for rule in rules)
    yield from sorted(in_text, key=lambda candidate: candidate.start)


def _matches(rule: NumberRule, text: str, repairs: int) -> Iterator[_Candidate]:
    if rule.pattern is None:
        for run in digit_runs(text, rule.digits, max_repairs=repairs):
            yield _Candidate(rule, run.digits, run.start, run.end)
        return
    for match in rule.pattern.finditer(text):
        number = _read(match, repairs, rule.normalize)
        if number is not None:
            yield _Candidate(rule, number, match.start(), match.end())


def _read(match: re.Match[str], repairs: int, normalize: Callable[[str], str] | None) -> str | None:
    """The matched groups joined, confusions repaired in the `digits` group (or everywhere)."""
    repaired = match.re.groupindex.get("digits")
    parts, count = [], 0
    for index in range(1, match.re.groups + 1) or (0,):
        part = re.sub(r"\s", "", match.group(index) or "")
        if repaired in (None, index):
            fixed = part.translate(DIGIT_CONFUSIONS)
            count += sum(a != b for a, b in zip(part, fixed, strict=True))
            part = fixed
        parts.append(part)
    if count > repairs:
        return None
    number = "".join(parts)
    return normalize(number) if normalize else number
