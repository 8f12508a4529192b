"""Synthetic identifiers with valid check digits (My Number, licence, insurer, MRZ-free IDs)."""

from __future__ import annotations

import random
import string

from stdnum import luhn, verhoeff
from stdnum.in_ import aadhaar
from stdnum.jp import in_ as my_number_module

_MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_LICENSE_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# 公安委員会 codes printed as the first two digits of a Japanese driver's licence number.
LICENSE_PREFIXES = (
    *range(10, 15),
    *range(20, 26),
    30,
    *range(40, 56),
    *range(60, 66),
    *range(70, 75),
    *range(80, 84),
    *range(90, 98),
)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def my_number_check_digit(body: str) -> str:
    """The 検査用数字 of an 11-digit My Number body (総務省令第八十五号 §5)."""
    total = sum(int(d) * w for d, w in zip(body, _MY_NUMBER_WEIGHTS, strict=True))
    remainder = total % 11
    return "0" if remainder <= 1 else str(11 - remainder)


def my_number(rng: random.Random) -> str:
    """A random 12-digit 個人番号 whose check digit is valid (verified with stdnum.jp.in_)."""
    body = _digits(rng, 11)
    number = body + my_number_check_digit(body)
    return str(my_number_module.validate(number))


def license_check_digit(body: str) -> str:
    """The unofficial (community-derived) check digit over the first 10 licence digits."""
    total = sum(int(d) * w for d, w in zip(body, _LICENSE_WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def drivers_license_number(rng: random.Random, prefix: int | None = None) -> str:
    """A 12-digit Japanese licence number: 公安委員会 code, year, serial, check digit, reissue."""
    code = rng.choice(LICENSE_PREFIXES) if prefix is None else prefix
    body = f"{code:02d}{rng.randint(0, 99):02d}{_digits(rng, 6)}"
    return f"{body}{license_check_digit(body)}{rng.choice('0000001')}"


def residence_card_number(rng: random.Random) -> str:
    """A 在留カード number: 2 letters, 8 digits, 2 letters (no public check digit exists)."""
    letters = string.ascii_uppercase
    head = rng.choice(letters) + rng.choice(letters)
    return head + _digits(rng, 8) + rng.choice(letters) + rng.choice(letters)


def insurer_number(rng: random.Random) -> str:
    """An 8-digit 保険者番号: 法別番号, prefecture, insurer, Luhn 検証番号."""
    body = f"{rng.choice((1, 6, 31, 32, 34, 39)):02d}{rng.randint(1, 47):02d}{_digits(rng, 3)}"
    return body + luhn.calc_check_digit(body)


def insurer_number_kokuho(rng: random.Random) -> str:
    """A 6-digit 国民健康保険 保険者番号: prefecture, insurer, Luhn 検証番号."""
    body = f"{rng.randint(1, 47):02d}{_digits(rng, 3)}"
    return body + luhn.calc_check_digit(body)


def passport_number_jp(rng: random.Random) -> str:
    """A Japanese passport number: T or M, a letter, 7 digits."""
    return rng.choice("TM") + rng.choice(string.ascii_uppercase) + _digits(rng, 7)


def passport_number_other(rng: random.Random) -> str:
    """A foreign passport number of nine letters and digits."""
    return rng.choice(string.ascii_uppercase) + _digits(rng, 8)


def aadhaar_number(rng: random.Random) -> str:
    """A 12-digit Aadhaar number (first digit 2-9, Verhoeff check, not a palindrome)."""
    while True:
        body = str(rng.randint(2, 9)) + _digits(rng, 10)
        number = body + str(verhoeff.calc_check_digit(body))
        if aadhaar.is_valid(number):
            return number


def nric_sg(rng: random.Random) -> str:
    """A Singapore NRIC (S or T series) with its check letter."""
    prefix = rng.choice("ST")
    digits = _digits(rng, 7)
    total = sum(int(d) * w for d, w in zip(digits, (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += 4 if prefix == "T" else 0
    return prefix + digits + "JZIHGFEDCBA"[total % 11]


def ssn_us(rng: random.Random) -> str:
    """A structurally valid US SSN (area not 000/666/9xx, group and serial non-zero)."""
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def order_number_passing_my_number(rng: random.Random) -> str:
    """A 12-digit order number that happens to pass the My Number checksum (a hard negative)."""
    return my_number(rng)


def phone_jp(rng: random.Random) -> str:
    """A Japanese mobile number in the fictional-looking 090/080/070 ranges."""
    return f"0{rng.choice('789')}0-{_digits(rng, 4)}-{_digits(rng, 4)}"
