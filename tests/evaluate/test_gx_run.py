"""The real GX 1.x runner on corpus samples with the corpus suites that pair with them.

Expected outcomes are computed from the data with pandas (the oracle), not written down.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from governance.collect.samples import Sample, read_sample
from governance.errors import InputError
from governance.evaluate.gx.runner import run_suite
from governance.evaluate.gx.suites import SuiteSpec, load_suite, parse_suite
from governance.model.evidence import SuiteResult


def run(
    sample_path: Path, suite_path: Path, max_rows: int | None = None
) -> tuple[Sample, SuiteSpec, SuiteResult]:
    sample = read_sample(sample_path, max_rows)
    suite = load_suite(suite_path)
    return sample, suite, run_suite(sample, suite)


def oracle(frame: pd.DataFrame, kind: str, kw: dict[str, Any]) -> bool | None:
    """What an expectation should conclude on ``frame``; None where pandas has no simple answer."""

    def between(value: float) -> bool:
        low, high = kw.get("min_value"), kw.get("max_value")
        return (low is None or value >= low) and (high is None or value <= high)

    def mostly(ok: pd.Series) -> bool:
        return bool(ok.mean() >= kw.get("mostly", 1.0)) if len(ok) else True

    column = frame[kw["column"]] if "column" in kw else None
    checks = {
        "expect_table_row_count_to_be_between": lambda: between(len(frame)),
        "expect_table_column_count_to_equal": lambda: len(frame.columns) == kw["value"],
        "expect_table_column_count_to_be_between": lambda: between(len(frame.columns)),
        "expect_table_columns_to_match_ordered_list": lambda: (
            list(frame.columns) == kw["column_list"]
        ),
        "expect_column_values_to_not_be_null": lambda: mostly(column.notna()),
        "expect_column_values_to_be_in_set": lambda: mostly(column.dropna().isin(kw["value_set"])),
        "expect_column_values_to_be_between": lambda: mostly(
            column.dropna().between(kw["min_value"], kw["max_value"])
        ),
        "expect_column_values_to_be_unique": lambda: (
            not column.dropna().duplicated(keep=False).any()
        ),
        "expect_column_min_to_be_between": lambda: between(column.min()),
        "expect_column_max_to_be_between": lambda: between(column.max()),
        "expect_column_mean_to_be_between": lambda: between(column.mean()),
        "expect_column_unique_value_count_to_be_between": lambda: between(column.nunique()),
        "expect_column_distinct_values_to_be_in_set": lambda: (
            set(column.dropna()) <= set(kw["value_set"])
        ),
        "expect_column_to_exist": lambda: kw["column"] in frame.columns,
        "expect_column_values_to_match_regex": lambda: mostly(
            column.dropna().astype(str).str.contains(kw["regex"], regex=True)
        ),
    }
    check = checks.get(kind)
    return None if check is None else bool(check())


def assert_agrees_with_oracle(sample: Sample, suite: SuiteSpec, result: SuiteResult) -> int:
    checked = 0
    assert [e.type for e in result.expectations] == [s.type for s in suite.expectations]
    for spec, got in zip(suite.expectations, result.expectations, strict=True):
        expected = oracle(sample.frame, spec.type, spec.kwargs)
        if expected is not None:
            assert got.success is expected, spec.type
            checked += 1
    assert result.success is all(e.success for e in result.expectations)
    assert result.score == round(
        sum(e.success for e in result.expectations) / len(result.expectations), 4
    )
    return checked


# ------------------------------------------------------------------------------ corpus pairs


def test_taxi_v3_suite_on_yellow_tripdata(corpus: Path) -> None:
    sample, suite, result = run(
        corpus / "samples" / "great-expectations__gx_tutorials__yellow-tripdata-2019-01.csv",
        corpus / "expectations" / "great-expectations__gx_tutorials__taxi-demo-v3api.json",
    )
    assert suite.name == "taxi.demo"  # 0.13 V3-API format, converted
    assert assert_agrees_with_oracle(sample, suite, result) >= 7
    not_null = result.expectations[
        [s.type for s in suite.expectations].index("expect_column_values_to_not_be_null")
    ]
    assert not_null.element_count == sample.rows
    assert not_null.unexpected_count == int(sample.frame["passenger_count"].isna().sum())


def test_taxi_v2_profiler_suite_on_yellow_tripdata(corpus: Path) -> None:
    sample, suite, result = run(
        corpus / "samples" / "great-expectations__gx_tutorials__yellow-tripdata-2019-01.csv",
        corpus / "expectations" / "great-expectations__gx_tutorials__taxi-demo-v2api.json",
    )
    assert "expect_column_kl_divergence_to_be_less_than" in [e.type for e in result.expectations]
    assert assert_agrees_with_oracle(sample, suite, result) >= 5


def test_npi_critical_suite_on_npi_small(corpus: Path) -> None:
    sample, suite, result = run(
        corpus / "samples" / "great-expectations__gx_tutorials__npi-small.csv",
        corpus / "expectations" / "great-expectations__gx_tutorials__npi-small-file-critical.json",
    )
    assert suite.name == "npi_small_file.critical"  # single-line 0.9.2 suite
    assert assert_agrees_with_oracle(sample, suite, result) == 6
    in_set = result.expectations[4]
    outside = ~sample.frame["State"].dropna().isin(suite.expectations[4].kwargs["value_set"])
    assert in_set.unexpected_count == int(outside.sum())


def test_npi_demo_suite_names_columns_npi_small_lacks(corpus: Path) -> None:
    with pytest.raises(InputError, match="column 'npi' not in sample") as err:
        run(
            corpus / "samples" / "great-expectations__gx_tutorials__npi-small.csv",
            corpus
            / "expectations"
            / "great-expectations__great_expectations_action__npi-demo.json",
        )
    assert err.value.where is not None and err.value.where.line is not None


def test_gx_164_demo_suite_on_its_dataset(corpus: Path) -> None:
    sample, suite, result = run(
        corpus / "samples" / "JadesonBruno__demo-great-expectations__dataset.csv",
        corpus / "expectations" / "JadesonBruno__demo-great-expectations__gx1-6-4-suite.json",
    )
    assert assert_agrees_with_oracle(sample, suite, result) == 6
    assert result.success


def test_titanic_suite_fails_on_the_odd_pclass(corpus: Path) -> None:
    sample, suite, result = run(
        corpus / "samples" / "great-expectations__great_expectations__Titanic.csv",
        corpus
        / "expectations"
        / "great-expectations__great_expectations__titanic-expectations.json",
    )
    assert assert_agrees_with_oracle(sample, suite, result) >= 9
    classes = set(sample.frame["PClass"].dropna()) - {"1st", "2nd", "3rd"}
    assert result.success is (not classes)


def test_profiler_suite_with_null_value_set_is_an_error_at_its_line(corpus: Path) -> None:
    path = (
        corpus
        / "expectations"
        / "great-expectations__great_expectations__basic-profiler-expectations.json"
    )
    with pytest.raises(InputError, match="value_set") as err:
        run(corpus / "samples" / "great-expectations__great_expectations__Titanic.csv", path)
    assert err.value.where is not None and err.value.where.line == 176


def test_parameterized_suite_is_refused(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"\$PARAMETER"):
        load_suite(
            corpus
            / "expectations"
            / "great-expectations__great_expectations__parameterized-suite.json"
        )


# --------------------------------------------------------------------------- fixture suites


def test_classic_and_v1_formats_give_the_same_results(fixtures: Path) -> None:
    sample = read_sample(fixtures / "samples" / "contacts.csv")
    v1 = run_suite(sample, load_suite(fixtures / "samples" / "suite-v1.json"))
    v0 = run_suite(sample, load_suite(fixtures / "samples" / "suite-v0-classic.json"))
    assert v0.expectations == v1.expectations
    assert v0.suite == "contacts.classic" and v1.suite == "contacts"
    assert v1.success


def test_failing_suite_reports_counts(fixtures: Path) -> None:
    sample, suite, result = run(
        fixtures / "samples" / "contacts.csv",
        fixtures / "samples" / "suite-fails-segment-and-phone.json",
    )
    assert assert_agrees_with_oracle(sample, suite, result) == 4
    phone, segment = result.expectations[1], result.expectations[2]
    assert (phone.success, phone.unexpected_count) == (
        False,
        int(sample.frame["phone"].isna().sum()),
    )
    assert (segment.success, segment.column) == (False, "segment")
    assert segment.unexpected_count == int(
        (~sample.frame["segment"].isin(["retail", "business"])).sum()
    )
    assert result.score == 0.5


def test_unknown_expectation_type_is_an_error_never_a_pass(fixtures: Path) -> None:
    with pytest.raises(InputError, match="unknown expectation type") as err:
        run(fixtures / "samples" / "contacts.csv", fixtures / "samples" / "suite-unknown-type.json")
    assert "expect_column_values_to_be_spotless" in err.value.message
    assert err.value.where is not None and err.value.where.line == 5


def test_missing_column_is_an_error(fixtures: Path) -> None:
    with pytest.raises(InputError, match="column 'customer_number' not in sample") as err:
        run(
            fixtures / "samples" / "contacts.csv",
            fixtures / "samples" / "suite-missing-column.json",
        )
    assert err.value.where is not None and err.value.where.line == 5


def test_column_to_exist_on_a_missing_column_is_a_failure_not_an_error(fixtures: Path) -> None:
    sample = read_sample(fixtures / "samples" / "contacts.csv")
    suite = parse_suite(
        {
            "name": "s",
            "expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": "fax"}}],
        },
        "s.json",
    )
    result = run_suite(sample, suite)
    assert not result.success and result.score == 0.0


def test_removed_0x_argument_is_an_error(fixtures: Path) -> None:
    with pytest.raises(InputError, match="parse_strings_as_datetimes"):
        run(
            fixtures / "samples" / "contacts.csv",
            fixtures / "samples" / "suite-invalid-kwargs.json",
        )


@pytest.mark.parametrize(
    ("name", "words"),
    [("suite-empty.json", "no expectations"), ("suite-truncated.json", "malformed JSON")],
)
def test_unusable_suite_files(fixtures: Path, name: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        load_suite(fixtures / "samples" / name)


def test_runtime_exception_is_an_error_without_values(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("email\nsecret.one@example.com\nsecret.two@example.com\n")
    suite = parse_suite(
        {
            "name": "s",
            "expectations": [
                {
                    "type": "expect_column_mean_to_be_between",
                    "kwargs": {"column": "email", "min_value": 0},
                }
            ],
        },
        "s.json",
    )
    with pytest.raises(InputError, match="could not be evaluated") as err:
        run_suite(read_sample(path), suite)
    assert "secret" not in str(err.value)


# ---------------------------------------------------------------------------- capped samples


def row_count_suite(low: int, high: int) -> SuiteSpec:
    return parse_suite(
        {
            "name": "rows",
            "expectations": [
                {
                    "type": "expect_table_row_count_to_be_between",
                    "kwargs": {"min_value": low, "max_value": high},
                }
            ],
        },
        "rows.json",
    )


def test_row_count_on_a_capped_sample_judges_the_whole_file(fixtures: Path) -> None:
    capped = read_sample(fixtures / "samples" / "contacts.csv", max_rows=3)
    assert capped.capped and capped.rows == 3
    assert run_suite(capped, row_count_suite(5, 10)).success  # the file has 6 rows
    result = run_suite(capped, row_count_suite(1, 3))
    assert not result.success
    assert result.expectations[0].element_count == 6


def test_row_count_on_an_uncapped_sample_goes_through_gx(fixtures: Path) -> None:
    sample = read_sample(fixtures / "samples" / "contacts.csv")
    assert run_suite(sample, row_count_suite(6, 6)).success
    assert not run_suite(sample, row_count_suite(1, 5)).success


# ------------------------------------------------------------------------- side effects


def test_no_files_written_and_no_progress_bars(
    fixtures: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    run(
        fixtures / "samples" / "contacts.csv",
        fixtures / "samples" / "suite-fails-segment-and-phone.json",
    )
    out = capsys.readouterr()
    assert list(tmp_path.iterdir()) == []
    assert not (fixtures / "samples" / "gx").exists()
    assert "Calculating Metrics" not in out.out + out.err


def test_result_format_suppresses_value_lists_in_gx_itself() -> None:
    """Why only counts are copied: BASIC + partial_unexpected_count 0 empties GX's value lists of
    map expectations, but aggregate expectations still carry values in ``observed_value``."""
    import great_expectations as gx

    from governance.evaluate.gx.runner import RESULT_FORMAT, _batch_definition

    frame = pd.DataFrame({"email": [f"canary-{i}@canary-mail.example" for i in range(50)]})
    suite = gx.ExpectationSuite(
        name="raw",
        expectations=[
            gx.expectations.ExpectColumnValuesToMatchRegex(column="email", regex="^nobody$"),
            gx.expectations.ExpectColumnMostCommonValueToBeInSet(column="email", value_set=["x"]),
        ],
    )
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})

    def results(result_format: Any) -> dict[str, Any]:
        validation = batch.validate(suite, result_format=result_format)
        return {r.expectation_config.type: r.result for r in validation.results}

    raw = results(RESULT_FORMAT)
    regex = raw["expect_column_values_to_match_regex"]
    assert regex["unexpected_count"] == 50
    assert regex.get("partial_unexpected_list", []) == []
    assert "unexpected_list" not in regex and "unexpected_index_list" not in regex
    assert "canary-" in json.dumps(raw["expect_column_most_common_value_to_be_in_set"], default=str)
    summary = results("SUMMARY")["expect_column_values_to_match_regex"]
    assert "canary-" in json.dumps(summary["partial_unexpected_list"])  # what the setting prevents


def test_frames_of_the_same_shape_do_not_share_results() -> None:
    """One batch definition serves every sample: results must come from the frame at hand."""
    suite = parse_suite(
        {
            "name": "s",
            "expectations": [
                {
                    "type": "expect_column_values_to_match_regex",
                    "kwargs": {"column": "code", "regex": "^a"},
                },
                {
                    "type": "expect_column_max_to_be_between",
                    "kwargs": {"column": "n", "max_value": 5},
                },
            ],
        },
        "s.json",
    )
    frames = [
        pd.DataFrame({"code": ["a1", "a2", "b3"], "n": [1, 2, 3]}),
        pd.DataFrame({"code": ["b1", "b2", "b3"], "n": [7, 8, 9]}),
        pd.DataFrame({"code": ["a1", "a2", "a3"], "n": [1, 1, 1]}),
    ]
    outcomes = [
        [
            (e.success, e.unexpected_count)
            for e in run_suite(Sample(Path("s.csv"), "s.csv", "csv", f, False), suite).expectations
        ]
        for f in frames
    ]
    assert outcomes == [
        [(False, 1), (True, None)],
        [(False, 3), (False, None)],
        [(True, 0), (True, None)],
    ]
