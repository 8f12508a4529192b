"""S3 Inventory reports as a bucket's key source: manifest, data files, per-object ACLs.

Example: ``S3Inventory(s3, parse_location("s3://logs/inv/photos/daily/")).objects()`` yields the
current objects of the report's source bucket in key order, each with its ACL facts when the
report carries the Object ACL field. Data files are read into memory (never to disk) and parsed
with pyarrow, which is imported only here and only when a report is read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import math
import re
import threading
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from bucketscan.providers.aws_facts import AWS_FAILURES, error_code, error_text, grants
from bucketscan.records.common import StoredObject
from bucketscan.records.s3 import S3ObjectFacts

if TYPE_CHECKING:
    import pyarrow as pa

_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z$")  # a delivery's folder: 2016-11-06T21-32Z
_MD5 = re.compile(r"^[0-9a-fA-F]{32}$")
_ACL_CACHE = 4096  # distinct Object ACL values remembered: most objects share a handful
_BATCH = 4096  # rows turned into StoredObjects at a time
_SAMPLES_PER_FILE = 1024  # keys kept per data file to place range boundaries
# fileSchema names (CSV: "LastModifiedDate"; ORC and Parquet: "last_modified_date"), folded.
_COLUMNS = {
    "bucket": "bucket",
    "key": "key",
    "size": "size",
    "lastmodifieddate": "last_modified",
    "etag": "etag",
    "islatest": "is_latest",
    "isdeletemarker": "is_delete_marker",
    "objectaccesscontrollist": "acl",
}


class InventoryError(Exception):
    """An inventory that cannot be used: unreadable, malformed, refused; one-line message."""


class InventoryFormat(StrEnum):
    """The data file formats S3 Inventory writes."""

    CSV = "CSV"
    ORC = "ORC"
    PARQUET = "Parquet"


@dataclass(frozen=True)
class InventoryLimits:
    """What a report may cost before it is refused as hostile (sizes in bytes)."""

    manifest_bytes: int = 16 * 1024 * 1024
    file_bytes: int = 1024 * 1024 * 1024  # one data file as stored (compressed)
    expanded_bytes: int = 2 * 1024 * 1024 * 1024  # one CSV file once gunzipped
    files: int = 100_000
    rows: int = 1_000_000_000
    cached_rows: int = 250_000  # a report this small is read once and kept, not read again


@dataclass(frozen=True)
class InventoryLocation:
    """A manifest.json, or an inventory configuration's prefix (its latest manifest is used)."""

    bucket: str  # the destination bucket
    key: str  # "…/manifest.json", or a prefix ending in "/"
    source: str | None = None  # the source bucket, when the location names it

    @property
    def url(self) -> str:
        """The location as given on the command line."""
        return f"s3://{self.bucket}/{self.key}"

    @property
    def is_prefix(self) -> bool:
        """Whether the location is a configuration's prefix rather than one manifest."""
        return self.key.endswith("/")


def parse_location(text: str) -> InventoryLocation:
    """``[SOURCE=]s3://DEST/KEY``: a manifest.json, or ``DEST/PREFIX/SOURCE/CONFIG-ID/``.

    The source bucket comes from ``SOURCE=``, else from AWS's layout
    (``PREFIX/SOURCE/CONFIG-ID/YYYY-MM-DDTHH-MMZ/manifest.json``), else from the manifest itself.
    """
    source: str | None = None
    if "=" in text and not text.startswith("s3://"):
        named, text = text.split("=", 1)
        source = named.strip() or None
    if not text.startswith("s3://"):
        raise InventoryError(f"inventory location must be s3://BUCKET/KEY, got {text!r}")
    bucket, _, key = text.removeprefix("s3://").partition("/")
    if not bucket:
        raise InventoryError(f"inventory location names no bucket: {text!r}")
    if key.endswith(".json"):
        parts = key.split("/")
        dated = len(parts) >= 4 and _DATED.match(parts[-2])
        derived = parts[-4] if dated else None
    else:
        parts = key.rstrip("/").split("/")
        if len(parts) < 2 or not all(parts[-2:]):
            raise InventoryError(
                f"{text}: name a manifest.json or a configuration's prefix "
                "(s3://DEST/PREFIX/SOURCE-BUCKET/CONFIG-ID/)"
            )
        derived, key = parts[-2], key.rstrip("/") + "/"
    return InventoryLocation(bucket, key, source or derived)


