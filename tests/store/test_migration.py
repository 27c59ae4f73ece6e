"""A version 1 history database (status VARCHAR(8), score NOT NULL) is migrated in place to
version 2 on open: the stored runs stay, and a ``not_evaluated`` product with no score fits."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, Float, MetaData, String, Table, create_engine, text, update

from governance.decide import finalise
from governance.model.result import RunResult
from governance.store import open_store
from governance.store.schema import SCHEMA_VERSION, meta, metadata
from tests.store.runs import make_run

DAY0 = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def _as_version_1(url: str) -> None:
    """Rewrite run_products the way version 1 declared it, and say version 1 in the meta table."""
    engine = create_engine(url if "://" in url else f"sqlite:///{url}")
    old = MetaData()
    v1 = Table(
        "run_products",
        old,
        Column("run_id", String(64), primary_key=True),
        Column("product", String(255), primary_key=True),
        Column("domain", String(255), index=True),
        Column("status", String(8), nullable=False),
        Column("score", Float, nullable=False),
        Column("counts", JSON, nullable=False),
    )
    with engine.begin() as conn:
        rows = conn.execute(metadata.tables["run_products"].select()).mappings().all()
        conn.execute(text("DROP TABLE run_products"))
        old.create_all(conn)
        conn.execute(v1.insert(), [dict(r) for r in rows])
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value="1"))
    engine.dispose()
    assert metadata.tables["run_products"].c.score.nullable  # version 2 as declared today


def _not_evaluated_run() -> RunResult:
    run = make_run(DAY0.replace(day=2))
    return finalise(
        run,
        {"orders": "sales", "invoices": "finance", "ledger": "finance", "leads": "marketing"},
        {"leads": "no evidence linked"},
    )


def test_a_version_1_database_is_migrated_and_keeps_its_runs(history_url: str) -> None:
    first = make_run(DAY0, {"orders": 1})
    with open_store(history_url) as store:
        store.save(first)
    _as_version_1(history_url)

    later = _not_evaluated_run()
    with open_store(history_url) as store:
        store.save(later)
        assert store.get_run(first.run.id) == first
        leads = list(store.product_trend(["leads"]))
    with create_engine(
        history_url if "://" in history_url else f"sqlite:///{history_url}"
    ).connect() as conn:
        version = conn.execute(
            text("SELECT value FROM governance_meta WHERE key = 'schema_version'")
        ).scalar_one()
    assert version == SCHEMA_VERSION == "2"
    assert [(p.status, p.score) for p in leads] == [("not_evaluated", None)]
