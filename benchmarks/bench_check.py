"""End to end: our whole ``governance check`` process against checkov's CLI, on the same plan.

    .venv/bin/python benchmarks/bench_check.py --sizes 5000 25000
    .venv/bin/python benchmarks/bench_check.py --sizes 5000 25000 --write   # and record it

For each size, ``benchmarks/gen_plan.py`` writes one data mesh (``write_mesh``): a minified
``terraform show -json`` plan with that many resource changes and one manifest per product
(``size // --products-per``, 500 products at 25,000). Both tools then run on it as a user runs
them, each measurement a fresh process:

* ours: ``governance check MESH --format json --output-dir OUT``, i.e. interpreter start-up,
  imports, collecting every YAML manifest and the plan, linking resources to products, loading
  the built-in policy pack, evaluating its Rego policies with OPA embedded in the process (two
  OPA engines in threads) and writing the JSON report. Exit 0 or 1 is a verdict; anything
  else aborts the benchmark.
* checkov: ``checkov -f plan.json --framework terraform_plan --skip-download --check
  CKV_AWS_19,CKV_AWS_21,CKV_AWS_145 --quiet --compact -o json`` (encryption, versioning and
  lifecycle of the same buckets), only for sizes up to ``--checkov-max`` (it takes ~10 min at
  25,000). Exit 0 or 1 is a verdict.

The whole process is timed (``time.perf_counter`` around ``subprocess.run``), not a stage of it,
because that is what a CI job waits for. Peak RSS comes from ``/usr/bin/time -f %M``, which
reports the largest single process of the tree: ``governance check`` evaluates in its own
process and collects many small files in one worker process, whose memory is not added.
Without ``/usr/bin/time`` it falls back on ``getrusage(RUSAGE_CHILDREN)``, whose maximum only
says something when it grows.
The meshes live in a temporary directory removed afterwards; both tools run with a temporary
working directory (no ``governance.yaml`` or checkov config picked up from the caller's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
BIN = HERE.parent / ".venv" / "bin"
sys.path.insert(0, str(HERE))

from gen_plan import write_mesh  # noqa: E402  (a sibling script, not a package)

HEADING = "## Full check vs checkov"
# The checkov checks that judge what our pack judges on the
# generated buckets (KMS encryption, versioning, lifecycle).
CHECKOV_CHECKS = "CKV_AWS_19,CKV_AWS_21,CKV_AWS_145"
TIME_BIN = Path("/usr/bin/time")
VERDICT_CODES = (0, 1)  # both tools: 0 = all passed, 1 = something failed; both are normal


@dataclass
class Timed:
    """One process run: wall seconds, peak RSS (KB) and whether the RSS is only an upper bound."""

    seconds: float
    rss_kb: int | None
    rss_bound: bool
    stdout: str


@dataclass
class Row:
    """One size: our measurements and, if it ran, checkov's."""

    resources: int
    products: int
    ours_s: list[float] = field(default_factory=list)
    ours_rss: list[Timed] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    compliant: int = 0
    policies: int = 0
    checkov_s: list[float] = field(default_factory=list)
    checkov_rss: list[Timed] = field(default_factory=list)
    checkov_summary: dict[str, Any] = field(default_factory=dict)


