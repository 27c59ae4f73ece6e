"""``--engine opa``: bundles evaluated by an OPA server, findings identical to the embedded engine.

Per run: push the pack's modules and the generated entry module under policy ids
``governance/<digest>/...`` (replacing any other ``governance/...`` policy: the server serves one
pack at a time), write ``data.governance.config`` and ``.params``; or, with ``preloaded``, use what
a bundle from ``governance bundle build`` already put there. Per bundle (unowned ones in the same
chunks as the embedded engine): one ``POST /v1/data/governance_entry/results`` answering every
policy; when it fails, each applicable policy is queried alone so the error is pinned on the
policy that caused it. Results go through the embedded engine's normalisation and assembly, so
both engines produce the same findings.

Fail closed: an unreachable server, a rejected module, a timeout or an undefined result is an
``error`` finding (plus a RunError) naming the URL and the policy; after a transport failure the
remaining evaluations are not attempted (each would wait for the timeout) and are errors too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from governance.errors import EngineError
from governance.evaluate.base import Evaluation
from governance.evaluate.opa.entry import RESULTS_PATH, entry_source
from governance.evaluate.opa.transport import NAMESPACE, OpaTransport, QueryError

# Shared with the embedded engine on purpose: same chunking, same assembly -> same findings.
# (Requested upstream: make these public in governance.evaluate.rego.engine.)
from governance.evaluate.rego.engine import _assemble, _Cell, _Part, _split, applies
from governance.evaluate.rego.inputs import bundle_input
from governance.evaluate.rego.program import data_document
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.policy import PolicyDefinition

if TYPE_CHECKING:
    from governance.evaluate.pack import PolicyPack


def pushed_modules(pack: PolicyPack, policies: Sequence[PolicyDefinition]) -> list[tuple[str, str]]:
    """(policy id on the server, source): the pack's modules and the entry module."""
    entry = entry_source(pack.modules, policies)
    sources = [(m.name, m.source) for m in pack.modules] + [("governance_entry.rego", entry)]
    digest = hashlib.sha256()
    for name, source in sources:
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    namespace = f"{NAMESPACE}/{digest.hexdigest()[:12]}"
    return [
        (f"{namespace}/{index:03d}/{name.lstrip('/').replace('..', '_')}", source)
        for index, (name, source) in enumerate(sources)
    ]


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
            return self._evaluate(transport, bundles, rego, config)
        finally:
            transport.close()

    def _evaluate(
        self,
        transport: OpaTransport,
        bundles: Sequence[Bundle],
        rego: list[PolicyDefinition],
        config: GovernanceConfig,
    ) -> Evaluation:
        include_raw = any(p.needs_raw for p in rego)
        cells: dict[tuple[int, int], _Cell] = {}
        broken: str | None = None
        for index, bundle in enumerate(bundles):
            entries = [i for i, p in enumerate(rego) if applies(p, bundle, config)]
            if not entries:
                continue
            for part in _split(index, bundle, max(1, config.engine.chunk_size)):
                if broken is not None:
                    for entry in entries:
                        cell = cells.setdefault((index, entry), _Cell())
                        cell.errors.append(f"not evaluated: {broken} (evaluating {part.label})")
                    continue
                try:
                    self._part(transport, part, rego, entries, include_raw, cells)
                except EngineError as exc:
                    broken = exc.message
                    for entry in entries:
                        cell = cells.setdefault((index, entry), _Cell())
                        cell.errors.append(f"{exc.message} (evaluating {part.label})")
        return _assemble(bundles, rego, cells)

    def _part(
        self,
        transport: OpaTransport,
        part: _Part,
        rego: list[PolicyDefinition],
        entries: list[int],
        include_raw: bool,
        cells: dict[tuple[int, int], _Cell],
    ) -> None:
        """One input: a transport failure propagates (EngineError), the rest is recorded."""
        # The same document the embedded engine builds (derived fields included).
        document = bundle_input(part.chunk, include_raw=include_raw)
        try:
            defined, value = transport.query(RESULTS_PATH, document)
        except QueryError:
            # Some policy failed at runtime: ask each alone to pin the error on the right one.
            for entry in entries:
                cell = cells.setdefault((part.bundle, entry), _Cell())
                try:
                    one = transport.query(f"{RESULTS_PATH}/{rego[entry].id}", document)
                except QueryError as exc:
                    cell.errors.append(f"{exc.message} (evaluating {part.label})")
                    continue
                self._record(cell, part, rego[entry], one)
            return
        if not defined or not isinstance(value, dict):
            raise EngineError(
                f"OPA server {transport.url}: data.{RESULTS_PATH.replace('/', '.')} is "
                "undefined: the governance entry module is not loaded (with --opa-preloaded, "
                "load the bundle from `governance bundle build`)"
            )
        for entry in entries:
            policy = rego[entry]
            cell = cells.setdefault((part.bundle, entry), _Cell())
            self._record(cell, part, policy, (policy.id in value, value.get(policy.id)))

    @staticmethod
    def _record(
        cell: _Cell, part: _Part, policy: PolicyDefinition, answer: tuple[bool, Any]
    ) -> None:
        defined, value = answer
        if not defined:
            cell.errors.append(
                f"policy {policy.id} is not in the OPA server's governance_entry (a bundle built "
                f"from another pack?) (evaluating {part.label})"
            )
            return
        cell.record(json.dumps({"expressions": [value]}), part)
