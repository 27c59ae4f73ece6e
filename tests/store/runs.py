"""Build realistic ``RunResult`` objects for history tests (through ``decide.finalise``, as the
pipeline does), and a small CLI used by the kill test's writer subprocess."""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime, timedelta

from governance.decide import finalise
from governance.model.evidence import Location
from governance.model.policy import Severity
from governance.model.result import Finding, InputFile, RunInfo, RunResult, Status, ToolInfo

PRODUCTS = {"orders": "sales", "invoices": "finance", "ledger": "finance"}


def make_run(
    started: datetime,
    failing: dict[str, int] | None = None,
    findings_per_product: int = 4,
    run_id: str | None = None,
) -> RunResult:
    """Each product gets ``findings_per_product`` policies; ``failing[product]`` of them fail."""
    failing = failing or {}
    findings = []
    for product, domain in PRODUCTS.items():
        for i in range(findings_per_product):
            failed = i < failing.get(product, 0)
            findings.append(
                Finding(
                    policy_id=f"GOV-TST-{i:03d}",
                    title=f"test policy {i}",
                    severity=Severity.HIGH,
                    status=Status.FAIL if failed else Status.PASS,
                    product=product,
                    domain=domain,
                    subject=f"arn:aws:s3:::{product}-{i}",
                    message="failed" if failed else "passed",
                    evidence={"index": i},
                    location=Location(file=f"{domain}/{product}.yaml", line=i + 1),
                    frameworks=["SOC2:CC6.1"],
                )
            )
    result = RunResult(
        tool=ToolInfo(version="0.1.0"),
        run=RunInfo(
            id=run_id or uuid.uuid4().hex,
            started_at=started,
            finished_at=started + timedelta(seconds=3),
            inputs=[InputFile(path="sales/orders.yaml", sha256="a" * 64, kind="manifest")],
        ),
        findings=findings,
    )
    return finalise(result, dict(PRODUCTS))


def main() -> None:
    """``python -m tests.store.runs URL FINDINGS RUN_ID``: print 'writing', save one big run."""
    from governance.store import open_store

    url, count, run_id = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    run = make_run(
        datetime.now(UTC), {"orders": 1}, findings_per_product=count // len(PRODUCTS), run_id=run_id
    )
    store = open_store(url)
    print("writing", flush=True)
    store.save(run)
    print("saved", flush=True)


if __name__ == "__main__":
    main()