def measure(command: Sequence[str], cwd: Path, what: str) -> Timed:
    """Run ``command`` once in a fresh process; abort unless it exits with a verdict code."""
    rss_file = cwd / ".peak-rss"
    wrapped = list(command)
    if TIME_BIN.exists():
        wrapped = [str(TIME_BIN), "-f", "%M", "-o", str(rss_file), *wrapped]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in VERDICT_CODES:
        raise SystemExit(
            f"{what} exited with {done.returncode}: {shlex.join(command)}\n"
            f"--- stderr (tail) ---\n{done.stderr[-4000:]}"
        )
    if TIME_BIN.exists():
        # GNU time writes "Command exited with non-zero status 1" before the value on exit 1.
        lines = rss_file.read_text(encoding="utf-8").split()
        rss_file.unlink()
        return Timed(seconds, int(lines[-1]), False, done.stdout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far: a run that peaks lower than an earlier one leaves it
    # unchanged, and then all we know is that this run stayed under it.
    return Timed(seconds, after, after <= before, done.stdout)


def run_ours(mesh: Path, work: Path, expected_products: int, row: Row) -> None:
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    command = [
        str(BIN / "governance"),
        "check",
        str(mesh),
        "--format",
        "json",
        "--output-dir",
        str(out),
    ]
    timed = measure(command, work, "governance check")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    summary = report["summary"]
    # Fail closed: a run that could not evaluate everything is not a comparable measurement.
    if report.get("errors") or summary["by_status"].get("error"):
        raise SystemExit(
            f"governance check reported errors: {report.get('errors')!r:.2000}, "
            f"by_status={summary['by_status']}"
        )
    if summary["products"] != expected_products:
        raise SystemExit(
            f"governance check found {summary['products']} products, generated {expected_products}"
        )
    row.ours_s.append(timed.seconds)
    row.ours_rss.append(timed)
    row.by_status = dict(summary["by_status"])
    row.compliant = summary["compliant_products"]
    row.policies = len({f["policy_id"] for f in report["findings"] if f.get("engine") == "rego"})


def checkov_summary(stdout: str) -> dict[str, Any]:
    """Passed/failed/... summed over checkov's report(s): a dict, or a list of dicts."""
    data = json.loads(stdout)
    reports = data if isinstance(data, list) else [data]
    total: dict[str, Any] = {"passed": 0, "failed": 0, "parsing_errors": 0, "resource_count": 0}
    for item in reports:
        for key in total:
            total[key] += item["summary"].get(key, 0)
    return total


def run_checkov(plan: Path, work: Path, row: Row) -> None:
    command = [
        str(BIN / "checkov"),
        "-f",
        str(plan),
        "--framework",
        "terraform_plan",
        "--skip-download",
        "--check",
        CHECKOV_CHECKS,
        "--quiet",
        "--compact",
        "-o",
        "json",
    ]
    timed = measure(command, work, "checkov")
    summary = checkov_summary(timed.stdout)
    if summary["parsing_errors"]:
        raise SystemExit(f"checkov could not parse {plan}: {summary}")
    row.checkov_s.append(timed.seconds)
    row.checkov_rss.append(timed)
    row.checkov_summary = summary


def measure_size(size: int, args: argparse.Namespace, tmp: Path) -> Row:
    products = max(1, size // args.products_per)
    mesh = tmp / f"mesh-{size}"
    plan = write_mesh(mesh, size, products)
    changes = len(json.loads(plan.read_text(encoding="utf-8"))["resource_changes"])
    row = Row(resources=changes, products=products)
    work = tmp / f"work-{size}"
    work.mkdir()
    for _ in range(args.repeat):
        run_ours(mesh, work, products, row)
        if size <= args.checkov_max:
            run_checkov(plan, work, row)
    shutil.rmtree(mesh)
    shutil.rmtree(work)
    return row


def _seconds(runs: list[float]) -> str:
    if len(runs) == 1:
        return f"{runs[0]:.1f}"
    return f"{statistics.median(runs):.1f} (min {min(runs):.1f})"


def _rss(runs: list[Timed]) -> str:
    peak = max(runs, key=lambda t: t.rss_kb or 0)
    if peak.rss_kb is None:
        return "?"
    return f"{'≤ ' if peak.rss_bound else ''}{peak.rss_kb / 1024:.0f} MB"


def table(rows: list[Row]) -> str:
    lines = [
        "| resource changes | products | governance check (s) | peak RSS "
        "| findings (fail/pass/warn) | checkov (s) | checkov peak RSS | checkov passed/failed "
        "| ratio (checkov / ours) |",
        "|---:|---:|---:|---:|---|---:|---:|---|---:|",
    ]
    for r in rows:
        s = r.by_status
        findings = f"{s.get('fail', 0):,}/{s.get('pass', 0):,}/{s.get('warn', 0):,}"
        if s.get("waived"):
            findings += f" (+{s['waived']:,} waived)"
        if r.checkov_s:
            ours, theirs = statistics.median(r.ours_s), statistics.median(r.checkov_s)
            checkov = (
                f"{_seconds(r.checkov_s)} | {_rss(r.checkov_rss)} | "
                f"{r.checkov_summary['passed']:,}/{r.checkov_summary['failed']:,} | "
                f"{theirs / ours:.1f}x"
            )
        else:
            checkov = "not run | | | "
        lines.append(
            f"| {r.resources:,} | {r.products:,} ({r.compliant:,} compliant) | "
            f"{_seconds(r.ours_s)} | {_rss(r.ours_rss)} | {findings} | {checkov} |"
        )
    return "\n".join(lines)


def commands(args: argparse.Namespace) -> str:
    sizes = " ".join(str(s) for s in args.sizes)
    return "\n".join(
        [
            f"    .venv/bin/python benchmarks/bench_check.py --sizes {sizes} "
            f"--products-per {args.products_per} --checkov-max {args.checkov_max} "
            f"--repeat {args.repeat}",
            "    # each size runs, in a fresh temporary working directory:",
            "    .venv/bin/governance check MESH --format json --output-dir OUT",
            f"    .venv/bin/checkov -f MESH/terraform/plan.json --framework terraform_plan "
            f"--skip-download --check {CHECKOV_CHECKS} --quiet --compact -o json",
        ]
    )


def notes(rows: list[Row], load_start: tuple[float, ...], load_end: tuple[float, ...]) -> str:
    rss = (
        "`/usr/bin/time -f %M`: the largest single process of the tree; `governance check` "
        "evaluates in its own process (OPA embedded) and collects many small files in a worker "
        "process, whose memory is not added"
        if TIME_BIN.exists()
        else "`getrusage(RUSAGE_CHILDREN)`: the largest single process; `≤` where a run peaked "
        "below an earlier one"
    )
    policies = sorted({r.policies for r in rows})
    return "\n".join(
        [
            f"- Machine: Python {platform.python_version()} ({platform.machine()}), "
            f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}); load average "
            f"{'/'.join(f'{x:.1f}' for x in load_start)} at start, "
            f"{'/'.join(f'{x:.1f}' for x in load_end)} at the end (1/5/15 min).",
            "- Times are wall seconds of the whole process (interpreter start-up and imports "
            "included); median over the repeats (min in brackets when more than one).",
            f"- Peak RSS: {rss}.",
            f"- Our findings: {'/'.join(map(str, policies))} of the built-in pack's policies "
            "yield findings on these products (the others, e.g. on contracts, catalogs or "
            "samples, have nothing to judge here and emit none); a pass per product where a "
            "policy holds, a fail per violation. checkov's passed/failed count its "
            f"{CHECKOV_CHECKS.count(',') + 1} checks per S3 bucket.",
        ]
    )


