"""Pack evaluation per bundle on the embedded OPA engine: median and p95 ms, and scaling.

    .venv/bin/python benchmarks/bench_pack.py                    # 1k, 5k and 25k resources
    .venv/bin/python benchmarks/bench_pack.py --sizes 5000 --write   # and record it in README.md

For each size, the generated bundles of ``bench_evaluate.make_bundles`` (50 resources per product,
10% unowned in one bundle; ``--mix compliant``) are evaluated against the whole built-in pack, in
one run:

- per bundle, one engine: the time of the one query that evaluates every applicable policy
  (``data.governance_entry.results``), input conversion included; median and p95;
- the floor: the same input with a query that reads nothing (``x := 1``): what moving the input
  into OPA costs, whatever the pack does;
- the whole evaluation (``evaluator.evaluate``: inputs, queries, findings) with 1 and 2 engines,
  the inputs staged in OPA's store as the engine does.

``--per-policy``: instead, each policy's own median cost per bundle (ms above the cost of reading
the staged input), most expensive first: where to look when the pack gets slower.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def measure(total: int, mix: str) -> dict[str, Any]:
    from bench_evaluate import make_bundles

    from governance.evaluate.pack import builtin_pack_dirs, load_pack
    from governance.evaluate.rego import evaluator
    from governance.evaluate.rego.embedded import EmbeddedBackend, warm
    from governance.evaluate.rego.engine import program
    from governance.model import GovernanceConfig

    config = GovernanceConfig()
    bundles = make_bundles(total, mix=mix)
    pack = load_pack(builtin_pack_dirs(), config)
    loaded = program(pack, pack.rego_policies, config)
    engine = loaded.new_engine()
    warm(engine)
    documents = [b.to_input(include_raw=False) for b in bundles]
    engine.eval_query("x := 1", documents[0])
    query, floor = [], []
    for document in documents:
        started = time.perf_counter()
        engine.eval_document("governance_entry.results", document)
        query.append(time.perf_counter() - started)
        started = time.perf_counter()
        engine.eval_query("x := 1", document)
        floor.append(time.perf_counter() - started)
    engine.close()
    whole = {}
    for engines in (1, 2):
        backend = EmbeddedBackend(loaded, engines=engines, timeout=300)
        started = time.perf_counter()
        result = evaluator.evaluate(backend, bundles, pack.rego_policies, config)
        whole[engines] = time.perf_counter() - started
        assert not result.errors, result.errors[:3]
    median, p95 = _ms(query)
    floor_median, _ = _ms(floor)
    return {
        "resources": sum(len(b.resources) for b in bundles),
        "bundles": len(bundles),
        "policies": len(pack.rego_policies),
        "median_ms": median,
        "p95_ms": p95,
        "floor_ms": floor_median,
        "one_engine_s": whole[1],
        "two_engines_s": whole[2],
    }


def per_policy(total: int, mix: str) -> str:
    from bench_evaluate import make_bundles

    from governance.evaluate.pack import builtin_pack_dirs, load_pack
    from governance.evaluate.rego.engine import program
    from governance.model import GovernanceConfig

    config = GovernanceConfig()
    pack = load_pack(builtin_pack_dirs(), config)
    engine = program(pack, pack.rego_policies, config).new_engine()
    documents = [b.to_input(include_raw=False) for b in make_bundles(total, mix=mix)]
    engine.add_data({"bench": documents})

    def median_ms(query: str) -> float:
        engine.eval_query(query, {"i": 0})
        times = []
        for index in range(len(documents)):
            started = time.perf_counter()
            engine.eval_query(query, {"i": index})
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    read = median_ms("x := count(input.resources) with input as data.bench[input.i]")
    costs = {
        p.id: median_ms(
            f'x := data.governance_entry.results["{p.id}"] with input as data.bench[input.i]'
        )
        - read
        for p in pack.rego_policies
    }
    lines = [f"reading the staged input: {read:.3f} ms per bundle", "| policy | ms per bundle |"]
    lines.append("|---|---:|")
    lines += [f"| {k} | {v:.3f} |" for k, v in sorted(costs.items(), key=lambda kv: -kv[1])]
    return "\n".join(lines) + "\n"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| resources | bundles | policies | per bundle: median (ms) | p95 (ms) | input alone (ms) "
        "| whole evaluation, 1 engine (s) | 2 engines (s) | speed-up | per 1k resources (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['resources']:,} | {r['bundles']:,} | {r['policies']} | {r['median_ms']:.2f} | "
            f"{r['p95_ms']:.2f} | {r['floor_ms']:.2f} | {r['one_engine_s']:.2f} | "
            f"{r['two_engines_s']:.2f} | {r['one_engine_s'] / r['two_engines_s']:.1f}x | "
            f"{r['two_engines_s'] / r['resources'] * 1000:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 25_000])
    parser.add_argument("--mix", choices=["compliant", "failing"], default="compliant")
    parser.add_argument("--write", action="store_true", help="record it in benchmarks/README.md")
    parser.add_argument("--per-policy", action="store_true", help="cost of each policy instead")
    args = parser.parse_args(argv)
    if args.per_policy:
        print(per_policy(args.sizes[0], args.mix))
        return 0
    rows = [measure(size, args.mix) for size in args.sizes]
    text = table(rows)
    print(text)
    if args.write:
        section = (
            f"\n## Pack evaluation per bundle\n\n`benchmarks/bench_pack.py` "
            f"({date.today().isoformat()}, Python {platform.python_version()}, "
            f"{platform.machine()}, mix {args.mix}):\n\n{text}"
        )
        with README.open("a", encoding="utf-8") as handle:
            handle.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
