"""ICAO 9303 machine-readable zones (TD3 passports, TD1/TD2 cards) with every check digit verified.

Example: "P<UTOERIKSSON<<ANNA<MARIA…" + "L898902C36UTO7408122F1204159ZE184226B<<<<<10" -> passport.
A checksum-valid MRZ is a strong signal by itself; the first letter of line 1 picks the type.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from bucketscan.policies.detectors.common import card_signal, is_image, label_signal, mrz_band
from bucketscan.policies.detectors.context import Lexicon, any_label
from bucketscan.policies.detectors.family import NumberRule, Window, best_number
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.scoring import conclude, rank
from bucketscan.policies.icao import check_digit, passes
from bucketscan.policies.redact import mask_mrz_line
from bucketscan.records.content import CardShape, Document, DocumentType, Evidence, Signal, Strength

NAME = "mrz"
_LINE = re.compile(r"^[A-Z0-9<]{22,56}$")  # OCR may drop trailing fillers, or read past the end
# A card's line 1 read only as far as its number's check digit (the filler run after it, slanted
# on a tilted photo, read as fragments): enough for a partial zone, whose check digits decide.
_SHORT_LINE = re.compile(r"^[A-Z0-9<]{15,56}$")
_FILLER_RUN = re.compile(r"<{3,}")
_FILLER_LOOKALIKES = str.maketrans(dict.fromkeys("‹〈く", "<"))  # as jpn OCR reads fillers
_UNREAD = "?"  # a character of a partial zone that OCR could not read
# Characters OCR reads for digits inside fields that can only hold digits.
_TO_DIGIT = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"}
)
# ... and for letters inside fields that can only hold letters (state and nationality codes).
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G"})
# Alternatives tried, guided by its check digit, for a character of an alphanumeric field.
_SWAPS = {"O": "0", "0": "OD", "Q": "0", "D": "0", "I": "1J", "1": "IT", "L": "1", "T": "1"}
_SWAPS |= {"S": "5", "5": "S", "B": "8", "8": "B", "Z": "2", "2": "Z", "G": "6", "6": "G"}
_SWAPS |= {"7": "T", "J": "I"}
_MAX_SWAPS = 4
# Field layouts of the data lines: digit-only spans, letter-only spans, (number, check) spans,
# and (field, check) spans of optional fields, whose check digit is a filler when they are empty.
_TD3_FIELDS = (
    ((9, 10), (13, 20), (21, 28), (42, 44)),
    ((10, 13),),
    ((0, 9, 9), (28, 42, 42)),
    ((28, 42),),
)
_TD2_FIELDS = (((9, 10), (13, 20), (21, 28), (35, 36)), ((10, 13),), ((0, 9, 9),), ())
_TD1_LINE1 = ((), ((2, 5),), ((5, 14, 14),), ())
_TD1_LINE2 = (((0, 7), (8, 15), (29, 30)), ((15, 18),), (), ())
PASSPORT_LABELS = Lexicon.of(
    ("PASSPORT", "旅券"),
    ("旅券番号", "Passport No"),
    ("発行国", "Issuing country"),
    ("国籍", "Nationality"),
    ("有効期間満了日", "Date of expiry"),
    ("発行年月日", "Date of issue"),
    ("所持人自署", "Signature of bearer"),
    ("発行官庁", "Authority"),
    ("MINISTRY OF FOREIGN AFFAIRS",),
    ("本籍", "Registered Domicile"),
    ("Surname", "姓"),
    ("Given name",),
)
ID_CARD_LABELS = Lexicon.of(
    ("IDENTITY CARD", "ID CARD", "Personalausweis", "CARTE D'IDENTITE", "身分証"),
    ("Surname", "Nom", "Name"),
    ("Given name", "Vorname", "Prénom"),
    ("Nationality", "Staatsangehörigkeit"),
    ("Date of birth", "Geburtstag"),
    ("Date of expiry", "Expiry", "Gültig bis"),
    ("Card No", "Document No", "Document number"),
    ("RESIDENCE PERMIT",),
    ("Sex",),
)
_PASSPORT_NUMBER = NumberRule(
    "passport_number",
    "2 letters + 7 digits",
    (Window(("旅券番号", "Passport No"), 60, 10),),
    pattern=re.compile(r"(?<![A-Z0-9])([A-Z]{2})(?P<digits>[0-9]{7})(?![A-Z0-9])"),
)
_DATA_LENGTHS = (44, 36)  # TD3 and TD2 data lines
_NATIONALITY = (10, 13)  # where a data line's nationality sits
_PREFILTER_CHARS = "<<"
_KNOWN_CODES = frozenset("PIACV")


def _translate(line: str, spans: tuple[tuple[int, int], ...], table: dict[int, str]) -> str:
    chars = list(line)
    for start, end in spans:
        for index in range(start, min(end, len(chars))):
            chars[index] = chars[index].translate(table)
    return "".join(chars)


def _numbers(line: str, start: int, end: int, check: int) -> list[str]:
    """The line as read if its number field passes its check digit; otherwise every reading
    with OCR confusion swaps (in at most `_MAX_SWAPS` ambiguous characters) that passes."""
    field, digit = line[start:end], line[check]
    if passes(field, digit):
        return [line]
    ambiguous = [index for index, char in enumerate(field) if char in _SWAPS][:_MAX_SWAPS]
    options = [field[index] + _SWAPS[field[index]] for index in ambiguous]
    found = []
    for choice in itertools.product(*options):
        chars = list(field)
        for index, char in zip(ambiguous, choice, strict=True):
            chars[index] = char
        if passes("".join(chars), digit):
            found.append(line[:start] + "".join(chars) + line[end:])
    return found or [line]


Spans = tuple[tuple[int, int], ...]
Fields = tuple[Spans, Spans, tuple[tuple[int, int, int], ...], Spans]


def _typed(line: str, fields: Fields) -> str:
    """The line with digits where only digits may stand, letters in country codes, and a filler
    for the check digit of an empty optional field (a misread: the composite then judges it)."""
    digits, letters, _numbers, optional = fields
    typed = _translate(_translate(line, digits, _TO_DIGIT), letters, _TO_LETTER)
    for start, end in optional:
        if end < len(typed) and set(typed[start:end]) == {"<"} and typed[end] not in "<0":
            typed = typed[:end] + "<" + typed[end + 1 :]
    return typed


def repairs(line: str, fields: Fields) -> list[str]:
    """Readings of the line with OCR letter/digit confusions undone by field type: digits where
    only digits may stand, letters in country codes, and number fields only as their check
    digits allow (the caller keeps the reading whose every check digit passes)."""
    numbers = fields[2]
    readings = [_typed(line, fields)]
    for start, end, check in numbers:
        readings = [fixed for reading in readings for fixed in _numbers(reading, start, end, check)]
    return readings


def _variants(line: str, length: int) -> list[str]:
    """Readings of a line at `length`: filler runs fitted, what follows its end cut, one
    character OCR added dropped, or one filler it lost put back (check digits then tell which
    reading is right)."""
    found = [fitted] if (fitted := _fit(line, length)) else []
    # A nationality read as two or four characters, realigned: only behind a number that
    # passes its check digit in place, so that no other shift of the line is compensated.
    if length in _DATA_LENGTHS and passes(line[0:9], line[9]):
        found += [fitted for shifted in _realigned(line) if (fitted := _fit(shifted, length))]
    if len(line) > length:  # the page's edge or a shadow read as more characters
        found.append(line[:length])
    if len(line) == length + 1:
        found += [line[:i] + line[i + 1 :] for i in range(len(line))]
    elif len(line) == length - 1:
        found += [line[:i] + "<" + line[i:] for i in range(len(line) + 1)]
    return list(dict.fromkeys(found))


def _realigned(line: str) -> list[str]:
    """A data line whose nationality (three letters after the number and its check digit) OCR
    read as one character short or long, with the fields after it moved back in place. The
    nationality is in no check digit, so "<" stands in for a lost letter."""
    start, end = _NATIONALITY
    return [
        line[:start]
        + line[start : start + width].ljust(end - start, "<")[: end - start]
        + line[start + width :]
        for width in (end - start - 1, end - start + 1)
    ]


def _fit(line: str, length: int) -> str | None:
    """The line at `length` characters, lengthening or shortening its longest filler run."""
    if len(line) == length:
        return line
    runs = list(_FILLER_RUN.finditer(line))
    if not runs:
        return None
    run = max(runs, key=lambda m: m.end() - m.start())
    # OCR often truncates a trailing filler run (one followed by no more than the final check
    # digits); anything else may only be off by a few.
    if abs(len(line) - length) > (8 if len(line) - run.end() <= 2 else 3):
        return None
    size = run.end() - run.start() + length - len(line)
    if size < 1:
        return None
    return line[: run.start()] + "<" * size + line[run.end() :]


@dataclass(frozen=True)
class Zone:
    """A validated MRZ: its format, document code and lines (unmasked, never shown)."""

    layout: str
    code: str
    lines: tuple[str, ...]
    complete: bool = True  # False: the composite check digit was unreadable (not wrong)
    stretch: int = 0  # characters of filler added or removed to fit the layout


def _verdict(fields_ok: bool, composite: str, composite_ok: bool) -> bool | None:
    """True: every check digit valid; None: fields valid, composite unreadable; False: invalid."""
    if not fields_ok:
        return False
    if composite_ok:
        return True
    return None if not composite.isdigit() else False


def td3_line2_valid(line: str) -> bool | None:
    """TD3 check digits (number, birth, expiry, personal number, composite); see `_verdict`."""
    personal_ok = passes(line[28:42], line[42]) or (set(line[28:43]) <= {"<", "0"})
    fields = (
        passes(line[0:9], line[9])
        and passes(line[13:19], line[19])
        and passes(line[21:27], line[27])
        and personal_ok
    )
    composite = passes(line[0:10] + line[13:20] + line[21:43], line[43])
    return _verdict(fields, line[43], composite)


def td2_line2_valid(line: str) -> bool | None:
    """TD2 check digits (number, birth, expiry, composite); see `_verdict`."""
    fields = (
        passes(line[0:9], line[9])
        and passes(line[13:19], line[19])
        and passes(line[21:27], line[27])
    )
    composite = passes(line[0:10] + line[13:20] + line[21:35], line[35])
    return _verdict(fields, line[35], composite)


def td1_valid(line1: str, line2: str) -> bool:
    """All four TD1 check digits, with the long-document-number overflow into the optional field."""
    if line1[14] == "<" and line1[15] != "<":
        tail = line1[15:].split("<", 1)[0]
        number, digit = line1[5:14] + tail[:-1], tail[-1:] or "<"
    else:
        number, digit = line1[5:14], line1[14]
    return (
        passes(number, digit)
        and passes(line2[0:6], line2[6])
        and passes(line2[8:14], line2[14])
        and passes(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29], line2[29])
    )


def _candidate_lines(text: str, unreadable: int = 0) -> list[str]:
    """Lines of the MRZ alphabet with a filler; up to `unreadable` characters ahead of the first
    filler that are outside it (a finger's edge, a smudge) kept as "?", for partial zones."""
    lines = []
    for raw in text.splitlines():
        squeezed = re.sub(r"\s", "", raw).replace("«", "<<").translate(_FILLER_LOOKALIKES)
        cut = squeezed.find("<")
        if cut >= 0:
            # After the first filler, anything outside the MRZ alphabet (lower case, kana that
            # jpn OCR makes of "<<") is a misread filler.
            tail = re.sub(r"[^A-Z0-9<]", "<", squeezed[cut:])
            squeezed = squeezed[:cut] + tail
        line = squeezed.upper()
        if unreadable:
            line, count = re.subn(r"[^A-Z0-9<]", _UNREAD, line)
            line = line if count <= unreadable else ""
        if (_SHORT_LINE if unreadable else _LINE).match(line.replace(_UNREAD, "<")) and "<" in line:
            lines.append(line)
    return lines


def _data_line(line: str, layout: str, length: int) -> tuple[str, bool | None] | None:
    """The best repaired reading of a TD3/TD2 data line and its verdict (see `_verdict`)."""
    fields, validate = (
        (_TD3_FIELDS, td3_line2_valid) if layout == "TD3" else (_TD2_FIELDS, td2_line2_valid)
    )
    best: tuple[str, bool | None] | None = None
    for variant in _variants(line, length):
        for second in repairs(variant, fields):
            valid = validate(second)
            if valid is True:
                return second, True
            if valid is None and best is None:
                best = (second, None)
    return best


def _td1(line1: str, line2: str) -> tuple[str, str] | None:
    """Repaired TD1 lines 1 and 2 when every check digit passes."""
    firsts = [fixed for line in _variants(line1, 30) for fixed in repairs(line, _TD1_LINE1)]
    seconds = [fixed for line in _variants(line2, 30) for fixed in repairs(line, _TD1_LINE2)]
    for first, second in itertools.product(firsts, seconds):
        if td1_valid(first, second):
            return first, second
    return None


def find_zones(text: str) -> tuple[Zone, ...]:
    """Every checksum-valid MRZ in the text."""
    lines = _candidate_lines(text)
    zones = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        # Fillers count 0 in check digits, so a stretched line can pass as either layout: try
        # the layout closest to the line's length first and keep only that one if it passes.
        layouts = sorted((("TD3", 44), ("TD2", 36)), key=lambda item: abs(len(line) - item[1]))
        for layout, length in layouts:
            reading = _data_line(line, layout, length)
            if reading is None:
                continue
            second, valid = reading
            first = _fit(previous, length) if previous else None
            code = previous[0] if previous and previous[0].isalpha() else "?"
            found = tuple(x for x in (first, second) if x)
            stretch = abs(len(line) - length)
            zones.append(Zone(layout, code, found, valid is True, stretch))
            break
        if index + 1 < len(lines):
            pair = _td1(line, lines[index + 1])
            if pair is not None:
                third = lines[index + 2] if index + 2 < len(lines) else None
                zones.append(Zone("TD1", pair[0][0], tuple(x for x in (*pair, third) if x)))
    return tuple(zones)


# Line 1 of a TD3/TD2 zone: document code, issuing state, then surname << given names (OCR may
# leave a stray letter among the fillers).
_NAME_LINE = re.compile(r"^[PIACV][A-Z<][A-Z]{3}[A-Z]+<<[A-Z]+[A-Z<]*$")
_MIN_PARTIAL = 28  # characters of a data line up to the expiry check digit
_PARTIAL_CHECKS = 2  # of the zone's three field check digits (number, birth, expiry)
# Data lines by length: the spans their composite check digit covers, and where it stands.
_COMPOSITES = {44: (((0, 10), (13, 20), (21, 43)), 43), 36: (((0, 10), (13, 20), (21, 35)), 35)}
_MAX_UNREAD = 2  # characters outside the MRZ alphabet a line of a partial zone may hold
_NAME_LETTERS = 0.8  # share of letters in a garbled name line's names
_HIDDEN = 8  # characters a finger or the photo's edge may hide at the start of a line
_SEXES = "MFX<"


# ... and one whose start (code and state) a finger or the photo's edge hid: names in the MRZ's
# own form, surname << given < names, then a run of fillers.
_HIDDEN_NAME_LINE = re.compile(r"^[A-Z]{2,}<<[A-Z]+(?:<[A-Z]+)*<{3,}[A-Z<]*$")


def _name_line(line: str) -> bool:
    return len(line) >= 30 and bool(_NAME_LINE.match(line.translate(_TO_LETTER)))


def _hidden_name_line(line: str) -> bool:
    return len(line) >= 30 and bool(_HIDDEN_NAME_LINE.match(line.translate(_TO_LETTER)))


def _name_like(line: str) -> bool:
    """A name line, or one whose "<<" OCR read as letters: a document code, a country code,
    then mostly letters with a filler among them (a partial zone's data line says the rest)."""
    rest = line[5:].replace("<", "")
    return (
        _name_line(line)
        or _hidden_name_line(line)
        or (
            len(line) >= 30
            and line[0] in _KNOWN_CODES
            and _code_like(line[2:5])
            and "<" in line[5:]
            and sum(char.isalpha() for char in rest) >= _NAME_LETTERS * len(rest)
        )
    )


def _named(zone: Zone) -> bool:
    """A TD3/TD2 zone whose line 1 has the shape of one: code, issuing state, surname << names.

    Three field check digits passing on the data line beside such a line is as telling as a
    complete zone: the composite only guards the same fields again."""
    return len(zone.lines) > 1 and _name_line(zone.lines[0])


def _check(field: str, digit: str) -> bool | None:
    """A field's check digit: passes, fails, or None when the field or digit is unreadable."""
    if _UNREAD in field or not digit.isdigit():
        return None
    return check_digit(field) == digit


def _enough(fields: tuple[bool | None, ...], composite: bool | None) -> bool:
    """Enough field check digits pass, and none that was read is wrong; the composite too,
    where every field it guards was read (an unreadable field makes it unreadable)."""
    judged = (*fields, composite) if None not in fields else fields
    return False not in judged and fields.count(True) >= _PARTIAL_CHECKS


def _typed_check(raw: str, typed: str, start: int, end: int) -> bool | None:
    """A field's check (its digit at `end`) on its typed reading; unjudged where it fails and
    OCR had read letters in its digits: a field misread so says nothing of the zone."""
    verdict = _check(typed[start:end], typed[end])
    misread = raw[start : end + 1] != typed[start : end + 1]
    return None if verdict is False and misread else verdict


def _data_partial(raw: str, fields: Fields) -> bool:
    """A TD3 or TD2 data line (by its length) with a sex marker between its dates and number,
    birth and expiry checks enough (see `_enough`)."""
    line = _typed(raw, fields)
    if line[20] not in _SEXES:
        return False
    spans, at = _COMPOSITES[len(line)]
    checks = tuple(
        _typed_check(raw, line, start, end) for start, end in ((0, 9), (13, 19), (21, 27))
    )
    return _enough(checks, _check("".join(line[a:b] for a, b in spans), line[at]))


def _code_like(code: str) -> bool:
    """Three characters that can be a country code as OCR reads one (one digit for a letter)."""
    return "<" not in code and sum(char.isdigit() for char in code) <= 1


def _td1_partial(line1: str, line2: str) -> bool:
    """TD1 lines 1 and 2 with number, birth and expiry checks enough, and the shape of a zone:
    letters for the issuing state and nationality, a sex marker between the dates."""
    if not (_code_like(line1[2:5]) and _code_like(line2[15:18]) and line2[7] in _SEXES):
        return False
    line1, line2 = _typed(line1, _TD1_LINE1), _typed(line2, _TD1_LINE2)
    fields = (
        _check(line1[5:14], line1[14]),
        _check(line2[0:6], line2[6]),
        _check(line2[8:14], line2[14]),
    )
    composite = _check(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29], line2[29])
    return _enough(fields, composite)


