"""The Rego tokeniser and module outline: what the loader learns from text alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.errors import PolicyError
from governance.evaluate.rego.source import (
    RegoModule,
    parse_module,
    tokenize,
)


def outline(text: str) -> RegoModule:
    return parse_module(Path("m.rego"), "m.rego", text)


def test_comments_and_strings_are_not_code() -> None:
    tokens = tokenize('x := "a # not a comment" # http.send(y)\ny := `raw\nstring`\nz := 1\n')
    texts = [t.text for t in tokens]
    assert '"a # not a comment"' in texts
    assert "http.send" not in texts
    assert "`raw\nstring`" in texts
    # Lines keep counting through a multi-line raw string.
    assert next(t for t in tokens if t.text == "z").line == 4


def test_dotted_names_are_one_token_and_calls_keep_their_position() -> None:
    tokens = tokenize("deny if net.cidr_contains(a, b)")
    call = next(t for t in tokens if t.text == "net.cidr_contains")
    assert (call.line, call.col) == (1, 9)


def test_unterminated_string_is_a_policy_error_with_position() -> None:
    with pytest.raises(PolicyError) as info:
        outline('package p\n\nx := "open\n')
    assert (info.value.where.line, info.value.where.column) == (3, 6)


def test_outline_finds_package_and_top_level_rules_in_v0_and_v1() -> None:
    module = outline(
        "package governance.pii.enc\n\nimport rego.v1\n\ndefault applicable := false\n"
        'applicable if input.product\n\ndeny contains msg if {\n  helper := 1\n  msg := "x"\n}\n'
        'warn[msg] { msg := "y" }\n\ntest_something if true\n'
    )
    assert module.package == "governance.pii.enc"
    assert module.rules == {"applicable": 5, "deny": 8, "warn": 12, "test_something": 14}


def test_rules_inside_bodies_are_not_top_level_rules() -> None:
    module = outline("package p\n\nf(x) := y if {\n  y := x\n}\n")
    assert set(module.rules) == {"f"}


def test_module_without_package_is_rejected() -> None:
    with pytest.raises(PolicyError, match="package"):
        outline("import rego.v1\n\ndeny contains 1 if true\n")


def test_bracketed_package_is_rejected() -> None:
    with pytest.raises(PolicyError, match="dotted"):
        outline('package a["b-c"]\n')
