"""The catalog round trip through the CLI on DataHub Lite (sqlite): sync the example mesh, check
it against the catalog, publish compliance back, read it back; and catalog failure is exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.cli import main
from tests.conftest import EXAMPLES


def run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    code = exc.value.code
    return code if isinstance(code, int) else 2


def test_sync_check_publish_read_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lite = tmp_path / "lite.db"
    assert run(["catalog", "sync", str(EXAMPLES), "--to", f"lite:{lite}"]) == 0
    assert "4 data products synced" in capsys.readouterr().out

    out = tmp_path / "out"
    args = [
        "check",
        str(EXAMPLES),
        "--samples",
        str(EXAMPLES / "samples"),
        "--catalog",
        f"lite:{lite}",
        "--publish",
        "datahub",
        "--format",
        "json",
        "--output-dir",
        str(out),
    ]
    assert run(args) == 1
    report = json.loads((out / "report.json").read_text())
    assert report["errors"] == []
    by_policy = {(f["policy_id"], f["product"]): f["status"] for f in report["findings"]}
    # Every synced product is registered, so the catalog policies now apply and pass.
    assert by_policy[("GOV-CAT-001", "ledger")] == "pass"
    assert by_policy[("GOV-OWN-002", "orders")] == "pass"

    # Published compliance is visible in the catalog on the next read.
    from governance.collect.datahub.lite import read_lite

    tags = {d.name: set(d.tags) for d in read_lite(lite)}
    assert any("governance:non-compliant" in t for t in tags.values())
    assert any("governance:compliant" in t for t in tags.values())

    # Publishing again replaces, never duplicates.
    assert run(args) == 1
    again = {d.name: set(d.tags) for d in read_lite(lite)}
    assert again == tags


def test_without_catalog_the_catalog_policies_do_not_apply(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(
        [
            "check",
            str(EXAMPLES),
            "--samples",
            str(EXAMPLES / "samples"),
            "--format",
            "json",
            "--output-dir",
            str(out),
        ]
    )
    report = json.loads((out / "report.json").read_text())
    assert not [f for f in report["findings"] if f["policy_id"] == "GOV-CAT-001"]


def test_unreadable_catalog_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_text("this is not sqlite")
    code = run(["check", str(EXAMPLES), "--catalog", f"lite:{bad}"])
    assert code == 2
    assert "not-a-db.db" in capsys.readouterr().out
