"""Invented people: names, addresses, birth dates and contact details, drawn from a seeded RNG."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bucketscan.synthetic.numbers import phone_jp

# (kanji, kana, romaji); combinations are random, so no real person is described.
_SURNAMES = (
    ("山田", "やまだ", "YAMADA"),
    ("佐藤", "さとう", "SATO"),
    ("鈴木", "すずき", "SUZUKI"),
    ("高橋", "たかはし", "TAKAHASHI"),
    ("田中", "たなか", "TANAKA"),
    ("渡辺", "わたなべ", "WATANABE"),
    ("伊藤", "いとう", "ITO"),
    ("中村", "なかむら", "NAKAMURA"),
    ("小林", "こばやし", "KOBAYASHI"),
    ("加藤", "かとう", "KATO"),
    ("吉田", "よしだ", "YOSHIDA"),
    ("松本", "まつもと", "MATSUMOTO"),
    ("井上", "いのうえ", "INOUE"),
    ("木村", "きむら", "KIMURA"),
    ("森川", "もりかわ", "MORIKAWA"),
    ("石田", "いしだ", "ISHIDA"),
)
_GIVEN_F = (
    ("花子", "はなこ", "HANAKO"),
    ("陽菜", "ひな", "HINA"),
    ("美咲", "みさき", "MISAKI"),
    ("結衣", "ゆい", "YUI"),
    ("さくら", "さくら", "SAKURA"),
    ("真由美", "まゆみ", "MAYUMI"),
    ("彩", "あや", "AYA"),
    ("恵子", "けいこ", "KEIKO"),
)
_GIVEN_M = (
    ("太郎", "たろう", "TARO"),
    ("翔太", "しょうた", "SHOTA"),
    ("大輔", "だいすけ", "DAISUKE"),
    ("健一", "けんいち", "KENICHI"),
    ("拓海", "たくみ", "TAKUMI"),
    ("直樹", "なおき", "NAOKI"),
    ("誠", "まこと", "MAKOTO"),
    ("亮", "りょう", "RYO"),
)
# (prefecture, [(city, town)], postal prefix)
_PLACES = (
    ("東京都", (("新宿区", "西新宿"), ("世田谷区", "桜新町"), ("品川区", "大崎")), "1"),
    ("神奈川県", (("横浜市中区", "山下町"), ("川崎市中原区", "小杉町")), "2"),
    ("大阪府", (("大阪市北区", "梅田"), ("堺市堺区", "南瓦町")), "5"),
    ("愛知県", (("名古屋市中区", "栄"), ("豊田市", "若宮町")), "4"),
    ("福岡県", (("福岡市中央区", "天神"), ("北九州市小倉北区", "京町")), "8"),
    ("北海道", (("札幌市中央区", "大通西"), ("函館市", "本町")), "0"),
    ("埼玉県", (("さいたま市浦和区", "高砂"), ("川越市", "元町")), "3"),
)
# (surname, given, ISO 3166 alpha-3, nationality in Japanese)
_FOREIGN = (
    ("NGUYEN", "VAN AN", "VNM", "ベトナム"),
    ("SANTOS", "MARIA CLARA", "PHL", "フィリピン"),
    ("WANG", "XIAOMING", "CHN", "中国"),
    ("KIM", "MINJUN", "KOR", "韓国"),
    ("SHARMA", "PRIYA", "IND", "インド"),
    ("SMITH", "JOHN ALEXANDER", "USA", "米国"),
    ("MULLER", "ANNA LENA", "DEU", "ドイツ"),
    ("SILVA", "LUCAS", "BRA", "ブラジル"),
    ("TAN", "WEI LING", "SGP", "シンガポール"),
    ("ERIKSSON", "ANNA MARIA", "UTO", "ユートピア"),
)
_ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class Person:
    """One invented person, with Japanese and Latin renderings of the name."""

    surname: str
    given: str
    surname_kana: str
    given_kana: str
    surname_latin: str
    given_latin: str
    sex: str  # "M" or "F"
    birth: dt.date
    postal: str
    address: str
    phone: str
    email: str
    nationality: str  # ISO alpha-3
    nationality_ja: str

    @property
    def name(self) -> str:
        """Full name as printed on Japanese documents."""
        return f"{self.surname}　{self.given}"

    @property
    def name_latin(self) -> str:
        """SURNAME GIVEN in Latin capitals."""
        return f"{self.surname_latin} {self.given_latin}"

    @property
    def sex_ja(self) -> str:
        """男 or 女."""
        return "男" if self.sex == "M" else "女"


def _birth(rng: random.Random) -> dt.date:
    return dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 44))


def _address(rng: random.Random) -> tuple[str, str]:
    prefecture, towns, head = rng.choice(_PLACES)
    city, town = rng.choice(towns)
    postal = f"{head}{rng.randint(0, 99):02d}-{rng.randint(0, 9999):04d}"
    block = f"{rng.randint(1, 5)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
    if rng.random() < 0.4:
        block += f" サンプルハイツ{rng.randint(1, 9)}0{rng.randint(1, 9)}号室"
    return postal, f"{prefecture}{city}{town}{block}"


def japanese_person(rng: random.Random) -> Person:
    """An invented Japanese resident."""
    surname = rng.choice(_SURNAMES)
    sex = rng.choice("MF")
    given = rng.choice(_GIVEN_M if sex == "M" else _GIVEN_F)
    postal, address = _address(rng)
    email = f"{given[2].lower()}.{surname[2].lower()}{rng.randint(1, 99)}@example.jp"
    return Person(
        surname=surname[0],
        given=given[0],
        surname_kana=surname[1],
        given_kana=given[1],
        surname_latin=surname[2],
        given_latin=given[2],
        sex=sex,
        birth=_birth(rng),
        postal=postal,
        address=address,
        phone=phone_jp(rng),
        email=email,
        nationality="JPN",
        nationality_ja="日本",
    )


def foreign_person(rng: random.Random, nationality: str | None = None) -> Person:
    """An invented foreign national living in Japan (or abroad)."""
    choices = [f for f in _FOREIGN if nationality is None or f[2] == nationality]
    surname, given, code, country_ja = rng.choice(choices or _FOREIGN)
    postal, address = _address(rng)
    first = given.split()[0].lower()
    return Person(
        surname=surname,
        given=given,
        surname_kana="",
        given_kana="",
        surname_latin=surname,
        given_latin=given,
        sex=rng.choice("MF"),
        birth=_birth(rng),
        postal=postal,
        address=address,
        phone=phone_jp(rng),
        email=f"{first}.{surname.lower()}{rng.randint(1, 99)}@example.com",
        nationality=code,
        nationality_ja=country_ja,
    )


def wareki(day: dt.date) -> str:
    """A date in the Japanese era calendar, e.g. 平成3年4月5日 (元年 for year 1)."""
    for start, era in _ERAS:
        if day >= start:
            year = day.year - start.year + 1
            label = "元" if year == 1 else str(year)
            return f"{era}{label}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def seireki(day: dt.date) -> str:
    """A date as YYYY年M月D日."""
    return f"{day.year}年{day.month}月{day.day}日"


def icao_date(day: dt.date) -> str:
    """A date as printed in passports: 05 MAR 1991."""
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def yymmdd(day: dt.date) -> str:
    """A date for the MRZ."""
    return day.strftime("%y%m%d")


def future_date(base: dt.date, years: int) -> dt.date:
    """A date `years` after base, near the same day."""
    return dt.date(base.year + years, base.month, min(base.day, 28))


def issue_date(rng: random.Random) -> dt.date:
    """A plausible recent issue date."""
    return dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 8))


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
