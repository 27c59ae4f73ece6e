"""Rego unit tests (``test_*`` rules), run like ``opa test`` on the embedded engine.

regopy lists only *passing* tests under ``data.<package>``, so test names are read from the
source and each one is queried on its own: ``true`` passes, anything else (undefined, false)
fails, a runtime error is an error. Tests run in worker processes like policies: a test that
crashes the engine is an error naming its file:line, and the other tests still run. A test module
that cannot be loaded (lint issue, parse error, a construct that crashes the compiler such as
``with input as {...}``) turns its own tests into errors and is left out; the rest still run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from governance.errors import PolicyError
from governance.evaluate.rego.check import module_error
from governance.evaluate.rego.lint import lint_module
from governance.evaluate.rego.pool import Scheduler, Task
from governance.evaluate.rego.process import LoadFailure, Program
from governance.evaluate.rego.program import data_document
from governance.evaluate.rego.source import RegoModule
from governance.model.config import GovernanceConfig
from governance.model.policy import PolicyDefinition

TestStatus = Literal["pass", "fail", "error"]


@dataclass(frozen=True)
class RegoTestResult:
    name: str
    """``data.<package>.test_<name>``."""
    file: str
    line: int
    status: TestStatus
    message: str | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class _Test:
    module: RegoModule
    rule: str
    line: int

    @property
    def name(self) -> str:
        return f"data.{self.module.package}.{self.rule}"

    @property
    def entrypoint(self) -> str:
        return f"{self.module.package.replace('.', '/')}/{self.rule}"

    def result(self, status: TestStatus, message: str | None = None) -> RegoTestResult:
        return RegoTestResult(self.name, self.module.name, self.line, status, message)


def discover(modules: Sequence[RegoModule]) -> list[_Test]:
    """``test_*`` rules of every module, once per package and name (first definition wins)."""
    seen: set[tuple[str, str]] = set()
    tests = []
    for module in modules:
        for rule, line in module.rules.items():
            if rule.startswith("test_") and (module.package, rule) not in seen:
                seen.add((module.package, rule))
                tests.append(_Test(module, rule, line))
    return tests


def _verdict(test: _Test, output: str | None, error: str | None) -> RegoTestResult:
    if error is not None:
        return test.result("error", error)
    if output == "undefined":
        return test.result("fail", "undefined: a condition of the test did not hold")
    try:
        value = json.loads(output or "")["expressions"][0]
    except (json.JSONDecodeError, KeyError, IndexError, TypeError):
        return test.result("error", f"unreadable engine output: {(output or '')[:200]}")
    if value is True:
        return test.result("pass")
    return test.result("fail", f"the test evaluated to {json.dumps(value)[:200]}, not true")


@dataclass
class _Group:
    """Tests run together: one test module with every policy module (its own program)."""

    modules: list[RegoModule]
    tests: list[_Test]
    blame: RegoModule | None
    """The module held responsible when the program cannot be loaded."""


def _load_error(group: _Group, failure: LoadFailure | None, message: str | None) -> str:
    if failure is not None and failure.module is not None and failure.module < len(group.modules):
        error = module_error(group.modules[failure.module], failure)
    else:
        where = group.blame.where() if group.blame else None
        error = PolicyError(f"the module could not be loaded: {message}", where)
    return f"{error.where}: {error.message}" if error.where else error.message


def run_rego_tests(
    modules: Sequence[RegoModule],
    test_modules: Sequence[RegoModule],
    config: GovernanceConfig,
    policies: Sequence[PolicyDefinition] = (),
) -> list[RegoTestResult]:
    """Run every ``test_*`` rule of ``modules`` + ``test_modules`` (a loaded pack's two lists).

    Each test module is loaded with all policy modules but without the other test modules:
    regopy 1.5.2 fails or crashes compiling some sets of test modules that each load fine
    alone. ``data.governance`` is mounted as for evaluation (config and the policies'
    parameters); tests may override it with ``with data.governance.params as ...``.
    """
    data_json = json.dumps(data_document(policies, config))
    base = list(modules)
    results: dict[str, RegoTestResult] = {}
    groups = [_Group(base, discover(base), None)]
    for module in test_modules:
        tests = [t for t in discover([module]) if t.name not in {g.name for g in groups[0].tests}]
        issues = lint_module(module)
        if issues:
            first = issues[0]
            error = PolicyError(first.message, module.where(first.line, first.col))
            results.update(
                (t.name, t.result("error", f"{error.where}: {error.message}")) for t in tests
            )
        elif tests:
            groups.append(_Group([*base, module], tests, module))
    groups = [g for g in groups if g.tests]
    tasks = [
        Task(
            index,
            list(range(len(group.tests))),
            lambda: b"{}",
            Program(
                [(m.name, m.source) for m in group.modules],
                data_json,
                [t.entrypoint for t in group.tests],
            ),
        )
        for index, group in enumerate(groups)
    ]
    workers = config.engine.workers or os.cpu_count() or 1
    scheduler = Scheduler(None, workers=workers, timeout=config.engine.timeout_seconds)
    for outcome in scheduler.run(tasks):
        group = groups[outcome.task]
        if outcome.entry is None:
            message = _load_error(group, outcome.load_failure, outcome.error)
            results.update(
                (t.name, t.result("error", message)) for t in group.tests if t.name not in results
            )
        else:
            test = group.tests[outcome.entry]
            results[test.name] = _verdict(test, outcome.output, outcome.error)
    every = discover([*modules, *test_modules])
    return [results[t.name] for t in every if t.name in results]


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
