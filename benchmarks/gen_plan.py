"""Generate a large `terraform show -json` plan (format 1.2) for benchmarks.

    .venv/bin/python benchmarks/gen_plan.py --resources 50000 --products 500 -o plan.json

Split-resource style as the AWS provider v4+ writes it, with ids unknown at plan time so every
join has to follow `configuration` references:

* per bucket: `aws_s3_bucket` + `_server_side_encryption_configuration` (KMS) + `_versioning` +
  `_lifecycle_configuration` + `_public_access_block`, i.e. 5 resources;
* per product: one `aws_backup_plan` and one `aws_backup_selection`; root-module products select
  their buckets by tag (`DataProduct`, even products) or by ARN reference (odd), module products
  by the splat reference `aws_s3_bucket.data[*].arn`;
* products with an index divisible by 3 live in one `module.product["<id>"]` instance each
  (for_each) whose buckets use `count`, so references go through `count.index`;
  the others are written in the root module;
* every bucket tagged `DataProduct`/`Domain` (plus provider default_tags in `tags_all`).

With ``--mesh DIR`` it writes a whole data mesh for ``governance check DIR``: the plan as
``DIR/terraform/plan.json`` and one flat ``dataproduct.yaml`` per product under ``DIR/products/``,
declaring what the plan builds (domain, owner, classification, retention equal to the lifecycle
expiration, a 24-hour RPO, default-deny access), and buckets tagged with Owner and Classification
too. Defects, as a real mesh has them: every 25th bucket lacks its Owner tag, and the products on
the weekly backup schedule (one in four) miss their RPO.

Output is deterministic for given arguments (no randomness, no timestamps from the clock).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

AWS = "registry.terraform.io/hashicorp/aws"
DEFAULT_TAGS = {"ManagedBy": "terraform", "Environment": "prod"}
BUCKET_PARTS = 5
SCHEDULES = ("cron(0 5 ? * * *)", "cron(0 */6 ? * * *)", "cron(0 3 ? * SUN *)", "rate(1 hour)")
PAB_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
UNKNOWN_BUCKET = {"arn": True, "id": True, "bucket_domain_name": True, "region": True}


class Plan:
    """Accumulates a resource in the three places a real plan lists it."""

    def __init__(self) -> None:
        self.planned: dict[str, list[dict[str, Any]]] = {"": []}
        self.changes: list[dict[str, Any]] = []
        self.config: dict[str, dict[str, dict[str, Any]]] = {"": {}}

    def add(
        self,
        module: str,
        rtype: str,
        name: str,
        values: dict[str, Any],
        *,
        index: int | None = None,
        unknown: dict[str, Any] | None = None,
        expressions: dict[str, Any] | None = None,
    ) -> None:
        key = f"[{index}]" if index is not None else ""
        address = f"{module + '.' if module else ''}{rtype}.{name}{key}"
        item: dict[str, Any] = {"address": address, "mode": "managed", "type": rtype, "name": name}
        if index is not None:
            item["index"] = index
        item["provider_name"] = AWS
        self.planned.setdefault(module, []).append(
            {**item, "schema_version": 0, "values": values, "sensitive_values": {}}
        )
        change = {**item}
        if module:
            change["module_address"] = module
        change["change"] = {
            "actions": ["create"],
            "before": None,
            "after": values,
            "after_unknown": {"id": True, **(unknown or {})},
            "before_sensitive": False,
            "after_sensitive": {},
        }
        self.changes.append(change)
        config_module = "module.product" if module else ""
        self.config.setdefault(config_module, {}).setdefault(
            f"{rtype}.{name}",
            {
                "address": f"{rtype}.{name}",
                "mode": "managed",
                "type": rtype,
                "name": name,
                "provider_config_key": "aws",
                "expressions": expressions or {},
                "schema_version": 0,
                **(
                    {"count_expression": {"references": ["var.buckets"]}}
                    if index is not None
                    else {}
                ),
            },
        )


def _refs(target: str, attribute: str, in_module: bool) -> dict[str, list[str]]:
    """References as Terraform records them; `x[count.index].id` keeps only the whole resource."""
    if in_module:
        return {"references": [target, "count.index"]}
    return {"references": [f"{target}.{attribute}", target]}


def _bucket(
    plan: Plan,
    module: str,
    name: str,
    index: int | None,
    bucket: str,
    tags: dict[str, str],
    days: int,
) -> None:
    in_module = bool(module)
    target = f"aws_s3_bucket.{name}"
    plan.add(
        module,
        "aws_s3_bucket",
        name,
        {
            "bucket": bucket,
            "force_destroy": False,
            "tags": tags,
            "tags_all": {**DEFAULT_TAGS, **tags},
        },
        index=index,
        unknown=UNKNOWN_BUCKET,
        expressions={"bucket": {"constant_value": bucket}, "tags": {"constant_value": tags}},
    )
    ref = _refs(target, "id", in_module)
    plan.add(
        module,
        "aws_s3_bucket_server_side_encryption_configuration",
        name,
        {
            "expected_bucket_owner": None,
            "rule": [
                {
                    "apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}],
                    "bucket_key_enabled": True,
                }
            ],
        },
        index=index,
        unknown={
            "bucket": True,
            "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": True}]}],
        },
        expressions={
            "bucket": ref,
            "rule": [
                {
                    "apply_server_side_encryption_by_default": [
                        {
                            "kms_master_key_id": {"references": ["var.kms_key_arn"]},
                            "sse_algorithm": {"constant_value": "aws:kms"},
                        }
                    ]
                }
            ],
        },
    )
    plan.add(
        module,
        "aws_s3_bucket_versioning",
        name,
        {
            "expected_bucket_owner": None,
            "versioning_configuration": [{"status": "Enabled", "mfa_delete": None}],
        },
        index=index,
        unknown={"bucket": True},
        expressions={"bucket": ref},
    )
    plan.add(
        module,
        "aws_s3_bucket_lifecycle_configuration",
        name,
        {
            "expected_bucket_owner": None,
            "rule": [
                {
                    "id": "retention",
                    "status": "Enabled",
                    "filter": [{"prefix": ""}],
                    "expiration": [
                        {"days": days, "date": None, "expired_object_delete_marker": None}
                    ],
                    "transition": [{"days": 30, "storage_class": "STANDARD_IA", "date": None}],
                }
            ],
        },
        index=index,
        unknown={"bucket": True},
        expressions={"bucket": ref},
    )
    plan.add(
        module,
        "aws_s3_bucket_public_access_block",
        name,
        dict.fromkeys(
            (
                "block_public_acls",
                "block_public_policy",
                "ignore_public_acls",
                "restrict_public_buckets",
            ),
            True,
        ),
        index=index,
        unknown={"bucket": True},
        expressions={"bucket": ref},
    )


def _backup(
    plan: Plan,
    module: str,
    name: str,
    product: str,
    schedule: str,
    by_tag: bool,
    targets: list[str],
    tags: dict[str, str],
) -> None:
    plan.add(
        module,
        "aws_backup_plan",
        name,
        {
            "name": f"{product}-backup",
            "rule": [
                {
                    "rule_name": "main",
                    "schedule": schedule,
                    "enable_continuous_backup": schedule.startswith("rate"),
                    "target_vault_name": "vault",
                    "lifecycle": [{"delete_after": 35, "cold_storage_after": None}],
                }
            ],
            "tags": tags,
            "tags_all": {**DEFAULT_TAGS, **tags},
        },
        unknown={"arn": True, "version": True},
        expressions={"name": {"constant_value": f"{product}-backup"}},
    )
    values: dict[str, Any] = {
        "name": f"{product}-selection",
        "iam_role_arn": "arn:aws:iam::123456789012:role/backup",
        "not_resources": [],
        "condition": [],
        "selection_tag": [],
    }
    expressions: dict[str, Any] = {
        "plan_id": {"references": [f"aws_backup_plan.{name}.id", f"aws_backup_plan.{name}"]}
    }
    unknown: dict[str, Any] = {"plan_id": True}
    if by_tag:
        values["resources"] = []
        values["selection_tag"] = [{"type": "STRINGEQUALS", "key": "DataProduct", "value": product}]
    else:
        unknown["resources"] = True
        expressions["resources"] = {"references": [r for t in targets for r in (f"{t}.arn", t)]}
    plan.add(module, "aws_backup_selection", name, values, unknown=unknown, expressions=expressions)


def _owner(domain: str) -> str:
    return f"data-{domain}@example.com"


def build(resources: int, products: int, *, mesh: bool = False) -> dict[str, Any]:
    if products < 1 or resources < products * (BUCKET_PARTS + 2):
        raise SystemExit(f"need at least {BUCKET_PARTS + 2} resources per product")
    buckets = (resources - 2 * products) // BUCKET_PARTS
    plan = Plan()
    module_products: list[str] = []
    serial = 0

    def bucket_tags(tags: dict[str, str]) -> dict[str, str]:
        nonlocal serial
        serial += 1
        if mesh and serial % 25 == 0:
            return {k: v for k, v in tags.items() if k != "Owner"}
        return tags

    for p in range(products):
        product = f"p{p:05d}"
        domain = f"domain{p % 10}"
        count = buckets // products + (1 if p < buckets % products else 0)
        tags = {"DataProduct": product, "Domain": domain}
        if mesh:
            tags |= {"Owner": _owner(domain), "Classification": "internal"}
        plan_tags = tags if mesh else {"DataProduct": product}
        days = 30 + (p % 12) * 30
        schedule = SCHEDULES[p % len(SCHEDULES)]
        if p % 3 == 0:
            module = f'module.product["{product}"]'
            module_products.append(product)
            for i in range(count):
                _bucket(plan, module, "data", i, f"mesh-{product}-{i}", bucket_tags(tags), days)
            # One module configuration serves every instance: all select their buckets by the
            # splat reference `aws_s3_bucket.data[*].arn`.
            _backup(
                plan, module, "this", product, schedule, False, ["aws_s3_bucket.data"], plan_tags
            )
        else:
            names = [f"{product}_b{i}" for i in range(count)]
            for i, name in enumerate(names):
                _bucket(plan, "", name, None, f"mesh-{product}-{i}", bucket_tags(tags), days)
            _backup(
                plan,
                "",
                product,
                product,
                schedule,
                p % 2 == 0,
                [f"aws_s3_bucket.{n}" for n in names],
                plan_tags,
            )
    # Pad to exactly `resources` with untagged KMS keys (collected, not data-bearing).
    for k in range(resources - len(plan.changes)):
        plan.add(
            "",
            "aws_kms_key",
            f"pad{k}",
            {"enable_key_rotation": k % 2 == 0, "tags": None},
            unknown={"arn": True, "tags_all": True},
        )

    child_modules = [
        {"address": f'module.product["{p}"]', "resources": plan.planned[f'module.product["{p}"]']}
        for p in module_products
    ]
    module_calls = {}
    if module_products:
        module_calls["product"] = {
            "source": "./modules/product",
            "for_each_expression": {"references": ["local.products"]},
            "expressions": {"kms_key_arn": {"references": ["var.kms_key_arn"]}},
            "module": {
                "resources": list(plan.config["module.product"].values()),
                "variables": {"kms_key_arn": {}, "buckets": {}},
            },
        }
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {
            "root_module": {"resources": plan.planned[""], "child_modules": child_modules}
        },
        "resource_changes": plan.changes,
        "configuration": {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": AWS,
                    "expressions": {
                        "region": {"constant_value": "eu-west-1"},
                        "default_tags": [{"tags": {"constant_value": DEFAULT_TAGS}}],
                    },
                }
            },
            "root_module": {
                "resources": list(plan.config[""].values()),
                "module_calls": module_calls,
            },
        },
        "timestamp": "2026-01-01T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def manifest(p: int) -> str:
    """The flat dataproduct.yaml of product ``p`` in ``--mesh`` mode (what ``build`` deploys)."""
    domain = f"domain{p % 10}"
    columns = ["    - name: id", "      type: bigint"]
    if p % 5 == 0:
        columns += ["    - name: email", "      type: string", "      pii: true"]
    return "\n".join(
        [
            f"name: p{p:05d}",
            f"domain: {domain}",
            f"owner: {_owner(domain)}",
            "classification: internal",
            "environment: prod",
            f"retention_days: {30 + (p % 12) * 30}",
            "backup:",
            "  rpo: PT24H",
            "access:",
            "  default_policy: deny",
            "schema:",
            "  columns:",
            *columns,
            "",
        ]
    )


def write_mesh(directory: Path, resources: int, products: int) -> Path:
    """A mesh folder for ``governance check``; returns the plan's path."""
    plan_path = directory / "terraform" / "plan.json"
    plan_path.parent.mkdir(parents=True, exist_ok=True)
    plan = build(resources, products, mesh=True)
    plan_path.write_text(json.dumps(plan, separators=(",", ":")) + "\n")
    folder = directory / "products"
    folder.mkdir(exist_ok=True)
    for p in range(products):
        (folder / f"p{p:05d}.yaml").write_text(manifest(p))
    return plan_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", "-n", type=int, default=1000, help="resources in the plan")
    parser.add_argument(
        "--products", "-m", type=int, default=None, help="data products (default n/100)"
    )
    parser.add_argument(
        "--output", "-o", type=Path, default=None, help="file to write (default stdout)"
    )
    parser.add_argument(
        "--indent", type=int, default=None, help="pretty-print (terraform writes one line)"
    )
    parser.add_argument(
        "--mesh", type=Path, default=None, help="write a mesh folder (plan + manifests) here"
    )
    args = parser.parse_args(argv)
    products = args.products or max(1, args.resources // 100)
    if args.mesh is not None:
        write_mesh(args.mesh, args.resources, products)
        return
    text = json.dumps(
        build(args.resources, products),
        indent=args.indent,
        separators=None if args.indent else (",", ":"),
    )
    if args.output is None:
        sys.stdout.write(text + "\n")
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