def write_readme(section: str) -> None:
    """Put ``section`` under HEADING: replace an older one in place, or append it."""
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    section = section.rstrip("\n") + "\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.M | re.S)
    old = pattern.search(text)
    if old:
        # A blank line before the heading that follows, if any.
        tail = "\n" if old.end() < len(text) else ""
        text = text[: old.start()] + section + tail + text[old.end() :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 25_000])
    parser.add_argument("--products-per", type=int, default=50, help="resource changes/product")
    parser.add_argument(
        "--checkov-max", type=int, default=5_000, help="run checkov only up to this size"
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="record it in benchmarks/README.md")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.products_per < 1:
        parser.error("--repeat and --products-per must be at least 1")

    load_start = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        for size in args.sizes:
            row = measure_size(size, args, Path(tmp))
            print(
                json.dumps(
                    {
                        "resources": row.resources,
                        "products": row.products,
                        "ours_s": row.ours_s,
                        "ours_rss_kb": [t.rss_kb for t in row.ours_rss],
                        "by_status": row.by_status,
                        "compliant": row.compliant,
                        "checkov_s": row.checkov_s,
                        "checkov_rss_kb": [t.rss_kb for t in row.checkov_rss],
                        "checkov": row.checkov_summary,
                    }
                ),
                file=sys.stderr,
                flush=True,
            )
            rows.append(row)
    load_end = os.getloadavg()

    body = f"{commands(args)}\n\n{table(rows)}\n\n{notes(rows, load_start, load_end)}\n"
    print(body)
    if args.write:
        write_readme(
            f"{HEADING}\n\n`benchmarks/bench_check.py` ({date.today().isoformat()}), meshes from "
            f"`benchmarks/gen_plan.py` (`write_mesh`):\n\n{body}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