def _shown(line: str, length: int) -> list[str]:
    """The line as read, and as if up to `_HIDDEN` characters at its start were hidden (by a
    finger holding the card, or the photo's edge) and are unreadable."""
    hidden = max(0, min(_HIDDEN, length - len(line)))  # none on a line read past its length
    return [_UNREAD * count + line for count in range(hidden + 1)]


def _hidden_start(line: str, length: int) -> list[str]:
    """Readings of a line at `length`, its start perhaps hidden (see `_shown`)."""
    readings = [variant for shown in _shown(line, length) for variant in _variants(shown, length)]
    return list(dict.fromkeys(readings))


def _partial_layout(line: str, name_line: str) -> str | None:
    """TD3 or TD2: the layout a data line partly read fits (see `_data_partial`), if any; first
    the shortest that holds the longer of it and its name line (a hidden start shortens lines,
    OCR adds a character at most)."""
    if len(line) < _MIN_PARTIAL:
        return None
    layouts = (("TD2", 36, _TD2_FIELDS), ("TD3", 44, _TD3_FIELDS))
    longest = max(len(line), len(name_line))
    for layout, length, fields in sorted(layouts, key=lambda item: item[1] < longest - 1):
        for shown in _shown(line, length):
            if any(_data_partial(v, fields) for v in _cut_short(shown, length)):
                return layout
    return None


