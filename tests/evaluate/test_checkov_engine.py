"""run_checkov with real checkov: corpus plans, HCL fixtures, custom checks, failures that show.

Checkov costs ~2 s to import and ~0.1-0.4 s per small plan, so each input is scanned once per
module (module-scoped fixtures) and the tests read the shared results.
"""

from __future__ import annotations

import fnmatch
import logging
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from governance.evaluate.base import Evaluation
from governance.evaluate.checkov import (
    NOT_RUN_POLICY,
    CheckovConfig,
    builtin_checks_dir,
    builtin_severity_file,
    owner_key,
    run_checkov,
)
from governance.evaluate.checkov.custom import load_custom_checks
from governance.evaluate.checkov.severity import load_mapping
from governance.model.evidence import UNOWNED
from governance.model.policy import Severity
from governance.model.result import Finding, Status

pytest.importorskip("checkov")

ON = CheckovConfig(enabled=True)
SSE_PLAN = "fugue__regula__s3-bucket-sse.json"
RUNNER_PLAN = "bridgecrewio__checkov__runner-plan-55res.json"


def pick(findings: Iterable[Finding], policy: str, subject: str) -> Finding:
    matches = [f for f in findings if f.policy_id == policy and f.subject == subject]
    assert len(matches) == 1, f"{policy} on {subject}: {len(matches)} findings"
    return matches[0]


def statuses(findings: Iterable[Finding], policy: str) -> dict[str, Status]:
    return {f.subject or "": f.status for f in findings if f.policy_id == policy}


@pytest.fixture(scope="module")
def checkov_fixtures(fixtures: Path) -> Path:
    return fixtures / "checkov"


@pytest.fixture(scope="module")
def sse_run(corpus: Path) -> Evaluation:
    owners = {"aws_s3_bucket.unencrypted": ("orders", "sales")}
    return run_checkov([corpus / "tfplan" / SSE_PLAN], [], owners, ON)


@pytest.fixture(scope="module")
def runner_plan_run(corpus: Path) -> Evaluation:
    return run_checkov([corpus / "tfplan" / RUNNER_PLAN], [], {}, ON)


@pytest.fixture(scope="module")
def enriched_run(checkov_fixtures: Path) -> Evaluation:
    root = checkov_fixtures / "enriched"
    owners = {"aws_s3_bucket.orders": ("orders", "sales")}
    return run_checkov([root / "plan.json"], [], owners, ON, repo_root=root)


@pytest.fixture(scope="module")
def hcl_run(checkov_fixtures: Path) -> Evaluation:
    hcl = checkov_fixtures / "hcl"
    dirs = [hcl / "product_tags", hcl / "sse_customer_kms", hcl / "backup_daily"]

    def by_tag(tags: Mapping[str, str]) -> tuple[str, str | None] | None:
        product = tags.get("DataProduct")
        return (product, tags.get("Domain")) if product else None

    return run_checkov([], dirs, {}, ON, tag_owner=by_tag)


# ------------------------------------------------------------------------------ corpus plans


def test_corpus_plans_run_without_errors(sse_run: Evaluation, runner_plan_run: Evaluation) -> None:
    assert sse_run.errors == []
    assert runner_plan_run.errors == []


def test_unencrypted_buckets_fail_kms_encryption(sse_run: Evaluation) -> None:
    assert statuses(sse_run.findings, "CKV_AWS_145") == {
        "aws_s3_bucket.unencrypted": Status.FAIL,
        "aws_s3_bucket.aes_encrypted": Status.FAIL,
        "aws_s3_bucket.kms_encrypted": Status.PASS,
    }


def test_ckv_aws_19_counts_default_encryption_as_encrypted(sse_run: Evaluation) -> None:
    # Checkov 3 passes CKV_AWS_19 on a bucket without any SSE block (S3 encrypts by default since
    # 2023): the KMS rules (CKV_AWS_145, CKV_GOV_1) are what catches the unencrypted bucket.
    assert pick(sse_run.findings, "CKV_AWS_19", "aws_s3_bucket.unencrypted").status is Status.PASS


def test_runner_plan_known_failures(runner_plan_run: Evaluation) -> None:
    findings = runner_plan_run.findings
    assert pick(findings, "CKV_AWS_16", "aws_db_instance.default").status is Status.FAIL
    assert pick(findings, "CKV_AWS_17", "aws_db_instance.default").status is Status.FAIL
    assert pick(findings, "CKV_AWS_7", "aws_kms_key.logs_key").status is Status.FAIL
    assert pick(findings, "CKV_AWS_20", "aws_s3_bucket.data").status is Status.FAIL
    only_logs_kms = statuses(findings, "CKV_AWS_145")
    assert [s for s, st in only_logs_kms.items() if st is Status.PASS] == ["aws_s3_bucket.logs"]


