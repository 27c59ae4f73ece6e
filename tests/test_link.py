"""Linking: resources join products by tag (any usual spelling) or by declared storage."""

from __future__ import annotations

from governance.collect.base import Evidence
from governance.link import link_bundles, normalise_key
from governance.model.config import GovernanceConfig
from governance.model.evidence import (
    UNOWNED,
    CatalogDataset,
    Location,
    Product,
    QualityEvidence,
    Resource,
)
from governance.model.result import RunError


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


def test_each_product_gets_its_bundle_with_its_own_evidence() -> None:
    orders = product("orders")
    returns = product("returns")
    sample = QualityEvidence(sample="orders.csv", rows_sampled=10)
    evidence = Evidence(
        products=[orders, returns],
        resources=[bucket("a", tags={"DataProduct": "returns"})],
        catalog=[CatalogDataset(urn="urn:orders", name="db.orders")],
        quality={"orders": sample},
    )
    linked = link_bundles(evidence, GovernanceConfig())
    assert linked.errors == []
    by_id = {b.id: b for b in linked.bundles}
    assert list(by_id) == ["orders", "returns"]
    assert (by_id["orders"].product, by_id["returns"].product) == (orders, returns)
    assert [d.urn for d in by_id["orders"].catalog] == ["urn:orders"]
    assert by_id["returns"].catalog == []
    assert (by_id["orders"].quality, by_id["returns"].quality) == (sample, None)
    assert [r.address for r in by_id["returns"].resources] == ["a"]


def test_a_product_tag_is_found_among_other_tags() -> None:
    evidence = Evidence(
        products=[product("orders")],
        resources=[bucket("a", tags={"team": "sales", "DataProduct": "orders"})],
    )
    assert bundles_by_id(evidence) == {"orders": ["a"]}


def test_a_tag_may_name_the_product_by_its_name() -> None:
    orders = Product(
        id="sales.orders", name="Order Book", domain="d", source=Location(file="p.yaml", line=1)
    )
    evidence = Evidence(
        products=[orders], resources=[bucket("a", tags={"data_product": "order-book"})]
    )
    assert bundles_by_id(evidence) == {"sales.orders": ["a"]}


def test_configured_product_keys_link_catalog_datasets_too() -> None:
    config = GovernanceConfig.model_validate({"tag_keys": {"product": ["mesh_product"]}})
    evidence = Evidence(
        products=[product("orders")],
        resources=[bucket("a", tags={"Mesh-Product": "orders"})],
        catalog=[
            CatalogDataset(urn="urn:x", name="db.x", properties={"mesh_product": "orders"}),
        ],
    )
    [bundle] = link_bundles(evidence, config).bundles
    assert [r.address for r in bundle.resources] == ["a"]
    assert [d.urn for d in bundle.catalog] == ["urn:x"]


def test_duplicate_is_an_input_error_of_that_product_and_later_products_still_link() -> None:
    first = Product(id="orders", name="orders", source=Location(file="a.yaml"))
    again = Product(id="Orders", name="orders", source=Location(file="b.yaml"))
    evidence = Evidence(
        products=[first, again, product("returns")],
        resources=[bucket("r", tags={"DataProduct": "returns"})],
    )
    linked = link_bundles(evidence, GovernanceConfig())
    assert [e.model_dump() for e in linked.errors] == [
        {
            "kind": "input",
            "message": "duplicate data product 'Orders' (first declared at a.yaml)",
            "where": "b.yaml",
            "product": "Orders",
            "policy_id": None,
        }
    ]
    assert [(b.id, [r.address for r in b.resources]) for b in linked.bundles] == [
        ("orders", []),
        ("returns", ["r"]),
    ]


def test_resources_of_a_product_whose_manifest_failed_stay_with_it_not_unowned() -> None:
    evidence = Evidence(
        products=[product("orders")],
        resources=[
            bucket("x", tags={"DataProduct": "sales-returns"}),
            bucket("o", tags={"DataProduct": "orders"}),
            bucket("y", tags={"DataProduct": "Sales Returns"}),
            bucket("z"),
        ],
        errors=[
            RunError(kind="input", message="bad manifest", product="sales.returns"),
            RunError(kind="input", message="suite missing", product="orders"),  # read fine
            RunError(kind="collector", message="AccessDenied"),  # nobody's
        ],
    )
    linked = link_bundles(evidence, GovernanceConfig())
    assert [
        (b.id, b.product is None, [r.address for r in b.resources]) for b in linked.bundles
    ] == [
        ("orders", False, ["o"]),
        ("sales.returns", True, ["x", "y"]),
        (UNOWNED, True, ["z"]),
    ]


def test_a_failed_manifest_without_resources_still_gets_its_bundle() -> None:
    evidence = Evidence(errors=[RunError(kind="input", message="bad", product="returns")])
    bundles = link_bundles(evidence, GovernanceConfig()).bundles
    assert [(b.id, b.product, b.resources) for b in bundles] == [("returns", None, [])]
