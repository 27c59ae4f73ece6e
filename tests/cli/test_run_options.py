"""Options for CI and cron use: ``--quiet`` console, ``-`` (standard input) among the paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO
from tests.conftest import run_cli as run

MANIFEST = EXAMPLES / "sales" / "dataproduct.yaml"
PLAN = EXAMPLES / "terraform" / "plan.json"


def test_quiet_console_is_the_counts_and_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", str(MANIFEST), "--quiet"], capsys)
    assert code == 1
    assert out.splitlines() == [
        "1 data products in 1 domains: 1 failing, 0 compliant",
        "Verdict: FAIL - 2 blocking finding(s) at or above 'high'",
    ]
    assert err == ""


def test_quiet_on_an_errored_run_still_says_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "dataproduct.yaml"
    broken.write_text("name: [unclosed\n")
    code, out, _ = run(["check", str(broken), "-q"], capsys)
    assert code == 2
    assert out.splitlines() == [
        "0 data products in 0 domains: 0 compliant",
        "Verdict: ERROR - 1 error(s): the run could not be evaluated faithfully",
    ]


def test_quiet_leaves_the_other_formats_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        ["check", str(MANIFEST), "-q", "--format", "json", "--format", "console"], capsys
    )
    assert code == 1
    document, _, console = out.partition("\n}\n")
    assert json.loads(document + "\n}")["products"][0]["id"] == "orders"
    assert console.splitlines() == [
        "1 data products in 1 domains: 1 failing, 0 compliant",
        "Verdict: FAIL - 2 blocking finding(s) at or above 'high'",
    ]

    code, out, err = run(
        ["check", str(MANIFEST), "-q", "--format", "console", "--output-dir", str(tmp_path)], capsys
    )
    assert len(out.splitlines()) == 2 and err == ""  # not even "reports written to"
    written = (tmp_path / "report.txt").read_text()
    assert "GOV-BAK-001" in written and "product" in written  # the file is the full report


def check_stdin(text: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real pipe: a child process, its stdin fed by the test."""
    return subprocess.run(
        [sys.executable, "-c", "from governance.cli import main; main()", "check", *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=240,
    )


def test_a_manifest_piped_to_check_dash(tmp_path: Path) -> None:
    done = check_stdin(MANIFEST.read_text(), "-", "--format", "json")
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert [(i["path"], i["kind"]) for i in doc["run"]["inputs"]] == [("<stdin>", "manifest")]
    assert [p["id"] for p in doc["products"]] == ["orders"]
    assert {f["location"]["file"] for f in doc["findings"] if f["location"]} == {"<stdin>"}


def test_a_plan_piped_to_check_dash_with_its_manifest() -> None:
    done = check_stdin(PLAN.read_text(), "-", str(MANIFEST), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    assert [(i["path"], i["kind"]) for i in doc["run"]["inputs"]] == [
        ("<stdin>", "tfplan"),
        ("examples/sales/dataproduct.yaml", "manifest"),
    ]
    # The plan's resources were evaluated, and their findings point at lines of <stdin>.
    piped = [f for f in doc["findings"] if f["subject"] == "aws_s3_bucket.ledger"]
    assert piped and all(f["location"]["file"] == "<stdin>" for f in piped)
    assert all(isinstance(f["location"]["line"], int) for f in piped)


def test_bad_input_on_stdin_names_stdin_and_line() -> None:
    done = check_stdin("name: [unclosed\n", "-")
    assert done.returncode == 2
    assert "<stdin>:2:1: malformed YAML" in done.stdout
    assert "Traceback" not in done.stderr


def test_dash_twice_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "-", "-"], capsys)
    assert code == 2
    assert err.strip() == "error: '-' (standard input) can be given only once"
