"""The history tables (SQLAlchemy Core), identical on SQLite and PostgreSQL.

``runs`` holds one row per run with its summary; ``run_products`` the per-product status and score
(the trend queries read only these two); ``evaluations`` every finding, pass records included, with
the indexed columns audits filter on plus the complete finding as JSON text; ``inputs`` the input
files and their sha256. Child rows cascade with their run.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = "2"
"""2: a product status may be ``not_evaluated`` (16 characters) and its score null (nothing
evaluated); ``HistoryStore`` migrates version 1 databases in place."""

metadata = MetaData()

meta = Table(
    "governance_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("command", String(32), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False, index=True),
    Column("finished_at", DateTime(timezone=True)),
    Column("tool_version", String(32), nullable=False),
    Column("schema_version", String(8), nullable=False),
    Column("verdict", String(8), nullable=False),
    Column("fail_on", String(16), nullable=False),
    Column("engine", String(16), nullable=False),
    Column("products", Integer, nullable=False),
    Column("domains", Integer, nullable=False),
    Column("compliant_products", Integer, nullable=False),
    # unwaived, non-baselined failures of any severity
    Column("failures", Integer, nullable=False),
    Column("error_count", Integer, nullable=False),
    Column("summary", JSON, nullable=False),
    Column("errors", JSON, nullable=False),
    Column("waivers", JSON, nullable=False),
    Column("fixed", JSON, nullable=False),
)

run_products = Table(
    "run_products",
    metadata,
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("product", String(255), primary_key=True),
    Column("domain", String(255), index=True),
    Column("status", String(16), nullable=False),
    Column("score", Float),
    Column("counts", JSON, nullable=False),
    Index("ix_run_products_product", "product"),
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("policy_id", String(64), nullable=False),
    Column("product", String(255), nullable=False),
    Column("domain", String(255)),
    Column("subject", Text),
    Column("status", String(8), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("fingerprint", String(32), nullable=False, index=True),
    Column("engine", String(16), nullable=False),
    Column("baseline", Boolean, nullable=False),
    Column("waiver_id", String(255)),
    # The complete finding as JSON text (serialised by pydantic: much faster than a JSON column).
    Column("finding", Text, nullable=False),
    Index("ix_evaluations_product_policy", "product", "policy_id"),
)

inputs = Table(
    "inputs",
    metadata,
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
)
