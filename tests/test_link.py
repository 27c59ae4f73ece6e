"""Linking: resources join products by tag (any usual spelling) or by declared storage."""

from __future__ import annotations

from governance.collect.base import Evidence
from governance.link import link_bundles, normalise_key
from governance.model.config import GovernanceConfig
from governance.model.evidence import UNOWNED, Location, Product, Resource


def product(name: str, *, storage: list[str] | None = None, file: str = "p.yaml") -> Product:
    return Product(
        id=name, name=name, domain="d", storage=storage or [], source=Location(file=file, line=1)
    )


def bucket(
    address: str, *, name: str | None = None, tags: dict[str, str] | None = None
) -> Resource:
    return Resource(
        address=address, type="aws_s3_bucket", name=name, tags=tags or {}, data_bearing=True
    )


def bundles_by_id(evidence: Evidence) -> dict[str, list[str]]:
    linked = link_bundles(evidence, GovernanceConfig())
    assert not linked.errors
    return {b.id: [r.address for r in b.resources] for b in linked.bundles}


def test_tag_spellings_link_aws_tags_and_gcp_labels() -> None:
    evidence = Evidence(
        products=[product("customer-profile")],
        resources=[
            bucket("a", tags={"DataProduct": "customer-profile"}),
            bucket("b", tags={"data_product": "customer_profile"}),
            bucket("c", tags={"data-product": "Customer Profile"}),
        ],
    )
    assert bundles_by_id(evidence) == {"customer-profile": ["a", "b", "c"]}


def test_declared_storage_claims_untagged_bucket() -> None:
    evidence = Evidence(
        products=[product("orders", storage=["mesh-orders"])],
        resources=[bucket("aws_s3_bucket.o", name="mesh-orders")],
    )
    assert bundles_by_id(evidence) == {"orders": ["aws_s3_bucket.o"]}


def test_unclaimed_and_unknown_product_tags_go_to_unowned() -> None:
    evidence = Evidence(
        products=[product("orders")],
        resources=[bucket("x", tags={"DataProduct": "nobody"}), bucket("y")],
    )
    assert bundles_by_id(evidence) == {"orders": [], UNOWNED: ["x", "y"]}


def test_no_unowned_bundle_when_everything_is_claimed() -> None:
    evidence = Evidence(
        products=[product("orders")], resources=[bucket("x", tags={"DataProduct": "orders"})]
    )
    assert UNOWNED not in bundles_by_id(evidence)


def test_duplicate_product_is_an_error_naming_both_files() -> None:
    evidence = Evidence(
        products=[product("orders", file="a.yaml"), product("Orders", file="b.yaml")]
    )
    linked = link_bundles(evidence, GovernanceConfig())
    assert len(linked.errors) == 1
    error = linked.errors[0]
    assert error.where == "b.yaml:1"
    assert "a.yaml:1" in error.message
    assert [b.id for b in linked.bundles] == ["orders"]


def test_normalise_key_folds_case_and_separators() -> None:
    assert normalise_key("Data-Product") == normalise_key("data_product") == "dataproduct"
