"""The plan's ``configuration`` section: expression references, resolved to resource instances.

At plan time most joining keys are unknown (a new bucket's id and ARN exist only after apply),
but the configuration records *which* objects an expression refers to:
``"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}``. References are relative
to the module they are written in, so ``aws_s3_bucket.b`` inside ``module.x["eu"]`` means
``module.x["eu"].aws_s3_bucket.b``. ``var.*`` is followed up to the module call's argument and
``module.m.out`` down into the child module's output, so a reference through a module boundary
still reaches the resource. Locals are not recorded by Terraform and cannot be followed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from governance.collect.tfplan.addresses import join, parent_module, split_key, steps, strip_keys
from governance.collect.tfplan.document import PlanReader

_MAX_DEPTH = 16  # module nesting plus var/output hops; a cycle cannot go deeper than this
_NOT_RESOURCES = frozenset(
    {"data", "local", "count", "each", "path", "terraform", "self", "var", "module"}
)


@dataclass
class _Module:
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Configuration resource objects by module-relative address (``aws_s3_bucket.b``)."""
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Module call argument expressions by call name."""
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)


def references(expression: Any) -> list[str]:
    """The reference strings of one expression object (empty for constants and blocks)."""
    if isinstance(expression, dict):
        refs = expression.get("references")
        if isinstance(refs, list):
            return [r for r in refs if isinstance(r, str)]
    return []


def nested(expressions: Any, *path: str | int) -> Any:
    """Walk block expressions: ``nested(e, "rule", 0, "kms_master_key_id")``; None if absent."""
    node = expressions
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
        elif not isinstance(node, dict):
            return None
        node = node[part] if isinstance(part, int) else node.get(part)
    return node


class ConfigIndex:
    def __init__(self, doc: dict[str, Any], reader: PlanReader) -> None:
        self.modules: dict[str, _Module] = {}
        self.providers: dict[str, dict[str, Any]] = {}
        self._provider_cache: dict[tuple[str, str, str], dict[str, Any]] = {}
        config = reader.expect(doc.get("configuration"), dict, "configuration", optional=True) or {}
        providers = reader.expect(
            config.get("provider_config"), dict, "configuration.provider_config", optional=True
        )
        self.providers = {k: v for k, v in (providers or {}).items() if isinstance(v, dict)}
        root = reader.expect(
            config.get("root_module"), dict, "configuration.root_module", optional=True
        )
        stack = [("", root, "configuration.root_module")] if root is not None else []
        while stack:
            module_path, module, where = stack.pop()
            entry = self.modules.setdefault(module_path, _Module())
            resources = reader.expect(
                module.get("resources"), list, f"{where}.resources", optional=True
            )
            for i, res in enumerate(resources or ()):
                reader.expect(res, dict, f"{where}.resources[{i}]")
                address = reader.expect(res.get("address"), str, f"{where}.resources[{i}].address")
                entry.resources[address] = res
            outputs = reader.expect(module.get("outputs"), dict, f"{where}.outputs", optional=True)
            entry.outputs = {k: v for k, v in (outputs or {}).items() if isinstance(v, dict)}
            calls = reader.expect(
                module.get("module_calls"), dict, f"{where}.module_calls", optional=True
            )
            for name, call in (calls or {}).items():
                call_where = f"{where}.module_calls.{name}"
                reader.expect(call, dict, call_where)
                args = reader.expect(
                    call.get("expressions"), dict, f"{call_where}.expressions", optional=True
                )
                entry.calls[name] = args or {}
                child = reader.expect(
                    call.get("module"), dict, f"{call_where}.module", optional=True
                )
                if child is not None:
                    stack.append(
                        (join(module_path, f"module.{name}"), child, f"{call_where}.module")
                    )

    def resource(self, config_path: str, relative: str) -> dict[str, Any]:
        module = self.modules.get(config_path)
        return module.resources.get(relative, {}) if module else {}

    def expressions(self, config_path: str, relative: str) -> dict[str, Any]:
        found = self.resource(config_path, relative).get("expressions")
        return found if isinstance(found, dict) else {}

    def provider(self, config_path: str, relative: str, name: str) -> dict[str, Any]:
        """Expressions of the provider configuration a resource uses (falling back to the root's).

        Older plans key providers inside modules as ``call:aws`` proxies without expressions; the
        settings that matter (region, default tags) then come from the root provider.
        """
        key = self.resource(config_path, relative).get("provider_config_key")
        cache_key = (key if isinstance(key, str) else "", config_path, name)
        cached = self._provider_cache.get(cache_key)
        if cached is None:
            cached = self._provider_cache[cache_key] = self._find_provider(key, config_path, name)
        return cached

    def _find_provider(self, key: Any, config_path: str, name: str) -> dict[str, Any]:
        candidates = []
        if isinstance(key, str):
            local = key.rsplit(":", 1)[-1]
            candidates = [key, f"{config_path}:{local}" if config_path else local, local]
        candidates.append(name)
        for candidate in candidates:
            expressions = self.providers.get(candidate, {}).get("expressions")
            if isinstance(expressions, dict) and expressions:
                return expressions
        return {}


class Resolver:
    """Turns reference strings into the addresses of resource instances present in the plan."""

    def __init__(self, config: ConfigIndex, instances: dict[str, dict[str, None]]) -> None:
        self.config = config
        self.instances = instances
        """Instance addresses (an ordered set) by base address: the address without its own key."""
        self.module_instances: dict[tuple[str, str], set[str]] = defaultdict(set)
        """Module instance paths by (parent instance path, call name)."""
        for module in {_module_of(base) for base in instances}:
            parent = parent_module(module)
            while parent is not None:
                self.module_instances[parent].add(module)
                module = parent[0]
                parent = parent_module(module)

    def resolve(self, refs: list[str], module: str, own_key: str = "", depth: int = 0) -> list[str]:
        """Instances the references point at, in order, without duplicates."""
        found: dict[str, None] = {}
        if depth > _MAX_DEPTH:
            return []
        for ref in refs:
            for address in self._one(ref, module, own_key, depth):
                found.setdefault(address, None)
        return list(found)

    def _one(self, ref: str, module: str, own_key: str, depth: int) -> list[str]:
        parts = steps(ref)
        if len(parts) < 2:
            return []
        head = parts[0]
        if head == "module":
            return self._output(parts, module, depth) if len(parts) >= 3 else []
        if head == "var":
            return self._variable(parts[1], module, depth)
        if head in _NOT_RESOURCES:
            return []
        name, key = split_key(parts[1])
        base = join(module, f"{head}.{name}")
        present = self.instances.get(base)
        if not present:
            return []
        if key:
            return [base + key] if base + key in present else []
        if base in present:
            return [base]
        # `aws_s3_bucket.b[count.index]` is recorded as `aws_s3_bucket.b`: the instance with the
        # referring resource's own key is the one meant; a splat means all of them.
        if own_key and base + own_key in present:
            return [base + own_key]
        return list(present)

    def _output(self, parts: list[str], module: str, depth: int) -> list[str]:
        call, key = split_key(parts[1])
        children = self.module_instances.get((module, call), set())
        if key:
            children = {c for c in children if c == join(module, f"module.{call}{key}")}
        found: list[str] = []
        for child in sorted(children):
            outputs = self.config.modules.get(strip_keys(child))
            expression = outputs.outputs.get(parts[2], {}).get("expression") if outputs else None
            found.extend(self.resolve(references(expression), child, "", depth + 1))
        return found

    def _variable(self, name: str, module: str, depth: int) -> list[str]:
        parent = parent_module(module)
        if parent is None:
            return []  # a root variable's value is not an object reference
        parent_path, call = parent
        calls = self.config.modules.get(strip_keys(parent_path))
        expression = calls.calls.get(call, {}).get(name) if calls else None
        return self.resolve(references(expression), parent_path, "", depth + 1)


def _module_of(address: str) -> str:
    """The module instance part of a module path or resource base address."""
    parts = steps(address)
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        i += 2
    return ".".join(f"module.{p}" for p in parts[1:i:2])
