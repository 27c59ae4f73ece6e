"""Stage 3, evaluate: engines that turn bundles into findings.

``get_engine(name, **opts)`` is the registry. Engines are imported only when asked for, so that
``governance inspect`` or report rendering never pays for regopy or an OPA client. This module
imports nothing heavy itself: the embedded engine's worker processes import this package on
startup, and pydantic alone would double their start time.

- ``embedded``: regopy in worker processes (``governance.evaluate.rego``); needs ``pack=``.
- ``opa``: an OPA server through opa-python-client (not yet available).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.errors import UsageError

if TYPE_CHECKING:
    from governance.evaluate.base import Engine

ENGINES = ("embedded", "opa")

__all__ = ["ENGINES", "get_engine"]


def get_engine(name: str, **opts: Any) -> Engine:
    """The engine called ``name``.

    Options: ``pack`` (PolicyPack, required by ``embedded``), ``workers`` (int), ``opa_url``
    (str, for ``opa``); options meant for another engine are ignored.
    """
    if name == "embedded":
        from governance.evaluate.rego.engine import EmbeddedEngine

        pack = opts.get("pack")
        if pack is None:
            raise UsageError("the embedded engine needs the loaded policy pack (pack=...)")
        return EmbeddedEngine(pack, workers=opts.get("workers"))
    if name == "opa":
        raise UsageError("engine 'opa' is not yet available: use --engine embedded")
    raise UsageError(f"unknown engine '{name}' (choose from {', '.join(ENGINES)})")
