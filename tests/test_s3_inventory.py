"""S3 Inventory as the key source: listing's findings, no GetObjectAcl, failures per bucket."""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

import boto3
import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq
import pytest
from moto import mock_aws

from bucketscan.metering import Meter
from bucketscan.providers.aws import AwsProvider
from bucketscan.providers.aws_inventory import (
    InventoryError,
    InventoryLimits,
    S3Inventory,
    acl_facts,
    parse_location,
    parse_manifest,
)
from bucketscan.providers.base import ProviderError
from bucketscan.records.common import Exposure
from bucketscan.records.s3 import S3Grantee
from bucketscan.scanner.analyzer import InlineAnalyzer
from bucketscan.scanner.options import ScanOptions
from bucketscan.scanner.runner import ScanOutcome, run_scan
from bucketscan.scanner.stats import ScanStats
from test_provider_aws import fake_env  # noqa: F401  # a fixture: throwaway credentials

SOURCE, OTHER, DEST = "uploads", "other", "inventory-dest"
CONFIG = "daily"
STAMP = "2024-05-01T00-00Z"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
SENSITIVE = "個人番号カード\n個人番号 6214 9832 0257\n氏名 山田 太郎\n".encode()
CSV_SCHEMA = (
    "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, "
    "ObjectAccessControlList, ObjectOwner"
)
OPTIONS = ScanOptions(workers=1, ocr_engine="none", io_threads=4)


@dataclass(frozen=True)
class Row:
    """One inventory row as S3 would write it."""

    key: str
    size: int
    modified: datetime
    etag: str
    acl: str | None
    latest: bool = True
    delete_marker: bool = False


@pytest.fixture
def s3(fake_env: None) -> Iterator[Any]:  # noqa: F811  # the imported fixture
    """A moto account with two buckets where object ACLs count, and an inventory destination."""
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        for name in (SOURCE, OTHER, DEST):
            client.create_bucket(Bucket=name)
        objects = {
            "ids/card-001.txt": (SENSITIVE, "public-read"),
            "ids/card-002.txt": (SENSITIVE, "private"),
            "docs/a b+c.txt": (b"meeting notes\n", "public-read"),
            **{f"docs/note-{i}.txt": (f"note {i}\n".encode(), "private") for i in range(6)},
        }
        for key, (body, acl) in objects.items():
            client.put_object(Bucket=SOURCE, Key=key, Body=body, ACL=acl)
        client.put_object(Bucket=OTHER, Key="ids/card-9.txt", Body=SENSITIVE, ACL="public-read")
        yield client


def inventory_rows(client: Any, bucket: str = SOURCE) -> list[Row]:
    """The bucket's objects as inventory rows (ACLs written independently of GetObjectAcl), plus
    a delete marker and an older version that a scan must skip."""
    owner = client.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]
    rows = []
    for entry in client.list_objects_v2(Bucket=bucket)["Contents"]:
        key = entry["Key"]
        grants = [{"canonicalId": owner, "type": "CanonicalUser", "permission": "FULL_CONTROL"}]
        public = key in ("ids/card-001.txt", "docs/a b+c.txt", "ids/card-9.txt")
        if public:
            grants.append({"uri": ALL_USERS, "type": "Group", "permission": "READ"})
        field = {"version": "2022-11-10", "status": "AVAILABLE", "grants": grants}
        encoded = base64.b64encode(json.dumps(field).encode()).decode()
        rows.append(Row(key, entry["Size"], entry["LastModified"], entry["ETag"], encoded))
    when = datetime(2024, 1, 1, tzinfo=UTC)
    rows.append(Row("gone/old.txt", 0, when, "", None, delete_marker=True))
    rows.append(Row("ids/card-001.txt", 3, when, "0" * 32, None, latest=False))
    random.Random(7).shuffle(rows)  # inventory files are not sorted
    return rows


