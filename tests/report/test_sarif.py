"""SARIF 2.1.0: valid against the official schema, GitHub's severity scale, stable fingerprints."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from governance.model.evidence import Location
from governance.model.result import RunResult, Status
from governance.report import sarif
from tests.report.conftest import build_sample_result, make_finding, make_result


def _doc(result: RunResult) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(sarif.render(result))
    return doc


def test_sample_and_error_runs_validate_against_the_official_schema(
    sample_result: RunResult,
    error_result: RunResult,
    status_result: RunResult,
    sarif_schema: dict[str, Any],
) -> None:
    for result in (sample_result, error_result, status_result):
        jsonschema.validate(_doc(result), sarif_schema)


def test_a_broken_document_fails_the_schema(
    sample_result: RunResult, sarif_schema: dict[str, Any]
) -> None:
    """The schema check is real: a level outside the enum is rejected."""
    doc = _doc(sample_result)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    try:
        jsonschema.validate(doc, sarif_schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("invalid SARIF accepted")


def test_one_rule_per_policy_with_security_severity_and_help(sample_result: RunResult) -> None:
    rules = {r["id"]: r for r in _doc(sample_result)["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {f.policy_id for f in sample_result.findings}
    assert rules["GOV-PII-001"]["properties"]["security-severity"] == "9.5"
    assert rules["GOV-PII-002"]["properties"]["security-severity"] == "8.0"
    assert rules["GOV-TAG-001"]["properties"]["security-severity"] == "5.5"
    assert rules["GOV-PII-001"]["defaultConfiguration"]["level"] == "error"
    assert rules["GOV-TAG-001"]["defaultConfiguration"]["level"] == "warning"
    assert "SSE-KMS" in rules["GOV-PII-001"]["help"]["text"]
    assert "GDPR Art. 32" in rules["GOV-PII-001"]["properties"]["tags"]


def test_results_leave_out_passes_and_mark_accepted_failures_as_suppressed(
    sample_result: RunResult,
) -> None:
    run = _doc(sample_result)["runs"][0]
    results = run["results"]
    statuses = [r["properties"]["status"] for r in results]
    assert "pass" not in statuses
    expected = [f for f in sample_result.findings if f.status is not Status.PASS]
    assert len(results) == len(expected)
    suppressed = {r["ruleId"]: r["suppressions"][0] for r in results if "suppressions" in r}
    assert set(suppressed) == {"GOV-BAK-001", "GOV-RET-001"}  # the waived and the baselined one
    assert "WVR-001" in suppressed["GOV-BAK-001"]["justification"]
    assert "jane.doe@example.com" in suppressed["GOV-BAK-001"]["justification"]
    for r in results:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_physical_location_is_repo_relative_with_region(sample_result: RunResult) -> None:
    results = _doc(sample_result)["runs"][0]["results"]
    pii = next(r for r in results if r["ruleId"] == "GOV-PII-001")
    physical = pii["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": "examples/terraform/plan.json",
        "uriBaseId": "%SRCROOT%",
    }
    assert physical["region"] == {"startLine": 42, "startColumn": 7}


def test_fingerprints_ignore_line_numbers_and_differ_per_subject() -> None:
    def fp(line: int, subject: str) -> str:
        result = make_result(
            [
                make_finding(
                    "GOV-PII-001",
                    Status.FAIL,
                    "sales.orders",
                    subject=subject,
                    location=Location(file="a.json", line=line),
                )
            ]
        )
        return str(
            _doc(result)["runs"][0]["results"][0]["partialFingerprints"][sarif.FINGERPRINT_KEY]
        )

    assert fp(10, "bucket.a") == fp(99, "bucket.a")
    assert fp(10, "bucket.a") != fp(10, "bucket.b")


def test_live_finding_without_file_gets_a_logical_location_only() -> None:
    arn = "arn:aws:s3:::orders-raw"
    result = make_result(
        [
            make_finding(
                "GOV-PII-001",
                Status.FAIL,
                "sales.orders",
                subject=arn,
                location=Location(account="123456789012", arn=arn),
            )
        ]
    )
    location = _doc(result)["runs"][0]["results"][0]["locations"][0]
    assert "physicalLocation" not in location
    assert location["logicalLocations"][0]["fullyQualifiedName"] == arn


def test_paths_with_spaces_and_absolute_paths_are_valid_uris(sarif_schema: dict[str, Any]) -> None:
    findings = [
        make_finding(
            "GOV-TAG-001",
            Status.FAIL,
            "sales.orders",
            subject="a",
            location=Location(file="data products/sales #1.yaml", line=3),
        ),
        make_finding(
            "GOV-TAG-001",
            Status.FAIL,
            "sales.orders",
            subject="b",
            location=Location(file="/abs/dir/plan.json", line=1),
        ),
    ]
    doc = _doc(make_result(findings))
    jsonschema.validate(doc, sarif_schema)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in doc["runs"][0]["results"]
    ]
    assert {"uri": "data%20products/sales%20%231.yaml", "uriBaseId": "%SRCROOT%"} in uris
    assert {"uri": "file:///abs/dir/plan.json"} in uris


def test_run_errors_make_the_invocation_unsuccessful(error_result: RunResult) -> None:
    invocation = _doc(error_result)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert "examples/finance/dataproduct.yaml:12:3: malformed YAML" in texts[0]
    assert _doc(build_sample_result())["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_blocking_threshold_sets_result_level() -> None:
    finding = make_finding("GOV-TAG-001", Status.FAIL, "p", subject="s")  # medium
    gated = _doc(make_result([finding], fail_on="medium"))["runs"][0]["results"][0]
    relaxed = _doc(make_result([finding.model_copy()], fail_on="high"))["runs"][0]["results"][0]
    assert gated["level"] == "error"
    assert relaxed["level"] == "warning"


def test_errors_and_unevaluated_products_are_notifications(status_result: RunResult) -> None:
    run = _doc(status_result)["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["properties"]["product"]) for n in notes] == [
        ("error", "customer.profile"),
        ("warning", "marketing.leads"),
    ]
    statuses = {p["id"]: p["status"] for p in run["properties"]["products"]}
    assert statuses["customer.profile"] == "error"
    assert statuses["marketing.leads"] == "not_evaluated"
    assert run["invocations"][0]["executionSuccessful"] is False
