"""Builds examples/terraform/plan.json: the example mesh's `terraform show -json` output.

No terraform binary can run here, so the plan is written the way Terraform 1.9 writes it
(format_version 1.2: planned_values, resource_changes with after_unknown, configuration with
expression references, a child module, provider default_tags). Run it after editing:

    python examples/terraform/build_plan.py > examples/terraform/plan.json
"""

from __future__ import annotations

import json
from typing import Any

AWS = "registry.terraform.io/hashicorp/aws"
GOOGLE = "registry.terraform.io/hashicorp/google"
DEFAULT_TAGS = {"ManagedBy": "terraform", "Environment": "prod"}

planned: dict[str, list[dict[str, Any]]] = {"": [], "module.customer_profile": []}
changes: list[dict[str, Any]] = []
config_resources: dict[str, list[dict[str, Any]]] = {"": [], "module.customer_profile": []}


def resource(
    rtype: str,
    name: str,
    values: dict[str, Any],
    *,
    module: str = "",
    refs: dict[str, list[str]] | None = None,
    unknown: dict[str, Any] | None = None,
    provider: str = AWS,
    action: str = "create",
) -> None:
    """Record one resource in the three places a real plan has it."""
    address = f"{module + '.' if module else ''}{rtype}.{name}"
    after = dict(values)
    if provider == AWS and "tags" in values:
        after["tags_all"] = {**DEFAULT_TAGS, **(values["tags"] or {})}
    entry = {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": provider,
        "schema_version": 0,
        "values": after,
        "sensitive_values": {},
    }
    planned[module].append(entry)
    change: dict[str, Any] = {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": provider,
        "change": {
            "actions": [action],
            "before": None,
            "after": after,
            "after_unknown": {"id": True, "arn": True, **(unknown or {})},
            "before_sensitive": False,
            "after_sensitive": {},
        },
    }
    if action == "delete":
        change["change"].update(before=after, after=None, after_unknown={})
    if module:
        change["module_address"] = module
    changes.append(change)
    expressions: dict[str, Any] = {}
    for key, value in values.items():
        if refs and key in refs:
            expressions[key] = {"references": refs[key]}
        elif not isinstance(value, (dict, list)):
            expressions[key] = {"constant_value": value}
    config_resources[module].append(
        {
            "address": f"{rtype}.{name}",
            "mode": "managed",
            "type": rtype,
            "name": name,
            "provider_config_key": "google" if provider == GOOGLE else "aws",
            "expressions": expressions,
            "schema_version": 0,
        }
    )


def tags(
    domain: str, product: str, owner: str, classification: str, **extra: str
) -> dict[str, str]:
    return {
        "Domain": domain,
        "DataProduct": product,
        "Owner": owner,
        "Classification": classification,
        **extra,
    }


def bucket_ref(module: str, name: str, attr: str) -> list[str]:
    """References exactly as Terraform records them: the attribute, then the resource."""
    return [f"aws_s3_bucket.{name}.{attr}", f"aws_s3_bucket.{name}"]


def split_bucket(
    name: str, bucket: str, tag_values: dict[str, str], *, kms: bool, expire: int
) -> None:
    """A bucket in the split-resource style of AWS provider v4+ (ids unknown at plan time)."""
    resource("aws_s3_bucket", name, {"bucket": bucket, "force_destroy": False, "tags": tag_values})
    ref = {"bucket": bucket_ref("", name, "id")}
    sse: dict[str, Any] = {"sse_algorithm": "aws:kms" if kms else "AES256"}
    if kms:
        sse["kms_master_key_id"] = None
    resource(
        "aws_s3_bucket_server_side_encryption_configuration",
        name,
        {
            "bucket": None,
            "expected_bucket_owner": None,
            "rule": [
                {"apply_server_side_encryption_by_default": [sse], "bucket_key_enabled": True}
            ],
        },
        refs={"bucket": ref["bucket"]},
        unknown={"bucket": True},
    )
    if kms:
        # Nested-block expressions, as Terraform records them: the key is known only by reference.
        key = [f"aws_kms_key.{name}.arn", f"aws_kms_key.{name}"]
        config_resources[""][-1]["expressions"]["rule"] = [
            {
                "apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": {"references": key}}
                ]
            }
        ]

    if kms:
        changes[-1]["change"]["after_unknown"]["rule"] = [
            {"apply_server_side_encryption_by_default": [{"kms_master_key_id": True}]}
        ]
        resource(
            "aws_kms_key",
            name,
            {
                "description": f"{name} data key",
                "enable_key_rotation": True,
                "deletion_window_in_days": 30,
                "tags": tag_values,
            },
        )
    resource(
        "aws_s3_bucket_versioning",
        name,
        {"bucket": None, "versioning_configuration": [{"status": "Enabled", "mfa_delete": None}]},
        refs={"bucket": ref["bucket"]},
        unknown={"bucket": True},
    )
    resource(
        "aws_s3_bucket_lifecycle_configuration",
        name,
        {
            "bucket": None,
            "rule": [
                {
                    "id": "expire",
                    "status": "Enabled",
                    "expiration": [
                        {"days": expire, "date": None, "expired_object_delete_marker": None}
                    ],
                    "transition": [{"days": 30, "storage_class": "STANDARD_IA", "date": None}],
                    "filter": [{"prefix": ""}],
                }
            ],
        },
        refs={"bucket": ref["bucket"]},
        unknown={"bucket": True},
    )
    resource(
        "aws_s3_bucket_public_access_block",
        name,
        {
            "bucket": None,
            "block_public_acls": True,
            "block_public_policy": True,
            "ignore_public_acls": True,
            "restrict_public_buckets": True,
        },
        refs={"bucket": ref["bucket"]},
        unknown={"bucket": True},
    )


