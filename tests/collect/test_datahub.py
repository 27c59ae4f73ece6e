"""DataHub metadata files -> CatalogDataset: every corpus file, both encodings, patches, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.collect import datahub
from governance.collect.base import CollectContext
from governance.collect.datahub.records import entry_lines
from governance.errors import InputError
from governance.model.evidence import CatalogDataset

CORPUS_FILES = [
    "bigquery-classification-golden",
    "bootstrap_mce",
    "business-glossary-golden",
    "csv-enricher-golden",
    "dbt-column-meta-mapping-golden",
    "dbt-with-schemas-golden-2022",
    "dynamodb-phone-term-golden",
    "glue-golden",
    "kafka-pii-tags-golden",
    "snowflake-golden",
    "test_domains",
    "test_structured_properties",
]


def read(path: Path) -> list[CatalogDataset]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert datahub.sniff(doc, path)
    return datahub.collect(path, doc, CollectContext()).catalog


def corpus_file(corpus: Path, name: str) -> Path:
    return corpus / "datahub" / f"datahub-project__datahub__{name}.json"


def by_urn(datasets: list[CatalogDataset]) -> dict[str, CatalogDataset]:
    return {d.urn: d for d in datasets}


def column(dataset: CatalogDataset, name: str) -> tuple[list[str], list[str]]:
    found = [c for c in dataset.columns if c.name == name]
    assert len(found) == 1, f"{name} in {[c.name for c in dataset.columns]}"
    return found[0].tags, found[0].glossary_terms


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_file_reads(corpus: Path, name: str) -> None:
    path = corpus_file(corpus, name)
    datasets = read(path)
    urns = [d.urn for d in datasets]
    assert len(urns) == len(set(urns))
    for dataset in datasets:
        assert dataset.urn.startswith("urn:li:dataset:(")
        assert dataset.location is not None and dataset.location.file is not None
        assert dataset.location.line is not None and dataset.location.line >= 1
        assert all(c.name and not c.name.startswith("[") for c in dataset.columns)


def test_corpus_dataset_counts(corpus: Path) -> None:
    counts = {name: len(read(corpus_file(corpus, name))) for name in CORPUS_FILES}
    # Glossary-only and property-definition files hold no dataset with metadata of their own.
    assert counts["business-glossary-golden"] == 0
    assert counts["bootstrap_mce"] == 7
    assert counts["snowflake-golden"] == 12
    assert counts["kafka-pii-tags-golden"] == 3


def test_kafka_pii_tags(corpus: Path) -> None:
    datasets = by_urn(read(corpus_file(corpus, "kafka-pii-tags-golden")))
    topic = datasets["urn:li:dataset:(urn:li:dataPlatform:kafka,key_value_topic,PROD)"]
    assert topic.platform == "kafka"
    assert topic.tags == ["PII"]
    assert topic.domain == "sales"
    assert column(topic, "email") == (["Email"], [])
    assert column(topic, "firstName") == (["Name"], [])
    assert topic.properties["retention.ms"] == "604800000"


def test_dynamodb_phone_term(corpus: Path) -> None:
    (table,) = read(corpus_file(corpus, "dynamodb-phone-term-golden"))
    assert table.platform == "dynamodb"
    assert column(table, "contactNumbers") == ([], ["Phone_Number"])


def test_snowflake_owners_terms_and_qualified_tags(corpus: Path) -> None:
    datasets = by_urn(read(corpus_file(corpus, "snowflake-golden")))
    table = datasets[
        "urn:li:dataset:(urn:li:dataPlatform:snowflake,test_db.test_schema.table_1,PROD)"
    ]
    assert column(table, "col_2") == ([], ["Email_Address"])
    view = datasets[
        "urn:li:dataset:(urn:li:dataPlatform:snowflake,test_db.test_schema.view_1,PROD)"
    ]
    assert column(view, "col_1")[0] == ["test_db.test_schema.security:pii"]


def test_older_encoding_owners_and_editable_schema(corpus: Path) -> None:
    datasets = by_urn(read(corpus_file(corpus, "bootstrap_mce")))
    hive = datasets["urn:li:dataset:(urn:li:dataPlatform:hive,SampleHiveDataset,PROD)"]
    assert hive.owners == ["jdoe", "datahub"]
    assert hive.tags == ["Legacy"]
    hdfs = datasets["urn:li:dataset:(urn:li:dataPlatform:hdfs,SampleHdfsDataset,PROD)"]
    assert column(hdfs, "shipment_info")[0] == ["Legacy"]


def test_dbt_column_terms_and_owners(corpus: Path) -> None:
    datasets = by_urn(read(corpus_file(corpus, "dbt-column-meta-mapping-golden")))
    urn = (
        "urn:li:dataset:(urn:li:dataPlatform:dbt,pagila.public.payments_by_customer_by_month,PROD)"
    )
    tags, terms = column(datasets[urn], "customer_id")
    assert "dbt:sensitive" in tags
    assert "pii" in terms
    assert datasets["urn:li:dataset:(urn:li:dataPlatform:dbt,pagila.public.actor,PROD)"].owners == [
        "alice"
    ]


def test_csv_enricher_domain_terms_and_columns(corpus: Path) -> None:
    (hive,) = read(corpus_file(corpus, "csv-enricher-golden"))
    assert hive.glossary_terms == ["CustomerAccount"]
    assert hive.domain == "Engineering"
    assert column(hive, "field_foo") == ([], ["AccountBalance"])


def test_older_encoding_domain_gets_its_name(corpus: Path) -> None:
    (views,) = read(corpus_file(corpus, "test_domains"))
    assert views.domain == "Sales"


def test_bigquery_classifier_terms(corpus: Path) -> None:
    (table,) = read(corpus_file(corpus, "bigquery-classification-golden"))
    assert column(table, "email") == ([], ["Email_Address"])
    assert column(table, "age") == ([], ["Age"])


def test_glue_golden_tags_and_owner(corpus: Path) -> None:
    datasets = by_urn(read(corpus_file(corpus, "glue-golden")))
    table = datasets["urn:li:dataset:(urn:li:dataPlatform:glue,flights-database.avro,PROD)"]
    assert table.owners == ["owner"]
    assert table.tags == ["baz:bob", "foo:bar"]
    assert table.properties["classification"] == "avro"


def test_both_encodings_give_the_same_model(fixtures: Path) -> None:
    newer = read(fixtures / "datahub" / "catalog-newer-encoding.json")
    older = read(fixtures / "datahub" / "catalog-older-encoding.json")
    assert [d.model_dump(exclude={"location"}) for d in newer] == [
        d.model_dump(exclude={"location"}) for d in older
    ]
    orders, topic = newer
    assert orders.owners == ["sales-data", "jdoe"]
    assert column(orders, "customer_email") == (["security:pii"], ["Email_Address"])
    assert orders.domain == "Sales"  # domain name from the domainProperties in the same file
    assert orders.properties == {"data_product": "orders", "retention_days": "180"}
    # A v2 field path keeps the field name only; structured property values are unwrapped.
    assert column(topic, "email") == (["PII"], [])
    assert topic.properties["io.acryl.privacy.retentionTime"] == 7
    # Membership of a DataHub Data Product arrives as the data_product property.
    assert topic.properties["data_product"] == "orders"
    # A glossary term with a generated id is shown by its name when the file defines it.
    assert topic.glossary_terms == ["Customer_Data"]


def test_dataset_location_is_the_line_of_its_first_entry(fixtures: Path) -> None:
    path = fixtures / "datahub" / "catalog-newer-encoding.json"
    orders = read(path)[0]
    assert orders.location is not None and orders.location.line == 2
    lines = path.read_text().splitlines()
    assert lines[orders.location.line - 1].strip() == "{"


def test_patches_deletes_and_soft_deletes_apply_in_order(fixtures: Path) -> None:
    (dataset,) = read(fixtures / "datahub" / "catalog-patches.json")
    assert dataset.urn == "urn:li:dataset:(urn:li:dataPlatform:s3,patched/orders,PROD)"
    assert dataset.tags == ["pii", "gdpr"]  # legacy patch: added gdpr, removed Legacy
    assert dataset.owners == ["sales-data"]  # newer patch with arrayPrimaryKeys
    assert column(dataset, "email") == (["pii"], [])  # editable schema patch, value encoding
    assert dataset.properties == {"retention_days": "30"}
    assert dataset.glossary_terms == []  # upserted, then deleted
    # patched/retired is soft-deleted (status.removed): not in the catalog


def test_invalid_aspect_names_file_line_and_entry(fixtures: Path) -> None:
    with pytest.raises(InputError) as caught:
        read(fixtures / "datahub" / "invalid-aspect.json")
    assert caught.value.where is not None
    assert caught.value.where.line == 9
    assert caught.value.where.file is not None and caught.value.where.file.endswith(
        "invalid-aspect.json"
    )
    assert caught.value.message.startswith("DataHub metadata entry 2: invalid globalTags aspect")


def test_entry_that_is_not_metadata_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "mixed.json"
    entry = {
        "entityType": "dataset",
        "entityUrn": "urn:li:dataset:(urn:li:dataPlatform:s3,a,PROD)",
        "aspectName": "status",
        "changeType": "UPSERT",
        "aspect": {"json": {"removed": False}},
    }
    path.write_text(json.dumps([entry, {"name": "orders"}], indent=2))
    with pytest.raises(InputError, match="entry 2: not an MCE snapshot or an MCP") as caught:
        read(path)
    assert caught.value.where is not None and caught.value.where.line == 13


@pytest.mark.parametrize(
    "doc",
    [[], [{"name": "orders"}], {"format_version": "1.2"}, [1, 2], {"aspect": {}}],
    ids=["empty-list", "list-of-other-objects", "terraform-plan", "numbers", "aspect-without-name"],
)
def test_sniff_rejects_other_documents(doc: object) -> None:
    assert not datahub.sniff(doc, Path("x.json"))


def test_entry_lines_follow_the_list_layout() -> None:
    text = '[\n  {"a": 1},\n\n  {"b": [1,\n 2]}, {"c": 3}\n]'
    assert entry_lines(text) == [2, 4, 5]
    assert entry_lines('{"a": 1}') == []
