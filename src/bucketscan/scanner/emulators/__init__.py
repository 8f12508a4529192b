"""Local cloud emulators on free 127.0.0.1 ports, for the demo and the tests."""

from __future__ import annotations

import importlib.util

INSTALL_HINT = "run scripts/bootstrap (or pip install 'bucketscan[demo]')"


class EmulatorError(RuntimeError):
    """An emulator could not be started; one-line message."""


class EmulatorMissingError(EmulatorError):
    """An emulator is not installed; the message says how to install it."""


def require(module: str, what: str) -> None:
    """EmulatorMissingError unless the Python `module` can be imported."""
    if importlib.util.find_spec(module) is None:
        raise EmulatorMissingError(f"{what} is not installed: {INSTALL_HINT}")
