"""Every optional feature checks its extra first: one line naming the extra and the install
command, exit 2, no traceback (a crash exits 1, which CI reads as "blocking findings").

Each case runs the CLI in a fresh interpreter whose ``sys.modules`` holds ``None`` for the extra's
top-level modules. Python's import system then raises ``ImportError`` for them and for every
submodule, and ``importlib.util.find_spec`` answers None, exactly as when the distribution is
absent, so this stands in for a venv installed without the extra: building one venv per extra
would cost minutes and a package index, and would test pip rather than this code. The child is
a new process, so nothing the test suite already imported hides a missing module.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from governance.errors import MissingExtraError
from governance.extras import EXTRAS, install_command, missing, require
from tests.conftest import EXAMPLES, FIXTURES, REPO

_WITHOUT = (
    "import sys\n"
    "for name in sys.argv[1].split(','):\n"
    "    sys.modules[name] = None\n"
    "from governance.cli import main\n"
    "main(sys.argv[2:])\n"
)


def run_without(extra: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT, ",".join(EXTRAS[extra]), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=240,
    )


CASES = [
    ("gx", ["check", str(EXAMPLES), "--samples", str(EXAMPLES / "samples")]),
    ("aws", ["scan", "aws", str(EXAMPLES), "--region", "eu-west-1"]),
    ("aws", ["check", str(EXAMPLES), "--catalog", "glue:eu-west-1"]),
    ("history", ["history", "--history", "{tmp}/history.db"]),
    ("history", ["check", str(EXAMPLES), "--history", "{tmp}/history.db"]),
    ("datahub", ["catalog", "sync", str(EXAMPLES), "--to", "lite:{tmp}/lite.db"]),
    ("datahub", ["catalog", "import", str(FIXTURES / "datahub" / "catalog-patches.json")]),
    ("datahub", ["check", str(EXAMPLES), "--catalog", "lite:{tmp}/lite.db"]),
    ("datahub", ["check", str(FIXTURES / "datahub" / "catalog-patches.json")]),
    ("opa", ["check", str(EXAMPLES), "--engine", "opa", "--opa-url", "http://127.0.0.1:9"]),
    ("checkov", ["check", str(EXAMPLES), "--checkov"]),
]


@pytest.mark.parametrize(
    ("extra", "args"), CASES, ids=[" ".join(a[:2]) + f" -{e}" for e, a in CASES]
)
def test_a_missing_extra_is_one_line_naming_the_install_command(
    extra: str, args: list[str], tmp_path: Path
) -> None:
    done = run_without(extra, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    assert f"needs the '{extra}' extra" in lines[0]
    assert lines[0].endswith(f"pip install 'datamesh-governance[{extra}]'")
    assert done.stdout == ""


def test_the_table_names_every_extra_of_the_package() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert set(EXTRAS) == set(declared) - {"all", "dev"}


def test_require_checks_without_importing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "checkov", raising=False)
    require("checkov", "--checkov")  # installed in the dev venv
    assert "checkov" not in sys.modules  # asked find_spec only: the heavy import stays lazy
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    require("history", "a SQLite history", "sqlalchemy")  # only what the feature imports
    assert missing("history") == ["psycopg2"]
    with pytest.raises(MissingExtraError) as caught:
        require("history", "the history database")
    assert caught.value.kind == "usage"
    assert str(caught.value) == (
        "the history database: needs the 'history' extra (psycopg2 not installed): "
        + install_command("history")
    )
