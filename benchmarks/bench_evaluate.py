"""Benchmark the embedded OPA engine: synthetic bundles x a policy set, time and memory.

    .venv/bin/python benchmarks/bench_evaluate.py            # 25k and 100k resources
    .venv/bin/python benchmarks/bench_evaluate.py --write    # and record it in benchmarks/README.md
    .venv/bin/python benchmarks/bench_evaluate.py --sizes 2000 --pack builtin
    .venv/bin/python benchmarks/bench_evaluate.py --pack builtin --plan plan.json  # end to end

Each size runs in a fresh process so that peak memory is its own: the process's peak RSS
(bundles, findings, serialisation and the embedded OPA engines). Bundles are generated in Python
(no collection, no linking): 50 plan-shaped resources per data product, plus 10% unowned
resources in one bundle. Policies:
``benchmarks/policies`` (3 policies), or the built-in pack with ``--pack builtin``.

``--mix``: ``compliant`` (default) writes resources that agree with their manifest (tags with the
product's domain, name and owner, a daily backup plan, an expiration equal to the declared
retention, public access blocked, access denied by default) apart from the random defects below
(1-10% of resources); ``failing`` is the original generator, which
predates the tag-consistency, backup and lifecycle policies: against the built-in pack nearly
every resource then fails GOV-TAG-002 (twice) and GOV-BAK-001 and warns on GOV-RET-002, about
5 findings per resource, the worst case for the engine (each violation costs ~0.2 ms in Rego).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
sys.path.insert(0, str(HERE.parent))

PER_PRODUCT = 50


def make_bundles(total: int, seed: int = 11, mix: str = "failing") -> list[Any]:
    from governance.model import Bundle, Column, Location, Product, Resource
    from governance.model.evidence import (
        Access,
        BackupCoverage,
        BackupPlanRef,
        BackupRequirement,
        Encryption,
        Lifecycle,
    )

    rng = random.Random(seed)
    unowned_count = total // 10
    products = max(1, (total - unowned_count) // PER_PRODUCT)
    tags = ["Domain", "DataProduct", "Owner", "Classification", "Environment"]

    compliant = mix == "compliant"

    def resource(name: str, owner: str | None, product: Any = None) -> Resource:
        # About 1 resource in 100 misses a tag, 1 in 50 uses AES256 and 1 in 50 expires late:
        # a realistic mix of passing and failing products.
        dropped = rng.choice(tags) if rng.random() < 0.01 else None
        values = dict.fromkeys(tags, owner or "x")
        if compliant and product is not None:
            values.update(
                Domain=product.domain,
                DataProduct=product.name,
                Owner=product.owner,
                Classification=product.classification,
                Environment=product.environment,
            )
        kept = {t: values[t] for t in tags if t != dropped}
        days = (product.retention_days if compliant and product is not None else None) or 30
        backup = (
            BackupCoverage(
                plans=[BackupPlanRef(name="daily", schedule="cron(0 3 * * ? *)", interval_hours=24)]
            )
            if compliant
            else None
        )
        return Resource(
            address=f"aws_s3_bucket.{name}",
            type="aws_s3_bucket",
            name=name,
            data_bearing=True,
            tags=kept,
            versioning=rng.random() > 0.1,
            encryption=Encryption(
                enabled=True, algorithm="AES256" if rng.random() < 0.02 else "aws:kms"
            ),
            lifecycle=Lifecycle(expiration_days=days if rng.random() > 0.02 else 4000),
            backup=backup,
            public_access_blocked=True if compliant else None,
            location=Location(file="plan.json", line=rng.randint(1, 10**6)),
            raw={
                "bucket": name,
                "acl": "private",
                "force_destroy": False,
                "tags_all": kept,
                "policy": "{" + "x" * 200 + "}",
            },
        )

    bundles = []
    for p in range(products):
        pid = f"product-{p:05}"
        product = Product(
            id=pid,
            name=pid,
            domain=f"domain-{p % 25}",
            owner="team",
            classification="internal" if compliant else None,
            environment="prod" if compliant else None,
            backup=BackupRequirement(rpo="24h", rpo_hours=24) if compliant else None,
            access=Access(default_policy="deny") if compliant else None,
            pii=p % 3 == 0,
            retention_days=rng.choice([30, 90, 365, 365, 365, None]),
            columns=[Column(name=f"c{i}", type="string", pii=i == 0) for i in range(8)],
            source=Location(file=f"products/{pid}.yaml", line=1),
            locations={"retention_days": Location(file=f"products/{pid}.yaml", line=7)},
        )
        bundles.append(
            Bundle(
                id=pid,
                product=product,
                resources=[resource(f"{pid}-{i}", pid, product) for i in range(PER_PRODUCT)],
            )
        )
    bundles.append(
        Bundle(id="unowned", resources=[resource(f"stray-{i}", None) for i in range(unowned_count)])
    )
    return bundles


def measure_one(total: int, pack_name: str, workers: int | None, mix: str) -> dict[str, Any]:
    from governance.evaluate import get_engine
    from governance.evaluate.pack import builtin_pack_dirs, load_pack
    from governance.model import GovernanceConfig

    config = GovernanceConfig(engine={"workers": workers})
    started = time.perf_counter()
    bundles = make_bundles(total, mix=mix)
    generated = time.perf_counter()
    dirs = builtin_pack_dirs() if pack_name == "builtin" else [HERE / "policies"]
    pack = load_pack(dirs, config)
    loaded = time.perf_counter()
    evaluation = get_engine("embedded", pack=pack).evaluate(bundles, pack.policies, config)
    finished = time.perf_counter()
    statuses = Counter(f.status.value for f in evaluation.findings)
    return {
        "resources": sum(len(b.resources) for b in bundles),
        "bundles": len(bundles),
        "mix": mix,
        "load_average": os.getloadavg()[0],
        "policies": len(pack.rego_policies),
        "generate_s": generated - started,
        "load_s": loaded - generated,
        "evaluate_s": finished - loaded,
        "findings": dict(statuses),
        "errors": len(evaluation.errors),
        "parent_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_plan(path: Path, pack_name: str, workers: int | None) -> dict[str, Any]:
    """A generated Terraform plan end to end: collect, link (one product per DataProduct tag,
    declared with the tags' values so that linking and GOV-TAG-002 agree) and evaluate."""
    from governance.collect import tfplan
    from governance.collect.base import CollectContext
    from governance.collect.files import load_json
    from governance.evaluate import get_engine
    from governance.evaluate.pack import builtin_pack_dirs, load_pack
    from governance.link import link_bundles
    from governance.model import GovernanceConfig, Location, Product

    config = GovernanceConfig(engine={"workers": workers})
    started = time.perf_counter()
    evidence = tfplan.collect(path, load_json(path), CollectContext())
    tagged = {
        r.tags["DataProduct"]: r.tags.get("Domain")
        for r in evidence.resources
        if "DataProduct" in r.tags
    }
    evidence.products = [
        Product(id=i, name=i, domain=d, owner="team", source=Location(file="bench"))
        for i, d in sorted(tagged.items())
    ]
    bundles = link_bundles(evidence, config).bundles
    collected = time.perf_counter()
    dirs = builtin_pack_dirs() if pack_name == "builtin" else [HERE / "policies"]
    pack = load_pack(dirs, config)
    loaded = time.perf_counter()
    evaluation = get_engine("embedded", pack=pack).evaluate(bundles, pack.policies, config)
    finished = time.perf_counter()
    return {
        "plan": str(path),
        "resource_changes": len(load_json(path)["resource_changes"]),
        "resources": sum(len(b.resources) for b in bundles),
        "bundles": len(bundles),
        "policies": len(pack.rego_policies),
        "collect_link_s": collected - started,
        "load_s": loaded - collected,
        "evaluate_s": finished - loaded,
        "total_s": finished - started,
        "findings": dict(Counter(f.status.value for f in evaluation.findings)),
        "errors": len(evaluation.errors),
        "parent_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_average": os.getloadavg()[0],
    }


def run_size(total: int, pack_name: str, workers: int | None, mix: str) -> dict[str, Any]:
    """One size in a fresh interpreter: peak memory figures are then that size's own."""
    command = [sys.executable, __file__, "--one", str(total), "--pack", pack_name, "--mix", mix]
    if workers:
        command += ["--workers", str(workers)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


def table(rows: list[dict[str, Any]], pack_name: str) -> str:
    lines = [
        "| Resources | Bundles | Policies | Evaluate (s) | Per 1k resources (s) | Findings "
        "(fail/pass/error) | Peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        f = r["findings"]
        lines.append(
            f"| {r['resources']:,} | {r['bundles']:,} | {r['policies']} | {r['evaluate_s']:.1f} | "
            f"{r['evaluate_s'] / r['resources'] * 1000:.2f} | {f.get('fail', 0):,}/"
            f"{f.get('pass', 0):,}/{f.get('error', 0)} | {r['parent_rss_mb']:.0f} |"
        )
    source = "the built-in pack" if pack_name == "builtin" else "`benchmarks/policies` (3 policies)"
    return (
        "\n".join(lines) + f"\n\nPolicies: {source}; pack load + compile check: "
        f"{rows[0]['load_s']:.2f} s.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--pack", choices=["bench", "builtin"], default="bench")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--mix", choices=["compliant", "failing"], default="compliant")
    parser.add_argument("--write", action="store_true", help="append to benchmarks/README.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--plan",
        type=Path,
        help="instead: collect, link and evaluate this plan (from benchmarks/gen_plan.py)",
    )
    args = parser.parse_args(argv)
    if args.plan:
        print(json.dumps(measure_plan(args.plan, args.pack, args.workers)))
        return 0
    if args.one:
        print(json.dumps(measure_one(args.one, args.pack, args.workers, args.mix)))
        return 0
    rows = []
    for size in args.sizes:
        row = run_size(size, args.pack, args.workers, args.mix)
        print(json.dumps(row), flush=True)
        rows.append(row)
    text = table(rows, args.pack)
    print(text)
    if args.write:
        section = (
            f"\n## Evaluate\n\n`benchmarks/bench_evaluate.py` ({date.today().isoformat()}):\n\n"
            f"Embedded OPA engine, {args.workers or 2} engine(s) in threads; "
            f"{PER_PRODUCT} resources per product plus 10% unowned resources (Python "
            f"{platform.python_version()}, {platform.machine()}).\n\n{text}"
        )
        with README.open("a", encoding="utf-8") as handle:
            handle.write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
