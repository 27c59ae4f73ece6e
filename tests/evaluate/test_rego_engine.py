"""The embedded engine end to end: real OPA in process, fixture policies, bundles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from governance.evaluate import get_engine
from governance.evaluate.base import Evaluation
from governance.evaluate.pack import PolicyPack, load_pack
from governance.model import (
    Bundle,
    Column,
    Finding,
    GovernanceConfig,
    Location,
    Product,
    Resource,
    Status,
)
from governance.model.evidence import BackupRequirement

TAGS = {
    "Domain": "sales",
    "DataProduct": "orders",
    "Owner": "team-a",
    "Classification": "pii",
    "Environment": "prod",
}


def product(pid: str = "orders", **fields: Any) -> Product:
    defaults: dict[str, Any] = {
        "name": pid,
        "domain": "sales",
        "owner": "team-a",
        "retention_days": 30,
        "classification": "internal",
        "backup": BackupRequirement(rpo="PT24H"),
        "source": Location(file=f"{pid}.yaml", line=1, column=1),
        "locations": {
            "retention_days": Location(file=f"{pid}.yaml", line=6, column=3),
            "backup": Location(file=f"{pid}.yaml", line=9, column=3),
            "owner": Location(file=f"{pid}.yaml", line=4, column=3),
        },
        "columns": [
            Column(name="id", type="int", location=Location(file=f"{pid}.yaml", line=12, column=7))
        ],
    }
    return Product(id=pid, **{**defaults, **fields})


def bucket(name: str, **fields: Any) -> Resource:
    values: dict[str, Any] = {
        "tags": dict(TAGS),
        "versioning": True,
        "data_bearing": True,
        "location": Location(file="plan.json", line=len(name)),
    }
    return Resource(address=f"aws_s3_bucket.{name}", type="aws_s3_bucket", **{**values, **fields})


def bundle(prod: Product, *resources: Resource) -> Bundle:
    return Bundle(id=prod.id, product=prod, resources=list(resources))


def evaluate(
    pack: PolicyPack,
    bundles: Sequence[Bundle],
    ids: Sequence[str] | None = None,
    config: GovernanceConfig | None = None,
) -> Evaluation:
    config = config or GovernanceConfig()
    policies = [p for p in pack.policies if ids is None or p.id in ids]
    return get_engine("embedded", pack=pack).evaluate(bundles, policies, config)


def only(evaluation: Evaluation, policy_id: str, product_id: str | None = None) -> list[Finding]:
    return [
        f
        for f in evaluation.findings
        if f.policy_id == policy_id and (product_id is None or f.product == product_id)
    ]


@pytest.fixture(scope="module")
def policies_dir(fixtures: Path) -> Path:
    return fixtures / "policies"


@pytest.fixture(scope="module")
def good(policies_dir: Path) -> PolicyPack:
    return load_pack([policies_dir / "good"], GovernanceConfig())


# ------------------------------------------------------------------------- conventions


def test_deny_strings_fail_and_a_clean_product_passes(good: PolicyPack) -> None:
    result = evaluate(
        good,
        [bundle(product("long", retention_days=400)), bundle(product("short"))],
        ["FIX-DENY-001"],
    )
    (fail,) = only(result, "FIX-DENY-001", "long")
    assert fail.status is Status.FAIL
    assert fail.message == "retention of 400 days exceeds 365"
    assert (fail.severity.value, fail.frameworks, fail.engine) == ("high", ["TEST-1"], "rego")
    assert (fail.domain, fail.remediation, fail.title) == (
        "sales",
        "Fix the fixture.",
        "Retention within the parameter bound",
    )
    (passed,) = only(result, "FIX-DENY-001", "short")
    assert (passed.status, passed.message) == (Status.PASS, "no violations")
    assert passed.evidence == {"resources": 0, "columns": 1, "catalog_datasets": 0}
    assert result.errors == []


def test_parameters_come_from_the_definition_overridden_by_config(good: PolicyPack) -> None:
    prod = bundle(product(retention_days=200))
    assert only(evaluate(good, [prod], ["FIX-DENY-001"]), "FIX-DENY-001")[0].status is Status.PASS
    config = GovernanceConfig(parameters={"FIX-DENY-001": {"max_days": 100}})
    (fail,) = only(evaluate(good, [prod], ["FIX-DENY-001"], config), "FIX-DENY-001")
    assert fail.message == "retention of 200 days exceeds 100"


def test_deny_objects_carry_subject_evidence_and_locations(good: PolicyPack) -> None:
    prod = product(
        backup=None, columns=[Column(name="tmp", location=Location(file="o.yaml", line=30))]
    )
    result = evaluate(
        good, [bundle(prod, bucket("logs", versioning=False), bucket("ok"))], ["FIX-DENY-002"]
    )
    by_message = {f.message: f for f in only(result, "FIX-DENY-002")}
    assert set(by_message) == {
        "bucket aws_s3_bucket.logs is not versioned",
        "backup RPO is not declared",
        "column must not be named 'tmp'",
    }
    versioning = by_message["bucket aws_s3_bucket.logs is not versioned"]
    assert versioning.subject == "aws_s3_bucket.logs"
    assert versioning.evidence == {"versioning": False}
    assert versioning.location == Location(file="plan.json", line=4)
    assert by_message["backup RPO is not declared"].location == prod.locations["backup"]
    assert by_message["column must not be named 'tmp'"].location == Location(file="o.yaml", line=30)


def test_string_and_object_members_of_one_set(good: PolicyPack) -> None:
    result = evaluate(
        good,
        [
            bundle(product("none", owner=None)),
            bundle(product("nobody", owner="nobody")),
            bundle(product("fine")),
        ],
        ["FIX-V0-001"],
    )
    assert only(result, "FIX-V0-001", "none")[0].message == "no owner declared"
    (nobody,) = only(result, "FIX-V0-001", "nobody")
    assert (nobody.status, nobody.message) == (Status.FAIL, "owner 'nobody' is not a team")
    assert nobody.location == Location(file="nobody.yaml", line=4, column=3)  # field: owner
    assert only(result, "FIX-V0-001", "fine")[0].status is Status.PASS


def test_warn_gives_warnings_and_no_pass_record(good: PolicyPack) -> None:
    prod = product(columns=[Column(name="untyped"), Column(name="id", type="int")])
    findings = only(evaluate(good, [bundle(prod)], ["FIX-WARN-001"]), "FIX-WARN-001")
    assert [(f.status, f.subject) for f in findings] == [(Status.WARN, "untyped")]


def test_applicable_false_produces_no_record_at_all(good: PolicyPack) -> None:
    result = evaluate(
        good,
        [
            bundle(product("internal", owner=None)),
            bundle(product("pii", owner=None, classification="pii")),
        ],
        ["FIX-APPL-001"],
    )
    assert only(result, "FIX-APPL-001", "internal") == []
    assert only(result, "FIX-APPL-001", "pii")[0].status is Status.FAIL


def test_config_document_is_mounted(good: PolicyPack) -> None:
    untagged = bucket("bare", tags={"Domain": "sales"})
    config = GovernanceConfig(required_tags=["Domain", "CostCentre"])
    findings = only(
        evaluate(good, [bundle(product(), untagged)], ["FIX-CONF-001"], config), "FIX-CONF-001"
    )
    assert [f.message for f in findings] == ["aws_s3_bucket.bare lacks tag CostCentre"]


def test_raw_attributes_only_when_a_policy_needs_them(good: PolicyPack) -> None:
    public = bucket("public", raw={"acl": "public-read"})
    result = evaluate(good, [bundle(product(), public)], ["FIX-RAW-001"])
    assert only(result, "FIX-RAW-001")[0].message == "bucket ACL is public-read"
    blind = good.policy("FIX-RAW-001").model_copy(update={"needs_raw": False})
    config = GovernanceConfig()
    without = get_engine("embedded", pack=good).evaluate(
        [bundle(product(), public)], [blind], config
    )
    assert [f.status for f in without.findings] == [Status.PASS]


def test_applies_to_selects_product_or_unowned_bundles(good: PolicyPack) -> None:
    unowned = Bundle(id="unowned", resources=[bucket("stray", tags={})])
    result = evaluate(good, [bundle(product()), unowned], ["FIX-UNOWN-001", "FIX-DENY-001"])
    assert {f.product for f in only(result, "FIX-UNOWN-001")} == {"unowned"}
    assert {f.product for f in only(result, "FIX-DENY-001")} == {"orders"}
    (stray,) = only(result, "FIX-UNOWN-001")
    assert (stray.subject, stray.domain, stray.location) == (
        "aws_s3_bucket.stray",
        None,
        Location(file="plan.json", line=5),
    )


def test_a_large_unowned_bundle_is_one_input_and_one_record_per_policy(good: PolicyPack) -> None:
    clean = Bundle(
        id="unowned", resources=[bucket(f"b{i}", data_bearing=False) for i in range(600)]
    )
    (passed,) = only(evaluate(good, [clean], ["FIX-UNOWN-001"]), "FIX-UNOWN-001")
    assert (passed.status, passed.product, passed.evidence["resources"]) == (
        Status.PASS,
        "unowned",
        600,
    )
    dirty = Bundle(
        id="unowned", resources=[bucket(f"b{i:03}", data_bearing=i % 150 == 0) for i in range(600)]
    )
    findings = only(evaluate(good, [dirty], ["FIX-UNOWN-001"]), "FIX-UNOWN-001")
    assert [f.subject for f in findings] == [f"aws_s3_bucket.b{i:03}" for i in (0, 150, 300, 450)]
    assert {f.status for f in findings} == {Status.FAIL}


def test_two_engines_give_the_same_findings_as_one(good: PolicyPack) -> None:
    bundles = [bundle(product(f"p{i}", retention_days=300 + 20 * i)) for i in range(8)]
    config = GovernanceConfig()
    one = get_engine("embedded", pack=good, workers=1).evaluate(bundles, good.policies, config)
    two = get_engine("embedded", pack=good, workers=2).evaluate(bundles, good.policies, config)
    assert [f.model_dump() for f in one.findings] == [f.model_dump() for f in two.findings]
    assert {f.status for f in one.findings} >= {Status.FAIL, Status.PASS}


# ------------------------------------------------------------------------- fail closed


def test_runtime_builtin_error_is_an_error_never_a_pass(policies_dir: Path) -> None:
    pack = load_pack([policies_dir / "runtime_error"], GovernanceConfig())
    result = evaluate(
        pack, [bundle(product("text", version="v1")), bundle(product("number", version="2"))]
    )
    (error,) = only(result, "FIX-ERR-001", "text")
    assert error.status is Status.ERROR
    assert "eval_builtin_error" in error.message and "bundle 'text'" in error.message
    assert only(result, "FIX-ERR-001", "number")[0].status is Status.PASS
    (run_error,) = result.errors
    assert (run_error.policy_id, run_error.product) == ("FIX-ERR-001", "text")
    assert run_error.where is not None and "runtime_error/policy.yaml:1" in run_error.where


def test_malformed_deny_is_an_error(policies_dir: Path) -> None:
    pack = load_pack([policies_dir / "bad_result"], GovernanceConfig())
    (error,) = evaluate(pack, [bundle(product())]).findings
    assert error.status is Status.ERROR and "got 42" in error.message


def test_conflicting_rule_values_are_an_error_of_that_policy_only(policies_dir: Path) -> None:
    pack = load_pack([policies_dir / "conflict"], GovernanceConfig())
    result = evaluate(pack, [bundle(product("conflicted")), bundle(product("calm", domain=None))])
    (error,) = only(result, "FIX-CONFLICT-001", "conflicted")
    assert error.status is Status.ERROR and "eval_conflict_error" in error.message
    # The bundle's other policy still counts: the error is pinned on the one that raised it.
    assert only(result, "FIX-CONFLICT-002", "conflicted")[0].status is Status.FAIL
    assert only(result, "FIX-CONFLICT-001", "calm")[0].status is Status.PASS
    assert [(e.policy_id, e.product) for e in result.errors] == [("FIX-CONFLICT-001", "conflicted")]


def test_undefined_deny_where_the_policy_applies_is_an_error(policies_dir: Path) -> None:
    pack = load_pack([policies_dir / "undefined_deny"], GovernanceConfig())
    result = evaluate(pack, [bundle(product("long", retention_days=400)), bundle(product("ok"))])
    assert only(result, "FIX-UNDEF-001", "long")[0].status is Status.FAIL
    (error,) = only(result, "FIX-UNDEF-001", "ok")
    assert error.status is Status.ERROR and "undefined although the policy applies" in error.message


def test_runaway_policy_is_stopped_at_the_time_limit(policies_dir: Path) -> None:
    config = GovernanceConfig(engine={"timeout_seconds": 1.0})
    pack = load_pack([policies_dir / "runaway"], config)
    good = load_pack([policies_dir / "runtime_error"], config)
    bundles = [bundle(product("slow")), bundle(product("next", version="2"))]
    result = get_engine("embedded", pack=pack, workers=1).evaluate(bundles, pack.policies, config)
    assert [(f.product, f.status) for f in result.findings] == [
        ("slow", Status.ERROR),
        ("next", Status.PASS),
    ]
    assert "longer than engine.timeout_seconds (1 s)" in result.findings[0].message
    # The bundle after it was answered by a fresh engine, not held up by the abandoned query.
    assert evaluate(good, bundles[1:], config=config).findings[0].status is Status.PASS


def test_engine_registry() -> None:
    from governance.errors import UsageError

    with pytest.raises(UsageError, match="needs the loaded policy pack"):
        get_engine("opa", opa_url="http://localhost:8181")
    with pytest.raises(UsageError, match="unknown engine"):
        get_engine("wasm")
    with pytest.raises(UsageError, match="pack"):
        get_engine("embedded")


def test_a_guild_policy_in_idiomatic_rego_means_what_opa_says(policies_dir: Path) -> None:
    """sprintf of lower()/upper() results, max() over numbers and every: right messages and
    verdicts (regopy quoted computed strings in sprintf and ordered numbers as text)."""
    from governance.model.evidence import Lifecycle, LifecycleTransition

    pack = load_pack([policies_dir / "guild"], GovernanceConfig())

    def stored(label: str, *plan: tuple[int, str | None]) -> Resource:
        transitions = [LifecycleTransition(days=d, storage_class=c) for d, c in plan]
        resource = bucket(label.lower(), lifecycle=Lifecycle(transitions=transitions))
        return resource.model_copy(update={"name": label})

    long_kept = stored("ARCHIVE", (24, "glacier"), (168, "deep_archive"))
    short_kept = stored("hot", (7, "standard_ia"), (20, "glacier"))
    unnamed = stored("odd", (1, "standard_ia"), (2, None))
    result = evaluate(pack, [bundle(product(retention_days=100), long_kept, short_kept, unnamed)])
    assert sorted(f.message for f in result.findings) == [
        "archive keeps data 168 days in GLACIER, longer than 100",
        "aws_s3_bucket.odd: every transition must name a storage class",
    ]
    assert {f.status for f in result.findings} == {Status.FAIL} and result.errors == []


def test_without_the_opa_library_the_embedded_engine_is_an_error_naming_the_fix(
    good: PolicyPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from governance.errors import EngineError

    monkeypatch.setitem(sys.modules, "opa_bindings", None)  # as on a platform without a wheel
    with pytest.raises(EngineError) as caught:
        evaluate(good, [bundle(product())], ["FIX-DENY-001"])
    assert "--ignore-requires-python opa-golib-python-bindings==0.4.4" in caught.value.message
    assert "--engine opa" in caught.value.message