def test_findings_carry_owner_severity_and_frameworks(sse_run: Evaluation) -> None:
    owned = pick(sse_run.findings, "CKV_AWS_145", "aws_s3_bucket.unencrypted")
    assert (owned.product, owned.domain) == ("orders", "sales")
    assert owned.engine == "checkov"
    assert owned.severity is Severity.HIGH
    assert "GDPR-Art32" in owned.frameworks
    assert owned.title == "Ensure that S3 buckets are encrypted with KMS by default"
    other = pick(sse_run.findings, "CKV_AWS_145", "aws_s3_bucket.aes_encrypted")
    assert (other.product, other.domain) == (UNOWNED, None)
    unmapped = pick(sse_run.findings, "CKV2_AWS_64", "aws_kms_key.key")
    assert unmapped.severity is Severity.MEDIUM
    assert unmapped.remediation and "CKV2_AWS_64" in unmapped.remediation


def test_plan_location_is_the_resource_in_the_plan_file(corpus: Path, sse_run: Evaluation) -> None:
    finding = pick(sse_run.findings, "CKV_AWS_145", "aws_s3_bucket.unencrypted")
    assert finding.location is not None and finding.location.line is not None
    assert finding.location.file and finding.location.file.endswith(SSE_PLAN)
    lines = (corpus / "tfplan" / SSE_PLAN).read_text().splitlines()
    block = "\n".join(lines[finding.location.line - 1 : finding.evidence["lines"][1]])
    assert '"address": "aws_s3_bucket.unencrypted"' in block


def test_minified_plan_gets_the_line_of_the_address(corpus: Path) -> None:
    plan = corpus / "tfplan" / "aquasecurity__trivy__minified-s3-sse.json"
    result = run_checkov([plan], [], {}, CheckovConfig(enabled=True, checks=["CKV_AWS_145"]))
    finding = pick(result.findings, "CKV_AWS_145", "aws_s3_bucket.planbucket")
    assert finding.location is not None and finding.location.line == 1


def test_utf16_plan_is_read(corpus: Path) -> None:
    plan = corpus / "tfplan" / "bridgecrewio__checkov__utf16-bom-s3.json"
    result = run_checkov([plan], [], {}, CheckovConfig(enabled=True, checks=["CKV_AWS_145"]))
    assert result.errors == []
    assert pick(result.findings, "CKV_AWS_145", "aws_s3_bucket.data").status is Status.FAIL


def test_file_qualified_owner_key_wins_over_the_bare_address(corpus: Path) -> None:
    plan = corpus / "tfplan" / "terraform-compliance__cli__s3-encryption-missing.json"
    config = CheckovConfig(enabled=True, checks=["CKV_AWS_145"], builtin_checks=False)
    first = run_checkov([plan], [], {}, config).findings[0]
    owners = {
        first.subject or "": ("other", None),
        owner_key(first.location.file if first.location else "", first.subject or ""): (
            "mine",
            "d",
        ),
    }
    again = run_checkov([plan], [], owners, config).findings[0]
    assert (again.product, again.domain) == ("mine", "d")


# ------------------------------------------------------------------------- custom checks


def test_custom_checks_run_on_plans(sse_run: Evaluation) -> None:
    assert statuses(sse_run.findings, "CKV_GOV_1") == {
        "aws_s3_bucket.aes_encrypted": Status.FAIL,
        "aws_s3_bucket.kms_encrypted": Status.PASS,  # key id unknown until apply: a key is set
    }
    tags = statuses(sse_run.findings, "CKV2_GOV_1")
    assert set(tags.values()) == {Status.FAIL} and len(tags) == 3


def test_tags_check_pass_fail_pair(hcl_run: Evaluation) -> None:
    assert statuses(hcl_run.findings, "CKV2_GOV_1") == {
        "aws_s3_bucket.tagged": Status.PASS,
        "aws_s3_bucket.untagged": Status.FAIL,
        "aws_s3_bucket.blank_product": Status.FAIL,
    }


def test_customer_kms_check_pass_fail_pair(hcl_run: Evaluation) -> None:
    prefix = "aws_s3_bucket_server_side_encryption_configuration."
    assert statuses(hcl_run.findings, "CKV_GOV_1") == {
        prefix + "customer_key": Status.PASS,
        prefix + "aes256": Status.FAIL,
        prefix + "aws_managed_key": Status.FAIL,
    }
    managed = pick(hcl_run.findings, "CKV_GOV_1", prefix + "aws_managed_key")
    assert "AWS-managed" in managed.message


