"""Policy authoring: ``test``, ``lint``, ``new policy`` and ``bundle build``.

Exit codes follow the tool's contract: 0 all good, 1 problems found (failing tests, missing test
coverage, lint findings), 2 the check itself could not be done (a pack that does not load, a test
that errored, bad usage).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from governance.cli.common import SEVERITIES
from governance.config import load_config
from governance.errors import UsageError

if TYPE_CHECKING:
    from governance.cli.authoring_checks import Problem
    from governance.evaluate.rego.testing import RegoTestResult, TestRun

_CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    default=None,
    help="governance.yaml (default: $GOVERNANCE_CONFIG, else governance.yaml in this directory "
    "or a parent, up to the repository root).",
)


def _dirs(given: Sequence[Path]) -> list[Path]:
    from governance.evaluate.pack import builtin_pack_dirs

    return list(given) or builtin_pack_dirs()


def _test_body(result: RegoTestResult) -> str:
    """The test rule's source (its mocked input), for -v on a failing test."""
    try:
        lines = Path(result.file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    body = []
    for line in lines[result.line - 1 :]:
        body.append(line)
        if line.startswith("}") or (len(body) == 1 and not line.rstrip().endswith("{")):
            break
    return "\n".join("    | " + line for line in body)


def _junit(results: Sequence[RegoTestResult], problems: Sequence[Problem]) -> str:
    from xml.sax.saxutils import quoteattr

    def status_count(status: str) -> int:
        return sum(1 for r in results if r.status == status)

    failures = status_count("fail") + len(problems)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuite name="governance test" tests="{len(results) + len(problems)}" '
        f'failures="{failures}" errors="{status_count("error")}">',
    ]
    for r in results:
        package, _, rule = r.name.rpartition(".")
        head = f"  <testcase classname={quoteattr(package)} name={quoteattr(rule)} file="
        head += f'{quoteattr(r.file)} line="{r.line}"'
        if r.status == "pass":
            out.append(head + "/>")
        else:
            tag = "failure" if r.status == "fail" else "error"
            out += [
                head + ">",
                f"    <{tag} message={quoteattr(r.message or '')}/>",
                "  </testcase>",
            ]
    for p in problems:
        out += [
            f'  <testcase classname="coverage" name={quoteattr(p.where)}>',
            f"    <failure message={quoteattr(p.message)}/>",
            "  </testcase>",
        ]
    out.append("</testsuite>")
    return "\n".join(out) + "\n"


@click.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_CONFIG
@click.option("--run", "pattern", default=None, help="Only tests whose full name matches REGEX.")
@click.option("-v", "--verbose", is_flag=True, help="List passing tests and failing test bodies.")
@click.option("--coverage", is_flag=True, help="Per-file line coverage of the tests (OPA's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text")
def test(
    dirs: tuple[Path, ...],
    config_file: Path | None,
    pattern: str | None,
    verbose: bool,
    coverage: bool,
    fmt: str,
) -> None:
    """Run the Rego unit tests (test_* rules) of DIRS (default: the built-in pack) on OPA,
    like `opa test`: exit 1 when a test fails, 2 when a module does not compile.

    Also requires every Rego policy to have a passing test showing it fires (name with a word
    such as fails/denies/fires) and a passing test of the compliant case (skipped with --run).
    """
    from governance.cli.authoring_checks import coverage_problems
    from governance.evaluate.pack import load_pack
    from governance.evaluate.rego.testing import run_rego_tests

    config = load_config(config_file)
    pack = load_pack(_dirs(dirs), config, compile_check=False)
    try:
        selector = re.compile(pattern) if pattern else None
    except re.error as exc:
        raise UsageError(f"--run: invalid regular expression: {exc}") from exc
    run = run_rego_tests(
        pack.modules,
        pack.test_modules,
        config,
        pack.rego_policies,
        pattern=selector,
        coverage=coverage,
    )
    results = run.results
    problems = [] if selector else coverage_problems(pack.rego_policies, pack.test_modules, results)
    if not results and not problems:
        raise UsageError("no tests found" + (f" matching '{pattern}'" if pattern else ""))
    if fmt == "json":
        click.echo(json.dumps(_json_report(run, problems), indent=2))
    elif fmt == "junit":
        click.echo(_junit(results, problems), nl=False)
    else:
        _echo_text(run, problems, verbose=verbose)
    if any(r.status == "error" for r in results):
        sys.exit(2)
    sys.exit(1 if problems or any(r.status == "fail" for r in results) else 0)


