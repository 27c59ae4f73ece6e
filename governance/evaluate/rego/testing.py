"""Rego unit tests (``test_*`` rules) with ``opa test`` semantics, on the embedded OPA library.

The policy and test modules are loaded together into one OPA engine with the pack's data document
(``data.governance``), as ``opa test`` loads a directory. A module that does not compile stops the
run (``opa test`` does the same): a PolicyError naming file:line, exit 2. Each test is evaluated on
its own: ``true`` passes; undefined or any other value fails; a runtime error (a type error,
conflicting values) is an error. A failing test is evaluated again with a trace, so the report can
show the expression that failed, on which line, with the values of its variables, plus whatever
the test printed. With ``coverage`` every test runs under OPA's coverage tracer and the covered
lines are merged per file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from governance.evaluate.rego.embedded import Program, _bindings, compile_error, warm
from governance.evaluate.rego.entry import data_document
from governance.evaluate.rego.source import RegoModule
from governance.model.config import GovernanceConfig
from governance.model.policy import PolicyDefinition

TestStatus = Literal["pass", "fail", "error"]
_TEST_NAME = re.compile(r"^test_")
_ENTRY_PACKAGE = "governance_tests"
_KEY = "__governance_test__"
# One query string for every test, the test named in the input: OPA prepares (compiles) a query
# once per distinct string, ~0.2 s each on the built-in pack, so a query per test cost 45 s for
# 224 tests. A key lookup evaluates that test's rule only.
_QUERY = f"x := data.{_ENTRY_PACKAGE}.results[input.{_KEY}]"


def _entry_module(tests: Sequence[_Test]) -> str:
    lines = [f"package {_ENTRY_PACKAGE}", "", "import rego.v1", ""]
    lines += [f"results[{json.dumps(t.name)}] := {t.name}" for t in tests]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class RegoTestResult:
    name: str
    """``data.<package>.test_<name>``."""
    file: str
    line: int
    status: TestStatus
    message: str | None = None
    output: tuple[str, ...] = ()
    """``print()`` lines and, for a failure, the failing expression with its variables."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class FileCoverage:
    file: str
    covered: int
    not_covered: int

    @property
    def percent(self) -> float:
        total = self.covered + self.not_covered
        return 100.0 * self.covered / total if total else 100.0


@dataclass
class TestRun:
    __test__ = False  # not a pytest test class

    results: list[RegoTestResult] = field(default_factory=list)
    coverage: list[FileCoverage] | None = None


@dataclass(frozen=True)
class _Test:
    module: RegoModule
    rule: str
    line: int

    @property
    def name(self) -> str:
        return f"data.{self.module.package}.{self.rule}"

    def result(
        self, status: TestStatus, message: str | None = None, output: Sequence[str] = ()
    ) -> RegoTestResult:
        return RegoTestResult(
            self.name, self.module.name, self.line, status, message, tuple(output)
        )


def discover(modules: Sequence[RegoModule]) -> list[_Test]:
    """``test_*`` rules of every module, once per package and name (first definition wins)."""
    seen: set[tuple[str, str]] = set()
    tests = []
    for module in modules:
        for rule, line in module.rules.items():
            if _TEST_NAME.match(rule) and (module.package, rule) not in seen:
                seen.add((module.package, rule))
                tests.append(_Test(module, rule, line))
    return tests


def _source_line(modules: dict[str, RegoModule], location: str) -> str | None:
    file, _, row = location.rpartition(":")
    module = modules.get(file)
    if module is None or not row.isdigit():
        return None
    lines = module.source.splitlines()
    index = int(row) - 1
    return lines[index].strip() if 0 <= index < len(lines) else None


def _explain(trace: list[dict[str, Any]] | None, modules: dict[str, RegoModule]) -> list[str]:
    """The last failed expression located in a loaded file, with the variables bound there."""
    for event in reversed(trace or []):
        location = str(event.get("location", ""))
        text = _source_line(modules, location) if event.get("op") == "Fail" else None
        if text is None:  # the query itself, or a location in no loaded file
            continue
        lines = [f"{location}: failed: {text}"]
        for name, value in sorted((event.get("locals") or {}).items()):
            if not name.startswith("__"):
                lines.append(f"    {name} = {json.dumps(value, sort_keys=True)[:300]}")
        return lines
    return []


