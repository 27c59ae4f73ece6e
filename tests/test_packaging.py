"""The wheel ships the built-in pack and the report templates: `pip install` + `governance check`
must work outside this repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_contains_policy_pack_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for policy in (REPO / "policies").glob("*.yaml"):
        assert f"governance/_pack/policies/{policy.name}" in names
    rego = {p.relative_to(REPO).as_posix() for p in (REPO / "rules_rego").rglob("*.rego")}
    assert rego and all(f"governance/_pack/{name}" in names for name in rego)
    assert "governance/templates/report.html.j2" in names
    assert "governance/py.typed" in names