@dataclass(frozen=True)
class DataFile:
    """One data file a manifest lists, in the destination bucket."""

    key: str
    size: int
    md5: str


@dataclass(frozen=True)
class Manifest:
    """The parts of a manifest.json a scan uses."""

    source_bucket: str
    file_format: InventoryFormat
    columns: tuple[str, ...]  # CSV's fileSchema names; ORC and Parquet files carry their own
    files: tuple[DataFile, ...]
    destination_bucket: str | None = None


def parse_manifest(data: bytes, limits: InventoryLimits = InventoryLimits()) -> Manifest:
    """A manifest.json's fields, checked; anything missing or out of bounds is refused."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise InventoryError(f"manifest is not JSON: {error}") from error
    if not isinstance(document, dict):
        raise InventoryError("manifest is not a JSON object")
    source = document.get("sourceBucket")
    if not isinstance(source, str) or not source:
        raise InventoryError("manifest has no sourceBucket")
    wanted = str(document.get("fileFormat", "")).casefold()
    file_format = next((f for f in InventoryFormat if f.value.casefold() == wanted), None)
    if file_format is None:
        raise InventoryError(f"manifest fileFormat {document.get('fileFormat')!r} is not known")
    schema = document.get("fileSchema")
    if not isinstance(schema, str):
        raise InventoryError("manifest has no fileSchema")
    columns: tuple[str, ...] = ()
    if file_format is InventoryFormat.CSV:
        columns = tuple(name.strip() for name in schema.split(","))
        folded = {_fold(name) for name in columns}
        if "key" not in folded or len(folded) != len(columns):
            raise InventoryError(f"CSV fileSchema has no Key column or repeats one: {schema!r}")
    files = document.get("files")
    if not isinstance(files, list):
        raise InventoryError("manifest has no files list")
    if len(files) > limits.files:
        raise InventoryError(f"manifest lists {len(files)} files (limit {limits.files})")
    return Manifest(
        source_bucket=source,
        file_format=file_format,
        columns=columns,
        files=tuple(_data_file(entry, limits) for entry in files),
        destination_bucket=_arn_bucket(document.get("destinationBucket")),
    )


def _data_file(entry: Any, limits: InventoryLimits) -> DataFile:
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        raise InventoryError("manifest lists a file without a key")
    size, md5 = entry.get("size"), entry.get("MD5checksum")
    if not isinstance(size, int) or size < 0 or not isinstance(md5, str) or not _MD5.match(md5):
        raise InventoryError(f"manifest entry {entry['key']!r} has no valid size or MD5checksum")
    if size > limits.file_bytes:
        raise InventoryError(
            f"data file {entry['key']} is {size:,} bytes (limit {limits.file_bytes:,}): refused"
        )
    return DataFile(entry["key"], size, md5.lower())


def _arn_bucket(value: Any) -> str | None:
    """The bucket of ``arn:aws:s3:::name`` (or a bare name)."""
    if not isinstance(value, str) or not value:
        return None
    return value.rsplit(":", 1)[-1]


def _fold(name: str) -> str:
    return name.replace("_", "").replace(" ", "").casefold()


def acl_facts(value: str | None) -> S3ObjectFacts | None:
    """An object's ACL facts from the inventory's Object ACL field; None when it has none.

    The field is JSON (version, status, grants of ``{type, uri | canonicalId, permission}``),
    base64-encoded in the report; it is turned into GetObjectAcl's shape and read by the same
    parser. UNAVAILABLE, absent or malformed gives None: the object's ACL is then asked for.
    """
    if not value:
        return None
    text = value.strip()
    if not text.startswith("{"):
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if not isinstance(document, dict) or document.get("status") != "AVAILABLE":
        return None
    entries = document.get("grants")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        return None
    response = {"Grants": [_as_api_grant(entry) for entry in entries]}
    return S3ObjectFacts(acl=grants(response))


def _as_api_grant(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One inventory grant in GetObjectAcl's shape."""
    kind = str(entry.get("type", ""))
    if kind == "Group":
        grantee = {"Type": "Group", "URI": str(entry.get("uri", ""))}
    else:  # CanonicalUser: an e-mail grantee is reported by its account's canonical id
        grantee = {"Type": "CanonicalUser", "ID": str(entry.get("canonicalId", ""))}
    return {"Grantee": grantee, "Permission": str(entry.get("permission", ""))}


