"""The state file (`--state`): earlier outcomes per object, and the work units a sweep finished.

SQLite from the standard library: one file, no server, transactions that survive SIGKILL (WAL),
and lookups by key without loading a bucket's worth of rows. It holds bucket names, keyed hashes
of object keys (never the key text), ETags, last-modified times, sizes and redacted outcomes (the
fields a report shows); never object contents. Units a run finished keep their report records
(keys as the report shows them: masked with --redact-keys) until the run completes, for --resume.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import importlib.metadata
import json
import os
import re
import secrets
import sqlite3
import threading
import time
import types
import typing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from bucketscan import __version__
from bucketscan.records.common import BucketRef, StoredObject, WorkUnit
from bucketscan.records.content import Category, Signal
from bucketscan.scanner.findings import BucketResult, Finding, UnreadableObject
from bucketscan.scanner.options import ScanOptions

STATE_VERSION = "1"
_COMMIT_EVERY_S = 1.0  # outcomes of a unit still running are committed this often
_ANY_RUN = ("workers", "io_threads")  # options that change speed, not results
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
    settings TEXT NOT NULL, fingerprint TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    provider TEXT NOT NULL, account TEXT NOT NULL, bucket TEXT NOT NULL, key_hash TEXT NOT NULL,
    etag TEXT, last_modified TEXT, size INTEGER NOT NULL, fingerprint TEXT NOT NULL,
    outcome TEXT NOT NULL, analysed_at TEXT NOT NULL, run INTEGER NOT NULL,
    PRIMARY KEY (provider, account, bucket, key_hash)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS units (
    run INTEGER NOT NULL, unit TEXT NOT NULL, result TEXT NOT NULL, events TEXT NOT NULL,
    PRIMARY KEY (run, unit));
"""
T = TypeVar("T")


class StateError(Exception):
    """A state file that cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class Outcome:
    """What content analysis concluded of one object: a finding's fields, or clean (no category)."""

    category: Category | None = None
    document_type: str | None = None
    confidence: float = 0.0
    evidence: tuple[Signal, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Earlier:
    """An unchanged object's outcome, from the run that last read it."""

    outcome: Outcome
    analysed_at: str  # that run's start
    run: int


@dataclass(frozen=True)
class Replay:
    """A work unit an interrupted run finished: its records, to report again as they were."""

    events: tuple[Finding | UnreadableObject, ...]
    result: BucketResult


def content_fingerprint(options: ScanOptions) -> str:
    """What content outcomes depend on: the pipeline's code and libraries, OCR engine, byte cap."""
    digest = hashlib.sha256(
        f"{__version__}\0{options.ocr_engine}\0{options.max_object_bytes}".encode()
    )
    root = Path(__file__).resolve().parent.parent  # the bucketscan package
    sources = [root / "records" / "content.py", root / "scanner" / "analyzer.py"]
    sources += [path for path in (root / "policies").rglob("*.py") if "access" not in path.parts]
    for source in sorted(sources):  # access evaluation is not here: every run evaluates it anew
        digest.update(source.relative_to(root).as_posix().encode())
        digest.update(source.read_bytes())
    for name in _content_libraries():
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=absent".encode())
    return digest.hexdigest()[:32]


def _content_libraries() -> list[str]:
    """The distributions of the `content` extra (extraction, OCR models), by name."""
    try:
        required = importlib.metadata.requires("bucketscan") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    return sorted(
        re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0]
        for line in required
        if 'extra == "content"' in line
    )


