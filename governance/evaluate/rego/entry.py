"""What a Rego engine loads besides the pack: the data document and the generated entry module.

The entry module (package ``governance_entry``) answers every policy for one bundle as one
document, ``data.governance_entry.results``, keyed by policy id, so that a bundle crosses into OPA
once and OPA evaluates the whole pack on it:

- ``{"applicable": false}`` where the package defines ``applicable`` and it is not ``true``
  (``deny``/``warn`` are then not evaluated: they may assume what ``applicable`` checked);
- ``{"applicable": true, "deny": [...], "warn": [...]}`` otherwise (sets come back as arrays);
- no key at all where the policy applies but its ``deny`` or ``warn`` is undefined (a complete
  rule whose body failed): the engine reports that as an error, never as a pass.

``data.governance_entry.results["<ID>"]`` evaluates one policy alone; the engine uses it to pin a
runtime error on the policy that raised it. The same module goes into OPA bundles, so an OPA
server answers exactly what the embedded engine answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from governance.evaluate.rego.source import RegoModule
from governance.model.config import GovernanceConfig
from governance.model.policy import PolicyDefinition

ENTRY_PACKAGE = "governance_entry"
RESULTS_PATH = f"{ENTRY_PACKAGE}/results"
ENTRY_FILE = "governance_entry.rego"


def policy_parameters(policy: PolicyDefinition, config: GovernanceConfig) -> dict[str, Any]:
    """``data.governance.params[<id>]``: the documented defaults, overridden by governance.yaml."""
    return {**policy.parameters, **config.parameters.get(policy.id, {})}


def data_document(policies: Sequence[PolicyDefinition], config: GovernanceConfig) -> dict[str, Any]:
    return {
        "governance": {
            "config": config.rego_data(),
            "params": {p.id: policy_parameters(p, config) for p in policies},
        }
    }


def _result(package: str, defined: set[str]) -> str:
    deny = f"data.{package}.deny" if "deny" in defined else "[]"
    warn = f"data.{package}.warn" if "warn" in defined else "[]"
    return f'{{"applicable": true, "deny": {deny}, "warn": {warn}}}'


def entry_source(policies: Sequence[PolicyDefinition], rules: Mapping[str, set[str]]) -> str:
    """The entry module for the Rego ``policies``; ``rules``: rule names defined per package."""
    lines = [f"package {ENTRY_PACKAGE}", "", "import rego.v1", ""]
    for policy in policies:
        package = str(policy.package)
        defined = rules.get(package, set())
        key = f"results[{json.dumps(policy.id)}]"
        if "applicable" in defined:
            gate = f"data.{package}.applicable == true"
            lines += [
                f'{key} := {{"applicable": false}} if not {gate}',
                "",
                f"{key} := {_result(package, defined)} if {gate}",
            ]
        else:
            lines.append(f"{key} := {_result(package, defined)}")
        lines.append("")
    return "\n".join(lines)


def package_rules(modules: Sequence[RegoModule]) -> dict[str, set[str]]:
    """Rule names defined per package, across all modules that declare the package."""
    rules: dict[str, set[str]] = {}
    for module in modules:
        rules.setdefault(module.package, set()).update(module.rules)
    return rules


def program_modules(
    modules: Sequence[RegoModule], policies: Sequence[PolicyDefinition]
) -> list[tuple[str, str]]:
    """(name, source) of everything an engine loads: the pack's modules, then the entry module.

    Names are the modules' display paths: OPA replaces a module added under a name already used,
    silently, so names must be unique (two packs may both hold ``rules/main.rego``: the CLI
    refuses duplicate display paths when loading)."""
    rego = [p for p in policies if p.engine == "rego"]
    entry = entry_source(rego, package_rules(modules))
    return [*((m.name, m.source) for m in modules), (ENTRY_FILE, entry)]