def expand_gzip(data: bytes, limit: int) -> bytes:
    """A gzip member decompressed in memory, refused once it would pass `limit` bytes."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise InventoryError(f"data file is not gzip: {error}") from error
    if len(out) > limit:
        raise InventoryError(f"data file expands past {limit:,} bytes: refused")
    return out


def read_rows(data: bytes, manifest: Manifest, limits: InventoryLimits) -> pa.Table:
    """One data file as a table of key, size, last_modified, etag (and acl), current objects only.

    Delete markers and non-latest versions are dropped; rows of another bucket refuse the file.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        table = _parsed(data, manifest, limits)
        if "bucket" in table.column_names:
            others = pc.sum(pc.not_equal(table["bucket"], manifest.source_bucket)).as_py()
            if others:
                raise InventoryError(
                    f"{others} rows of another bucket than {manifest.source_bucket}: refused"
                )
        keep = pc.is_valid(table["key"])
        if "is_delete_marker" in table.column_names:
            marker = pc.cast(table["is_delete_marker"], pa.bool_())
            keep = pc.and_(keep, pc.invert(pc.fill_null(marker, False)))
        if "is_latest" in table.column_names:
            latest = pc.cast(table["is_latest"], pa.bool_())
            keep = pc.and_(keep, pc.fill_null(latest, True))
        table = table.filter(keep)
        columns = {"key": pc.cast(table["key"], pa.string())}
        if manifest.file_format is InventoryFormat.CSV:
            columns["key"] = _url_decoded(columns["key"])
        size = table["size"] if "size" in table.column_names else None
        columns["size"] = (
            pc.fill_null(pc.cast(size, pa.int64()), 0)
            if size is not None
            else pa.nulls(table.num_rows, pa.int64()).fill_null(0)
        )
        stamp = pa.timestamp("ms", tz="UTC")
        modified = table["last_modified"] if "last_modified" in table.column_names else None
        columns["last_modified"] = (
            pc.cast(modified, stamp, safe=False)
            if modified is not None
            else pa.nulls(table.num_rows, stamp)
        )
        for name in ("etag", "acl"):
            if name in table.column_names:
                columns[name] = pc.cast(table[name], pa.string())
        return pa.table(columns)
    except pa.ArrowException as error:
        raise InventoryError(f"data file does not fit the manifest: {error}") from error


def _parsed(data: bytes, manifest: Manifest, limits: InventoryLimits) -> pa.Table:
    """The file's columns we use, renamed to ours (bucket, key, size, …)."""
    import pyarrow as pa

    if manifest.file_format is InventoryFormat.CSV:
        import pyarrow.csv as pa_csv

        names = list(manifest.columns)
        wanted = [name for name in names if _fold(name) in _COLUMNS]
        table = pa_csv.read_csv(
            io.BytesIO(expand_gzip(data, limits.expanded_bytes)),
            read_options=pa_csv.ReadOptions(column_names=names),
            convert_options=pa_csv.ConvertOptions(
                include_columns=wanted,
                column_types={name: pa.string() for name in wanted},
                strings_can_be_null=True,
            ),
        )
    elif manifest.file_format is InventoryFormat.PARQUET:
        import pyarrow.parquet as pq

        schema = pq.read_schema(io.BytesIO(data))
        wanted = [name for name in schema.names if _fold(name) in _COLUMNS]
        table = pq.read_table(io.BytesIO(data), columns=wanted)
    else:
        import pyarrow.orc as orc

        source = orc.ORCFile(io.BytesIO(data))
        wanted = [name for name in source.schema.names if _fold(name) in _COLUMNS]
        table = source.read(columns=wanted)
    renamed = [_COLUMNS[_fold(name)] for name in table.column_names]
    if "key" not in renamed or len(set(renamed)) != len(renamed):
        raise InventoryError("data file has no key column, or two of one kind: refused")
    if table.num_rows > limits.rows:
        raise InventoryError(f"data file has {table.num_rows:,} rows (limit {limits.rows:,})")
    return table.rename_columns(renamed)


