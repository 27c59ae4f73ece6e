"""``requires: [live:<service>]``: a live scan that did not read a service reports the policies
reading it as not evaluated (never a finding, never a pass); runs on plans are unaffected."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from governance.collect.aws.options import SERVICES
from governance.decide import finalise
from governance.evaluate import get_engine
from governance.evaluate.pack import PolicyPack, builtin_pack_dirs, load_pack
from governance.model import Bundle, GovernanceConfig, Location, Product, Resource
from governance.model.evidence import BackupRequirement
from governance.model.policy import Requirement
from governance.model.result import RunInfo, RunResult, ToolInfo

BACKUP_POLICIES = ["GOV-BAK-001", "GOV-BAK-003"]


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return load_pack(builtin_pack_dirs(), GovernanceConfig())


def _bundle(source: str, live_services: list[str] | None) -> Bundle:
    product = Product(
        id="orders",
        name="orders",
        backup=BackupRequirement(rpo="PT24H", rpo_hours=24),
        source=Location(file="orders.yaml", line=1),
    )
    bucket = Resource(
        address="arn:aws:s3:::orders" if source == "live" else "aws_s3_bucket.orders",
        type="aws_s3_bucket",
        name="orders",
        source=source,  # type: ignore[arg-type]
        data_bearing=True,
    )
    return Bundle(id="orders", product=product, resources=[bucket], live_services=live_services)


def _evaluate(pack: PolicyPack, bundle: Bundle) -> Any:
    policies = [p for p in pack.policies if p.id in BACKUP_POLICIES]
    return get_engine("embedded", pack=pack).evaluate([bundle], policies, GovernanceConfig())


def test_every_live_requirement_names_a_scanned_service() -> None:
    live = {r.removeprefix("live:") for r in get_args(Requirement) if r.startswith("live:")}
    assert live == set(SERVICES)


def test_the_policies_reading_backup_facts_require_the_backup_service(pack: PolicyPack) -> None:
    requiring = sorted(p.id for p in pack.policies if "live:backup" in p.requires)
    assert requiring == BACKUP_POLICIES  # GOV-BAK-002 reads S3 versioning, not AWS Backup


def test_scan_without_backup_skips_the_backup_policies(pack: PolicyPack) -> None:
    evaluation = _evaluate(pack, _bundle("live", ["s3", "kms"]))
    assert evaluation.findings == [] and evaluation.errors == []
    assert evaluation.skipped == {"orders": dict.fromkeys(BACKUP_POLICIES, "backup not scanned")}

    result = RunResult(tool=ToolInfo(version="0"), run=RunInfo(id="r", started_at="2026-01-01"))
    finalise(result, {"orders": "sales"}, skipped=evaluation.skipped)
    (orders,) = result.products
    assert orders.status == "not_evaluated"  # nothing else was judged: never a pass
    assert orders.score is None
    assert orders.reason == "backup not scanned (GOV-BAK-001, GOV-BAK-003)"
    assert orders.not_evaluated == dict.fromkeys(BACKUP_POLICIES, "backup not scanned")


def test_scan_with_backup_evaluates_them(pack: PolicyPack) -> None:
    evaluation = _evaluate(pack, _bundle("live", ["s3", "backup"]))
    assert evaluation.skipped == {}
    assert {f.policy_id for f in evaluation.findings} == set(BACKUP_POLICIES)


def test_plan_runs_are_unaffected(pack: PolicyPack) -> None:
    evaluation = _evaluate(pack, _bundle("plan", None))
    assert evaluation.skipped == {}
    # GOV-BAK-001 judges the plan's backup coverage; GOV-BAK-003 needs live evidence.
    assert {f.policy_id for f in evaluation.findings} == {"GOV-BAK-001"}