def _cut_short(line: str, length: int) -> list[str]:
    """Readings of a data line at `length`, also as if OCR lost its end when it is shorter
    than any data line (a line of 36 characters or more is whole enough to be judged whole)."""
    cut = [line.ljust(length, _UNREAD)] if len(line) < min(_COMPOSITES) else []
    return list(dict.fromkeys(_variants(line, length) + cut))


_BARE_LINE = re.compile(rf"[A-Z0-9]{{{_MIN_PARTIAL},46}}")


def _date_like(field: str) -> bool:
    """YYMMDD with a month and a day that exist."""
    return field.isdigit() and 1 <= int(field[2:4]) <= 12 and 1 <= int(field[4:6]) <= 31


def _bare_data_line(line: str) -> str | None:
    """The layout of a data line whose fillers OCR lost entirely (TD3, TD2, or "TD3/TD2" when
    cut too short to tell), when its number, birth and expiry check digits all pass in place,
    its dates are dates, a sex marker stands between them and a country code before them. With
    no filler to show a zone, all three checks must hold, not two."""
    if not _BARE_LINE.fullmatch(line):
        return None
    typed = _typed(line, _TD3_FIELDS)  # both layouts place these fields alike
    checks = (
        _check(typed[0:9], typed[9]),
        _check(typed[13:19], typed[19]),
        _check(typed[21:27], typed[27]),
    )
    if not (all(checks) and _shaped(line)):
        return None
    return "TD3" if len(line) > max(_COMPOSITES) - 4 else "TD2" if len(line) >= 36 else "TD3/TD2"


