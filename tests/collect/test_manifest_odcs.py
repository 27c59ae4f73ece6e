"""ODCS v3 / v2.2 and Data Contract Specification contracts, and every contract in the corpus."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from governance.collect import collect_paths, manifest
from governance.collect.files import display_path
from governance.model.evidence import Product
from tests.collect.test_manifest import INVALID, MANIFESTS, line_of, load, load_error, write

CONTRACTS = "contracts"

ODCS = "bitol-io__open-data-contract-standard__"
CLI = "datacontract__datacontract-cli__"
ODPS_FILE = "bitol-io__open-data-product-standard__customer-data-product.odps.yaml"
DMM_FILE = "datamesh-manager__example-dataproduct-repository__dataproduct.yml"
ODM_FILE = "opendatamesh-initiative__odm-specification-dpdescriptor-parser__dpd-full.json"

# Every corpus contract and what must happen to it: None = loads; text = the error must say this.
EXPECTED: dict[str, str | None] = {
    f"{ODCS}all-schema-types-v302.odcs.yaml": None,
    f"{ODCS}database-table-sla-v310.odcs.yaml": None,
    f"{ODCS}full-example-v222.yaml": None,
    f"{ODCS}full-example-v310.odcs.yaml": None,
    ODPS_FILE: "(ODPS) descriptors are not supported",
    f"{CLI}csv-orders-odcs310.yaml": None,
    f"{CLI}databricks-pii-dcs.yaml": None,
    f"{CLI}dbt-manifest-jaffle-duckdb.json": "not a known input",
    f"{CLI}dqx-quality-odcs310.yaml": None,
    f"{CLI}glue-odcs310.yaml": None,
    f"{CLI}gx-dcs091.yaml": None,
    f"{CLI}invalid-multiple-errors.odcs.yaml": "version: required field is missing",
    f"{CLI}orders-odcs310.yaml": None,
    f"{CLI}s3-json-remote-dcs.yaml": None,
    f"{CLI}shipments-odcs300.yaml": None,
    DMM_FILE: "Data Mesh Manager",
    ODM_FILE: "not a known input",
}


HEAD = "apiVersion: v3.1.0\nkind: DataContract\nid: c\nversion: 1.0.0\nstatus: active\n"
DCS_HEAD = "dataContractSpecification: 1.1.0\nid: x\ninfo: {title: t}\n"


def contract(corpus: Path, name: str) -> Path:
    return corpus / CONTRACTS / name


def test_every_corpus_contract_is_classified(corpus: Path) -> None:
    assert sorted(p.name for p in (corpus / CONTRACTS).iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", [n for n, e in EXPECTED.items() if n.endswith((".yaml", ".yml"))])
def test_corpus_yaml_contract_loads_or_fails_clearly(corpus: Path, name: str) -> None:
    path = contract(corpus, name)
    expected = EXPECTED[name]
    if expected is None:
        product = load(path)
        assert product.id and product.name
        assert product.format in ("odcs", "dcs")
        assert product.source.line is not None
    else:
        message = load_error(path)
        assert message.startswith(f"{display_path(path)}:1:1: ")
        assert expected in message


@pytest.mark.parametrize("name", [n for n in EXPECTED if n.endswith(".json")])
def test_corpus_json_descriptors_are_not_manifests(corpus: Path, name: str) -> None:
    assert contract(corpus, name).suffix not in manifest.SUFFIXES
    tfplan = importlib.import_module("governance.collect.tfplan")
    if not hasattr(tfplan, "SUFFIXES"):
        pytest.skip("the tfplan source (the registry's JSON reader) is not registered yet")
    evidence = collect_paths([contract(corpus, name)])
    assert evidence.products == []
    assert [e.message.split(":")[0] for e in evidence.errors] == [EXPECTED[name]]


def test_invalid_odcs_names_both_missing_fields(corpus: Path) -> None:
    message = load_error(contract(corpus, f"{CLI}invalid-multiple-errors.odcs.yaml"))
    assert "version: required field is missing" in message
    assert "status: required field is missing" in message


# ------------------------------------------------------------------------------- specific facts


def columns(product: Product, *, pii: bool) -> set[str]:
    return {c.name for c in product.columns if c.pii is pii}


def test_odcs_310_full_example(corpus: Path) -> None:
    product = load(contract(corpus, f"{ODCS}full-example-v310.odcs.yaml"))
    assert product.id == "53581432-6c55-4ba2-a65f-72344a91553a"
    assert (product.name, product.domain, product.version, product.owner) == (
        "my quantum",
        "seller",
        "1.1.0",
        "my-team",
    )
    assert product.retention_days == 3 * 365
    # restricted is a PII-grade classification; physical names, qualified by the two tables
    assert columns(product, pii=True) == {
        "tbl_1.rcvr_id",
        "receivers_master.id",
        "receivers_master.receiver_name",
    }
    assert "tbl_1.txn_ref_dt" in columns(product, pii=False)
    encrypted = {c.name for c in product.columns if c.encrypted}
    assert encrypted == {"tbl_1.rcvr_cntry_code"}
    assert product.sla["latency"] == "4d"


def test_odcs_v222_legacy_layout(corpus: Path) -> None:
    product = load(contract(corpus, f"{ODCS}full-example-v222.yaml"))
    assert (product.id, product.name, product.domain, product.owner) == (
        "53581432-6c55-4ba2-a65f-72344a91553a",
        "my quantum",
        "seller",
        "daustin",
    )
    assert product.retention_days == 1095
    assert columns(product, pii=True) == {"rcvr_id"}
    assert product.storage == ["access_views"]


def test_odcs_300_team_list_and_custom_owner(corpus: Path) -> None:
    product = load(contract(corpus, f"{CLI}shipments-odcs300.yaml"))
    assert (product.owner, product.environment) == ("fulfillment", "production")
    assert product.storage == ["shipments_v1"]
    assert {"tracking_number", "address", "address.street"} <= columns(product, pii=True)
    assert "sid" in columns(product, pii=False)  # physicalName of shipment_id


def test_odcs_iso_retention_and_glue_storage(corpus: Path) -> None:
    assert load(contract(corpus, f"{CLI}orders-odcs310.yaml")).retention_days == 365
    glue = load(contract(corpus, f"{CLI}glue-odcs310.yaml"))
    assert glue.storage == ["test_bucket", "test_database"]
    assert "field_seven.sub_field_three" in {c.name for c in glue.columns}


def test_dcs_databricks_pii_columns(corpus: Path) -> None:
    product = load(contract(corpus, f"{CLI}databricks-pii-dcs.yaml"))
    assert (product.format, product.name, product.owner) == (
        "dcs",
        "Orders Latest",
        "Checkout Team",
    )
    # pii: true comes from the shared definition both models reference
    assert columns(product, pii=True) == {"orders.order_id", "line_items.order_id"}
    assert product.pii is True
    order_id = next(c for c in product.columns if c.name == "orders.order_id")
    assert order_id.classification == "restricted"


def test_dcs_servicelevels(corpus: Path) -> None:
    product = load(contract(corpus, f"{CLI}s3-json-remote-dcs.yaml"))
    assert product.retention_days == 365
    assert product.backup is not None
    assert (product.backup.rpo_hours, product.backup.rto_hours) == (168.0, 24.0)
    assert product.storage == ["datacontract-example-orders-latest"]
    assert product.environment == "prod"
    assert "orders.customer_email_address" in columns(product, pii=True)


# ------------------------------------------------------------------------------ fixture contract


def test_odcs_fixture_is_normalised() -> None:
    path = MANIFESTS / "odcs-customers.odcs.yaml"
    product = load(path)
    assert (product.id, product.name, product.domain, product.owner) == (
        "customers",
        "customers",
        "crm",
        "crm-data",
    )
    assert (product.classification, product.environment, product.retention_days) == (
        "confidential",
        "prod",
        730,
    )
    assert product.backup is not None and product.backup.rpo_hours == 4.0
    assert product.access is not None
    assert (product.access.default_policy, product.access.allowed_consumers) == (
        "deny",
        ["domain:marketing"],
    )
    assert columns(product, pii=True) == {"email_address", "birth_date", "address.street"}
    assert [c.name for c in product.columns if c.encrypted] == ["email_address"]
    assert product.storage == ["fixture-crm-customers"]
    assert product.locations["retention_days"].line == line_of(path, "property: retention")
    assert product.locations["backup.rpo"].line == line_of(path, "property: rpo")
    assert product.locations["columns.email_address"].line == line_of(path, "- name: email")


def test_odcs_bad_retention_names_file_line_and_field() -> None:
    path = INVALID / "odcs-bad-retention.odcs.yaml"
    message = load_error(path)
    assert message.startswith(
        f"{display_path(path)}:{line_of(path, 'value: forever')}:5: slaProperties[0].value:"
    )
    assert "got 'forever'" in message


def test_odcs_unsupported_version(tmp_path: Path) -> None:
    text = "apiVersion: v4.0.0\nkind: DataContract\nid: c\nversion: 1.0.0\nstatus: active\n"
    assert "c.yaml:1:1: apiVersion: unsupported ODCS apiVersion 'v4.0.0'" in load_error(
        write(tmp_path, "c.yaml", text)
    )


def test_odcs_unknown_top_level_key_is_an_error(tmp_path: Path) -> None:
    text = HEAD + "slaProperty: []\n"
    assert "c.yaml:6:1: slaProperty: unknown field" in load_error(write(tmp_path, "c.yaml", text))


def test_dcs_unresolvable_reference(tmp_path: Path) -> None:
    text = DCS_HEAD + "models:\n  m:\n    fields:\n      a:\n        $ref: '#/definitions/nope'\n"
    message = load_error(write(tmp_path, "d.yaml", text))
    assert "d.yaml:8:9: models.m.fields.a.$ref: cannot resolve $ref '#/definitions/nope'" in message


def test_dcs_unlimited_retention_is_not_a_number(tmp_path: Path) -> None:
    text = DCS_HEAD + "servicelevels:\n  retention: {unlimited: true}\n"
    product = load(write(tmp_path, "d.yaml", text))
    assert product.retention_days is None
    assert product.sla["retention"] == {"unlimited": True}
