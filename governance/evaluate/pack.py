"""Loading policy packs: definitions (YAML) plus the Rego that implements them, validated up front.

A pack directory has one of two layouts, detected per directory:

- **pack layout**: ``policies/**/*.yaml`` (definitions) and ``rules_rego/**/*.rego`` (Rego), as
  the built-in pack at the repository root and in the wheel (``governance/_pack``);
- **flat layout** (any directory without those two sub-folders, e.g. ``--policies my-rules/``):
  every ``*.yaml``/``*.yml`` below it is a definition file and every ``*.rego`` a module.

A definition file holds one policy (a mapping), a list of them, or ``{policies: [...]}``.
Configuration of other engines kept beside the policies is skipped: ``policies/checkov/`` and any
document whose top-level key is ``checkov_severity``.
Directories are merged in order (built-in first). Ids must be unique across all of them: a later
directory cannot silently replace a built-in policy; disable it (``disabled_policies``) and give
yours another id. ``*_test.rego`` files are Rego unit tests: kept for ``governance test``, never
loaded for evaluation.

Everything is checked before any evidence is evaluated, each problem as one ``PolicyError`` naming
file:line:col: YAML shape and fields, unique ids, known severities, the package of every Rego
policy exists and defines ``deny`` or ``warn``, no module takes a package the engine reserves,
and finally that the modules compile on OPA (its own errors, with file:line). The engine compiled
by that check is kept for the run's evaluation, so a run compiles the pack once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from governance.collect.files import (
    display_path,
    key_location,
    load_yaml,
    plain,
    read_text,
    validation_where,
)
from governance.errors import ConfigError, InputError, PolicyError, Where
from governance.evaluate.bundle import resolve_pack_dir
from governance.evaluate.rego.source import PACKAGE_NAME, RegoModule, parse_module
from governance.model.config import GovernanceConfig
from governance.model.policy import PolicyDefinition

_YAML_SUFFIXES = (".yaml", ".yml")
_NOT_POLICIES = frozenset({"checkov_severity"})
"""Top-level keys of YAML documents that live beside policies but configure other engines."""
_SKIPPED_DIRS = frozenset({"checkov"})
"""Folders of ``policies/`` holding other engines' configuration (checkov severities)."""


@dataclass
class PolicyPack:
    policies: list[PolicyDefinition]
    """Enabled policies, in load order (all engines)."""
    modules: list[RegoModule]
    """Rego modules loaded for evaluation (``*_test.rego`` excluded)."""
    test_modules: list[RegoModule] = field(default_factory=list)
    disabled: list[PolicyDefinition] = field(default_factory=list)
    dirs: list[Path] = field(default_factory=list)
    _compiled: tuple[str, Any] | None = field(default=None, repr=False)
    """(program key, OPA engine) left by the compile check, for the run to reuse once."""

    def take_compiled(self, key: str) -> Any:
        """The engine the compile check loaded, if it was loaded with exactly ``key``."""
        compiled, self._compiled = self._compiled, None
        if compiled is not None and compiled[0] == key:
            return compiled[1]
        return None

    @property
    def rego_policies(self) -> list[PolicyDefinition]:
        return [p for p in self.policies if p.engine == "rego"]

    def policy(self, policy_id: str) -> PolicyDefinition:
        for policy in self.policies:
            if policy.id == policy_id:
                return policy
        raise KeyError(policy_id)


def builtin_pack_dirs() -> list[Path]:
    """The built-in pack: the wheel's copy (``governance/_pack``) if present, else the repo root."""
    package_dir = Path(__file__).resolve().parents[1]
    for root in (package_dir / "_pack", package_dir.parent):
        if (root / "policies").is_dir() or (root / "rules_rego").is_dir():
            return [root]
    return []


def _visible(paths: Iterator[Path], base: Path) -> list[Path]:
    """Sorted files, skipping hidden files and folders (``.git``, editor swap files)."""
    return sorted(
        p
        for p in paths
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts)
    )


