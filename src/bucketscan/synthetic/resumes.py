"""Résumés: 履歴書 (JIS and 2021 MHLW forms), 職務経歴書 and English CVs, as Form models."""

from __future__ import annotations

import datetime as dt
import random

from bucketscan.synthetic.forms import Form
from bucketscan.synthetic.people import Person, age_on, seireki

_SCHOOLS = ("サンプル県立中央高等学校", "架空市立東高等学校", "私立見本学園高等学校")
_UNIVERSITIES = (
    "サンプル大学 経済学部 経済学科",
    "架空工業大学 工学部 情報工学科",
    "見本女子大学 文学部 英文学科",
)
_COMPANIES = (
    ("株式会社サンプル商事", "商社", "営業部"),
    ("架空システム株式会社", "ソフトウェア開発", "開発部"),
    ("テスト物流株式会社", "物流", "総務部"),
    ("見本フーズ株式会社", "食品製造", "品質管理課"),
)
_LICENSES = (
    "普通自動車第一種運転免許 取得",
    "TOEIC公開テスト 785点 取得",
    "日商簿記検定2級 合格",
    "基本情報技術者試験 合格",
)
_CV_SCHOOLS = (
    "Sample State University",
    "Example Institute of Technology",
    "University of Nowhere",
)
_CV_COMPANIES = ("Acme Analytics Ltd.", "Example Systems Inc.", "Placeholder Logistics Co.")
_CV_SKILLS = (
    "Python, SQL, AWS",
    "Project management, Scrum",
    "Customer success, Salesforce",
    "Japanese (JLPT N2), English (native)",
)
TODAY = dt.date(2024, 4, 1)


def career_years(rng: random.Random, graduation: int) -> tuple[int, int]:
    """Start years of the first and the current job, both before TODAY, never in the future."""
    start = min(graduation, TODAY.year - 3)
    switch = min(start + rng.randint(2, 6), TODAY.year - 1)
    return start, switch


def _history(rng: random.Random, person: Person) -> tuple[tuple[str, str, str], ...]:
    """学歴・職歴 rows: schools, then jobs, ending with 現在に至る and 以上; nothing after TODAY."""
    high = person.birth.year + 18
    university = high + 4 < TODAY.year
    rows: list[tuple[str, str, str]] = [("", "", "学歴")]
    rows.append((str(high - 3), "4", f"{rng.choice(_SCHOOLS)} 入学"))
    rows.append((str(high), "3", f"{rng.choice(_SCHOOLS)} 卒業"))
    college = rng.choice(_UNIVERSITIES)
    if university:
        rows.append((str(high), "4", f"{college} 入学"))
        rows.append((str(high + 4), "3", "同大学 卒業"))
    rows.append(("", "", "職歴"))
    first, current = career_years(rng, high + 4 if university else high)
    (company, _, _), (second, _, _) = rng.sample(_COMPANIES, 2)
    rows.append((str(first), "4", f"{company} 入社"))
    rows.append((str(current), "3", "一身上の都合により退職"))
    rows.append((str(current), "4", f"{second} 入社"))
    rows.append(("", "", "現在に至る"))
    rows.append(("", "", "以上"))
    return tuple(rows)


def rirekisho(rng: random.Random, person: Person, *, jis: bool, face_seed: int) -> Form:
    """A filled-in 履歴書: the JIS form (通勤時間, 扶養家族, 配偶者) or the 2021 MHLW form."""
    fields: list[tuple[str, str]] = [
        ("ふりがな", f"{person.surname_kana}　{person.given_kana}"),
        ("氏名", person.name),
        ("生年月日", f"{seireki(person.birth)}生（満 {age_on(person.birth, TODAY)} 歳）"),
        ("性別", person.sex_ja if jis else f"{person.sex_ja}　※性別欄：記載は任意です"),
        ("現住所", f"〒{person.postal} {person.address}"),
        ("電話", person.phone),
        ("E-mail", person.email),
        ("連絡先", "同上"),
    ]
    sections = [
        (
            "免許・資格",
            "\n".join(
                f"{2010 + i}年{rng.randint(1, 12)}月 {lic}"
                for i, lic in enumerate(rng.sample(_LICENSES, 2))
            ),
        ),
        (
            "志望の動機、特技、好きな学科、アピールポイントなど",
            "これまでの経験を活かし、貴社の事業の発展に貢献したいと考え志望いたしました。",
        ),
        ("本人希望記入欄", "貴社の規定に従います。"),
    ]
    if jis:  # the JIS form prints these four boxes in one row
        commute = f"約 {rng.randint(0, 1)} 時間 {rng.choice((10, 20, 30, 45))} 分"
        row = (
            f"通勤時間 {commute}　扶養家族数（配偶者を除く） {rng.randint(0, 3)} 人　"
            f"配偶者 ※{rng.choice(('有', '無'))}　配偶者の扶養義務 ※{rng.choice(('有', '無'))}"
        )
        sections.insert(1, ("通勤時間・扶養家族・配偶者", row))
    return Form(
        title="履歴書",
        dated=f"{TODAY.year}年 {TODAY.month}月 {TODAY.day}日現在",
        fields=tuple(fields),
        table_title="学歴・職歴",
        table=_history(rng, person),
        sections=tuple(sections),
        photo=True,
        face_seed=face_seed,
        notes=("記入上の注意　鉛筆以外の黒又は青の筆記具で記入。",) if jis else (),
    )


