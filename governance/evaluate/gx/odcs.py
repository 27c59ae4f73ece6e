"""ODCS ``quality`` rules that map onto expectations, turned into one suite per contract.

Mapped (ODCS v3.0 ``rule`` / v3.1 ``metric`` names, and Databricks DQX ``custom`` checks):

==========================================  ==============================================
nullCheck, nullValues, is_not_null           expect_column_values_to_not_be_null
duplicateCount, duplicateValues, is_unique   expect_column_values_to_be_unique
validValues, invalidValues + validValues,    expect_column_values_to_be_in_set
is_in_list
invalidValues + pattern, regex_match         expect_column_values_to_match_regex
is_in_range                                  expect_column_values_to_be_between
rowCount                                     expect_table_row_count_to_equal / _be_between
==========================================  ==============================================

Thresholds: ``mustBe: 0`` means every row; ``mustBeLessThan``/``mustBeLessOrEqualTo`` with
``unit: percent`` becomes GX's ``mostly``. ``type: text`` rules are descriptions and never run.
Everything else (``type: sql``, other engines, row-unit thresholds on column rules) cannot be
judged on a sample file: ``unsupported`` tells the caller, who fails or skips per configuration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from governance.collect.files import key_location, plain
from governance.errors import Where
from governance.evaluate.gx.suites import ExpectationSpec, SuiteSpec
from governance.model.evidence import Location


class RuleLike(Protocol):
    """A contract quality rule as the manifest collector keeps it (see ``QualityRule``)."""

    @property
    def column(self) -> str | None: ...

    @property
    def spec(self) -> Mapping[str, Any]: ...

    @property
    def location(self) -> Location | None: ...


@dataclass(frozen=True)
class QualityRule:
    column: str | None
    """The property the rule is attached to; None for schema (table) level rules."""
    spec: Mapping[str, Any]
    """The ODCS quality entry as written."""
    location: Location | None = None


@dataclass(frozen=True)
class Unsupported:
    rule: str
    where: Where
    reason: str


_NOT_NULL = {"nullcheck", "nullvalues", "missingvalues"}
_UNIQUE = {"duplicatecount", "duplicatevalues"}
_DQX_TYPES = {
    "is_not_null": "expect_column_values_to_not_be_null",
    "is_not_null_and_not_empty": "expect_column_values_to_not_be_null",
    "is_unique": "expect_column_values_to_be_unique",
    "is_in_list": "expect_column_values_to_be_in_set",
    "is_not_null_and_is_in_list": "expect_column_values_to_be_in_set",
    "is_in_range": "expect_column_values_to_be_between",
    "regex_match": "expect_column_values_to_match_regex",
}


def extract_rules(doc: Any, file: str) -> list[QualityRule]:
    """Quality rules of an ODCS v3 document: schema and property level, nested names dotted."""
    rules: list[QualityRule] = []
    schema = doc.get("schema") if isinstance(doc, dict) else None
    for obj in schema if isinstance(schema, list) else []:
        if isinstance(obj, dict):
            rules.extend(_rules_of(obj, None, file))
            _properties(obj.get("properties"), "", file, rules)
    return rules


def _properties(props: Any, prefix: str, file: str, rules: list[QualityRule]) -> None:
    for prop in props if isinstance(props, list) else []:
        if isinstance(prop, dict) and isinstance(prop.get("name"), str):
            name = prefix + prop["name"]
            rules.extend(_rules_of(prop, name, file))
            _properties(prop.get("properties"), name + ".", file, rules)


def _rules_of(node: dict[str, Any], column: str | None, file: str) -> list[QualityRule]:
    entries = node.get("quality")
    return [
        QualityRule(column=column, spec=plain(entry), location=key_location(file, entries, i))
        for i, entry in enumerate(entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
    ]


def rules_suite(
    name: str, file: str | None, rules: Sequence[RuleLike]
) -> tuple[SuiteSpec | None, list[Unsupported]]:
    """One suite from a contract's mappable rules, and the rules it could not map."""
    specs: list[ExpectationSpec] = []
    unsupported: list[Unsupported] = []
    for rule in rules:
        loc = rule.location or Location(file=file)
        where = Where(loc.file, loc.line, loc.column)
        kind = str(rule.spec.get("type", "library")).lower()
        if kind == "text":
            continue
        label = str(rule.spec.get("metric") or rule.spec.get("rule") or kind)
        mapped = _map(rule, where) if kind in {"library", "custom"} else None
        if isinstance(mapped, ExpectationSpec):
            specs.append(mapped)
        else:
            reason = mapped or f"'type: {kind}' rules need the source system, not a sample file"
            unsupported.append(Unsupported(rule=label, where=where, reason=reason))
    suite = (
        SuiteSpec(name=f"{name} (contract quality rules)", file=file, expectations=specs)
        if specs
        else None
    )
    return suite, unsupported


