"""The WelcomeHR story every demo cloud tells: which synthetic files land in which bucket."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bucketscan.synthetic.corpus import SyntheticFile


@dataclass(frozen=True)
class Placement:
    """What a demo bucket holds: shares of the sensitive and benign files, and key folders."""

    sensitive: int = 0
    benign: int = 0
    folders: tuple[str, ...] = ("",)


class DemoBucket(Protocol):
    """A seeded bucket or container of one cloud's story."""

    @property
    def name(self) -> str: ...

    @property
    def story(self) -> str: ...

    @property
    def placement(self) -> Placement: ...


@dataclass(frozen=True)
class DemoObject:
    """One object to upload: its opaque key and its bytes."""

    key: str
    data: bytes


def deal(
    files: Iterable[SyntheticFile], buckets: Sequence[DemoBucket], rng: random.Random
) -> dict[str, tuple[DemoObject, ...]]:
    """Share the files out by each bucket's placement, under UUID keys as WelcomeHR's had."""
    shuffled = list(files)
    rng.shuffle(shuffled)
    held: dict[str, list[SyntheticFile]] = {bucket.name: [] for bucket in buckets}
    sensitive = [file for file in shuffled if file.category is not None]
    _share_out(sensitive, [(bucket.name, bucket.placement.sensitive) for bucket in buckets], held)
    benign = [file for file in shuffled if file.category is None]
    _share_out(benign, [(bucket.name, bucket.placement.benign) for bucket in buckets], held)
    return {
        bucket.name: tuple(
            DemoObject(_key(rng, bucket.placement.folders, index, file.name), file.data)
            for index, file in enumerate(held[bucket.name])
        )
        for bucket in buckets
    }


def _share_out(
    files: list[SyntheticFile], shares: list[tuple[str, int]], held: dict[str, list[SyntheticFile]]
) -> None:
    """Hand consecutive slices of `files` to the buckets, sized by their shares."""
    total = sum(share for _, share in shares)
    start, running = 0, 0
    for name, share in shares:
        running += share
        end = round(len(files) * running / total) if total else 0
        held[name].extend(files[start:end])
        start = end


def _key(rng: random.Random, folders: tuple[str, ...], index: int, name: str) -> str:
    """`folder/<uuid>/<uuid>.ext`: the file name says nothing about the content."""
    folder = folders[index % len(folders)]
    directory = uuid.UUID(int=rng.getrandbits(128), version=4)
    stem = uuid.UUID(int=rng.getrandbits(128), version=4)
    return f"{folder}{directory}/{stem}{PurePosixPath(name).suffix}"
