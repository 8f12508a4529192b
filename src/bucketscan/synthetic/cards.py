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
    canvas,
    paste_face,
    security_pattern,
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
_US_STATES = ("CALIFORNIA", "NEW YORK", "TEXAS", "WASHINGTON", "OREGON", "ILLINOIS")


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


def my_number_front(rng: random.Random, person: Person) -> Image.Image:
    """個人番号カード, face side: name, address, birth date, sex, validity, photo on the right."""
    image, draw = canvas(ID1, (250, 244, 246))
    security_pattern(draw, rng, ID1, (238, 222, 230))
    issued = issue_date(rng)
    expiry = future_date(issued, 10)
    text(draw, (40, 36), "氏名", 24, GREY)
    text(draw, (120, 28), person.name, 44)
    text(draw, (40, 110), "住所", 24, GREY)
    _wrapped(draw, (120, 106), person.address, 30, 19)
    text(draw, (40, 250), f"{wareki(person.birth)}生", 30)
    text(draw, (480, 250), "性別", 24, GREY)
    text(draw, (550, 246), person.sex_ja, 32)
    draw.rectangle((40, 310, 640, 370), outline=INK, width=2)
    text(draw, (60, 322), f"{expiry.year}年{expiry.month:>2}月{expiry.day:>2}日まで有効", 30)
    text(draw, (40, 392), "電子証明書の有効期限", 22, GREY)
    text(draw, (300, 388), seireki(future_date(issued, 5)), 26)
    text(draw, (40, 440), "臓器提供意思　□有 □無", 22, GREY)
    text(draw, (40, 520), "個人番号カード", 44, (150, 40, 80))
    text(draw, (400, 534), f"{person.address[:3]}　○○市長", 26)
    text(draw, (720, 24), "セキュリティコード", 18, GREY)
    paste_face(image, rng, (720, 120, 960, 440))
    return image


def _qr(payload: str, box: int) -> Image.Image:
    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=6, border=2)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").resize((box, box))


def my_number_back(rng: random.Random, person: Person, number: str) -> Image.Image:
    """個人番号カード, number side: 個人番号 NNNN NNNN NNNN, name, birth date, chip and QR code."""
    image, draw = canvas(ID1, (248, 246, 250))
    security_pattern(draw, rng, ID1, (232, 228, 240))
    text(draw, (40, 40), "個人番号", 28, GREY)
    text(draw, (200, 28), f"{number[:4]} {number[4:8]} {number[8:]}", 52, kind="latin")
    text(draw, (40, 140), "氏名", 24, GREY)
    text(draw, (120, 134), person.name, 38)
    text(draw, (40, 220), "生年月日", 24, GREY)
    text(draw, (160, 214), f"{wareki(person.birth)}生", 32)
    draw.rounded_rectangle(
        (60, 330, 230, 460), radius=14, fill=(212, 175, 90), outline=(150, 120, 50)
    )
    for x in (115, 175):
        draw.line((x, 330, x, 460), fill=(150, 120, 50), width=3)
    draw.line((60, 395, 230, 395), fill=(150, 120, 50), width=3)
    image.paste(_qr(number, 230), (740, 360))
    text(draw, (40, 560), "Individual Number Card", 24, GREY, kind="latin")
    return image


def notification_card(rng: random.Random, person: Person, number: str) -> Image.Image:
    """通知カード (paper, 2015-2020): number, name, address, birth date, sex; no photo."""
    image, draw = canvas(ID1, (236, 246, 232))
    security_pattern(draw, rng, ID1, (214, 232, 210))
    text(draw, (40, 30), "通知カード", 44, (40, 110, 60))
    text(draw, (40, 110), "個人番号", 24, GREY)
    text(draw, (200, 100), f"{number[:4]} {number[4:8]} {number[8:]}", 46, kind="latin")
    text(draw, (40, 190), "氏名", 24, GREY)
    text(draw, (130, 182), person.name, 38)
    text(draw, (40, 260), "住所", 24, GREY)
    y = _wrapped(draw, (130, 256), person.address, 28, 26)
    text(draw, (40, y + 20), "生年月日", 24, GREY)
    text(draw, (170, y + 14), f"{wareki(person.birth)}生", 30)
    text(draw, (620, y + 20), "性別", 24, GREY)
    text(draw, (690, y + 14), person.sex_ja, 30)
    text(draw, (40, 560), f"{seireki(issue_date(rng))}　発行　○○市長", 24)
    return image


