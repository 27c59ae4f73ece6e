"""GOV-BAK-003 end to end: live evidence from a moto scan, linked to a product by its tag, and
evaluated by the embedded Rego engine with the built-in policy pack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from governance.collect.aws import scan_aws
from governance.evaluate import get_engine
from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.link import link_bundles
from governance.model.config import GovernanceConfig
from governance.model.evidence import BackupRequirement, Location, Product
from governance.model.result import Status
from tests.collect.aws.conftest import REGION, Moto

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_stale_recovery_point_fails_and_fresh_one_passes(aws: Moto) -> None:
    s3 = aws.client("s3")
    for name, product in (("orders-fresh", "orders"), ("ledger-stale", "ledger")):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": "DataProduct", "Value": product}]}
        )
    aws.standin.add_recovery_point(
        REGION, "arn:aws:s3:::orders-fresh", "S3", NOW - timedelta(hours=3)
    )
    aws.standin.add_recovery_point(
        REGION, "arn:aws:s3:::ledger-stale", "S3", NOW - timedelta(hours=50)
    )
    evidence = scan_aws(aws.options(services=["s3", "backup"], now=NOW))
    assert evidence.errors == []
    evidence.products = [
        Product(
            id=pid,
            name=pid,
            backup=BackupRequirement(rpo="PT24H", rpo_hours=24),
            source=Location(file=f"{pid}.yaml", line=1),
        )
        for pid in ("orders", "ledger")
    ]
    config = GovernanceConfig()
    linked = link_bundles(evidence, config)
    pack = load_pack(builtin_pack_dirs(), config)
    policies = [p for p in pack.policies if p.id == "GOV-BAK-003"]

    result = get_engine("embedded", pack=pack, workers=1).evaluate(linked.bundles, policies, config)

    assert result.errors == []
    assert {f.status for f in result.findings if f.product == "orders"} == {Status.PASS}
    (failure,) = [f for f in result.findings if f.product == "ledger"]
    assert (failure.status, failure.policy_id) == (Status.FAIL, "GOV-BAK-003")
    assert failure.subject == "arn:aws:s3:::ledger-stale"
    assert failure.message == (
        "aws_s3_bucket ledger-stale's latest recovery point is 50 h old, older than the declared "
        "RPO of 24 h"
    )
    assert failure.location is not None and failure.location.arn == "arn:aws:s3:::ledger-stale"
