"""``--publish datahub``: each product's compliance written onto its DataHub datasets.

Per dataset of a product (the datasets linking matched, ``product id -> URNs``):

* one tag (``governance:compliant``, ``governance:non-compliant`` or
  ``governance:evaluation-error``) added while the other two are removed (a PATCH: the
  dataset's other tags are kept);
* structured properties ``governance.complianceStatus``, ``governance.failingPolicies`` (the
  policy ids failing, removed when none), ``governance.lastRunId`` and ``governance.lastCheckedAt``,
  with their definitions (and the tags') upserted so GMS accepts the values;
* one DataHub assertion per policy evaluated on the product (URN derived from dataset + policy,
  so a re-run updates the same assertion) and its run event for this run.

Re-publishing replaces: tags and properties are set, not appended; a file target is rewritten.
Nothing from findings' messages or evidence is published, only ids, statuses and counts.
A run-level error (one not attributed to a product) marks every product ``evaluation-error``:
a run that could not be completed must not publish anything as compliant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from governance.collect.datahub.endpoints import Endpoint
from governance.collect.datahub.sdk import prepare
from governance.model.result import Finding, RunResult, Status

TAGS = {
    "compliant": "governance:compliant",
    "non-compliant": "governance:non-compliant",
    "error": "governance:evaluation-error",
    "not-evaluated": "governance:not-evaluated",
}
STATUS_PROPERTY = "governance.complianceStatus"
FAILING_PROPERTY = "governance.failingPolicies"
RUN_PROPERTY = "governance.lastRunId"
CHECKED_PROPERTY = "governance.lastCheckedAt"

_PRODUCT_STATUS = {
    "pass": "compliant",
    "warn": "compliant",
    "fail": "non-compliant",
    "error": "error",
    "not_evaluated": "not-evaluated",
}
# Worst first: the outcome of a policy on a product is its worst finding.
_RANK = [Status.ERROR, Status.FAIL, Status.WARN, Status.WAIVED, Status.PASS]
_ASSERTION_RESULT = {
    Status.ERROR: "ERROR",
    Status.FAIL: "FAILURE",
    Status.WARN: "SUCCESS",
    Status.WAIVED: "SUCCESS",
    Status.PASS: "SUCCESS",
}


@dataclass(frozen=True)
class PolicyOutcome:
    policy_id: str
    title: str
    severity: str
    status: Status
    findings: int


@dataclass(frozen=True)
class ProductCompliance:
    product: str
    status: str
    """compliant, non-compliant or error."""
    failing: tuple[str, ...]
    policies: tuple[PolicyOutcome, ...]


@dataclass
class PublishReport:
    target: str
    datasets: int = 0
    products: int = 0
    written: int = 0
    without_datasets: list[str] = field(default_factory=list)
    """Products with no catalog dataset: nothing to publish on (reported, not hidden)."""


def _outcomes(findings: Sequence[Finding]) -> tuple[PolicyOutcome, ...]:
    by_policy: dict[str, list[Finding]] = {}
    for finding in findings:
        by_policy.setdefault(finding.policy_id, []).append(finding)
    outcomes = []
    for policy_id in sorted(by_policy):
        group = by_policy[policy_id]
        worst = min((f.status for f in group), key=_RANK.index)
        first = group[0]
        outcomes.append(
            PolicyOutcome(policy_id, first.title, first.severity.value, worst, len(group))
        )
    return tuple(outcomes)


def compliance(result: RunResult) -> dict[str, ProductCompliance]:
    """Each product's status, failing policy ids and per-policy outcomes, from the result."""
    run_error = any(e.product is None for e in result.errors)
    by_product: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_product.setdefault(finding.product, []).append(finding)
    out = {}
    for summary in result.products:
        findings = by_product.get(summary.id, [])
        failing = sorted({f.policy_id for f in findings if f.status is Status.FAIL})
        status = "error" if run_error else _PRODUCT_STATUS[summary.status]
        out[summary.id] = ProductCompliance(summary.id, status, tuple(failing), _outcomes(findings))
    return out


