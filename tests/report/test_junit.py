"""JUnit XML: a suite per product, a testcase per policy evaluation, outcomes CI can tell apart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from governance.model.result import RunResult, Status
from governance.report import junit
from tests.report.conftest import make_finding, make_result


def _parse(result: RunResult) -> ET.Element:
    return ET.fromstring(junit.render(result).encode())


def test_suites_per_product_and_cases_per_evaluation(sample_result: RunResult) -> None:
    root = _parse(sample_result)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"sales.orders", "finance.ledger", "customer.profile", "unowned"}
    sales = suites["sales.orders"]
    cases = {c.get("name", "").split(":")[0]: c for c in sales.findall("testcase")}
    assert set(cases) == {"GOV-PII-001", "GOV-TAG-001", "GOV-RET-001", "GOV-BAK-001"}
    assert cases["GOV-PII-001"].find("failure") is not None
    assert cases["GOV-PII-001"].find("failure").get("type") == "critical"  # type: ignore[union-attr]
    assert cases["GOV-RET-001"].find("*") is None  # passed
    skipped = cases["GOV-BAK-001"].find("skipped")
    assert skipped is not None and "WVR-001" in skipped.get("message", "")
    assert (sales.get("tests"), sales.get("failures"), sales.get("skipped")) == ("4", "2", "1")
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "11",
        "4",
        "0",
        "2",
    )


def test_two_records_of_one_policy_are_one_testcase_listing_both() -> None:
    result = make_result(
        [
            make_finding(
                "GOV-TAG-001", Status.FAIL, "p", subject="bucket.a", message="missing Owner"
            ),
            make_finding(
                "GOV-TAG-001", Status.FAIL, "p", subject="bucket.b", message="missing Domain"
            ),
        ],
        domains={"p": "d"},
    )
    cases = _parse(result).findall("testsuite/testcase")
    assert len(cases) == 1
    text = cases[0].find("failure").text or ""  # type: ignore[union-attr]
    assert "bucket.a" in text and "bucket.b" in text


def test_evaluation_errors_and_run_errors_are_error_elements(error_result: RunResult) -> None:
    root = _parse(error_result)
    sales = next(s for s in root.findall("testsuite") if s.get("name") == "sales.orders")
    errored = [c for c in sales.findall("testcase") if c.find("error") is not None]
    assert [c.get("name", "").split(":")[0] for c in errored] == ["GOV-BAK-001"]
    assert sales.find("testcase/failure") is None
    run = next(s for s in root.findall("testsuite") if s.get("name") == "governance.run")
    messages = [e.get("message", "") for e in run.findall("testcase/error")]
    assert messages[0].startswith("examples/finance/dataproduct.yaml:12:3: malformed YAML")
    assert root.get("errors") == "3"


def test_control_characters_from_inputs_still_give_well_formed_xml() -> None:
    result = make_result(
        [make_finding("GOV-TAG-001", Status.FAIL, "p", message="bad\x00\x1bbyte")],
        domains={"p": "d"},
    )
    failure = _parse(result).find("testsuite/testcase/failure")
    assert failure is not None and "bad\ufffd\ufffdbyte" in failure.get("message", "")
