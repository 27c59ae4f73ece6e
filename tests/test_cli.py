"""The CLI contract: exit codes, one-line errors without tracebacks, lazy heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli as run

HEAVY = (
    "great_expectations",
    "checkov",
    "datahub",
    "boto3",
    "pandas",
    "pyarrow",
    "opa_bindings",
    "jinja2",
)


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys; from governance.cli import cli; "
        "from click.testing import CliRunner; CliRunner().invoke(cli, ['--help']); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_path_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(["check", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert err.strip().splitlines() == [f"error: {tmp_path / 'nope'}: no such file or directory"]


def test_no_paths_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert "no input" in err


def test_malformed_config_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "governance.yaml"
    config.write_text("required_tags: [Domain]\nretention:\n  default:\n    min_days: many\n")
    code, _, err = run(["inspect", "--config", str(config), str(tmp_path)], capsys)
    assert code == 2
    assert "governance.yaml:4:" in err
    assert "retention.default.min_days" in err
    assert "Traceback" not in err


def test_unknown_config_key_is_rejected(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "governance.yaml"
    config.write_text("required_tag: [Domain]\n")
    code, _, err = run(["inspect", "--config", str(config), str(tmp_path)], capsys)
    assert code == 2
    assert "governance.yaml:1:1: required_tag" in err


def test_unknown_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["schema", "nope"], capsys)
    assert code == 2
    assert "unknown schema 'nope'" in err
