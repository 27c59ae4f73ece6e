"""The JSON report and its loader (``governance report RESULT.json``)."""

from __future__ import annotations

import json

import pytest

from governance.errors import InputError
from governance.model.result import RunResult
from governance.report import json_report


def test_round_trip_keeps_everything_but_redacted_values(sample_result: RunResult) -> None:
    text = json_report.render(sample_result)
    loaded = json_report.load_result(text, "report.json")
    assert loaded.verdict == sample_result.verdict
    assert loaded.summary == sample_result.summary
    assert [f.fingerprint for f in loaded.findings] == [
        f.fingerprint for f in sample_result.findings
    ]
    assert loaded.findings[3].waiver == sample_result.findings[3].waiver
    assert loaded.findings[0].evidence["sample_values"] == "[redacted: 1 values]"
    assert json_report.render(loaded) == text


def test_top_level_keys_follow_the_design(sample_result: RunResult) -> None:
    doc = json.loads(json_report.render(sample_result))
    assert doc["schema_version"] == "1"
    assert {"tool", "run", "verdict", "summary", "products", "findings", "errors"} <= set(doc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{\n  "schema_version": "1",\n  oops\n}', "results.json:3:3: malformed JSON"),
        ("[]", "results.json: not a governance JSON report"),
        ('{"schema_version": "9"}', "results.json: unsupported report schema_version '9'"),
        (
            '{"schema_version": "1", "tool": {"version": "1"}}',
            "results.json: invalid report: run: ",
        ),
    ],
)
def test_bad_files_raise_input_error_naming_the_file(text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        json_report.load_result(text, "results.json")
    assert str(info.value).startswith(expected)


def test_unknown_fields_are_rejected(sample_result: RunResult) -> None:
    doc = json.loads(json_report.render(sample_result))
    doc["findings"][0]["sevrity"] = "high"
    with pytest.raises(InputError, match=r"findings\.0\.sevrity"):
        json_report.load_result(json.dumps(doc), "r.json")