def _json_report(run: TestRun, problems: Sequence[Problem]) -> dict[str, object]:
    document: dict[str, object] = {
        "tests": [
            {
                "name": r.name,
                "file": r.file,
                "line": r.line,
                "status": r.status,
                "message": r.message,
                "output": list(r.output),
            }
            for r in run.results
        ],
        "coverage": [{"where": p.where, "message": p.message} for p in problems],
    }
    if run.coverage is not None:
        document["line_coverage"] = [
            {
                "file": c.file,
                "covered": c.covered,
                "not_covered": c.not_covered,
                "percent": round(c.percent, 1),
            }
            for c in run.coverage
        ]
    return document


def _echo_text(run: TestRun, problems: Sequence[Problem], *, verbose: bool) -> None:
    results = run.results
    for r in results:
        if r.status == "pass" and not verbose:
            continue
        message = f" ({r.message})" if r.message else ""
        click.echo(f"{r.status.upper():5} {r.where}: {r.name}{message}")
        if r.status != "pass" or verbose:
            for line in r.output:
                click.echo(f"    {line}")
        if verbose and r.status == "fail":
            click.echo(_test_body(r))
    for p in problems:
        click.echo(f"FAIL  {p.where}: coverage: {p.message}")
    if run.coverage is not None:
        for c in run.coverage:
            click.echo(
                f"COVER {c.file}: {c.percent:.1f}% ({c.covered}/{c.covered + c.not_covered} lines)"
            )
        covered = sum(c.covered for c in run.coverage)
        total = covered + sum(c.not_covered for c in run.coverage)
        click.echo(f"COVERAGE: {100.0 * covered / total if total else 100.0:.1f}%")
    counts = {s: sum(1 for r in results if r.status == s) for s in ("pass", "fail", "error")}
    click.echo(
        f"PASS: {counts['pass']}/{len(results)}, FAIL: {counts['fail']}, "
        f"ERROR: {counts['error']}, COVERAGE: {len(problems)} problem(s)"
    )


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_CONFIG
def lint(paths: tuple[Path, ...], config_file: Path | None) -> None:
    """Check policy definitions, Rego, manifests, waiver files and governance.yaml under PATHS.

    Default: the built-in pack. One line per problem (file:line:col: level: message); exit 1 when
    there is any.
    """
    from governance.cli.authoring_checks import lint_paths

    problems = lint_paths(_dirs(paths), load_config(config_file))
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"{len(problems)} problem(s)", err=True)
    sys.exit(1 if problems else 0)


@click.group()
def new() -> None:
    """Scaffold new policy-pack content."""


@new.command("policy")
@click.argument("policy_id", metavar="ID")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=Path())
@click.option("--title", default=None, help="Policy title (default: a TODO).")
@click.option(
    "--severity", type=click.Choice([s for s in SEVERITIES if s != "never"]), default="medium"
)
@click.option("--package-prefix", default="governance.custom", show_default=True)
def new_policy(
    policy_id: str, directory: Path, title: str | None, severity: str, package_prefix: str
) -> None:
    """Write policies/ID.yaml, its Rego rule and its tests into DIR (pack layout)."""
    from governance.cli.authoring_scaffold import scaffold_policy

    for path in scaffold_policy(
        policy_id, directory, title=title, severity=severity, package_prefix=package_prefix
    ):
        click.echo(f"created {path}")


@click.group()
def bundle() -> None:
    """OPA bundles of policy packs."""


@bundle.command("build")
@click.argument("dirs", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--revision", default=None, help="Manifest revision (default: content digest).")
@click.option("--with-builtin", is_flag=True, help="Include the built-in pack (first).")
@_CONFIG
def bundle_build(
    dirs: tuple[Path, ...],
    output: Path,
    revision: str | None,
    with_builtin: bool,
    config_file: Path | None,
) -> None:
    """Build an OPA bundle (.tar.gz) of the pack in DIRS: `opa run --server -b OUTPUT` serves it,
    and `--policies OUTPUT` reads it back."""
    from governance.evaluate.bundle import build_bundle
    from governance.evaluate.pack import builtin_pack_dirs

    chosen = [*builtin_pack_dirs(), *dirs] if with_builtin else list(dirs)
    if not chosen:
        raise UsageError("give the pack directories to bundle (or --with-builtin)")
    manifest = build_bundle(chosen, load_config(config_file), output, revision)
    click.echo(
        f"wrote {output} (revision {manifest['revision']}, roots {', '.join(manifest['roots'])})"
    )
