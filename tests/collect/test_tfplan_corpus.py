"""Every third-party plan in the corpus (format 0.1 to 1.2) collects, and its joins come out right.

The corpus is read in place (see tests/conftest.py); expectations are computed from each plan
document itself, so a test fails when the collector drops, invents or misjoins a resource.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from governance.collect import collect_paths
from governance.collect.files import display_path, read_text
from governance.collect.tfplan import s3
from governance.collect.tfplan.addresses import parse_address
from governance.model.evidence import Resource
from tests.conftest import CORPUS

PLANS = sorted((CORPUS / "tfplan").glob("*.json")) if CORPUS.is_dir() else []


def _plan(name: str) -> Path:
    path = CORPUS / "tfplan" / name
    if not path.is_file():
        pytest.skip(f"corpus plan {name} not found")
    return path


def _collect(path: Path) -> dict[str, Resource]:
    evidence = collect_paths([path])
    assert evidence.errors == []
    assert [i.kind for i in evidence.inputs] == ["tfplan"]
    return {r.address: r for r in evidence.resources}


def _doc(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(read_text(path))
    return doc


def _surviving_changes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Managed, non-deposed changes whose actions leave the object in place."""
    return {
        rc["address"]: rc
        for rc in doc.get("resource_changes", [])
        if rc.get("mode") == "managed"
        and not rc.get("deposed")
        and not set(rc["change"]["actions"]) <= {"delete", "forget"}
    }


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_corpus_plan_collects_without_losing_resources(path: Path) -> None:
    resources = _collect(path)
    assert resources, "every corpus plan keeps at least one resource"
    folded = {
        part["address"] for r in resources.values() for part in r.raw.get("split_resources", [])
    }
    expected = set(_surviving_changes(_doc(path)))
    # Each surviving change is either a resource of its own or folded into its bucket.
    assert expected == set(resources) | folded
    assert not set(resources) & folded
    text = read_text(path)
    lines = text.splitlines()
    for resource in resources.values():
        assert resource.source == "plan"
        assert resource.location is not None and resource.location.file == display_path(path)
        line, column = resource.location.line, resource.location.column
        assert line is not None and column is not None
        escaped = json.dumps(resource.address)
        assert lines[line - 1][column - 1 :].startswith(f'"address": {escaped}') or lines[line - 1][
            column - 1 :
        ].startswith(f'"address":{escaped}')


def test_utf16_plan_with_bom_is_read() -> None:
    path = _plan("bridgecrewio__checkov__utf16-bom-s3.json")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    resources = _collect(path)
    bucket = resources["aws_s3_bucket.data"]
    text = path.read_bytes().decode("utf-16")
    assert bucket.name == _doc(path)["resource_changes"][0]["change"]["after"]["bucket"]
    assert bucket.location is not None
    assert (
        bucket.location.line
        == text[: text.index('"address": "aws_s3_bucket.data"')].count("\n") + 1
    )


def test_nested_modules_each_bucket_gets_its_own_public_access_block() -> None:
    path = _plan("bridgecrewio__checkov__nested-modules-s3-pab.json")
    doc = _doc(path)
    resources = _collect(path)
    pabs = {
        rc["address"]: rc["change"]["after"]
        for rc in doc["resource_changes"]
        if rc["type"] == s3.PUBLIC_ACCESS_BLOCK
    }
    buckets = [r for r in resources.values() if r.type == s3.BUCKET]
    assert len(buckets) == 4
    # Three buckets share the name "testing": only the configuration references can join them.
    assert sum(b.name == "testing" for b in buckets) == 3
    joined: set[str] = set()
    for bucket in buckets:
        parts = [p for p in bucket.raw["split_resources"] if p["type"] == s3.PUBLIC_ACCESS_BLOCK]
        assert len(parts) == 1
        pab_address = parts[0]["address"]
        bucket_parsed, pab_parsed = parse_address(bucket.address), parse_address(pab_address)
        assert bucket_parsed is not None and pab_parsed is not None
        assert pab_parsed.module == bucket_parsed.module
        flags = pabs[pab_address]
        assert bucket.public_access_blocked == all(
            flags[f] for f in flags if f.startswith(("block", "ignore", "restrict"))
        )
        joined.add(pab_address)
    assert joined == set(pabs)
    acl = resources["module.s3_bucket.aws_s3_bucket.this[0]"].raw["split_resources"]
    assert {p["type"] for p in acl} == {"aws_s3_bucket_acl", s3.PUBLIC_ACCESS_BLOCK}
    assert not any(s3.is_split(r.type) for r in resources.values())


