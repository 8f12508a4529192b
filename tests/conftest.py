"""Fixtures shared across test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bucketscan.scanner.emulators.s3 import moto_server


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    """A moto S3 server on a free 127.0.0.1 port, with throwaway credentials in the environment."""
    with moto_server() as endpoint:
        yield endpoint
