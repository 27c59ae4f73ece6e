"""Linking catalog datasets to products: URN, property, location, name; merging duplicates."""

from __future__ import annotations

from typing import Any

from governance.link.catalog import match_catalog
from governance.model.evidence import CatalogColumn, CatalogDataset, Location, OutputPort, Product


def product(pid: str, **fields: Any) -> Product:
    ports = [OutputPort(location=loc) for loc in fields.pop("ports", [])]
    return Product(
        id=pid,
        name=fields.pop("name", pid),
        output_ports=ports,
        source=Location(file=f"{pid}.yaml", line=1),
        **fields,
    )


def dataset(platform: str, name: str, **fields: Any) -> CatalogDataset:
    return CatalogDataset(
        urn=f"urn:li:dataset:(urn:li:dataPlatform:{platform},{name},PROD)",
        platform=platform,
        name=name,
        **fields,
    )


def names(found: list[CatalogDataset]) -> list[str]:
    return [d.name for d in found]


ORDERS = product("orders", ports=["s3://mesh-sales/orders/"], storage=["mesh-sales"])
RETURNS = product("returns", ports=["s3://mesh-sales/returns/"], storage=["mesh-sales"])


def test_declared_urn_wins_over_everything_else() -> None:
    target = dataset("snowflake", "db.sales.order_facts", properties={"data_product": "returns"})
    declaring = product("orders", catalog_urns=[target.urn])
    matched, unmatched = match_catalog([RETURNS, declaring], [target])
    assert names(matched["orders"]) == ["db.sales.order_facts"]
    assert matched["returns"] == [] and unmatched == []


def test_declared_urn_matches_case_insensitively() -> None:
    target = dataset("glue", "sales.orders")
    declaring = product("orders", catalog_urns=[target.urn.upper()])
    assert names(match_catalog([declaring], [target])[0]["orders"]) == ["sales.orders"]


def test_product_property_in_any_spelling_by_id_or_name() -> None:
    by_id = dataset("kafka", "t1", properties={"DataProduct": "Orders"})
    by_name = dataset("kafka", "t2", properties={"data-product": "Order Returns"})
    as_list = dataset("kafka", "t3", properties={"data_product": ["unknown", "orders"]})
    returns = product("returns", name="order returns")
    matched, _ = match_catalog([ORDERS, returns], [by_id, by_name, as_list])
    assert names(matched["orders"]) == ["t1", "t3"]
    assert names(matched["returns"]) == ["t2"]


def test_product_key_value_tag() -> None:
    tagged = dataset("glue", "x.y", tags=["DataProduct:returns", "Owner:sales"])
    assert names(match_catalog([ORDERS, RETURNS], [tagged])[0]["returns"]) == ["x.y"]


def test_longest_output_location_prefix_wins_within_a_shared_bucket() -> None:
    s3_returns = dataset("s3", "mesh-sales/returns/2024")
    glue_orders = dataset(
        "glue", "sales.orders", properties={"location": "s3a://mesh-sales/orders/part=1/"}
    )
    elsewhere = dataset("s3", "mesh-sales/tmp")  # same bucket, no port: the bucket decides
    matched, _ = match_catalog([ORDERS, RETURNS], [s3_returns, glue_orders, elsewhere])
    assert names(matched["returns"]) == ["mesh-sales/returns/2024"]
    assert names(matched["orders"]) == ["sales.orders", "mesh-sales/tmp"]


def test_storage_names_match_buckets_glue_databases_and_bigquery_datasets() -> None:
    lake = product("lake", storage=["raw-bucket", "lake_db", "analytics"])
    found = [
        dataset("gcs", "raw-bucket/events"),
        dataset("glue", "lake_db.events"),
        dataset("bigquery", "proj.analytics.events"),
        dataset("snowflake", "lake_db.public.events"),  # a database name alone is not enough
    ]
    matched, unmatched = match_catalog([lake], found)
    assert names(matched["lake"]) == [
        "raw-bucket/events",
        "lake_db.events",
        "proj.analytics.events",
    ]
    assert names(unmatched) == ["lake_db.public.events"]


def test_name_only_for_products_nothing_else_matched() -> None:
    strong = dataset("s3", "mesh-sales/orders")
    same_name = dataset("hive", "warehouse.orders")
    named = dataset("postgres", "shop.public.customer_profile")
    customers = product("customer-profile")
    matched, unmatched = match_catalog([ORDERS, customers], [strong, same_name, named])
    assert names(matched["orders"]) == ["mesh-sales/orders"]
    assert names(matched["customer-profile"]) == ["shop.public.customer_profile"]
    assert names(unmatched) == ["warehouse.orders"]


def test_every_product_has_an_entry_and_unmatched_keep_catalog_order() -> None:
    others = [dataset("mysql", f"db.t{i}") for i in range(3)]
    matched, unmatched = match_catalog([ORDERS, RETURNS], others)
    assert matched == {"orders": [], "returns": []}
    assert names(unmatched) == ["db.t0", "db.t1", "db.t2"]


def test_same_urn_from_two_sources_is_merged() -> None:
    from_glue = dataset(
        "glue",
        "sales.orders",
        owners=["hadoop"],
        tags=["DataProduct:orders"],
        columns=[CatalogColumn(name="email", tags=["pii"])],
        properties={"location": "s3://mesh-sales/orders/", "retention_days": "30"},
    )
    from_datahub = dataset(
        "glue",
        "sales.orders",
        owners=["sales-data", "hadoop"],
        domain="Sales",
        columns=[
            CatalogColumn(name="email", glossary_terms=["Email_Address"]),
            CatalogColumn(name="id"),
        ],
        properties={"retention_days": "180", "owner_team": "sales"},
    )
    matched, _ = match_catalog([ORDERS], [from_glue, from_datahub])
    (merged,) = matched["orders"]
    assert merged.owners == ["hadoop", "sales-data"]
    assert merged.domain == "Sales"
    assert [(c.name, c.tags, c.glossary_terms) for c in merged.columns] == [
        ("email", ["pii"], ["Email_Address"]),
        ("id", [], []),
    ]
    # The first source's values win on conflicts; the other source's extra keys are kept.
    assert merged.properties["retention_days"] == "30"
    assert merged.properties["owner_team"] == "sales"


def test_many_products_and_datasets_link_in_one_pass() -> None:
    products = [
        product(f"p{i}", ports=[f"s3://bucket-{i}/data/"], storage=[f"bucket-{i}"])
        for i in range(2000)
    ]
    datasets = [dataset("s3", f"bucket-{i}/data/part-{j}") for i in range(2000) for j in range(5)]
    matched, unmatched = match_catalog(products, datasets)
    assert unmatched == []
    assert all(len(found) == 5 for found in matched.values())