def discover(directory: Path) -> tuple[list[Path], list[Path]]:
    """Definition files and Rego files of one pack directory (either layout)."""
    if not directory.is_dir():
        raise PolicyError("policy directory not found", Where(display_path(directory)))
    policies_dir, rego_dir = directory / "policies", directory / "rules_rego"
    if policies_dir.is_dir() or rego_dir.is_dir():
        yaml_files = [
            p
            for p in (_visible(policies_dir.rglob("*"), directory) if policies_dir.is_dir() else [])
            if not _SKIPPED_DIRS & set(p.relative_to(policies_dir).parts[:-1])
        ]
        rego_files = _visible(rego_dir.rglob("*.rego"), directory) if rego_dir.is_dir() else []
    else:
        yaml_files = _visible(directory.rglob("*"), directory)
        rego_files = [p for p in yaml_files if p.suffix == ".rego"]
    yaml_files = [p for p in yaml_files if p.suffix in _YAML_SUFFIXES]
    return yaml_files, rego_files


def _policy_nodes(doc: Any, shown: str) -> list[tuple[Any, Where]]:
    """The policy mappings of one YAML document, each with its position."""
    if isinstance(doc, dict) and _NOT_POLICIES & set(doc):
        return []
    if isinstance(doc, dict) and set(doc) == {"policies"}:
        doc = doc["policies"]
    if isinstance(doc, dict):
        loc = key_location(shown, doc)
        return [(doc, Where(shown, loc.line, loc.column))]
    if isinstance(doc, list):
        nodes = []
        for index, item in enumerate(doc):
            loc = key_location(shown, doc, index)
            if not isinstance(item, dict):
                raise PolicyError(
                    "each list item must be a policy definition (a mapping)",
                    Where(shown, loc.line, loc.column),
                )
            nodes.append((item, Where(shown, loc.line, loc.column)))
        return nodes
    raise PolicyError(
        "a policy file must hold a policy (mapping) or a list of policies", Where(shown, 1, 1)
    )


def load_definitions(path: Path) -> list[tuple[PolicyDefinition, Where]]:
    """The policies of one file, each with the position of its ``package`` key (or itself)."""
    shown = display_path(path)
    try:
        doc = load_yaml(path)
    except InputError as exc:
        raise PolicyError(exc.message, exc.where) from exc
    if doc is None:
        raise PolicyError("empty policy file", Where(shown, 1, 1))
    policies = []
    for node, where in _policy_nodes(doc, shown):
        try:
            policy = PolicyDefinition.model_validate(plain(node))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = validation_where(shown, node, tuple(first["loc"]))
            name = ".".join(str(p) for p in first["loc"]) or "policy"
            raise PolicyError(
                f"{name}: {first['msg']}", Where(shown, loc.line, loc.column)
            ) from exc
        policy.source_file, policy.source_line = shown, where.line
        if policy.engine == "rego":
            _check_package_field(policy, node, shown)
        if "package" in node:
            at = key_location(shown, node, "package")
            policies.append((policy, Where(shown, at.line, at.column)))
        else:
            policies.append((policy, where))
    return policies


def _check_package_field(policy: PolicyDefinition, node: Any, shown: str) -> None:
    loc = key_location(shown, node, "package" if "package" in node else None)
    where = Where(shown, loc.line, loc.column)
    if policy.package is None:
        raise PolicyError(
            f"policy {policy.id}: a rego policy needs 'package' (the Rego package "
            "that implements it)",
            where,
        )
    if not PACKAGE_NAME.match(policy.package):
        raise PolicyError(
            f"policy {policy.id}: package must be a dotted name like "
            f"governance.pii.encrypted, got '{policy.package}'",
            where,
        )


def load_modules(paths: Sequence[Path]) -> list[RegoModule]:
    modules = []
    for path in paths:
        shown = display_path(path)
        try:
            source = read_text(path)
        except InputError as exc:
            raise PolicyError(exc.message, exc.where) from exc
        modules.append(parse_module(path, shown, source))
    return modules


def _check_ids(policies: list[PolicyDefinition]) -> None:
    seen: dict[str, PolicyDefinition] = {}
    for policy in policies:
        first = seen.setdefault(policy.id, policy)
        if first is not policy:
            raise PolicyError(
                f"duplicate policy id '{policy.id}' (first defined at {first.source_file}:"
                f"{first.source_line}); to replace a policy, disable it in governance.yaml "
                "(disabled_policies) and give yours another id",
                Where(policy.source_file, policy.source_line),
            )


