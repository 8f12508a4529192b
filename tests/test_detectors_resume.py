"""Table tests: résumés need headings and a real person; templates and articles stay quiet."""

from __future__ import annotations

import pytest

from bucketscan.policies.classify import classify_document
from bucketscan.policies.detectors.resume import personal_facts
from bucketscan.records.content import Document, Page

RIREKISHO = """履歴書
2024年 4月 1日現在
ふりがな やまだ たろう
氏名 山田 太郎
生年月日 1990年4月1日生（満 34 歳）
現住所 〒100-0001 東京都千代田区千代田1-1
電話 03-1234-5678
E-mail taro@example.com
学歴・職歴
2006 4 サンプル県立中央高等学校 入学
2009 3 サンプル県立中央高等学校 卒業
2013 4 架空システム株式会社 入社
現在に至る
以上
免許・資格
志望の動機、特技、好きな学科、アピールポイントなど
本人希望記入欄 貴社の規定に従います。"""

BLANK = """履歴書
年　　月　　日現在
ふりがな
氏名
生年月日 年　月　日生（満　歳）
性別
現住所
電話
E-mail
連絡先
学歴・職歴
免許・資格
志望の動機、特技、好きな学科、アピールポイントなど
本人希望記入欄 （特に給料・職種・勤務時間・勤務地・その他についての希望などがあれば記入）
写真をはる位置　縦36～40mm 横24～30mm"""

ARTICLE = (
    "履歴書の書き方ガイド｜学歴・職歴欄の正しい書き方\n履歴書は応募者の氏名、生年月日、現住所、"
    "学歴・職歴などを記載する応募書類です。職歴は入社・退職を記入し、在職中の場合は「現在に至る」"
    "と書き、最後に「以上」と記入します。写真をはる位置に貼り付けます。志望動機と本人希望記入欄。"
)

SHOKUMU = """職務経歴書
2024年4月1日現在
氏名 佐藤 花子
電話 090-1234-5678
E-mail hanako@example.com
■職務要約 大学卒業後、2社で法人営業に従事してまいりました。
■職務経歴 株式会社サンプル商事（2018年4月～現在）
事業内容：商社 資本金：10億円 従業員数：300名 雇用形態：正社員
■職務経歴 見本フーズ株式会社（2014年4月～2018年3月）
■活かせる経験・知識・技術
■自己PR
以上"""

CV = """Hanako Sato - Curriculum Vitae
Email hanako.sato@example.com
Phone +81 90-1234-5678
Professional Summary
Results-driven analyst.
Work Experience
Acme Analytics Ltd., Data Analyst (2019 - Present)
Example Systems Inc., Account Manager (2015 - 2019)
Education
B.Sc. in Economics (2011 - 2015)
Skills
Python, SQL
References available upon request."""

CV_ARTICLE = (
    "Ten Resume Tips That Actually Work\nRecruiters spend seconds on a resume. Write a "
    "professional summary, list skills, describe work experience. Education and certifications "
    "follow. Writing 'references available upon request' wastes space."
)

RECRUITING = (
    "採用情報｜中途採用 営業職 募集要項\n応募方法 履歴書（写真貼付）と職務経歴書をメールでお送り"
    "ください。電話 03-1234-5678 採用担当 recruit@example.co.jp"
)

CASES = [
    (RIREKISHO, "rirekisho", {"labels", "personal_data"}),
    (RIREKISHO.replace("2006 4", "平成18年 4月"), "rirekisho", {"personal_data"}),
    (SHOKUMU, "shokumu_keirekisho", {"labels", "personal_data"}),
    (CV, "cv_en", {"labels", "personal_data"}),
    (BLANK, None, set()),
    (ARTICLE, None, set()),
    (CV_ARTICLE, None, set()),
    (RECRUITING, None, set()),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), CASES)
def test_resume_text(text: str, expected: str | None, kinds: set[str]) -> None:
    result = classify_document(Document("f.txt", "text/plain", (Page(text, "text"),)))
    assert result.document_type == expected
    assert kinds <= {signal.kind for signal in result.evidence}
    assert all("山田" not in (s.snippet or "") + s.reason for s in result.evidence)


def test_resume_file_name_only_ranks() -> None:
    doc = Document("履歴書_山田.txt", "text/plain", (Page(BLANK, "text"),))
    assert classify_document(doc).category is None


def test_ocr_spacing_in_employment_periods_still_counts_as_dated_history() -> None:
    spaced = SHOKUMU.replace("2018年4月～現在", "2018 年 4 月 ～ 現在").replace(
        "2014年4月～2018年3月", "2014 年 4 月 ～ 2018 年 3 月"
    )
    result = classify_document(Document("f.txt", "text/plain", (Page(spaced, "text"),)))
    personal = [s.reason for s in result.evidence if s.kind == "personal_data"]
    assert result.document_type == "shokumu_keirekisho"
    assert any("dated history" in reason for reason in personal)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("hanako. nakamura36@examp Le. jp", "e-mail"),
        ("ryo.inoue@example.jp", "e-mail"),
        ("テスト物流株式会社 (1987 年 4 月一 1991 年 3 月 )", "employer with dates"),
    ],
)
def test_ocr_split_personal_data_is_recognised(line: str, kind: str) -> None:
    assert kind in personal_facts(line, english=False)


def test_ocr_dashes_in_periods_count_as_dated_history() -> None:
    text = "A社 (1987 年 4 月一 1991 年 3 月 )\nB社 (1991 年 4 月 — 1996 年 3 月 )"
    assert "dated history" in personal_facts(text, english=False)


def test_at_sign_without_domain_is_no_email() -> None:
    assert "e-mail" not in personal_facts("連絡先 @ 本社 受付", english=False)
