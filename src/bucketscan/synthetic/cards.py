"""Japanese and foreign ID-1 cards and A4 notices, drawn specimen-like at 300 dpi."""

from __future__ import annotations

import datetime as dt
import io
import random

from PIL import Image, ImageDraw

from bucketscan.synthetic import numbers
from bucketscan.synthetic.draw import (
    A4,
    GREY,
    ID1,
    INK,
    ghost,
    paste_face,
    styled,
    text,
    vertical_text,
)
from bucketscan.synthetic.people import (
    Person,
    future_date,
    issue_date,
    seireki,
    wareki,
)
from bucketscan.synthetic.security import Palette, hologram, jitter, printed, tint

# 資格確認書 replace new insurance cards from 2024-12-02 (ID_FORMATS §0).
ELIGIBILITY_START = dt.date(2024, 12, 2)
# 公安委員会 code → prefecture, for licences whose number and issuer agree.
_COMMISSIONS = {
    10: "北海道",
    30: "東京都",
    43: "埼玉県",
    45: "神奈川県",
    54: "愛知県",
    62: "大阪府",
    91: "福岡県",
}
_LICENSE_CLASSES = (
    "大型", "中型", "準中型", "普通", "大特", "大自二", "普自二", "小特",
    "原付", "け引", "大二", "中二", "普二", "大特二", "け引二",
)  # fmt: skip
# Validity band of a licence: (holder class, band colour, years of validity, 優良 printed).
_LICENSE_BANDS = (
    ("優良", (222, 188, 84), 5, True),
    ("一般", (126, 168, 226), 5, False),
    ("一般", (126, 168, 226), 3, False),
    ("初回", (132, 200, 140), 3, False),
)
_US_STATES = ("CALIFORNIA", "NEW YORK", "TEXAS", "WASHINGTON", "OREGON", "ILLINOIS")
_RESIDENCE_STATUSES = (
    "技術・人文知識・国際業務", "永住者", "留学", "特定技能1号", "家族滞在", "定住者",
)  # fmt: skip
_WORK_LIMITS = ("就労制限なし", "在留資格に基づく就労活動のみ可", "就労不可")
_COMPANIES = ("株式会社サンプル商事", "架空システム株式会社", "テスト工業株式会社")
_INSURERS = ("全国健康保険協会 東京支部", "サンプル健康保険組合", "架空電機健康保険組合")

# Print palettes per card family: (gradient start, gradient end, guilloche ink, accent).
_PALETTES: dict[str, tuple[Palette, ...]] = {
    "my_number": (
        Palette((252, 248, 250), (244, 226, 236), (222, 184, 206), (196, 96, 146)),
        Palette((250, 250, 252), (236, 230, 246), (206, 196, 232), (150, 110, 190)),
        Palette((253, 251, 246), (246, 232, 228), (230, 196, 190), (190, 90, 110)),
    ),
    "notification": (
        Palette((240, 248, 236), (222, 238, 220), (190, 220, 188), (60, 130, 80)),
        Palette((244, 250, 240), (228, 242, 232), (200, 226, 206), (70, 140, 100)),
    ),
    "licence": (
        Palette((244, 248, 244), (226, 238, 230), (200, 222, 208), (90, 140, 110)),
        Palette((246, 248, 250), (228, 236, 242), (204, 218, 230), (90, 120, 160)),
    ),
    "residence": (
        Palette((244, 246, 252), (232, 236, 250), (206, 214, 240), (30, 60, 130)),
        Palette((246, 248, 250), (240, 230, 240), (214, 204, 226), (40, 70, 140)),
    ),
    "insurance": (
        Palette((236, 242, 252), (218, 230, 248), (196, 212, 240), (40, 60, 120)),
        Palette((252, 238, 240), (246, 220, 226), (236, 196, 206), (150, 50, 80)),
        Palette((254, 246, 230), (250, 232, 200), (240, 212, 170), (160, 90, 30)),
        Palette((238, 248, 238), (220, 240, 224), (196, 226, 204), (40, 110, 60)),
        Palette((244, 240, 252), (230, 224, 248), (210, 200, 238), (90, 60, 150)),
    ),
    "us": (
        Palette((236, 242, 250), (214, 228, 244), (190, 210, 236), (30, 70, 140)),
        Palette((246, 242, 232), (232, 224, 204), (214, 202, 176), (120, 60, 30)),
    ),
    "nric": (Palette((244, 234, 238), (232, 214, 224), (220, 196, 210), (170, 30, 40)),),
    "aadhaar": (Palette((255, 255, 255), (246, 246, 240), (232, 232, 224), (240, 140, 40)),),
}