@dataclass(frozen=True)
class Partial:
    """A zone OCR read in part: its document code ("?" unread), layout and signal."""

    code: str
    layout: str  # TD3, TD2, TD1, or "TD3/TD2" for a data line cut too short to tell
    signal: Signal

    @property
    def booklet(self) -> bool:
        """Whether it is a passport's: code P, or a passport's layout where the code is unread."""
        return self.code == "P" or (self.code == _UNREAD and self.layout == "TD3")


def _bare_zone(text: str) -> Partial | None:
    """A data line read without its fillers (see `_bare_data_line`); the line above it names
    the document code when it starts like a zone's line 1."""
    lines = [re.sub(r"\s", "", raw).upper() for raw in text.splitlines()]
    for index, line in enumerate(lines):
        layout = _bare_data_line(line)
        if layout is None:
            continue
        above = lines[index - 1] if index else ""
        code = above[0] if above[:1] in tuple(_KNOWN_CODES) and above[1:2].isalpha() else _UNREAD
        return Partial(code, layout, _partial_signal(layout, code, mask_mrz_line(line), checks=3))
    return None


def _code(name_line: str) -> str:
    """The document code a name line starts with; "?" where its start was hidden."""
    hidden = _hidden_name_line(name_line) and not _name_line(name_line)
    return _UNREAD if hidden else name_line[0]


