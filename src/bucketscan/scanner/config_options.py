"""The config file wired into click: an eager --config whose callback sets the `default_map`."""

from __future__ import annotations

from pathlib import Path

import click

from bucketscan.scanner.config import (
    CONFIG_ENV,
    ConfigError,
    OptionSpec,
    config_path,
    default_map,
    parse_config,
)

CONFIG_META = "bucketscan.config"  # ctx.meta key: the config file read, for error messages
_NOT_CONFIGURABLE = frozenset({"config", "help", "version"})


def option_specs(command: click.Command) -> dict[str, OptionSpec]:
    """The command's options by long name (without `--`), as the config names them."""
    specs: dict[str, OptionSpec] = {}
    for param in command.params:
        if not isinstance(param, click.Option) or param.name in _NOT_CONFIGURABLE:
            continue
        assert param.name is not None
        spec = OptionSpec(param.name, param.multiple, isinstance(param.type, click.Path))
        for opt in param.opts:
            if opt.startswith("--"):
                specs[opt.removeprefix("--")] = spec
    return specs


def scan_specs(
    group: click.Group,
) -> tuple[dict[str, OptionSpec], dict[str, dict[str, OptionSpec]]]:
    """The options every scan subcommand shares, and each subcommand's own."""
    every = {name: option_specs(command) for name, command in group.commands.items()}
    shared = set.intersection(*(set(specs) for specs in every.values())) if every else set()
    first = next(iter(every.values()), {})
    own = {
        name: {key: spec for key, spec in specs.items() if key not in shared}
        for name, specs in every.items()
    }
    return {key: first[key] for key in sorted(shared)}, own


def apply_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    """Read the config (--config, BUCKETSCAN_CONFIG or ./bucketscan.yaml) into the defaults."""
    path = config_path(value, Path.cwd())
    if path is None:
        return
    group = ctx.parent.command if ctx.parent is not None else None
    if not isinstance(group, click.Group) or ctx.info_name is None:
        return
    shared, own = scan_specs(group)
    try:
        text = path.read_text(encoding="utf-8")
        defaults = default_map(parse_config(text, path), path, ctx.info_name, shared, own)
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read config {path}: {error}") from error
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    ctx.meta[CONFIG_META] = path
    ctx.default_map = {**(ctx.default_map or {}), **defaults}


CONFIG_OPTION = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar=CONFIG_ENV,
    show_envvar=True,
    is_eager=True,
    expose_value=False,
    callback=apply_config,
    help="Read options from this YAML file (default: ./bucketscan.yaml if present); keys are "
    "the long option names, flags override them.",
)


def config_source(error: click.UsageError) -> str:
    """` (from config FILE)` when the bad value came from the config file, else nothing."""
    if not isinstance(error, click.BadParameter) or error.ctx is None or error.param is None:
        return ""
    name = error.param.name
    path = error.ctx.meta.get(CONFIG_META)
    if name is None or path is None:
        return ""
    source = error.ctx.get_parameter_source(name)
    return f" (from config {path})" if source is click.core.ParameterSource.DEFAULT_MAP else ""
