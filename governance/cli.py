"""The ``governance`` command line. Thin: parse options, call ``governance.run``, render, write.

Exit codes (DESIGN.md): 0 no blocking finding, 1 blocking findings, 2 the run could not be
completed faithfully. Every ``GovernanceError`` becomes one line on stderr and exit 2; a traceback
appears only with ``--debug``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from governance import __version__
from governance.config import load_config
from governance.errors import GovernanceError, UsageError
from governance.model.result import RunResult

SEVERITIES = ["critical", "high", "medium", "low", "info", "never"]
FORMATS = ["console", "json", "sarif", "junit", "markdown", "html", "csv", "annotations"]


class _State:
    debug: bool = False


def _common_check_options(func: Any) -> Any:
    options = [
        click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
                     help="governance.yaml (default: ./governance.yaml if present)."),
        click.option("--policies", "policy_dirs", multiple=True, type=click.Path(path_type=Path),
                     help="Extra policy directory, added to the built-in pack (repeatable)."),
        click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
                     help="Output format (repeatable). Default: console."),
        click.option("--output-dir", type=click.Path(path_type=Path), default=None,
                     help="Write report.<ext> files here instead of printing to stdout."),
        click.option("--fail-on", type=click.Choice(SEVERITIES), default="high", show_default=True,
                     help="Lowest severity that fails the run."),
        click.option("--waivers", type=click.Path(path_type=Path), default=None, help="Waivers file."),
        click.option("--baseline", type=click.Path(path_type=Path), default=None,
                     help="Only findings not in this baseline fail the run."),
        click.option("--create-baseline", type=click.Path(path_type=Path), default=None,
                     help="Record the current failures as a baseline file."),
        click.option("--engine", type=click.Choice(["embedded", "opa"]), default="embedded",
                     show_default=True),
        click.option("--opa-url", default=None, help="OPA server URL for --engine opa."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="governance")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Policy-as-code governance for data-mesh platforms: one verdict per data product."""
    _State.debug = debug


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_common_check_options
def check(paths: tuple[Path, ...], config_file: Path | None, policy_dirs: tuple[Path, ...],
          formats: tuple[str, ...], output_dir: Path | None, fail_on: str, waivers: Path | None,
          baseline: Path | None, create_baseline: Path | None, engine: str,
          opa_url: str | None) -> None:
    """Evaluate the data products found under PATHS (manifests, contracts, plans)."""
    from governance.run import CheckOptions, check as run_check

    if not paths:
        raise UsageError("no input: give one or more paths (files or directories)")
    options = CheckOptions(
        paths=list(paths), config=load_config(config_file), policy_dirs=list(policy_dirs),
        engine=engine, opa_url=opa_url, fail_on=fail_on, waivers=waivers, baseline=baseline,
    )
    result = run_check(options)
    if create_baseline is not None:
        from governance.decide.baseline import create_baseline as make_baseline

        create_baseline.write_text(make_baseline(result), encoding="utf-8")
    _emit(result, formats or ("console",), output_dir)
    sys.exit(result.verdict.exit_code)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None)
def inspect(paths: tuple[Path, ...], config_file: Path | None) -> None:
    """Print the normalised evidence bundles exactly as policies see them (JSON)."""
    from governance.run import gather

    if not paths:
        raise UsageError("no input: give one or more paths (files or directories)")
    evidence, linked = gather(list(paths), load_config(config_file))
    errors = [*evidence.errors, *linked.errors]
    for error in errors:
        click.echo(f"{error.where}: {error.message}" if error.where else error.message, err=True)
    if errors:
        sys.exit(2)
    click.echo(json.dumps([b.to_input() for b in linked.bundles], indent=2))


@cli.command()
@click.argument("name")
def schema(name: str) -> None:
    """Print the JSON Schema of an input format (e.g. dataproduct, config, result)."""
    click.echo(json.dumps(_schema(name), indent=2))


def _schema(name: str) -> dict[str, Any]:
    from governance.model.config import GovernanceConfig

    builtin: dict[str, Any] = {
        "config": GovernanceConfig.model_json_schema,
        "result": RunResult.model_json_schema,
    }
    from governance.collect.manifest import SCHEMAS

    builtin.update(SCHEMAS)
    if name not in builtin:
        raise UsageError(f"unknown schema '{name}' (choose from {', '.join(sorted(builtin))})")
    schema_doc: dict[str, Any] = builtin[name]()
    return schema_doc


@cli.command()
@click.argument("result_file", type=click.Path(path_type=Path))
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS))
@click.option("--output-dir", type=click.Path(path_type=Path), default=None)
def report(result_file: Path, formats: tuple[str, ...], output_dir: Path | None) -> None:
    """Re-render a stored JSON result in other formats."""
    from governance.collect.files import read_text
    from governance.report.json_report import load_result

    result = load_result(read_text(result_file), str(result_file))
    _emit(result, formats or ("console",), output_dir)


def _emit(result: RunResult, formats: Sequence[str], output_dir: Path | None) -> None:
    """Render each format; write files into output_dir, or print to stdout."""
    from governance.report import FILENAMES, renderer

    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        text = renderer(fmt)(result)
        if fmt == "console":
            # The console summary always goes to the terminal, even with --output-dir.
            from governance.report.console import render as render_console

            shown = render_console(result, color=sys.stdout.isatty())
            click.echo(shown, nl=not shown.endswith("\n"))
            if output_dir is None:
                continue
        if output_dir is None:
            click.echo(text, nl=not text.endswith("\n"))
        else:
            (output_dir / FILENAMES[fmt]).write_text(text, encoding="utf-8")
    if output_dir is not None:
        click.echo(f"reports written to {output_dir}/", err=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: one line and exit 2 for every error the tool can name."""
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except GovernanceError as exc:
        if _State.debug:
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    sys.exit(0)
