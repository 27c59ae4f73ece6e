"""DataHub Lite (SQLite engine of acryl-datahub): import, sync, read back, bad databases."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from governance.collect import collect_paths, datahub
from governance.collect.base import CollectContext
from governance.collect.datahub.endpoints import Endpoint
from governance.collect.datahub.lite import import_file, read_lite
from governance.collect.datahub.sources import collect_catalog
from governance.collect.datahub.sync import sync_products
from governance.errors import CollectorError, InputError
from governance.link.catalog import match_catalog
from governance.model.evidence import CatalogDataset, Product

# DataHub Lite's own internals call deprecated SDK methods (not our calls); Python hides these
# outside tests anyway.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:datahub")


def from_file(path: Path) -> list[CatalogDataset]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return datahub.collect(path, doc, CollectContext()).catalog


def models(datasets: list[CatalogDataset]) -> dict[str, dict[str, object]]:
    return {d.urn: d.model_dump(exclude={"location"}) for d in datasets}


def aspect_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("SELECT count(*) FROM metadata_aspect_v2").fetchone()
    return int(count)


@pytest.fixture
def mesh(fixtures: Path) -> list[Product]:
    evidence = collect_paths([fixtures / "datahub" / "mesh"])
    assert not evidence.errors
    return evidence.products


@pytest.mark.parametrize("name", ["catalog-newer-encoding.json", "catalog-older-encoding.json"])
def test_import_then_read_gives_what_the_file_gives(
    fixtures: Path, tmp_path: Path, name: str
) -> None:
    source = fixtures / "datahub" / name
    db = tmp_path / "lite.db"
    report = import_file(db, source)
    assert report.skipped == {}
    from_lite = read_lite(db)
    assert models(from_lite) == models(from_file(source))
    assert all(d.location is not None and d.location.file == str(db) for d in from_lite)


def test_corpus_file_through_lite(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "datahub" / "datahub-project__datahub__kafka-pii-tags-golden.json"
    db = tmp_path / "lite.db"
    import_file(db, source)
    assert models(read_lite(db)) == models(from_file(source))


def test_lineage_patches_lite_cannot_store_are_reported(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "datahub" / "datahub-project__datahub__dbt-column-meta-mapping-golden.json"
    report = import_file(tmp_path / "lite.db", source)
    assert report.skipped == {"patch of upstreamLineage": 4}
    assert report.written == 56


def test_patches_apply_and_deletes_are_reported(fixtures: Path, tmp_path: Path) -> None:
    db = tmp_path / "lite.db"
    report = import_file(db, fixtures / "datahub" / "catalog-patches.json")
    assert report.skipped == {"delete of glossaryTerms": 1}
    (dataset,) = read_lite(db)
    assert dataset.tags == ["pii", "gdpr"]
    assert dataset.owners == ["sales-data"]
    assert dataset.properties == {"retention_days": "30"}
    # Lite has no delete: the glossary term the file deleted is still there (and reported above).
    assert dataset.glossary_terms == ["PII"]


def test_import_rejects_a_file_that_is_not_datahub_metadata(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "resource_changes": []}))
    with pytest.raises(InputError, match="not DataHub metadata"):
        import_file(tmp_path / "lite.db", path)
    assert not (tmp_path / "lite.db").exists()


def test_invalid_entry_leaves_lite_untouched(fixtures: Path, tmp_path: Path) -> None:
    db = tmp_path / "lite.db"
    with pytest.raises(InputError, match="entry 2"):
        import_file(db, fixtures / "datahub" / "invalid-aspect.json")
    assert not db.exists()


def test_sync_registers_products_and_linking_finds_them(
    mesh: list[Product], tmp_path: Path
) -> None:
    db = tmp_path / "lite.db"
    sync_products(mesh, Endpoint("lite", str(db)))
    datasets = read_lite(db)
    matched, unmatched = match_catalog(mesh, datasets)
    assert unmatched == []
    (orders,) = matched["orders"]
    assert (
        orders.urn
        == "urn:li:dataset:(urn:li:dataPlatform:s3,mesh-sales-orders-prod/trusted/orders,PROD)"
    )
    assert orders.owners == ["sales-data@example.com"]
    assert orders.tags == ["pii"]
    assert orders.domain == "sales"
    assert orders.properties["retention_days"] == "180"
    assert orders.properties["data_product"] == "orders"
    assert [(c.name, c.tags) for c in orders.columns] == [
        ("order_id", []),
        ("customer_email", ["pii"]),
        ("amount", []),
    ]
    (ledger,) = matched["ledger"]
    assert ledger.tags == [] and ledger.owners == ["finance-platform"]


def test_sync_twice_stores_no_new_versions(mesh: list[Product], tmp_path: Path) -> None:
    db = tmp_path / "lite.db"
    sync_products(mesh, Endpoint("lite", str(db)))
    rows = aspect_rows(db)
    sync_products(mesh, Endpoint("lite", str(db)))
    assert aspect_rows(db) == rows


def test_collect_catalog_records_lite_as_an_input(mesh: list[Product], tmp_path: Path) -> None:
    db = tmp_path / "lite.db"
    sync_products(mesh, Endpoint("lite", str(db)))
    evidence = collect_catalog([Endpoint("lite", str(db))], mesh)
    assert evidence.errors == []
    assert len(evidence.catalog) == 2
    (source,) = evidence.inputs
    assert source.kind == "datahub-lite" and len(source.sha256) == 64


def test_missing_lite_database_is_a_collector_error(tmp_path: Path) -> None:
    with pytest.raises(CollectorError, match="DataHub Lite database not found") as caught:
        read_lite(tmp_path / "nothing.db")
    assert "nothing.db" in str(caught.value.where)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database at all, just text" * 40, "not a database"), (None, "no such table")],
    ids=["text-file", "sqlite-without-lite-tables"],
)
def test_a_file_that_is_not_lite_is_a_collector_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    db = tmp_path / "other.db"
    if content is None:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        db.write_bytes(content)
    with pytest.raises(CollectorError, match=message):
        read_lite(db)


def test_unreadable_source_becomes_a_run_error_naming_it(tmp_path: Path) -> None:
    evidence = collect_catalog([Endpoint("lite", str(tmp_path / "missing.db"))])
    (error,) = evidence.errors
    assert error.kind == "collector"
    assert "missing.db" in str(error.where)
    assert evidence.catalog == [] and evidence.inputs == []
