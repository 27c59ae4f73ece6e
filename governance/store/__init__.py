"""The history database: every run, its inputs and every evaluation, for trends and audits.

``open_store(url)`` accepts a file path or ``sqlite:///...`` (SQLite, the default) or a
``postgresql://`` URL. Writes are one transaction per run: a run killed half-way leaves nothing
behind and never touches earlier runs. SQLAlchemy is imported only when a store is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import StoreError, UsageError, Where
from governance.extras import require

if TYPE_CHECKING:
    from governance.store.sql import HistoryStore

__all__ = ["StoreError", "open_store", "require_history", "store_url"]

_SCHEMES = ("sqlite", "postgresql", "postgres")


def store_url(url: str) -> str:
    """A SQLAlchemy URL for ``url``: a plain path becomes an absolute ``sqlite:///`` URL."""
    text = url.strip()
    if not text:
        raise UsageError("empty history database URL")
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        return f"sqlite:///{path}"
    scheme, _, rest = text.partition("://")
    base = scheme.split("+", 1)[0].lower()
    if base not in _SCHEMES:
        raise UsageError(
            f"unsupported history database '{scheme}://' (use a file path, sqlite:/// or "
            "postgresql://)",
            Where(source="--history"),
        )
    if base in ("postgres", "postgresql") and "+" not in scheme:
        # The driver the "history" extra installs; SQLAlchemy 2.1 would pick psycopg 3 instead.
        # "postgres" is the libpq/Heroku spelling, unknown to SQLAlchemy.
        scheme = "postgresql+psycopg2"
    elif base == "postgres":
        scheme = "postgresql" + scheme[len("postgres") :]
    return f"{scheme}://{rest}"


def open_store(url: str) -> HistoryStore:
    """Open (creating tables when new) the history database at ``url``."""
    require_history(url)
    from governance.store.sql import HistoryStore

    return HistoryStore(store_url(url))


def require_history(url: str) -> None:
    """The "history" extra, before anything is run: SQLAlchemy, and psycopg2 for PostgreSQL."""
    resolved = store_url(url)
    driver = ("psycopg2",) if resolved.startswith("postgresql+psycopg2:") else ()
    require("history", "the history database (--history)", "sqlalchemy", *driver)
