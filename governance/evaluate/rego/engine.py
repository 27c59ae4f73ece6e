"""The embedded engine: the pack evaluated by real OPA in this process (the default engine)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from governance.evaluate.base import Evaluation
from governance.evaluate.rego import evaluator
from governance.evaluate.rego.embedded import EmbeddedBackend, Program
from governance.evaluate.rego.entry import data_document, program_modules
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.policy import PolicyDefinition

if TYPE_CHECKING:
    from governance.evaluate.pack import PolicyPack

DEFAULT_ENGINES = 2
"""Engines (threads) per run: 2.2x on 2 cores (benchmarks/README.md); more only cost memory."""


def program(
    pack: PolicyPack, policies: Sequence[PolicyDefinition], config: GovernanceConfig
) -> Program:
    rego = [p for p in policies if p.engine == "rego"]
    return Program(program_modules(pack.modules, rego), data_document(rego, config))


def program_key(program: Program) -> str:
    """Identifies what an engine was loaded with, to reuse the one the pack check compiled."""
    return json.dumps([program.modules, program.data], sort_keys=True)


class EmbeddedEngine:
    """``Engine`` over the embedded OPA library. Needs the loaded pack for its Rego modules."""

    name = "embedded"

    def __init__(self, pack: PolicyPack, *, workers: int | None = None) -> None:
        self.pack = pack
        self.workers = workers

    def evaluate(
        self,
        bundles: Sequence[Bundle],
        policies: Sequence[PolicyDefinition],
        config: GovernanceConfig,
    ) -> Evaluation:
        rego = [p for p in policies if p.engine == "rego"]
        if not rego or not bundles:
            return Evaluation()
        loaded = program(self.pack, rego, config)
        engines = self.workers or config.engine.workers or min(DEFAULT_ENGINES, os.cpu_count() or 1)
        backend = EmbeddedBackend(
            loaded, engines=min(engines, len(bundles)), timeout=config.engine.timeout_seconds
        )
        compiled = self.pack.take_compiled(program_key(loaded))
        if compiled is not None:
            backend.add(compiled)
        return evaluator.evaluate(backend, bundles, rego, config)
