"""The built-in policies on whole bundles, through the real embedded engine.

The Rego unit tests (rules_rego/**/*_test.rego) pin each rule; these check that the pack works on
the input the evidence model really produces (``Bundle.to_input()``: every field present, nulls
where unknown), with the default governance.yaml and the parameters documented in policies/.
"""

from __future__ import annotations

import pytest

from governance.model.evidence import (
    Access,
    BackupCoverage,
    BackupPlanRef,
    BackupRequirement,
    Bundle,
    Column,
    Encryption,
    Lifecycle,
    Location,
    Product,
    Resource,
)
from tests.rules.conftest import Evaluate, failed

# The policies this pack implements in rules_rego/ (others in the pack belong to other areas).
CORE = {
    "GOV-PII-001",
    "GOV-PII-002",
    "GOV-RET-001",
    "GOV-RET-002",
    "GOV-TAG-001",
    "GOV-TAG-002",
    "GOV-BAK-001",
    "GOV-BAK-002",
    "GOV-ACC-001",
    "GOV-ACC-002",
    "GOV-OWN-001",
    "GOV-ENC-002",
}


def tags(domain: str, product: str, owner: str, classification: str, env: str) -> dict[str, str]:
    return {
        "Domain": domain,
        "DataProduct": product,
        "Owner": owner,
        "Classification": classification,
        "Environment": env,
    }


def plan(name: str, schedule: str, hours: float) -> BackupCoverage:
    return BackupCoverage(
        plans=[
            BackupPlanRef(
                name=name, schedule=schedule, interval_hours=hours, selected_by="resource"
            )
        ]
    )


@pytest.fixture
def compliant_orders() -> Bundle:
    product = Product(
        id="orders",
        name="orders",
        domain="sales",
        owner="sales-data@example.com",
        classification="confidential",
        environment="prod",
        retention_days=180,
        backup=BackupRequirement(rpo="PT24H", rpo_hours=24),
        access=Access(default_policy="DENY"),
        columns=[
            Column(name="order_id"),
            Column(name="customer_email", pii=True, encrypted=True, masked=True),
        ],
        pii=True,
        storage=["mesh-sales-orders-prod"],
        source=Location(file="examples/sales/dataproduct.yaml", line=2),
    )
    labels = tags("sales", "orders", "sales-data@example.com", "confidential", "prod")
    bucket = Resource(
        address="aws_s3_bucket.orders",
        type="aws_s3_bucket",
        name="mesh-sales-orders-prod",
        data_bearing=True,
        tags=labels,
        versioning=True,
        public_access_blocked=True,
        encryption=Encryption(enabled=True, algorithm="aws:kms", kms_key="aws_kms_key.orders"),
        lifecycle=Lifecycle(expiration_days=180),
        backup=plan("mesh-daily", "cron(0 5 ? * * *)", 24),
    )
    key = Resource(address="aws_kms_key.orders", type="aws_kms_key", tags=labels, key_rotation=True)
    return Bundle(id="orders", product=product, resources=[bucket, key])


@pytest.fixture
def legacy_profile() -> Bundle:
    """The shape of examples/customer: dev copy with unmasked PII, SSE-S3, weekly backup, ALLOW."""
    product = Product(
        id="customer-profile",
        name="customer-profile",
        domain="customer",
        owner="customer-data-team@example.com",
        classification="Confidential",
        environment="dev",
        retention_days=400,
        backup=BackupRequirement(rpo="PT1H", rpo_hours=1),
        access=Access(default_policy="ALLOW"),
        columns=[
            Column(name="customer_id"),
            Column(name="email", pii=True, encrypted=True, masked=False),
            Column(name="phone", pii=True, tags=["pii"]),
        ],
        pii=True,
        storage=["mesh-customer-profile-dev"],
        source=Location(file="examples/customer/customer-profile.yaml", line=2),
    )
    bucket = Resource(
        address="module.customer_profile.aws_s3_bucket.this",
        type="aws_s3_bucket",
        name="mesh-customer-profile-dev",
        data_bearing=True,
        versioning=True,
        tags=tags(
            "customer", "customer-profile", "customer-data-team@example.com", "confidential", "dev"
        ),
        encryption=Encryption(enabled=True, algorithm="AES256"),
        lifecycle=Lifecycle(expiration_days=400),
        backup=plan("customer-weekly", "cron(0 3 ? * SUN *)", 168),
    )
    return Bundle(id="customer-profile", product=product, resources=[bucket])


