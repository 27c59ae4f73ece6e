"""The Glue Data Catalog collector against a real moto server (HTTP on a free local port)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from governance.collect import collect_paths
from governance.collect.glue import GlueOptions, read_glue
from governance.errors import CollectorError
from governance.link.catalog import match_catalog

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's account for any test credentials
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def glue(moto_url: str) -> Iterator[Any]:
    import boto3

    request = urllib.request.Request(f"{moto_url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200
    yield boto3.client("glue", region_name=REGION, endpoint_url=moto_url, **KEYS)


def session() -> Any:
    import boto3

    return boto3.Session(region_name=REGION, **KEYS)


def options(url: str, **kwargs: Any) -> GlueOptions:
    return GlueOptions(region=REGION, endpoint_url=url, **kwargs)


def add_table(glue: Any, database: str, name: str, **table: Any) -> None:
    storage = table.pop("storage", {})
    glue.create_table(
        DatabaseName=database,
        TableInput={"Name": name, "StorageDescriptor": storage, **table},
    )


@pytest.fixture
def sales(glue: Any) -> Any:
    glue.create_database(DatabaseInput={"Name": "sales"})
    add_table(
        glue,
        "sales",
        "orders",
        Owner="sales-data",
        TableType="EXTERNAL_TABLE",
        Parameters={"retention_days": "180", "classification": "parquet"},
        storage={
            "Location": "s3://mesh-sales-orders-prod/trusted/orders/",
            "Columns": [
                {"Name": "order_id", "Type": "string"},
                {
                    "Name": "customer_email",
                    "Type": "string",
                    "Comment": "contact",
                    "Parameters": {"pii": "true", "glossary_terms": "Email_Address"},
                },
                {"Name": "notes", "Type": "string", "Parameters": {"tags": "free-text, review"}},
            ],
        },
        PartitionKeys=[
            {"Name": "dt", "Type": "string", "Parameters": {"classification": "internal"}}
        ],
    )
    add_table(glue, "sales", "scratch", storage={"Location": "s3://team-scratch/tmp/"})
    glue.tag_resource(
        ResourceArn=f"arn:aws:glue:{REGION}:{ACCOUNT}:table/sales/orders",
        TagsToAdd={"DataProduct": "orders", "Owner": "sales-data"},
    )
    return glue


def test_tables_become_catalog_datasets(sales: Any, moto_url: str) -> None:
    datasets = {d.name: d for d in read_glue(options(moto_url), session=session())}
    assert sorted(datasets) == ["sales.orders", "sales.scratch"]
    orders = datasets["sales.orders"]
    assert orders.urn == "urn:li:dataset:(urn:li:dataPlatform:glue,sales.orders,PROD)"
    assert orders.platform == "glue"
    assert orders.owners == ["sales-data"]
    assert orders.tags == ["DataProduct:orders", "Owner:sales-data"]
    assert orders.properties == {
        "retention_days": "180",
        "classification": "parquet",
        "location": "s3://mesh-sales-orders-prod/trusted/orders/",
        "table_type": "EXTERNAL_TABLE",
        "database": "sales",
    }
    columns = {c.name: (c.tags, c.glossary_terms) for c in orders.columns}
    assert columns == {
        "order_id": ([], []),
        "customer_email": (["pii"], ["Email_Address"]),
        "notes": (["free-text", "review"], []),
        "dt": (["classification:internal"], []),  # partition keys are columns too
    }
    assert orders.location is not None
    assert (orders.location.account, orders.location.region) == (ACCOUNT, REGION)
    assert orders.location.arn == f"arn:aws:glue:{REGION}:{ACCOUNT}:table/sales/orders"
    assert datasets["sales.scratch"].owners == [] and datasets["sales.scratch"].tags == []


def test_database_selection(sales: Any, moto_url: str) -> None:
    sales.create_database(DatabaseInput={"Name": "finance"})
    add_table(
        sales, "finance", "ledger", storage={"Location": "s3://mesh-finance-ledger-prod/ledger/"}
    )
    found = read_glue(options(moto_url, databases=("finance",)), session=session())
    assert [d.name for d in found] == ["finance.ledger"]
    everything = read_glue(options(moto_url, resource_tags=False), session=session())
    assert sorted(d.name for d in everything) == ["finance.ledger", "sales.orders", "sales.scratch"]
    assert all(d.tags == [] for d in everything)


def test_missing_database_is_an_error_naming_the_region(sales: Any, moto_url: str) -> None:
    with pytest.raises(CollectorError, match="Glue database 'marketing' not found") as caught:
        read_glue(options(moto_url, databases=("marketing",)), session=session())
    assert str(caught.value.where) == f"AWS Glue {REGION}"


def test_aws_error_is_a_collector_error(sales: Any, moto_url: str) -> None:
    # The database disappears between listing and reading it (a boto3 event hook runs just
    # before GetTables is sent): the real server answers EntityNotFoundException.
    real = session()

    def drop_database(**_: Any) -> None:
        sales.delete_database(Name="sales")

    real.events.register("before-call.glue.GetTables", drop_database)
    with pytest.raises(CollectorError, match="GetTables failed: EntityNotFoundException") as caught:
        read_glue(options(moto_url), session=real)
    assert str(caught.value.where) == f"AWS Glue {REGION}"


def test_unreachable_endpoint_is_a_collector_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(CollectorError, match="Could not connect"):
        read_glue(options(f"http://127.0.0.1:{port}"), session=session())


def test_glue_tables_link_to_products(sales: Any, moto_url: str, fixtures: Path) -> None:
    products = collect_paths([fixtures / "datahub" / "mesh"]).products
    matched, unmatched = match_catalog(products, read_glue(options(moto_url), session=session()))
    assert [d.name for d in matched["orders"]] == ["sales.orders"]
    assert matched["ledger"] == []
    assert [d.name for d in unmatched] == ["sales.scratch"]