def notification_letter(rng: random.Random, person: Person, number: str) -> Image.Image:
    """個人番号通知書 (A4 letter since 2020-05-25)."""
    image, draw = canvas(A4, (255, 255, 255))
    text(draw, (120, 120), f"〒{person.postal}", 28)
    text(draw, (120, 160), person.address, 28)
    text(draw, (120, 210), f"{person.name}　様", 36)
    text(draw, (400, 360), "個人番号通知書", 60)
    text(draw, (120, 480), "あなたの個人番号（マイナンバー）をお知らせします。", 30)
    draw.rectangle((120, 560, 1120, 900), outline=INK, width=3)
    rows = (
        ("個人番号", f"{number[:4]} {number[4:8]} {number[8:]}"),
        ("氏名", person.name),
        ("生年月日", f"{wareki(person.birth)}生"),
        ("性別", person.sex_ja),
    )
    for index, (label, value) in enumerate(rows):
        top = 560 + index * 85
        draw.line((120, top, 1120, top), fill=INK, width=2)
        text(draw, (150, top + 25), label, 30)
        text(draw, (420, top + 20), value, 38)
    draw.line((390, 560, 390, 900), fill=INK, width=2)
    notes = (
        "※この通知書は、個人番号を証明する書類や身分証明書として利用することはできません。",
        "※個人番号カードの交付を申請する場合は、同封の申請書をご利用ください。",
        "※個人番号は大切に保管してください。",
    )
    for index, note in enumerate(notes):
        text(draw, (120, 960 + index * 50), note, 24)
    text(draw, (700, 1500), f"{seireki(issue_date(rng))}", 28)
    text(draw, (700, 1550), f"{person.address[:3]}○○市長", 30)
    return image


