"""The outline of a Rego module, read from its text: package, top-level rule names and lines.

The loader needs it before any engine runs (and on machines where only an OPA server evaluates):
to check that a policy's package defines ``deny``/``warn``, to generate the entry module, and to
find ``test_*`` rules with their lines. Comments are dropped and strings are single tokens, so
nothing written in a comment or a message is ever mistaken for a rule. Whether the module is
valid Rego is OPA's to say: the pack is compiled on OPA when it loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from governance.errors import PolicyError, Where

KEYWORDS = frozenset(
    {
        "package",
        "import",
        "default",
        "else",
        "if",
        "contains",
        "some",
        "every",
        "not",
        "with",
        "as",
        "in",
        "true",
        "false",
        "null",
    }
)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_OPERATORS = (":=", "==", "!=", "<=", ">=")
PACKAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class Token:
    kind: str
    """``name`` (dotted names merged: ``net.cidr_contains``), ``string``, ``number`` or ``op``."""
    text: str
    line: int
    col: int
    first_on_line: bool


class RegoSyntaxError(ValueError):
    """The tokeniser met text that cannot be Rego (an unterminated string)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, line, line_start, n = 0, 1, 0, len(text)
    last_line = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, line_start, i = line + 1, i + 1, i + 1
            continue
        if ch in " \t\r":
            i += 1
            continue
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        col = i - line_start + 1
        first = last_line != line
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\n":
                    raise RegoSyntaxError("unterminated string", line, col)
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise RegoSyntaxError("unterminated string", line, col)
            tokens.append(Token("string", text[i : j + 1], line, col, first))
            i = j + 1
        elif ch == "`":
            j = text.find("`", i + 1)
            if j < 0:
                raise RegoSyntaxError("unterminated raw string", line, col)
            tokens.append(Token("string", text[i : j + 1], line, col, first))
            newlines = text.count("\n", i, j)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", i, j) + 1
            i = j + 1
        elif (m := _NAME.match(text, i)) is not None:
            tokens.append(Token("name", m.group(), line, col, first))
            i = m.end()
        elif ch.isdigit() and (m := _NUMBER.match(text, i)) is not None:
            tokens.append(Token("number", m.group(), line, col, first))
            i = m.end()
        else:
            op = next((o for o in _OPERATORS if text.startswith(o, i)), ch)
            tokens.append(Token("op", op, line, col, first))
            i += len(op)
        last_line = line
    return tokens


def string_value(token: Token) -> str:
    """The text of a string token without quotes (escapes left as written)."""
    return token.text[1:-1]


@dataclass
class RegoModule:
    """One ``.rego`` file: its text and outline. ``name`` is what OPA and messages call it."""

    path: Path
    name: str
    source: str
    package: str
    package_line: int
    rules: dict[str, int] = field(default_factory=dict)
    """Top-level rule name (first segment of a ref head) -> line of its first definition."""
    tokens: list[Token] = field(default_factory=list, repr=False)

    @property
    def is_test(self) -> bool:
        return self.path.name.endswith("_test.rego")

    def where(self, line: int | None = None, col: int | None = None) -> Where:
        return Where(self.name, line, col)


def _rule_names(tokens: list[Token]) -> dict[str, int]:
    """Top-level rule names: a name at bracket depth 0 starting a line (or after ``default``)."""
    rules: dict[str, int] = {}
    depth = 0
    for index, token in enumerate(tokens):
        if token.kind == "op":
            if token.text in "([{":
                depth += 1
            elif token.text in ")]}":
                depth = max(depth - 1, 0)
            continue
        if depth or not token.first_on_line or token.kind != "name":
            continue
        name = token.text
        if name == "default" and index + 1 < len(tokens):
            name = tokens[index + 1].text
        elif name in KEYWORDS:
            continue
        rules.setdefault(name.split(".")[0], token.line)
    return rules


def parse_module(path: Path, name: str, source: str) -> RegoModule:
    """Tokenise and outline one module."""
    try:
        tokens = tokenize(source)
    except RegoSyntaxError as exc:
        raise PolicyError(f"Rego syntax error: {exc}", Where(name, exc.line, exc.col)) from exc
    if len(tokens) < 2 or tokens[0].text != "package" or tokens[1].kind != "name":
        where = Where(name, tokens[0].line, tokens[0].col) if tokens else Where(name, 1, 1)
        raise PolicyError("a Rego module must start with a 'package' declaration", where)
    package = tokens[1].text
    # Bracketed package paths (package a["b-c"]) are valid Rego but cannot be named in an entry
    # point or a policy definition; refuse them with a clear message instead of failing later.
    if len(tokens) > 2 and tokens[2].line == tokens[1].line and tokens[2].text == "[":
        raise PolicyError(
            "package paths must be dotted identifiers (a.b.c)",
            Where(name, tokens[2].line, tokens[2].col),
        )
    module = RegoModule(path, name, source, package, tokens[0].line, tokens=tokens)
    module.rules = _rule_names(tokens[2:])
    return module
