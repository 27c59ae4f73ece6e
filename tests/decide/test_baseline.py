"""Baseline: create from a run, load with clear errors, mark known failures, report fixed ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.decide import finalise
from governance.decide.baseline import apply_baseline, create_baseline, load_baseline
from governance.errors import ConfigError
from governance.model.evidence import Location
from governance.model.policy import Severity
from governance.model.result import Finding, RunInfo, RunResult, Status, ToolInfo, Verdict


def finding(
    policy: str, subject: str | None, status: Status = Status.FAIL, line: int = 1
) -> Finding:
    return Finding(
        policy_id=policy,
        title=policy,
        severity=Severity.HIGH,
        status=status,
        product="sales.orders",
        domain="sales",
        subject=subject,
        message="m",
        location=Location(file="plan.json", line=line),
    )


def result(findings: list[Finding]) -> RunResult:
    run = RunInfo(id="r", started_at=datetime(2026, 1, 1, tzinfo=UTC))
    return RunResult(tool=ToolInfo(version="t"), run=run, findings=findings)


def test_created_baseline_lists_failures_only_without_lines_and_is_stable() -> None:
    findings = [
        finding("GOV-B", "bucket.b", line=7),
        finding("GOV-A", "bucket.a", line=3),
        finding("GOV-A", "bucket.a", line=9),  # same fingerprint: one entry
        finding("GOV-C", None, Status.WAIVED),
        finding("GOV-D", None, Status.PASS),
        finding("GOV-E", None, Status.WARN),
    ]
    text = create_baseline(result(findings))
    doc = json.loads(text)
    assert [e["policy_id"] for e in doc["findings"]] == ["GOV-A", "GOV-B"]
    assert doc["findings"][0] == {
        "fingerprint": findings[1].fingerprint,
        "policy_id": "GOV-A",
        "product": "sales.orders",
        "subject": "bucket.a",
    }
    keys = {"fingerprint", "policy_id", "product", "subject"}
    assert all(set(e) == keys for e in doc["findings"])
    assert ": 3" not in text and ": 9" not in text
    assert create_baseline(result(list(reversed(findings)))) == text


def test_round_trip_then_new_failures_block_and_fixed_are_reported(tmp_path: Path) -> None:
    old = [finding("GOV-A", "bucket.a"), finding("GOV-B", "bucket.b")]
    path = tmp_path / "baseline.json"
    path.write_text(create_baseline(result(old)), encoding="utf-8")
    fingerprints = load_baseline(path)
    assert fingerprints == {f.fingerprint for f in old}

    # Next run: GOV-A still fails (moved lines), GOV-B is fixed, GOV-C is new.
    new = [
        finding("GOV-A", "bucket.a", line=40),
        finding("GOV-B", "bucket.b", Status.PASS),
        finding("GOV-C", "bucket.c"),
    ]
    fixed = apply_baseline(new, fingerprints)
    assert [f.baseline for f in new] == [True, False, False]
    assert fixed == [old[1].fingerprint]
    run = finalise(result(new), {"sales.orders": "sales"})
    assert run.verdict is Verdict.FAIL
    assert [f.policy_id for f in run.blocking("high")] == ["GOV-C"]


def test_only_baselined_failures_pass_the_gate(tmp_path: Path) -> None:
    findings = [finding("GOV-A", "bucket.a")]
    fixed = apply_baseline(findings, {findings[0].fingerprint})
    assert fixed == []
    assert finalise(result(findings), {"sales.orders": "sales"}).verdict is Verdict.PASS


def test_an_erroring_evaluation_is_not_reported_as_fixed() -> None:
    baselined = finding("GOV-A", "bucket.a")
    now = [finding("GOV-A", "bucket.a", Status.ERROR)]
    assert apply_baseline(now, {baselined.fingerprint}) == []
    assert now[0].baseline is False


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            '{"baseline_version": 1,\n "findings": [\n  {"fingerprint": "abc"}\n ]}',
            "findings[0]: 'fingerprint' must be 32 lowercase hex digits",
            3,
        ),
        ('{"baseline_version": 1, "findings": [', "malformed JSON", 1),
        ('{"findings": []}', "not a baseline file", None),
        ('{"baseline_version": 1, "findings": {}}', "'findings' must be a list", None),
    ],
)
def test_bad_files_raise_config_error(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    assert message in info.value.message
    assert info.value.where is not None and info.value.where.line == line


def test_missing_or_binary_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="baseline file not found"):
        load_baseline(tmp_path / "none.json")
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00\xd8garbage")
    with pytest.raises(ConfigError):
        load_baseline(binary)
