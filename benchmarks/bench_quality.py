"""Time and peak memory of the data-quality stage on a generated 1M-row, 10-column CSV.

    .venv/bin/python benchmarks/bench_quality.py [--rows 1000000] [--repeat 3]

The sample (benchmarks/out/quality-<rows>.csv, written once, seeded) has an integer id, e-mail,
phone (E.164), customer name, amount, timestamp, country, IPv4 address, status and a free-text
note in which 8 % of rows carry a card number, 8 % an IBAN and 8 % an e-mail. Each measurement
runs in a fresh interpreter (so memory is that of one run) and does what ``collect_quality`` does
for one product: read the sample with the row cap, PII detection on every column, and one suite
of six expectations through GX 1.x. Reported per phase:

* ``read``   ``governance.collect.samples.read_sample`` (pandas C parser, the cap applied);
* ``pii``    ``governance.evaluate.pii.detect_pii`` over all 10 columns;
* ``suite``  ``governance.evaluate.gx.runner.run_suite`` including the GX import (about 3 s of
  it, paid once per process) and the ephemeral context;
* ``peak RSS`` the process's maximum resident set (``VmHWM``), interpreter and GX included.

The cap is measured on (the default ``samples.max_rows`` of 100,000) and off (every row). Times
are wall clock seconds, the median of ``--repeat`` runs.
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

SUITE = {
    "name": "bench",
    "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}},
        {
            "type": "expect_column_values_to_match_regex",
            "kwargs": {"column": "email", "regex": "@"},
        },
        {
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "status", "value_set": ["new", "paid", "shipped"]},
        },
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "amount", "min_value": 0, "max_value": 1000},
        },
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
    ],
}

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path

def rss_mb():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork+exec, so a child would report the
    # parent's high-water mark; VmHWM belongs to this process image only.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from governance.collect.samples import read_sample
from governance.evaluate.gx.runner import run_suite
from governance.evaluate.gx.suites import parse_suite
from governance.evaluate.pii import detect_pii

path, cap, suite = Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
t0 = time.perf_counter()
sample = read_sample(path, cap)
t1 = time.perf_counter()
found = detect_pii(sample.frame)
t2 = time.perf_counter()
result = run_suite(sample, parse_suite(suite, "bench.json"))
t3 = time.perf_counter()
print(json.dumps({
    "rows": sample.rows, "read": t1 - t0, "pii": t2 - t1, "suite": t3 - t2, "total": t3 - t0,
    "rss": rss_mb(), "detected": {d.column: d.kinds for d in found}, "score": result.score,
}))
"""


def generate(path: Path, rows: int) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(20240501)
    ids = np.arange(rows)
    first = np.array(["ada", "alan", "grace", "edsger", "barbara", "donald", "frances", "ken"])
    last = np.array(["lovelace", "turing", "hopper", "dijkstra", "liskov", "knuth", "allen"])
    pick_first, pick_last = rng.integers(0, len(first), rows), rng.integers(0, len(last), rows)
    notes = rng.choice(["ok", "leave at the door", "fragile", "call before delivery", ""], rows)
    extra = rng.random(rows)
    cards = ["card 4111 1111 1111 1111", "card 5500 0055 5555 5559", "card 4012 8888 8888 1881"]
    notes = np.where(extra < 0.08, rng.choice(cards, rows), notes)
    notes = np.where(
        (extra >= 0.08) & (extra < 0.16), "refund to DE89 3704 0044 0532 0130 00", notes
    )
    notes = np.where((extra >= 0.16) & (extra < 0.24), "cc ops@example.org", notes)
    frame = pd.DataFrame(
        {
            "id": ids,
            "email": [
                f"{f}.{n}{i}@example.com"
                for i, f, n in zip(ids, first[pick_first], last[pick_last], strict=True)
            ],
            "phone": [f"+44 20 {7000 + (i // 10000) % 3000} {i % 10000:04d}" for i in ids],
            "customer_name": [
                f"{f.title()} {n.title()}"
                for f, n in zip(first[pick_first], last[pick_last], strict=True)
            ],
            "amount": np.round(rng.random(rows) * 1000, 2),
            "created_at": pd.date_range("2020-01-01", periods=rows, freq="min").astype(str),
            "country": rng.choice(["DE", "FR", "GB", "US", "NL"], rows),
            "ip": [f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}" for i in ids],
            "status": rng.choice(["new", "paid", "shipped"], rows),
            "notes": notes,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)


def measure(path: Path, cap: int | None) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), json.dumps(cap), json.dumps(SUITE)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cap", type=int, default=100_000, help="the row cap measured as 'on'")
    args = parser.parse_args()
    path = OUT / f"quality-{args.rows}.csv"
    if not path.exists():  # in a child: the generator's memory must not count in our children
        code = "import sys; sys.path.insert(0, 'benchmarks'); import bench_quality as b; "
        code += f"b.generate(b.Path({str(path)!r}), {args.rows})"
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    size_mb = path.stat().st_size / 1e6
    print(f"sample: {path.relative_to(REPO)} ({args.rows:,} rows, 10 columns, {size_mb:.0f} MB)")
    print("| cap | rows read | read (s) | PII scan (s) | suite (s) | total (s) | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for cap in (args.cap, None):
        runs = [measure(path, cap) for _ in range(args.repeat)]

        def med(key: str, runs: list[dict[str, Any]] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        label = f"on ({cap:,})" if cap else "off"
        print(
            f"| {label} | {runs[0]['rows']:,} | {med('read'):.2f} | {med('pii'):.2f} | "
            f"{med('suite'):.2f} | {med('total'):.2f} | {med('rss'):.0f} MB |"
        )
    print(f"detected: {json.dumps(runs[0]['detected'])}; suite score {runs[0]['score']}")


if __name__ == "__main__":
    main()