def csv_file(rows: list[Row], bucket: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for row in rows:
        writer.writerow(
            [
                bucket,
                quote_plus(row.key, safe="/"),
                "v1",
                str(row.latest).lower(),
                str(row.delete_marker).lower(),
                "" if row.delete_marker else str(row.size),
                row.modified.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                row.etag.strip('"'),
                row.acl or "",
                "owner",
            ]
        )
    return gzip.compress(text.getvalue().encode())


def arrow_table(rows: list[Row], bucket: str) -> pa.Table:
    return pa.table(
        {
            "bucket": [bucket] * len(rows),
            "key": [row.key for row in rows],
            "version_id": ["v1"] * len(rows),
            "is_latest": [row.latest for row in rows],
            "is_delete_marker": [row.delete_marker for row in rows],
            "size": [None if row.delete_marker else row.size for row in rows],
            "last_modified_date": pa.array(
                [row.modified for row in rows], pa.timestamp("ms", tz="UTC")
            ),
            "e_tag": [row.etag.strip('"') for row in rows],
            "object_access_control_list": [row.acl for row in rows],
            "object_owner": ["owner"] * len(rows),
        }
    )


def data_file(rows: list[Row], file_format: str, bucket: str) -> bytes:
    if file_format == "CSV":
        return csv_file(rows, bucket)
    out = io.BytesIO()
    if file_format == "Parquet":
        pq.write_table(arrow_table(rows, bucket), out)
    else:
        orc.write_table(arrow_table(rows, bucket), out)
    return out.getvalue()


def write_inventory(
    client: Any,
    rows: list[Row],
    file_format: str,
    *,
    bucket: str = SOURCE,
    stamp: str = STAMP,
    files: int = 3,
    corrupt: bool = False,
) -> str:
    """An inventory delivery as S3 writes it: data files, manifest.json, manifest.checksum."""
    base = f"reports/{bucket}/{CONFIG}"
    entries = []
    suffix = {"CSV": "csv.gz", "Parquet": "parquet", "ORC": "orc"}[file_format]
    for index in range(files):
        body = data_file(rows[index::files], file_format, bucket)
        key = f"{base}/data/part-{index}.{suffix}"
        client.put_object(Bucket=DEST, Key=key, Body=body[:-1] if corrupt else body)
        md5 = hashlib.md5(body).hexdigest()
        entries.append({"key": key, "size": len(body), "MD5checksum": md5})
    manifest = {
        "sourceBucket": bucket,
        "destinationBucket": f"arn:aws:s3:::{DEST}",
        "version": "2016-11-30",
        "creationTimestamp": "1714521600000",
        "fileFormat": file_format,
        "fileSchema": CSV_SCHEMA if file_format == "CSV" else "message s3.inventory { … }",
        "files": entries,
    }
    document = json.dumps(manifest).encode()
    key = f"{base}/{stamp}/manifest.json"
    client.put_object(Bucket=DEST, Key=key, Body=document)
    checksum = hashlib.md5(document).hexdigest().encode()
    client.put_object(Bucket=DEST, Key=f"{base}/{stamp}/manifest.checksum", Body=checksum)
    return f"s3://{DEST}/{key}"


def scan(
    inventories: tuple[str, ...] = (),
    *,
    range_keys: int | None = None,
    stats: ScanStats | None = None,
) -> tuple[ScanOutcome, dict[str, int]]:
    meter = Meter()
    provider = AwsProvider(
        boto3.Session(region_name="us-east-1"),
        meter=meter,
        bucket_names=(SOURCE, OTHER),
        inventories=tuple(parse_location(text) for text in inventories),
        inventory_range_keys=range_keys,
    )
    analyzer = InlineAnalyzer(ocr_engine="none")
    outcome = run_scan(provider, OPTIONS, (), meter=meter, analyzer=analyzer, stats=stats)
    return outcome, meter.requests()


def verdicts(outcome: ScanOutcome) -> tuple[set[Any], dict[str, Any]]:
    """What a scan concluded: findings with their exposure, and every bucket's counts."""
    findings = {
        (f.bucket, f.key, f.document_type, f.exposure, f.exposure_reasons) for f in outcome.findings
    }
    buckets = {
        b.ref.name: (b.access, b.objects_listed, b.objects_readable, b.findings, b.errors)
        for b in outcome.buckets
    }
    return findings, buckets


@pytest.mark.parametrize("file_format", ["CSV", "Parquet", "ORC"])
def test_inventory_finds_what_listing_finds_without_object_acl_calls(
    s3: Any, file_format: str
) -> None:
    listed, listed_calls = scan()
    location = write_inventory(s3, inventory_rows(s3), file_format)
    inventoried, calls = scan((location,))
    assert verdicts(inventoried) == verdicts(listed)
    exposed = {(f.key, f.exposure) for f in inventoried.findings}
    assert exposed == {
        ("ids/card-001.txt", Exposure.PUBLIC),
        ("ids/card-9.txt", Exposure.PUBLIC),
    }
    assert listed_calls["s3.GetObjectAcl"] == 10  # listing: one per object of both buckets
    assert calls["s3.GetObjectAcl"] == 1  # only the bucket without an inventory's object
    assert calls["s3.ListObjectsV2"] == 1  # only that bucket was listed
    assert calls["s3.GetObject"] >= 3 + 2  # data files, manifest and checksum, content reads


def test_inventory_key_ranges_are_scanned_as_units_and_join_back(s3: Any) -> None:
    listed, _ = scan()
    location = write_inventory(s3, inventory_rows(s3), "Parquet")
    stats = ScanStats()
    inventoried, calls = scan((location,), range_keys=3, stats=stats)
    assert verdicts(inventoried) == verdicts(listed)
    assert stats.count("units_total") == 3 + 1  # the inventoried bucket's 3 ranges, the other
    assert calls.get("s3.GetObjectAcl", 0) == 1
    client = boto3.client("s3", region_name="us-east-1")
    inventory = S3Inventory(client, parse_location(location), range_keys=3)
    cuts = inventory.boundaries()
    assert len(cuts) == 2  # 9 current objects in ranges of 3
    keys = [obj.key for obj in inventory.objects()]
    assert keys == sorted(obj["Key"] for obj in s3.list_objects_v2(Bucket=SOURCE)["Contents"])
    ranges = ["", *cuts, None]
    joined = [
        obj.key
        for low, high in itertools.pairwise(ranges)
        for obj in inventory.objects("", low or "", high)
    ]
    assert joined == keys  # each key in exactly one range


def test_inventory_objects_keep_size_dates_etag_and_acl(s3: Any) -> None:
    location = write_inventory(s3, inventory_rows(s3), "CSV")
    inventory = S3Inventory(boto3.client("s3", region_name="us-east-1"), parse_location(location))
    listed = {obj["Key"]: obj for obj in s3.list_objects_v2(Bucket=SOURCE)["Contents"]}
    objects = {obj.key: obj for obj in inventory.objects()}
    assert set(objects) == set(listed)  # the delete marker and the old version are skipped
    spaced = objects["docs/a b+c.txt"]  # CSV keys are URL-encoded
    assert spaced.size == listed["docs/a b+c.txt"]["Size"]
    assert spaced.etag == listed["docs/a b+c.txt"]["ETag"].strip('"')
    assert spaced.last_modified == listed["docs/a b+c.txt"]["LastModified"].replace(microsecond=0)
    assert spaced.facts is not None and spaced.facts.acl is not None
    assert {grant.grantee for grant in spaced.facts.acl} == {
        S3Grantee.CANONICAL_USER,
        S3Grantee.ALL_USERS,
    }
    assert [obj.key for obj in inventory.objects("ids/")] == [
        "ids/card-001.txt",
        "ids/card-002.txt",
    ]


def test_a_configuration_prefix_uses_its_latest_delivered_manifest(s3: Any) -> None:
    rows = inventory_rows(s3)
    write_inventory(s3, [row for row in rows if row.key.startswith("ids/")], "CSV", stamp=STAMP)
    write_inventory(s3, rows, "CSV", stamp="2024-05-02T00-00Z")
    s3.put_object(Bucket=DEST, Key=f"reports/{SOURCE}/{CONFIG}/2024-05-03T00-00Z/part", Body=b"")
    location = parse_location(f"s3://{DEST}/reports/{SOURCE}/{CONFIG}/")
    assert location.source == SOURCE and location.is_prefix
    inventory = S3Inventory(boto3.client("s3", region_name="us-east-1"), location)
    assert len(list(inventory.objects())) == 9  # 05-02's; 05-03 has no manifest yet


def test_an_inventory_whose_manifest_is_denied_leaves_its_bucket_unknown(s3: Any) -> None:
    location = write_inventory(s3, inventory_rows(s3), "CSV")
    meter = Meter()
    session = boto3.Session(region_name="us-east-1")
    session.events.register("before-call.s3.GetObject", deny_manifest)
    provider = AwsProvider(
        session,
        meter=meter,
        bucket_names=(SOURCE, OTHER),
        inventories=(parse_location(location),),
    )
    outcome = run_scan(
        provider, OPTIONS, (), meter=meter, analyzer=InlineAnalyzer(ocr_engine="none")
    )
    results = {bucket.ref.name: bucket for bucket in outcome.buckets}
    failed = results[SOURCE]
    assert failed.listing_failed and failed.access.read is Exposure.UNKNOWN
    assert any("AccessDenied" in error and location in error for error in failed.errors)
    assert results[OTHER].findings == 1  # the scan went on


def deny_manifest(model: Any, params: Any, **_: Any) -> Any:
    """AccessDenied for GetObject on the inventory's manifest, as IAM would answer."""
    if not str(params.get("url_path", "")).endswith("manifest.json"):
        return None
    error = {"Code": "AccessDenied", "Message": "Access Denied"}
    return type("Http", (), {"status_code": 403})(), {
        "Error": error,
        "ResponseMetadata": {"HTTPStatusCode": 403},
    }


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("checksum", "MD5 checksum mismatch"),
        ("malformed", "manifest is not JSON"),
        ("columns", "does not fit the manifest"),
        ("manifest-checksum", "does not match manifest.checksum"),
    ],
)
def test_an_unusable_inventory_is_that_buckets_error_and_the_scan_goes_on(
    s3: Any, damage: str, reason: str
) -> None:
    rows = inventory_rows(s3)
    location = write_inventory(s3, rows, "CSV", corrupt=damage == "checksum")
    key = location.removeprefix(f"s3://{DEST}/")
    if damage == "malformed":
        s3.put_object(Bucket=DEST, Key=key, Body=b"{not json")
        s3.delete_object(Bucket=DEST, Key=key.replace(".json", ".checksum"))
    elif damage == "manifest-checksum":
        s3.put_object(Bucket=DEST, Key=key.replace(".json", ".checksum"), Body=b"0" * 32)
    elif damage == "columns":  # a data file with fewer columns than fileSchema names
        body = gzip.compress(b'"uploads","ids/card-001.txt","12"\n')
        manifest = json.loads(s3.get_object(Bucket=DEST, Key=key)["Body"].read())
        part = manifest["files"][0]
        s3.put_object(Bucket=DEST, Key=part["key"], Body=body)
        part.update(size=len(body), MD5checksum=hashlib.md5(body).hexdigest())
        document = json.dumps(manifest).encode()
        s3.put_object(Bucket=DEST, Key=key, Body=document)
        checksum = hashlib.md5(document).hexdigest().encode()
        s3.put_object(Bucket=DEST, Key=key.replace(".json", ".checksum"), Body=checksum)
    outcome, calls = scan((location,))
    results = {bucket.ref.name: bucket for bucket in outcome.buckets}
    failed = results[SOURCE]
    assert failed.listing_failed and failed.access.read is Exposure.UNKNOWN
    assert any(reason in error for error in failed.errors), failed.errors
    assert failed.objects_listed == 0  # no fallback to listing: the inventory was asked for
    assert calls["s3.ListObjectsV2"] == 1  # the other bucket only
    assert results[OTHER].findings == 1


