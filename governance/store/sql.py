"""``HistoryStore``: write a run in one transaction; read runs back and compute trends.

Atomicity is the database's: every row of a run is written inside one transaction, so a process
killed mid-write leaves the database as it was (SQLite rolls the hot journal back on next open;
PostgreSQL aborts the transaction with the connection). Errors from the driver become
``StoreError`` naming the database (password hidden).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, create_engine, event, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from governance.model.result import Finding, RunResult, Status, Verdict
from governance.store import StoreError
from governance.store.schema import (
    SCHEMA_VERSION,
    evaluations,
    inputs,
    meta,
    metadata,
    run_products,
    runs,
)

_BATCH = 5000


@dataclass(frozen=True)
class RunRow:
    id: str
    command: str
    started_at: datetime
    finished_at: datetime | None
    verdict: str
    products: int
    compliant_products: int
    failures: int
    errors: int


@dataclass(frozen=True)
class ProductPoint:
    run_id: str
    started_at: datetime
    product: str
    domain: str | None
    status: str
    score: float | None


@dataclass(frozen=True)
class DomainPoint:
    run_id: str
    started_at: datetime
    domain: str
    products: int
    compliant: int
    score: float | None
    """Mean score of the domain's evaluated products, 0..1 (None: none was evaluated)."""


def _utc(moment: datetime | None) -> datetime | None:
    """Store and return UTC; SQLite gives naive datetimes back, which are UTC by construction."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Cascading deletes; FULL sync so a committed run survives power loss, not just a kill.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


_V1_TO_V2_POSTGRES = (
    "ALTER TABLE run_products ALTER COLUMN status TYPE VARCHAR(16)",
    "ALTER TABLE run_products ALTER COLUMN score DROP NOT NULL",
)
# SQLite cannot drop NOT NULL: rebuild the table (its indexes go with the old one).
_V1_TO_V2_SQLITE = (
    "ALTER TABLE run_products RENAME TO run_products_v1",
    "DROP INDEX IF EXISTS ix_run_products_product",
    "DROP INDEX IF EXISTS ix_run_products_domain",
)


def _migrate_v1(conn: Connection) -> None:
    """Version 1 -> 2 in the caller's transaction: longer status, nullable score."""
    if conn.dialect.name == "sqlite":
        for statement in _V1_TO_V2_SQLITE:
            conn.execute(text(statement))
        metadata.create_all(conn, tables=[run_products])
        conn.execute(text("INSERT INTO run_products SELECT * FROM run_products_v1"))
        conn.execute(text("DROP TABLE run_products_v1"))
    else:
        for statement in _V1_TO_V2_POSTGRES:
            conn.execute(text(statement))
    conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=SCHEMA_VERSION))


_MEASURED = runs.c.verdict != Verdict.ERROR.value
"""Trends leave out runs that could not be completed (verdict ``error``): they are stored and
listed with their status, but what they measured is partial (one unreadable input can stop a run
before any product is evaluated), so one broken night would read as compliance falling to zero.
The run still counts in a trend's window (``last``): the trend shows a gap, not a low point."""