class _Runner:
    def __init__(self, program: Program, modules: Sequence[RegoModule]) -> None:
        self.engine = program.new_engine()
        bindings = _bindings()
        self._errors = (bindings.OpaUndefinedError, bindings.OpaError)
        self.prints: list[str] = []
        self.engine.print_handler = lambda message, location: self.prints.append(
            f"{location}: {message}"
        )
        self.by_name = {m.name: m for m in modules}
        self.covered: dict[str, set[int]] = {}
        self.not_covered: dict[str, set[int]] = {}

    def run(self, test: _Test, *, coverage: bool) -> RegoTestResult:
        _, failed = self._errors
        selector = {_KEY: test.name}
        self.prints = []
        try:
            rows = self.engine.eval_query(_QUERY, selector, coverage=coverage)
            value = rows[0]["x"] if rows else None
        except failed as exc:
            if exc.code == "prepare_error":
                raise compile_error(exc.message) from exc
            return test.result("error", f"{exc.code}: {exc.message}", self.prints)
        finally:
            if coverage:
                self._merge(self.engine.last_coverage)
        if value is True:
            return test.result("pass", output=self.prints)
        message = (
            "undefined: a condition of the test did not hold"
            if value is None
            else f"the test evaluated to {json.dumps(value)[:200]}, not true"
        )
        printed = list(self.prints)
        self.engine.eval_query(_QUERY, selector, trace=True)  # the trace is what this run is for
        return test.result(
            "fail", message, [*printed, *_explain(self.engine.last_trace, self.by_name)]
        )

    def _merge(self, report: dict[str, Any] | None) -> None:
        for file, info in ((report or {}).get("files") or {}).items():
            covered = self.covered.setdefault(file, set())
            for span in info.get("covered") or []:
                covered.update(range(span["start"]["row"], span["end"]["row"] + 1))
            missing = self.not_covered.setdefault(file, set())
            for span in info.get("not_covered") or []:
                missing.update(range(span["start"]["row"], span["end"]["row"] + 1))

    def coverage(self) -> list[FileCoverage]:
        files = sorted(f for f in set(self.covered) | set(self.not_covered) if f in self.by_name)
        return [
            FileCoverage(
                f,
                len(self.covered.get(f, set())),
                len(self.not_covered.get(f, set()) - self.covered.get(f, set())),
            )
            for f in files
        ]


def run_rego_tests(
    modules: Sequence[RegoModule],
    test_modules: Sequence[RegoModule],
    config: GovernanceConfig,
    policies: Sequence[PolicyDefinition] = (),
    *,
    pattern: re.Pattern[str] | None = None,
    coverage: bool = False,
) -> TestRun:
    """Run the ``test_*`` rules (matching ``pattern``) of ``modules`` + ``test_modules``.

    ``data.governance`` holds the config and the policies' parameters, as in evaluation; tests
    override them with ``with data.governance.params as ...``. Raises PolicyError when the
    modules do not compile."""
    every = [*modules, *test_modules]
    tests = [t for t in discover(every) if pattern is None or pattern.search(t.name)]
    sources = [(m.name, m.source) for m in every] + [("<tests>", _entry_module(tests))]
    runner = _Runner(Program(sources, data_document(policies, config)), every)
    warm_engine = runner.engine
    try:
        warm(warm_engine)
        run = TestRun([runner.run(t, coverage=coverage) for t in tests])
    finally:
        warm_engine.close()
    if coverage:
        run.coverage = runner.coverage()
    return run


def render_text(results: Sequence[RegoTestResult]) -> str:
    """``opa test``-style listing: failures and errors with file:line, then the totals."""
    lines = [
        f"{r.where}: {r.name}: {r.status.upper()}" + (f" ({r.message})" if r.message else "")
        for r in results
        if r.status != "pass"
    ]
    counts = {s: sum(1 for r in results if r.status == s) for s in ("pass", "fail", "error")}
    lines.append(
        f"PASS: {counts['pass']}/{len(results)}"
        + (f", FAIL: {counts['fail']}" if counts["fail"] else "")
        + (f", ERROR: {counts['error']}" if counts["error"] else "")
    )
    return "\n".join(lines) + "\n"