def _map(rule: RuleLike, where: Where) -> ExpectationSpec | str:
    """The expectation for a rule, or the reason it has none."""
    spec = rule.spec
    severity = _severity(spec)
    if str(spec.get("type", "library")).lower() == "custom":
        return _map_dqx(rule, where, severity)
    name = str(spec.get("metric") or spec.get("rule") or "").replace("_", "").lower()
    args = _mapping(spec.get("arguments"))
    if name == "rowcount":
        return _row_count(spec, where, severity)
    if name not in _NOT_NULL | _UNIQUE | {"validvalues", "invalidvalues"}:
        return f"metric '{name or '?'}' has no expectation equivalent"
    if rule.column is None:
        return f"metric '{name}' needs a column"
    mostly = _mostly(spec)
    if isinstance(mostly, str):
        return mostly
    kwargs: dict[str, Any] = {"column": rule.column}
    if mostly < 1.0:
        kwargs["mostly"] = mostly
    if name in _NOT_NULL:
        return ExpectationSpec("expect_column_values_to_not_be_null", kwargs, where, severity)
    if name in _UNIQUE:
        return ExpectationSpec("expect_column_values_to_be_unique", kwargs, where, severity)
    valid = spec.get("validValues", args.get("validValues"))
    if isinstance(valid, list):
        kwargs["value_set"] = valid
        return ExpectationSpec("expect_column_values_to_be_in_set", kwargs, where, severity)
    if name == "invalidvalues" and isinstance(args.get("pattern"), str):
        kwargs["regex"] = args["pattern"]
        return ExpectationSpec("expect_column_values_to_match_regex", kwargs, where, severity)
    return f"metric '{name}' without validValues or a pattern"


def _map_dqx(rule: RuleLike, where: Where, severity: str | None) -> ExpectationSpec | str:
    spec = rule.spec
    engine = str(spec.get("engine", "")).lower()
    impl = spec.get("implementation")
    check = impl.get("check") if isinstance(impl, dict) else None
    if engine != "dqx" or not isinstance(check, dict):
        return f"custom engine '{engine or '?'}' is not supported"
    function = str(check.get("function", ""))
    args = _mapping(check.get("arguments"))
    if isinstance(impl, dict) and impl.get("filter"):
        return f"DQX check '{function}' has a filter (a Spark SQL row condition): not supported"
    column = rule.column or args.get("column")
    gx_type = _DQX_TYPES.get(function)
    if gx_type is None or not isinstance(column, str):
        return f"DQX check '{function}' has no expectation equivalent"
    kwargs: dict[str, Any] = {"column": column}
    if gx_type.endswith("_in_set"):
        if not isinstance(args.get("allowed"), list):
            return f"DQX check '{function}' without an 'allowed' list"
        kwargs["value_set"] = args["allowed"]
    elif gx_type.endswith("_between"):
        kwargs.update(min_value=args.get("min_limit"), max_value=args.get("max_limit"))
    elif gx_type.endswith("_regex"):
        if not isinstance(args.get("regex"), str):
            return f"DQX check '{function}' without a 'regex'"
        if args.get("negate"):
            gx_type = "expect_column_values_to_not_match_regex"
        kwargs["regex"] = args["regex"]
    if isinstance(impl, dict) and str(impl.get("criticality", "")).lower() in {
        "warn",
        "warning",
        "minor",
    }:
        severity = "warning"
    return ExpectationSpec(gx_type, kwargs, where, severity)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _severity(spec: Mapping[str, Any]) -> str | None:
    value = str(spec.get("severity", "")).lower()
    if value in {"warning", "warn", "minor"}:
        return "warning"
    if value in {"info"}:
        return "info"
    return None


def _mostly(spec: Mapping[str, Any]) -> float | str:
    """GX ``mostly`` for a count rule: 1.0 for mustBe 0, else from a percent upper bound."""
    if spec.get("mustBe") == 0:
        return 1.0
    unit = str(spec.get("unit", "rows")).lower()
    for key in ("mustBeLessOrEqualTo", "mustBeLessThan"):
        bound = spec.get(key)
        if isinstance(bound, int | float) and unit == "percent" and 0 <= bound <= 100:
            return 1.0 - bound / 100.0
    return "only 'mustBe: 0' or a percent upper bound (unit: percent) maps onto expectations"


def _row_count(
    spec: Mapping[str, Any], where: Where, severity: str | None
) -> ExpectationSpec | str:
    if isinstance(spec.get("mustBe"), int):
        return ExpectationSpec(
            "expect_table_row_count_to_equal", {"value": spec["mustBe"]}, where, severity
        )
    kwargs: dict[str, Any] = {}
    between = spec.get("mustBeBetween")
    if isinstance(between, list) and len(between) == 2:
        kwargs.update(min_value=between[0], max_value=between[1])
    bounds = {
        "mustBeGreaterThan": ("min_value", True),
        "mustBeGreaterOrEqualTo": ("min_value", False),
        "mustBeLessThan": ("max_value", True),
        "mustBeLessOrEqualTo": ("max_value", False),
    }
    for key, (arg, strict) in bounds.items():
        if isinstance(spec.get(key), int | float):
            kwargs[arg] = spec[key]
            kwargs["strict_min" if arg == "min_value" else "strict_max"] = strict
    if not kwargs:
        return "rowCount without a mustBe* bound"
    return ExpectationSpec("expect_table_row_count_to_be_between", kwargs, where, severity)