def test_a_hostile_inventory_is_refused_with_a_note() -> None:
    huge = {
        "sourceBucket": SOURCE,
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key",
        "files": [{"key": "a.csv.gz", "size": 10**12, "MD5checksum": "0" * 32}],
    }
    with pytest.raises(InventoryError, match="refused"):
        parse_manifest(json.dumps(huge).encode())
    many = {**huge, "files": [{"key": "a", "size": 1, "MD5checksum": "0" * 32}] * 5}
    with pytest.raises(InventoryError, match="5 files"):
        parse_manifest(json.dumps(many).encode(), InventoryLimits(files=4))
    no_key = {**huge, "fileSchema": "Bucket, Size"}
    with pytest.raises(InventoryError, match="no Key column"):
        parse_manifest(json.dumps(no_key).encode())
    with pytest.raises(InventoryError, match="fileFormat"):
        parse_manifest(json.dumps({**huge, "fileFormat": "XLS"}).encode())


def test_a_data_file_of_another_bucket_or_too_large_once_expanded_is_refused(s3: Any) -> None:
    rows = inventory_rows(s3, OTHER)
    location = write_inventory(s3, rows, "CSV", bucket=OTHER, files=1)
    inventory = S3Inventory(  # another bucket's report, named as this one's
        boto3.client("s3", region_name="us-east-1"),
        parse_location(f"{SOURCE}={location}"),
    )
    with pytest.raises(InventoryError, match=f"for bucket {OTHER}, not {SOURCE}"):
        list(inventory.objects())
    small = S3Inventory(
        boto3.client("s3", region_name="us-east-1"),
        parse_location(location),
        limits=InventoryLimits(expanded_bytes=64),
    )
    with pytest.raises(InventoryError, match="expands past 64 bytes: refused"):
        list(small.objects())