def test_backup_schedule_check_pass_fail_pair(hcl_run: Evaluation) -> None:
    assert statuses(hcl_run.findings, "CKV_GOV_2") == {
        "aws_backup_plan.daily": Status.PASS,
        "aws_backup_plan.weekly": Status.FAIL,
        "aws_backup_plan.no_schedule": Status.FAIL,
        "aws_backup_plan.weekdays": Status.FAIL,
    }
    weekly = pick(hcl_run.findings, "CKV_GOV_2", "aws_backup_plan.weekly")
    assert "168 h" in weekly.message
    # Daily on weekdays still leaves Friday 05:00 to Monday 05:00 without a recovery point.
    assert "72 h" in pick(hcl_run.findings, "CKV_GOV_2", "aws_backup_plan.weekdays").message
    assert weekly.severity is Severity.HIGH


def test_hcl_findings_point_at_the_tf_line_and_owner_from_tags(
    checkov_fixtures: Path, hcl_run: Evaluation
) -> None:
    assert hcl_run.errors == []
    tagged = pick(hcl_run.findings, "CKV2_GOV_1", "aws_s3_bucket.tagged")
    assert tagged.location is not None and tagged.location.file
    assert tagged.location.file.endswith("product_tags/main.tf")
    tf = (checkov_fixtures / "hcl" / "product_tags" / "main.tf").read_text().splitlines()
    assert tf[(tagged.location.line or 0) - 1].startswith('resource "aws_s3_bucket" "tagged"')
    assert (tagged.product, tagged.domain) == ("orders", "sales")
    assert tagged.evidence["source"] == "hcl"


def test_enriched_plan_findings_point_at_the_root_module_tf(
    checkov_fixtures: Path, enriched_run: Evaluation
) -> None:
    assert enriched_run.errors == []
    scratch = pick(enriched_run.findings, "CKV_GOV_2", "aws_backup_plan.scratch")
    assert scratch.status is Status.FAIL
    assert scratch.location is not None and scratch.location.file
    assert scratch.location.file.endswith("enriched/main.tf")
    tf = (checkov_fixtures / "enriched" / "main.tf").read_text().splitlines()
    assert tf[(scratch.location.line or 0) - 1] == 'resource "aws_backup_plan" "scratch" {'
    assert scratch.evidence["file"].endswith("enriched/plan.json")  # the plan stays in evidence
    # A module's resource is not looked up by type.name (ambiguous): it keeps the plan position.
    archived = pick(enriched_run.findings, "CKV2_GOV_1", "module.archive.aws_s3_bucket.this")
    assert archived.location is not None and archived.location.file
    assert archived.location.file.endswith("plan.json")


def test_enriched_plan_custom_checks(enriched_run: Evaluation) -> None:
    assert pick(enriched_run.findings, "CKV2_GOV_1", "aws_s3_bucket.orders").product == "orders"
    assert statuses(enriched_run.findings, "CKV_GOV_1") == {
        "aws_s3_bucket_server_side_encryption_configuration.orders": Status.PASS,
        "aws_s3_bucket_server_side_encryption_configuration.scratch": Status.FAIL,
    }
    assert statuses(enriched_run.findings, "CKV_GOV_2") == {
        "aws_backup_plan.orders": Status.PASS,
        "aws_backup_plan.scratch": Status.FAIL,
    }


# ------------------------------------------------------------------------ selection, size


def test_selection_keeps_custom_checks_and_skip_removes_them(corpus: Path) -> None:
    plan = corpus / "tfplan" / SSE_PLAN
    config = CheckovConfig(enabled=True, checks=["CKV_AWS_145"], skip_checks=["CKV2_GOV_*"])
    ids = {f.policy_id for f in run_checkov([plan], [], {}, config).findings}
    assert ids == {"CKV_AWS_145", "CKV_GOV_1"}


def test_builtin_custom_checks_can_be_turned_off(corpus: Path) -> None:
    plan = corpus / "tfplan" / SSE_PLAN
    config = CheckovConfig(enabled=True, checks=["CKV_AWS_145"], builtin_checks=False)
    ids = {f.policy_id for f in run_checkov([plan], [], {}, config).findings}
    assert ids == {"CKV_AWS_145"}


def test_plan_over_the_size_limit_is_reported_not_scanned(corpus: Path) -> None:
    plan = corpus / "tfplan" / SSE_PLAN  # 4 resources
    owners = {"aws_s3_bucket.unencrypted": ("orders", "sales")}
    small = CheckovConfig(enabled=True, max_plan_resources=3)
    result = run_checkov([plan], [], owners, small)
    assert result.errors == []
    assert {(f.policy_id, f.status, f.product) for f in result.findings} == {
        (NOT_RUN_POLICY, Status.WARN, "orders"),
        (NOT_RUN_POLICY, Status.WARN, UNOWNED),
    }
    assert "4 resources" in result.findings[0].message
    forced = run_checkov([plan], [], owners, small.model_copy(update={"force": True}))
    assert any(f.policy_id == "CKV_AWS_145" for f in forced.findings)