class HistoryStore:
    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.url = parsed.render_as_string(hide_password=True)
        try:
            if parsed.get_backend_name() == "sqlite":
                # Wait for a concurrent writer (another scheduled run) instead of failing at once.
                self._engine: Engine = create_engine(url, connect_args={"timeout": 30})
                event.listen(self._engine, "connect", _sqlite_pragmas)
            else:
                self._engine = create_engine(url, pool_pre_ping=True)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open history database: {exc}") from exc
        with self._guard("open"):
            self._init_schema()

    # ------------------------------------------------------------------------------- plumbing

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"history database {self.url}: cannot {action}: {detail}") from exc

    def _init_schema(self) -> None:
        with self._engine.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
            found = conn.execute(
                select(meta.c.value).where(meta.c.key == "schema_version")
            ).scalar_one_or_none()
            if found is None:
                conn.execute(insert(meta).values(key="schema_version", value=SCHEMA_VERSION))
            elif found == "1":
                _migrate_v1(conn)
            elif found != SCHEMA_VERSION:
                raise StoreError(
                    f"history database {self.url} has schema version {found}; "
                    f"this version of the tool reads version {SCHEMA_VERSION}"
                )

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------- write

    def save(self, result: RunResult) -> None:
        """Record a complete run: all of it, or (on any failure or kill) nothing."""
        try:
            with self._guard("save run"), self._engine.begin() as conn:
                self._insert(conn, result)
        except IntegrityError as exc:
            if self._has_run(result.run.id):
                reason = "it is already stored"
            else:
                reason = str(exc.orig).strip().splitlines()[0]
            raise StoreError(
                f"history database {self.url}: cannot save run {result.run.id}: {reason}"
            ) from exc

    def _has_run(self, run_id: str) -> bool:
        with self._guard("read run"), self._engine.connect() as conn:
            found = conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first()
        return found is not None

    def _insert(self, conn: Connection, result: RunResult) -> None:
        run = result.run
        domains = {p.id: p.domain for p in result.products}
        failures = sum(1 for f in result.findings if f.status is Status.FAIL and not f.baseline)
        conn.execute(
            insert(runs).values(
                id=run.id,
                command=run.command,
                started_at=_utc(run.started_at),
                finished_at=_utc(run.finished_at),
                tool_version=result.tool.version,
                schema_version=result.schema_version,
                verdict=result.verdict.value,
                fail_on=run.fail_on,
                engine=run.engine,
                products=result.summary.products,
                domains=result.summary.domains,
                compliant_products=result.summary.compliant_products,
                failures=failures,
                error_count=len(result.errors),
                summary=result.summary.model_dump(mode="json"),
                errors=[e.model_dump(mode="json") for e in result.errors],
                waivers=[w.model_dump(mode="json") for w in result.waivers],
                fixed=list(result.fixed),
            )
        )
        product_rows = [
            {
                "run_id": run.id,
                "product": p.id,
                "domain": p.domain,
                "status": p.status,
                "score": p.score,
                "counts": dict(p.counts),
            }
            for p in result.products
        ]
        input_rows = [
            {"run_id": run.id, "seq": i, "path": f.path, "sha256": f.sha256, "kind": f.kind}
            for i, f in enumerate(run.inputs)
        ]
        for table, rows in ((run_products, product_rows), (inputs, input_rows)):
            if rows:
                conn.execute(insert(table), rows)
        for start in range(0, len(result.findings), _BATCH):
            batch = result.findings[start : start + _BATCH]
            conn.execute(
                insert(evaluations),
                [_evaluation_row(run.id, start + i, f, domains) for i, f in enumerate(batch)],
            )

    # ----------------------------------------------------------------------------------- read

    def list_runs(self, limit: int | None = 20, command: str | None = None) -> list[RunRow]:
        """Newest first."""
        query = select(runs).order_by(runs.c.started_at.desc(), runs.c.id)
        if command is not None:
            query = query.where(runs.c.command == command)
        if limit is not None:
            query = query.limit(limit)
        with self._guard("list runs"), self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            RunRow(
                id=r["id"],
                command=r["command"],
                started_at=_utc(r["started_at"]) or r["started_at"],
                finished_at=_utc(r["finished_at"]),
                verdict=r["verdict"],
                products=r["products"],
                compliant_products=r["compliant_products"],
                failures=r["failures"],
                errors=r["error_count"],
            )
            for r in rows
        ]

    def get_run(self, run_id: str) -> RunResult:
        """The stored run, rebuilt as the ``RunResult`` that was saved."""
        with self._guard("read run"), self._engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().one_or_none()
            if row is None:
                raise StoreError(f"history database {self.url}: no run '{run_id}'")
            products = (
                conn.execute(
                    select(run_products)
                    .where(run_products.c.run_id == run_id)
                    .order_by(run_products.c.product)
                )
                .mappings()
                .all()
            )
            files = (
                conn.execute(select(inputs).where(inputs.c.run_id == run_id).order_by(inputs.c.seq))
                .mappings()
                .all()
            )
            findings = (
                conn.execute(
                    select(evaluations.c.finding)
                    .where(evaluations.c.run_id == run_id)
                    .order_by(evaluations.c.seq)
                )
                .scalars()
                .all()
            )
        return RunResult.model_validate(
            {
                "schema_version": row["schema_version"],
                "tool": {"version": row["tool_version"]},
                "run": {
                    "id": row["id"],
                    "command": row["command"],
                    "started_at": _utc(row["started_at"]),
                    "finished_at": _utc(row["finished_at"]),
                    "inputs": [
                        {"path": f["path"], "sha256": f["sha256"], "kind": f["kind"]} for f in files
                    ],
                    "fail_on": row["fail_on"],
                    "engine": row["engine"],
                },
                "verdict": row["verdict"],
                "summary": row["summary"],
                "products": [
                    {
                        "id": p["product"],
                        "domain": p["domain"],
                        "status": p["status"],
                        "score": p["score"],
                        "counts": p["counts"],
                    }
                    for p in products
                ],
                "findings": [json.loads(text) for text in findings],
                "errors": row["errors"],
                "waivers": row["waivers"],
                "fixed": row["fixed"],
            }
        )

    def product_trend(
        self,
        products: Sequence[str] | None = None,
        *,
        last: int | None = None,
        since: datetime | None = None,
    ) -> list[ProductPoint]:
        """Status and score of each product in each run, oldest first (``last``: newest N runs).

        Runs whose verdict is ``error`` count in the window but give no point (``_MEASURED``)."""
        query = (
            select(run_products, runs.c.started_at)
            .join(runs, runs.c.id == run_products.c.run_id)
            .where(run_products.c.run_id.in_(self._run_window(last, since)))
            .where(_MEASURED)
            .order_by(runs.c.started_at, run_products.c.product)
        )
        if products:
            query = query.where(run_products.c.product.in_(list(products)))
        with self._guard("read trends"), self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            ProductPoint(
                r["run_id"],
                _utc(r["started_at"]) or r["started_at"],
                r["product"],
                r["domain"],
                r["status"],
                None if r["score"] is None else float(r["score"]),
            )
            for r in rows
        ]

    def domain_trend(
        self,
        domains: Sequence[str] | None = None,
        *,
        last: int | None = None,
        since: datetime | None = None,
    ) -> list[DomainPoint]:
        """Per run and domain: products, compliant products (pass or warn), mean score; no point
        for a run whose verdict is ``error`` (``_MEASURED``)."""
        compliant = func.sum(case((run_products.c.status.in_(["pass", "warn"]), 1), else_=0))
        query = (
            select(
                run_products.c.run_id,
                runs.c.started_at,
                run_products.c.domain,
                func.count().label("products"),
                compliant.label("compliant"),
                func.avg(run_products.c.score).label("score"),
            )
            .join(runs, runs.c.id == run_products.c.run_id)
            .where(run_products.c.domain.is_not(None))
            .where(run_products.c.run_id.in_(self._run_window(last, since)))
            .where(_MEASURED)
            .group_by(run_products.c.run_id, runs.c.started_at, run_products.c.domain)
            .order_by(runs.c.started_at, run_products.c.domain)
        )
        if domains:
            query = query.where(run_products.c.domain.in_(list(domains)))
        with self._guard("read trends"), self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            DomainPoint(
                r["run_id"],
                _utc(r["started_at"]) or r["started_at"],
                r["domain"],
                int(r["products"]),
                int(r["compliant"] or 0),
                None if r["score"] is None else round(float(r["score"]), 4),
            )
            for r in rows
        ]

    @staticmethod
    def _run_window(last: int | None, since: datetime | None) -> Any:
        window = select(runs.c.id).order_by(runs.c.started_at.desc())
        if since is not None:
            window = window.where(runs.c.started_at >= _utc(since))
        if last is not None:
            window = window.limit(last)
        return window


def _evaluation_row(
    run_id: str, seq: int, finding: Finding, domains: dict[str, str | None]
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "seq": seq,
        "policy_id": finding.policy_id,
        "product": finding.product,
        "domain": finding.domain if finding.domain is not None else domains.get(finding.product),
        "subject": finding.subject,
        "status": finding.status.value,
        "severity": finding.severity.value,
        "fingerprint": finding.fingerprint,
        "engine": finding.engine,
        "baseline": finding.baseline,
        "waiver_id": finding.waiver.id if finding.waiver else None,
        "finding": finding.model_dump_json(),
    }
