"""The synthetic corpus: every document type in several variants, plus hard negatives."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image

from bucketscan.records.content import DOCUMENT_TYPES
from bucketscan.synthetic import cards, forms, negatives, numbers, passports, resumes
from bucketscan.synthetic.camera import IMAGE_VARIANTS, photo_tilted, scan_jpeg
from bucketscan.synthetic.draw import jpeg, png
from bucketscan.synthetic.people import Person, foreign_person, japanese_person


@dataclass(frozen=True)
class SyntheticFile:
    """One generated file and what it truly is (category None for hard negatives)."""

    name: str
    data: bytes
    category: str | None
    document_type: str | None
    variant: str


@dataclass(frozen=True)
class _Sheet:
    """One rendered side of a document, and realistic file-name stems for it."""

    image: Image.Image
    card: bool
    stems: tuple[str, ...]


_CAMERA_STEMS = (
    "IMG_{n:04d}",
    "PXL_2024{n:04d}_101530",
    "DSC_{n:04d}",
    "Scan_{n:04d}",
    "スキャン_{n:04d}",
)


def _my_number_card(rng: random.Random, index: int) -> list[_Sheet]:
    person = japanese_person(rng)
    number = numbers.my_number(rng)
    return [
        _Sheet(
            cards.my_number_back(rng, person, number),
            True,
            ("mynumber_ura", "マイナンバーカード_裏", "個人番号カード裏面", "kojinbango_back"),
        ),
        _Sheet(
            cards.my_number_front(rng, person),
            True,
            ("mynumber_omote", "マイナンバーカード_表", "mynumbercard_front"),
        ),
    ]


def _my_number_notification(rng: random.Random, index: int) -> list[_Sheet]:
    person = japanese_person(rng)
    number = numbers.my_number(rng)
    if index % 2 == 0:
        return [
            _Sheet(
                cards.notification_card(rng, person, number),
                True,
                ("通知カード", "tsuchicard", "mynumber_tsuchi"),
            )
        ]
    return [
        _Sheet(
            cards.notification_letter(rng, person, number),
            False,
            ("個人番号通知書", "kojinbango_tsuchisho"),
        )
    ]


def _drivers_license_jp(rng: random.Random, index: int) -> list[_Sheet]:
    sheet = cards.drivers_license_jp(rng, japanese_person(rng))
    return [_Sheet(sheet, True, ("menkyosho", "運転免許証_表", "driver_license", "免許証"))]


def _passport(rng: random.Random, index: int) -> list[_Sheet]:
    person = japanese_person(rng) if index % 2 == 0 else foreign_person(rng)
    return [
        _Sheet(
            passports.passport_page(rng, person),
            True,
            ("passport", "パスポート", "旅券", "passport_scan"),
        )
    ]


def _id_card_icao(rng: random.Random, index: int) -> list[_Sheet]:
    person = foreign_person(rng, rng.choice(("UTO", "DEU", "PHL")))
    if index % 2 == 0:
        return [
            _Sheet(
                passports.id_card_front(rng, person),
                True,
                ("id_card_front", "idcard_omote", "身分証_表"),
            ),
            _Sheet(
                passports.id_card_back(rng, person),
                True,
                ("id_card_back", "idcard_ura", "身分証_裏"),
            ),
        ]
    return [
        _Sheet(passports.td2_card(rng, person), True, ("id_card", "residence_permit", "身分証明書"))
    ]


def _residence_card(rng: random.Random, index: int) -> list[_Sheet]:
    sheet = cards.residence_card(rng, foreign_person(rng))
    return [_Sheet(sheet, True, ("zairyu_card", "在留カード_表", "residence_card"))]


def _health_insurance(rng: random.Random, index: int) -> list[_Sheet]:
    person = japanese_person(rng)
    if index % 2 == 0:
        return [
            _Sheet(cards.insurance_card(rng, person), True, ("hokensho", "保険証", "kenkohoken"))
        ]
    return [
        _Sheet(cards.eligibility_letter(rng, person), False, ("資格確認書", "shikaku_kakuninsho"))
    ]


def _drivers_license_us(rng: random.Random, index: int) -> list[_Sheet]:
    sheet = cards.drivers_license_us(rng, foreign_person(rng, "USA"))
    return [_Sheet(sheet, True, ("drivers_license", "DL_front", "license"))]


def _foreign_id(rng: random.Random, index: int) -> list[_Sheet]:
    if index % 2 == 0:
        return [
            _Sheet(
                cards.aadhaar_card(rng, foreign_person(rng, "IND")),
                True,
                ("aadhaar", "aadhaar_card"),
            )
        ]
    return [_Sheet(cards.nric_card(rng, foreign_person(rng, "SGP")), True, ("nric", "ic_front"))]


_ID_BUILDERS: dict[str, Callable[[random.Random, int], list[_Sheet]]] = {
    "my_number_card": _my_number_card,
    "my_number_notification": _my_number_notification,
    "drivers_license_jp": _drivers_license_jp,
    "passport": _passport,
    "id_card_icao": _id_card_icao,
    "residence_card_jp": _residence_card,
    "health_insurance_jp": _health_insurance,
    "drivers_license_us": _drivers_license_us,
    "foreign_id": _foreign_id,
}


def _rirekisho(rng: random.Random, index: int) -> tuple[forms.Form, tuple[str, ...]]:
    person = japanese_person(rng)
    form = resumes.rirekisho(rng, person, jis=index % 2 == 0, face_seed=rng.getrandbits(31) + 1)
    return form, (f"履歴書_{person.surname}", f"rirekisho_{person.surname_latin.lower()}", "履歴書")


def _shokumu(rng: random.Random, index: int) -> tuple[forms.Form, tuple[str, ...]]:
    person = japanese_person(rng)
    form = resumes.shokumu_keirekisho(rng, person)
    return form, (f"職務経歴書_{person.surname}", "shokumukeirekisho", "職務経歴書")


def _cv(rng: random.Random, index: int) -> tuple[forms.Form, tuple[str, ...]]:
    person: Person = foreign_person(rng) if index % 2 else japanese_person(rng)
    latin = person.surname_latin.title()
    return resumes.cv_en(rng, person), (f"resume_{latin}", f"CV_{latin}", "curriculum_vitae")


_RESUME_BUILDERS: dict[str, Callable[[random.Random, int], tuple[forms.Form, tuple[str, ...]]]] = {
    "rirekisho": _rirekisho,
    "shokumu_keirekisho": _shokumu,
    "cv_en": _cv,
}
TEXT_VARIANTS: dict[str, tuple[Callable[[forms.Form], bytes], str]] = {
    "pdf-text": (forms.render_pdf, ".pdf"),
    "docx": (forms.render_docx, ".docx"),
    "txt": (forms.render_txt, ".txt"),
    "txt-sjis": (lambda form: forms.render_txt(form, "cp932"), ".txt"),
}
_RESUME_IMAGE_VARIANTS = ("scan-jpeg", "photo-tilted", "pdf-image-only", "png", "photo-rotated")


def _form_image(rng: random.Random, form: forms.Form, variant: str) -> tuple[bytes, str]:
    page = forms.render_image(form, rng)
    if variant == "png":
        return png(page), ".png"
    return IMAGE_VARIANTS[variant](rng, page, False)


def _negative_files(
    rng: random.Random, index: int
) -> Iterator[tuple[str, bytes, str, tuple[str, ...]]]:
    """(kind, data, extension, stems) for one round of hard negatives."""
    invoice = negatives.invoice(rng)
    if index % 2 == 0:
        yield (
            "invoice",
            forms.render_pdf(invoice),
            ".pdf",
            ("請求書_202403", "invoice_0331", "注文一覧"),
        )
    else:
        yield (
            "invoice",
            scan_jpeg(rng, forms.render_image(invoice, rng), False)[0],
            ".jpg",
            ("請求書スキャン", "invoice_scan"),
        )
    yield (
        "order-csv",
        negatives.product_csv(rng),
        ".csv",
        ("products", "商品コード一覧", "order_list"),
    )
    card = negatives.business_card(rng, japanese_person(rng))
    data = (photo_tilted if index % 2 else scan_jpeg)(rng, card, True)[0]
    yield "business-card", data, ".jpg", ("名刺", "meishi", "business_card")
    loyalty = negatives.loyalty_card(rng)
    data = (scan_jpeg if index % 2 else photo_tilted)(rng, loyalty, True)[0]
    yield "loyalty-card", data, ".jpg", ("ポイントカード", "point_card", "member_card")
    yield (
        "portrait",
        jpeg(negatives.portrait(rng)),
        ".jpg",
        ("profile", "プロフィール写真", "staff_photo"),
    )
    blank = resumes.blank_rirekisho()
    blank_data, blank_ext = (
        (forms.render_pdf(blank), ".pdf"),
        (forms.render_docx(blank), ".docx"),
        (png(forms.render_image(blank, rng)), ".png"),
    )[index % 3]
    yield (
        "blank-rirekisho",
        blank_data,
        blank_ext,
        ("履歴書テンプレート", "rirekisho_template", "履歴書_様式"),
    )
    article = negatives.article_rirekisho()
    data, ext = (
        (forms.render_html(article), ".html") if index % 2 else (forms.render_pdf(article), ".pdf")
    )
    yield "article-rirekisho", data, ext, ("履歴書の書き方", "how_to_write_rirekisho")
    article = negatives.article_mynumber()
    data, ext = (
        (forms.render_pdf(article), ".pdf") if index % 2 else (forms.render_html(article), ".html")
    )
    yield "article-mynumber", data, ext, ("マイナンバー制度", "mynumber_guide")
    yield (
        "recruiting",
        forms.render_html(negatives.recruiting_page()),
        ".html",
        ("recruit", "採用情報"),
    )
    article = negatives.article_resume_en()
    data, ext = (
        (forms.render_txt(article), ".txt") if index % 2 else (forms.render_html(article), ".html")
    )
    yield "article-en", data, ext, ("resume_tips", "blog_resume")
    yield (
        "photo",
        jpeg(negatives.random_picture(rng)),
        ".jpg",
        ("IMG_{n:04d}", "background", "texture"),
    )


class _Namer:
    """File names: every k-th one an opaque UUID (as WelcomeHR stored them), the rest realistic."""

    def __init__(self, rng: random.Random, uuid_share: float) -> None:
        self._rng = rng
        self._share = uuid_share
        self._used: set[str] = set()

    def name(self, position: int, stems: tuple[str, ...], extension: str) -> str:
        opaque = int((position + 1) * self._share + 0.5) > int(position * self._share + 0.5)
        if opaque:
            stem = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        else:
            camera_made = extension in {".jpg", ".png", ".pdf"} and self._rng.random() < 0.2
            pattern = self._rng.choice(_CAMERA_STEMS if camera_made else stems)
            stem = pattern.format(n=self._rng.randint(1, 9999))
        candidate, count = f"{stem}{extension}", 1
        while candidate in self._used:
            count += 1
            candidate = f"{stem}_{count}{extension}"
        self._used.add(candidate)
        return candidate


def generate_corpus(
    seed: int, per_type: int = 4, *, uuid_names: float = 0.5
) -> Iterator[SyntheticFile]:
    """Lazily yield every document type in several variants, then hard negatives; deterministic."""
    namer = _Namer(random.Random(f"{seed}:names"), uuid_names)
    image_variants = tuple(IMAGE_VARIANTS)
    for type_index, (document_type, build_id) in enumerate(_ID_BUILDERS.items()):
        rng = random.Random(f"{seed}:{document_type}")
        category = DOCUMENT_TYPES[document_type].value
        position = 0
        for index in range(per_type):
            for sheet in build_id(rng, index):
                variant = image_variants[(type_index + position) % len(image_variants)]
                data, extension = IMAGE_VARIANTS[variant](rng, sheet.image, sheet.card)
                name = namer.name(position, sheet.stems, extension)
                position += 1
                yield SyntheticFile(name, data, category, document_type, variant)
    for type_index, (document_type, build_resume) in enumerate(_RESUME_BUILDERS.items()):
        rng = random.Random(f"{seed}:{document_type}")
        category = DOCUMENT_TYPES[document_type].value
        text_variants = (
            tuple(TEXT_VARIANTS) if document_type != "cv_en" else ("pdf-text", "docx", "txt")
        )
        for index in range(per_type):
            form, stems = build_resume(rng, index)
            variant = text_variants[(type_index + index) % len(text_variants)]
            render, extension = TEXT_VARIANTS[variant]
            yield SyntheticFile(
                namer.name(2 * index, stems, extension),
                render(form),
                category,
                document_type,
                variant,
            )
            variant = _RESUME_IMAGE_VARIANTS[(type_index + index) % len(_RESUME_IMAGE_VARIANTS)]
            data, extension = _form_image(rng, form, variant)
            yield SyntheticFile(
                namer.name(2 * index + 1, stems, extension), data, category, document_type, variant
            )
    rng = random.Random(f"{seed}:negatives")
    position = 0
    for index in range(per_type):
        for kind, data, extension, stems in _negative_files(rng, index):
            yield SyntheticFile(
                namer.name(position, stems, extension), data, None, None, f"negative-{kind}"
            )
            position += 1


def generate_captures(seed: int, variants: tuple[str, ...]) -> Iterator[SyntheticFile]:
    """Every ID document side and résumé form captured in each of `variants` (see
    IMAGE_VARIANTS): a stress set for one kind of capture, such as phone photos only."""
    for document_type, build_id in _ID_BUILDERS.items():
        rng = random.Random(f"captures{seed}:{document_type}")
        category = DOCUMENT_TYPES[document_type].value
        for sheet in build_id(rng, seed % 4):
            for variant in variants:
                data, extension = IMAGE_VARIANTS[variant](rng, sheet.image, sheet.card)
                name = f"{document_type}-{sheet.stems[0]}-{variant}{extension}"
                yield SyntheticFile(name, data, category, document_type, variant)
    for document_type, build_resume in _RESUME_BUILDERS.items():
        rng = random.Random(f"captures{seed}:{document_type}")
        category = DOCUMENT_TYPES[document_type].value
        form, _stems = build_resume(rng, seed % 2)
        for variant in variants:
            data, extension = _form_image(rng, form, variant)
            yield SyntheticFile(
                f"{document_type}-{variant}{extension}", data, category, document_type, variant
            )


def write_corpus(directory: Path, seed: int, per_type: int = 4) -> Path:
    """Write the files and manifest.json ({seed, per_type, files: [...]}); returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    entries = []
    for file in generate_corpus(seed, per_type):
        (directory / PurePosixPath(file.name).name).write_bytes(file.data)
        entries.append(
            {
                "name": file.name,
                "category": file.category,
                "document_type": file.document_type,
                "variant": file.variant,
            }
        )
    manifest = directory / "manifest.json"
    payload = {"seed": seed, "per_type": per_type, "files": entries}
    manifest.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
