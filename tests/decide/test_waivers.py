"""Waivers: loading with file:line errors, matching, expiry and stale reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from governance.decide.waivers import Waiver, apply_waivers, load_waivers
from governance.errors import ConfigError
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
    ("text", "message", "line"),
    [
        (GOOD.replace("    expires: 2026-06-30\n", ""), "expires: Field required", 2),
        (GOOD.replace("expires: 2026-06-30", "expires: someday"), "expires: Input should be", 7),
        (
            GOOD.replace("    product: sales.*\n", "    prodcut: sales.*\n"),
            "prodcut: Extra inputs",
            4,
        ),
        (GOOD.replace("    product: sales.*\n", ""), "give 'product' and/or 'resource'", 2),
        (GOOD.replace("WVR-2", "WVR-1"), "duplicate waiver id 'WVR-1'", 8),
        (GOOD.replace("approved_by: jane.doe@example.com", "approved_by: ''"), "approved_by:", 6),
        ("waivers:\n  - id: [unclosed\n", "malformed YAML", 3),
        ("waiver:\n  - id: x\n", "unknown key 'waiver'", 1),
        ("waivers:\n  - just a string\n", "each waiver must be a mapping", 2),
    ],
)
def test_bad_files_name_file_and_line(tmp_path: Path, text: str, message: str, line: int) -> None:
    with pytest.raises(ConfigError) as info:
        load_waivers(write(tmp_path, text))
    assert message in info.value.message
    assert info.value.where is not None
    assert info.value.where.file is not None and info.value.where.file.endswith("waivers.yaml")
    assert info.value.where.line == line


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="waivers file not found"):
        load_waivers(tmp_path / "nope.yaml")


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