def test_an_inventory_without_a_source_in_its_path_is_placed_by_its_manifest(s3: Any) -> None:
    rows = inventory_rows(s3)
    location = write_inventory(s3, rows, "Parquet")
    manifest = s3.get_object(Bucket=DEST, Key=location.removeprefix(f"s3://{DEST}/"))
    s3.put_object(Bucket=DEST, Key="copied/manifest.json", Body=manifest["Body"].read())
    inventoried, calls = scan((f"s3://{DEST}/copied/manifest.json",))
    assert calls["s3.GetObjectAcl"] == 1
    assert {f.key for f in inventoried.findings} == {"ids/card-001.txt", "ids/card-9.txt"}
    with pytest.raises(ProviderError, match="cannot read"):
        AwsProvider(
            boto3.Session(region_name="us-east-1"),
            inventories=(parse_location(f"s3://{DEST}/nowhere/manifest.json"),),
        ).place_inventories()


@pytest.mark.parametrize(
    ("text", "bucket", "key", "source"),
    [
        (f"s3://d/p/src/cfg/{STAMP}/manifest.json", "d", f"p/src/cfg/{STAMP}/manifest.json", "src"),
        ("s3://d/p/src/cfg/", "d", "p/src/cfg/", "src"),
        ("s3://d/src/cfg", "d", "src/cfg/", "src"),
        ("mine=s3://d/x/manifest.json", "d", "x/manifest.json", "mine"),
        ("s3://d/x/manifest.json", "d", "x/manifest.json", None),
    ],
)
def test_locations(text: str, bucket: str, key: str, source: str | None) -> None:
    location = parse_location(text)
    assert (location.bucket, location.key, location.source) == (bucket, key, source)


