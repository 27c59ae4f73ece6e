"""How much time checkov adds to a governance run, on generated Terraform plans.

    .venv/bin/python benchmarks/bench_checkov.py [--buckets 200 1000] [--repeat 3] [--json OUT]

Each measurement runs in a fresh interpreter (so import cost and peak memory are those of one
CLI run) and calls ``run_checkov`` as ``governance check`` does, on a plan from
``benchmarks/gen_plan.py``: 5 resources per bucket (bucket, SSE/KMS, versioning, lifecycle,
public access block) and, per product of 10 buckets, a backup plan and selection; a third of the
products in ``for_each`` module instances. Modes:

* ``all``      every checkov Terraform check plus the guild's custom checks (the default config);
* ``custom``   only the guild's custom checks (``checks: [CKV_GOV_*]``, custom checks always run);
* ``default``  the default size gate (max_plan_resources 2000): above it checkov is not run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from gen_plan import BUCKET_PARTS, build  # noqa: E402  (a sibling script, not a package)

BUCKETS_PER_PRODUCT = 10


_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from governance.evaluate.checkov import CheckovConfig, run_checkov
from governance.evaluate.checkov.isolation import import_checkov
import_checkov()
t1 = time.perf_counter()
from pathlib import Path
plan, mode = Path(sys.argv[1]), sys.argv[2]
config = {
    "all": CheckovConfig(enabled=True, force=True),
    "custom": CheckovConfig(enabled=True, force=True, checks=["CKV_GOV_*"]),
    "default": CheckovConfig(enabled=True),
}[mode]
result = run_checkov([plan], [], {}, config)
t2 = time.perf_counter()
print(json.dumps({
    "import_s": t1 - t0, "run_s": t2 - t1, "findings": len(result.findings),
    "errors": len(result.errors),
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def measure(plan: Path, mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(plan), mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buckets", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=["all", "custom", "default"])
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for buckets in args.buckets:
            products = max(1, buckets // BUCKETS_PER_PRODUCT)
            resources = BUCKET_PARTS * buckets + 2 * products
            plan = Path(tmp) / f"plan-{buckets}.json"
            # Minified, as `terraform show -json` writes it.
            plan.write_text(json.dumps(build(resources, products), separators=(",", ":")))
            for mode in args.modes:
                runs = [measure(plan, mode) for _ in range(args.repeat)]
                row = {
                    "buckets": buckets,
                    "resources": resources,
                    "mode": mode,
                    "import_s": statistics.median(r["import_s"] for r in runs),
                    "run_s_median": statistics.median(r["run_s"] for r in runs),
                    "run_s_min": min(r["run_s"] for r in runs),
                    "findings": runs[0]["findings"],
                    "errors": runs[0]["errors"],
                    "max_rss_mb": max(r["max_rss_mb"] for r in runs),
                }
                rows.append(row)
                print(json.dumps(row), file=sys.stderr)

    print(
        "| buckets | resources | mode | checkov run (median / min) | import | findings | peak RSS |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['buckets']} | {r['resources']} | {r['mode']} | "
            f"{r['run_s_median']:.2f} s / {r['run_s_min']:.2f} s | {r['import_s']:.2f} s | "
            f"{r['findings']} | {r['max_rss_mb']:.0f} MB |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
