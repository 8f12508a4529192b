"""Table tests: the alert rule, noisy-OR confidence, label windows, file names and redaction."""

from __future__ import annotations

import pytest

from bucketscan.policies.detectors.context import Lexicon, digit_runs, label_near
from bucketscan.policies.detectors.filename import filename_signal
from bucketscan.policies.detectors.registry import DETECTORS
from bucketscan.policies.detectors.scoring import alerts, confidence
from bucketscan.policies.redact import mask_mrz_line, mask_number
from bucketscan.records.content import Signal, Strength

S, M, W = Strength.STRONG, Strength.MEDIUM, Strength.WEAK


def _signals(*strengths: Strength) -> list[Signal]:
    return [Signal("t", "k", strength, "r") for strength in strengths]


@pytest.mark.parametrize(
    ("strengths", "alert", "score"),
    [
        ((S,), True, 0.9),
        ((M, M), True, 0.84),
        ((M,), False, 0.6),
        ((W, W, W, W, W), False, 0.4095),
        ((M, W, W), False, 0.676),
        ((S, M), True, 0.96),
        ((), False, 0.0),
    ],
)
def test_alert_rule_and_confidence(
    strengths: tuple[Strength, ...], alert: bool, score: float
) -> None:
    assert alerts(_signals(*strengths)) is alert
    assert confidence(_signals(*strengths)) == pytest.approx(score)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("個人番号 621498320257", "個人番号"),
        ("個 人 番 号：621498320257", "個人番号"),  # OCR spaces between characters
        ("my number 621498320257", "My Number"),
        ("ー" * 40 + " 621498320257", None),
        ("個人番号" + "ー" * 40 + " 621498320257", None),  # outside the 30-character window
    ],
)
def test_label_window(text: str, label: str | None) -> None:
    run = digit_runs(text, 12)[0]
    assert label_near(text, run.start, run.end, ("個人番号", "My Number")) == label


def test_digit_runs_repair_at_most_one_confusion() -> None:
    assert [r.digits for r in digit_runs("6214 9832 O257", 12)] == ["621498320257"]
    assert digit_runs("6214 98I2 O257", 12) == ()
    assert digit_runs("O21498320257", 12) == ()  # a letter then digits: a code, not a misread


def test_digit_runs_repair_a_leading_letter_only_in_groups_of_four() -> None:
    assert [r.digits for r in digit_runs("Q214 9832 0257", 12)] == ["021498320257"]
    assert [r.repairs for r in digit_runs("O214 9832 0257", 12)] == [1]


def test_lexicon_counts_groups_once_and_latin_words_whole() -> None:
    lexicon = Lexicon.of(("PASSPORT", "旅券"), ("EXP",))
    assert lexicon.found("旅券 PASSPORT EXPERIENCE") == ("PASSPORT",)


@pytest.mark.parametrize(
    ("name", "kind", "hit"),
    [
        ("mynumber_ura.jpg", "my_number_card", True),
        ("マイナンバーカード_裏.png", "my_number_card", True),
        ("3f2a9c1e-uuid.jpg", "my_number_card", False),
        ("rirekisho_yamada.pdf", "rirekisho", True),
        ("CV_Smith.docx", "cv_en", True),
        ("cvs_receipts.csv", "cv_en", False),
    ],
)
def test_filename_tokens_are_weak(name: str, kind: str, hit: bool) -> None:
    signal = filename_signal("t", kind, name)
    assert (signal is not None) is hit
    assert signal is None or signal.strength is Strength.WEAK


@pytest.mark.parametrize(
    ("value", "kwargs", "masked"),
    [
        ("621498320257", {"label": "個人番号"}, "個人番号 **** **** 0257"),
        ("33120015", {}, "**** **15"),
        ("AB12345678CD", {}, "**** **** 78CD"),
    ],
)
def test_mask_number(value: str, kwargs: dict[str, str], masked: str) -> None:
    assert mask_number(value, **kwargs) == masked  # type: ignore[arg-type]


def test_mask_mrz_line_hides_names_and_numbers() -> None:
    assert mask_mrz_line("P<JPNGAIMU<<HANAKO<<<", first=True) == "P<JPN*****<<******<<<"
    assert mask_mrz_line("TT15442512JPN") == "*************"


def test_registry_is_explicit_and_named() -> None:
    names = [detector.name for detector in DETECTORS]
    assert len(names) == len(set(names)) >= 8
