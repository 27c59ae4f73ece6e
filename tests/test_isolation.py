"""One product's broken evidence marks that product, not the run; nothing evaluated is no pass.

End to end through the CLI on copies of the example mesh (examples/), each broken in one place.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from governance.cli import main
from tests.conftest import EXAMPLES, REPO

BROKEN = "customer-profile"
MANIFEST = Path("customer") / "customer-profile.yaml"


def _run(*args: str | Path, out: Path) -> tuple[int, dict[str, Any]]:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "check",
                *map(str, args),
                "--format",
                "json",
                "--format",
                "sarif",
                "--format",
                "junit",
                "--output-dir",
                str(out),
            ]
        )
    assert isinstance(exc.value.code, int)
    return exc.value.code, json.loads((out / "report.json").read_text())


def _mesh(tmp_path: Path, name: str) -> Path:
    mesh = tmp_path / name
    shutil.copytree(EXAMPLES, mesh)
    return mesh


def _findings(report: dict[str, Any], *, without: set[str]) -> list[tuple[Any, ...]]:
    return sorted(
        (f["policy_id"], f["product"], f["subject"], f["status"], f["message"])
        for f in report["findings"]
        if f["product"] not in without
    )


def _products(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in report["products"]}


@pytest.fixture(scope="module")
def intact(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("intact")
    code, report = _run(EXAMPLES, "--samples", EXAMPLES / "samples", out=tmp)
    assert code == 1
    return report


def test_a_missing_suite_marks_its_product_and_the_others_are_judged_as_usual(
    tmp_path: Path, intact: dict[str, Any]
) -> None:
    mesh = _mesh(tmp_path, "mesh")
    manifest = mesh / MANIFEST
    text = manifest.read_text().replace("ruleset: customer_profile_quality_v1", "ruleset: no_such")
    manifest.write_text(text)
    line = 1 + text.splitlines().index("    dataQuality:")  # the declaration naming the suite

    code, report = _run(mesh, "--samples", mesh / "samples", out=tmp_path / "out")

    assert code == 2
    assert report["verdict"] == "error"
    [error] = report["errors"]
    assert error["product"] == BROKEN
    assert f"customer-profile.yaml:{line}:" in error["where"]
    products = _products(report)
    assert products[BROKEN]["status"] == "error"
    assert products[BROKEN]["score"] is None
    assert "no_such" in products[BROKEN]["reason"]
    assert not [f for f in report["findings"] if f["product"] == BROKEN]
    # Every other product (and the unowned bundle) gets exactly the findings of the intact run.
    assert _findings(report, without={BROKEN}) == _findings(intact, without={BROKEN})
    others = {k: v["status"] for k, v in products.items() if k != BROKEN}
    assert others == {k: v["status"] for k, v in _products(intact).items() if k != BROKEN}
    assert report["summary"]["compliant_products"] == intact["summary"]["compliant_products"]
    assert report["summary"]["product_status"]["error"] == 1

    sarif = json.loads((tmp_path / "out" / "report.sarif").read_text())
    run = sarif["runs"][0]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and note["properties"]["product"] == BROKEN
    assert run["invocations"][0]["executionSuccessful"] is False
    assert {r["properties"]["product"] for r in run["results"]} >= {"orders", "shipments"}
    junit = (tmp_path / "out" / "report.junit.xml").read_text()
    assert f'<testsuite name="{BROKEN}"' in junit and "no_such" in junit


def test_findings_of_the_others_match_a_run_without_the_broken_product(
    tmp_path: Path,
) -> None:
    broken = _mesh(tmp_path, "broken")
    manifest = broken / MANIFEST
    manifest.write_text(manifest.read_text().replace("customer_profile_quality_v1", "no_such"))
    removed = _mesh(tmp_path, "removed")
    (removed / MANIFEST).unlink()

    _, with_broken = _run(broken, "--samples", broken / "samples", out=tmp_path / "a")
    _, without = _run(removed, "--samples", removed / "samples", out=tmp_path / "b")

    # Without its manifest the product's resources are unowned; the other products are the same.
    skip = {BROKEN, "unowned"}
    assert _findings(with_broken, without=skip) == _findings(without, without=skip)


def test_an_invalid_manifest_that_names_its_product_keeps_its_resources_out_of_unowned(
    tmp_path: Path, intact: dict[str, Any]
) -> None:
    mesh = _mesh(tmp_path, "mesh")
    manifest = mesh / MANIFEST
    manifest.write_text(manifest.read_text().replace("retentionDays: 400", "retentionDays: [1]"))

    code, report = _run(mesh, "--samples", mesh / "samples", out=tmp_path / "out")

    assert code == 2
    [error] = report["errors"]
    assert error["product"] == BROKEN
    assert "customer-profile.yaml:" in error["where"] and "retentionDays" in error["message"]
    assert _products(report)[BROKEN]["status"] == "error"
    # Its bucket stays with it: the unowned bundle's findings are those of the intact run.
    assert _findings(report, without={BROKEN}) == _findings(intact, without={BROKEN})


def test_an_error_that_belongs_to_no_product_still_stops_the_run(tmp_path: Path) -> None:
    mesh = _mesh(tmp_path, "mesh")
    (mesh / "terraform" / "plan.json").write_text('{"format_version": "1.2", ')

    code, report = _run(mesh, out=tmp_path / "out")

    assert code == 2
    [error] = report["errors"]
    assert error["product"] is None and "plan.json" in error["where"]
    assert report["findings"] == [] and report["products"] == []


def test_a_plan_with_only_uncovered_resources_is_not_a_pass(tmp_path: Path) -> None:
    plan = REPO / "tests" / "fixtures" / "tfplan" / "azure-only-uncovered.json"

    code, report = _run(plan, out=tmp_path / "out")

    assert code == 2
    [error] = report["errors"]
    assert error["message"].startswith(
        "nothing was evaluated: 3 azurerm resources of 2 types: no policy applies"
    )
    assert report["uncovered"] == [
        {
            "provider": "azurerm",
            "type": "azurerm_mssql_database",
            "count": 1,
            "products": ["unowned"],
        },
        {
            "provider": "azurerm",
            "type": "azurerm_storage_account",
            "count": 2,
            "products": ["unowned"],
        },
    ]
    assert _products(report)["unowned"]["status"] == "not_evaluated"


def test_allow_empty_accepts_a_run_with_nothing_to_evaluate(tmp_path: Path) -> None:
    plan = REPO / "tests" / "fixtures" / "tfplan" / "azure-only-uncovered.json"

    code, report = _run(plan, "--allow-empty", out=tmp_path / "out")

    assert code == 0
    assert report["errors"] == [] and report["verdict"] == "pass"
    assert report["summary"]["compliant_products"] == 0
    assert _products(report)["unowned"]["status"] == "not_evaluated"


def test_a_catalog_file_with_no_product_is_an_error_not_a_silent_pass(
    tmp_path: Path, corpus: Path
) -> None:
    golden = corpus / "datahub" / "datahub-project__datahub__glue-golden.json"

    code, report = _run(golden, out=tmp_path / "out")

    assert code == 2
    [error] = report["errors"]
    assert "nothing was evaluated" in error["message"]
    assert "catalog dataset(s) but no data product" in error["message"]