@pytest.fixture
def gcp_shipments() -> Bundle:
    """GCS + BigQuery with lowercase labels, Google-managed keys, no versioning, long lifecycle."""
    product = Product(
        id="shipments",
        name="shipments",
        domain="logistics",
        owner="logistics-data",
        classification="internal",
        environment="prod",
        retention_days=90,
        backup=BackupRequirement(rpo="PT24H", rpo_hours=24),
        access=Access(default_policy="DENY"),
        columns=[
            Column(name="shipment_id"),
            Column(name="recipient_name", pii=True, classification="restricted"),
        ],
        pii=True,
        storage=["mesh-logistics-shipments", "logistics_shipments"],
        source=Location(file="examples/logistics/shipments.odcs.yaml", line=2),
    )
    labels = {
        "domain": "logistics",
        "data_product": "shipments",
        "owner": "logistics-data",
        "classification": "internal",
        "environment": "prod",
    }
    google = Encryption(enabled=True, algorithm="AES256")
    bucket = Resource(
        address="google_storage_bucket.shipments",
        type="google_storage_bucket",
        provider="gcp",
        name="mesh-logistics-shipments",
        data_bearing=True,
        tags=labels,
        versioning=False,
        encryption=google,
        lifecycle=Lifecycle(expiration_days=120),
    )
    dataset = Resource(
        address="google_bigquery_dataset.shipments",
        type="google_bigquery_dataset",
        provider="gcp",
        name="logistics_shipments",
        data_bearing=True,
        tags=labels,
        encryption=google,
        lifecycle=Lifecycle(expiration_days=90),
    )
    return Bundle(id="shipments", product=product, resources=[bucket, dataset])


@pytest.fixture
def unowned() -> Bundle:
    scratch = Resource(
        address="aws_s3_bucket.scratch",
        type="aws_s3_bucket",
        name="mesh-scratch-tmp",
        data_bearing=True,
    )
    events = Resource(
        address="aws_dynamodb_table.events",
        type="aws_dynamodb_table",
        name="clickstream-events",
        data_bearing=True,
        tags={"Domain": "marketing", "DataProduct": "clickstream"},
    )
    vault = Resource(address="aws_backup_vault.mesh", type="aws_backup_vault", name="mesh-vault")
    return Bundle(id="unowned", resources=[scratch, events, vault])


def test_compliant_product_passes_every_core_policy(
    evaluate: Evaluate, compliant_orders: Bundle
) -> None:
    findings = evaluate([compliant_orders])
    assert {
        k: [f.message for f in v] for k, v in failed(findings, "orders").items() if k in CORE
    } == {}
    passed = {f.policy_id for f in findings if f.status == "pass"}
    # PII-002 is not applicable in production; every other core policy recorded a pass.
    assert CORE - {"GOV-PII-002"} <= passed


def test_legacy_product_fails_where_the_example_is_non_compliant(
    evaluate: Evaluate, legacy_profile: Bundle
) -> None:
    fails = failed(evaluate([legacy_profile]), "customer-profile")
    assert set(fails) & CORE == {
        "GOV-PII-001",
        "GOV-PII-002",
        "GOV-RET-001",
        "GOV-BAK-001",
        "GOV-ACC-001",
        "GOV-ACC-002",
    }
    assert [f.message for f in fails["GOV-PII-001"]] == [
        "aws_s3_bucket mesh-customer-profile-dev uses AES256 (SSE-S3); "
        "PII storage requires aws:kms or aws:kms:dsse"
    ]
    assert sorted(f.subject or "" for f in fails["GOV-PII-002"]) == ["email", "phone"]
    assert [f.message for f in fails["GOV-BAK-001"]] == [
        "aws_s3_bucket mesh-customer-profile-dev has a worst-case backup interval of 168 h "
        "(plan customer-weekly, schedule cron(0 3 ? * SUN *)), "
        "exceeding the declared RPO of 1 h (PT1H)"
    ]
    assert [f.message for f in fails["GOV-RET-001"]] == [
        "retention of 400 days exceeds the maximum of 365 days for classification confidential "
        "(default bounds) (allowed 30-365 days)"
    ]


def test_gcp_product_is_judged_on_labels_cmek_versioning_and_lifecycle(
    evaluate: Evaluate, gcp_shipments: Bundle
) -> None:
    fails = failed(evaluate([gcp_shipments]), "shipments")
    assert set(fails) & CORE == {"GOV-PII-001", "GOV-RET-002", "GOV-BAK-001", "GOV-BAK-002"}
    assert {f.subject for f in fails["GOV-PII-001"]} == {
        "google_storage_bucket.shipments",
        "google_bigquery_dataset.shipments",
    }
    assert [f.message for f in fails["GOV-RET-002"]] == [
        "google_storage_bucket mesh-logistics-shipments expires data after 120 days, "
        "longer than the declared retention of 90 days"
    ]


def test_unowned_data_bearing_resources_are_findings(evaluate: Evaluate, unowned: Bundle) -> None:
    findings = evaluate([unowned])
    fails = failed(findings, "unowned")
    assert set(fails) & CORE == {"GOV-TAG-001", "GOV-ACC-002"}
    assert {f.subject for f in fails["GOV-TAG-001"]} == {
        "aws_s3_bucket.scratch",
        "aws_dynamodb_table.events",
    }
    assert not {f.policy_id for f in findings if f.product == "unowned"} & (
        CORE - {"GOV-TAG-001", "GOV-ACC-002"}
    )


def test_messages_are_plain_text(
    evaluate: Evaluate, legacy_profile: Bundle, gcp_shipments: Bundle, unowned: Bundle
) -> None:
    """Messages are plain text: no JSON-quoted strings leak from sprintf into what users read."""
    findings = evaluate([legacy_profile, gcp_shipments, unowned])
    messages = [f.message for f in findings if f.policy_id in CORE and f.status == "fail"]
    assert messages
    assert [m for m in messages if '"' in m] == []