def _url_decoded(keys: pa.ChunkedArray) -> pa.Array:
    """CSV reports URL-encode keys; ORC and Parquet do not."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring_regex(keys, r"[%+]")).as_py():
        return pa.array(keys.to_pylist(), pa.string())
    return pa.array([unquote_plus(key) for key in keys.to_pylist()], pa.string())


@dataclass(frozen=True)
class _Span:
    """A data file's key span, so a key range reads only the files that hold its keys."""

    file: DataFile
    first: str
    last: str


@dataclass
class _Plan:
    """What one pass over the data files learnt: spans, range boundaries, maybe the rows."""

    spans: tuple[_Span, ...]
    rows: int
    boundaries: tuple[str, ...]
    tables: dict[str, pa.Table] | None = None  # by file key; None once the report is too big
    acl_cache: dict[str, S3ObjectFacts | None] = field(default_factory=dict)


class S3Inventory:
    """One source bucket's inventory, read through an injected S3 client.

    The first use reads the manifest and passes once over the data files to learn each file's
    key span and where to cut the keys into ranges of about `range_keys` (default: from the row
    count and `threads`). A range then reads only the files whose span meets it, keeps the rows
    inside it, and sorts them: memory is one data file plus one range, whatever the bucket holds.
    """

    def __init__(
        self,
        client: Any,
        location: InventoryLocation,
        *,
        limits: InventoryLimits = InventoryLimits(),
        range_keys: int | None = None,
        threads: int = 4,
    ) -> None:
        self._client = client
        self.location = location
        self._limits = limits
        self._range_keys = range_keys
        self._threads = max(1, threads)
        self._lock = threading.Lock()
        self._manifest: Manifest | None = None
        self._plan: _Plan | None = None
        self._error: InventoryError | None = None

    def manifest(self) -> Manifest:
        """The manifest (the latest one under a prefix), read once; InventoryError if unusable."""
        with self._lock:
            return self._read_manifest()

    def boundaries(self) -> tuple[str, ...]:
        """Keys to cut the bucket at: ranges of about `range_keys` keys each."""
        return self._planned().boundaries

    def objects(
        self, prefix: str = "", start_after: str = "", last: str | None = None
    ) -> Iterator[StoredObject]:
        """The current objects after `start_after` up to `last`, in key order, range by range."""
        plan = self._planned()
        edges = [edge for edge in plan.boundaries if edge > start_after]
        if last is not None:
            edges = [edge for edge in edges if edge < last]
        lows, highs = [start_after, *edges], [*edges, last]
        for low, high in zip(lows, highs, strict=True):
            yield from self._range(plan, prefix, low, high)

    def _range(
        self, plan: _Plan, prefix: str, low: str, high: str | None
    ) -> Iterator[StoredObject]:
        """One key range: the rows of the files that may hold it, filtered, sorted, deduplicated."""
        import pyarrow as pa
        import pyarrow.compute as pc

        manifest = self.manifest()
        parts = []
        for span in plan.spans:
            if span.last <= low or (high is not None and span.first > high):
                continue
            table = plan.tables.get(span.file.key) if plan.tables is not None else None
            if table is None:
                try:
                    table = read_rows(self._data(span.file), manifest, self._limits)
                except InventoryError as error:
                    raise self._located(error) from error
            keys = table["key"]
            keep = pc.greater(keys, low)
            if high is not None:
                keep = pc.and_(keep, pc.less_equal(keys, high))
            if prefix:
                keep = pc.and_(keep, pc.starts_with(keys, prefix))
            parts.append(table.filter(keep))
        if not parts:
            return
        rows = pa.concat_tables(parts, promote_options="permissive").sort_by("key")
        previous: str | None = None
        for batch in rows.to_batches(max_chunksize=_BATCH):
            columns = batch.to_pydict()
            acls = columns.get("acl") or [None] * batch.num_rows
            etags = columns.get("etag") or [None] * batch.num_rows
            for key, size, modified, etag, acl in zip(
                columns["key"], columns["size"], columns["last_modified"], etags, acls, strict=True
            ):
                if key == previous:
                    continue  # one row per key: a report listing a key twice is not trusted twice
                previous = key
                yield StoredObject(
                    key=key,
                    size=int(size),
                    last_modified=modified,
                    etag=(str(etag).strip('"') or None) if etag else None,
                    facts=_cached_acl(plan.acl_cache, acl),
                )

    def _planned(self) -> _Plan:
        with self._lock:
            if self._plan is None:
                if self._error is not None:
                    raise self._error
                try:
                    self._plan = self._make_plan()
                except InventoryError as error:
                    self._error = self._error or self._located(error)
                    raise self._error from error
            return self._plan

    def _located(self, error: InventoryError) -> InventoryError:
        """The error with the location it is about (once)."""
        prefix = f"inventory {self.location.url}: "
        text = str(error)
        return error if text.startswith(prefix) else InventoryError(prefix + text)

    def _make_plan(self) -> _Plan:
        """One pass over the data files: key spans, samples for the boundaries, small tables."""
        manifest = self._read_manifest()
        spans: list[_Span] = []
        samples: list[tuple[str, int]] = []
        tables: dict[str, pa.Table] | None = {}
        rows = 0
        for data_file in manifest.files:
            table = read_rows(self._data(data_file), manifest, self._limits)
            if table.num_rows == 0:
                continue
            keys = table["key"].sort().to_pylist()
            rows += len(keys)
            if rows > self._limits.rows:
                raise InventoryError(f"inventory lists over {self._limits.rows:,} rows: refused")
            spans.append(_Span(data_file, keys[0], keys[-1]))
            stride = max(1, math.ceil(len(keys) / _SAMPLES_PER_FILE))
            samples.extend((key, stride) for key in keys[stride - 1 :: stride])
            if tables is not None:
                tables[data_file.key] = table
                if rows > self._limits.cached_rows:
                    tables = None  # too big to keep: each range reads its files again
        size = self._range_keys or _auto_range(rows, self._threads)
        return _Plan(tuple(spans), rows, _cuts(samples, size), tables)

    def _read_manifest(self) -> Manifest:
        """Called with the lock held; a failure is kept and raised again, not retried."""
        if self._manifest is not None:
            return self._manifest
        if self._error is not None:
            raise self._error
        try:
            key = self._latest() if self.location.is_prefix else self.location.key
            data = self._get(key, self._limits.manifest_bytes) or b""
            self._check_manifest_checksum(key, data)
            manifest = parse_manifest(data, self._limits)
            if self.location.source and manifest.source_bucket != self.location.source:
                raise InventoryError(
                    f"manifest is for bucket {manifest.source_bucket}, not {self.location.source}"
                )
            if manifest.destination_bucket not in (None, self.location.bucket):
                raise InventoryError(
                    f"manifest's data files are in {manifest.destination_bucket}, not in "
                    f"{self.location.bucket} beside it: refused"
                )
        except InventoryError as error:
            self._error = self._located(error)
            raise self._error from error
        self._manifest = manifest
        return manifest

    def _latest(self) -> str:
        """The newest delivery's manifest.json under a configuration's prefix."""
        prefix = self.location.key
        dated: list[str] = []
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=prefix, Delimiter="/"
        )
        try:
            for page in pages:
                for entry in page.get("CommonPrefixes", ()):
                    name = str(entry["Prefix"])[len(prefix) :].rstrip("/")
                    if _DATED.match(name):
                        dated.append(name)
        except AWS_FAILURES as error:
            raise InventoryError(f"cannot list deliveries: {error_text(error)}") from error
        for name in sorted(dated, reverse=True):
            key = f"{prefix}{name}/manifest.json"
            if self._exists(key):
                return key  # a delivery still being written has no manifest yet
        raise InventoryError("no delivery with a manifest.json under this prefix")

    def _exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.location.bucket, Key=key)
        except AWS_FAILURES as error:
            if error_code(error) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise InventoryError(f"cannot read {key}: {error_text(error)}") from error
        return True

    def _check_manifest_checksum(self, key: str, data: bytes) -> None:
        """manifest.checksum (the MD5 of manifest.json) when the delivery has one."""
        checksum_key = key.rsplit("/", 1)[0] + "/manifest.checksum" if "/" in key else ""
        if not checksum_key:
            return
        expected = self._get(checksum_key, 1024, missing_ok=True)
        if expected is None:
            return
        if expected.decode("ascii", "replace").strip().lower() != _md5(data):
            raise InventoryError("manifest.json does not match manifest.checksum")

    def _data(self, data_file: DataFile) -> bytes:
        """A data file's bytes, checked against the manifest's size and MD5checksum."""
        data = self._get(data_file.key, self._limits.file_bytes)
        if data is None:
            raise InventoryError(f"data file {data_file.key} is missing")
        if _md5(data) != data_file.md5:
            raise InventoryError(f"data file {data_file.key}: MD5 checksum mismatch")
        return data

    def _get(self, key: str, limit: int, *, missing_ok: bool = False) -> bytes | None:
        """An object of the destination bucket into memory, refused past `limit` bytes."""
        try:
            response = self._client.get_object(Bucket=self.location.bucket, Key=key)
        except AWS_FAILURES as error:
            if missing_ok and error_code(error) in ("NoSuchKey", "404"):
                return None
            raise InventoryError(f"cannot read {key}: {error_text(error)}") from error
        body = response["Body"]
        try:
            if int(response.get("ContentLength") or 0) > limit:
                raise InventoryError(f"{key} is over {limit:,} bytes: refused")
            data: bytes = body.read(limit + 1)
        except AWS_FAILURES as error:
            raise InventoryError(f"cannot read {key}: {error_text(error)}") from error
        finally:
            body.close()
        if len(data) > limit:
            raise InventoryError(f"{key} is over {limit:,} bytes: refused")
        return data


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _cached_acl(cache: dict[str, S3ObjectFacts | None], value: str | None) -> S3ObjectFacts | None:
    if value is None:
        return None
    if value not in cache:
        if len(cache) >= _ACL_CACHE:
            cache.clear()
        cache[value] = acl_facts(value)
    return cache[value]


def _auto_range(rows: int, threads: int) -> int:
    """Keys per range: enough ranges to keep every thread busy, none too big to hold in memory."""
    return min(1_000_000, max(10_000, math.ceil(rows / (2 * threads))))


def _cuts(samples: list[tuple[str, int]], size: int) -> tuple[str, ...]:
    """Boundaries every `size` keys, from sampled keys weighted by how many keys each stands for.

    Exact when every key is a sample (small files); approximate otherwise, which only changes how
    evenly the keys spread: the ranges cut at any boundaries still hold each key exactly once.
    """
    cuts: list[str] = []
    seen, target = 0, size
    for key, weight in sorted(samples):
        seen += weight
        if seen >= target and (not cuts or key > cuts[-1]):
            cuts.append(key)
            target = seen + size
    if cuts and cuts[-1] == max(samples)[0]:
        cuts.pop()  # nothing lies after the last key: no empty range at the end
    return tuple(cuts)