def partial_zone(text: str) -> Partial | None:
    """An MRZ that OCR read with a field garbled or hidden: a TD3 name line above a data line,
    or TD1 lines 1 and 2, two of whose three field check digits pass and the third is
    unreadable. Strong: nothing but a machine-readable zone prints lines of that shape, and two
    check digits passing in place are no accident; or a data line whose fillers were all lost,
    every field check digit passing. Field types are translated, but no check-guided swaps are
    tried: they would let a wrong number pass its check digit."""
    lines = _candidate_lines(text, unreadable=_MAX_UNREAD)
    # The nearest name line above, or else any: another reading's lines may stand between, or
    # a second reading of the zone may follow the first.
    names = [index for index, line in enumerate(lines) if _name_like(line)]
    for index, line in enumerate(lines):
        above = [name for name in names if name < index]
        named = lines[above[-1] if above else names[0]] if names else None
        layout = _partial_layout(line, named) if named and index not in names else None
        if named and layout is not None:
            code = _code(named)
            # A line that may have lost its start shows no letters: they may be the surname's.
            masked = mask_mrz_line(named, first=not _hidden_name_line(named))
            return Partial(code, layout, _partial_signal(layout, code, masked))
    for previous, line in itertools.pairwise(lines):
        firsts, seconds = _hidden_start(previous, 30), _hidden_start(line, 30)
        if any(_td1_partial(a, b) for a, b in itertools.product(firsts, seconds)):
            code = previous[0] if previous[0] in "IAC" else _UNREAD
            masked = f"{mask_mrz_line(previous)} / {mask_mrz_line(line)}"
            return Partial(code, "TD1", _partial_signal("TD1", code, masked))
    return _bare_zone(text)


