"""Reject, at load time, Rego the embedded engine (regopy 1.5.2) evaluates differently from OPA.

Each rule here is a measured divergence (docs/notes: embedded-rego): left in, the policy would be
silently empty, undefined, or crash the engine. Every finding names file:line:col and the rewrite
that works on both engines. The lint reads tokens, so comments and strings never trigger it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from governance.evaluate.rego.source import RegoModule, Token, string_value

RESERVED_PACKAGES = ("governance_entry", "governance.config", "governance.params")
"""Generated entry module and the data documents mounted by the engine."""

# Calls OPA knows and regopy 1.5.2 does not (is_builtin() is False; a test keeps this honest):
# at runtime they are "Function not found" or an error, i.e. the rule never works here.
UNSUPPORTED_CALLS: dict[str, str] = {
    "http.send": "policies must not do I/O: collect the data as evidence instead",
    "json.match_schema": "validate documents in a collector, or check the fields in Rego",
    "json.verify_schema": "validate documents in a collector, or check the fields in Rego",
    "strings.render_template": "use sprintf",
    "trace": "use print() while debugging, and remove it afterwards",
    "rego.parse_module": "not available in the embedded engine",
    "any": "deprecated: use `some x in coll; x` or `x in coll`",
    "all": "deprecated: use `every x in coll { x }`",
    "re_match": "deprecated: use regex.match",
    "set_diff": "deprecated: use the `-` operator on sets",
    "cast_array": "deprecated: use an array comprehension `[x | some x in s]`",
    "cast_set": "deprecated: use a set comprehension `{x | some x in a}`",
    "cast_string": "deprecated: check the type with is_string",
    "cast_boolean": "deprecated: check the type with is_boolean",
    "cast_null": "deprecated: check the type with is_null",
    "cast_object": "deprecated: check the type with is_object",
}
UNSUPPORTED_NAMESPACES: dict[str, str] = {
    "net.": "no networking builtins in the embedded engine: compute CIDR facts in the collector "
    "or run with --engine opa",
    "rego.metadata.": "rego.metadata.rule()/chain() are undefined in the embedded engine: keep "
    "metadata in the policy definition (policies/*.yaml)",
    "graphql.": "not available in the embedded engine",
    "providers.": "not available in the embedded engine",
}
# Tokens after which `{` starts a term (literal or comprehension) rather than a body.
_TERM_BEFORE = frozenset(
    {
        ":=",
        "=",
        "==",
        "!=",
        "<",
        ">",
        "<=",
        ">=",
        "(",
        "[",
        "{",
        ",",
        ":",
        "|",
        "&",
        "+",
        "-",
        "*",
        "/",
        "%",
        ";",
        "in",
        "contains",
        "as",
        "not",
        "some",
    }
)


@dataclass(frozen=True)
class LintIssue:
    line: int
    col: int
    message: str


@dataclass
class _Frame:
    opener: str
    term: bool
    """A term bracket (array/set/object literal or comprehension), not a rule or `every` body."""
    pipe: bool = False
    """A `|` was seen at this level: what follows is a comprehension body."""
    colon: bool = False
    """A `:` before the `|`: an object comprehension, where two-variable `some` works."""


def _calls(tokens: list[Token]) -> Iterator[tuple[int, Token]]:
    for index, token in enumerate(tokens[:-1]):
        nxt = tokens[index + 1]
        if (
            token.kind == "name"
            and nxt.text == "("
            and (nxt.line, nxt.col)
            == (
                token.line,
                token.col + len(token.text),
            )
        ):
            yield index, token


def _unsupported(tokens: list[Token]) -> Iterator[LintIssue]:
    for index, token in _calls(tokens):
        name = token.text
        advice = UNSUPPORTED_CALLS.get(name)
        if advice is None:
            advice = next(
                (a for p, a in UNSUPPORTED_NAMESPACES.items() if name.startswith(p)), None
            )
        if advice is not None:
            yield LintIssue(
                token.line,
                token.col,
                f"{name}() is not supported by the embedded Rego engine: {advice}",
            )
        elif name == "time.parse_rfc3339_ns" and index + 2 < len(tokens):
            arg = tokens[index + 2]
            if arg.kind == "string" and string_value(arg).upper().endswith("Z"):
                yield LintIssue(
                    arg.line,
                    arg.col,
                    "time.parse_rfc3339_ns with a 'Z' suffix is "
                    "undefined in the embedded engine: write the offset as '+00:00'",
                )


def _comprehension_some(tokens: list[Token]) -> Iterator[LintIssue]:
    stack: list[_Frame] = []
    previous: Token | None = None
    for index, token in enumerate(tokens):
        text = token.text
        if token.kind == "op" and text in "([{":
            # `{` after a name, `]`, `)` or `}` opens a rule/`every` body; elsewhere a term.
            term = text != "{" or (previous is not None and previous.text in _TERM_BEFORE)
            stack.append(_Frame(text, term))
        elif token.kind == "op" and text in ")]}":
            if stack:
                stack.pop()
        elif token.kind == "op" and text == "|" and stack and stack[-1].term:
            stack[-1].pipe = True
        elif token.kind == "op" and text == ":" and stack and not stack[-1].pipe:
            stack[-1].colon = True
        elif (
            text == "some"
            and stack
            and stack[-1].pipe
            and not stack[-1].colon
            and index + 3 < len(tokens)
            and tokens[index + 2].text == ","
            and tokens[index + 1].kind == "name"
        ):
            yield LintIssue(
                token.line,
                token.col,
                "two-variable `some k, v in` inside a set or "
                "array comprehension is a parse error in the embedded engine: iterate "
                "`some k in object.keys(obj)` (or `obj[k]`) instead",
            )
        previous = token


def _with_whole_input(tokens: list[Token]) -> Iterator[LintIssue]:
    for index, token in enumerate(tokens[:-2]):
        if (
            token.text == "with"
            and tokens[index + 1].text == "input"
            and tokens[index + 2].text == "as"
        ):
            yield LintIssue(
                token.line,
                token.col,
                "`with input as ...` (replacing the whole input) "
                "crashes the embedded engine when the rule calls a builtin: mock the "
                "keys the rule reads, e.g. `with input.product as {...} with "
                "input.resources as [...]`",
            )


def lint_module(module: RegoModule) -> list[LintIssue]:
    """All known-divergent constructs in one module, in source order."""
    issues: list[LintIssue] = []
    for reserved in RESERVED_PACKAGES:
        if module.package == reserved or module.package.startswith(reserved + "."):
            issues.append(
                LintIssue(
                    module.package_line,
                    1,
                    f"package '{module.package}' is reserved by the engine (data.{reserved})",
                )
            )
    tokens = module.tokens
    issues.extend(_unsupported(tokens))
    issues.extend(_comprehension_some(tokens))
    issues.extend(_with_whole_input(tokens))
    return sorted(issues, key=lambda i: (i.line, i.col))
