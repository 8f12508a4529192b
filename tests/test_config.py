"""The config file: keys named like the long options, strict, and below flags in precedence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bucketscan.scanner import cli
from bucketscan.scanner.config import (
    ConfigError,
    OptionSpec,
    config_path,
    default_map,
    parse_config,
)
from bucketscan.scanner.options import DEFAULT_MAX_OBJECT_BYTES

SHARED = {
    "max-object-bytes": OptionSpec("max_object_bytes"),
    "fail-on": OptionSpec("fail_on"),
    "prefix": OptionSpec("include_prefixes", multiple=True),
    "mutelist": OptionSpec("mutelist", path=True),
    "no-content": OptionSpec("no_content"),
}
SECTIONS = {
    "aws": {"profile": OptionSpec("profile"), "bucket": OptionSpec("buckets", multiple=True)},
    "gcs": {"project": OptionSpec("projects", multiple=True)},
}
HERE = Path("/etc/scans/bucketscan.yaml")


def defaults(text: str, command: str = "aws") -> dict[str, Any]:
    return default_map(parse_config(text, HERE), HERE, command, SHARED, SECTIONS)


@pytest.mark.parametrize(
    ("text", "command", "expected"),
    [
        ("", "aws", {}),
        ("max-object-bytes: 1000000\nfail-on: exposure\n", "aws",
         {"max_object_bytes": 1000000, "fail_on": "exposure"}),
        ("no-content: true\n", "gcs", {"no_content": True}),
        ("prefix: uploads/\n", "aws", {"include_prefixes": ["uploads/"]}),  # one is a list of one
        ("prefix: [a/, b/]\n", "aws", {"include_prefixes": ["a/", "b/"]}),
        ("mutelist: mutes.yaml\n", "aws", {"mutelist": "/etc/scans/mutes.yaml"}),  # beside it
        ("mutelist: /srv/mutes.yaml\n", "aws", {"mutelist": "/srv/mutes.yaml"}),
        ("aws:\n  profile: audit\n  bucket: hr\ngcs:\n  project: p\n", "aws",
         {"profile": "audit", "buckets": ["hr"]}),
        ("aws:\n  profile: audit\ngcs:\n  project: p\n", "gcs", {"projects": ["p"]}),
        ("fail-on: finding\naws:\n  fail-on: never\n", "aws", {"fail_on": "never"}),  # section wins
        ("fail-on: finding\naws:\n  fail-on: never\n", "gcs", {"fail_on": "finding"}),
    ],
)  # fmt: skip
def test_keys_become_the_subcommand_defaults(
    text: str, command: str, expected: dict[str, Any]
) -> None:
    assert defaults(text, command) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max-bytes: 5\n", "unknown key `max-bytes`"),
        (
            "max-objec-bytes: 5\n",
            "unknown key `max-objec-bytes` (did you mean `max-object-bytes`?)",
        ),
        ("max_object_bytes: 5\n", "unknown key `max_object_bytes`"),  # long option names only
        ("profile: audit\n", "`profile` is an option of `scan aws` only: put it under `aws:`"),
        ("aws:\n  profle: audit\n", "unknown key `aws.profle` (did you mean `aws.profile`?)"),
        ("gcs:\n  bucket: x\n", "unknown key `gcs.bucket`"),  # checked even when running aws
        ("aws: audit\n", "`aws` must be a mapping of `scan aws` options"),
        ("fail-on: [finding, new]\n", "`fail-on` takes one value, not a list"),
        ("fail-on:\n", "`fail-on` has no value: give one or remove the key"),
        ("prefix: [a/, null]\n", "`prefix` has no value"),
        ("max-object-bytes: {a: 1}\n", "`max-object-bytes` must be a plain value, not a dict"),
        ("prefix: [[a]]\n", "`prefix` must be a plain value, not a list"),
        ("- fail-on: never\n", "must be a mapping of option names to values"),
        ("fail-on: [\n", "not valid YAML"),
        ("fail-on: never\nfail-on: finding\n", "line 2: key 'fail-on' appears twice"),
    ],
)
def test_a_bad_config_is_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        defaults(text)
    assert str(raised.value).startswith(f"config {HERE}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_config_named_wins_over_the_current_directory(tmp_path: Path) -> None:
    assert config_path(None, tmp_path) is None
    (tmp_path / "bucketscan.yaml").write_text("quiet: true\n")
    assert config_path(None, tmp_path) == tmp_path / "bucketscan.yaml"
    assert config_path(Path("other.yaml"), tmp_path) == Path("other.yaml")


# The command line with the scan itself replaced: what reaches it is what the options resolved to.
@pytest.fixture
def resolved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def record(_open: object, kwargs: dict[str, Any], _endpoint: object = None) -> None:
        seen.update(kwargs)

    monkeypatch.setattr(cli, "execute", record)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BUCKETSCAN_CONFIG", raising=False)
    return seen


def scan(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.main, ["scan", "aws", "-q", *args], env=env)


def test_flag_beats_config_beats_default(resolved: dict[str, Any], tmp_path: Path) -> None:
    assert scan().exit_code == 0
    assert resolved["max_object_bytes"] == DEFAULT_MAX_OBJECT_BYTES
    assert resolved["fail_on"] is None

    (tmp_path / "bucketscan.yaml").write_text("max-object-bytes: 1000\nfail-on: exposure\n")
    assert scan().exit_code == 0
    assert (resolved["max_object_bytes"], resolved["fail_on"]) == (1000, "exposure")

    assert scan("--max-object-bytes", "5").exit_code == 0
    assert (resolved["max_object_bytes"], resolved["fail_on"]) == (5, "exposure")


def test_targets_and_lists_come_from_the_config(resolved: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "bucketscan.yaml").write_text(
        "prefix: [a/, b/]\nno-content: true\naws:\n  profile: audit\n  bucket: hr-uploads\n"
    )
    assert scan().exit_code == 0
    assert resolved["include_prefixes"] == ("a/", "b/")
    assert resolved["no_content"] is True
    assert scan("--prefix", "c/").exit_code == 0
    assert resolved["include_prefixes"] == ("c/",)  # the flag replaces the list


def test_a_target_option_reaches_the_subcommand(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: dict[str, Any] = {}

    def record(open_provider: Any, kwargs: dict[str, Any], endpoint: object = None) -> None:
        opened["endpoint"] = endpoint

    monkeypatch.setattr(cli, "execute", record)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bucketscan.yaml").write_text("aws:\n  endpoint-url: http://127.0.0.1:9\n")
    assert scan().exit_code == 0
    assert opened["endpoint"] == "http://127.0.0.1:9"
    assert scan("--endpoint-url", "http://127.0.0.1:8").exit_code == 0
    assert opened["endpoint"] == "http://127.0.0.1:8"


def test_the_environment_and_the_flag_name_a_config(
    resolved: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "bucketscan.yaml").write_text("max-object-bytes: 1\n")
    (tmp_path / "env.yaml").write_text("max-object-bytes: 2\n")
    (tmp_path / "flag.yaml").write_text("max-object-bytes: 3\n")
    env = {"BUCKETSCAN_CONFIG": str(tmp_path / "env.yaml")}
    assert scan(env=env).exit_code == 0
    assert resolved["max_object_bytes"] == 2
    assert scan("--config", str(tmp_path / "flag.yaml"), env=env).exit_code == 0
    assert resolved["max_object_bytes"] == 3


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    for fragment in fragments:
        assert fragment in result.output


def test_an_unknown_key_stops_the_command(resolved: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "bucketscan.yaml").write_text("max-objects: 5\n")
    assert_one_line_error(scan(), "bucketscan.yaml: unknown key `max-objects`")
    assert resolved == {}


def test_a_wrong_type_names_the_option_and_the_config(
    resolved: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "bucketscan.yaml").write_text("max-object-bytes: lots\n")
    assert_one_line_error(
        scan(), "--max-object-bytes", "'lots'", f"(from config {tmp_path / 'bucketscan.yaml'})"
    )
    (tmp_path / "bucketscan.yaml").write_text("fail-on: sometimes\n")
    assert_one_line_error(scan(), "--fail-on", "'sometimes'", "(from config")
    assert resolved == {}


def test_a_missing_config_named_by_the_environment_is_an_error(resolved: dict[str, Any]) -> None:
    assert_one_line_error(scan(env={"BUCKETSCAN_CONFIG": "nowhere.yaml"}), "nowhere.yaml")
    assert resolved == {}