def run_settings(provider: str, options: ScanOptions) -> str:
    """The options a resumed run must share with the interrupted one (speed knobs aside)."""
    chosen = {k: v for k, v in asdict(options).items() if k not in _ANY_RUN}
    return json.dumps({"provider": provider, **chosen}, sort_keys=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ScanState:
    """One run's view of a state file; safe to call from the engine's threads."""

    def __init__(self, connection: sqlite3.Connection, run: int, started_at: str) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.run = run
        self.started_at = started_at
        self._salt = bytes.fromhex(self._meta("salt"))
        self._fingerprint = str(
            connection.execute("SELECT fingerprint FROM runs WHERE id = ?", (run,)).fetchone()[0]
        )
        self._committed = time.monotonic()

    @classmethod
    def open(
        cls, path: Path, *, settings: str, fingerprint: str, resume: bool
    ) -> tuple[ScanState, bool]:
        """The file's state for a new run, or (resume) for its interrupted one; and whether the
        run resumes one (False: nothing was left to resume)."""
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # bucket names: owner only
        try:
            db = sqlite3.connect(path, check_same_thread=False, timeout=30)
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if tables and "meta" not in tables:  # another program's database: leave it alone
                raise StateError(f"state {path}: not a bucketscan state file (other tables)")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # durable through a crash of this process
            with db:
                db.executescript(_SCHEMA)
                db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('version', ?), ('salt', ?)",
                    (STATE_VERSION, secrets.token_hex(16)),
                )
            version = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StateError(f"state {path}: not a bucketscan state file ({error})") from error
        if version != STATE_VERSION:
            raise StateError(
                f"state {path}: version {version}, this bucketscan reads {STATE_VERSION}"
            )
        row = db.execute(
            "SELECT id, started_at, settings, fingerprint FROM runs "
            "WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if resume and row is not None:
            if row[2] != settings:
                raise StateError(
                    f"state {path}: the interrupted run used other options; resume it with the "
                    "same ones, or drop --resume to start over"
                )
            if row[3] != fingerprint:
                raise StateError(
                    f"state {path}: the content analysis changed since the interrupted run; "
                    "drop --resume to start over"
                )
            return cls(db, int(row[0]), str(row[1])), True
        started = _now()
        with db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, settings, fingerprint) VALUES (?, ?, ?)",
                (started, settings, fingerprint),
            )
        assert cursor.lastrowid is not None
        return cls(db, cursor.lastrowid, started), False

    def _meta(self, name: str) -> str:
        return str(self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()[0])

    def _where(self, ref: BucketRef, key: str) -> tuple[str, str, str, str]:
        """The row's identity; the key as a hash keyed by the file's own salt."""
        digest = hmac.new(self._salt, key.encode("utf-8", "surrogatepass"), hashlib.sha256)
        return ref.provider, ref.account, ref.name, digest.hexdigest()

    def earlier(self, ref: BucketRef, obj: StoredObject) -> Earlier | None:
        """The object's outcome from a run that read this same version of it, if any."""
        if obj.etag is None and obj.last_modified is None:
            return None  # nothing tells that it did not change
        with self._lock:
            row = self._db.execute(
                "SELECT etag, last_modified, size, fingerprint, outcome, analysed_at, run "
                "FROM objects WHERE provider = ? AND account = ? AND bucket = ? AND key_hash = ?",
                self._where(ref, obj.key),
            ).fetchone()
        if row is None or tuple(row[:4]) != (*_version(obj), self._fingerprint):
            return None
        return Earlier(decode(Outcome, json.loads(row[4])), str(row[5]), int(row[6]))

    def record(self, ref: BucketRef, obj: StoredObject, outcome: Outcome) -> None:
        """Remember a finding or a clean verdict for this version of the object."""
        row = (
            *self._where(ref, obj.key),
            *_version(obj),
            self._fingerprint,
            json.dumps(encode(outcome), ensure_ascii=False),
            self.started_at,
            self.run,
        )
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO objects VALUES (?,?,?,?,?,?,?,?,?,?,?)", row)
            if time.monotonic() - self._committed >= _COMMIT_EVERY_S:
                self._commit()

    def finished(self, unit: WorkUnit) -> Replay | None:
        """The unit's records, when this run finished it before an interruption."""
        with self._lock:
            row = self._db.execute(
                "SELECT result, events FROM units WHERE run = ? AND unit = ?",
                (self.run, _unit_key(unit)),
            ).fetchone()
        if row is None:
            return None
        events = tuple(_event(item) for item in json.loads(row[1]))
        return Replay(events, decode(BucketResult, json.loads(row[0])))

    def unit_done(
        self, unit: WorkUnit, events: list[Finding | UnreadableObject], result: BucketResult
    ) -> None:
        """Record a finished unit with its records, in one transaction with its outcomes."""
        plain = [{"type": type(event).__name__, **encode(event)} for event in events]
        row = (self.run, _unit_key(unit), json.dumps(encode(result)), json.dumps(plain))
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?)", row)
            self._commit()

    def finish(self) -> None:
        """The run reached its end: nothing to resume, its unit records are dropped."""
        with self._lock:
            self._db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (_now(), self.run))
            self._db.execute("DELETE FROM units WHERE run = ?", (self.run,))
            self._commit()

    def _commit(self) -> None:
        self._db.commit()
        self._committed = time.monotonic()

    def close(self) -> None:
        """Commit what is pending and close the file."""
        with self._lock:
            self._db.commit()
            self._db.close()

    def __enter__(self) -> ScanState:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _version(obj: StoredObject) -> tuple[str | None, str | None, int]:
    modified = obj.last_modified.isoformat() if obj.last_modified is not None else None
    return obj.etag, modified, obj.size


def _unit_key(unit: WorkUnit) -> str:
    return json.dumps(encode(unit), sort_keys=True)


def _event(item: dict[str, Any]) -> Finding | UnreadableObject:
    if item.pop("type") == "Finding":
        return decode(Finding, item)
    return decode(UnreadableObject, item)


def encode(value: Any) -> Any:
    """A record (frozen dataclasses, enums, tuples, dicts) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(kind: type[T], plain: Any) -> T:
    """A record of `kind` from what `encode` made of it (by the dataclass' type hints)."""
    return typing.cast(T, _decode(kind, plain))


def _decode(hint: Any, plain: Any) -> Any:
    if plain is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decode(options[0], plain)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in plain)
        return tuple(_decode(arg, item) for arg, item in zip(args, plain, strict=True))
    if origin is dict:
        _key, value = typing.get_args(hint)
        return {k: _decode(value, v) for k, v in plain.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        known = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{k: _decode(hints[k], v) for k, v in plain.items() if k in known})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(plain)
    return plain
