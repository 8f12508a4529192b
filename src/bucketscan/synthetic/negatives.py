"""Hard negatives: files that look ID- or résumé-like but hold no one's document."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from bucketscan.synthetic import numbers
from bucketscan.synthetic.camera import texture
from bucketscan.synthetic.draw import GREY, ID1, paste_face, styled, text
from bucketscan.synthetic.forms import Form
from bucketscan.synthetic.people import Person
from bucketscan.synthetic.security import Palette, printed, tint

_SHOPS = ("サンプルマート", "架空ドラッグ", "見本書店", "テストカフェ")
_ITEMS = (
    "コピー用紙 A4",
    "トナーカートリッジ",
    "ボールペン 黒",
    "クリアファイル",
    "USBメモリ 32GB",
    "付箋",
)


def invoice(rng: random.Random) -> Form:
    """An invoice / order list whose 12-digit order numbers pass the My Number checksum."""
    rows = []
    total = 0
    for _ in range(rng.randint(5, 9)):
        price = rng.randint(1, 60) * 100
        total += price
        order = numbers.order_number_passing_my_number(rng)
        rows.append((order, rng.choice(_ITEMS), f"¥{price:,}"))
    return Form(
        title=rng.choice(("請求書", "注文一覧", "納品書")),
        dated="2024年3月31日",
        fields=(
            ("宛先", "株式会社サンプル商事 御中"),
            ("請求金額", f"¥{total:,}（税込）"),
            ("お支払期限", "2024年4月30日"),
            ("振込先", "見本銀行 本店 普通 0000000"),
        ),
        table_title="明細",
        table_head=("注文番号", "品名", "金額"),
        table=tuple(rows),
        sections=(("備考", "お振込手数料は貴社にてご負担ください。"),),
    )


def product_csv(rng: random.Random) -> bytes:
    """A CSV of product codes, some of them 12-digit numbers passing the My Number checksum."""
    lines = ["product_code,name,price,stock"]
    for _ in range(rng.randint(20, 40)):
        code = (
            numbers.order_number_passing_my_number(rng)
            if rng.random() < 0.5
            else str(rng.randint(10**11, 10**12 - 1))
        )
        lines.append(
            f"{code},{rng.choice(_ITEMS)},{rng.randint(1, 90) * 100},{rng.randint(0, 500)}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


@styled
def business_card(rng: random.Random, person: Person) -> Image.Image:
    """名刺 (91 x 55 mm): name, company, department, phone, e-mail; no ID labels."""
    size = (1075, 650)
    if rng.random() < 0.3:  # some cards are printed on patterned stock, like ID cards
        palette = Palette((250, 250, 246), (236, 238, 232), (214, 218, 210), (40, 80, 140))
        image, draw = printed(rng, size, palette)
    else:
        image, draw = tint(rng, size, (252, 252, 250))
    if rng.random() < 0.5:
        draw.rectangle((0, 0, 24, size[1]), fill=rng.choice(((30, 80, 160), (200, 60, 40))))
    company = rng.choice(("株式会社サンプル商事", "架空システム株式会社", "テスト物流株式会社"))
    text(draw, (60, 50), company, 34)
    text(draw, (60, 180), rng.choice(("営業部 課長", "開発部 エンジニア", "総務部")), 26, GREY)
    text(draw, (60, 230), person.name, 60)
    text(
        draw,
        (60, 310),
        f"{person.surname_latin.title()} {person.given_latin.title()}",
        28,
        GREY,
        kind="latin",
    )
    text(draw, (60, 430), f"〒{person.postal} {person.address[:20]}", 22)
    text(draw, (60, 470), f"TEL {person.phone}", 24, kind="latin")
    text(draw, (60, 510), f"Mail {person.email}", 24, kind="latin")
    return image


@styled
def loyalty_card(rng: random.Random) -> Image.Image:
    """ポイントカード (ID-1 shaped) with a member number and no personal data."""
    color = rng.choice(((230, 90, 60), (40, 120, 200), (60, 160, 90)))
    darker = (color[0] * 3 // 4, color[1] * 3 // 4, color[2] * 3 // 4)
    lighter = (min(255, color[0] + 25), min(255, color[1] + 25), min(255, color[2] + 25))
    image, draw = printed(rng, ID1, Palette(color, darker, lighter, (255, 255, 255)), emblem="seal")
    text(draw, (50, 60), rng.choice(_SHOPS), 64, (255, 255, 255))
    text(draw, (50, 170), "ポイントカード", 48, (255, 255, 255))
    text(draw, (50, 300), "POINT CARD", 36, (255, 255, 255), kind="latin")
    member = numbers.order_number_passing_my_number(rng)
    text(draw, (50, 480), "会員番号", 24, (255, 255, 255))
    text(
        draw,
        (200, 470),
        f"{member[:4]} {member[4:8]} {member[8:]}",
        40,
        (255, 255, 255),
        kind="latin",
    )
    text(draw, (50, 560), "100円で1ポイント貯まります", 24, (255, 255, 255))
    return image


def portrait(rng: random.Random) -> Image.Image:
    """A head-and-shoulders portrait: a face, but no document."""
    image = Image.new("RGB", (900, 1200))
    paste_face(image, rng, (0, 0, 900, 1200))
    return image


def random_picture(rng: random.Random) -> Image.Image:
    """A texture or a landscape-ish photo with no text and no face."""
    image = texture(rng, (1280, 960))
    if rng.random() < 0.5:
        sketch = ImageDraw.Draw(image)
        sketch.rectangle((0, 0, 1280, 420), fill=(120 + rng.randint(0, 60), 170, 230))
        for _ in range(6):
            x = rng.randint(0, 1280)
            sketch.polygon(
                [(x - 300, 600), (x, rng.randint(250, 420)), (x + 300, 600)], fill=(70, 100, 70)
            )
    return image


def article_rirekisho() -> Form:
    """A how-to article about writing a 履歴書 (mentions every label, holds no person)."""
    return Form(
        title="履歴書の書き方ガイド｜学歴・職歴欄の正しい書き方",
        sections=(
            (
                "履歴書とは",
                "履歴書は応募者の氏名、生年月日、現住所、学歴・職歴などを記載する応募書類です。職務経歴書とあわせて提出を求められることが多くあります。",
            ),
            (
                "学歴・職歴欄の書き方",
                "学歴は高等学校卒業から記入し、入学・卒業の年月を書きます。職歴は入社・退職を記入し、在職中の場合は「現在に至る」と書き、最後に右寄せで「以上」と記入します。",
            ),
            ("写真について", "写真は縦40mm×横30mmのものを使用し、写真をはる位置に貼り付けます。"),
            (
                "志望の動機と本人希望記入欄",
                "志望動機は具体的に書きましょう。本人希望記入欄には「貴社の規定に従います」と書くのが一般的です。",
            ),
            (
                "よくある質問",
                "Q. 性別欄は必須ですか？ A. 厚生労働省の様式例では任意記載となっています。",
            ),
        ),
    )


def article_mynumber() -> Form:
    """An explainer about the マイナンバー制度 (個人番号, 通知カード, マイナンバーカード)."""
    return Form(
        title="マイナンバー制度とは？個人番号カードの申請方法をわかりやすく解説",
        sections=(
            (
                "マイナンバー（個人番号）とは",
                "マイナンバーは住民票を有するすべての方に付番される12桁の番号です。社会保障、税、災害対策の分野で利用されます。",
            ),
            (
                "通知カードと個人番号通知書",
                "通知カードは2020年5月25日に廃止され、現在は個人番号通知書が送付されます。個人番号通知書は本人確認書類として使えません。",
            ),
            (
                "マイナンバーカードの券面",
                "おもて面には氏名、住所、生年月日、性別と顔写真が記載され、裏面に個人番号が記載されています。",
            ),
            (
                "取扱いの注意",
                "事業者は従業員の個人番号を適切に管理し、不要になった場合は速やかに廃棄する必要があります。",
            ),
        ),
    )


def recruiting_page() -> Form:
    """A recruiting page asking applicants to send a 履歴書 and 職務経歴書."""
    return Form(
        title="採用情報｜中途採用 営業職 募集要項",
        fields=(("勤務地", "東京都新宿区"), ("給与", "月給25万円～（経験・能力を考慮）")),
        sections=(
            (
                "応募方法",
                "履歴書（写真貼付）と職務経歴書をメールまたは郵送でお送りください。書類選考のうえ、面接日をご連絡いたします。",
            ),
            ("選考フロー", "書類選考 → 一次面接 → 最終面接 → 内定"),
            (
                "個人情報の取扱い",
                "ご提出いただいた応募書類は採用選考以外の目的には使用いたしません。不採用の場合は責任をもって破棄いたします。",
            ),
        ),
    )


def article_resume_en() -> Form:
    """A plain English article with résumé tips."""
    return Form(
        title="Ten Resume Tips That Actually Work",
        sections=(
            (
                "Keep it short",
                "Recruiters spend seconds on a resume. "
                "Put your most relevant experience first and keep it to one or two pages.",
            ),
            (
                "Tailor your summary",
                "Write a professional summary that matches the job description, "
                "and list skills the employer asks for.",
            ),
            (
                "Show results",
                "Under work experience, describe outcomes with numbers rather than duties. "
                "Education and certifications follow.",
            ),
            (
                "Skip the references line",
                "Writing 'references available upon request' wastes space; "
                "employers will ask if they need them.",
            ),
        ),
    )
