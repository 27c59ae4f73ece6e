"""Run one suite on one sample with GX 1.x, through an ephemeral context, keeping counts only.

The context is in memory (no project folder, no files written), with progress bars and analytics
off; it is built once per process. The result format is BASIC with ``partial_unexpected_count: 0``
and no unexpected rows or index lists, and only numeric fields are copied out of GX's results:
observed values (a column's min, its distinct values) never reach the evidence.

A capped sample (``samples.max_rows``) is the first rows of the file: row-count expectations are
judged on the file's real row count, every other expectation on the rows read.

Fail closed: an expectation GX does not know, a configuration it rejects, a column the sample
lacks, an expectation that raised while computing, or an expectation GX dropped from the suite
are ``InputError``s naming the suite file and line, never a pass.
"""

from __future__ import annotations

import re
from typing import Any

from governance.collect.samples import Sample
from governance.errors import InputError
from governance.evaluate.gx.suites import ExpectationSpec, SuiteSpec
from governance.model.evidence import ExpectationResult, SuiteResult

RESULT_FORMAT: dict[str, Any] = {
    "result_format": "BASIC",
    "partial_unexpected_count": 0,
    "include_unexpected_rows": False,
    "return_unexpected_index_query": False,
}
ROW_COUNT_TYPES = frozenset(
    {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
)
_COLUMN_LIST_IS_SUBJECT = frozenset(
    {
        "expect_table_columns_to_match_ordered_list",
        "expect_table_columns_to_match_set",
        "expect_table_columns_to_contain_set",
    }
)
_NOT_PRECHECKED = frozenset(
    {"expect_column_to_exist"}
)  # a missing column is its failure, not an error
_INDEX = "governance_index"
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_STATE: dict[str, Any] = {}


def _batch_definition() -> Any:
    """The ephemeral context's pandas batch definition, built on first use (imports GX)."""
    if "batch" not in _STATE:
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )
        from great_expectations.execution_engine import pandas_execution_engine

        # GX fingerprints every batch smaller than HASH_THRESHOLD bytes (an md5 over a hash of
        # every cell, or a pickle of the whole frame when cells hold dicts): 3 s per million
        # 10-column rows, for a batch marker nothing here reads. A threshold of 0 skips it.
        pandas_execution_engine.HASH_THRESHOLD = 0.0

        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        )
        context = gx.get_context(mode="ephemeral", project_config=config)
        asset = context.data_sources.add_pandas("governance").add_dataframe_asset("sample")
        _STATE["batch"] = asset.add_batch_definition_whole_dataframe("whole")
    return _STATE["batch"]


def referenced_columns(spec: ExpectationSpec) -> list[str]:
    """Columns an expectation reads (not the ones it asserts the existence of)."""
    if spec.type in _NOT_PRECHECKED:
        return []
    names = [spec.kwargs.get(k) for k in ("column", "column_A", "column_B")]
    if spec.type not in _COLUMN_LIST_IS_SUBJECT and isinstance(
        spec.kwargs.get("column_list"), list
    ):
        names.extend(spec.kwargs["column_list"])
    return [n for n in names if isinstance(n, str)]


def check_columns(suite: SuiteSpec, sample: Sample) -> None:
    present = {str(c) for c in sample.frame.columns}
    for index, spec in enumerate(suite.expectations):
        missing = [c for c in referenced_columns(spec) if c not in present]
        if missing:
            names = ", ".join(f"'{c}'" for c in missing)
            raise InputError(
                f"suite '{suite.name}' {spec.label(index)}: column {names} not in sample "
                f"{sample.display} (columns: {', '.join(sorted(present))})",
                spec.where,
            )


def build_expectations(suite: SuiteSpec) -> list[Any]:
    """GX Expectation objects, one per spec; any GX refusal is an InputError at the spec."""
    from great_expectations.compatibility.pydantic import ValidationError
    from great_expectations.exceptions.exceptions import (
        ExpectationNotFoundError,
        InvalidExpectationConfigurationError,
    )
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    built = []
    for index, spec in enumerate(suite.expectations):
        try:
            config = ExpectationConfiguration(
                type=spec.type, kwargs=dict(spec.kwargs), meta={_INDEX: index}
            )
            if spec.severity:
                config.severity = spec.severity  # the setter parses the string
            built.append(config.to_domain_obj())
        except ExpectationNotFoundError as exc:
            raise InputError(
                f"suite '{suite.name}' {spec.label(index)}: unknown expectation type "
                "(not in Great Expectations 1.x)",
                spec.where,
            ) from exc
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
            )
            raise InputError(
                f"suite '{suite.name}' {spec.label(index)}: {problems}", spec.where
            ) from exc
        except (InvalidExpectationConfigurationError, ValueError, TypeError) as exc:
            raise InputError(
                f"suite '{suite.name}' {spec.label(index)}: invalid configuration: "
                f"{_first_line(exc)}",
                spec.where,
            ) from exc
    return built


