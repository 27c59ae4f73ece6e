"""The history store: runs in, runs and trends out, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from governance.cli import main
from governance.decide import finalise
from governance.errors import UsageError
from governance.model.result import ProductSummary, RunError, Verdict
from governance.run import history_trend
from governance.store import StoreError, open_store, store_url
from tests.store.runs import make_run

DAY0 = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def _three_days(url: str) -> list[str]:
    """orders fails 2 of 4 policies on day 0, 1 on day 1, none on day 2."""
    ids = []
    with open_store(url) as store:
        for day, failing in enumerate(({"orders": 2}, {"orders": 1}, {})):
            run = make_run(DAY0 + timedelta(days=day), failing)
            store.save(run)
            ids.append(run.run.id)
    return ids


def test_runs_are_listed_newest_first(history_url: str) -> None:
    ids = _three_days(history_url)

    with open_store(history_url) as store:
        rows = store.list_runs()
        assert [r.id for r in rows] == ids[::-1]
        assert [(r.verdict, r.failures, r.compliant_products) for r in rows] == [
            ("pass", 0, 3),
            ("fail", 1, 2),
            ("fail", 2, 2),
        ]
        assert rows[-1].started_at == DAY0
        assert [r.id for r in store.list_runs(limit=1)] == [ids[-1]]
        assert store.list_runs(command="scan") == []


def test_a_stored_run_reads_back_identical(history_url: str) -> None:
    run = make_run(DAY0, {"invoices": 1})
    with open_store(history_url) as store:
        store.save(run)
    with open_store(history_url) as store:
        assert store.get_run(run.run.id) == run
        with pytest.raises(StoreError, match="no run 'nope'"):
            store.get_run("nope")


def test_product_and_domain_trends(history_url: str) -> None:
    ids = _three_days(history_url)

    with open_store(history_url) as store:
        orders = store.product_trend(["orders"])
        assert [(p.run_id, p.status, p.score) for p in orders] == [
            (ids[0], "fail", 0.5),
            (ids[1], "fail", 0.75),
            (ids[2], "pass", 1.0),
        ]
        assert [p.run_id for p in store.product_trend(["orders"], last=2)] == ids[1:]
        since = store.product_trend(since=DAY0 + timedelta(days=2))
        assert {(p.run_id, p.product) for p in since} == {
            (ids[2], "orders"),
            (ids[2], "invoices"),
            (ids[2], "ledger"),
        }
        sales = store.domain_trend(["sales"])
        assert [(d.products, d.compliant, d.score) for d in sales] == [
            (1, 0, 0.5),
            (1, 0, 0.75),
            (1, 1, 1.0),
        ]
        finance = store.domain_trend(["finance"], last=1)
        assert [(d.run_id, d.products, d.compliant, d.score) for d in finance] == [
            (ids[2], 2, 2, 1.0)
        ]


def test_storing_a_run_twice_is_an_error_and_keeps_the_first(history_url: str) -> None:
    run = make_run(DAY0, {"orders": 1})
    with open_store(history_url) as store:
        store.save(run)
        with pytest.raises(StoreError, match="already stored"):
            store.save(run.model_copy(update={"findings": []}))
        assert len(store.get_run(run.run.id).findings) == len(run.findings)


def test_a_run_failing_half_way_leaves_nothing(history_url: str) -> None:
    good = make_run(DAY0)
    # Two summaries for one product violate the key after the run row is already written.
    broken = make_run(DAY0 + timedelta(days=1))
    broken.products.append(ProductSummary(id="orders", status="pass", score=1.0))
    with open_store(history_url) as store:
        store.save(good)
        with pytest.raises(StoreError, match=f"cannot save run {broken.run.id}"):
            store.save(broken)
        assert [r.id for r in store.list_runs()] == [good.run.id]
        assert len(store.product_trend()) == 3


def test_plain_path_is_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "history.db"
    path.parent.mkdir()
    with open_store(str(path)) as store:
        store.save(make_run(DAY0))
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from runs").fetchone() == (1,)
    assert store_url(str(path)) == f"sqlite:///{path}"
    assert store_url("postgres://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert store_url("postgresql://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert store_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    with pytest.raises(UsageError, match="unsupported history database 'mysql://'"):
        store_url("mysql://u@h/db")


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError, match=r"history database sqlite:///.*notes\.db: cannot open"):
        open_store(str(path))


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("update governance_meta set value = '99' where key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99"):
        open_store(str(path))


def test_unreachable_postgres_is_a_store_error_without_password() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://auditor:s3cret@127.0.0.1:1/history")
    assert "s3cret" not in str(caught.value)
    assert "127.0.0.1:1" in str(caught.value)


def _with_a_broken_night(url: str) -> tuple[list[str], str]:
    """Two good runs around one that stopped before evaluation (an unreadable plan)."""
    ids = []
    with open_store(url) as store:
        for day, failing in ((0, {"orders": 2}), (2, {})):
            run = make_run(DAY0 + timedelta(days=day), failing)
            store.save(run)
            ids.append(run.run.id)
        broken = make_run(DAY0 + timedelta(days=1))
        broken.findings = []
        broken.errors.append(RunError(kind="input", message="malformed JSON", where="plan.json:1"))
        finalise(broken, {})
        assert broken.verdict is Verdict.ERROR and broken.summary.products == 0
        store.save(broken)
    return ids, broken.run.id


def test_an_errored_run_is_listed_but_leaves_a_gap_in_every_trend(history_url: str) -> None:
    (first, last), broken = _with_a_broken_night(history_url)

    with open_store(history_url) as store:
        assert [(r.id, r.verdict) for r in store.list_runs()] == [
            (last, "pass"),
            (broken, "error"),
            (first, "fail"),
        ]
        assert {p.run_id for p in store.product_trend()} == {first, last}
        assert {d.run_id for d in store.domain_trend()} == {first, last}
        # The window still counts the broken run: the last two runs measured only one.
        assert {p.run_id for p in store.product_trend(last=2)} == {last}
        mesh = [p for p in history_trend(store) if p.domain is None]
        assert [(p.run_id, p.score) for p in mesh] == [(first, round(2 / 3, 4)), (last, 1.0)]


def test_history_command_shows_the_errored_run_and_no_trend_point_for_it(
    history_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (first, last), broken = _with_a_broken_night(history_url)

    with pytest.raises(SystemExit) as exit_:
        main(["history", "--history", history_url, "--format", "json"])
    assert exit_.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["verdict"]) for r in doc["runs"]] == [
        (last, "pass"),
        (broken, "error"),
        (first, "fail"),
    ]
    assert {d["run_id"] for d in doc["domains"]} == {first, last}

    with pytest.raises(SystemExit):
        main(["history", "--history", history_url])
    shown = capsys.readouterr().out
    runs_table, trend_table = shown.split("Compliance by domain")
    assert broken[:12] in runs_table and "error" in runs_table
    assert broken[:12] not in trend_table