def drivers_license_jp(rng: random.Random, person: Person) -> Image.Image:
    """運転免許証: 第NNNNNNNNNNNN号, validity band, 種類 grid, 公安委員会, photo on the right."""
    code = rng.choice(sorted(_COMMISSIONS))
    number = numbers.drivers_license_number(rng, code)
    band = rng.choice(((230, 200, 90), (140, 180, 230), (150, 210, 150)))
    image, draw = canvas(ID1, (246, 248, 246))
    security_pattern(draw, rng, ID1, (226, 236, 226))
    issued = issue_date(rng)
    expiry = future_date(issued, rng.choice((3, 5)))
    text(draw, (30, 24), "氏名", 22, GREY)
    text(draw, (100, 18), person.name, 36)
    text(draw, (560, 24), f"{wareki(person.birth)}生", 26)
    draw.line((20, 70, 990, 70), fill=GREY, width=1)
    text(draw, (30, 84), "本籍", 22, GREY)
    text(draw, (30, 128), "住所", 22, GREY)
    text(draw, (100, 122), person.address[:26], 28)
    text(draw, (30, 172), "交付", 22, GREY)
    text(draw, (100, 166), f"{wareki(issued)}　{rng.randint(10000, 99999)}", 28)
    draw.rectangle((20, 214, 700, 270), fill=band)
    era_expiry = wareki(expiry).split("年")[0]
    text(
        draw,
        (36, 224),
        f"{expiry.year}年({era_expiry}年){expiry.month:02d}月{expiry.day:02d}日まで有効",
        30,
    )
    text(draw, (30, 286), "免許の", 20, GREY)
    text(draw, (30, 308), "条件等", 20, GREY)
    text(draw, (110, 290), rng.choice(("眼鏡等", "AT車に限る", "")), 28)
    if rng.random() < 0.5:
        text(draw, (560, 286), "優良", 34, (160, 120, 20))
    text(draw, (30, 364), "番号", 22, GREY)
    text(draw, (100, 352), f"第 {number} 号", 36)
    rows = (("二・小・原", wareki(issue_date(rng))), ("他", wareki(issued)), ("二種", ""))
    for index, (label, value) in enumerate(rows):
        text(draw, (70, 412 + index * 36), label, 22, GREY)
        text(draw, (220, 408 + index * 36), value, 24)
    vertical_text(draw, (24, 404), "運転免許証", 32)
    held = set(rng.sample(range(len(_LICENSE_CLASSES)), 2)) | {3}
    for index, name in enumerate(_LICENSE_CLASSES):
        left, top = 70 + (index % 8) * 78, 530 + (index // 8) * 48
        draw.rectangle((left, top, left + 78, top + 48), outline=INK, width=1)
        text(draw, (left + 6, top + 12), name if index in held else "－", 20)
    text(draw, (720, 560), f"{_COMMISSIONS[code]}公安委員会", 28)
    draw.rectangle((945, 520, 995, 570), outline=(200, 40, 40), width=3)
    paste_face(image, rng, (730, 190, 975, 510))
    return image


def residence_card(rng: random.Random, person: Person) -> Image.Image:
    """在留カード RESIDENCE CARD with bilingual labels, card number top-right and photo."""
    image, draw = canvas(ID1, (242, 246, 252))
    security_pattern(draw, rng, ID1, (222, 230, 244))
    issued = issue_date(rng)
    expiry = future_date(issued, rng.choice((1, 3, 5)))
    text(draw, (30, 18), "日本国政府", 20, GREY)
    text(draw, (30, 42), "在留カード", 40, (30, 60, 130))
    text(draw, (240, 54), "RESIDENCE CARD", 24, (30, 60, 130), kind="latin")
    text(draw, (560, 26), "番号 NUMBER", 18, GREY, kind="gothic")
    text(draw, (690, 18), numbers.residence_card_number(rng), 34, kind="latin")
    rows: tuple[tuple[str, str], ...] = (
        ("氏名 NAME", person.name_latin),
        ("生年月日 DATE OF BIRTH", f"{person.birth:%Y年%m月%d日}"),
        ("性別 SEX", f"{person.sex_ja} {person.sex}."),
        ("国籍・地域 NATIONALITY/REGION", person.nationality_ja),
        ("住居地 ADDRESS", person.address[:24]),
    )
    y = 100
    for label, value in rows:
        text(draw, (30, y + 6), label, 16, GREY)
        text(draw, (330, y), value, 28)
        y += 46
    status = rng.choice(
        ("技術・人文知識・国際業務", "永住者", "留学", "特定技能1号", "家族滞在", "定住者")
    )
    text(draw, (30, y + 6), "在留資格 STATUS", 16, GREY)
    text(draw, (330, y), status, 28)
    y += 46
    text(draw, (30, y + 6), "就労制限の有無", 16, GREY)
    text(
        draw,
        (330, y),
        rng.choice(("就労制限なし", "在留資格に基づく就労活動のみ可", "就労不可")),
        26,
    )
    y += 46
    text(draw, (30, y + 2), "在留期間(満了日)", 16, GREY)
    text(draw, (30, y + 20), "PERIOD OF STAY (DATE OF EXPIRATION)", 12, GREY, kind="latin")
    text(draw, (330, y), f"{rng.choice((1, 3, 5))}年 ({expiry:%Y年%m月%d日})", 26)
    y += 50
    text(draw, (30, y), f"許可の種類 在留期間更新許可　許可年月日 {issued:%Y年%m月%d日}", 18)
    text(draw, (30, y + 28), f"交付年月日 {issued:%Y年%m月%d日}", 18)
    draw.rectangle((20, 560, 700, 620), fill=(30, 60, 130))
    text(
        draw, (36, 568), f"このカードは {expiry:%Y年%m月%d日} まで有効 です。", 24, (255, 255, 255)
    )
    text(draw, (36, 596), "PERIOD OF VALIDITY OF THIS CARD", 14, (255, 255, 255), kind="latin")
    text(draw, (740, 560), "法務大臣", 26)
    paste_face(image, rng, (740, 120, 975, 430))
    return image


def insurance_card(rng: random.Random, person: Person) -> Image.Image:
    """健康保険被保険者証 (ID-1): 記号, 番号, 保険者番号 with a Luhn check digit; no photo."""
    image, draw = canvas(ID1, (236, 240, 250))
    security_pattern(draw, rng, ID1, (220, 226, 242))
    text(draw, (30, 24), "健康保険被保険者証", 36, (40, 60, 120))
    text(draw, (640, 32), "本人（被保険者）", 26)
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
        (
            "事業所名称",
            rng.choice(("株式会社サンプル商事", "架空システム株式会社", "テスト工業株式会社")),
        ),
        ("保険者番号", numbers.insurer_number(rng)),
        ("保険者名称", rng.choice(("全国健康保険協会 東京支部", "サンプル健康保険組合"))),
    )
    y = 180
    for label, value in rows:
        text(draw, (30, y + 6), label, 22, GREY)
        text(draw, (240, y), value, 30)
        y += 62
    return image