def test_disabled_does_nothing(corpus: Path) -> None:
    result = run_checkov([corpus / "tfplan" / SSE_PLAN], [], {}, CheckovConfig())
    assert (result.findings, result.errors) == ([], [])


# ------------------------------------------------------------------- failures must show


def test_malformed_plan_is_an_error_with_position(checkov_fixtures: Path) -> None:
    result = run_checkov([checkov_fixtures / "plans" / "malformed.json"], [], {}, ON)
    assert result.findings == []
    [error] = result.errors
    assert error.kind == "input"
    assert error.where and "malformed.json:8" in error.where


def test_json_that_is_not_a_plan_is_an_error(checkov_fixtures: Path) -> None:
    result = run_checkov([checkov_fixtures / "plans" / "not_a_plan.json"], [], {}, ON)
    [error] = result.errors
    assert "not a Terraform plan" in error.message
    assert error.where and error.where.endswith("not_a_plan.json")


def test_missing_terraform_dir_is_an_error(tmp_path: Path) -> None:
    result = run_checkov([], [tmp_path / "nope"], {}, ON)
    [error] = result.errors
    assert "not found" in error.message


def test_unparsable_tf_file_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket = \n')
    result = run_checkov([], [tmp_path], {}, ON)
    assert any(e.where and e.where.endswith("main.tf") for e in result.errors), result.errors


def test_crashing_and_unimportable_custom_checks_are_errors(
    checkov_fixtures: Path, corpus: Path
) -> None:
    config = CheckovConfig(
        enabled=True,
        checks=["CKV_AWS_145"],
        external_checks_dirs=[checkov_fixtures / "checks_crashing"],
    )
    result = run_checkov([corpus / "tfplan" / SSE_PLAN], [], {}, config)
    messages = [e.message for e in result.errors]
    assert any("fixture_import_error_check" in m for m in messages), messages
    crashes = [e for e in result.errors if e.policy_id == "CKV_FIXTURE_CRASH_1"]
    assert len(crashes) == 3  # one per bucket; the check's results were dropped by checkov
    assert crashes[0].where and crashes[0].where.endswith(SSE_PLAN)
    # Loaded once per process, it must not leak into runs that do not configure it.
    clean = run_checkov([corpus / "tfplan" / SSE_PLAN], [], {}, CheckovConfig(enabled=True))
    assert clean.errors == []


def test_invalid_graph_checks_are_errors_with_position(checkov_fixtures: Path) -> None:
    broken = checkov_fixtures / "checks_broken_yaml"
    config = CheckovConfig(enabled=True, external_checks_dirs=[broken])
    hcl = checkov_fixtures / "hcl" / "product_tags"
    for _ in range(2):  # errors are reported on every run, not only when first loaded
        result = run_checkov([], [hcl], {}, config)
        wheres = sorted(e.where or "" for e in result.errors)
        assert len(wheres) == 2, result.errors
        assert "bad_syntax.yaml:8" in wheres[0]
        assert wheres[1].endswith("no_category.yaml")


def test_python_checks_without_init_are_an_error(checkov_fixtures: Path) -> None:
    config = CheckovConfig(enabled=True, external_checks_dirs=[checkov_fixtures / "checks_no_init"])
    result = run_checkov([], [checkov_fixtures / "hcl" / "product_tags"], {}, config)
    assert any("__init__.py" in e.message for e in result.errors)


# -------------------------------------------------------------------- hygiene of the engine


def test_checkov_leaves_stdout_and_logging_alone(
    checkov_fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    before = (root.level, list(root.handlers), list(root.filters))
    run_checkov([], [checkov_fixtures / "hcl" / "product_tags"], {}, ON)
    assert (root.level, list(root.handlers), list(root.filters)) == before
    assert capsys.readouterr().out == ""


def test_importing_the_engine_does_not_import_checkov() -> None:
    code = (
        "import sys\n"
        "from governance.evaluate.checkov import CheckovConfig, run_checkov\n"
        "run_checkov([], [], {}, CheckovConfig())\n"
        "loaded = [m for m in sys.modules if m == 'checkov' or m.startswith('checkov.')]\n"
        "print(len(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "0"


def test_builtin_severity_rules_name_checks_that_exist() -> None:
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    load_custom_checks([builtin_checks_dir()])  # imports checkov's built-in checks too
    graph = get_graph_checks_registry("terraform")
    graph.load_checks()
    known = {c.id for _, c in resource_registry.all_checks()} | {c.id for c in graph.checks}
    for rule in load_mapping(builtin_severity_file()).rules:
        assert fnmatch.filter(known, rule.match), f"{rule.match} matches no checkov check"
