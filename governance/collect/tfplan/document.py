"""Reading the plan document: one ``Entry`` per resource instance that will exist after apply.

``resource_changes`` is the primary source (it carries the action, ``after_unknown`` and
``after_sensitive``); ``planned_values`` fills in resources a plan lists only there. Data sources
are reads of things this plan does not manage, and an instance whose only actions are ``delete``
(or ``forget``) will not exist afterwards: neither is evidence of the future state.

Every structural surprise raises ``InputError`` naming the file and the JSON path, so a truncated
or hand-edited plan fails loudly instead of yielding fewer resources.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from governance.collect.tfplan.addresses import ResourceAddress, parse_address
from governance.errors import InputError, Where

KNOWN_ACTIONS = frozenset({"create", "update", "no-op", "delete", "read", "forget"})
_GONE = frozenset({"delete", "forget"})


@dataclass
class Entry:
    address: str
    parsed: ResourceAddress
    type: str
    provider_name: str
    action: str
    values: dict[str, Any]
    unknown: Any = field(default_factory=dict)
    """``after_unknown``: True, or a structure mirroring ``values`` with True at unknown leaves."""
    sensitive: Any = field(default_factory=dict)
    """``after_sensitive`` / ``sensitive_values``, same shape convention."""


class PlanReader:
    """Validates shapes while walking; errors name the file, the JSON path and, once the
    resource being read is known, the line of its address."""

    def __init__(self, file: str, lines: dict[str, tuple[int, int]] | None = None) -> None:
        self.file = file
        self.lines = lines or {}
        self.current: str | None = None
        """Address of the resource being read, for the line of an error."""

    def fail(self, path: str, message: str) -> InputError:
        line, column = self.lines.get(self.current or "", (None, None))
        return InputError(f"invalid plan at {path}: {message}", Where(self.file, line, column))

    def expect(self, value: Any, kind: type, path: str, *, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, kind):
            names: dict[type, str] = {dict: "an object", list: "a list", str: "a string"}
            name = names.get(kind, kind.__name__)
            raise self.fail(path, f"expected {name}, got {_json_type(value)}")
        return value

    def address(self, item: dict[str, Any], path: str) -> tuple[str, ResourceAddress]:
        address = self.expect(item.get("address"), str, f"{path}.address")
        parsed = parse_address(address)
        if parsed is None:
            raise self.fail(f"{path}.address", f"'{address}' is not a resource address")
        return address, parsed

    # ------------------------------------------------------------------------- planned_values

    def planned(self, doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Every resource object under ``planned_values`` (all module levels), by address."""
        found: dict[str, dict[str, Any]] = {}
        planned = self.expect(doc.get("planned_values"), dict, "planned_values", optional=True)
        if planned is None:
            return found
        root = self.expect(
            planned.get("root_module"), dict, "planned_values.root_module", optional=True
        )
        stack = [(root, "planned_values.root_module")] if root is not None else []
        while stack:
            module, path = stack.pop()
            resources = self.expect(
                module.get("resources"), list, f"{path}.resources", optional=True
            )
            for i, item in enumerate(resources or ()):
                item_path = f"{path}.resources[{i}]"
                self.current = None
                self.expect(item, dict, item_path)
                # Parsed later, and only if no change record lists it: most are in both places.
                address = self.expect(item.get("address"), str, f"{item_path}.address")
                self.current = address
                self.expect(item.get("values"), dict, f"{item_path}.values", optional=True)
                found[address] = item
            children = self.expect(
                module.get("child_modules"), list, f"{path}.child_modules", optional=True
            )
            for i, child in enumerate(children or ()):
                stack.append(
                    (
                        self.expect(child, dict, f"{path}.child_modules[{i}]"),
                        f"{path}.child_modules[{i}]",
                    )
                )
        return found

    # ----------------------------------------------------------------------- resource_changes

    def entries(self, doc: dict[str, Any]) -> Iterator[Entry]:
        planned = self.planned(doc)
        changes = self.expect(doc.get("resource_changes"), list, "resource_changes", optional=True)
        seen: set[str] = set()
        for i, item in enumerate(changes or ()):
            path = f"resource_changes[{i}]"
            self.current = None
            self.expect(item, dict, path)
            address, parsed = self.address(item, path)
            self.current = address
            change = self.expect(item.get("change"), dict, f"{path}.change")
            actions = self.expect(change.get("actions"), list, f"{path}.change.actions")
            for j, action in enumerate(actions):
                if action not in KNOWN_ACTIONS:
                    raise self.fail(f"{path}.change.actions[{j}]", f"unknown action {action!r}")
            if item.get("deposed"):
                continue  # an old object kept by create_before_destroy; it is always destroyed
            seen.add(address)
            if parsed.mode == "data" or item.get("mode") == "data" or not actions:
                continue
            if set(actions) <= _GONE:
                continue
            after = self.expect(change.get("after"), dict, f"{path}.change.after", optional=True)
            if after is None:
                after = planned.get(address, {}).get("values") or {}
            yield Entry(
                address=address,
                parsed=parsed,
                type=self.expect(item.get("type", parsed.type), str, f"{path}.type"),
                provider_name=str(item.get("provider_name") or ""),
                action=_action(actions),
                values=after,
                unknown=change.get("after_unknown") or {},
                sensitive=change.get("after_sensitive") or {},
            )
        self.current = None
        for address, item in planned.items():
            if address in seen or item.get("mode") == "data":
                continue
            self.current = address
            planned_parsed = parse_address(address)
            if planned_parsed is None:
                raise self.fail("planned_values", f"'{address}' is not a resource address")
            if planned_parsed.mode == "data":
                continue
            # Listed as planned but with no change record: unchanged by this plan.
            yield Entry(
                address=address,
                parsed=planned_parsed,
                type=str(item.get("type") or planned_parsed.type),
                provider_name=str(item.get("provider_name") or ""),
                action="no-op",
                values=item.get("values") or {},
                sensitive=item.get("sensitive_values") or {},
            )


def _action(actions: list[str]) -> str:
    """One word per planned change; a replace in either order ([delete, create] or
    [create, delete]) is ``replace``."""
    if len(actions) == 1:
        return str(actions[0])
    if "create" in actions:
        return "replace"
    return "+".join(actions)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return "a number"
