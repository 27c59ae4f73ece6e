"""The program a worker loads: the pack's modules, the data document and a generated entry module.

One entry point per policy (``governance_entry/p<i>``) returns ``{"applicable", "deny", "warn"}``.
Measured on regopy 1.5.2: one query per policy is about 30% faster than one query returning every
policy's result in a single object, and it attributes each runtime error to its policy for free.

``applicable``: a package that does not define it applies everywhere; a package that defines it
applies only where it evaluates to true (undefined counts as false, as for any OPA boolean rule),
and then ``deny``/``warn`` are not evaluated at all (they may assume what ``applicable`` checked).

``deny_list``/``warn_list``: a package may also define its violations as an array; the entry point
then reads the array instead of the set (``results`` drops duplicates, as the set would). Building
a set of k objects is O(k^2) on regopy (100 violations: ~65 ms, the same array: ~5 ms), so a
policy that can report one violation per resource defines ``deny_list`` and derives ``deny`` from
it (``deny contains v if some v in deny_list``), which keeps its unit tests and other engines on
the set.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from governance.evaluate.rego.groups import split_policies
from governance.evaluate.rego.process import Program
from governance.evaluate.rego.source import RegoModule
from governance.model.config import GovernanceConfig
from governance.model.policy import PolicyDefinition

ENTRY_PACKAGE = "governance_entry"
ENTRY_MODULE_NAME = "<generated governance_entry>"


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


def package_rules(modules: Sequence[RegoModule]) -> dict[str, set[str]]:
    """Rule names defined per package, across all modules that declare the package."""
    rules: dict[str, set[str]] = {}
    for module in modules:
        rules.setdefault(module.package, set()).update(module.rules)
    return rules


def entry_module(
    policies: Sequence[PolicyDefinition],
    rules: dict[str, set[str]],
    indices: Sequence[int] | None = None,
) -> str:
    """Entry point ``p<i>`` per policy (``i``: its index, or ``indices[n]`` for the n-th)."""
    lines = [f"package {ENTRY_PACKAGE}", "", "import rego.v1", ""]
    numbers = range(len(policies)) if indices is None else indices
    for index, policy in zip(numbers, policies, strict=True):
        package = str(policy.package)
        defined = rules.get(package, set())
        p = f"p{index}"
        for kind in ("deny", "warn"):
            if f"{kind}_list" in defined:
                lines += [f"default {p}_{kind} := []", f"{p}_{kind} := data.{package}.{kind}_list"]
            elif kind in defined:
                lines += [f"default {p}_{kind} := []", f"{p}_{kind} := data.{package}.{kind}"]
            else:
                lines.append(f"{p}_{kind} := []")
        result = f'{{"applicable": {p}_applicable, "deny": {p}_deny, "warn": {p}_warn}}'
        if "applicable" in defined:
            lines += [
                f"default {p}_applicable := false",
                f"{p}_applicable := data.{package}.applicable",
                f'{p} := {{"applicable": false}} if {{',
                f"\t{p}_applicable == false",
                f"}} else := {result}",
            ]
        else:
            lines += [f"{p}_applicable := true", f"{p} := {result}"]
        lines.append("")
    return "\n".join(lines)


def build_program(
    modules: Sequence[RegoModule],
    policies: Sequence[PolicyDefinition],
    config: GovernanceConfig,
) -> Program:
    """The program evaluating ``policies`` (Rego ones): entry point ``i`` is policy ``i``.

    A large pack is split into interpreters (``groups.split_policies``); each gets its own entry
    module, and the program's module list ends with them."""
    rules = package_rules(modules)
    split = split_policies(modules, policies)
    entries = [
        entry_module([policies[i] for i in group.policies], rules, group.policies)
        for group in split
    ]
    base = len(modules)
    return Program(
        modules=[(m.name, m.source) for m in modules]
        + [(ENTRY_MODULE_NAME, entry) for entry in entries],
        data_json=json.dumps(data_document(policies, config)),
        entrypoints=[f"{ENTRY_PACKAGE}/p{i}" for i in range(len(policies))],
        groups=[
            (
                [*group.modules, base + n],
                list(group.policies),
            )
            for n, group in enumerate(split)
        ],
    )