def blank_rirekisho() -> Form:
    """A blank 履歴書 template: every label, no person (a hard negative)."""
    labels = ("ふりがな", "氏名", "生年月日", "性別", "現住所", "電話", "E-mail", "連絡先")
    empty_rows = tuple(("", "", "") for _ in range(10))
    return Form(
        title="履歴書",
        dated="年　　月　　日現在",
        fields=tuple(
            (label, "年　月　日生（満　歳）" if label == "生年月日" else "") for label in labels
        ),
        table_title="学歴・職歴",
        table=empty_rows,
        sections=(
            ("免許・資格", ""),
            ("志望の動機、特技、好きな学科、アピールポイントなど", ""),
            (
                "本人希望記入欄",
                "（特に給料・職種・勤務時間・勤務地・その他についての希望などがあれば記入）",
            ),
        ),
        photo=True,
        face_seed=0,
        notes=(
            "写真をはる位置　縦36～40mm 横24～30mm",
            "※性別欄：記載は任意です。未記載とすることも可能です。",
        ),
    )


def shokumu_keirekisho(rng: random.Random, person: Person) -> Form:
    """A 職務経歴書 with 職務要約, company blocks, skills, qualifications and 自己PR."""
    first, current = career_years(rng, person.birth.year + 22)
    periods = (f"{first}年4月～{current}年3月", f"{current}年4月～現在")
    blocks: list[tuple[str, str]] = []
    for (company, business, department), period in zip(
        rng.sample(_COMPANIES, 2), periods, strict=True
    ):
        blocks.append(
            (
                f"{company}（{period}）",
                f"事業内容：{business}　資本金：{rng.randint(1, 90)}億円　"
                f"従業員数：{rng.randint(50, 3000)}名\n"
                f"雇用形態：正社員　所属：{department}\n"
                f"業務内容：法人顧客向けの提案業務、チームマネジメント（{rng.randint(2, 9)}名）\n"
                f"実績：担当売上を前年比{rng.randint(105, 140)}％に拡大",
            )
        )
    return Form(
        title="職務経歴書",
        dated=f"{TODAY.year}年{TODAY.month}月{TODAY.day}日現在",
        fields=(("氏名", person.name), ("電話", person.phone), ("E-mail", person.email)),
        sections=(
            (
                "■職務要約",
                f"大学卒業後、{len(blocks)}社で法人営業と業務改善に従事してまいりました。",
            ),
            *(("■職務経歴　" + head, body) for head, body in reversed(blocks)),
            (
                "■活かせる経験・知識・技術",
                "・新規顧客開拓の経験\n・Excel、PowerPointによる資料作成",
            ),
            ("■資格", "\n".join(rng.sample(_LICENSES, 2))),
            ("■自己PR", "目標から逆算して行動計画を立て、粘り強く実行することを強みとしています。"),
            ("", "以上"),
        ),
    )


def cv_en(rng: random.Random, person: Person) -> Form:
    """An English CV with contact details, experience date ranges, education and skills."""
    first, current = career_years(rng, person.birth.year + 22)
    periods = (f"{first} - {current}", f"{current} - Present")
    graduated = min(person.birth.year + 22, first)
    jobs: list[str] = []
    for company, period in zip(rng.sample(_CV_COMPANIES, 2), periods, strict=True):
        role = rng.choice(("Data Analyst", "Account Manager", "Software Engineer"))
        jobs.append(f"{company}, {role} ({period})")
    return Form(
        title=f"{person.given_latin.title()} {person.surname_latin.title()} - Curriculum Vitae",
        fields=(
            ("Email", person.email),
            ("Phone", "+81 " + person.phone[1:]),
            ("LinkedIn", f"linkedin.com/in/{person.surname_latin.lower()}-example"),
        ),
        sections=(
            (
                "Professional Summary",
                "Results-driven professional with experience in analytics and client delivery.",
            ),
            ("Work Experience", "\n".join(reversed(jobs))),
            (
                "Education",
                f"B.Sc. in Economics, {rng.choice(_CV_SCHOOLS)} ({graduated - 4} - {graduated})",
            ),
            ("Skills", "\n".join(rng.sample(_CV_SKILLS, 3))),
            ("Certifications", "AWS Certified Cloud Practitioner"),
            ("Languages", "English (fluent), Japanese (business)"),
            ("References", "References available upon request."),
        ),
    )
