"""The synthetic corpus: determinism, valid numbers and MRZ, coverage, readable files, faces."""

from __future__ import annotations

import io
import itertools
import json
import random
import re
from pathlib import Path

import cv2
import docx
import numpy as np
import pypdf
import pytest
import zxingcpp
from PIL import Image, ImageOps
from stdnum import luhn
from stdnum.in_ import aadhaar
from stdnum.jp import in_ as my_number_validator

from bucketscan.records.content import DOCUMENT_TYPES
from bucketscan.synthetic import (
    camera,
    cards,
    draw,
    forms,
    mrz,
    negatives,
    numbers,
    passports,
    people,
    resumes,
)
from bucketscan.synthetic.__main__ import main
from bucketscan.synthetic.corpus import SyntheticFile, generate_captures, generate_corpus
from bucketscan.synthetic.faces import draw_face

SEED = 11
UUID_NAME = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.\w+$"
)
CASCADE = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def corpus() -> list[SyntheticFile]:
    return list(generate_corpus(SEED, 1))


def faces_in(image: Image.Image) -> int:
    gray = cv2.cvtColor(np.array(image.convert("RGB")), cv2.COLOR_RGB2GRAY)
    classifier = cv2.CascadeClassifier(CASCADE)
    return len(classifier.detectMultiScale(gray, 1.1, 5, minSize=(40, 40)))


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(corpus: list[SyntheticFile]) -> None:
    again = list(generate_corpus(SEED, 1))
    assert [(f.name, f.variant) for f in again] == [(f.name, f.variant) for f in corpus]
    mismatched = [f.name for f, g in zip(corpus, again, strict=True) if f.data != g.data]
    assert mismatched == []


def test_different_seeds_give_different_documents(corpus: list[SyntheticFile]) -> None:
    other = {f.data for f in generate_corpus(SEED + 1, 1) if f.category is not None}
    positives = [f for f in corpus if f.category is not None]
    assert positives
    assert all(f.data not in other for f in positives)


# --- numbers and MRZ ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check"),
    [("62149832025", "7"), ("12345678901", "8")],
)
def test_my_number_check_digit_matches_known_vectors(body: str, check: str) -> None:
    assert numbers.my_number_check_digit(body) == check


def test_generated_numbers_pass_their_validators() -> None:
    rng = random.Random(3)
    for _ in range(300):
        assert my_number_validator.is_valid(numbers.my_number(rng))
        licence = numbers.drivers_license_number(rng)
        assert len(licence) == 12
        assert int(licence[:2]) in numbers.LICENSE_PREFIXES
        assert numbers.license_check_digit(licence[:10]) == licence[10]
        insurer = numbers.insurer_number(rng)
        assert len(insurer) == 8
        assert luhn.is_valid(insurer)
        assert re.fullmatch(r"[A-Z]{2}\d{8}[A-Z]{2}", numbers.residence_card_number(rng))
        assert aadhaar.is_valid(numbers.aadhaar_number(rng))
        assert re.fullmatch(r"[TM][A-Z]\d{7}", numbers.passport_number_jp(rng))


def test_licence_check_digit_matches_the_worked_example() -> None:
    assert numbers.license_check_digit("3090123456") == "2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"), ("<<<<", "0")],
)
def test_mrz_check_digit_on_icao_specimen_fields(value: str, expected: str) -> None:
    assert mrz.check_digit(value) == expected


def test_mrz_builders_reproduce_icao_specimens() -> None:
    common = {"surname": "ERIKSSON", "given": "ANNA MARIA", "birth": "740812", "sex": "F"}
    line1, line2 = mrz.td3(
        mrz.Holder(
            document_code="P",
            state="UTO",
            number="L898902C3",
            nationality="UTO",
            expiry="120415",
            optional="ZE184226B",
            **common,
        )
    )
    assert line1 == "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    assert line2 == "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    card = mrz.Holder(
        document_code="I",
        state="UTO",
        number="D23145890",
        nationality="UTO",
        expiry="120415",
        **common,
    )
    assert mrz.td1(card) == (
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    )
    assert mrz.td2(card) == (
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    )
    japan = mrz.td3(
        mrz.Holder(
            document_code="P",
            state="JPN",
            surname="GAIMU",
            given="HANAKO",
            number="TT1544251",
            nationality="JPN",
            birth="990505",
            sex="F",
            expiry="301225",
        )
    )
    assert japan[1] == "TT15442512JPN9905050F3012257<<<<<<<<<<<<<<06"


