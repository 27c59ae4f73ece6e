"""CKV_GOV_1: S3 default encryption must be SSE-KMS with a customer-managed key.

Checkov's CKV_AWS_145 accepts any ``aws:kms`` configuration, including the AWS-managed
``aws/s3`` key whose policy the data product cannot control; the guild requires a customer key
so that access to PII can be revoked by key policy. Covers the split resource
``aws_s3_bucket_server_side_encryption_configuration`` and the legacy inline block on
``aws_s3_bucket`` (a bucket without the inline block is left to the split resource).
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})
# Aliases of AWS-managed keys look like alias/aws/<service> (also inside an alias ARN).
AWS_MANAGED_MARKER = "alias/aws/"
# Only resources read from a plan carry checkov's change annotations.
PLAN_MARKER = "__change_actions__"
_NO_KEY = "no kms_master_key_id: the AWS-managed aws/s3 key is used"
# Checkov keeps a key that refers to a resource (aws_kms_key.x.arn) but drops one that comes from
# a variable and is unknown until apply (a module input): fail, and say it may be that case.
_NO_KEY_IN_PLAN = (
    "no kms_master_key_id in the plan: unset (the AWS-managed aws/s3 key is used), or computed "
    "at apply from a variable, which checkov cannot see (scan the HCL, or waive)"
)


def _one(value: Any) -> Any:
    """Checkov wraps HCL and plan values in one-element lists; unwrap them."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def _many(value: Any) -> list[Any]:
    value = _one(value) if not isinstance(value, list) or len(value) == 1 else value
    return value if isinstance(value, list) else [] if value is None else [value]


class S3SseCustomerKms(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure S3 default encryption uses SSE-KMS with a customer-managed key",
            id="CKV_GOV_1",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=[
                "aws_s3_bucket_server_side_encryption_configuration",
                "aws_s3_bucket",
            ],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if "rule" in conf:  # the split resource
            rules = _many(conf["rule"])
        else:
            block = _one(conf.get("server_side_encryption_configuration"))
            if not isinstance(block, dict):
                # A bucket without the inline block (plans show it as []): the split resource, if
                # any, is checked on its own; no encryption at all is CKV_AWS_145's finding.
                return CheckResult.UNKNOWN
            rules = _many(block.get("rule"))
        self.evaluated_keys = ["rule/[0]/apply_server_side_encryption_by_default"]
        if not rules:
            self.details.append("no default encryption rule")
            return CheckResult.FAILED
        for rule in rules:
            default = (
                _one(rule.get("apply_server_side_encryption_by_default"))
                if isinstance(rule, dict)
                else None
            )
            if not isinstance(default, dict):
                self.details.append("a rule has no apply_server_side_encryption_by_default block")
                return CheckResult.FAILED
            algorithm = _one(default.get("sse_algorithm"))
            key = _one(default.get("kms_master_key_id"))
            if algorithm not in KMS_ALGORITHMS:
                self.details.append(f"sse_algorithm is {algorithm!r}, not aws:kms")
                return CheckResult.FAILED
            if not key or not isinstance(key, str):
                self.details.append(_NO_KEY_IN_PLAN if PLAN_MARKER in conf else _NO_KEY)
                return CheckResult.FAILED
            if AWS_MANAGED_MARKER in key:
                self.details.append(f"kms_master_key_id {key!r} is an AWS-managed key")
                return CheckResult.FAILED
        return CheckResult.PASSED


check = S3SseCustomerKms()