def build() -> dict[str, Any]:
    # ---- sales/orders: compliant split-style bucket, daily backup selected by ARN reference.
    split_bucket(
        "orders",
        "mesh-sales-orders-prod",
        tags("sales", "orders", "sales-data@example.com", "confidential"),
        kms=True,
        expire=180,
    )
    resource("aws_backup_vault", "mesh", {"name": "mesh-vault", "tags": {}})
    resource(
        "aws_backup_plan",
        "daily",
        {
            "name": "mesh-daily",
            "rule": [
                {
                    "rule_name": "daily-0500",
                    "schedule": "cron(0 5 ? * * *)",
                    "enable_continuous_backup": False,
                    "target_vault_name": "mesh-vault",
                    "lifecycle": [{"delete_after": 35, "cold_storage_after": None}],
                }
            ],
            "tags": {},
        },
    )
    resource(
        "aws_backup_selection",
        "orders",
        {
            "name": "orders",
            "iam_role_arn": "arn:aws:iam::123456789012:role/backup",
            "plan_id": None,
            "resources": None,
            "selection_tag": [],
        },
        refs={
            "plan_id": ["aws_backup_plan.daily.id", "aws_backup_plan.daily"],
            "resources": ["aws_s3_bucket.orders.arn", "aws_s3_bucket.orders"],
        },
        unknown={"plan_id": True, "resources": True},
    )

    # ---- finance/ledger: fully compliant; continuous backup selected by tag.
    split_bucket(
        "ledger",
        "mesh-finance-ledger-prod",
        tags("finance", "ledger", "finance-platform", "restricted", BackupPolicy="continuous"),
        kms=True,
        expire=365,
    )
    resource(
        "aws_backup_plan",
        "continuous",
        {
            "name": "mesh-continuous",
            "rule": [
                {
                    "rule_name": "pitr",
                    "schedule": "cron(0 */6 ? * * *)",
                    "enable_continuous_backup": True,
                    "target_vault_name": "mesh-vault",
                    "lifecycle": [{"delete_after": 35, "cold_storage_after": None}],
                }
            ],
            "tags": {},
        },
    )
    resource(
        "aws_backup_selection",
        "by_tag",
        {
            "name": "continuous-by-tag",
            "iam_role_arn": "arn:aws:iam::123456789012:role/backup",
            "plan_id": None,
            "resources": [],
            "selection_tag": [
                {"type": "STRINGEQUALS", "key": "BackupPolicy", "value": "continuous"}
            ],
        },
        refs={"plan_id": ["aws_backup_plan.continuous.id", "aws_backup_plan.continuous"]},
        unknown={"plan_id": True},
    )

    # ---- customer/customer-profile (in a module): legacy inline bucket with AES256, weekly backup.
    module = "module.customer_profile"
    resource(
        "aws_s3_bucket",
        "this",
        {
            "bucket": "mesh-customer-profile-dev",
            "acl": "private",
            "versioning": [{"enabled": True, "mfa_delete": False}],
            "server_side_encryption_configuration": [
                {
                    "rule": [
                        {
                            "apply_server_side_encryption_by_default": [
                                {"sse_algorithm": "AES256", "kms_master_key_id": None}
                            ],
                            "bucket_key_enabled": False,
                        }
                    ]
                }
            ],
            "lifecycle_rule": [
                {
                    "id": "expire",
                    "enabled": True,
                    "prefix": "",
                    "expiration": [
                        {"days": 400, "date": None, "expired_object_delete_marker": False}
                    ],
                    "transition": [],
                }
            ],
            "tags": tags(
                "customer",
                "customer-profile",
                "customer-data-team@example.com",
                "confidential",
                Environment="dev",
            ),
        },
        module=module,
    )
    resource(
        "aws_backup_plan",
        "weekly",
        {
            "name": "customer-weekly",
            "rule": [
                {
                    "rule_name": "weekly",
                    "schedule": "cron(0 3 ? * SUN *)",
                    "enable_continuous_backup": False,
                    "target_vault_name": "mesh-vault",
                    "lifecycle": [],
                }
            ],
            "tags": {},
        },
        module=module,
    )
    resource(
        "aws_backup_selection",
        "this",
        {
            "name": "customer-profile",
            "iam_role_arn": "arn:aws:iam::123456789012:role/backup",
            "plan_id": None,
            "resources": None,
            "selection_tag": [],
        },
        module=module,
        refs={
            "plan_id": ["aws_backup_plan.weekly.id", "aws_backup_plan.weekly"],
            "resources": ["aws_s3_bucket.this.arn", "aws_s3_bucket.this"],
        },
        unknown={"plan_id": True, "resources": True},
    )

    # ---- logistics/shipments on GCP: no versioning, lifecycle longer than the declared 90 days.
    gcp_labels = {
        "domain": "logistics",
        "data_product": "shipments",
        "owner": "logistics-data",
        "classification": "internal",
        "environment": "prod",
    }
    resource(
        "google_storage_bucket",
        "shipments",
        {
            "name": "mesh-logistics-shipments",
            "location": "EU",
            "labels": gcp_labels,
            "effective_labels": gcp_labels,
            "versioning": [{"enabled": False}],
            "lifecycle_rule": [
                {"action": [{"type": "Delete", "storage_class": ""}], "condition": [{"age": 120}]}
            ],
            "encryption": [],
        },
        provider=GOOGLE,
    )
    resource(
        "google_bigquery_dataset",
        "shipments",
        {
            "dataset_id": "logistics_shipments",
            "project": "mesh-logistics",
            "location": "EU",
            "labels": gcp_labels,
            "effective_labels": gcp_labels,
            "default_table_expiration_ms": 7776000000,
            "default_encryption_configuration": [],
        },
        provider=GOOGLE,
    )

    # ---- nobody's: an untagged scratch bucket, and a table tagged for a product nobody declared.
    resource("aws_s3_bucket", "scratch", {"bucket": "mesh-scratch-tmp", "tags": None})
    resource(
        "aws_dynamodb_table",
        "events",
        {
            "name": "clickstream-events",
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "id",
            "point_in_time_recovery": [{"enabled": False}],
            "server_side_encryption": [],
            "tags": {"Domain": "marketing", "DataProduct": "clickstream"},
        },
    )
    # A resource being destroyed is not evidence of the future state.
    resource(
        "aws_s3_bucket",
        "legacy_exports",
        {"bucket": "mesh-legacy-exports", "tags": {}},
        action="delete",
    )

    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {
            "root_module": {
                "resources": [
                    r for r in planned[""] if r["address"] != "aws_s3_bucket.legacy_exports"
                ],
                "child_modules": [{"address": module, "resources": planned[module]}],
            }
        },
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": AWS,
                    "expressions": {
                        "region": {"constant_value": "eu-west-1"},
                        "default_tags": [{"tags": {"constant_value": DEFAULT_TAGS}}],
                    },
                },
                "google": {
                    "name": "google",
                    "full_name": GOOGLE,
                    "expressions": {"project": {"constant_value": "mesh-logistics"}},
                },
            },
            "root_module": {
                "resources": config_resources[""],
                "module_calls": {
                    "customer_profile": {
                        "source": "./modules/data_product",
                        "module": {"resources": config_resources[module]},
                    }
                },
            },
        },
        "timestamp": "2026-11-20T09:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


if __name__ == "__main__":
    print(json.dumps(build(), indent=2))