def test_random_td3_lines_have_valid_check_digits() -> None:
    rng = random.Random(5)
    for _ in range(50):
        person = people.foreign_person(rng)
        _, line = mrz.td3(
            mrz.Holder(
                document_code="P",
                state=person.nationality,
                surname=person.surname_latin,
                given=person.given_latin,
                number=numbers.passport_number_other(rng),
                nationality=person.nationality,
                birth=people.yymmdd(person.birth),
                sex=person.sex,
                expiry="301231",
            )
        )
        assert len(line) == 44
        for start, end in ((0, 9), (13, 19), (21, 27), (28, 42)):
            assert mrz.check_digit(line[start:end]) == line[end]
        assert mrz.check_digit(line[0:10] + line[13:20] + line[21:43]) == line[43]


def test_my_number_back_qr_decodes_to_the_number() -> None:
    rng = random.Random(9)
    number = numbers.my_number(rng)
    back = cards.my_number_back(rng, people.japanese_person(rng), number)
    assert [code.text for code in zxingcpp.read_barcodes(back)] == [number]


# --- hard negatives -----------------------------------------------------------------------------


def test_invoice_order_numbers_pass_the_my_number_checksum(corpus: list[SyntheticFile]) -> None:
    form = negatives.invoice(random.Random(2))
    orders = [row[0] for row in form.table]
    assert orders
    assert all(my_number_validator.is_valid(order) for order in orders)
    pdf = next(f for f in corpus if f.variant == "negative-invoice" and f.name.endswith(".pdf"))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    found = re.findall(r"(?<!\d)\d{12}(?!\d)", text)
    assert found
    assert all(my_number_validator.is_valid(number) for number in found)
    assert "個人番号" not in text


# --- corpus coverage and manifest ---------------------------------------------------------------


def test_every_document_type_appears_with_an_opaque_name(corpus: list[SyntheticFile]) -> None:
    for document_type, category in DOCUMENT_TYPES.items():
        files = [f for f in corpus if f.document_type == document_type]
        assert files, document_type
        assert all(f.category == category.value for f in files)
        assert any(UUID_NAME.match(f.name) for f in files), document_type
    assert len({f.name for f in corpus}) == len(corpus)
    negatives_count = sum(f.category is None for f in corpus)
    assert negatives_count >= len(corpus) // 4
    opaque = sum(bool(UUID_NAME.match(f.name)) for f in corpus)
    assert 0.35 <= opaque / len(corpus) <= 0.65


@pytest.mark.parametrize(("per_type", "share"), [(3, 1.0), (2, 0.0)])
def test_per_type_and_uuid_share_are_honoured(per_type: int, share: float) -> None:
    # My Number cards come first, a back and a front per person; the generator is lazy.
    first = list(itertools.islice(generate_corpus(SEED, per_type, uuid_names=share), 2 * per_type))
    assert [f.document_type for f in first] == ["my_number_card"] * 2 * per_type
    assert sum(bool(UUID_NAME.match(f.name)) for f in first) == round(share * len(first))
    following = next(iter(itertools.islice(generate_corpus(SEED, per_type), 2 * per_type, None)))
    assert following.document_type == "my_number_notification"


def test_write_corpus_manifest_matches_files(corpus: list[SyntheticFile], tmp_path: Path) -> None:
    assert main([str(tmp_path), "--seed", str(SEED), "--per-type", "1"]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["seed"], manifest["per_type"]) == (SEED, 1)
    listed = {entry["name"] for entry in manifest["files"]}
    on_disk = {p.name for p in tmp_path.iterdir()} - {"manifest.json"}
    assert listed == on_disk
    expected = corpus
    assert [e["name"] for e in manifest["files"]] == [f.name for f in expected]
    for entry, file in zip(manifest["files"], expected, strict=True):
        assert (tmp_path / entry["name"]).read_bytes() == file.data
        assert (entry["category"], entry["document_type"], entry["variant"]) == (
            file.category,
            file.document_type,
            file.variant,
        )


