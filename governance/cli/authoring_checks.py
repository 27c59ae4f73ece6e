"""What ``governance lint`` and ``governance test`` check beyond the engine's own loaders.

``lint_paths``: every file is checked on its own so that one run lists every problem (the pack
loader stops at the first): policy definitions, Rego (each module compiled by OPA), waivers,
governance.yaml, and evidence inputs through the collect registry. A pack directory
(``policies/`` + ``rules_rego/``) whose files are each fine is then loaded whole: cross-file
checks (ids, packages) and compilation on OPA (unsafe variables, type errors, conflicts).

``coverage_problems``: the guild's rule that every Rego policy is implemented and tested both
ways. A test module tests package ``P`` when its package is ``P_test`` or it imports ``data.P``.
Each policy needs, among the *passing* tests of its package, one whose name says it fires (a
``_``-separated word in FIRE_WORDS: ``test_unencrypted_bucket_fails``) and one that does not
(the compliant case: ``test_kms_bucket_passes``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from governance.collect.files import display_path, load_yaml
from governance.errors import GovernanceError
from governance.evaluate.rego.source import RegoModule
from governance.evaluate.rego.testing import RegoTestResult
from governance.model.config import GovernanceConfig
from governance.model.policy import PolicyDefinition

FIRE_WORDS = frozenset(
    {
        "fail",
        "fails",
        "failing",
        "fires",
        "fire",
        "denies",
        "denied",
        "warns",
        "rejects",
        "rejected",
        "violation",
        "violations",
        "flags",
        "flagged",
    }
)
_WAIVER_NAME = re.compile(r"^waivers?([._-].*)?\.ya?ml$", re.IGNORECASE)
_CONFIG_NAMES = frozenset({"governance.yaml", "governance.yml"})

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    where: str
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


def _problem(exc: GovernanceError, fallback: str) -> Problem:
    return Problem(str(exc.where) if exc.where else fallback, "error", exc.message)


# ------------------------------------------------------------------------------ coverage


def fires(test_rule: str) -> bool:
    return bool(FIRE_WORDS & set(test_rule.removeprefix("test_").split("_")))


def tested_packages(module: RegoModule) -> set[str]:
    packages = {module.package.removesuffix("_test")} if module.package.endswith("_test") else set()
    tokens = module.tokens
    for index, token in enumerate(tokens[:-1]):
        nxt = tokens[index + 1]
        if token.text == "import" and token.first_on_line and nxt.text.startswith("data."):
            packages.add(nxt.text.removeprefix("data."))
    return packages


def coverage_problems(
    policies: Sequence[PolicyDefinition],
    test_modules: Sequence[RegoModule],
    results: Sequence[RegoTestResult],
) -> list[Problem]:
    """One problem per Rego policy lacking a passing fires-test or a passing compliant test."""
    passed = {r.name for r in results if r.status == "pass"}
    by_package: dict[str, list[str]] = {}
    for module in test_modules:
        for rule in module.rules:
            if rule.startswith("test_") and f"data.{module.package}.{rule}" in passed:
                for package in tested_packages(module):
                    by_package.setdefault(package, []).append(rule)
    problems = []
    for policy in policies:
        if policy.engine != "rego":
            continue
        where = f"{policy.source_file}:{policy.source_line}" if policy.source_file else policy.id
        rules = by_package.get(str(policy.package), [])
        missing = []
        if not any(fires(r) for r in rules):
            missing.append("a passing test that shows it fires (name with _fails/_denies/...)")
        if not any(not fires(r) for r in rules):
            missing.append("a passing test of the compliant case (e.g. test_..._passes)")
        if missing:
            problems.append(
                Problem(
                    where,
                    "error",
                    f"policy {policy.id} (package {policy.package}) lacks " + " and ".join(missing),
                )
            )
    return problems


# ---------------------------------------------------------------------------------- lint


def _policy_like(doc: Any) -> bool:
    def one(node: Any) -> bool:
        return isinstance(node, dict) and "id" in node and "severity" in node

    if isinstance(doc, dict) and set(doc) == {"policies"}:
        return True
    return one(doc) or (isinstance(doc, list) and bool(doc) and all(one(n) for n in doc))


def _lint_rego(path: Path) -> Iterator[Problem]:
    from governance.evaluate.pack import load_modules
    from governance.evaluate.rego.embedded import module_errors

    try:
        (module,) = load_modules([path])
        errors = module_errors(module.name, module.source)
    except GovernanceError as exc:
        yield _problem(exc, display_path(path))
        return
    for error in errors:
        yield _problem(error, module.name)
    for token in _io_calls(module):
        yield Problem(
            str(module.where(token.line, token.col)),
            "warning",
            f"{token.text}(): a policy must not do I/O (its verdict would not follow from the "
            "evidence); collect the data as evidence instead",
        )


IO_BUILTINS = frozenset({"http.send", "net.lookup_ip_addr"})
"""OPA builtins that reach the network: valid Rego, but a verdict must follow from evidence."""


def _io_calls(module: RegoModule) -> Iterator[Any]:
    tokens = module.tokens
    for token, nxt in itertools.pairwise(tokens):
        if token.kind == "name" and token.text in IO_BUILTINS and nxt.text == "(":
            yield token


def _lint_yaml(path: Path, *, definitions: bool) -> Iterator[Problem]:
    from governance.collect import collect_paths
    from governance.config import load_config
    from governance.decide.waivers import load_waivers
    from governance.evaluate.pack import load_definitions

    shown = display_path(path)
    try:
        if _WAIVER_NAME.match(path.name):
            load_waivers(path)
            return
        if path.name in _CONFIG_NAMES:
            load_config(path)
            return
        if path.suffix in (".yaml", ".yml") and (definitions or _policy_like(load_yaml(path))):
            load_definitions(path)
            return
    except GovernanceError as exc:
        yield _problem(exc, shown)
        return
    for error in collect_paths([path]).errors:
        yield Problem(error.where or shown, "error", error.message)


def _pack_problems(directory: Path, config: GovernanceConfig) -> Iterator[Problem]:
    from governance.evaluate.pack import discover, load_pack

    yaml_files, rego_files = discover(directory)
    problems = [p for path in yaml_files for p in _lint_yaml(path, definitions=True)]
    problems += [p for path in rego_files for p in _lint_rego(path)]
    yield from problems
    if problems:
        return  # the whole-pack load would stop at the first of them again
    try:
        load_pack([directory], config, compile_check=True)
    except GovernanceError as exc:
        yield _problem(exc, display_path(directory))


def lint_paths(paths: Sequence[Path], config: GovernanceConfig) -> list[Problem]:
    """Every problem under ``paths`` (files or directories), in path order."""
    from governance.collect import iter_input_files

    problems: list[Problem] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(str(path), "error", "no such file or directory"))
        elif path.is_dir() and ((path / "policies").is_dir() or (path / "rules_rego").is_dir()):
            problems.extend(_pack_problems(path, config))
        elif path.is_dir():
            for rego in sorted(path.rglob("*.rego")):
                problems.extend(_lint_rego(rego))
            special = sorted(
                p for p in path.rglob("*") if _WAIVER_NAME.match(p.name) or p.name in _CONFIG_NAMES
            )
            for child in [*special, *iter_input_files([path])]:
                problems.extend(_lint_yaml(child, definitions=False))
        elif path.suffix == ".rego":
            problems.extend(_lint_rego(path))
        else:
            problems.extend(_lint_yaml(path, definitions=False))
    return problems
