"""``governance test``, ``lint``, ``new policy`` and ``bundle build`` through the real CLI."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, FIXTURES
from tests.conftest import run_cli as run

AUTHORING = FIXTURES / "authoring"


@pytest.fixture
def scaffolded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    pack = tmp_path / "pack"
    code, out, _ = run(
        ["new", "policy", "ACME-TAG-001", "--dir", str(pack), "--title", "Owner: tagged"], capsys
    )
    assert code == 0 and out.count("created ") == 3
    return pack


def test_scaffolded_policy_passes_lint_test_and_evaluates(
    scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["lint", str(scaffolded)], capsys)[0] == 0
    code, out, _ = run(["test", str(scaffolded), "-v"], capsys)
    assert code == 0, out
    assert "PASS: 5/5, FAIL: 0, ERROR: 0, COVERAGE: 0 problem(s)" in out
    assert "acme_tag_001_test.rego:14: data.governance.custom.acme_tag_001_test." in out
    # And it runs in a real check: the example mesh's buckets carry an Owner tag.
    code, out, _ = run(
        ["check", str(EXAMPLES), "--policies", str(scaffolded), "--format", "json"], capsys
    )
    findings = [f for f in json.loads(out)["findings"] if f["policy_id"] == "ACME-TAG-001"]
    assert findings and {f["status"] for f in findings} == {"pass"}
    assert {f["title"] for f in findings} == {"Owner: tagged"}


def test_scaffold_refuses_to_overwrite_and_bad_ids(
    scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["new", "policy", "ACME-TAG-001", "--dir", str(scaffolded)], capsys)
    assert code == 2 and "file exists" in err
    code, _, err = run(["new", "policy", "acme_tag", "--dir", str(scaffolded)], capsys)
    assert code == 2 and "ORG-AREA-001" in err


def test_breaking_the_scaffolded_rule_fails_its_tests(
    scaffolded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rego = scaffolded / "rules_rego" / "acme_tag_001.rego"
    rego.write_text(rego.read_text().replace("not has_tag(r)", "has_tag(r)"))
    code, out, _ = run(["test", str(scaffolded)], capsys)
    assert code == 1
    assert "FAIL  " in out and "test_untagged_bucket_fails" in out
    assert "test_tagged_bucket_passes" in out  # now fails too: the rule fires on tagged buckets


def test_builtin_pack_tests_and_coverage_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["test", "--format", "json"], capsys)
    document = json.loads(out)
    assert code == 0
    assert document["coverage"] == []
    assert len(document["tests"]) > 100 and {t["status"] for t in document["tests"]} == {"pass"}


def test_policy_without_a_firing_test_is_a_coverage_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["test", str(AUTHORING / "untested_pack")], capsys)
    assert code == 1
    assert "untested_pack/policies/ACME-OWN-001.yaml:1: coverage: policy ACME-OWN-001" in out
    assert "PASS: 1/1" in out


def test_failing_test_shows_its_body_with_verbose_and_junit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pack = str(AUTHORING / "failing_pack")
    code, out, _ = run(["test", pack, "-v"], capsys)
    assert code == 1
    assert "FAIL  tests/fixtures/authoring/failing_pack/rules_rego/owner2_test.rego:12:" in out
    assert '| \tcount(owner2.deny) == 2 with input.product as {"name": "x"}' in out
    code, out, _ = run(["test", pack, "--format", "junit"], capsys)
    suite = ET.fromstring(out)
    assert code == 1 and suite.get("failures") == "2" and suite.get("tests") == "3"


def test_run_filter_selects_tests_and_skips_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["test", str(AUTHORING / "failing_pack"), "--run", "owned_product_passes$"], capsys
    )
    assert code == 0 and "PASS: 1/1" in out and "COVERAGE: 0" in out
    code, _, err = run(
        ["test", str(AUTHORING / "failing_pack"), "--run", "nothing-matches"], capsys
    )
    assert code == 2 and "no tests found" in err


def test_broken_test_module_is_an_error_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(AUTHORING / "failing_pack", pack)
    (pack / "rules_rego" / "owner2_test.rego").write_text(
        "package acme.owner2_test\n\nimport rego.v1\n\ntest_x_fails if {\n\t1 == \n}\n"
    )
    code, _, err = run(["test", str(pack)], capsys)
    assert code == 2 and "owner2_test.rego:7" in err and "rego_parse_error" in err


def test_lint_reports_every_problem_with_file_and_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["lint", str(AUTHORING / "lint_problems")], capsys)
    lines = out.splitlines()
    assert code == 1 and len(lines) == 4
    base = "tests/fixtures/authoring/lint_problems/"
    assert lines[0].startswith(
        base + "divergent.rego:6:10: warning: http.send(): a policy must not"
    )
    assert any(line.startswith(base + "waivers.yaml:7:5: error: ticket") for line in lines)
    assert any(line.startswith(base + "bad-definition.yaml:3:1: error: severity") for line in lines)
    assert any(line.startswith(base + "dataproduct.yaml:") for line in lines)


def test_lint_of_clean_inputs_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint"], capsys)[0] == 0  # the built-in pack
    assert run(["lint", str(EXAMPLES / "sales")], capsys)[0] == 0


def test_bundle_build_then_check_with_the_bundle(
    scaffolded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "b.tar.gz"
    code, out, _ = run(["bundle", "build", str(scaffolded), "-o", str(out_file)], capsys)
    assert code == 0 and "roots governance, governance_entry" in out
    code, out, _ = run(
        ["check", str(EXAMPLES), "--policies", str(out_file), "--format", "json"], capsys
    )
    ids = {f["policy_id"] for f in json.loads(out)["findings"]}
    assert "ACME-TAG-001" in ids