def test_minified_plan_joins_split_encryption_and_uses_columns() -> None:
    path = _plan("aquasecurity__trivy__minified-s3-sse.json")
    resources = _collect(path)
    bucket = resources["aws_s3_bucket.planbucket"]
    assert bucket.encryption is not None
    assert (bucket.encryption.enabled, bucket.encryption.algorithm) == (True, "AES256")
    assert bucket.versioning is True
    group = resources["aws_security_group.sg"]
    assert bucket.location is not None and group.location is not None
    assert bucket.location.line == group.location.line == 1
    assert bucket.location.column is not None and group.location.column is not None
    assert bucket.location.column < group.location.column


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("bridgecrewio__checkov__replace-secret.json", "aws_secretsmanager_secret.default"),
        ("hashicorp__terraform-json__action-reason-tf1-15.json", "null_resource.example"),
    ],
)
def test_replaced_resources_are_kept(name: str, address: str) -> None:
    path = _plan(name)
    actions = next(
        rc["change"]["actions"] for rc in _doc(path)["resource_changes"] if rc["address"] == address
    )
    assert sorted(actions) == ["create", "delete"]
    assert _collect(path)[address].action == "replace"


def test_inline_encryption_states_and_kms_reference() -> None:
    resources = _collect(_plan("fugue__regula__s3-bucket-sse.json"))
    aes = resources["aws_s3_bucket.aes_encrypted"].encryption
    kms = resources["aws_s3_bucket.kms_encrypted"].encryption
    none = resources["aws_s3_bucket.unencrypted"].encryption
    assert aes is not None and (aes.enabled, aes.algorithm, aes.kms_key) == (True, "AES256", None)
    assert kms is not None and (kms.enabled, kms.algorithm, kms.kms_key) == (
        True,
        "aws:kms",
        "aws_kms_key.key",
    )
    assert none is not None and none.enabled is False
    assert resources["aws_kms_key.key"].key_rotation is False


def test_dynamodb_kms_key_reference_and_tags() -> None:
    resources = _collect(_plan("terraform-compliance__cli__dynamodb-kms.json"))
    table = resources["aws_dynamodb_table.test"]
    assert table.data_bearing is True
    assert table.encryption is not None and table.encryption.kms_key == "aws_kms_key.test"
    assert table.tags == {"Environment": "production", "Name": "dynamodb-table-1"}
    assert resources["aws_kms_key.test"].data_bearing is False


def test_rds_and_kms_facts_in_the_large_runner_plan() -> None:
    path = _plan("bridgecrewio__checkov__runner-plan-55res.json")
    resources = _collect(path)
    after = next(
        rc["change"]["after"]
        for rc in _doc(path)["resource_changes"]
        if rc["address"] == "aws_db_instance.default"
    )
    db = resources["aws_db_instance.default"]
    assert db.encryption is not None and db.encryption.enabled is bool(after["storage_encrypted"])
    assert db.backup_retention_days == after["backup_retention_period"]
    assert resources["aws_kms_key.logs_key"].key_rotation is False
    assert resources["aws_iam_role.ec2role"].data_bearing is False
    assert {r.type for r in resources.values() if r.data_bearing} >= {
        "aws_s3_bucket",
        "aws_db_instance",
        "aws_neptune_cluster",
    }


def test_split_resource_without_its_bucket_stays_on_its_own() -> None:
    path = _plan("bridgecrewio__checkov__s3-lifecycle-config-update.json")
    resources = _collect(path)
    config = resources["aws_s3_bucket_lifecycle_configuration.this"]
    assert config.action == "update"
    assert config.data_bearing is False
    assert config.name == "my_bucket"
    # Its only rule aborts incomplete uploads: no expiration of data.
    assert config.lifecycle is not None and config.lifecycle.expiration_days is None


def test_provider_default_tags_via_tags_all() -> None:
    path = _plan("infracost__infracost__dynamodb-autoscaling.json")
    doc = _doc(path)
    defaults = doc["configuration"]["provider_config"]["aws"]["expressions"]["default_tags"][0][
        "tags"
    ]["constant_value"]
    resources = _collect(path)
    assert resources["aws_instance.web_app"].tags == {**defaults, "foo": "bar"}
    assert resources["aws_dynamodb_table.autoscale_dynamodb_table"].tags == defaults


def test_autoscaling_tag_blocks_and_tag_lists() -> None:
    resources = _collect(_plan("bridgecrewio__checkov__tags-variety-dynamodb-asg.json"))
    assert resources["aws_autoscaling_group.example"].tags == {"tag1": "test", "tag2": "test"}
    assert resources["aws_autoscaling_group.example2"].tags == {"tag1": "test", "tag2": "test"}


def test_no_op_plan_keeps_existing_resources_with_known_arns() -> None:
    resources = _collect(_plan("fugue__regula__cloudtrail-s3-noop.json"))
    assert {r.action for r in resources.values()} == {"no-op"}
    trail = resources["aws_cloudtrail.cloudtrail"]
    assert trail.arn is not None and trail.account == trail.arn.split(":")[4]
    # The logging configuration is folded into the bucket it configures.
    assert "aws_s3_bucket_logging.logging" not in resources


def test_keyed_module_instances_in_newest_format() -> None:
    resources = _collect(_plan("terraform-compliance__cli__tf1-14-eventbridge.json"))
    assert set(resources) == {
        "module.outer[0].aws_lambda_permission.example",
        "module.outer[0].module.inner.aws_cloudwatch_event_rule.example",
    }
