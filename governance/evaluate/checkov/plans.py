"""Reading a plan before checkov does: fail with file:line on bad JSON, count its resources, and
find the line of each resource address when checkov cannot say (minified plans)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.collect.files import display_path, load_json, read_text
from governance.errors import InputError, Where

_ADDRESS = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class PlanFile:
    path: Path
    shown: str
    text: str
    addresses: tuple[str, ...]
    """Resources the plan declares (resource_changes, else planned_values)."""


def _walk_modules(module: Mapping[str, Any]) -> Iterator[str]:
    for resource in module.get("resources") or []:
        if isinstance(resource, dict) and isinstance(resource.get("address"), str):
            yield resource["address"]
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            yield from _walk_modules(child)


def _addresses(doc: Mapping[str, Any]) -> tuple[str, ...]:
    changes = doc.get("resource_changes")
    if isinstance(changes, list) and changes:
        found = (c.get("address") for c in changes if isinstance(c, dict))
        return tuple(a for a in found if isinstance(a, str))
    planned = doc.get("planned_values")
    root = planned.get("root_module") if isinstance(planned, dict) else None
    return tuple(_walk_modules(root)) if isinstance(root, dict) else ()


def read_plan(path: Path) -> PlanFile:
    """Raises InputError naming file:line:column for unreadable or malformed plan JSON."""
    text = read_text(path)
    doc = load_json(path, text)
    shown = display_path(path)
    if not isinstance(doc, dict) or not ({"planned_values", "resource_changes"} & doc.keys()):
        raise InputError(
            "not a Terraform plan (no planned_values or resource_changes): "
            "give checkov the output of `terraform show -json`",
            Where(shown),
        )
    return PlanFile(path, shown, text, _addresses(doc))


def address_lines(text: str) -> dict[str, int]:
    """1-based line of the first ``"address": "..."`` of each resource in the plan text."""
    lines: dict[str, int] = {}
    line, last = 1, 0
    for match in _ADDRESS.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        address = json.loads(f'"{match.group(1)}"')
        lines.setdefault(address, line)
    return lines