def _split(value: str, width: int) -> list[str]:
    return [value[i : i + width] for i in range(0, len(value), width)] or [""]


def _wrapped(
    draw: ImageDraw.ImageDraw, xy: tuple[int, int], value: str, size: int, chars: int
) -> int:
    """Draw value in lines of at most `chars` characters; returns the y after the last line."""
    x, y = xy
    for line in _split(value, chars):
        text(draw, (x, y), line, size)
        y += int(size * 1.25)
    return y


def _rows(
    draw: ImageDraw.ImageDraw,
    rows: tuple[tuple[str, str], ...],
    origin: tuple[int, int],
    columns: tuple[int, int],
    sizes: tuple[int, int],
    pitch: int,
    width: int = 0,
) -> int:
    """Label/value rows: labels at columns[0], values at columns[1]; returns the y after them."""
    x_label, x_value = columns
    label_size, value_size = sizes
    y = origin[1]
    for label, value in rows:
        text(draw, (x_label, y + (value_size - label_size) // 2 + 2), label, label_size, GREY)
        text(draw, (x_value, y), value, value_size, width=(width - x_value) if width else None)
        y += pitch
    return y


def _card(
    rng: random.Random, family: str, **kwargs: str
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """An ID-1 card of a family's print palette."""
    return printed(rng, ID1, rng.choice(_PALETTES[family]), **kwargs)


def _validity(expiry: dt.date) -> str:
    return f"{expiry.year}年{expiry.month:>2}月{expiry.day:>2}日まで有効"


def _grouped(number: str) -> str:
    return f"{number[:4]} {number[4:8]} {number[8:]}"


@styled
def my_number_front(rng: random.Random, person: Person) -> Image.Image:
    """個人番号カード, face side: name, address, birth date, sex, validity, photo on the right."""
    if rng.random() < 0.2:
        return _my_number_front_next(rng, person)
    image, draw = _card(rng, "my_number", phrase="JAPAN INDIVIDUAL NUMBER CARD", emblem="flower")
    issued = issue_date(rng)
    expiry = future_date(issued, 10)
    accent = rng.choice(_PALETTES["my_number"]).accent
    text(draw, (40, 36), "氏名", 24, GREY)
    text(draw, (120, 28), person.name, 44, width=560)
    text(draw, (40, 110), "住所", 24, GREY)
    _wrapped(draw, (120, 106), person.address, 30, 19)
    text(draw, (40, 250), f"{wareki(person.birth)}生", 30)
    text(draw, (480, 250), "性別", 24, GREY)
    text(draw, (550, 246), person.sex_ja, 32)
    draw.rectangle((40, 310, 640, 370), outline=INK, width=2)
    text(draw, (60, 322), _validity(expiry), 30)
    text(draw, (40, 392), "電子証明書の有効期限", 22, GREY)
    draw.rectangle((290, 384, 640, 424), outline=GREY, width=1)
    text(draw, (300, 390), seireki(future_date(issued, 5)), 26)
    text(draw, (40, 440), "臓器提供意思　□有 □無", 22, GREY)
    text(draw, (40, 520), "個人番号カード", 44, accent)
    text(draw, (400, 534), f"{person.address[:3]}　○○市長", 26)
    text(draw, (720, 24), "セキュリティコード", 18, GREY)
    text(draw, (720, 470), "サインパネル領域", 16, GREY)
    draw.rectangle((720, 494, 970, 560), outline=GREY, width=1)
    paste_face(image, rng, (720, 120, 960, 440))
    return image


def _my_number_front_next(rng: random.Random, person: Person) -> Image.Image:
    """The next-generation face (2026): 日本国 JAPAN, kana and Roman name, Western birth date."""
    image, draw = _card(rng, "my_number", phrase="JAPAN", emblem="日本国")
    accent = rng.choice(_PALETTES["my_number"]).accent
    issued = issue_date(rng)
    text(draw, (36, 20), "日本国 JAPAN", 22, GREY)
    end = text(draw, (36, 50), "個人番号カード", 36, accent)
    text(draw, (end + 16, 64), "INDIVIDUAL NUMBER CARD", 18, accent, kind="latin")
    text(draw, (36, 128), "氏名", 22, GREY)
    if person.surname_kana:
        text(draw, (130, 108), f"{person.surname_kana}　{person.given_kana}", 18, GREY)
    text(draw, (130, 130), person.name, 42, width=560)
    text(draw, (130, 182), person.name_latin, 24, kind="latin", width=560)
    text(draw, (36, 236), "住所", 22, GREY)
    _wrapped(draw, (130, 230), person.address, 28, 20)
    text(draw, (36, 336), "生年月日", 22, GREY)
    text(draw, (150, 330), seireki(person.birth), 30)
    draw.rounded_rectangle((36, 390, 640, 446), radius=10, outline=INK, width=2)
    text(draw, (56, 402), _validity(future_date(issued, 10)), 28)
    text(draw, (36, 470), "電子証明書の有効期限", 20, GREY)
    text(draw, (270, 466), seireki(future_date(issued, 5)), 24)
    text(draw, (420, 570), f"{person.address[:3]}　○○市長", 24)
    paste_face(image, rng, (720, 130, 965, 450))
    return image


def _qr(payload: str, box: int) -> Image.Image:
    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=6, border=2)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").resize((box, box))


def _chip(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    """IC contacts: a gold rounded plate cut into pads."""
    left, top, right, bottom = box
    draw.rounded_rectangle(box, radius=14, fill=(212, 175, 90), outline=(150, 120, 50))
    for x in (left + (right - left) // 3, left + 2 * (right - left) // 3):
        draw.line((x, top, x, bottom), fill=(150, 120, 50), width=3)
    draw.line((left, (top + bottom) // 2, right, (top + bottom) // 2), fill=(150, 120, 50), width=3)


@styled
def my_number_back(rng: random.Random, person: Person, number: str) -> Image.Image:
    """個人番号カード, number side: 個人番号 NNNN NNNN NNNN, name, birth date, chip and QR code."""
    image, draw = _card(rng, "my_number", phrase="INDIVIDUAL NUMBER")
    text(draw, (40, 40), "個人番号", 28, GREY)
    text(draw, (200, 28), _grouped(number), 52, kind="latin", width=600)
    text(draw, (40, 140), "氏名", 24, GREY)
    text(draw, (120, 134), person.name, 38, width=600)
    text(draw, (40, 220), "生年月日", 24, GREY)
    text(draw, (160, 214), f"{wareki(person.birth)}生", 32)
    _chip(draw, (60, 330, 230, 460))
    draw.rectangle((726, 346, 984, 604), fill=(255, 255, 255))
    image.paste(_qr(number, 230), (740, 360))
    if rng.random() < 0.6:
        text(draw, (40, 560), "Individual Number Card", 24, GREY, kind="latin")
    return image


@styled
def notification_card(rng: random.Random, person: Person, number: str) -> Image.Image:
    """通知カード (paper, 2015-2020): number, name, address, birth date, sex; no photo."""
    image, draw = _card(rng, "notification", phrase="NOTIFICATION CARD", emblem="seal")
    text(draw, (40, 30), "通知カード", 44, (40, 110, 60))
    draw.rectangle((30, 96, 760, 160), outline=(90, 140, 100), width=2)
    text(draw, (40, 112), "個人番号", 24, GREY)
    text(draw, (200, 102), _grouped(number), 46, kind="latin", width=540)
    text(draw, (40, 190), "氏名", 24, GREY)
    text(draw, (130, 182), person.name, 38, width=620)
    text(draw, (40, 260), "住所", 24, GREY)
    y = _wrapped(draw, (130, 256), person.address, 28, 22)
    text(draw, (40, y + 20), "生年月日", 24, GREY)
    text(draw, (170, y + 14), f"{wareki(person.birth)}生", 30)
    text(draw, (620, y + 20), "性別", 24, GREY)
    text(draw, (690, y + 14), person.sex_ja, 30)
    text(draw, (40, 560), f"{seireki(issue_date(rng))}　発行　○○市長", 24)
    return image


def _paper(rng: random.Random) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """An A4 sheet of white or slightly tinted office paper."""
    return tint(rng, A4, rng.choice(((255, 255, 255), (252, 252, 248), (250, 251, 253))))


@styled
def notification_letter(rng: random.Random, person: Person, number: str) -> Image.Image:
    """個人番号通知書 (A4 letter since 2020-05-25)."""
    image, draw = _paper(rng)
    dx, dy = rng.randint(-30, 30), rng.randint(-30, 40)
    text(draw, (120 + dx, 120 + dy), f"〒{person.postal}", 28)
    text(draw, (120 + dx, 160 + dy), person.address, 28, width=900)
    text(draw, (120 + dx, 210 + dy), f"{person.name}　様", 36)
    text(draw, (400, 360 + dy), "個人番号通知書", 60)
    text(draw, (120, 480 + dy), "あなたの個人番号（マイナンバー）をお知らせします。", 30)
    top0 = 560 + dy
    draw.rectangle((120, top0, 1120, top0 + 340), outline=INK, width=3)
    rows = (
        ("個人番号", _grouped(number)),
        ("氏名", person.name),
        ("生年月日", f"{wareki(person.birth)}生"),
        ("性別", person.sex_ja),
    )
    for index, (label, value) in enumerate(rows):
        top = top0 + index * 85
        draw.line((120, top, 1120, top), fill=INK, width=2)
        text(draw, (150, top + 25), label, 30)
        text(draw, (420, top + 20), value, 38, width=680)
    draw.line((390, top0, 390, top0 + 340), fill=INK, width=2)
    notes = (
        "※この通知書は、個人番号を証明する書類や身分証明書として利用することはできません。",
        "※個人番号カードの交付を申請する場合は、同封の申請書をご利用ください。",
        "※個人番号は大切に保管してください。",
    )
    for index, note in enumerate(notes):
        text(draw, (120, top0 + 400 + index * 50), note, 24, width=1000)
    text(draw, (700, 1500), f"{seireki(issue_date(rng))}", 28)
    text(draw, (700, 1550), f"{person.address[:3]}○○市長", 30)
    return image


@styled
def drivers_license_jp(rng: random.Random, person: Person) -> Image.Image:
    """運転免許証: 第NNNNNNNNNNNN号, validity band, 種類 grid, 公安委員会, photo on the right."""
    code = rng.choice(sorted(_COMMISSIONS))
    number = numbers.drivers_license_number(rng, code)
    _holder, band, years, excellent = rng.choice(_LICENSE_BANDS)
    image, draw = _card(rng, "licence", phrase="JAPAN DRIVER LICENSE", emblem="flower")
    issued = issue_date(rng)
    expiry = future_date(issued, years)
    text(draw, (30, 24), "氏名", 22, GREY)
    text(draw, (100, 18), person.name, 36, kind="bold", width=440)
    text(draw, (560, 24), f"{wareki(person.birth)}生", 26, width=420)
    draw.line((20, 70, 990, 70), fill=GREY, width=1)
    text(draw, (30, 84), "本籍", 22, GREY)
    draw.line((20, 116, 700, 116), fill=GREY, width=1)
    text(draw, (30, 128), "住所", 22, GREY)
    text(draw, (100, 122), person.address[:26], 28, width=880)
    draw.line((20, 160, 990, 160), fill=GREY, width=1)
    text(draw, (30, 172), "交付", 22, GREY)
    text(draw, (100, 166), f"{wareki(issued)}　{rng.randint(10000, 99999)}", 28)
    draw.rectangle((20, 214, 700, 270), fill=jitter(rng, band, 8))
    era_expiry = wareki(expiry).split("年")[0]
    text(
        draw,
        (36, 224),
        f"{expiry.year}年({era_expiry}年){expiry.month:02d}月{expiry.day:02d}日まで有効",
        30,
        width=650,
    )
    draw.rectangle((20, 278, 700, 340), outline=GREY, width=1)
    text(draw, (30, 286), "免許の", 20, GREY)
    text(draw, (30, 308), "条件等", 20, GREY)
    text(draw, (110, 290), rng.choice(("眼鏡等", "AT車に限る", "")), 28)
    if excellent:
        text(draw, (560, 286), "優良", 34, (160, 120, 20))
    text(draw, (30, 364), "番号", 22, GREY)
    text(draw, (100, 352), f"第 {number} 号", 36, width=600)
    rows = (("二・小・原", wareki(issue_date(rng))), ("他", wareki(issued)), ("二種", ""))
    for index, (label, value) in enumerate(rows):
        text(draw, (70, 412 + index * 36), label, 22, GREY)
        text(draw, (220, 408 + index * 36), value, 24)
    vertical_text(draw, (24, 404), "運転免許証", 32)
    held = set(rng.sample(range(len(_LICENSE_CLASSES)), 2)) | {3}
    for index, name in enumerate(_LICENSE_CLASSES):
        left, top = 70 + (index % 8) * 78, 530 + (index // 8) * 48
        draw.rectangle((left, top, left + 78, top + 48), outline=INK, width=1)
        text(draw, (left + 6, top + 12), name if index in held else "－", 20, width=66)
    text(draw, (720, 560), f"{_COMMISSIONS[code]}公安委員会", 28, width=220)
    draw.rectangle((945, 520, 995, 570), outline=(200, 40, 40), width=3)
    paste_face(image, rng, (730, 190, 975, 510))
    return image


@styled
def residence_card(rng: random.Random, person: Person) -> Image.Image:
    """在留カード RESIDENCE CARD (or 特別永住者証明書): bilingual labels, number, photo right."""
    special = rng.random() < 0.15
    image, draw = _card(rng, "residence", phrase="MINISTRY OF JUSTICE JAPAN", emblem="seal")
    blue = (30, 60, 130)
    issued = issue_date(rng)
    expiry = future_date(issued, 7 if special else rng.choice((1, 3, 5)))
    text(draw, (30, 18), "日本国政府", 18, GREY)
    if special:
        text(draw, (30, 40), "特別永住者証明書", 34, blue)
        text(draw, (30, 80), "SPECIAL PERMANENT RESIDENT CERTIFICATE", 14, blue, kind="latin")
    else:
        text(draw, (30, 40), "在留カード", 40, blue)
        text(draw, (240, 54), "RESIDENCE CARD", 24, blue, kind="latin")
    text(draw, (560, 26), "番号 NUMBER", 16, GREY)
    text(draw, (680, 18), numbers.residence_card_number(rng), 34, kind="latin", width=310)
    text(draw, (30, 112), "氏名", 18, GREY)
    text(draw, (30, 132), "NAME", 12, GREY, kind="latin")
    text(draw, (110, 106), person.name_latin, 34, kind="latin", width=600)
    text(draw, (30, 164), "生年月日 DATE OF BIRTH", 14, GREY)
    text(draw, (30, 184), f"{person.birth:%Y年%m月%d日}", 26)
    text(draw, (270, 164), "性別 SEX", 14, GREY)
    text(draw, (270, 184), f"{person.sex_ja} {person.sex}.", 26)
    text(draw, (400, 164), "国籍・地域 NATIONALITY/REGION", 14, GREY)
    text(draw, (400, 184), person.nationality_ja, 26, width=310)
    text(draw, (30, 234), "住居地 ADDRESS", 14, GREY)
    text(draw, (30, 254), person.address, 24, width=680)
    y = 300
    if not special:
        rows = (
            ("在留資格 STATUS", rng.choice(_RESIDENCE_STATUSES)),
            ("就労制限の有無", rng.choice(_WORK_LIMITS)),
        )
        for label, value in rows:
            draw.line((20, y - 4, 710, y - 4), fill=(180, 190, 220), width=1)
            text(draw, (30, y + 8), label, 15, GREY)
            text(draw, (250, y), value, 28, width=460)
            y += 50
        text(draw, (30, y + 2), "在留期間(満了日)", 15, GREY)
        text(draw, (30, y + 22), "PERIOD OF STAY (DATE OF EXPIRATION)", 11, GREY, kind="latin")
        text(draw, (330, y), f"{rng.choice((1, 3, 5))}年 ({expiry:%Y年%m月%d日})", 26)
        y += 56
        text(draw, (30, y), "許可の種類 在留期間更新許可", 18, width=330)
        text(draw, (380, y), f"許可年月日 {issued:%Y年%m月%d日}", 18)
        y += 30
    text(draw, (380, y), f"交付年月日 {issued:%Y年%m月%d日}", 18)
    band = jitter(rng, blue, 10)
    draw.rectangle((20, 560, 700, 620), fill=band)
    validity = f"このカードは {expiry:%Y年%m月%d日} まで有効 です。"
    text(draw, (36, 568), validity, 24, (255, 255, 255), width=650)
    text(draw, (36, 596), "PERIOD OF VALIDITY OF THIS CARD", 14, (255, 255, 255), kind="latin")
    text(draw, (730, 566), rng.choice(("法務大臣", "出入国在留管理庁長官")), 24, width=190)
    draw.ellipse((934, 548, 994, 608), outline=(200, 40, 40), width=3)
    paste_face(image, rng, (740, 100, 975, 410))
    hologram(rng, image, (640, 330, 930, 540))
    return image


@styled
def insurance_card(rng: random.Random, person: Person) -> Image.Image:
    """健康保険被保険者証 (ID-1): 記号, 番号, 保険者番号 with a Luhn check digit; no photo."""
    if rng.random() < 0.3:
        return _kokuho_card(rng, person)
    palette = rng.choice(_PALETTES["insurance"])
    image, draw = printed(rng, ID1, palette, phrase="HEALTH INSURANCE")
    text(draw, (30, 24), "健康保険被保険者証", 36, palette.accent)
    text(draw, (640, 32), rng.choice(("本人（被保険者）", "家族（被扶養者）")), 26)
    text(draw, (30, 80), f"{seireki(issue_date(rng))}交付", 22)
    text(draw, (30, 122), "記号", 22, GREY)
    text(draw, (100, 114), f"{rng.randint(100, 99999)}", 32, kind="latin")
    text(draw, (320, 122), "番号", 22, GREY)
    text(draw, (390, 114), f"{rng.randint(1, 9999)}", 32, kind="latin")
    text(draw, (560, 122), "枝番", 22, GREY)
    text(draw, (630, 114), f"{rng.randint(0, 3):02d}", 32, kind="latin")
    rows = (
        ("氏名", person.name),
        ("生年月日", f"{wareki(person.birth)}　性別 {person.sex_ja}"),
        ("資格取得年月日", wareki(issue_date(rng))),
        ("事業所名称", rng.choice(_COMPANIES)),
        ("保険者番号", numbers.insurer_number(rng)),
        ("保険者名称", rng.choice(_INSURERS)),
    )
    _rows(draw, rows, (30, 180), (30, 240), (22, 30), 62, width=980)
    return image


def _kokuho_card(rng: random.Random, person: Person) -> Image.Image:
    """国民健康保険被保険者証: 6-digit 保険者番号, 世帯主, 住所, 有効期限; no photo."""
    palette = rng.choice(_PALETTES["insurance"])
    image, draw = printed(rng, ID1, palette, phrase="NATIONAL HEALTH INSURANCE")
    issued = issue_date(rng)
    text(draw, (30, 20), "国民健康保険被保険者証", 34, palette.accent)
    text(draw, (640, 28), f"有効期限 {wareki(future_date(issued, 2))}", 20, width=360)
    text(draw, (30, 72), "記号", 20, GREY)
    text(draw, (90, 66), f"{person.address[:2]}{rng.randint(1, 99)}", 28)
    text(draw, (300, 72), "番号", 20, GREY)
    text(draw, (360, 66), f"{rng.randint(1000, 99999)}", 28, kind="latin")
    text(draw, (560, 72), "枝番", 20, GREY)
    text(draw, (620, 66), f"{rng.randint(0, 3):02d}", 28, kind="latin")
    rows = (
        ("氏名", person.name),
        ("生年月日", f"{wareki(person.birth)}　性別 {person.sex_ja}"),
        ("住所", person.address),
        ("世帯主氏名", person.name),
        ("資格取得年月日", wareki(issue_date(rng))),
        ("交付年月日", wareki(issued)),
        ("保険者番号", numbers.insurer_number_kokuho(rng)),
        ("保険者名称", f"{person.address[:3]}○○市"),
    )
    _rows(draw, rows, (30, 118), (30, 220), (20, 26), 56, width=990)
    return image


@styled
def eligibility_letter(rng: random.Random, person: Person) -> Image.Image:
    """資格確認書 (A4, issued instead of the insurance card since 2024-12)."""
    image, draw = _paper(rng)
    text(draw, (460, 120), "資格確認書", 64)
    issued = ELIGIBILITY_START + dt.timedelta(days=rng.randint(0, 364))
    text(draw, (900, 220), f"交付年月日 {seireki(issued)}", 24, width=320)
    rows = (
        ("記号", str(rng.randint(100, 99999))),
        ("番号", str(rng.randint(1, 9999))),
        ("枝番", f"{rng.randint(0, 3):02d}"),
        ("氏名", person.name),
        ("生年月日", f"{wareki(person.birth)}"),
        ("性別", person.sex_ja),
        ("資格取得年月日", wareki(issue_date(rng))),
        ("一部負担金の割合", "3割"),
        ("保険者番号", numbers.insurer_number(rng)),
        ("保険者名称", "全国健康保険協会"),
        ("有効期限", seireki(future_date(issued, rng.randint(1, 5)))),
    )
    top0 = 300 + rng.randint(-20, 30)
    pitch = rng.choice((84, 90, 96))
    draw.rectangle((120, top0, 1120, top0 + pitch * len(rows)), outline=INK, width=3)
    for index, (label, value) in enumerate(rows):
        top = top0 + index * pitch
        draw.line((120, top, 1120, top), fill=INK, width=2)
        text(draw, (150, top + pitch // 3), label, 30, width=290)
        text(draw, (480, top + pitch // 4), value, 38, width=620)
    draw.line((450, top0, 450, top0 + pitch * len(rows)), fill=INK, width=2)
    text(
        draw,
        (120, top0 + pitch * len(rows) + 90),
        "※この資格確認書は、医療機関等の窓口で提示してください。",
        26,
    )
    return image


@styled
def drivers_license_us(rng: random.Random, person: Person) -> Image.Image:
    """A US driver's licence front: state, DRIVER LICENSE, DL, CLASS, DOB, EXP, face on the left."""
    state = rng.choice(_US_STATES)
    palette = rng.choice(_PALETTES["us"])
    image, draw = printed(rng, ID1, palette, phrase=f"{state} DMV", emblem="seal")
    draw.rectangle((0, 0, ID1[0], 90), fill=jitter(rng, palette.accent, 10))
    text(draw, (30, 14), state, 52, (255, 255, 255), kind="latin", width=580)
    text(draw, (640, 30), "DRIVER LICENSE", 36, (255, 230, 120), kind="latin", width=350)
    paste_face(image, rng, (30, 130, 300, 490))
    issued = issue_date(rng)
    rows = (
        ("DL", f"{rng.choice('ABDFGY')}{rng.randint(1000000, 9999999)}"),
        ("EXP", future_date(issued, 5).strftime("%m/%d/%Y")),
        ("LN", person.surname_latin),
        ("FN", person.given_latin),
        ("DOB", person.birth.strftime("%m/%d/%Y")),
        ("ADDR", f"{rng.randint(100, 9999)} SAMPLE ST, SPRINGFIELD"),
        ("CLASS", "C"),
        ("SEX", person.sex),
        ("ISS", issued.strftime("%m/%d/%Y")),
    )
    y = 110
    for label, value in rows:
        text(draw, (340, y + 8), label, 22, (150, 30, 30), kind="latin")
        text(draw, (440, y), value, 32, kind="latin", width=540)
        y += 50
    text(draw, (340, 570), "RESTR NONE   END NONE", 22, kind="latin")
    text(draw, (30, 560), "USA", 40, palette.accent, kind="latin")
    if rng.random() < 0.6:
        ghost(image, rng, (840, 430, 960, 580))
    hologram(rng, image, (300, 300, 700, 620))
    return image


@styled
def aadhaar_card(rng: random.Random, person: Person) -> Image.Image:
    """An Indian Aadhaar card front (English labels, Verhoeff-valid number, photo on the left)."""
    number = numbers.aadhaar_number(rng)
    image, draw = _card(rng, "aadhaar", emblem="seal")
    draw.rectangle((0, 0, ID1[0], 70), fill=jitter(rng, (240, 140, 40), 8))
    text(draw, (300, 16), "Government of India", 36, (255, 255, 255), kind="latin")
    paste_face(image, rng, (40, 120, 280, 430))
    rows = (
        person.name_latin.title(),
        f"DOB: {person.birth:%d/%m/%Y}",
        "Female" if person.sex == "F" else "Male",
    )
    for index, row in enumerate(rows):
        text(draw, (320, 140 + index * 60), row, 32, kind="latin", width=660)
    text(draw, (250, 500), _grouped(number), 56, kind="latin", width=560)
    draw.rectangle((0, 590, ID1[0], 638), fill=jitter(rng, (200, 30, 30), 8))
    text(draw, (300, 596), "Aadhaar - Aam Aadmi ka Adhikar", 28, (255, 255, 255), kind="latin")
    return image


@styled
def nric_card(rng: random.Random, person: Person) -> Image.Image:
    """A Singapore NRIC front (IDENTITY CARD NO., name, race, date of birth, photo on the left)."""
    image, draw = _card(rng, "nric", phrase="REPUBLIC OF SINGAPORE", emblem="flower")
    text(draw, (30, 20), "REPUBLIC OF SINGAPORE", 40, (170, 30, 40), kind="latin", width=700)
    text(draw, (330, 90), "IDENTITY CARD NO.", 22, GREY, kind="latin")
    text(draw, (600, 82), numbers.nric_sg(rng), 34, kind="latin", width=380)
    paste_face(image, rng, (30, 90, 290, 430))
    rows = (
        ("Name", person.name_latin),
        ("Race", "CHINESE"),
        ("Date of birth", f"{person.birth:%d-%m-%Y}"),
        ("Sex", person.sex),
        ("Country/Place of birth", "SINGAPORE"),
    )
    y = 150
    for label, value in rows:
        text(draw, (330, y), label, 20, GREY, kind="latin")
        text(draw, (330, y + 24), value, 30, kind="latin", width=650)
        y += 80
    hologram(rng, image, (20, 300, 320, 600))
    return image