def run_suite(sample: Sample, suite: SuiteSpec) -> SuiteResult:
    check_columns(suite, sample)
    expectations = build_expectations(suite)
    results: dict[int, ExpectationResult] = {}
    to_gx = []
    for index, (spec, expectation) in enumerate(zip(suite.expectations, expectations, strict=True)):
        if sample.capped and spec.type in ROW_COUNT_TYPES:
            # A capped sample's row count says nothing about the file: judge the real count.
            results[index] = _row_count(spec, sample.total_rows())
        else:
            to_gx.append(expectation)
    if to_gx:
        results.update(_validate(sample, suite, to_gx))
    missing = [i for i in range(len(suite.expectations)) if i not in results]
    if missing:
        spec = suite.expectations[missing[0]]
        raise InputError(
            f"suite '{suite.name}' {spec.label(missing[0])}: Great Expectations "
            "returned no result for it",
            spec.where,
        )
    ordered = [results[i] for i in range(len(suite.expectations))]
    passed = sum(r.success for r in ordered)
    return SuiteResult(
        suite=suite.name,
        file=suite.file,
        success=passed == len(ordered),
        score=round(passed / len(ordered), 4),
        expectations=ordered,
    )


def _validate(
    sample: Sample, suite: SuiteSpec, expectations: list[Any]
) -> dict[int, ExpectationResult]:
    import great_expectations as gx

    gx_suite = gx.ExpectationSuite(name=suite.name, expectations=expectations)
    if len(gx_suite.expectations) != len(expectations):  # GX drops what it cannot add, silently
        raise InputError(
            f"suite '{suite.name}': Great Expectations dropped "
            f"{len(expectations) - len(gx_suite.expectations)} expectation(s)",
            suite.expectations[0].where,
        )
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": sample.frame})
    validation = batch.validate(gx_suite, result_format=RESULT_FORMAT)
    columns = {str(c) for c in sample.frame.columns}
    out: dict[int, ExpectationResult] = {}
    for result in validation.results:
        index = int(result.expectation_config.meta[_INDEX])
        spec = suite.expectations[index]
        info = result.exception_info or {}
        raised = _raised(info)
        if raised is not None:
            raise InputError(
                f"suite '{suite.name}' {spec.label(index)} could not be evaluated on "
                f"{sample.display}: {_sanitise(raised, columns | {spec.type})}",
                spec.where,
            )
        out[index] = _counts(spec, bool(result.success), result.result or {})
    return out


def _raised(info: dict[str, Any]) -> str | None:
    """The exception message of a result, in either of GX's two exception_info shapes."""
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "exception")
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "exception")
    return None


def _sanitise(message: str, allowed: set[str]) -> str:
    """First line of an exception message with quoted text blanked unless it is a column name:
    messages like "could not convert string to float: 'x@y.com'" would otherwise leak values."""
    first = message.strip().splitlines()[0] if message.strip() else "exception"

    def blank(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0)[1:-1] in allowed else "'…'"

    return _QUOTED.sub(blank, first)[:300]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _counts(spec: ExpectationSpec, success: bool, result: dict[str, Any]) -> ExpectationResult:
    element = _number(result.get("element_count"))
    unexpected = _number(result.get("unexpected_count"))
    percent = _number(result.get("unexpected_percent"))
    return ExpectationResult(
        type=spec.type,
        column=spec.column,
        success=success,
        element_count=int(element) if element is not None else None,
        unexpected_count=int(unexpected) if unexpected is not None else None,
        unexpected_percent=round(percent, 4) if percent is not None else None,
    )


def _row_count(spec: ExpectationSpec, rows: int) -> ExpectationResult:
    kwargs = spec.kwargs
    if spec.type == "expect_table_row_count_to_equal":
        ok = rows == kwargs.get("value")
    else:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        ok = True
        if isinstance(low, int | float):
            ok &= rows > low if kwargs.get("strict_min") else rows >= low
        if isinstance(high, int | float):
            ok &= rows < high if kwargs.get("strict_max") else rows <= high
    return ExpectationResult(type=spec.type, success=bool(ok), element_count=rows)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