def eligibility_letter(rng: random.Random, person: Person) -> Image.Image:
    """資格確認書 (A4, issued instead of the insurance card since 2024-12)."""
    image, draw = canvas(A4, (252, 252, 248))
    security_pattern(draw, rng, A4, (238, 238, 226))
    text(draw, (460, 120), "資格確認書", 64)
    issued = ELIGIBILITY_START + dt.timedelta(days=rng.randint(0, 364))
    text(draw, (900, 220), f"交付年月日 {seireki(issued)}", 24)
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
    draw.rectangle((120, 300, 1120, 300 + 90 * len(rows)), outline=INK, width=3)
    for index, (label, value) in enumerate(rows):
        top = 300 + index * 90
        draw.line((120, top, 1120, top), fill=INK, width=2)
        text(draw, (150, top + 30), label, 30)
        text(draw, (480, top + 24), value, 38)
    draw.line((450, 300, 450, 300 + 90 * len(rows)), fill=INK, width=2)
    text(draw, (120, 1380), "※この資格確認書は、医療機関等の窓口で提示してください。", 26)
    return image


def drivers_license_us(rng: random.Random, person: Person) -> Image.Image:
    """A US driver's licence front: state, DRIVER LICENSE, DL, CLASS, DOB, EXP, face on the left."""
    state = rng.choice(_US_STATES)
    image, draw = canvas(ID1, (236, 242, 248))
    security_pattern(draw, rng, ID1, (214, 226, 240))
    draw.rectangle((0, 0, ID1[0], 90), fill=(30, 70, 140))
    text(draw, (30, 14), state, 52, (255, 255, 255), kind="latin")
    text(draw, (640, 30), "DRIVER LICENSE", 36, (255, 230, 120), kind="latin")
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
        text(draw, (440, y), value, 32, kind="latin")
        y += 50
    text(draw, (340, 570), "RESTR NONE   END NONE", 22, kind="latin")
    text(draw, (30, 560), "USA", 40, (30, 70, 140), kind="latin")
    return image


def aadhaar_card(rng: random.Random, person: Person) -> Image.Image:
    """An Indian Aadhaar card front (English labels, Verhoeff-valid number, photo on the left)."""
    number = numbers.aadhaar_number(rng)
    image, draw = canvas(ID1, (255, 255, 255))
    draw.rectangle((0, 0, ID1[0], 70), fill=(240, 140, 40))
    text(draw, (300, 16), "Government of India", 36, (255, 255, 255), kind="latin")
    paste_face(image, rng, (40, 120, 280, 430))
    rows = (
        person.name_latin.title(),
        f"DOB: {person.birth:%d/%m/%Y}",
        "Female" if person.sex == "F" else "Male",
    )
    for index, row in enumerate(rows):
        text(draw, (320, 140 + index * 60), row, 32, kind="latin")
    text(draw, (250, 500), f"{number[:4]} {number[4:8]} {number[8:]}", 56, kind="latin")
    draw.rectangle((0, 590, ID1[0], 638), fill=(200, 30, 30))
    text(draw, (300, 596), "Aadhaar - Aam Aadmi ka Adhikar", 28, (255, 255, 255), kind="latin")
    return image


def nric_card(rng: random.Random, person: Person) -> Image.Image:
    """A Singapore NRIC front (IDENTITY CARD NO., name, race, date of birth, photo on the left)."""
    image, draw = canvas(ID1, (240, 232, 236))
    security_pattern(draw, rng, ID1, (226, 210, 220))
    text(draw, (30, 20), "REPUBLIC OF SINGAPORE", 40, (170, 30, 40), kind="latin")
    text(draw, (330, 90), "IDENTITY CARD NO.", 22, GREY, kind="latin")
    text(draw, (600, 82), numbers.nric_sg(rng), 34, kind="latin")
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
        text(draw, (330, y + 24), value, 30, kind="latin")
        y += 80
    return image
