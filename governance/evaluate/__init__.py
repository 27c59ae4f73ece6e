"""Stage 3, evaluate: engines that turn bundles into findings.

``get_engine(name, **opts)`` is the registry. Engines are imported only when asked for, so that
``governance inspect`` or report rendering never pays for the OPA library or an OPA client.

- ``embedded``: real OPA embedded in process (``governance.evaluate.rego``); needs ``pack=``.
- ``opa``: an OPA server through opa-python-client (``governance.evaluate.opa``); needs ``pack=``
  and ``opa_url=``; ``opa_preloaded=True`` uses a bundle already loaded on the server.
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

    Options: ``pack`` (PolicyPack, required by both), ``workers`` (int: embedded engines
    evaluating at once), ``opa_url`` (str) and
    ``opa_preloaded`` (bool) for ``opa``; options meant for another engine are ignored.
    """
    if name == "embedded":
        from governance.evaluate.rego.engine import EmbeddedEngine

        pack = opts.get("pack")
        if pack is None:
            raise UsageError("the embedded engine needs the loaded policy pack (pack=...)")
        return EmbeddedEngine(pack, workers=opts.get("workers"))
    if name == "opa":
        from governance.extras import require

        require("opa", "--engine opa")
        from governance.evaluate.opa.engine import OpaEngine

        pack, url = opts.get("pack"), opts.get("opa_url")
        if pack is None:
            raise UsageError("the opa engine needs the loaded policy pack (pack=...)")
        if not url:
            raise UsageError("--engine opa needs --opa-url (e.g. http://127.0.0.1:8181)")
        return OpaEngine(pack, str(url), preloaded=bool(opts.get("opa_preloaded", False)))
    raise UsageError(f"unknown engine '{name}' (choose from {', '.join(ENGINES)})")
