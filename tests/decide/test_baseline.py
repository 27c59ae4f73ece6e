"""Baseline: create from a run, load with clear errors, mark known failures, report fixed ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.decide import finalise
from governance.decide.baseline import apply_baseline, create_baseline, load_baseline
from governance.errors import ConfigError, Where
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


NOT_A_BASELINE = (
    'not a baseline file (expected "baseline_version": 1; create one with '
    "'governance check --create-baseline FILE')"
)
BAD_FINGERPRINT = "'fingerprint' must be 32 lowercase hex digits"
HEAD = '{"baseline_version": 1, "findings": ['
GOOD_ENTRY = '{"fingerprint": "' + "0" * 32 + '"}'


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (
            '{"baseline_version": 1,\n "findings": [\n  {"fingerprint": "abc"}\n ]}',
            f"findings[0]: {BAD_FINGERPRINT}",
            3,
            None,
        ),
        # The line is the bad entry's, not the first or the last entry's.
        (
            f'{HEAD}\n  {{"fingerprint": "abc"}},\n  {GOOD_ENTRY}\n]}}',
            f"findings[0]: {BAD_FINGERPRINT}",
            2,
            None,
        ),
        (
            f'{HEAD}\n  {GOOD_ENTRY},\n  {{"fingerprint": 7}}\n]}}',
            f"findings[1]: {BAD_FINGERPRINT}",
            3,
            None,
        ),
        # Lines count from the start of the file, blank first line included.
        (
            '\n{"baseline_version": 1, "findings": [\n  {"fingerprint": "abc"}]}',
            f"findings[0]: {BAD_FINGERPRINT}",
            3,
            None,
        ),
        # "findings" later in the file (a value here) does not move the line.
        (
            '{"baseline_version": 1,\n "findings": [\n  {"fingerprint": "abc"}\n ],\n'
            ' "tool": "findings"}',
            f"findings[0]: {BAD_FINGERPRINT}",
            3,
            None,
        ),
        # An entry that is not an object has no line of its own.
        (
            '{"baseline_version": 1, "findings": ["abc"]}',
            f"findings[0]: {BAD_FINGERPRINT}",
            None,
            None,
        ),
        ('{"baseline_version": 1, "findings": [', "malformed JSON: Expecting value", 1, 38),
        ('{"findings": []}', NOT_A_BASELINE, None, None),
        ('{"baseline_version": 2, "findings": []}', NOT_A_BASELINE, None, None),
        ('{"baseline_version": 1, "findings": {}}', "'findings' must be a list", None, None),
    ],
)
def test_bad_files_raise_config_error_naming_file_and_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    message: str,
    line: int | None,
    column: int | None,
) -> None:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working directory
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    assert info.value.message == message
    assert info.value.where == Where("baseline.json", line, column)


def test_missing_or_binary_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_baseline(tmp_path / "none.json")
    assert info.value.message == "baseline file not found"
    assert info.value.where == Where("none.json")
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00\xd8garbage")
    with pytest.raises(ConfigError) as info:
        load_baseline(binary)
    assert info.value.message == "invalid utf-16 text: illegal UTF-16 surrogate"
    assert info.value.where == Where("b.json")


def test_baseline_file_text_is_exact_readable_and_sorted_by_subject() -> None:
    # One policy on one product: the subject orders the entries, the product as a whole
    # (no subject) first; non-ASCII subjects stay readable.
    findings = [finding("GOV-A", "Straße"), finding("GOV-A", "Email"), finding("GOV-A", None)]
    whole, email, strasse = findings[2], findings[1], findings[0]
    assert create_baseline(result(findings)) == (
        "{\n"
        '  "baseline_version": 1,\n'
        '  "tool": "governance",\n'
        '  "findings": [\n'
        "    {\n"
        f'      "fingerprint": "{whole.fingerprint}",\n'
        '      "policy_id": "GOV-A",\n'
        '      "product": "sales.orders",\n'
        '      "subject": null\n'
        "    },\n"
        "    {\n"
        f'      "fingerprint": "{email.fingerprint}",\n'
        '      "policy_id": "GOV-A",\n'
        '      "product": "sales.orders",\n'
        '      "subject": "Email"\n'
        "    },\n"
        "    {\n"
        f'      "fingerprint": "{strasse.fingerprint}",\n'
        '      "policy_id": "GOV-A",\n'
        '      "product": "sales.orders",\n'
        '      "subject": "Straße"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )
