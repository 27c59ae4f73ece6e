"""Fault test: a writer process killed with SIGKILL in the middle of saving a large run.

The database must still open, hold exactly the complete runs written before, and accept new ones.
The test proves the kill landed mid-write: on SQLite the rollback journal of the open transaction
is still on disk after the kill; on PostgreSQL the writer's INSERT was in flight.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from governance.store import open_store, store_url
from tests.conftest import REPO
from tests.store.runs import make_run

FINDINGS = 90_000
DAY0 = datetime(2026, 3, 1, tzinfo=UTC)


def _start_writer(url: str, run_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.runs", url, str(FINDINGS), run_id],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _kill_when(writer: subprocess.Popen[str], mid_write: Callable[[], bool]) -> None:
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "writing", (
        writer.stderr.read() if writer.stderr else ""
    )
    deadline = time.monotonic() + 60
    while not mid_write():
        assert writer.poll() is None, "the writer finished before it could be killed mid-write"
        assert time.monotonic() < deadline, "the writer never started writing"
        time.sleep(0.005)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL


def _earlier_runs(url: str) -> list[str]:
    with open_store(url) as store:
        ids = []
        for day in range(2):
            run = make_run(DAY0 + timedelta(days=day), {"orders": day})
            store.save(run)
            ids.append(run.run.id)
    return ids


def _assert_only_complete_runs(url: str, earlier: list[str], killed: str) -> None:
    with open_store(url) as store:
        assert sorted(r.id for r in store.list_runs()) == sorted(earlier)
        for run_id in earlier:
            assert len(store.get_run(run_id).findings) == 12
        assert killed not in {p.run_id for p in store.product_trend()}
        store.save(make_run(DAY0 + timedelta(days=5)))  # still writable
        assert len(store.list_runs()) == 3


def test_sqlite_writer_killed_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    journal = Path(f"{path}-journal")
    earlier = _earlier_runs(str(path))
    killed = uuid.uuid4().hex

    _kill_when(_start_writer(str(path), killed), journal.exists)

    assert journal.exists(), "no hot journal: the kill did not interrupt a transaction"
    _assert_only_complete_runs(str(path), earlier, killed)
    assert not journal.exists()  # rolled back on open
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("select count(*) from evaluations").fetchone() == (36,)


@pytest.mark.postgres
def test_postgres_writer_killed_mid_write(postgres_url: str) -> None:
    from sqlalchemy import create_engine, text

    earlier = _earlier_runs(postgres_url)
    killed = uuid.uuid4().hex
    monitor = create_engine(store_url(postgres_url))

    def inserting() -> bool:
        with monitor.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND state IN ('active', 'idle in transaction') "
                        "AND query ILIKE 'INSERT INTO evaluations%'"
                    )
                ).scalar()
            )

    try:
        _kill_when(_start_writer(postgres_url, killed), inserting)
    finally:
        monitor.dispose()
    _assert_only_complete_runs(postgres_url, earlier, killed)
