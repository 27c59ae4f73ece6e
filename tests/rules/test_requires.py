"""``requires`` in the built-in pack is a safe pre-filter: where a requirement is unmet, the Rego
``applicable`` is false too, so skipping the query can never hide a finding.

The policies are queried directly (no pre-filter) on bundles that lack exactly one kind of
evidence, and on the same bundles with it, where at least the policy must then apply: otherwise a
policy whose Rego never applies would pass this test vacuously.
"""

from __future__ import annotations

from typing import Any

import pytest

from governance.evaluate.pack import PolicyPack, builtin_pack_dirs, load_pack
from governance.evaluate.rego.embedded import EmbeddedBackend
from governance.evaluate.rego.engine import program
from governance.evaluate.rego.evaluator import applies
from governance.model import Bundle, Column, GovernanceConfig, Location, Product, Resource
from governance.model.config import CatalogConfig
from governance.model.evidence import QualityEvidence

PRODUCT = Product(
    id="sales-orders",
    name="orders",
    domain="sales",
    owner="sales-data@example.com",
    classification="confidential",
    environment="prod",
    retention_days=180,
    columns=[Column(name="email", type="string", pii=True)],
    source=Location(file="dataproduct.yaml", line=1),
)


def _bucket(source: str) -> Resource:
    return Resource(
        address="aws_s3_bucket.orders",
        type="aws_s3_bucket",
        name="orders",
        source=source,  # type: ignore[arg-type]
        data_bearing=True,
        tags={"DataProduct": "orders"},
    )


def _bundle(**changes: Any) -> Bundle:
    fields: dict[str, Any] = {
        "id": "sales-orders",
        "product": PRODUCT,
        "resources": [_bucket("plan")],
        "catalog": [],
        "quality": None,
        "drift": None,
    }
    return Bundle(**{**fields, **changes})


# Per requirement: (bundle lacking it, config lacking it), (bundle with it, config with it).
CASES: dict[str, tuple[tuple[Bundle, bool], tuple[Bundle, bool]]] = {
    "catalog": ((_bundle(), False), (_bundle(), True)),
    "quality": ((_bundle(), False), (_bundle(quality=QualityEvidence(sample="s.csv")), False)),
    # drift=[]: drift was checked and found none (the policy then applies and passes).
    "drift": ((_bundle(), False), (_bundle(drift=[]), False)),
    "live": ((_bundle(), False), (_bundle(resources=[_bucket("live")]), False)),
}


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return load_pack(builtin_pack_dirs(), GovernanceConfig())


def _config(catalog: bool) -> GovernanceConfig:
    return GovernanceConfig(catalog=CatalogConfig(enabled=catalog))


def _rego_applicable(pack: PolicyPack, policy_id: str, bundle: Bundle, catalog: bool) -> bool:
    config = _config(catalog)
    (policy,) = [p for p in pack.rego_policies if p.id == policy_id]
    backend = EmbeddedBackend(program(pack, [policy], config), engines=1, timeout=30)
    defined, value = backend.result(policy_id, bundle.to_input(include_raw=False))
    assert defined, policy_id
    return bool(value["applicable"])


def test_the_pack_declares_requirements(pack: PolicyPack) -> None:
    declared = {p.id: p.requires for p in pack.policies if p.requires}
    assert declared["GOV-CAT-001"] == ["catalog"]
    assert declared["GOV-DRIFT-001"] == ["drift"]
    assert set(declared) >= {"GOV-OWN-002", "GOV-PII-003", "GOV-PII-004", "GOV-RET-003"}


@pytest.mark.parametrize("need", sorted(CASES))
def test_rego_does_not_apply_where_a_requirement_is_unmet(pack: PolicyPack, need: str) -> None:
    (lacking, lacking_catalog), (having, having_catalog) = CASES[need]
    policies = [p for p in pack.rego_policies if need in p.requires]
    assert policies, f"no built-in policy requires {need}"
    for policy in policies:
        assert not applies(policy, lacking, _config(lacking_catalog))
        assert applies(policy, having, _config(having_catalog))
        assert not _rego_applicable(pack, policy.id, lacking, lacking_catalog), policy.id
        assert _rego_applicable(pack, policy.id, having, having_catalog), policy.id
