"""Linking catalog datasets to products: URN, property, location, name; merging duplicates."""

from __future__ import annotations

from typing import Any

from governance.link.catalog import dedupe, match_catalog
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


def test_an_exact_urn_beats_another_products_case_insensitive_one() -> None:
    target = dataset("glue", "sales.facts")
    loud = product("loud", catalog_urns=[target.urn.upper()])
    exact = product("exact", catalog_urns=[target.urn])
    matched, _ = match_catalog([loud, exact], [target])
    assert names(matched["exact"]) == ["sales.facts"]
    assert matched["loud"] == []


def test_a_case_insensitive_urn_is_found_by_urn_not_by_name() -> None:
    target = dataset("glue", "sales.facts")
    declaring = product("ledger", catalog_urns=[target.urn.upper()])
    assert names(match_catalog([declaring], [target])[0]["ledger"]) == ["sales.facts"]


def test_an_id_wins_over_another_products_name() -> None:
    orders = product("orders", name="Order Book")
    legacy = product("legacy", name="orders")
    claimed = dataset("kafka", "t1", properties={"data_product": "orders"})
    by_name = dataset("kafka", "t2", properties={"data_product": "order book"})
    matched, _ = match_catalog([legacy, orders], [claimed, by_name])
    assert names(matched["orders"]) == ["t1", "t2"]
    assert matched["legacy"] == []


def test_product_key_spellings_fold_separators_but_other_keys_do_not_count() -> None:
    spelled = dataset("kafka", "t1", properties={"DataProduct": "returns"})
    owner_tag = dataset("kafka", "t2", tags=["Owner:returns"])  # a tag, but not a product key
    matched, unmatched = match_catalog(
        [RETURNS], [spelled, owner_tag], product_keys=["data_product"]
    )
    assert names(matched["returns"]) == ["t1"]
    assert names(unmatched) == ["t2"]


def test_a_product_name_with_a_colon_in_a_key_value_tag() -> None:
    orders = product("orders", name="Sales: Orders")
    tagged = dataset("kafka", "t", tags=["DataProduct:Sales: Orders"])
    assert names(match_catalog([orders], [tagged])[0]["orders"]) == ["t"]


def test_location_keys_fold_separators_and_other_properties_are_not_locations() -> None:
    spelled = dataset("glue", "a.t1", properties={"Storage_Location": "s3://mesh-sales/returns/"})
    upstream = dataset("glue", "a.t2", properties={"upstream": "s3://mesh-sales/returns/"})
    matched, unmatched = match_catalog([RETURNS], [spelled, upstream])
    assert names(matched["returns"]) == ["a.t1"]
    assert names(unmatched) == ["a.t2"]


def test_a_location_that_is_no_object_store_url_is_skipped_for_the_next() -> None:
    both = dataset(
        "glue", "a.t", properties={"path": "/mnt/warehouse", "location": "s3://mesh-sales/orders/"}
    )
    hdfs = dataset("glue", "a.u", properties={"location": "hdfs://cluster/mesh-sales/orders"})
    matched, unmatched = match_catalog([ORDERS], [both, hdfs])
    assert names(matched["orders"]) == ["a.t"]
    assert names(unmatched) == ["a.u"]


def test_an_output_port_at_a_bucket_root_claims_the_bucket() -> None:
    lake = product("lake", ports=["s3://mesh-lake"])
    assert names(match_catalog([lake], [dataset("s3", "mesh-lake/events/2024")])[0]["lake"]) == [
        "mesh-lake/events/2024"
    ]


def test_an_output_port_ending_in_x_keeps_its_last_segment() -> None:
    fx = product("fx-rates", ports=["s3://mesh-lake/FX/"])
    found = dataset("s3", "mesh-lake/FX/2024")
    assert names(match_catalog([fx], [found])[0]["fx-rates"]) == ["mesh-lake/FX/2024"]


def test_gcs_datasets_match_gs_output_ports() -> None:
    events = product("events", ports=["gs://lake/events/"])
    found = dataset("gcs", "lake/events/2024")
    assert names(match_catalog([events], [found])[0]["events"]) == ["lake/events/2024"]


def test_a_three_part_name_is_a_dataset_only_on_bigquery() -> None:
    analytics = product("warehouse", storage=["analytics"])
    snowflake = dataset("snowflake", "db.analytics.events")
    matched, unmatched = match_catalog([analytics], [snowflake])
    assert matched["warehouse"] == [] and names(unmatched) == ["db.analytics.events"]


def test_name_matching_reads_the_last_path_segment_of_object_store_names() -> None:
    customers = product("customer-profile")
    found = dataset("s3", "scratch/exports/customer-profile")
    assert names(match_catalog([customers], [found])[0]["customer-profile"]) == [
        "scratch/exports/customer-profile"
    ]


def test_merging_unites_tags_and_terms_and_fills_a_missing_platform() -> None:
    first = CatalogDataset(urn="urn:x", name="sales.orders", tags=["a"], glossary_terms=["T1"])
    second = CatalogDataset(
        urn="urn:x", platform="glue", name="sales.orders", tags=["b", "a"], glossary_terms=["T2"]
    )
    (merged,) = dedupe([first, second])
    assert (merged.tags, merged.glossary_terms, merged.platform) == (
        ["a", "b"],
        ["T1", "T2"],
        "glue",
    )


def test_an_object_key_containing_a_scheme_still_matches_its_prefix() -> None:
    # S3 keys may contain "://" (a mirrored URL): only the first one is the scheme.
    mirror = dataset("glue", "a.t", properties={"location": "s3://mesh-sales/orders/https://x"})
    assert names(match_catalog([ORDERS], [mirror])[0]["orders"]) == ["a.t"]
