"""Hostile content in a scanned bucket: bombs and caps cost little, and every object is named."""

from __future__ import annotations

import io
import json
import os
import signal
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import boto3
import pytest
from pypdf import PdfReader, PdfWriter

from bucketscan.policies.extract import extract
from bucketscan.scanner.demo.aws import REGION, public_read_policy
from bucketscan.synthetic import forms, negatives
from processes import PeakMemory, start_scan

MIB = 1024 * 1024
WORKER_LIMIT = 1536 * MIB


def declare_size(archive: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size set to `size` in both of its headers (a lie)."""
    data = bytearray(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        struct.pack_into("<L", data, opened.getinfo(member).header_offset + 22, size)
    name, position = member.encode(), 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:  # central directory entries
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == name:
            struct.pack_into("<L", data, position + 24, size)
        position += 4
    return bytes(data)


def lying_docx(inflated: int = 512 * MIB, declared: int = 4096) -> bytes:
    """A résumé-shaped DOCX with a bzip2 member of `inflated` zeros declared as `declared` bytes."""
    base = forms.render_docx(negatives.article_resume_en())
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        member = zipfile.ZipInfo("word/media/image1.png")
        member.compress_type = zipfile.ZIP_BZIP2
        with target.open(member, "w") as stream:
            for _ in range(inflated // MIB):
                stream.write(bytes(MIB))
    return declare_size(buffer.getvalue(), member.filename, declared)


def pixel_bomb_png(side: int = 100_000) -> bytes:
    """A valid PNG header claiming side x side pixels, and almost no image data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def many_page_pdf(pages: int = 2000) -> bytes:
    """One page of a text PDF, repeated."""
    reader = PdfReader(io.BytesIO(forms.render_pdf(negatives.article_resume_en())))
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(reader.pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def huge_text(size: int = 30 * MIB) -> bytes:
    """CSV-like lines, more of them than any cap lets through."""
    line = "社員番号,氏名,部署,入社日\n".encode()
    return line * (size // len(line))


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return lying_docx()


def test_a_zip_member_that_inflates_past_its_declared_size_is_refused_cheaply(
    bomb: bytes,
) -> None:
    tracemalloc.start()
    try:
        document = extract(bomb, "cv.docx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document.unreadable is not None and "past its declared size" in document.unreadable
    assert "zip bomb guard" in document.unreadable
    assert peak < 16 * MIB  # 512 MiB behind a 4 KiB declaration: refused at 4 KiB, not inflated


def test_an_honest_docx_still_reads_through_the_rebuilt_archive() -> None:
    document = extract(forms.render_docx(negatives.article_resume_en()), "article.docx")
    assert document.unreadable is None
    assert len(document.text) > 200


def test_text_is_read_to_its_cap_and_says_so() -> None:
    document = extract(huge_text(3 * MIB), "export.csv")
    assert len(document.text.encode()) <= 2 * MIB
    assert any("bytes of text read (text cap)" in note for note in document.notes)


HOSTILE_KEYS = {
    "bomb": "応募/履歴書\t加藤\r.docx",  # moto refuses a newline in a key; S3 does not
    "pixels": "scan\x1b[2J`<img src=x onerror=alert(1)>`.png",
    "pages": "docs/..manual|all\r.pdf",
    "text": "exports/社員一覧 " + "x" * 300 + ".csv",
}


@pytest.mark.integration
def test_hostile_objects_in_a_scanned_bucket(
    moto_endpoint: str, bomb: bytes, tmp_path: Path
) -> None:
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name=REGION)
    client.create_bucket(Bucket="hostile", CreateBucketConfiguration={"LocationConstraint": REGION})
    client.put_bucket_policy(Bucket="hostile", Policy=public_read_policy("hostile", ""))
    bodies = {
        "bomb": bomb,
        "pixels": pixel_bomb_png(),
        "pages": many_page_pdf(),
        "text": huge_text(),
    }
    for kind, key in HOSTILE_KEYS.items():
        client.put_object(Bucket="hostile", Key=key, Body=bodies[kind])
    report = tmp_path / "report.json"
    args = ["scan", "aws", "--bucket", "hostile", "--workers", "2", "-q", "-o", str(report)]
    scan = start_scan(args, {"AWS_ENDPOINT_URL": moto_endpoint})
    memory = PeakMemory(scan.pid)
    try:
        _out, err = scan.communicate(timeout=600)
    finally:
        memory.stop()
        if scan.poll() is None:
            os.killpg(scan.pid, signal.SIGKILL)
    assert scan.returncode == 0, err.decode()
    assert memory.workers, "no analysis worker was seen"
    for pid in memory.workers:
        assert memory.peaks.get(pid, 0) < WORKER_LIMIT, (pid, memory.peaks)
    written = json.loads(report.read_text(encoding="utf-8"))
    named = {item["key"]: item for item in written["unreadable"]}
    assert set(named) == set(HOSTILE_KEYS.values()), sorted(named)
    expected = {
        "bomb": "zip bomb guard",
        "pixels": "bomb guard",
        "pages": "PDF has 2000 pages: only the first 10 read",
        "text": "bytes of text read (text cap)",
    }
    for kind, key in HOSTILE_KEYS.items():
        said = " ".join([named[key]["reason"], *named[key]["notes"]])
        assert expected[kind] in said, (kind, said)