def _check_packages(
    policies: list[PolicyDefinition], modules: list[RegoModule], package_where: dict[str, Where]
) -> None:
    rules: dict[str, set[str]] = {}
    for module in modules:
        rules.setdefault(module.package, set()).update(module.rules)
    for policy in policies:
        if policy.engine != "rego":
            continue
        defined = rules.get(str(policy.package))
        where = package_where.get(policy.id, Where(policy.source_file, policy.source_line))
        if defined is None:
            raise PolicyError(
                f"policy {policy.id}: Rego package '{policy.package}' not found in "
                "any loaded module",
                where,
            )
        if not defined & {"deny", "warn"}:
            raise PolicyError(
                f"policy {policy.id}: package '{policy.package}' defines neither 'deny' nor 'warn'",
                where,
            )


def _apply_config(
    policies: list[PolicyDefinition], config: GovernanceConfig
) -> tuple[list[PolicyDefinition], list[PolicyDefinition]]:
    """Disable policies and check overrides: a misspelt id or parameter must not pass unnoticed."""
    known = {p.id: p for p in policies}
    for policy_id in config.disabled_policies:
        if policy_id not in known:
            raise ConfigError(
                f"disabled_policies: unknown policy id '{policy_id}'",
                Where(source="governance.yaml"),
            )
    for policy_id, overrides in config.parameters.items():
        policy = known.get(policy_id)
        if policy is None:
            raise ConfigError(
                f"parameters: unknown policy id '{policy_id}'", Where(source="governance.yaml")
            )
        unknown = sorted(set(overrides) - set(policy.parameters))
        if unknown:
            documented = ", ".join(sorted(policy.parameters)) or "none"
            raise ConfigError(
                f"parameters.{policy_id}: unknown parameter '{unknown[0]}' "
                f"(documented: {documented})",
                Where(source="governance.yaml"),
            )
    disabled = set(config.disabled_policies)
    return [p for p in policies if p.id not in disabled], [p for p in policies if p.id in disabled]


def load_pack(
    dirs: Sequence[Path], config: GovernanceConfig, *, compile_check: bool = True
) -> PolicyPack:
    """Load and validate the policy directories (built-in first). Raises PolicyError/ConfigError."""
    if not dirs:
        # Evaluating nothing would pass everything: a missing built-in pack is an error.
        raise PolicyError(
            "no policy directories: the built-in pack was not found and no "
            "--policies directory was given",
            Where(source="policies"),
        )
    policies: list[PolicyDefinition] = []
    package_where: dict[str, Where] = {}
    modules: list[RegoModule] = []
    for given in dirs:
        # An OPA bundle (.tar.gz from `governance bundle build`) is read as its extracted pack.
        directory = resolve_pack_dir(given)
        yaml_files, rego_files = discover(directory)
        if not yaml_files and not rego_files:
            raise PolicyError(
                "no policy definitions (*.yaml) or Rego modules (*.rego) found",
                Where(display_path(directory)),
            )
        for path in yaml_files:
            for policy, where in load_definitions(path):
                policies.append(policy)
                package_where.setdefault(policy.id, where)
        modules.extend(load_modules(rego_files))
    _check_ids(policies)
    evaluated = [m for m in modules if not m.is_test]
    _check_packages(policies, evaluated, package_where)
    enabled, disabled = _apply_config(policies, config)
    pack = PolicyPack(enabled, evaluated, [m for m in modules if m.is_test], disabled, list(dirs))
    _check_reserved(evaluated)
    if compile_check and evaluated:
        _check_compiles(pack, config)
    return pack


RESERVED_PACKAGES = ("governance_entry", "governance.config", "governance.params")
"""The generated entry module and the data documents the engine mounts."""


def _check_reserved(modules: Sequence[RegoModule]) -> None:
    for module in modules:
        for reserved in RESERVED_PACKAGES:
            if module.package == reserved or module.package.startswith(reserved + "."):
                raise PolicyError(
                    f"package '{module.package}' is reserved by the engine (data.{reserved})",
                    module.where(module.package_line, 1),
                )


def _check_compiles(pack: PolicyPack, config: GovernanceConfig) -> None:
    """Compile the pack (with the entry module) on embedded OPA; raise a PolicyError at file:line.

    Without the OPA library (no wheel for this platform) there is nothing to compile with here:
    the embedded engine then refuses to run, and an OPA server compiles what it is sent."""
    from governance.errors import EngineError
    from governance.evaluate.rego.embedded import warm
    from governance.evaluate.rego.engine import program, program_key

    loaded = program(pack, pack.rego_policies, config)
    try:
        engine = loaded.new_engine()
    except EngineError:
        return
    try:
        warm(engine)
    except PolicyError:
        engine.close()
        raise
    pack._compiled = (program_key(loaded), engine)
