"""The checkov engine: checkov's Terraform checks and the guild's custom checks in the verdict.

Importing this package imports neither checkov nor the engine's modules: ``CheckovConfig`` lives
in ``governance.evaluate.checkov.config`` (pydantic only), so the configuration model can mount it
without an import cycle, and ``run_checkov`` imports checkov on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.evaluate.checkov.config import CheckovConfig
    from governance.evaluate.checkov.findings import NOT_RUN_POLICY, owner_key
    from governance.evaluate.checkov.runner import (
        builtin_checks_dir,
        builtin_severity_file,
        run_checkov,
    )

_EXPORTS = {
    "CheckovConfig": "governance.evaluate.checkov.config",
    "NOT_RUN_POLICY": "governance.evaluate.checkov.findings",
    "owner_key": "governance.evaluate.checkov.findings",
    "builtin_checks_dir": "governance.evaluate.checkov.runner",
    "builtin_severity_file": "governance.evaluate.checkov.runner",
    "run_checkov": "governance.evaluate.checkov.runner",
}

__all__ = [
    "NOT_RUN_POLICY",
    "CheckovConfig",
    "builtin_checks_dir",
    "builtin_severity_file",
    "owner_key",
    "run_checkov",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
