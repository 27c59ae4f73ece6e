"""Waivers: loading with file:line errors, matching, expiry and stale reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from governance.decide.waivers import Waiver, apply_waivers, load_waivers
from governance.errors import ConfigError, Where
from governance.model.policy import Severity
from governance.model.result import Finding, Status

TODAY = date(2026, 3, 1)

GOOD = """\
waivers:
  - id: WVR-1
    policy: GOV-RET-*
    product: sales.*
    reason: Legacy retention, migration in DATA-123
    approved_by: jane.doe@example.com
    expires: 2026-06-30
  - id: WVR-2
    policy: GOV-TAG-001
    resource: aws_s3_bucket.legacy_*
    reason: Bucket is being decommissioned
    approved_by: ops-lead@example.com
    expires: 2026-02-28
"""


def finding(
    policy: str, product: str, subject: str | None = None, status: Status = Status.FAIL
) -> Finding:
    return Finding(
        policy_id=policy,
        title=policy,
        severity=Severity.HIGH,
        status=status,
        product=product,
        subject=subject,
        message="m",
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def waiver(**kw: object) -> Waiver:
    base: dict[str, object] = {
        "id": "W",
        "policy": "GOV-*",
        "product": "*",
        "reason": "r",
        "approved_by": "a",
        "expires": date(2026, 12, 31),
    }
    base.update(kw)
    return Waiver.model_validate(base)


def test_load_valid_file_keeps_source_lines(tmp_path: Path) -> None:
    waivers = load_waivers(write(tmp_path, GOOD))
    assert [w.id for w in waivers] == ["WVR-1", "WVR-2"]
    assert waivers[0].expires == date(2026, 6, 30)
    assert waivers[1].source is not None and waivers[1].source.endswith("waivers.yaml:8")


def test_a_top_level_list_is_accepted(tmp_path: Path) -> None:
    text = "\n".join(line[2:] for line in GOOD.splitlines()[1:])
    assert [w.id for w in load_waivers(write(tmp_path, text))] == ["WVR-1", "WVR-2"]


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (GOOD.replace("    expires: 2026-06-30\n", ""), "expires: Field required", 2, 5),
        (
            GOOD.replace("expires: 2026-06-30", "expires: someday"),
            "expires: Input should be a valid date or datetime, input is too short",
            7,
            5,
        ),
        (
            GOOD.replace("    product: sales.*\n", "    prodcut: sales.*\n"),
            "prodcut: Extra inputs are not permitted",
            4,
            5,
        ),
        # A rule across fields has no field to point at: the entry's line, no column.
        (
            GOOD.replace("    product: sales.*\n", ""),
            "waiver: give 'product' and/or 'resource' (use product: '*' for every product)",
            2,
            None,
        ),
        (
            GOOD.replace("WVR-2", "WVR-1"),
            "duplicate waiver id 'WVR-1' (first at waivers.yaml:2)",
            8,
            5,
        ),
        (
            GOOD.replace("approved_by: jane.doe@example.com", "approved_by: ''"),
            "approved_by: String should have at least 1 character",
            6,
            5,
        ),
        (
            "waivers:\n  - id: [unclosed\n",
            "malformed YAML: expected ',' or ']', but got '<stream end>'",
            3,
            1,
        ),
        ("waiver:\n  - id: x\n", "unknown key 'waiver' (expected 'waivers')", 1, 1),
        ("waivers: []\nwaiver: x\n", "unknown key 'waiver' (expected 'waivers')", 2, 1),
        ("waivers:\n  - just a string\n", "each waiver must be a mapping", 2, 5),
        ("42\n", "expected a list of waivers (or a mapping with 'waivers:')", 1, 1),
        ("waivers: soon\n", "expected a list of waivers (or a mapping with 'waivers:')", 1, 1),
    ],
)
def test_bad_files_name_file_line_and_column(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    message: str,
    line: int,
    column: int | None,
) -> None:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working directory
    with pytest.raises(ConfigError) as info:
        load_waivers(write(tmp_path, text))
    assert info.value.message == message
    assert info.value.where == Where("waivers.yaml", line, column)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_waivers(missing)
    assert info.value.message == "waivers file not found"
    assert info.value.where == Where(str(missing))


def test_matching_waiver_turns_fail_and_warn_into_waived(tmp_path: Path) -> None:
    findings = [
        finding("GOV-RET-001", "sales.orders"),
        finding("GOV-RET-002", "sales.orders", status=Status.WARN),
        finding("GOV-RET-001", "finance.ledger"),  # other product
        finding("GOV-RET-001", "sales.orders", status=Status.ERROR),  # errors are never waived
        finding("GOV-RET-001", "sales.orders", status=Status.PASS),
    ]
    reports = apply_waivers(findings, load_waivers(write(tmp_path, GOOD)), TODAY)
    assert [f.status for f in findings] == [
        Status.WAIVED,
        Status.WAIVED,
        Status.FAIL,
        Status.ERROR,
        Status.PASS,
    ]
    assert findings[0].waiver is not None
    assert findings[0].waiver.approved_by == "jane.doe@example.com"
    assert findings[2].waiver is None
    # WVR-2 expired yesterday and matched nothing either: it is reported as expired.
    assert [(r.id, r.state) for r in reports] == [("WVR-2", "expired")]


def test_expired_waiver_no_longer_applies_and_says_what_it_uncovers(tmp_path: Path) -> None:
    findings = [finding("GOV-TAG-001", "any", subject="aws_s3_bucket.legacy_logs")]
    reports = apply_waivers(findings, load_waivers(write(tmp_path, GOOD)), TODAY)
    assert findings[0].status is Status.FAIL
    expired = next(r for r in reports if r.id == "WVR-2")
    assert expired.state == "expired" and expired.expires == date(2026, 2, 28)
    assert "1 matching finding(s) are no longer waived" in expired.message
    assert "waivers.yaml:8" in expired.message


def test_expiry_day_is_inclusive() -> None:
    w = waiver(expires=TODAY)
    findings = [finding("GOV-X-1", "p")]
    assert apply_waivers(findings, [w], TODAY) == []
    assert findings[0].status is Status.WAIVED


def test_unused_waiver_is_stale() -> None:
    findings = [finding("GOV-X-1", "p", status=Status.PASS)]
    reports = apply_waivers(findings, [waiver(id="W-old", policy="GOV-X-*")], TODAY)
    assert [(r.id, r.state) for r in reports] == [("W-old", "stale")]


def test_resource_selector_needs_a_matching_subject() -> None:
    w = waiver(product=None, resource="arn:aws:s3:::legacy-*")
    findings = [
        finding("GOV-X-1", "p", subject="arn:aws:s3:::legacy-logs"),
        finding("GOV-X-1", "p", subject="arn:aws:s3:::orders"),
        finding("GOV-X-1", "p", subject=None),
    ]
    apply_waivers(findings, [w], TODAY)
    assert [f.status for f in findings] == [Status.WAIVED, Status.FAIL, Status.FAIL]


def test_first_matching_waiver_wins_and_both_count_as_used() -> None:
    first, second = waiver(id="A"), waiver(id="B", policy="GOV-X-1")
    findings = [finding("GOV-X-1", "p")]
    assert apply_waivers(findings, [first, second], TODAY) == []
    assert findings[0].waiver is not None and findings[0].waiver.id == "A"


def test_globs_are_case_sensitive() -> None:
    findings = [finding("GOV-X-1", "Sales.Orders")]
    apply_waivers(findings, [waiver(product="sales.*")], TODAY)
    assert findings[0].status is Status.FAIL


def test_records_that_cannot_be_waived_do_not_stop_the_rest() -> None:
    findings = [
        finding("GOV-X-1", "p", status=Status.PASS),
        finding("GOV-X-1", "p", status=Status.ERROR),
        finding("GOV-X-1", "p"),
    ]
    apply_waivers(findings, [waiver()], TODAY)
    assert [f.status for f in findings] == [Status.PASS, Status.ERROR, Status.WAIVED]


def test_expired_report_counts_only_failing_records_it_matches() -> None:
    old = waiver(id="W-old", policy="GOV-X-*", expires=date(2026, 2, 1))
    findings = [
        finding("GOV-X-1", "p", status=Status.PASS),  # matches, but nothing to waive
        finding("GOV-Y-1", "p"),  # fails, but another policy
        finding("GOV-X-2", "p", status=Status.WARN),
    ]
    [report] = apply_waivers(findings, [old], TODAY)
    assert report.model_dump() == {
        "id": "W-old",
        "state": "expired",
        "expires": date(2026, 2, 1),
        "policy": "GOV-X-*",
        "message": "expired on 2026-02-01; 1 matching finding(s) are no longer waived",
    }
    assert findings[2].status is Status.WARN


def test_stale_report_names_the_waiver_and_its_file_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    findings = [finding("GOV-RET-001", "sales.orders", status=Status.PASS)]
    reports = apply_waivers(findings, load_waivers(write(tmp_path, GOOD)), TODAY)
    stale = reports[0]
    assert stale.model_dump() == {
        "id": "WVR-1",
        "state": "stale",
        "expires": date(2026, 6, 30),
        "policy": "GOV-RET-*",
        "message": "matched no failing or warning finding (waivers.yaml:2): remove it if the "
        "issue is fixed",
    }


def test_stale_report_of_a_waiver_built_in_code_has_no_source() -> None:
    [report] = apply_waivers([], [waiver(id="W")], TODAY)
    assert report.message == (
        "matched no failing or warning finding: remove it if the issue is fixed"
    )