# --- files open with the libraries the extractor uses -------------------------------------------


def test_every_file_opens_with_its_library(corpus: list[SyntheticFile]) -> None:
    for file in corpus:
        suffix = Path(file.name).suffix
        if suffix in {".jpg", ".png"}:
            image = Image.open(io.BytesIO(file.data))
            image.load()
            assert min(image.size) >= 300, file.name
        elif suffix == ".pdf":
            reader = pypdf.PdfReader(io.BytesIO(file.data))
            text = "".join(page.extract_text() for page in reader.pages).strip()
            if file.variant == "pdf-image-only":
                assert text == "", file.name
                assert reader.pages[0].images, file.name
            else:
                assert text, file.name
        elif suffix == ".docx":
            document = docx.Document(io.BytesIO(file.data))
            assert document.tables or document.paragraphs, file.name
        elif suffix in {".txt", ".html", ".csv"}:
            encoding = "cp932" if file.variant == "txt-sjis" else "utf-8"
            assert file.data.decode(encoding).strip(), file.name
        else:
            pytest.fail(f"unexpected extension {file.name}")


def test_text_variants_carry_the_document_labels(corpus: list[SyntheticFile]) -> None:
    expected = {"rirekisho": "学歴・職歴", "shokumu_keirekisho": "職務要約", "cv_en": "Experience"}
    for file in corpus:
        if file.variant in {"txt", "txt-sjis"} and file.document_type in expected:
            encoding = "cp932" if file.variant == "txt-sjis" else "utf-8"
            assert expected[file.document_type] in file.data.decode(encoding)
        if file.variant == "docx" and file.document_type in expected:
            document = docx.Document(io.BytesIO(file.data))
            body = "\n".join(p.text for p in document.paragraphs)
            cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
            assert expected[file.document_type] in body + cells


@pytest.mark.parametrize("seed", range(4))
def test_exif_photo_is_stored_sideways_and_tagged_upright(seed: int) -> None:
    rng = random.Random(seed)
    sheet = cards.insurance_card(rng, people.japanese_person(rng))
    data, extension = camera.photo_exif(rng, sheet, True)
    image = Image.open(io.BytesIO(data))
    orientation = image.getexif().get(0x0112)
    assert (extension, orientation in {3, 6, 8}) == (".jpg", True)
    assert image.getexif().get(0x010F)  # a camera make, as phones write
    upright = ImageOps.exif_transpose(image)
    assert upright.width > upright.height  # the card is landscape once the tag is applied
    if orientation in {6, 8}:
        assert image.width < image.height  # while the raw pixels are portrait


# --- faces --------------------------------------------------------------------------------------


def test_drawn_faces_are_detected_by_haar() -> None:
    sizes = ((190, 250), (240, 310), (300, 390))
    hits = total = 0
    for seed in range(30):
        for width, height in sizes:
            frame = Image.new("RGB", (width + 120, height + 120), (236, 236, 236))
            frame.paste(draw_face(random.Random(seed), width, height), (60, 60))
            hits += faces_in(frame) >= 1
            total += 1
    assert hits / total >= 0.95


def test_cards_with_photos_show_a_face_and_cards_without_do_not() -> None:
    with_face = without = 0
    false_alarms = 0
    for seed in range(6):
        rng = random.Random(seed)
        person, foreigner = people.japanese_person(rng), people.foreign_person(rng)
        sheets = (
            cards.my_number_front(rng, person),
            cards.drivers_license_jp(rng, person),
            cards.residence_card(rng, foreigner),
            cards.drivers_license_us(rng, foreigner),
            passports.passport_page(rng, person),
            passports.id_card_front(rng, foreigner),
        )
        with_face += sum(faces_in(sheet) >= 1 for sheet in sheets)
        for sheet in (cards.insurance_card(rng, person), negatives.loyalty_card(rng)):
            without += 1
            false_alarms += faces_in(sheet) > 0
    assert with_face / 36 >= 0.9
    assert false_alarms / without <= 0.1


# --- résumé chronology ---------------------------------------------------------------------------


def _years(form: forms.Form) -> list[int]:
    """Years in a résumé's dated entries: 学歴・職歴 rows, 「YYYY年」 and "(YYYY - YYYY)"."""
    text = "\n".join(form.lines())
    spans = re.findall(r"(?<![0-9-])((?:19|20)[0-9]{2})(?=年|\s-\s|\))", text)
    return [int(year) for year in spans] + [int(row[0]) for row in form.table if row[0]]


@pytest.mark.parametrize("build", ["shokumu", "rirekisho", "cv"])
def test_resume_dates_never_follow_the_document_date(build: str) -> None:
    rng = random.Random(7)
    for _ in range(200):
        person = people.japanese_person(rng)
        if build == "shokumu":
            form = resumes.shokumu_keirekisho(rng, person)
        elif build == "rirekisho":
            form = resumes.rirekisho(rng, person, jis=True, face_seed=1)
        else:
            form = resumes.cv_en(rng, person)
        years = [year for year in _years(form) if year != person.birth.year]
        assert len(years) >= 3
        assert max(years) <= resumes.TODAY.year, form.lines()
        assert min(years) > person.birth.year, form.lines()


def test_current_job_is_the_latest_one() -> None:
    rng = random.Random(3)
    for _ in range(50):
        text = "\n".join(resumes.shokumu_keirekisho(rng, people.japanese_person(rng)).lines())
        current = re.search(r"(\d{4})年4月～現在", text)
        ended = re.search(r"(\d{4})年4月～(\d{4})年3月", text)
        assert current and ended, text
        assert int(ended.group(1)) < int(ended.group(2)) == int(current.group(1))
        cv = "\n".join(resumes.cv_en(rng, people.foreign_person(rng)).lines())
        present = re.search(r"\((\d{4}) - Present\)", cv)
        past = re.search(r"\((\d{4}) - (\d{4})\)\n", cv)
        assert present and past, cv
        assert int(past.group(2)) == int(present.group(1)) <= resumes.TODAY.year - 1


def test_captures_put_every_document_type_through_each_variant() -> None:
    variants = ("scan-png", "scan-jpeg")  # the cheapest captures to render
    files = list(generate_captures(5, variants))
    for document_type in DOCUMENT_TYPES:
        got = {file.variant for file in files if file.document_type == document_type}
        assert got == set(variants), document_type
    assert all(file.category is not None for file in files)
    again = itertools.islice(generate_captures(5, variants), 3)
    assert [file.data for file in again] == [file.data for file in files[:3]]


# --- capture realism: one homography, low resolution, fonts, printed backgrounds ---------------


@pytest.mark.parametrize("variant", sorted(camera.IMAGE_VARIANTS))
def test_every_capture_is_deterministic(variant: str) -> None:
    def capture() -> bytes:
        rng = random.Random(f"capture:{variant}")
        sheet = cards.residence_card(rng, people.foreign_person(rng))
        return camera.IMAGE_VARIANTS[variant](rng, sheet, True)[0]

    assert capture() == capture()


