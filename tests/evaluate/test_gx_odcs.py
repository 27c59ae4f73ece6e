"""ODCS quality rules: which map onto expectations, which cannot run on a sample, and real runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from governance.collect.files import load_yaml
from governance.errors import InputError
from governance.evaluate.gx import QualityConfig, SamplesConfig, collect_quality, quality_evidence
from governance.evaluate.gx.odcs import QualityRule, extract_rules, rules_suite
from governance.model.evidence import Location, Product


def mapped(column: str | None, spec: dict[str, Any]) -> tuple[str, dict[str, Any]] | str:
    suite, unsupported = rules_suite("p", "c.yaml", [QualityRule(column, spec)])
    if suite is None:
        return unsupported[0].reason if unsupported else "ignored"
    only = suite.expectations[0]
    return only.type, only.kwargs


@pytest.mark.parametrize(
    ("column", "spec", "expected"),
    [
        (
            "id",
            {"rule": "nullCheck", "mustBe": 0},
            ("expect_column_values_to_not_be_null", {"column": "id"}),
        ),
        (
            "id",
            {"metric": "nullValues", "mustBe": 0, "unit": "rows"},
            ("expect_column_values_to_not_be_null", {"column": "id"}),
        ),
        (
            "id",
            {"metric": "nullValues", "mustBeLessThan": 5, "unit": "percent"},
            ("expect_column_values_to_not_be_null", {"column": "id", "mostly": 0.95}),
        ),
        (
            "id",
            {"metric": "duplicateValues", "mustBe": 0},
            ("expect_column_values_to_be_unique", {"column": "id"}),
        ),
        (
            "status",
            {"rule": "validValues", "validValues": ["a", "b"], "mustBe": 0},
            ("expect_column_values_to_be_in_set", {"column": "status", "value_set": ["a", "b"]}),
        ),
        (
            "status",
            {"metric": "invalidValues", "arguments": {"validValues": ["a"]}, "mustBe": 0},
            ("expect_column_values_to_be_in_set", {"column": "status", "value_set": ["a"]}),
        ),
        (
            "code",
            {"metric": "invalidValues", "arguments": {"pattern": "^[A-Z]{2}$"}, "mustBe": 0},
            ("expect_column_values_to_match_regex", {"column": "code", "regex": "^[A-Z]{2}$"}),
        ),
        (
            None,
            {"metric": "rowCount", "mustBeBetween": [10, 20]},
            ("expect_table_row_count_to_be_between", {"min_value": 10, "max_value": 20}),
        ),
        (
            None,
            {"rule": "rowCount", "mustBeGreaterThan": 5},
            ("expect_table_row_count_to_be_between", {"min_value": 5, "strict_min": True}),
        ),
        (
            None,
            {"metric": "rowCount", "mustBe": 7},
            ("expect_table_row_count_to_equal", {"value": 7}),
        ),
        (
            "age",
            {
                "type": "custom",
                "engine": "dqx",
                "implementation": {
                    "check": {
                        "function": "is_in_range",
                        "arguments": {"min_limit": 0, "max_limit": 130},
                    }
                },
            },
            (
                "expect_column_values_to_be_between",
                {"column": "age", "min_value": 0, "max_value": 130},
            ),
        ),
        (
            None,
            {
                "type": "custom",
                "engine": "dqx",
                "implementation": {
                    "check": {"function": "is_not_null", "arguments": {"column": "id"}}
                },
            },
            ("expect_column_values_to_not_be_null", {"column": "id"}),
        ),
        (
            "loc",
            {
                "type": "custom",
                "engine": "dqx",
                "implementation": {
                    "check": {
                        "function": "regex_match",
                        "arguments": {"regex": "x", "negate": True},
                    }
                },
            },
            ("expect_column_values_to_not_match_regex", {"column": "loc", "regex": "x"}),
        ),
    ],
)
def test_rules_that_map(
    column: str | None, spec: dict[str, Any], expected: tuple[str, dict[str, Any]]
) -> None:
    assert mapped(column, spec) == expected


@pytest.mark.parametrize(
    ("column", "spec", "reason"),
    [
        (
            None,
            {"type": "sql", "query": "SELECT COUNT(*) FROM t", "mustBe": 0},
            "need the source system",
        ),
        (
            "id",
            {"metric": "nullValues", "mustBeLessThan": 5, "unit": "rows"},
            "percent upper bound",
        ),
        ("id", {"metric": "freshness"}, "no expectation equivalent"),
        ("id", {"type": "custom", "engine": "soda", "implementation": "x"}, "custom engine 'soda'"),
        (
            "t",
            {
                "type": "custom",
                "engine": "dqx",
                "implementation": {"filter": "a = 1", "check": {"function": "is_not_null"}},
            },
            "has a filter",
        ),
    ],
)
def test_rules_that_cannot_run_on_a_sample(
    column: str | None, spec: dict[str, Any], reason: str
) -> None:
    result = mapped(column, spec)
    assert isinstance(result, str) and reason in result


def test_text_rules_are_descriptions() -> None:
    assert mapped("x", {"type": "text", "description": "must be nice"}) == "ignored"


def test_corpus_full_example_rules_keep_their_lines(corpus: Path) -> None:
    path = (
        corpus / "contracts" / "bitol-io__open-data-contract-standard__full-example-v310.odcs.yaml"
    )
    rules = extract_rules(load_yaml(path), str(path))
    suite, unsupported = rules_suite("tbl", str(path), rules)
    assert unsupported == []
    assert suite is not None
    assert {(e.type, e.where.line) for e in suite.expectations} == {
        ("expect_column_values_to_not_be_null", 136),
        ("expect_table_row_count_to_be_between", 153),
    }


def test_corpus_dqx_contract_maps_column_checks(corpus: Path) -> None:
    path = corpus / "contracts" / "datacontract__datacontract-cli__dqx-quality-odcs310.yaml"
    suite, unsupported = rules_suite("dqx", str(path), extract_rules(load_yaml(path), str(path)))
    assert suite is not None
    assert ("expect_column_values_to_be_in_set", "interaction_type") in {
        (e.type, e.column) for e in suite.expectations
    }
    assert any("is_valid_timestamp" in u.reason for u in unsupported)


# ------------------------------------------------------------------------------ through a run


def product_at(path: Path) -> Product:
    return Product(id="orders", name="orders", source=Location(file=str(path)))


def test_sql_rules_fail_closed_by_default_and_can_be_skipped(corpus: Path, tmp_path: Path) -> None:
    path = corpus / "contracts" / "datacontract__datacontract-cli__orders-odcs310.yaml"
    rules = extract_rules(load_yaml(path), str(path))
    sample = tmp_path / "orders.csv"
    sample.write_text("order_id,order_total\n1,10\n")
    with pytest.raises(InputError, match="cannot be evaluated on a sample") as err:
        quality_evidence(
            product_at(path), sample, [], SamplesConfig(), QualityConfig(), rules=rules
        )
    assert err.value.where is not None and err.value.where.line in {59, 73}
    skipped = quality_evidence(
        product_at(path),
        sample,
        [],
        SamplesConfig(),
        QualityConfig(unsupported_rules="skip"),
        rules=rules,
    )
    assert skipped is not None and skipped.suites == []


def test_contract_rules_run_on_the_sample(tmp_path: Path) -> None:
    contract = tmp_path / "orders.odcs.yaml"
    contract.write_text(
        "apiVersion: v3.1.0\nkind: DataContract\nid: orders\nschema:\n  - name: orders\n"
        "    quality:\n      - metric: rowCount\n        mustBeGreaterOrEqualTo: 1\n"
        "    properties:\n      - name: id\n        quality:\n"
        "          - metric: nullValues\n            mustBe: 0\n"
        "      - name: status\n        quality:\n          - metric: invalidValues\n"
        "            arguments: {validValues: [new, paid]}\n            mustBe: 0\n"
    )
    sample = tmp_path / "orders.csv"
    sample.write_text("id,status\n1,new\n2,paid\n3,lost\n")
    rules = extract_rules(load_yaml(contract), str(contract))
    evidence = quality_evidence(
        product_at(contract), sample, [], SamplesConfig(), QualityConfig(), rules=rules
    )
    assert evidence is not None
    (suite,) = evidence.suites
    assert suite.suite == "orders (contract quality rules)"
    assert [(e.type, e.success) for e in suite.expectations] == [
        ("expect_table_row_count_to_be_between", True),
        ("expect_column_values_to_not_be_null", True),
        ("expect_column_values_to_be_in_set", False),
    ]
    assert suite.expectations[2].unexpected_count == 1


def test_unsupported_rules_without_a_sample_are_not_an_error(corpus: Path) -> None:
    path = corpus / "contracts" / "datacontract__datacontract-cli__orders-odcs310.yaml"
    rules = extract_rules(load_yaml(path), str(path))
    assert (
        quality_evidence(product_at(path), None, [], SamplesConfig(), QualityConfig(), rules=rules)
        is None
    )


def test_collect_quality_runs_contract_rules_per_product(tmp_path: Path) -> None:
    contract = tmp_path / "orders.odcs.yaml"
    contract.write_text(
        "schema:\n  - name: orders\n    properties:\n      - name: id\n        quality:\n"
        "          - rule: duplicateCount\n            mustBe: 0\n"
    )
    (tmp_path / "orders.csv").write_text("id\n1\n2\n2\n")
    rules = extract_rules(load_yaml(contract), str(contract))
    found = collect_quality(
        [product_at(contract)],
        samples=SamplesConfig(),
        quality=QualityConfig(),
        samples_dir=tmp_path,
        rules={"orders": rules},
    )
    (suite,) = found.quality["orders"].suites
    assert (suite.success, suite.expectations[0].unexpected_count) == (False, 2)
