"""The lint rejects what regopy 1.5.2 evaluates differently from OPA, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.evaluate.rego.lint import UNSUPPORTED_CALLS, lint_module
from governance.evaluate.rego.source import parse_module

HEADER = "package p\n\nimport rego.v1\n\n"


def issues(body: str) -> list[tuple[int, int, str]]:
    module = parse_module(Path("p.rego"), "p.rego", HEADER + body)
    return [(i.line, i.col, i.message) for i in lint_module(module)]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("x := {k | some k, v in input.o}\n", "object.keys"),
        ("x := [k | some k, _ in input.o]\n", "object.keys"),
        ("x := count({k | some k, v in input.o})\n", "object.keys"),
        ("m := rego.metadata.rule()\n", "policy definition"),
        ('deny contains 1 if net.cidr_contains("10.0.0.0/8", input.ip)\n', "networking"),
        ("deny contains 1 if http.send({})\n", "I/O"),
        ("deny contains 1 if json.match_schema(input, {})\n", "collector"),
        ('x := strings.render_template("{{.a}}", {})\n', "sprintf"),
        ('deny contains 1 if trace("x")\n', "print"),
        ("deny contains 1 if any([true])\n", "deprecated"),
        ('deny contains 1 if re_match("a", "a")\n', "regex.match"),
        ('t := time.parse_rfc3339_ns("2024-01-01T00:00:00Z")\n', "+00:00"),
        ('x := count(deny) with input as {"a": 1}\n', "with input.product"),
    ],
)
def test_divergent_construct_is_reported_with_a_rewrite(body: str, needle: str) -> None:
    found = issues(body)
    assert len(found) == 1
    line, col, message = found[0]
    assert line == 5 and col > 1
    assert needle in message


@pytest.mark.parametrize(
    "body",
    [
        "x := {k: v | some k, v in input.o}\n",  # object comprehensions work on regopy
        "deny contains k if {\n  some k, v in input.o\n  v > 1\n}\n",  # rule bodies too
        "every k, v in input.o {\n  v > 0\n}\n",
        "x := {k | some k in object.keys(input.o)}\n",
        "u := input.a | input.b\nw := [x | some x in u]\n",
        't := time.parse_rfc3339_ns("2024-01-01T00:00:00+00:00")\n',
        'x := count(deny) with input.product as {"a": 1}\n',
        "# rego.metadata.rule() and http.send(x) in a comment\n",
        'msg := "use net.cidr_contains(a, b) or some k, v in x"\n',
        "any_tag := true\nall := 3\n",  # names that are not calls
        "t := time.parse_rfc3339_ns(input.when)\n",
    ],
)
def test_equivalent_rego_passes(body: str) -> None:
    assert issues(body) == []


def test_reserved_packages_are_rejected() -> None:
    module = parse_module(Path("e.rego"), "e.rego", "package governance.params.x\n")
    messages = [i.message for i in lint_module(module)]
    assert len(messages) == 1 and messages[0].startswith("package 'governance.params.x'")


def test_unsupported_list_matches_the_installed_regopy() -> None:
    """Every call the lint rejects is really missing from regopy (catches an upgrade)."""
    import regopy  # a core dependency: its absence is a failure, not a skip

    interpreter = regopy.Interpreter()
    assert [name for name in UNSUPPORTED_CALLS if interpreter.is_builtin(name)] == []
    assert not interpreter.is_builtin("net.cidr_contains")
    assert interpreter.is_builtin("object.keys") and interpreter.is_builtin("regex.match")
