"""Passport data pages (TD3) and ICAO ID cards (TD1, TD2) with valid machine-readable zones."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from bucketscan.synthetic import mrz, numbers
from bucketscan.synthetic.draw import GREY, ID1, ID3, font, ghost, paste_face, styled, text
from bucketscan.synthetic.people import Person, future_date, icao_date, issue_date, yymmdd
from bucketscan.synthetic.security import Palette, hologram, printed

# state code → (English name, ID-card title)
_STATES = {
    "UTO": ("UTOPIA", "IDENTITY CARD"),
    "DEU": ("BUNDESREPUBLIK DEUTSCHLAND", "PERSONALAUSWEIS / IDENTITY CARD"),
    "NLD": ("KONINKRIJK DER NEDERLANDEN", "IDENTITEITSKAART / IDENTITY CARD"),
    "FRA": ("REPUBLIQUE FRANCAISE", "CARTE NATIONALE D'IDENTITE / IDENTITY CARD"),
    "PHL": ("REPUBLIC OF THE PHILIPPINES", "NATIONAL ID / IDENTITY CARD"),
}
# Data-page and card palettes: (gradient start, gradient end, guilloche ink, accent).
_PAGE_PALETTES = {
    "T": Palette((246, 236, 240), (232, 216, 230), (214, 190, 212), (150, 50, 90)),  # 10-year
    "M": Palette((236, 240, 248), (218, 226, 244), (194, 206, 236), (40, 70, 150)),  # 5-year
    "other": Palette((236, 244, 238), (218, 234, 224), (196, 220, 204), (40, 110, 70)),
}
_CARD_PALETTES = (
    Palette((236, 240, 248), (222, 230, 246), (204, 214, 240), (20, 50, 150)),
    Palette((244, 242, 236), (232, 228, 214), (214, 208, 188), (110, 80, 30)),
    Palette((240, 238, 230), (226, 222, 208), (212, 206, 186), (90, 90, 60)),
)


def _mrz_lines(draw: ImageDraw.ImageDraw, lines: tuple[str, ...], width: int, bottom: int) -> None:
    """Draw MRZ lines in a monospace font sized so each line spans most of the width."""
    reference = draw.textlength(lines[0], font=font(100, "mono"))
    size = int(width * 0.93 * 100 / max(1.0, reference))
    face = font(size, "mono")
    left = (width - draw.textlength(lines[0], font=face)) / 2
    top = bottom - len(lines) * size * 1.25
    for index, line in enumerate(lines):
        draw.text((left, top + index * size * 1.25), line, font=face, fill=(10, 10, 10))


def validity_years(rng: random.Random, number: str, japanese: bool) -> int:
    """Years of validity: 10 for a Japanese T passport, 5 for an M one (ID_FORMATS §3.1)."""
    if japanese and number[:1] in ("T", "M"):
        return 10 if number[0] == "T" else 5
    return rng.choice((5, 10))


@styled
def passport_page(rng: random.Random, person: Person) -> Image.Image:
    """A passport data page (ID-3): bilingual labels for Japan, photo on the left, TD3 MRZ."""
    japanese = person.nationality == "JPN"
    state = person.nationality
    number = numbers.passport_number_jp(rng) if japanese else numbers.passport_number_other(rng)
    issued = issue_date(rng)
    expiry = future_date(issued, validity_years(rng, number, japanese))
    palette = _PAGE_PALETTES[number[0] if japanese else "other"]
    image, draw = printed(
        rng, ID3, palette, phrase="JAPAN PASSPORT" if japanese else "PASSPORT", emblem="flower"
    )
    if japanese:
        title, labels = "日本国 JAPAN", (
            "型/Type", "発行国/Issuing country", "旅券番号/Passport No.", "姓/Surname",
            "名/Given name", "国籍/Nationality", "生年月日/Date of birth", "性別/Sex",
            "本籍/Registered Domicile", "発行年月日/Date of issue", "有効期間満了日/Date of expiry",
            "発行官庁/Authority",
        )  # fmt: skip
        domicile, authority = person.address[:3], "MINISTRY OF FOREIGN AFFAIRS"
    else:
        title, labels = f"{_STATES.get(state, (state,))[0]}  PASSPORT", (
            "Type", "Code of issuing State", "Passport No.", "Surname", "Given names",
            "Nationality", "Date of birth", "Sex", "Place of birth", "Date of issue",
            "Date of expiry", "Authority",
        )  # fmt: skip
        domicile, authority = "SPRINGFIELD", "PASSPORT OFFICE"
    text(draw, (60, 40), title, 44)
    text(draw, (900, 44), "旅券 PASSPORT" if japanese else "PASSPORT", 40)
    paste_face(image, rng, (60, 150, 440, 640))
    values = (
        "P", state, number, person.surname_latin, person.given_latin, state,
        icao_date(person.birth), person.sex, domicile, icao_date(issued), icao_date(expiry),
        authority,
    )  # fmt: skip
    positions: tuple[tuple[int, int], ...] = ((480, 140), (640, 140), (1040, 140))
    positions += tuple((480, 230 + i * 80) for i in range(3))
    positions += ((480, 470), (800, 470), (1180, 470), (480, 550), (800, 550), (480, 630))
    widths = (150, 380, 400, 900, 900, 900, 310, 370, 280, 310, 600, 500)
    for (x, y), label, value, width in zip(positions, labels, values, widths, strict=True):
        text(draw, (x, y), label, 20, GREY, width=width)
        text(
            draw, (x, y + 26), value, 34, kind="latin" if value.isascii() else "gothic", width=width
        )
    if japanese:
        text(draw, (1000, 680), "所持人自署/Signature of bearer", 20, GREY)
        text(draw, (1040, 714), person.name, 40, kind="mincho")
    holder = _holder("P", state, person, number, yymmdd(person.birth), yymmdd(expiry))
    lines = mrz.td3(holder)
    ghost(image, rng, (1300, 555, 1440, 705))
    hologram(rng, image, (300, 420, 760, 800))
    draw.rectangle((0, 800, ID3[0], ID3[1]), fill=(246, 246, 244))
    _mrz_lines(draw, lines, ID3[0], ID3[1] - 40)
    if rng.random() < 0.3:  # photographed open: the facing page above the data page
        return _booklet(rng, image, palette, japanese)
    return image


_REQUEST_JA = (
    "日本国民である本旅券の所持人を通路故障なく旅行させ、",
    "かつ、同人に必要な保護扶助を与えられるよう、関係の諸官に要請する。",
)
_REQUEST_EN = (
    "The Minister for Foreign Affairs of Japan requests all those whom it may concern",
    "to allow the bearer to pass freely and without hindrance and, in case of need,",
    "to afford him or her every possible aid and protection.",
)


def _booklet(
    rng: random.Random, page: Image.Image, palette: Palette, japanese: bool
) -> Image.Image:
    """The open booklet: the facing page on top, the data page below, a shaded fold between."""
    facing, draw = printed(rng, ID3, palette, phrase="PASSPORT", emblem="flower")
    if japanese:
        for index, line in enumerate(_REQUEST_JA):
            text(draw, (120, 300 + index * 56), line, 34, kind="mincho", width=1240)
        text(draw, (900, 440), "日本国外務大臣", 36, kind="mincho")
        for index, line in enumerate(_REQUEST_EN):
            text(draw, (120, 560 + index * 44), line, 26, kind="latin", width=1240)
    else:
        text(draw, (120, 120), "OBSERVATIONS", 34, GREY, kind="latin")
        for y in range(220, 960, 90):
            draw.line((120, y, ID3[0] - 120, y), fill=GREY, width=1)
    spread = Image.new("RGB", (ID3[0], 2 * ID3[1]))
    spread.paste(facing, (0, 0))
    spread.paste(page, (0, ID3[1]))
    rows = np.arange(2 * ID3[1], dtype=np.float32) - ID3[1]
    fold = 1 - 0.35 * np.exp(-((rows / rng.uniform(18, 40)) ** 2))
    shaded = np.asarray(spread, dtype=np.float32) * fold[:, None, None]
    return Image.fromarray(shaded.astype(np.uint8), "RGB")


def _holder(
    code: str, state: str, person: Person, number: str, birth: str, expiry: str
) -> mrz.Holder:
    """The MRZ data of a document issued by `state` to `person`."""
    return mrz.Holder(
        document_code=code,
        state=state,
        surname=person.surname_latin,
        given=person.given_latin,
        number=number,
        nationality=state,
        birth=birth,
        sex=person.sex,
        expiry=expiry,
    )


def _card_fields(rng: random.Random, person: Person) -> tuple[str, str, str]:
    """Document number, birth and expiry (YYMMDD) for an ID card."""
    number = rng.choice("ABCDLT") + "".join(rng.choice("0123456789CFGHJK") for _ in range(8))
    expiry = future_date(issue_date(rng), 10)
    return number, yymmdd(person.birth), yymmdd(expiry)


@styled
def id_card_front(rng: random.Random, person: Person) -> Image.Image:
    """The front of a European-style ID card: national title, IDENTITY CARD, photo on the left."""
    state = person.nationality if person.nationality in _STATES else "UTO"
    name, title = _STATES[state]
    number, birth, expiry = _card_fields(rng, person)
    image, draw = printed(rng, ID1, rng.choice(_CARD_PALETTES), phrase=name, emblem="seal")
    text(draw, (30, 20), name, 30, kind="latin")
    text(draw, (30, 60), title, 22, GREY, kind="latin")
    draw.ellipse((900, 20, 980, 100), fill=(20, 50, 150))
    text(draw, (915, 45), state[:2], 26, (255, 210, 0), kind="latin")
    paste_face(image, rng, (30, 120, 300, 470))
    rows = (
        ("Surname", person.surname_latin),
        ("Given names", person.given_latin),
        ("Date of birth", f"{birth[4:]}.{birth[2:4]}.{person.birth.year}"),
        ("Sex / Nationality", f"{person.sex}   {state}"),
        ("Document No.", number),
        ("Date of expiry", f"{expiry[4:]}.{expiry[2:4]}.20{expiry[:2]}"),
    )
    for index, (label, value) in enumerate(rows):
        text(draw, (330, 120 + index * 80), label, 18, GREY, kind="latin")
        text(draw, (330, 142 + index * 80), value, 30, kind="latin", width=660)
    hologram(rng, image, (200, 330, 560, 620))
    return image


@styled
def id_card_back(rng: random.Random, person: Person) -> Image.Image:
    """The back of an ID card with its TD1 MRZ (3 x 30)."""
    state = person.nationality if person.nationality in _STATES else "UTO"
    number, birth, expiry = _card_fields(rng, person)
    image, draw = printed(rng, ID1, rng.choice(_CARD_PALETTES), phrase=state)
    text(
        draw,
        (30, 30),
        f"Address: {rng.randint(1, 99)} SAMPLE STREET, SPRINGFIELD",
        24,
        kind="latin",
    )
    text(draw, (30, 70), f"Date of issue: {icao_date(issue_date(rng))}", 24, kind="latin")
    lines = mrz.td1(_holder("I", state, person, number, birth, expiry))
    _mrz_lines(draw, lines, ID1[0], ID1[1] - 30)
    return image


@styled
def td2_card(rng: random.Random, person: Person) -> Image.Image:
    """An ID card or residence permit whose front carries a TD2 MRZ (2 x 36)."""
    state = person.nationality if person.nationality in _STATES else "UTO"
    name, title = _STATES[state]
    number, birth, expiry = _card_fields(rng, person)
    image, draw = printed(rng, (1240, 874), rng.choice(_CARD_PALETTES), phrase=name)  # ID-2
    text(draw, (40, 30), name, 34, kind="latin")
    text(draw, (40, 76), title, 24, GREY, kind="latin")
    paste_face(image, rng, (40, 140, 340, 530))
    rows = (
        ("Surname", person.surname_latin),
        ("Given names", person.given_latin),
        ("Date of birth", f"{birth[4:]}.{birth[2:4]}.{person.birth.year}"),
        ("Sex", person.sex),
        ("Document No.", number),
    )
    for index, (label, value) in enumerate(rows):
        text(draw, (380, 140 + index * 80), label, 20, GREY, kind="latin")
        text(draw, (380, 164 + index * 80), value, 32, kind="latin")
    lines = mrz.td2(_holder("I", state, person, number, birth, expiry))
    _mrz_lines(draw, lines, 1240, 874 - 40)
    return image
