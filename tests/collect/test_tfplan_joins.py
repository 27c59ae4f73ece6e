"""Hand-made format-1.2 plans, one per join: S3 split resources, tags, actions, type facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.collect import collect_paths
from governance.collect.files import read_text
from governance.collect.tfplan import s3
from governance.collect.tfplan.values import KNOWN_AFTER_APPLY, SENSITIVE
from governance.model.evidence import Resource
from tests.conftest import FIXTURES

PLANS = FIXTURES / "tfplan"


def _collect(name: str) -> dict[str, Resource]:
    evidence = collect_paths([PLANS / name])
    assert evidence.errors == []
    return {r.address: r for r in evidence.resources}


def _split_addresses(resource: Resource) -> set[str]:
    return {part["address"] for part in resource.raw.get("split_resources", [])}


# ------------------------------------------------------------------------------------------ S3


def test_split_resources_fold_into_the_bucket_they_reference() -> None:
    resources = _collect("s3-split-joined-by-reference.json")
    bucket = resources["aws_s3_bucket.data"]
    assert bucket.data_bearing is True
    assert bucket.encryption is not None
    assert bucket.encryption.model_dump() == {
        "enabled": True,
        "algorithm": "aws:kms",
        "kms_key": "aws_kms_key.data",  # unknown ARN, named by the configuration reference
        "bucket_key": True,
    }
    assert bucket.versioning is True
    assert bucket.public_access_blocked is True
    assert bucket.lifecycle is not None
    # 365 from the whole-bucket rule; the tmp/ rule (7) and the disabled rule (1) do not bound it.
    assert bucket.lifecycle.expiration_days == 365
    assert [(t.days, t.storage_class) for t in bucket.lifecycle.transitions] == [(30, "GLACIER")]
    assert _split_addresses(bucket) == {
        "aws_s3_bucket_server_side_encryption_configuration.data",
        "aws_s3_bucket_versioning.data",
        "aws_s3_bucket_lifecycle_configuration.data",
        "aws_s3_bucket_public_access_block.data",
        "aws_s3_bucket_policy.data",
    }
    assert not any(s3.is_split(r.type) for r in resources.values())
    assert bucket.raw["bucket"] == "acme-sales-orders"  # raw is still the bucket's own attributes


def test_bucket_without_split_configuration_gets_the_aws_defaults() -> None:
    other = _collect("s3-split-joined-by-reference.json")["aws_s3_bucket.other"]
    assert other.encryption is not None and other.encryption.enabled is False
    assert other.versioning is False
    assert other.lifecycle is None
    # One of the four flags is false: public access is not fully blocked.
    assert other.public_access_blocked is False
    assert _split_addresses(other) == {"aws_s3_bucket_public_access_block.other"}


def test_references_inside_for_each_modules_resolve_to_the_same_instance() -> None:
    resources = _collect("s3-split-joined-in-for-each-module.json")
    root = resources["aws_s3_bucket.store"]
    eu = resources['module.lake["eu"].aws_s3_bucket.store']
    us = resources['module.lake["us"].aws_s3_bucket.store']
    # The same relative reference `aws_s3_bucket.store` means three different buckets.
    assert (root.versioning, eu.versioning, us.versioning) == (True, True, False)
    assert _split_addresses(eu) == {
        'module.lake["eu"].aws_s3_bucket_versioning.store',
        'module.lake["eu"].module.guard.aws_s3_bucket_public_access_block.this',
    }
    # The guard module's `bucket = var.bucket` is followed up to the calling module's argument.
    assert (eu.public_access_blocked, us.public_access_blocked) == (True, False)
    assert root.public_access_blocked is None
    assert not any(s3.is_split(r.type) for r in resources.values())


def test_backup_selection_through_a_module_output_covers_that_instance_only() -> None:
    resources = _collect("s3-split-joined-in-for-each-module.json")
    eu = resources['module.lake["eu"].aws_s3_bucket.store']
    assert eu.backup is not None
    assert [(p.name, p.interval_hours, p.selected_by) for p in eu.backup.plans] == [
        ("lake-daily/daily", 24.0, "resource")
    ]
    assert resources['module.lake["us"].aws_s3_bucket.store'].backup is None
    assert resources["aws_s3_bucket.store"].backup is None


def test_location_points_at_the_escaped_address() -> None:
    path = PLANS / "s3-split-joined-in-for-each-module.json"
    lines = read_text(path).splitlines()
    for resource in _collect(path.name).values():
        assert resource.location is not None and resource.location.line is not None
        line = lines[resource.location.line - 1]
        assert line.strip().startswith('"address": ' + '"' + resource.address.replace('"', '\\"'))


# ---------------------------------------------------------------------------------------- tags


def test_tags_all_includes_provider_default_tags() -> None:
    resources = _collect("tags-all-and-default-tags.json")
    # Known tags_all wins (the resource overrides the default Environment).
    assert resources["aws_s3_bucket.known"].tags == {
        "DataProduct": "orders",
        "Environment": "dev",
        "ManagedBy": "terraform",
    }
    # tags_all unknown at plan time: provider default_tags + the resource's tags.
    assert resources["aws_s3_bucket.computed"].tags == {
        "Environment": "prod",
        "ManagedBy": "terraform",
        "DataProduct": "ledger",
    }
    assert resources["aws_dynamodb_table.untagged"].tags == {
        "Environment": "prod",
        "ManagedBy": "terraform",
    }
    # A type without tags does not get default tags.
    assert resources["aws_iam_role_policy_attachment.no_tags"].tags == {}


def test_gcp_effective_labels_are_the_tags() -> None:
    bucket = _collect("tags-all-and-default-tags.json")["google_storage_bucket.labelled"]
    assert bucket.provider == "gcp"
    assert bucket.tags == {
        "data_product": "shipments",
        "domain": "logistics",
        "env": "prod",
        "goog-terraform-provisioned": "true",
    }
    assert (bucket.account, bucket.region) == ("acme-logistics", "eu")


# ------------------------------------------------------------------------------------- actions


def test_deleted_forgotten_and_data_resources_are_not_evidence() -> None:
    resources = _collect("actions-delete-replace-forget.json")
    assert set(resources) == {
        "aws_s3_bucket.swapped",
        "aws_s3_bucket.create_before_destroy",
        "aws_s3_bucket.kept",
        "aws_s3_bucket.changed",
        "aws_s3_bucket.only_planned",
    }


@pytest.mark.parametrize(
    ("address", "action"),
    [
        ("aws_s3_bucket.swapped", "replace"),  # [delete, create]
        ("aws_s3_bucket.create_before_destroy", "replace"),  # [create, delete]
        ("aws_s3_bucket.kept", "no-op"),
        ("aws_s3_bucket.changed", "update"),
        ("aws_s3_bucket.only_planned", "no-op"),  # in planned_values with no change record
    ],
)
def test_actions_of_kept_resources(address: str, action: str) -> None:
    assert _collect("actions-delete-replace-forget.json")[address].action == action


# ---------------------------------------------------------------------------------- type facts


def test_rds_kms_reference_retention_and_masked_password() -> None:
    resources = _collect("rds-kms-reference-and-sensitive-password.json")
    db = resources["aws_db_instance.orders"]
    assert db.encryption is not None
    assert (db.encryption.enabled, db.encryption.algorithm, db.encryption.kms_key) == (
        True,
        "aws:kms",
        "aws_kms_key.db",
    )
    assert (db.backup_retention_days, db.point_in_time_recovery) == (7, True)
    assert db.raw["password"] == SENSITIVE
    assert "hunter2" not in db.model_dump_json()
    assert db.raw["username"] == "orders_admin"
    scratch = resources["aws_db_instance.scratch"]
    assert scratch.encryption is not None and scratch.encryption.enabled is False
    assert (scratch.backup_retention_days, scratch.point_in_time_recovery) == (0, False)
    assert resources["aws_kms_key.db"].key_rotation is False


def test_gcs_and_bigquery_lifecycle_and_cmek() -> None:
    resources = _collect("gcs-bigquery-lifecycle-and-cmek.json")
    bucket = resources["google_storage_bucket.shipments"]
    assert bucket.versioning is True
    assert bucket.public_access_blocked is True
    assert bucket.lifecycle is not None
    # 90 days from the whole-bucket rule; the tmp/ and noncurrent-version rules do not count.
    assert bucket.lifecycle.expiration_days == 90
    assert [(t.days, t.storage_class) for t in bucket.lifecycle.transitions] == [(30, "NEARLINE")]
    assert bucket.encryption is not None
    assert (bucket.encryption.algorithm, bucket.encryption.kms_key) == (
        "gcp:kms",
        "google_kms_crypto_key.gcs",
    )
    dataset = resources["google_bigquery_dataset.shipments"]
    assert dataset.data_bearing is True
    assert (
        dataset.lifecycle is not None and dataset.lifecycle.expiration_days == 14
    )  # partitions: 14 < 30
    assert dataset.encryption is not None and dataset.encryption.kms_key is not None
    assert dataset.encryption.kms_key.endswith("/cryptoKeys/bq")
    plain = resources["google_storage_bucket.plain"]
    assert plain.encryption is not None
    assert (plain.encryption.algorithm, plain.encryption.kms_key) == ("AES256", None)
    assert plain.lifecycle is None
    assert plain.region == "europe-west1"
    assert resources["google_kms_crypto_key.gcs"].data_bearing is False


def test_unknown_key_without_configuration_is_known_after_apply(tmp_path: Path) -> None:
    # The same SSE resource with no configuration section: nothing says the key is a default.
    source = (PLANS / "s3-split-joined-by-reference.json").read_text()
    doc = source.replace('"configuration"', '"unused_configuration"')
    path = tmp_path / "plan.json"
    path.write_text(doc)
    evidence = collect_paths([path])
    assert evidence.errors == []
    by_address = {r.address: r for r in evidence.resources}
    # Without configuration the SSE resource's bucket is unknown: it stays on its own.
    sse = by_address["aws_s3_bucket_server_side_encryption_configuration.data"]
    assert sse.encryption is not None and sse.encryption.kms_key == KNOWN_AFTER_APPLY
    assert sse.data_bearing is False
