"""Load-time checks of the Rego modules: the lint, then compilation on regopy in a child process.

Compilation runs in a throwaway worker because some modules crash regopy while it builds. When
the whole program fails to build without naming a module, a second worker compiles the modules one
at a time, reporting progress before each, so even a crash is attributed to one file.
"""

from __future__ import annotations

from collections.abc import Sequence

from governance.errors import EngineError, PolicyError, Where
from governance.evaluate.rego.lint import lint_module
from governance.evaluate.rego.process import LoadFailure, load_program
from governance.evaluate.rego.program import build_program
from governance.evaluate.rego.source import RegoModule, offset_to_line_col
from governance.model.config import GovernanceConfig
from governance.model.policy import PolicyDefinition


def lint_modules(modules: Sequence[RegoModule]) -> None:
    """Raise on the first divergent construct (in load order), saying how many more there are."""
    issues = [(m, i) for m in modules for i in lint_module(m)]
    if issues:
        module, issue = issues[0]
        more = f" (and {len(issues) - 1} more lint issue(s))" if len(issues) > 1 else ""
        raise PolicyError(issue.message + more, module.where(issue.line, issue.col))


def module_error(module: RegoModule, failure: LoadFailure) -> PolicyError:
    line, col = (
        offset_to_line_col(module.source, failure.offset)
        if failure.offset is not None
        else (None, None)
    )
    return PolicyError(
        f"Rego does not compile on the embedded engine: {failure.message}", module.where(line, col)
    )


def check_compiles(
    modules: Sequence[RegoModule],
    policies: Sequence[PolicyDefinition],
    config: GovernanceConfig,
) -> None:
    """Build the program exactly as the engine will; raise a PolicyError naming the file."""
    program = build_program(modules, policies, config)
    timeout = max(config.engine.timeout_seconds, 60.0)
    try:
        load_program(program, timeout=timeout)
        return
    except LoadFailure as failure:
        if failure.module is not None:
            raise _attributed(failure, modules) from failure
        first = failure
    try:
        load_program(program, timeout=timeout, diagnose=True)
    except LoadFailure as failure:
        if failure.module is not None:
            raise _attributed(failure, modules) from failure
        first = failure
    # Each module compiles alone but the set does not (e.g. conflicting rules across files).
    raise PolicyError(
        f"the Rego modules do not compile together on the embedded engine: {first.message}",
        Where(source="rego modules"),
    )


def _attributed(failure: LoadFailure, modules: Sequence[RegoModule]) -> PolicyError | EngineError:
    assert failure.module is not None
    if failure.module < len(modules):
        return module_error(modules[failure.module], failure)
    # The generated entry module failed: a bug here, not in the policies.
    return EngineError(
        f"the generated entry module does not compile: {failure.message}",
        Where(source="governance_entry"),
    )
