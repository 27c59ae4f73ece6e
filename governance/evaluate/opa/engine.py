"""The OPA server engine: the same pack and the same findings as the embedded engine, over REST.

The pack's modules and the generated entry module are pushed under a namespace named by their
content digest (unless ``preloaded``: a bundle from ``governance bundle build`` is already loaded),
``data.governance`` is written, and each bundle is one ``POST /v1/data/governance_entry/results``.
Everything else, from applicability to findings and fail-closed errors, is the shared evaluator's
(``governance.evaluate.rego.evaluator``): both engines decide alike by construction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from governance.evaluate.base import Evaluation
from governance.evaluate.opa.transport import NAMESPACE, OpaTransport
from governance.evaluate.rego import evaluator
from governance.evaluate.rego.entry import RESULTS_PATH, data_document, program_modules
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.policy import PolicyDefinition

if TYPE_CHECKING:
    from governance.evaluate.pack import PolicyPack


def pushed_modules(pack: PolicyPack, policies: Sequence[PolicyDefinition]) -> list[tuple[str, str]]:
    """(policy id on the server, source): the pack's modules and the entry module."""
    sources = program_modules(pack.modules, policies)
    digest = hashlib.sha256()
    for name, source in sources:
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    namespace = f"{NAMESPACE}/{digest.hexdigest()[:12]}"
    return [
        (f"{namespace}/{index:03d}/{name.lstrip('/').replace('..', '_')}", source)
        for index, (name, source) in enumerate(sources)
    ]


class _ServerBackend:
    """``Backend`` over one OPA server; one request at a time (the server parallelises)."""

    concurrency = 1

    def __init__(self, transport: OpaTransport) -> None:
        self.transport = transport

    def stage(self, documents: list[dict[str, Any]]) -> None:
        """Nothing to preload: each request carries its input."""

    def close(self) -> None:
        """The transport is closed by the engine."""

    def results(self, document: dict[str, Any]) -> Any:
        defined, value = self.transport.query(RESULTS_PATH, document)
        return value if defined else None

    def result(self, policy_id: str, document: dict[str, Any]) -> tuple[bool, Any]:
        return self.transport.query(f"{RESULTS_PATH}/{policy_id}", document)


class OpaEngine:
    """``Engine`` over an OPA server's REST API."""

    name = "opa"

    def __init__(
        self,
        pack: PolicyPack,
        url: str,
        *,
        preloaded: bool = False,
        token: str | None = None,
    ) -> None:
        self.pack = pack
        self.url = url
        self.preloaded = preloaded
        self.token = token

    def evaluate(
        self,
        bundles: Sequence[Bundle],
        policies: Sequence[PolicyDefinition],
        config: GovernanceConfig,
    ) -> Evaluation:
        rego = [p for p in policies if p.engine == "rego"]
        if not rego or not bundles:
            return Evaluation()
        transport = OpaTransport(self.url, timeout=config.engine.timeout_seconds, token=self.token)
        try:
            if not self.preloaded:
                data = data_document(rego, config)["governance"]
                transport.push(pushed_modules(self.pack, rego), data)
            return evaluator.evaluate(_ServerBackend(transport), bundles, rego, config)
        finally:
            transport.close()
