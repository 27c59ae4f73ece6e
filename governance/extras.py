"""The optional features and the extras that install them (pyproject ``optional-dependencies``).

Each feature calls ``require`` before its first heavy import, so that a plain ``pip install``
meets one line naming the extra to install (exit 2) instead of a ``ModuleNotFoundError``
traceback, which exits 1 and reads as "blocking findings" to a CI step or pre-commit hook.
``require`` only asks the import system whether the modules are there (``find_spec``): it imports
nothing, so the heavy libraries stay lazy.
"""

from __future__ import annotations

import importlib.util

from governance.errors import MissingExtraError

DISTRIBUTION = "datamesh-governance"

EXTRAS: dict[str, tuple[str, ...]] = {
    "opa": ("opa_client",),
    "aws": ("boto3", "botocore"),
    "gx": ("great_expectations", "pandas", "pyarrow"),
    "checkov": ("checkov",),
    "datahub": ("datahub",),
    "history": ("sqlalchemy", "psycopg2"),
}
"""Extra -> the top-level modules it provides (keep in step with pyproject.toml)."""


def install_command(extra: str) -> str:
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def missing(extra: str, modules: tuple[str, ...] = ()) -> list[str]:
    """The modules of ``extra`` (or the given subset of them) that cannot be imported."""
    wanted = modules or EXTRAS[extra]
    return [name for name in wanted if importlib.util.find_spec(name) is None]


def require(extra: str, feature: str, *modules: str) -> None:
    """Raise ``MissingExtraError`` when ``feature`` cannot run for lack of ``extra``.

    ``modules`` narrows the check to what the feature imports (a SQLite history needs no
    PostgreSQL driver); by default every module of the extra is needed.
    """
    absent = missing(extra, modules)
    if absent:
        raise MissingExtraError(
            f"{feature}: needs the '{extra}' extra ({', '.join(absent)} not installed): "
            f"{install_command(extra)}"
        )
