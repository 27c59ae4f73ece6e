"""The entry module OPA evaluates: one ``results[<policy id>]`` per policy.

It extends the embedded engine's generated entry (``governance.evaluate.rego.program``), so each
policy's ``{"applicable", "deny", "warn"}`` value is computed by the same Rego on both engines.
``results`` is a partial object keyed by policy id: one query
(``/v1/data/governance_entry/results``) returns every policy for a bundle, and
``/v1/data/governance_entry/results/<ID>`` evaluates one policy alone (used to attribute a
runtime error to its policy).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from governance.evaluate.rego.program import ENTRY_PACKAGE, entry_module, package_rules
from governance.evaluate.rego.source import RegoModule
from governance.model.policy import PolicyDefinition

RESULTS_PATH = f"{ENTRY_PACKAGE}/results"


def entry_source(modules: Sequence[RegoModule], policies: Sequence[PolicyDefinition]) -> str:
    """The entry module for ``policies`` (Rego ones, in order) over the pack's ``modules``."""
    lines = [entry_module(policies, package_rules(modules)).rstrip("\n"), ""]
    for index, policy in enumerate(policies):
        lines.append(f"results[{json.dumps(policy.id)}] := p{index}")
    return "\n".join(lines) + "\n"
