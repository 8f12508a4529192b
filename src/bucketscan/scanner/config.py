"""The config file: a scan's options as YAML keys named like the long options, parsed strictly.

Top-level keys are the options every `scan` subcommand shares (`fail-on: exposure`); a section
per subcommand (`aws:`, `gcs:`, `azure:`) holds its target options and may override shared ones.
The result is a click `default_map`, so flags on the command line (and environment variables
click reads) still win over the file. An unknown key is an error, never ignored.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bucketscan.policies.mutelist import StrictYamlError, load_yaml

CONFIG_NAME = "bucketscan.yaml"
CONFIG_ENV = "BUCKETSCAN_CONFIG"
_SCALARS = (str, int, float, bool)


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, the key and the problem."""


@dataclass(frozen=True)
class OptionSpec:
    """What the config needs to know of one option: its click parameter name and its shape."""

    name: str  # the click parameter name (`include_prefixes` for --prefix)
    multiple: bool = False  # takes a list (a single value is taken as a one-item list)
    path: bool = False  # a file name: a relative one is taken from the config file's folder


def config_path(explicit: Path | None, cwd: Path) -> Path | None:
    """The config to read: the one named (--config or BUCKETSCAN_CONFIG), else ./bucketscan.yaml."""
    if explicit is not None:
        return explicit
    found = cwd / CONFIG_NAME
    return found if found.is_file() else None


def parse_config(text: str, path: Path) -> dict[str, Any]:
    """The file's top-level mapping (empty for an empty file), or ConfigError."""
    try:
        data = load_yaml(text)
    except StrictYamlError as error:
        raise ConfigError(f"config {path}: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config {path}: must be a mapping of option names to values")
    return data


def default_map(
    data: Mapping[str, Any],
    path: Path,
    command: str,
    shared: Mapping[str, OptionSpec],
    sections: Mapping[str, Mapping[str, OptionSpec]],
) -> dict[str, Any]:
    """The click `default_map` of one subcommand: shared keys, then its own section over them.

    Every section is checked, not only the one in use, so a typo fails on any run.
    """
    try:
        return _default_map(data, path.parent, command, shared, sections)
    except ConfigError as error:
        raise ConfigError(f"config {path}: {error}") from error


def _default_map(
    data: Mapping[str, Any],
    folder: Path,
    command: str,
    shared: Mapping[str, OptionSpec],
    sections: Mapping[str, Mapping[str, OptionSpec]],
) -> dict[str, Any]:
    top: dict[str, Any] = {}
    own: dict[str, Any] = {}
    values: dict[str, Any]
    for key, value in data.items():
        if key in sections:
            if not isinstance(value, dict):
                raise ConfigError(f"`{key}` must be a mapping of `scan {key}` options")
            specs = {**shared, **sections[key]}  # a section may also override shared options
            values = {}
            for inner, raw in value.items():
                spec = _spec(f"{key}.{inner}", inner, specs)
                values[spec.name] = _value(f"{key}.{inner}", raw, spec, folder)
            if key == command:
                own = values
            continue
        home = next((name for name, specs in sections.items() if key in specs), None)
        if key not in shared and home is not None:
            raise ConfigError(f"`{key}` is an option of `scan {home}` only: put it under `{home}:`")
        spec = _spec(str(key), key, shared, extra=tuple(sections))
        top[spec.name] = _value(str(key), value, spec, folder)
    return {**top, **own}


def _spec(
    label: str, key: object, specs: Mapping[str, OptionSpec], extra: tuple[str, ...] = ()
) -> OptionSpec:
    """The option a key names, or ConfigError naming the key and the closest known one."""
    if isinstance(key, str) and key in specs:
        return specs[key]
    close = difflib.get_close_matches(str(key), [*specs, *extra], n=1)
    hint = f" (did you mean `{label.removesuffix(str(key))}{close[0]}`?)" if close else ""
    raise ConfigError(f"unknown key `{label}`{hint}")


def _value(label: str, value: object, spec: OptionSpec, folder: Path) -> object:
    """A key's value in the shape its option takes; click converts it and checks its type."""
    if not spec.multiple and isinstance(value, list):
        raise ConfigError(f"`{label}` takes one value, not a list")
    items = value if isinstance(value, list) else [value]
    for item in items:
        if item is None:
            raise ConfigError(f"`{label}` has no value: give one or remove the key")
        if not isinstance(item, _SCALARS):
            raise ConfigError(f"`{label}` must be a plain value, not a {type(item).__name__}")
    if spec.path:
        items = [
            item if Path(str(item)).is_absolute() else str(folder / str(item)) for item in items
        ]
    return items if spec.multiple else items[0]