def _definitions() -> list[Any]:
    from datahub.emitter.mce_builder import make_tag_urn
    from datahub.emitter.mcp import MetadataChangeProposalWrapper
    from datahub.metadata import schema_classes as sc

    dataset_type = ["urn:li:entityType:datahub.dataset"]
    string = "urn:li:dataType:datahub.string"
    definitions = [
        (
            STATUS_PROPERTY,
            "Compliance status",
            sc.PropertyCardinalityClass.SINGLE,
            [sc.PropertyValueClass(value=v) for v in TAGS],
        ),
        (
            FAILING_PROPERTY,
            "Failing governance policies",
            sc.PropertyCardinalityClass.MULTIPLE,
            None,
        ),
        (RUN_PROPERTY, "Last governance run", sc.PropertyCardinalityClass.SINGLE, None),
        (CHECKED_PROPERTY, "Last governance check (UTC)", sc.PropertyCardinalityClass.SINGLE, None),
    ]
    items: list[Any] = [
        MetadataChangeProposalWrapper(
            entityUrn=f"urn:li:structuredProperty:{name}",
            aspect=sc.StructuredPropertyDefinitionClass(
                qualifiedName=name,
                displayName=display,
                valueType=string,
                entityTypes=dataset_type,
                cardinality=cardinality,
                allowedValues=allowed,
                description="Written by the governance engine (--publish datahub).",
            ),
        )
        for name, display, cardinality, allowed in definitions
    ]
    items += [
        MetadataChangeProposalWrapper(
            entityUrn=make_tag_urn(tag),
            aspect=sc.TagPropertiesClass(
                name=tag, description=f"Data product is {status} (governance engine)."
            ),
        )
        for status, tag in TAGS.items()
    ]
    return items


def assertion_urn(dataset_urn: str, policy_id: str) -> str:
    digest = hashlib.sha256(f"{dataset_urn}\x1f{policy_id}".encode()).hexdigest()[:32]
    return f"urn:li:assertion:governance-{digest}"


def _dataset_items(urn: str, state: ProductCompliance, result: RunResult, millis: int) -> list[Any]:
    from datahub.emitter.mce_builder import make_tag_urn
    from datahub.emitter.mcp import MetadataChangeProposalWrapper
    from datahub.metadata import schema_classes as sc
    from datahub.specific.dataset import DatasetPatchBuilder

    patch = DatasetPatchBuilder(urn)
    for status, tag in TAGS.items():
        if status == state.status:
            patch.add_tag(sc.TagAssociationClass(make_tag_urn(tag)))
        else:
            patch.remove_tag(make_tag_urn(tag))
    prop = "urn:li:structuredProperty:"
    patch.set_structured_property(prop + STATUS_PROPERTY, state.status)
    if state.failing:
        patch.set_structured_property(prop + FAILING_PROPERTY, list(state.failing))
    else:
        patch.remove_structured_property(prop + FAILING_PROPERTY)
    patch.set_structured_property(prop + RUN_PROPERTY, result.run.id)
    checked = (result.run.finished_at or result.run.started_at).isoformat()
    patch.set_structured_property(prop + CHECKED_PROPERTY, checked)
    items: list[Any] = list(patch.build())
    for outcome in state.policies:
        assertion = assertion_urn(urn, outcome.policy_id)
        info = sc.AssertionInfoClass(
            type=sc.AssertionTypeClass.CUSTOM,
            customAssertion=sc.CustomAssertionInfoClass(
                type="Governance policy", entity=urn, logic=outcome.policy_id
            ),
            source=sc.AssertionSourceClass(type=sc.AssertionSourceTypeClass.EXTERNAL),
            description=f"{outcome.policy_id}: {outcome.title}",
            customProperties={
                "policy_id": outcome.policy_id,
                "severity": outcome.severity,
                "product": state.product,
            },
        )
        event = sc.AssertionRunEventClass(
            timestampMillis=millis,
            runId=result.run.id,
            asserteeUrn=urn,
            assertionUrn=assertion,
            status=sc.AssertionRunStatusClass.COMPLETE,
            result=sc.AssertionResultClass(
                type=_ASSERTION_RESULT[outcome.status],
                nativeResults={"status": outcome.status.value, "findings": str(outcome.findings)},
            ),
        )
        items += [
            MetadataChangeProposalWrapper(entityUrn=assertion, aspect=info),
            MetadataChangeProposalWrapper(entityUrn=assertion, aspect=event),
        ]
    return items


def compliance_items(
    result: RunResult, datasets: Mapping[str, Sequence[str]]
) -> tuple[list[Any], PublishReport]:
    """The SDK objects publishing ``result`` onto ``datasets`` (product id -> dataset URNs)."""
    prepare()
    report = PublishReport(target="")
    states = compliance(result)
    moment = result.run.finished_at or result.run.started_at
    millis = int(moment.timestamp() * 1000)
    items = _definitions()
    for product_id in sorted(states):
        urns = list(dict.fromkeys(datasets.get(product_id, [])))
        if not urns:
            report.without_datasets.append(product_id)
            continue
        report.products += 1
        for urn in urns:
            report.datasets += 1
            items += _dataset_items(urn, states[product_id], result, millis)
    return items, report


def publish_datahub(
    result: RunResult, datasets: Mapping[str, Sequence[str]], target: Endpoint
) -> PublishReport:
    """Publish ``result`` to ``target`` (lite, gms or file:PATH); CollectorError on failure."""
    from governance.collect.datahub.sinks import write_items

    items, report = compliance_items(result, datasets)
    report.target = str(target)
    report.written = write_items(target, items).written
    return report