@pytest.mark.parametrize("card", [True, False])
def test_the_homography_keeps_the_document_inside_the_frame(card: bool) -> None:
    size = draw.ID1 if card else draw.A4
    rolls = []
    for seed in range(300):
        rng = random.Random(seed)
        shot = camera.plan_shot(rng, size, card, quality=("normal", "low")[seed % 2])
        width, height = shot.frame
        corners = shot.corners(size)
        assert (corners >= 0).all(), seed
        assert (corners[:, 0] <= width).all() and (corners[:, 1] <= height).all(), seed
        assert min(shot.frame) >= camera.MIN_FRAME and max(shot.frame) <= camera.MAX_FRAME + 1
        # One projective map, not four jittered corners: straight lines stay straight, so the
        # middle of the document lands where its projected diagonals cross.
        centre = shot.project(np.array([[size[0] / 2, size[1] / 2]], float))[0]
        (x1, y1), (x2, y2), (x3, y3), (x4, y4) = corners[0], corners[2], corners[1], corners[3]
        t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / (
            (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        )
        assert np.allclose(centre, (x1 + t * (x2 - x1), y1 + t * (y2 - y1)), atol=1e-6)
        top = corners[1] - corners[0]
        rolls.append(np.degrees(np.arctan2(top[1], top[0])) % 360)
    # Rotations cover the whole circle, and some shots are foreshortened (tilted).
    assert {int(angle // 90) for angle in rolls} == {0, 1, 2, 3}
    tilted = [camera.plan_shot(random.Random(seed), size, card).matrix[2, :2] for seed in range(20)]
    assert max(float(np.abs(row).max()) for row in tilted) > 1e-5


def test_low_resolution_captures_show_a_card_300_to_500_pixels_wide() -> None:
    for seed in range(60):
        shot = camera.plan_shot(random.Random(seed), draw.ID1, True, quality="low")
        assert 300 <= shot.apparent(draw.ID1) <= 500 + 1e-6, seed
    rng = random.Random(4)
    sheet = cards.drivers_license_jp(rng, people.japanese_person(rng))
    data, extension = camera.photo_lowres(rng, sheet, True)
    image = Image.open(io.BytesIO(data))
    assert extension == ".jpg" and image.format == "JPEG"
    assert min(image.size) >= camera.MIN_FRAME and max(image.size) <= 1100
    assert not image.getexif()  # forwarded by a chat app: no camera tags left


def test_upright_shots_stay_near_level() -> None:
    for seed in range(200):
        shot = camera.plan_shot(random.Random(seed), draw.ID1, True, upright=True)
        corners = shot.corners(draw.ID1)
        top = corners[1] - corners[0]
        assert abs(np.degrees(np.arctan2(top[1], top[0]))) < 45, seed


def test_documents_draw_their_fonts_from_the_rng() -> None:
    picked = {
        (faces["gothic"].path, faces["latin"].path)
        for faces in (draw.pick_typefaces(random.Random(seed)) for seed in range(40))
    }
    installed = len(draw.installed("gothic")) * len(draw.installed("latin"))
    assert len(picked) >= min(3, installed)
    for faces in (draw.pick_typefaces(random.Random(seed)) for seed in range(40)):
        assert all(face.path.exists() for face in faces.values())


def test_missing_font_files_fall_back_without_crashing(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = draw.Typeface(Path("/nonexistent/font.ttf"))
    monkeypatch.setitem(draw.FAMILIES, "latin", (gone,))
    monkeypatch.setitem(draw.FAMILIES, "mono", (gone,))
    rng = random.Random(1)
    assert draw.installed("latin") == draw.installed("gothic")
    passports.passport_page(rng, people.foreign_person(rng))  # Latin and MRZ text still drawn
    for kind in draw.FAMILIES:
        monkeypatch.setitem(draw.FAMILIES, kind, (gone,))
    image = cards.my_number_front(rng, people.japanese_person(rng))
    assert image.size == draw.ID1
    assert draw.font(20, "gothic") is not None


def test_cards_are_printed_on_patterned_tinted_backgrounds() -> None:
    rng = random.Random(6)
    person = people.japanese_person(rng)
    for sheet in (cards.drivers_license_jp(rng, person), cards.insurance_card(rng, person)):
        grey = np.asarray(sheet.convert("L"), dtype=np.float32)
        blank = grey[600:630, 700:1000]  # a margin with no printed field
        assert blank.std() > 1.0  # guilloche lines and a gradient, not a flat fill
        assert 150 < blank.mean() < 254
    first = np.asarray(cards.residence_card(random.Random(1), people.foreign_person(rng)))
    second = np.asarray(cards.residence_card(random.Random(2), people.foreign_person(rng)))
    assert np.abs(first[5:25, 300:500].astype(int) - second[5:25, 300:500]).mean() > 1


def test_kokuho_insurer_numbers_are_six_luhn_digits() -> None:
    rng = random.Random(8)
    for _ in range(100):
        number = numbers.insurer_number_kokuho(rng)
        assert re.fullmatch(r"\d{6}", number) and luhn.is_valid(number)


def test_japanese_passport_validity_follows_its_number() -> None:
    rng = random.Random(1)
    assert passports.validity_years(rng, "TK1234567", japanese=True) == 10
    assert passports.validity_years(rng, "MA1234567", japanese=True) == 5
    heights = set()
    for seed in range(30):
        rng = random.Random(seed)
        heights.add(passports.passport_page(rng, people.japanese_person(rng)).height)
    assert heights == {draw.ID3[1], 2 * draw.ID3[1]}  # data pages and open booklets
