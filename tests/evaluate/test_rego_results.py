"""Normalising deny/warn results (OPA sets: arrays of strings or objects), locating violations."""

from __future__ import annotations

import pytest

from governance.evaluate.rego.results import Locator, ResultError, Violation, parse_result
from governance.model import Bundle, Column, Location, Product, Resource


def test_v1_sets_of_strings_and_objects() -> None:
    result = parse_result(
        {
            "applicable": True,
            "deny": [
                "plain",
                {
                    "msg": "obj",
                    "subject": "aws_s3_bucket.a",
                    "field": "owner",
                    "evidence": {"n": 1},
                    "details": "kept",
                },
            ],
            "warn": [{"msg": "w"}],
        }
    )
    assert result.deny == [
        Violation("plain"),
        Violation("obj", "aws_s3_bucket.a", "owner", {"n": 1, "details": "kept"}),
    ]
    assert result.warn == [Violation("w")]


def test_not_applicable_result_has_no_violations() -> None:
    result = parse_result({"applicable": False})
    assert not result.applicable and result.deny == []


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ({"applicable": True, "deny": [42], "warn": []}, "string or an object"),
        ({"applicable": True, "deny": [{"subject": "x"}], "warn": []}, "'msg'"),
        ({"applicable": True, "deny": {"msg": "x"}, "warn": []}, "set of strings"),
        ({"applicable": True, "deny": True, "warn": []}, "set of strings"),
        ({"applicable": True, "deny": [{"msg": "x", "evidence": 3}], "warn": []}, "evidence"),
        ({"applicable": True, "deny": [{"msg": "x", "subject": 3}], "warn": []}, "subject"),
        ({"applicable": "yes", "deny": [], "warn": []}, "boolean"),
    ],
)
def test_malformed_results_are_errors(value: object, needle: str) -> None:
    with pytest.raises(ResultError, match=needle):
        parse_result(value)


@pytest.mark.parametrize("value", [None, "undefined", [], 42])
def test_a_result_that_is_not_an_object_is_an_error(value: object) -> None:
    with pytest.raises(ResultError):
        parse_result(value)


def bundle() -> Bundle:
    product = Product(
        id="orders",
        name="orders",
        source=Location(file="orders.yaml", line=1),
        locations={
            "backup": Location(file="orders.yaml", line=7),
            "retention_days": Location(file="orders.yaml", line=5),
        },
        columns=[Column(name="email", location=Location(file="orders.yaml", line=12))],
    )
    resource = Resource(
        address="aws_s3_bucket.orders",
        type="aws_s3_bucket",
        arn="arn:aws:s3:::orders",
        location=Location(file="plan.json", line=40),
    )
    return Bundle(id="orders", product=product, resources=[resource])


@pytest.mark.parametrize(
    ("violation", "line"),
    [
        (Violation("m", field="retention_days"), 5),
        (Violation("m", field="backup.rpo"), 7),  # the nearest declared parent
        (Violation("m", subject="aws_s3_bucket.orders"), 40),
        (Violation("m", subject="arn:aws:s3:::orders"), 40),
        (Violation("m", subject="email"), 12),
        (Violation("m", subject="unknown", field="sla.tier"), 1),  # the product file
        (Violation("m"), 1),
    ],
)
def test_location_of_a_violation(violation: Violation, line: int) -> None:
    found = Locator(bundle()).locate(violation)
    assert found is not None and found.line == line


def test_unowned_violation_without_subject_has_no_location() -> None:
    unowned = Bundle(id="unowned", resources=bundle().resources)
    assert Locator(unowned).locate(Violation("m")) is None
    assert Locator(unowned).locate(Violation("m", subject="aws_s3_bucket.orders")) is not None
