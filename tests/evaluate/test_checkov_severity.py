"""Checkov severity mapping and the ``checkov:`` config section (no checkov run needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from governance.errors import ConfigError
from governance.evaluate.checkov import CheckovConfig, builtin_severity_file
from governance.evaluate.checkov.severity import load_mapping, load_table
from governance.model.policy import Severity


@pytest.fixture(scope="module")
def severity_dir(fixtures: Path) -> Path:
    return fixtures / "checkov" / "severity"


def test_builtin_mapping_rates_known_checks_and_defaults_to_medium() -> None:
    table = load_table([builtin_severity_file()])
    assert table.rate("CKV_AWS_20").severity is Severity.CRITICAL
    kms = table.rate("CKV_GOV_1")
    assert kms.severity is Severity.HIGH
    assert "GDPR-Art32" in kms.frameworks
    assert kms.remediation and "customer-managed" in kms.remediation
    unmapped = table.rate("CKV_AZURE_1")
    assert unmapped.severity is Severity.MEDIUM
    assert unmapped.matched is None


def test_builtin_wildcard_rule_matches_its_range_only() -> None:
    table = load_table([builtin_severity_file()])
    assert table.rate("CKV_AWS_54").matched == "CKV_AWS_5[3-6]"
    assert table.rate("CKV_AWS_57").matched == "CKV_AWS_57"
    assert table.rate("CKV_AWS_58").matched is None


def test_organisation_layer_overrides_exact_ids_wildcards_and_default(severity_dir: Path) -> None:
    table = load_table([builtin_severity_file(), severity_dir / "org.yaml"])
    replaced = table.rate("CKV_AWS_145")
    assert (replaced.severity, replaced.frameworks) == (Severity.CRITICAL, ("ORG-ENC-1",))
    assert replaced.remediation == "Use the org KMS key."
    # An exact built-in id still beats the organisation's wildcard ...
    assert table.rate("CKV_AWS_16").severity is Severity.HIGH
    # ... but the organisation's wildcard is tried before the built-in ones.
    assert table.rate("CKV_AWS_19").severity is Severity.HIGH  # exact built-in
    assert table.rate("CKV_AWS_100").severity is Severity.INFO  # org wildcard
    assert table.rate("CKV_GCP_1").severity is Severity.LOW  # org default


def test_invalid_severity_names_file_and_line(severity_dir: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_mapping(severity_dir / "bad_severity.yaml")
    error = caught.value
    assert error.where is not None
    assert error.where.file and error.where.file.endswith("bad_severity.yaml")
    assert error.where.line == 6
    assert "rules.1.severity" in error.message


def test_file_without_the_top_level_key_is_rejected(severity_dir: Path) -> None:
    with pytest.raises(ConfigError, match="checkov_severity"):
        load_mapping(severity_dir / "not_a_mapping.yaml")


def test_config_defaults_keep_checkov_off_and_plans_bounded() -> None:
    config = CheckovConfig()
    assert config.enabled is False
    assert config.max_plan_resources == 2000
    assert config.builtin_checks is True


@pytest.mark.parametrize("selector", ["HIGH", "critical", "CKV AWS 1", "CKV_AWS_1;rm"])
def test_config_rejects_selectors_checkov_would_misread(selector: str) -> None:
    with pytest.raises(ValidationError):
        CheckovConfig(checks=[selector])


def test_config_rejects_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        CheckovConfig.model_validate({"enabled": True, "max_resources": 10})
