"""The command group, the options shared by ``check`` and ``scan``, and report emission."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from governance import __version__
from governance.model.result import RunResult

if TYPE_CHECKING:
    from governance.run import CheckOptions

SEVERITIES = ["critical", "high", "medium", "low", "info", "never"]
FORMATS = ["console", "json", "sarif", "junit", "markdown", "html", "csv", "annotations"]
HISTORY_ENV = "GOVERNANCE_HISTORY_URL"


class State:
    debug: bool = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="governance")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Policy-as-code governance for data-mesh platforms: one verdict per data product."""
    State.debug = debug


@dataclass(frozen=True)
class Evaluation:
    """The options every evaluating command shares, gathered into one argument ``ev``."""

    config_file: Path | None
    policy_dirs: tuple[Path, ...]
    formats: tuple[str, ...]
    output_dir: Path | None
    fail_on: str
    waivers: Path | None
    baseline: Path | None
    create_baseline: Path | None
    engine: str
    opa_url: str | None
    opa_preloaded: bool
    history_url: str | None
    allow_empty: bool
    quiet: bool

    def check_options(self, paths: Sequence[Path], **extra: Any) -> CheckOptions:
        from governance.config import load_config
        from governance.run import CheckOptions

        return CheckOptions(
            paths=list(paths),
            config=load_config(self.config_file),
            policy_dirs=list(self.policy_dirs),
            engine=self.engine,
            opa_url=self.opa_url,
            opa_preloaded=self.opa_preloaded,
            fail_on=self.fail_on,
            waivers=self.waivers,
            baseline=self.baseline,
            history=self.history_url,
            allow_empty=self.allow_empty,
            **extra,
        )

    def finish(self, result: RunResult) -> NoReturn:
        finish(result, self.formats, self.output_dir, self.create_baseline, quiet=self.quiet)


def evaluation_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the shared options to a command; it receives them as one ``ev: Evaluation``."""
    names = [f.name for f in fields(Evaluation)]

    @functools.wraps(func)
    def command(**kwargs: Any) -> Any:
        ev = Evaluation(**{name: kwargs.pop(name) for name in names})
        return func(ev=ev, **kwargs)

    options = [
        click.option(
            "--config",
            "config_file",
            type=click.Path(path_type=Path),
            default=None,
            help="governance.yaml (default: $GOVERNANCE_CONFIG, else governance.yaml in this "
            "directory or a parent, up to the repository root).",
        ),
        click.option(
            "--policies",
            "policy_dirs",
            multiple=True,
            type=click.Path(path_type=Path),
            help="Extra policy directory, added to the built-in pack (repeatable).",
        ),
        click.option(
            "--format",
            "formats",
            multiple=True,
            type=click.Choice(FORMATS),
            help="Output format (repeatable). Default: console.",
        ),
        click.option(
            "--output-dir",
            type=click.Path(path_type=Path),
            default=None,
            help="Write report.<ext> files here instead of printing to stdout.",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(SEVERITIES),
            default="high",
            show_default=True,
            help="Lowest severity that fails the run.",
        ),
        click.option(
            "--waivers", type=click.Path(path_type=Path), default=None, help="Waivers file."
        ),
        click.option(
            "--baseline",
            type=click.Path(path_type=Path),
            default=None,
            help="Only findings not in this baseline fail the run.",
        ),
        click.option(
            "--create-baseline",
            type=click.Path(path_type=Path),
            default=None,
            help="Record the current failures as a baseline file.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["embedded", "opa"]),
            default="embedded",
            show_default=True,
        ),
        click.option("--opa-url", default=None, help="OPA server URL for --engine opa."),
        click.option(
            "--opa-preloaded",
            is_flag=True,
            help="The OPA server already serves our `governance bundle build` bundle.",
        ),
        click.option(
            "--history",
            "history_url",
            default=None,
            envvar=HISTORY_ENV,
            help=f"Store the run in this history database (path or URL; ${HISTORY_ENV}).",
        ),
        click.option(
            "--allow-empty",
            is_flag=True,
            help="Accept a run in which no policy applied to anything (default: exit 2).",
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            help="Console: product status counts and verdict only (other formats unchanged).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def finish(
    result: RunResult,
    formats: Sequence[str],
    output_dir: Path | None,
    create_baseline: Path | None,
    *,
    quiet: bool = False,
) -> NoReturn:
    """Write the baseline if asked, emit reports, exit with the verdict's code."""
    if create_baseline is not None:
        from governance.decide.baseline import create_baseline as make_baseline

        create_baseline.write_text(make_baseline(result), encoding="utf-8")
    emit(result, formats or ("console",), output_dir, quiet=quiet)
    sys.exit(result.verdict.exit_code)


def emit(
    result: RunResult, formats: Sequence[str], output_dir: Path | None, *, quiet: bool = False
) -> None:
    """Render each format; write files into output_dir, or print to stdout. ``quiet``: the
    console is the counts and verdict lines only, and nothing else goes to the terminal."""
    from governance.report import FILENAMES, renderer

    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        if fmt == "console":
            # The console summary always goes to the terminal, even with --output-dir.
            from governance.report.console import render as render_console

            shown = render_console(result, color=sys.stdout.isatty(), quiet=quiet)
            click.echo(shown, nl=not shown.endswith("\n"))
            if output_dir is None:
                continue
        text = renderer(fmt)(result)
        if output_dir is None:
            click.echo(text, nl=not text.endswith("\n"))
        else:
            (output_dir / FILENAMES[fmt]).write_text(text, encoding="utf-8")
    if output_dir is not None and not quiet:
        click.echo(f"reports written to {output_dir}/", err=True)
