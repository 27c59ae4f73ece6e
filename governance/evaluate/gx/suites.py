"""Expectation suite files: GX 1.x JSON and the classic 0.x format, normalised to one shape.

GX 1.x persists ``{"name", "expectations": [{"type", "kwargs", ...}]}``; 0.x wrote
``{"expectation_suite_name", "expectations": [{"expectation_type", "kwargs"}]}`` and transitional
files mix the two. Both become a ``SuiteSpec``. Kwargs that only meant something to the 0.x
runtime (``result_format``, ``catch_exceptions``, ``include_config``) are dropped: the runner sets
its own result format so that no values are collected. Anything the runner cannot honour (no
expectations, ``$PARAMETER`` references to other validations, a malformed entry) is an
``InputError`` naming the file and line. Pure Python: GX is not imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.collect.files import display_path, key_location, load_json, load_yaml
from governance.errors import GovernanceError, InputError, Where

LEGACY_KWARGS = frozenset({"result_format", "catch_exceptions", "include_config"})
_ENTRY_KEYS = frozenset(
    {
        "type",
        "expectation_type",
        "kwargs",
        "meta",
        "id",
        "severity",
        "notes",
        "description",
        "rendered_content",
        "expectation_context",
        "ge_cloud_id",
    }
)


@dataclass(frozen=True)
class ExpectationSpec:
    type: str
    kwargs: dict[str, Any]
    where: Where
    """Where it was declared: suite file and line, or the contract rule it came from."""
    severity: str | None = None

    @property
    def column(self) -> str | None:
        value = self.kwargs.get("column")
        return value if isinstance(value, str) else None

    def label(self, index: int) -> str:
        return f"expectation #{index + 1} ({self.type})"


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    file: str | None
    expectations: list[ExpectationSpec] = field(default_factory=list)


def load_suite(path: Path) -> SuiteSpec:
    """Read and normalise one suite file (JSON)."""
    shown = display_path(path)
    doc = load_json(path)
    return parse_suite(doc, shown, suite_positions(path))


def suite_positions(path: Path) -> Any:
    """The same document parsed with ruamel, only for line numbers (JSON is YAML 1.2 flow)."""
    try:
        return load_yaml(path)
    except GovernanceError:
        return None


def parse_suite(doc: Any, shown: str, positions: Any = None) -> SuiteSpec:
    if not isinstance(doc, dict) or not isinstance(doc.get("expectations"), list):
        raise InputError(
            "not an expectation suite: expected an object with an 'expectations' list",
            Where(shown, 1),
        )
    name = doc.get("name") or doc.get("expectation_suite_name") or Path(shown).stem
    if not isinstance(name, str):
        raise InputError("suite name must be a string", Where(shown, 1))
    entries = doc["expectations"]
    if not entries:
        raise InputError(
            f"suite '{name}' has no expectations: it would pass without checking anything",
            Where(shown, 1),
        )
    node = positions.get("expectations") if isinstance(positions, dict) else None
    specs = []
    for index, entry in enumerate(entries):
        loc = key_location(shown, node, index)
        where = Where(shown, loc.line, loc.column)
        specs.append(_entry(entry, index, where))
    return SuiteSpec(name=name, file=shown, expectations=specs)


def _entry(entry: Any, index: int, where: Where) -> ExpectationSpec:
    label = f"expectation #{index + 1}"
    if not isinstance(entry, dict):
        raise InputError(f"{label} must be an object", where)
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise InputError(f"{label}: unknown key(s) {', '.join(unknown)}", where)
    new, old = entry.get("type"), entry.get("expectation_type")
    if new and old and new != old:
        raise InputError(f"{label}: 'type' ({new}) and 'expectation_type' ({old}) disagree", where)
    kind = new or old
    if not isinstance(kind, str) or not kind:
        raise InputError(f"{label}: missing 'type' (or 0.x 'expectation_type')", where)
    kwargs = entry.get("kwargs", {})
    if not isinstance(kwargs, dict):
        raise InputError(f"{label} ({kind}): 'kwargs' must be an object", where)
    kwargs = {k: v for k, v in kwargs.items() if k not in LEGACY_KWARGS}
    for key, value in kwargs.items():
        if isinstance(value, dict) and "$PARAMETER" in value:
            raise InputError(
                f"{label} ({kind}): kwargs.{key} is a $PARAMETER reference; suite parameters are "
                "not supported, write the value into the suite",
                where,
            )
    severity = entry.get("severity")
    return ExpectationSpec(
        type=kind,
        kwargs=kwargs,
        where=where,
        severity=severity if isinstance(severity, str) else None,
    )
