"""The catalog policies (GOV-CAT-001, GOV-OWN-002, GOV-PII-004, GOV-RET-003) on real evidence.

DataHub metadata -> linking -> the embedded Rego engine with the built-in pack, plus the policies'
own Rego unit tests (rules_rego/catalog/*_test.rego) run by the project's test runner.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from governance.collect import collect_paths, datahub
from governance.collect.base import CollectContext
from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.link.catalog import match_catalog
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.result import Finding, Status

REPO = Path(__file__).resolve().parents[2]
CATALOG_POLICIES = {"GOV-CAT-001", "GOV-OWN-002", "GOV-PII-004", "GOV-RET-003"}
ORDERS_S3 = "urn:li:dataset:(urn:li:dataPlatform:s3,mesh-sales-orders-prod/trusted/orders,PROD)"
TOPIC = "urn:li:dataset:(urn:li:dataPlatform:kafka,sales.orders-events,PROD)"


def catalog_config(enabled: bool) -> GovernanceConfig:
    """A config whose ``data.governance.config.catalog.enabled`` is ``enabled``."""
    if "catalog" in GovernanceConfig.model_fields:
        return GovernanceConfig.model_validate({"catalog": {"enabled": enabled}})

    class WithCatalog(GovernanceConfig):  # until the config model has its catalog section
        catalog: dict[str, bool] = Field(default_factory=lambda: {"enabled": enabled})

    return WithCatalog()


def test_rego_unit_tests_pass() -> None:
    from governance.evaluate.pack import load_definitions, load_modules
    from governance.evaluate.rego import testing

    modules = load_modules(sorted((REPO / "rules_rego" / "catalog").glob("*.rego")))
    policies = [
        policy
        for name in ("GOV-CAT-001", "GOV-OWN-002", "GOV-PII-004", "GOV-RET-003")
        for policy, _ in load_definitions(REPO / "policies" / f"{name}.yaml")
    ]
    results = testing.run_rego_tests(
        [m for m in modules if not m.is_test],
        [m for m in modules if m.is_test],
        GovernanceConfig(),
        policies,
    ).results
    assert len(results) >= 40
    assert [r for r in results if r.status != "pass"] == []


@pytest.fixture(scope="module")
def bundles() -> list[Bundle]:
    fixtures = REPO / "tests" / "fixtures" / "datahub"
    products = collect_paths([fixtures / "mesh"]).products
    path = fixtures / "catalog-newer-encoding.json"
    catalog = datahub.collect(path, json.loads(path.read_text()), CollectContext()).catalog
    matched, _ = match_catalog(products, catalog)
    return [Bundle(id=p.id, product=p, catalog=matched[p.id]) for p in products]


def evaluate(bundles: list[Bundle], enabled: bool) -> list[Finding]:
    config = catalog_config(enabled)
    pack = load_pack(builtin_pack_dirs(), config)
    from governance.evaluate import get_engine

    engine = get_engine("embedded", pack=pack, workers=1)
    policies = [p for p in pack.policies if p.id in CATALOG_POLICIES]
    assert {p.id for p in policies} == CATALOG_POLICIES
    evaluation = engine.evaluate(bundles, policies, config)
    assert evaluation.errors == []
    return evaluation.findings


def outcome(findings: list[Finding], product: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for f in findings:
        if f.product == product:
            result.setdefault(f.policy_id, set()).add((f.status.value, f.subject))
    return result


def test_catalog_policies_through_the_engine(bundles: list[Bundle]) -> None:
    findings = evaluate(bundles, enabled=True)
    assert outcome(findings, "orders") == {
        "GOV-CAT-001": {("pass", None)},
        # sales-data@example.com is the s3 dataset's sales-data group; the topic has no owner.
        "GOV-OWN-002": {("fail", TOPIC)},
        "GOV-PII-004": {
            ("fail", f"urn:li:schemaField:({TOPIC},email)"),
            ("fail", f"urn:li:schemaField:({TOPIC},customer_email)"),
        },
        "GOV-RET-003": {
            ("fail", f"{TOPIC}#retention.ms"),
            ("fail", f"{TOPIC}#io.acryl.privacy.retentionTime"),
        },
    }
    assert outcome(findings, "ledger") == {
        "GOV-CAT-001": {("fail", None)},
        "GOV-OWN-002": {("pass", None)},
        "GOV-PII-004": {("pass", None)},
        "GOV-RET-003": {("pass", None)},
    }
    (ret,) = [f for f in findings if f.subject == f"{TOPIC}#retention.ms"]
    assert ret.message == (
        "declared retention of 180 days disagrees with property retention.ms = 604800000 on "
        f"catalog dataset {TOPIC} (7 days)"
    )
    assert ret.location is not None and ret.location.file is not None
    assert ret.location.file.endswith("mesh/orders.yaml")  # the declared retention_days


def test_without_catalog_evidence_the_policies_do_not_apply(bundles: list[Bundle]) -> None:
    findings = evaluate(bundles, enabled=False)
    assert [f for f in findings if f.policy_id in CATALOG_POLICIES] == []


def test_an_empty_catalog_fails_every_product(bundles: list[Bundle]) -> None:
    empty = [b.model_copy(update={"catalog": []}) for b in bundles]
    findings = evaluate(empty, enabled=True)
    failed = {(f.product, f.policy_id) for f in findings if f.status is Status.FAIL}
    assert failed == {("orders", "GOV-CAT-001"), ("ledger", "GOV-CAT-001")}