def _partial_signal(layout: str, code: str, snippet: str, checks: int = _PARTIAL_CHECKS) -> Signal:
    return Signal(
        NAME,
        "mrz_partial",
        Strength.STRONG,
        f"{layout} MRZ with {checks} of 3 field check digits valid (code {code})",
        snippet,
    )


def _shaped(line: str) -> bool:
    """A TD3/TD2 data line with the shape only a zone has around its passing check digits:
    dates that exist, a sex marker between them and a country code before them."""
    typed = _typed(line, _TD3_FIELDS)  # both layouts place these fields alike
    dates = _date_like(typed[13:19]) and _date_like(typed[21:27])
    return dates and typed[20] in _SEXES and _code_like(line[10:13])


def _strength(zone: Zone) -> Strength:
    """Strong when every check digit passes, or its fields' do beside a name line, or in a data
    line of a zone's shape; medium otherwise (the composite unreadable)."""
    strong = zone.complete or _named(zone) or (zone.layout != "TD1" and _shaped(zone.lines[-1]))
    return Strength.STRONG if strong else Strength.MEDIUM


def _preference(zone: Zone) -> tuple[bool, bool, int]:
    """Complete zones first, then a readable document code, then the least filler repair."""
    return (not zone.complete, zone.code not in _KNOWN_CODES, zone.stretch)


