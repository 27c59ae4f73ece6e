"""Renderer cost on a large run: 1,000 products, 20,000 findings, every format.

    .venv/bin/python benchmarks/bench_report.py            # print the table
    .venv/bin/python benchmarks/bench_report.py --write    # and record it in benchmarks/README.md

The run is synthetic but shaped like a real mesh (deterministic seed): 10 domains, 20 policies per
product, about 30% failing records, some warnings, waivers and baselined failures, evidence dicts
and framework controls on every record. Time is the best of ``--repeat`` renders (wall clock,
single process); size is the UTF-8 length of the output.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from governance.decide import finalise
from governance.model.evidence import Location
from governance.model.policy import Severity
from governance.model.result import (
    Finding,
    RunInfo,
    RunResult,
    Status,
    ToolInfo,
    WaiverRef,
)
from governance.report import FORMATS, renderer

README = Path(__file__).resolve().parent / "README.md"
SEVERITIES = [Severity.CRITICAL, Severity.HIGH, Severity.HIGH, Severity.MEDIUM, Severity.LOW]
FRAMEWORKS = ["GDPR Art. 32", "GDPR Art. 5(1)(e)", "SOC2 CC6.1", "SOC2 A1.2", "ISO27001 A.8.13"]


def build_run(products: int = 1000, per_product: int = 20, seed: int = 7) -> RunResult:
    rng = random.Random(seed)
    waiver = WaiverRef(
        id="WVR-1", reason="migration", approved_by="jane@example.com", expires=date(2026, 12, 31)
    )
    findings: list[Finding] = []
    domains: dict[str, str | None] = {}
    for p in range(products):
        domain = f"domain-{p % 10}"
        product = f"{domain}.product-{p:04d}"
        domains[product] = domain
        for i in range(per_product):
            roll = rng.random()
            status = (
                Status.FAIL
                if roll < 0.3
                else Status.WARN
                if roll < 0.35
                else Status.WAIVED
                if roll < 0.37
                else Status.PASS
            )
            findings.append(
                Finding(
                    policy_id=f"GOV-P{i:02d}-001",
                    title=f"Policy number {i}",
                    severity=SEVERITIES[i % len(SEVERITIES)],
                    status=status,
                    product=product,
                    domain=domain,
                    subject=f"aws_s3_bucket.{product.replace('.', '_')}_{i % 4}",
                    message=f"policy {i} evaluated on resource {i % 4}: "
                    + ("violated" if status is not Status.PASS else "ok"),
                    evidence={
                        "encryption": {"enabled": roll > 0.3, "kms_key": None},
                        "tags": {"Domain": domain},
                        "sample_values": ["x", "y"],
                    },
                    location=Location(file=f"infra/{domain}/plan.json", line=10 + i, column=3),
                    frameworks=[FRAMEWORKS[i % len(FRAMEWORKS)]],
                    remediation=f"Fix policy {i} by doing the documented thing.",
                    waiver=waiver if status is Status.WAIVED else None,
                    baseline=status is Status.FAIL and rng.random() < 0.1,
                )
            )
    run = RunInfo(id="bench", started_at=datetime(2026, 1, 1, tzinfo=UTC), fail_on="high")
    result = RunResult(tool=ToolInfo(version="bench"), run=run, findings=findings)
    return finalise(result, domains)


def measure(result: RunResult, repeat: int) -> list[tuple[str, float, int]]:
    rows = []
    for fmt in sorted(FORMATS):
        render = renderer(fmt)
        best = float("inf")
        text = ""
        for _ in range(repeat):
            start = time.perf_counter()
            text = render(result)
            best = min(best, time.perf_counter() - start)
        rows.append((fmt, best, len(text.encode("utf-8"))))
    return rows


def table(rows: list[tuple[str, float, int]], result: RunResult, repeat: int) -> str:
    lines = [
        f"Run: {len(result.products)} products, {len(result.findings)} findings "
        f"(best of {repeat}; Python {platform.python_version()}, {platform.machine()}).",
        "",
        "| Format | Time (s) | Output size |",
        "|---|---:|---:|",
    ]
    for fmt, seconds, size in rows:
        lines.append(f"| {fmt} | {seconds:.2f} | {size / 1_000_000:.2f} MB |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--per-product", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="append to benchmarks/README.md")
    args = parser.parse_args(argv)
    result = build_run(args.products, args.per_product)
    text = table(measure(result, args.repeat), result, args.repeat)
    print(text)
    if args.write:
        section = (
            f"\n## Reports\n\n`benchmarks/bench_report.py` "
            f"({datetime.now(UTC).date().isoformat()}):\n\n{text}"
        )
        if not README.exists():
            section = (
                "# Benchmarks\n\nReproducible performance measurements; each section "
                "names the script that produced it.\n" + section
            )
        with README.open("a", encoding="utf-8") as handle:
            handle.write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
