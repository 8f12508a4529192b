"""End to end: a scan of seeded synthetic people leaks none of their identifiers, anywhere."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from bucketscan.scanner.demo.aws import public_read_policy
from bucketscan.synthetic.numbers import my_number
from bucketscan.synthetic.people import Person, japanese_person, seireki, wareki

SECRET_KEY = "bucketscan-privacy-fixture-secret-9f3b2c7d1e"
ACCESS_KEY = "AKIAPRIVACYFIXTURE01"


@dataclass(frozen=True)
class Upload:
    """One seeded object and the identifiers it carries."""

    key: str
    body: bytes
    secrets: tuple[str, ...]


def _upload(person: Person, number: str, index: int) -> Upload:
    """A My Number notification typed out as text, named after the person, as users do."""
    born = person.birth
    name = f"{person.surname} {person.given}"
    text = "\n".join(
        (
            "個人番号カード",
            f"氏名 {name}",
            f"生年月日 {seireki(born)}生",
            f"個人番号 {number[:4]} {number[4:8]} {number[8:]}",
            f"住所 {person.postal} {person.address}",
            f"電話 {person.phone}  メール {person.email}",
        )
    )
    key = f"uploads/{index:03d}/マイナンバー_{person.surname}{person.given}_{born:%Y%m%d}.txt"
    secrets = (
        number,
        f"{number[:4]} {number[4:8]} {number[8:]}",
        name,
        f"{person.surname}{person.given}",
        f"{person.surname_latin} {person.given_latin}",
        seireki(born),
        wareki(born),
        f"{born:%Y%m%d}",
        f"{born:%Y-%m-%d}",
        person.phone,
        person.email,
        person.address,
    )
    return Upload(key, text.encode(), secrets)


def _seed(endpoint: str, uploads: tuple[Upload, ...]) -> None:
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="welcomehr-uploads")
    client.put_bucket_policy(
        Bucket="welcomehr-uploads", Policy=public_read_policy("welcomehr-uploads", "")
    )
    for upload in uploads:
        client.put_object(Bucket="welcomehr-uploads", Key=upload.key, Body=upload.body)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "markdown", "sarif", "ocsf", "csv"])
def test_a_scan_leaks_no_identifier_name_birth_date_or_secret_key(
    moto_endpoint: str, tmp_path: Path, fmt: str
) -> None:
    rng = random.Random(909)
    uploads = tuple(_upload(japanese_person(rng), my_number(rng), index) for index in range(3))
    _seed(moto_endpoint, uploads)
    report = tmp_path / "out" / f"report.{fmt}"
    report.parent.mkdir()
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "COLUMNS": "200",
    }
    command = [
        sys.executable, "-c", "from bucketscan.scanner.cli import main; main()",
        "scan", "aws", "--endpoint-url", moto_endpoint, "--workers", "1",
        "--ocr-engine", "none", "--format", fmt, "-o", str(report), "--redact-keys",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the exposed My Number cards are found
    written = report.read_text(encoding="utf-8")
    assert written.replace("\\_", "_").count("my_number") >= len(uploads)
    assert "welcomehr-uploads" in done.stderr  # the terminal summary was printed
    every_file = {
        path: path.read_text(encoding="utf-8", errors="replace")
        for path in tmp_path.rglob("*")
        if path.is_file()
    }
    assert list(every_file) == [report]  # no log or leftover file beside the report
    places = {"report": written, "stdout": done.stdout, "stderr": done.stderr}
    for upload in uploads:
        for secret in (*upload.secrets, SECRET_KEY):
            for place, text in places.items():
                assert secret not in text, f"{secret!r} in {place}"