def _has_name_line(zone: Zone) -> bool:
    """Whether the zone's first line is line 1 (code, state, name) rather than the data line."""
    return zone.layout == "TD1" or len(zone.lines) > 1


def document_type(zone: Zone) -> DocumentType:
    """P → passport; I, A, C → id_card_icao; V (visa) → foreign_id; an unreadable code
    falls back on the format (TD3 → passport, TD1/TD2 → id_card_icao)."""
    if zone.code == "P":
        return DocumentType.PASSPORT
    if zone.code in {"I", "A", "C"}:
        return DocumentType.ID_CARD_ICAO
    if zone.code == "V":
        return DocumentType.FOREIGN_ID
    return DocumentType.PASSPORT if zone.layout == "TD3" else DocumentType.ID_CARD_ICAO


def _passport_titled(text: str) -> bool:
    return any_label(text, PASSPORT_LABELS.groups[0])


def _number_signal(text: str) -> Signal | None:
    hit = best_number(NAME, (_PASSPORT_NUMBER,), text)
    return hit.signal if hit else None


class MrzDetector:
    """Passports (TD3) and ICAO ID cards (TD1, TD2); also passports whose MRZ OCR failed."""

    name = NAME

    def applies(self, doc: Document) -> bool:
        """MRZ fillers, a detected MRZ band or passport/ID labels."""
        text = doc.text
        return (
            _PREFILTER_CHARS in text
            or mrz_band(doc)
            or any_label(text, ("PASSPORT", "旅券", "IDENTITY CARD", "ID CARD"))
        )

    def inspect(self, doc: Document) -> Evidence | None:
        """A valid MRZ is strong alone; without one, labels/number/layout must add up."""
        text = doc.text
        zones = find_zones(text)
        results = []
        # OCR may misread the document code of one copy; prefer a zone whose code is known.
        for zone in sorted(zones, key=_preference)[:1]:
            kind = document_type(zone)
            if zone.code == _UNREAD and zone.layout == "TD2" and _passport_titled(text):
                kind = DocumentType.PASSPORT  # a passport's data line read short of its end
            signals = [
                Signal(
                    NAME,
                    f"mrz_{zone.layout.lower()}",
                    _strength(zone),
                    f"{zone.layout} MRZ with every check digit valid (code {zone.code})"
                    if zone.complete
                    else f"{zone.layout} MRZ field check digits valid, composite unreadable",
                    " / ".join(
                        mask_mrz_line(line, i == 0 and _has_name_line(zone))
                        for i, line in enumerate(zone.lines)
                    ),
                ),
                label_signal(
                    NAME,
                    PASSPORT_LABELS if kind is DocumentType.PASSPORT else ID_CARD_LABELS,
                    text,
                    kind.replace("_", " "),
                    is_image(doc),
                ),
                filename_signal(NAME, kind, doc.name),
            ]
            results.append(conclude(NAME, kind, [s for s in signals if s is not None]))
        # A wrong check digit in typed text is a wrong MRZ; on an image it may be a misread.
        garbled = None if zones or not is_image(doc) else partial_zone(text)
        partial = garbled.signal if garbled else None
        booklet = garbled is not None and garbled.booklet
        if not zones and (_passport_titled(text) or booklet):
            passport = [
                partial if booklet else None,
                _number_signal(text),
                label_signal(NAME, PASSPORT_LABELS, text, "passport", is_image(doc)),
                card_signal(NAME, doc, CardShape.ID3) if is_image(doc) else None,
                Signal(NAME, "mrz_band", Strength.WEAK, "MRZ-like band") if mrz_band(doc) else None,
                filename_signal(NAME, DocumentType.PASSPORT, doc.name),
            ]
            results.append(
                conclude(NAME, DocumentType.PASSPORT, [s for s in passport if s is not None])
            )
        # An MRZ that OCR garbled still shows as fillers: the card's other signals must carry it.
        unread_zone = _PREFILTER_CHARS in text
        if not zones and (any_label(text, ID_CARD_LABELS.groups[0]) or unread_zone):
            card = [
                None if booklet else partial,
                label_signal(NAME, ID_CARD_LABELS, text, "identity card", is_image(doc)),
                # ID-1, or ID-2 (TD2 cards), which shares the ID-3 ratio
                card_signal(NAME, doc, CardShape.ID1, CardShape.ID3) if is_image(doc) else None,
                filename_signal(NAME, DocumentType.ID_CARD_ICAO, doc.name),
            ]
            results.append(
                conclude(NAME, DocumentType.ID_CARD_ICAO, [s for s in card if s is not None])
            )
        found = [evidence for evidence in results if evidence is not None]
        return max(found, key=rank) if found else None