@pytest.mark.parametrize("text", ["d/x/manifest.json", "s3://d", "s3://d/only/", "s3:///k.json"])
def test_bad_locations_are_refused(text: str) -> None:
    with pytest.raises(InventoryError):
        parse_location(text)


def test_the_object_acl_field_reads_as_get_object_acl_would() -> None:
    field = {
        "version": "2022-11-10",
        "status": "AVAILABLE",
        "grants": [
            {"canonicalId": "abc", "type": "CanonicalUser", "permission": "FULL_CONTROL"},
            {"uri": ALL_USERS, "type": "Group", "permission": "READ"},
        ],
    }
    encoded = base64.b64encode(json.dumps(field).encode()).decode()
    facts = acl_facts(encoded)
    assert facts is not None and facts.acl is not None
    assert [(g.grantee, g.identifier, g.permission) for g in facts.acl] == [
        (S3Grantee.CANONICAL_USER, "abc", "FULL_CONTROL"),
        (S3Grantee.ALL_USERS, ALL_USERS, "READ"),
    ]
    assert acl_facts(json.dumps(field)) == facts  # unencoded JSON is read too
    unavailable = base64.b64encode(b'{"status": "UNAVAILABLE"}').decode()
    assert acl_facts(unavailable) is None  # then the object's ACL is asked for
    assert acl_facts("not base64 at all!") is None
    assert acl_facts(None) is None
