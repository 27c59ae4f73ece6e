"""The regopy wrapper used inside workers: error shapes regopy itself mishandles, exact input."""

from __future__ import annotations

import json

import pytest

from governance.evaluate.rego.session import Session, SessionError, check_module

MODULE = """package t

import rego.v1

echo := input.value

calls_unknown if foo.bar(1)

bad_number := to_number(input.value)

recursive(x) := y if y := recursive(x)

loops := recursive(1)
"""


@pytest.fixture(scope="module")
def session() -> Session:
    entries = ["t/echo", "t/calls_unknown", "t/bad_number", "t/loops"]
    return Session([("t.rego", MODULE)], json.dumps({"k": 1}), entries)


@pytest.mark.parametrize(
    "value",
    [2**63, -(2**63) - 1, 2**63 - 1, "nul\x00inside", "ünïcode ✓", 1.5, None, [1, {"a": [True]}]],
)
def test_input_values_arrive_exactly(session: Session, value: object) -> None:
    session.set_input(json.dumps({"value": value}))
    result = session.query(0)
    assert result.error is None and result.output is not None
    assert json.loads(result.output)["expressions"][0] == value


def test_function_not_found_is_an_error_not_a_json_crash(session: Session) -> None:
    session.set_input("{}")
    result = session.query(1)
    assert result.output is None and result.error is not None
    assert result.error.startswith("Function not found: foo.bar")


def test_builtin_error_is_an_error_with_its_code(session: Session) -> None:
    session.set_input(json.dumps({"value": "twelve"}))
    result = session.query(2)
    assert result.error is not None and "(eval_builtin_error)" in result.error


def test_recursion_is_an_error(session: Session) -> None:
    session.set_input("{}")
    result = session.query(3)
    assert result.error is not None and "Recursion" in result.error


def test_parse_error_names_module_and_byte_offset() -> None:
    with pytest.raises(SessionError) as info:
        Session([("ok.rego", "package ok\n"), ("bad.rego", "package bad\n\nx := 1 +\n")], None, [])
    assert (info.value.module, info.value.offset) == (1, 20)
    assert info.value.message == "Invalid arithmetic operator"


def test_failed_build_is_an_error_not_a_segfault() -> None:
    source = "package d\n\nimport rego.v1\n\ndefault a := 1\n\ndefault a := 2\n"
    with pytest.raises(SessionError, match="Multiple default rules"):
        Session([("d.rego", source)], None, ["d/a"])
    with pytest.raises(SessionError, match="Multiple default rules"):
        check_module("d.rego", source)
