"""RunResult fixtures for the renderers, built directly on the result model.

``sample_result`` is a small mesh that exercises every branch a renderer has: a blocking failure,
a non-blocking one, a waived, a baselined, a warning, passes, the unowned bundle, expired and stale
waivers, hostile text from a manifest (``<script>``, ``::error``, pipes, @mentions, newlines) and
evidence carrying sample values that must be redacted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from governance.decide import finalise
from governance.model.evidence import Location
from governance.model.policy import Severity
from governance.model.result import (
    Finding,
    InputFile,
    RunError,
    RunInfo,
    RunResult,
    Status,
    ToolInfo,
    UncoveredType,
    WaiverRef,
    WaiverReport,
)

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "report" / "golden"
SARIF_SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)

HOSTILE_SUBJECT = "column:<script>alert(1)</script>"
HOSTILE_MESSAGE = (
    "PII column not encrypted | owner @data-team\n::error file=x.py::pwned 100% [x](y)"
)
PII_VALUES = ["alice@example.com", "123-45-6789", "4111 1111 1111 1111"]
PLAN = "examples/terraform/plan.json"

POLICIES = {
    "GOV-PII-001": (
        "PII encrypted at rest with KMS",
        Severity.CRITICAL,
        ["GDPR Art. 32", "SOC 2 CC6.1"],
        "Enable SSE-KMS with a customer managed key.",
    ),
    "GOV-PII-002": (
        "PII columns declared in the contract",
        Severity.HIGH,
        ["GDPR Art. 30"],
        "Declare the column as pii: true and mask it outside production.",
    ),
    "GOV-TAG-001": (
        "Required tags present",
        Severity.MEDIUM,
        ["ISO 27001 A.5.9"],
        "Add the Domain, DataProduct and Owner tags.",
    ),
    "GOV-RET-001": (
        "Retention within bounds",
        Severity.HIGH,
        ["GDPR Art. 5(1)(e)"],
        "Set retention_days within the bounds for the classification.",
    ),
    "GOV-BAK-001": (
        "Backup meets the RPO",
        Severity.HIGH,
        ["SOC 2 A1.2", "ISO 27001 A.8.13"],
        "Add the bucket to a backup plan whose interval meets the RPO.",
    ),
    "GOV-DQ-001": ("Quality suites pass", Severity.MEDIUM, [], "Fix the failing expectations."),
    "GOV-OWN-001": (
        "Data-bearing resources belong to a product",
        Severity.HIGH,
        ["SOC 2 CC6.1"],
        "Tag the resource with DataProduct and Domain.",
    ),
}
DOMAINS = {
    "sales.orders": "sales",
    "finance.ledger": "finance",
    "customer.profile": "customer",
    "unowned": None,
}


def make_finding(
    policy: str,
    status: Status,
    product: str,
    *,
    subject: str | None = None,
    message: str | None = None,
    location: Location | None = None,
    evidence: dict[str, object] | None = None,
    waiver: WaiverRef | None = None,
    baseline: bool = False,
    engine: str = "rego",
) -> Finding:
    title, severity, frameworks, remediation = POLICIES[policy]
    return Finding(
        policy_id=policy,
        title=title,
        severity=severity,
        status=status,
        product=product,
        domain=DOMAINS.get(product),
        subject=subject,
        message=message or (f"{title}: ok" if status is Status.PASS else f"{title}: violated"),
        evidence=evidence or {},
        location=location,
        frameworks=frameworks,
        remediation=remediation,
        waiver=waiver,
        baseline=baseline,
        engine=engine,  # type: ignore[arg-type]
    )


def make_result(
    findings: list[Finding],
    *,
    errors: list[RunError] | None = None,
    waivers: list[WaiverReport] | None = None,
    fail_on: str = "high",
    domains: dict[str, str | None] | None = None,
) -> RunResult:
    run = RunInfo(
        id="run-0001",
        started_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        finished_at=datetime(2026, 3, 1, 10, 0, 5, tzinfo=UTC),
        fail_on=fail_on,
        inputs=[
            InputFile(path="examples/sales/dataproduct.yaml", sha256="a" * 64, kind="manifest"),
            InputFile(path=PLAN, sha256="b" * 64, kind="terraform-plan"),
        ],
    )
    result = RunResult(
        tool=ToolInfo(version="0.0.0-test"),
        run=run,
        findings=findings,
        errors=errors or [],
        waivers=waivers or [],
    )
    return finalise(result, DOMAINS if domains is None else domains)


def sample_findings() -> list[Finding]:
    waiver = WaiverRef(
        id="WVR-001",
        reason="Backup vault migration, DATA-42",
        approved_by="jane.doe@example.com",
        expires=date(2026, 6, 30),
    )
    return [
        make_finding(
            "GOV-PII-001",
            Status.FAIL,
            "sales.orders",
            subject="aws_s3_bucket.orders_raw",
            location=Location(file=PLAN, line=42, column=7),
            evidence={
                "encryption": {"enabled": False},
                "pii_columns": ["email"],
                "sample_values": PII_VALUES[:1],
            },
        ),
        make_finding(
            "GOV-TAG-001",
            Status.FAIL,
            "sales.orders",
            subject="aws_s3_bucket.orders_raw",
            message="missing required tags: Owner",
            location=Location(file=PLAN, line=40),
        ),
        make_finding(
            "GOV-RET-001",
            Status.PASS,
            "sales.orders",
            location=Location(file="examples/sales/dataproduct.yaml", line=9),
        ),
        make_finding(
            "GOV-BAK-001",
            Status.WAIVED,
            "sales.orders",
            subject="aws_s3_bucket.orders_raw",
            message="no backup plan covers the bucket",
            waiver=waiver,
            location=Location(file=PLAN, line=42, column=7),
        ),
        make_finding("GOV-PII-001", Status.PASS, "finance.ledger"),
        make_finding("GOV-TAG-001", Status.PASS, "finance.ledger"),
        make_finding(
            "GOV-BAK-001",
            Status.WARN,
            "finance.ledger",
            subject="aws_s3_bucket.ledger",
            message="versioning disabled: restores limited to backups",
            location=Location(file=PLAN, line=120),
        ),
        make_finding(
            "GOV-PII-002",
            Status.FAIL,
            "customer.profile",
            subject=HOSTILE_SUBJECT,
            message=HOSTILE_MESSAGE,
            location=Location(file="examples/customer/customer-profile.yaml", line=17, column=5),
        ),
        make_finding(
            "GOV-RET-001",
            Status.FAIL,
            "customer.profile",
            baseline=True,
            message="retention 4000 days exceeds 2555 for confidential",
            location=Location(file="examples/customer/customer-profile.yaml", line=8),
        ),
        make_finding(
            "GOV-DQ-001",
            Status.PASS,
            "customer.profile",
            engine="gx",
            evidence={
                "suite": "customer_profile",
                "success": True,
                "partial_unexpected_list": PII_VALUES[1:],
            },
        ),
        make_finding(
            "GOV-OWN-001",
            Status.FAIL,
            "unowned",
            subject="aws_s3_bucket.orphan",
            message="data-bearing resource claimed by no data product",
            location=Location(file=PLAN, line=88),
        ),
    ]


def build_sample_result() -> RunResult:
    waivers = [
        WaiverReport(
            id="WVR-OLD",
            state="expired",
            expires=date(2026, 1, 31),
            policy="GOV-TAG-*",
            message="expired on 2026-01-31 (waivers.yaml:12); 1 matching finding(s) are "
            "no longer waived",
        ),
        WaiverReport(
            id="WVR-STALE",
            state="stale",
            expires=date(2026, 12, 31),
            policy="GOV-DQ-001",
            message="matched no failing or warning finding (waivers.yaml:20)",
        ),
    ]
    return make_result(sample_findings(), waivers=waivers)


def build_error_result() -> RunResult:
    findings = [
        make_finding("GOV-PII-001", Status.PASS, "sales.orders"),
        make_finding(
            "GOV-BAK-001",
            Status.ERROR,
            "sales.orders",
            message="policy evaluation failed: undefined function",
        ),
    ]
    errors = [
        RunError(
            kind="input",
            message="malformed YAML: mapping values are not allowed",
            where="examples/finance/dataproduct.yaml:12:3",
        ),
        RunError(
            kind="collector",
            message="AccessDenied on s3:ListBuckets",
            where="aws 123456789012/eu-west-1",
        ),
    ]
    return make_result(findings, errors=errors)


def build_status_result() -> RunResult:
    """One product per product status: fail, warn, pass, error (its own suite is missing) and
    not evaluated (only Azure resources, which no policy reads), plus the unowned bundle."""
    findings = [
        make_finding("GOV-PII-001", Status.FAIL, "sales.orders", subject="aws_s3_bucket.orders"),
        make_finding("GOV-BAK-001", Status.WARN, "finance.ledger", message="versioning disabled"),
        make_finding("GOV-PII-001", Status.PASS, "finance.ledger"),
        make_finding("GOV-OWN-001", Status.PASS, "support.tickets"),
        make_finding("GOV-OWN-001", Status.FAIL, "unowned", subject="aws_s3_bucket.tmp"),
    ]
    errors = [
        RunError(
            kind="input",
            message="governance.dataQuality.ruleset: no expectation suite named 'profile_checks'",
            where="examples/customer/dataproduct.yaml:14:7",
            product="customer.profile",
        )
    ]
    uncovered = [
        UncoveredType(
            provider="azurerm", type="azurerm_mssql_database", count=1, products=["marketing.leads"]
        ),
        UncoveredType(
            provider="azurerm",
            type="azurerm_storage_account",
            count=2,
            products=["marketing.leads"],
        ),
    ]
    domains = {**DOMAINS, "marketing.leads": "marketing", "support.tickets": None}
    run = make_result(findings, errors=errors, domains=domains)
    run.uncovered = uncovered
    reasons = {"marketing.leads": "3 azurerm resources of 2 types: no policy applies"}
    return finalise(run, domains, reasons)


def build_large_result(products: int = 1000, per_product: int = 20) -> RunResult:
    """``products`` x ``per_product`` failing findings across 10 domains (for size limits)."""
    policies = list(POLICIES)
    findings = []
    domains: dict[str, str | None] = {}
    for p in range(products):
        product = f"domain{p % 10}.product{p:04d}"
        domains[product] = f"domain{p % 10}"
        for i in range(per_product):
            policy = policies[i % len(policies)]
            title, severity, frameworks, remediation = POLICIES[policy]
            findings.append(
                Finding(
                    policy_id=policy,
                    title=title,
                    severity=severity,
                    status=Status.FAIL,
                    product=product,
                    domain=domains[product],
                    subject=f"aws_s3_bucket.{product.replace('.', '_')}_{i}",
                    message=f"{title}: violated on resource {i} | with a long explanation " * 2,
                    location=Location(file=f"infra/{product}/plan.json", line=10 + i),
                    frameworks=frameworks,
                    remediation=remediation,
                )
            )
    return make_result(findings, domains=domains)


@pytest.fixture
def sample_result() -> RunResult:
    return build_sample_result()


@pytest.fixture
def status_result() -> RunResult:
    return build_status_result()


@pytest.fixture
def error_result() -> RunResult:
    return build_error_result()


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, object]:
    import json

    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    schema: dict[str, object] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema
