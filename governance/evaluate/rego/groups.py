"""Splitting a large pack into two interpreters per worker.

Every query on regopy pays for every rule loaded in its interpreter (~0.35 us per rule, measured
on 1.5.2: docs/policies README), not only for the rules it reaches: with the built-in pack's ~500
rules a policy that finds nothing to check still costs ~0.5 ms, ~0.3 ms of it for the other
policies' rules. Two interpreters halve that; the input is built once and set in both (~0.7 ms).
Measured on 500 generated product bundles: 23 -> 20 ms per bundle; three interpreters were
slower than two.

A policy's interpreter holds its package's modules and every package they reference (``data.x``
paths and imports, transitively). When a module's references cannot be read statically (``data``
indexed with ``[...]`` or used whole), nothing is split: a policy must never find a package it
needs missing. Modules no policy reaches still go into one of the interpreters, so that each
loaded module is compiled (and checked) as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from governance.evaluate.rego.source import RegoModule
from governance.model.policy import PolicyDefinition

MIN_POLICIES_TO_SPLIT = 8
"""Below this, the second input copy costs more than the smaller interpreters save."""
GROUPS = 2


@dataclass(frozen=True)
class Group:
    policies: tuple[int, ...]
    """Indices into the policy list."""
    modules: tuple[int, ...]
    """Indices into the module list."""


def references(module: RegoModule, packages: Sequence[str]) -> set[str] | None:
    """Packages ``module`` may read through ``data``; None when that cannot be told statically."""
    found: set[str] = set()
    for token in module.tokens:
        if token.kind != "name" or not (token.text == "data" or token.text.startswith("data.")):
            continue
        path = token.text[len("data.") :] if token.text != "data" else ""
        if not path:
            return None  # `data[...]` or `data` itself: any package
        for package in packages:
            # The package itself or a rule in it; or a prefix of packages (`data.a[x]` and
            # `data.a` read every package under a as a whole).
            if path == package or path.startswith(package + ".") or package.startswith(path + "."):
                found.add(package)
    return found


def _closures(
    modules: Sequence[RegoModule], policies: Sequence[PolicyDefinition]
) -> list[set[int]] | None:
    """Per policy, the indices of the modules its interpreter needs; None if unknowable."""
    packages = sorted({m.package for m in modules})
    by_package: dict[str, list[int]] = {}
    for index, module in enumerate(modules):
        by_package.setdefault(module.package, []).append(index)
    reads: dict[str, set[str]] = {}
    for module in modules:
        refs = references(module, packages)
        if refs is None:
            return None
        reads.setdefault(module.package, set()).update(refs)
    closures = []
    for policy in policies:
        todo, seen = [str(policy.package)], set()
        while todo:
            package = todo.pop()
            if package in seen:
                continue
            seen.add(package)
            todo.extend(reads.get(package, ()))
        closures.append({i for p in seen for i in by_package.get(p, ())})
    return closures


def split_policies(
    modules: Sequence[RegoModule], policies: Sequence[PolicyDefinition]
) -> list[Group]:
    """Two groups of policies of about equal size (in rules), or one group for a small pack."""
    everything = [Group(tuple(range(len(policies))), tuple(range(len(modules))))]
    if len(policies) < MIN_POLICIES_TO_SPLIT:
        return everything
    closures = _closures(modules, policies)
    if closures is None:
        return everything
    weight = [len(m.rules) for m in modules]
    members: list[list[int]] = [[] for _ in range(GROUPS)]
    loaded: list[set[int]] = [set() for _ in range(GROUPS)]
    # Heaviest first, each to the group it adds least to (shared modules count once).
    order = sorted(range(len(policies)), key=lambda i: -sum(weight[m] for m in closures[i]))
    for index in order:
        cost = [sum(weight[m] for m in loaded[g] | closures[index]) for g in range(GROUPS)]
        target = min(range(GROUPS), key=lambda g: (cost[g], g))
        members[target].append(index)
        loaded[target] |= closures[index]
    unreached = set(range(len(modules))) - set().union(*loaded)
    lightest = min(range(GROUPS), key=lambda g: sum(weight[m] for m in loaded[g]))
    loaded[lightest] |= unreached
    return [
        Group(tuple(sorted(members[g])), tuple(sorted(loaded[g])))
        for g in range(GROUPS)
        if members[g]
    ]
