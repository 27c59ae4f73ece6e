"""Time and peak memory of collecting (and linking) generated Terraform plans.

    .venv/bin/python benchmarks/bench_collect.py [--sizes 1000 10000 50000] [--repeat 3]

Plans come from benchmarks/gen_plan.py (split-resource S3 buckets, backup plans and selections,
one product per 100 resources) and are written to benchmarks/out/ once per size. Each measurement
runs in a fresh interpreter so memory is that of one run, and reports:

* ``parse``   reading and decoding the file plus ``json.loads`` (what the collect registry does
  before any collector runs);
* ``collect`` ``governance.collect.tfplan.collect`` (validation, joins, backup coverage);
* ``link``    ``governance.link.link_bundles`` with one declared product per generated product;
* ``peak RSS`` the process's maximum resident set (``ru_maxrss``) after each phase, which
  includes the interpreter, the parsed document and the evidence.

Times are wall clock / CPU (``process_time``) seconds, the median of ``--repeat`` runs; on a
shared machine the CPU figure is the steadier one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from governance.collect import tfplan
from governance.collect.base import CollectContext
from governance.collect.files import load_json
from governance.model.config import GovernanceConfig
from governance.model.evidence import Location, Product
try:
    from governance.link import link_bundles
except ImportError:
    link_bundles = None

path = Path(sys.argv[1])
result = {"rss_start_mb": rss_mb()}
t, c = time.perf_counter(), time.process_time()
doc = load_json(path)
result["parse_s"], result["parse_cpu_s"] = time.perf_counter() - t, time.process_time() - c
result["rss_parse_mb"] = rss_mb()
t, c = time.perf_counter(), time.process_time()
evidence = tfplan.collect(path, doc, CollectContext())
result["collect_s"], result["collect_cpu_s"] = time.perf_counter() - t, time.process_time() - c
result["rss_collect_mb"] = rss_mb()
result["resources_in"] = len(doc["resource_changes"])
result["resources_out"] = len(evidence.resources)
result["covered"] = sum(1 for r in evidence.resources if r.backup is not None)
if link_bundles is not None:
    ids = sorted({r.tags["DataProduct"] for r in evidence.resources if "DataProduct" in r.tags})
    evidence.products = [
        Product(id=i, name=i, domain="bench", source=Location(file="bench")) for i in ids
    ]
    t, c = time.perf_counter(), time.process_time()
    linked = link_bundles(evidence, GovernanceConfig())
    result["link_s"], result["link_cpu_s"] = time.perf_counter() - t, time.process_time() - c
    result["bundles"] = len(linked.bundles)
    result["rss_link_mb"] = rss_mb()
print(json.dumps(result))
"""


def _plan(size: int) -> Path:
    path = OUT / f"plan-{size}.json"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(REPO / "benchmarks" / "gen_plan.py"),
                "-n",
                str(size),
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def _measure(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_KEYS = ("parse", "collect", "link")


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def _seconds(row: dict[str, Any], phase: str) -> str:
    wall, cpu = row.get(f"{phase}_s"), row.get(f"{phase}_cpu_s")
    return "n/a" if wall is None or cpu is None else f"{wall:.2f} / {cpu:.2f}"


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| plan resources | plan file | parse (s) | collect (s) | link (s) "
        "| evidence resources | peak RSS after parse / collect / link |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        rss = " / ".join(f"{row[f'rss_{k}_mb']:.0f}" for k in _KEYS if row.get(f"rss_{k}_mb"))
        lines.append(
            f"| {row['size']:,} | {row['file_mb']:.1f} MB | {_seconds(row, 'parse')} "
            f"| {_seconds(row, 'collect')} | {_seconds(row, 'link')} "
            f"| {row['resources_out']:,} | {rss} MB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="also write raw results here")
    args = parser.parse_args(argv)

    rows: list[dict[str, Any]] = []
    for size in args.sizes:
        path = _plan(size)
        runs = [_measure(path) for _ in range(args.repeat)]
        row: dict[str, Any] = {"size": size, "file_mb": path.stat().st_size / 2**20, "runs": runs}
        keys = [f"{k}_{unit}" for k in _KEYS for unit in ("s", "cpu_s")]
        for key in [*keys, "rss_start_mb", *(f"rss_{k}_mb" for k in _KEYS)]:
            row[key] = _median(runs, key)
        row.update({k: runs[0][k] for k in ("resources_out", "covered", "bundles") if k in runs[0]})
        rows.append(row)
        summary = {k: v for k, v in row.items() if k != "runs"}
        print(f"{size}: {json.dumps(summary)}", file=sys.stderr)
    print(_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
