"""Console report (rich), rendered to a string: the CLI prints it, tests compare it.

Every value from inputs goes into ``rich.text.Text`` objects, never into markup strings, so a
manifest field such as ``[bold red]`` is printed literally rather than interpreted.

The CLI prints this to stdout, which GitHub Actions scans for workflow commands (a line starting,
after spaces, with ``::``). Input text is folded onto one line and any output line that would
start with ``::`` (including one produced by wrapping) is prefixed, so a manifest cannot inject
``::error`` or ``::add-mask`` commands into a CI log.
"""

from __future__ import annotations

import re
from io import StringIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance.decide import not_evaluated_text
from governance.evaluate.coverage import describe as describe_uncovered
from governance.model.result import RunResult, Status, Verdict
from governance.report._common import (
    failures,
    is_blocking,
    location_text,
    product_status_label,
    score_text,
    status_counts_line,
    status_label,
    verdict_line,
)

STYLES = {
    "pass": "green",
    "warn": "yellow",
    "fail": "red",
    "error": "bold red",
    "waived": "cyan",
    "not_evaluated": "magenta",
    "critical": "bold red",
    "high": "red",
    "medium": "yellow",
    "low": "blue",
    "info": "dim",
}
_VERDICT_STYLE = {Verdict.PASS: "bold green", Verdict.FAIL: "bold red", Verdict.ERROR: "bold red"}
_PRODUCT_ORDER = {"error": 0, "fail": 1, "not_evaluated": 2, "warn": 3, "pass": 4}
_COUNT_KEYS = ("fail", "warn", "error", "waived", "pass")
_COMMAND_LINE = re.compile(r"^((?:\s|\x1b\[[0-9;]*m)*)::", re.MULTILINE)


def one_line(text: str) -> str:
    """Input text on a single line: line breaks shown as a visible return symbol."""
    return re.sub(r"\r\n|\r|\n", " \u23ce ", text)


def defuse(text: str) -> str:
    """Prefix any line that a CI runner would read as a workflow command."""
    return _COMMAND_LINE.sub(lambda m: f"{m.group(1)}\u00bb ::", text)


def render(
    result: RunResult,
    *,
    color: bool = False,
    width: int = 120,
    max_findings: int = 50,
    max_products: int = 200,
    quiet: bool = False,
) -> str:
    """Product table, failing findings (worst first, capped), waiver warnings, errors, verdict.

    ``color`` adds ANSI styles (the CLI passes it when stdout is a terminal); the default output
    is plain text so files and golden tests are stable. ``quiet`` (``--quiet``, for cron logs)
    keeps only the product status counts and the verdict line.
    """
    out = StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    if quiet:
        console.print(Text(counts_line(result)))
        console.print(Text(verdict_line(result), style=_VERDICT_STYLE[result.verdict]))
        return defuse(out.getvalue())
    if result.products or not result.errors:
        # A run stopped before evaluation has no products: an empty table would only distract.
        _products(console, result, max_products)
        _findings(console, result, max_findings)
    _waivers(console, result)
    _errors(console, result)
    console.print(Text(verdict_line(result), style=_VERDICT_STYLE[result.verdict]))
    return defuse(out.getvalue())


def counts_line(result: RunResult) -> str:
    s = result.summary
    return f"{s.products} data products in {s.domains} domains: {status_counts_line(result)}"


def _products(console: Console, result: RunResult, limit: int) -> None:
    title = counts_line(result)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for name, justify in (
        ("product", "left"),
        ("domain", "left"),
        ("status", "left"),
        ("score", "right"),
        *((k, "right") for k in _COUNT_KEYS),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    ordered = sorted(result.products, key=lambda p: (_PRODUCT_ORDER[p.status], p.id))
    for p in ordered[:limit]:
        table.add_row(
            Text(one_line(p.id)),
            Text(one_line(p.domain or "-")),
            Text(product_status_label(p.status), style=STYLES[p.status]),
            score_text(p.score),
            *(str(p.counts.get(k, 0)) for k in _COUNT_KEYS),
        )
    console.print(table)
    if len(ordered) > limit:
        console.print(
            Text(
                f"... and {len(ordered) - limit} more products (see the JSON or HTML report)",
                style="dim",
            )
        )
    for p in ordered[:limit]:
        label = product_status_label(p.status)
        if p.reason:
            console.print(Text(one_line(f"  {p.id} ({label}): {p.reason}"), style=STYLES[p.status]))
        elif p.not_evaluated:
            # Judged on the rest: say which policies were not, so a pass is not read as complete.
            text = f"  {p.id} ({label}): not evaluated: {not_evaluated_text(p.not_evaluated)}"
            console.print(Text(one_line(text), style=STYLES["not_evaluated"]))
    uncovered = describe_uncovered(result.uncovered)
    if uncovered:
        types = ", ".join(f"{u.type} {u.count}" for u in result.uncovered)
        console.print(Text(one_line(f"Not covered: {uncovered} ({types})"), style="magenta"))
    if any(p.reason or p.not_evaluated for p in ordered[:limit]) or uncovered:
        console.print()


def _findings(console: Console, result: RunResult, limit: int) -> None:
    bad = failures(result)
    accepted = sum(1 for f in result.findings if status_label(f) in ("waived", "fail (baseline)"))
    if not bad:
        console.print(Text("No failing findings.", style="green"))
        if accepted:
            console.print(
                Text(f"  {accepted} finding(s) accepted by waivers or the baseline", style="cyan")
            )
        console.print()
        return
    console.print(Text(f"Failing findings ({len(bad)}):", style="bold"))
    for f in bad[:limit]:
        line = Text("  ")
        marker = "BLOCKING " if is_blocking(f, result.run.fail_on) else ""
        line.append(f"{marker}[{f.severity.value}] ", style=STYLES[f.severity.value])
        line.append(f"{f.policy_id} ", style="bold")
        line.append(one_line(f.product))
        if f.subject:
            line.append(f" {one_line(f.subject)}", style="dim")
        if f.status is Status.ERROR:
            line.append(" (error)", style=STYLES["error"])
        console.print(line)
        detail = Text(f"      {one_line(f.message)}")
        where = location_text(f.location)
        if where:
            detail.append(f"\n      at {where}", style="dim")
        console.print(detail)
    if len(bad) > limit:
        console.print(
            Text(f"  ... and {len(bad) - limit} more (see the JSON or HTML report)", style="dim")
        )
    if accepted:
        console.print(
            Text(
                f"  {accepted} more finding(s) accepted by waivers or the baseline",
                style="cyan",
            )
        )
    console.print()


def _waivers(console: Console, result: RunResult) -> None:
    if not result.waivers:
        return
    console.print(Text("Waivers needing attention:", style="bold"))
    for w in result.waivers:
        console.print(Text(one_line(f"  {w.state}: {w.id}: {w.message}"), style="yellow"))
    console.print()


def _errors(console: Console, result: RunResult) -> None:
    if not result.errors:
        return
    console.print(Text(f"Errors ({len(result.errors)}): the run is incomplete", style="bold red"))
    for e in result.errors:
        where = f"{e.where}: " if e.where else ""
        console.print(Text(one_line(f"  [{e.kind}] {where}{e.message}"), style="red"))
    console.print()
