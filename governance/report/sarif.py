"""SARIF 2.1.0 for GitHub code scanning.

Choices (documented in docs/github-action.md):

- one rule per policy seen in the run, with the remediation as help text, the severity mapped to
  ``defaultConfiguration.level`` and to ``properties.security-severity`` (GitHub's scale);
- results only for fail / warn / error and for accepted failures (waived or baselined, emitted with
  an accepted ``suppressions`` entry so code scanning shows them as dismissed, not as open alerts).
  Passing evaluations are left out: GitHub would not show them and they would only bloat uploads;
  the JSON/HTML/CSV reports keep them for auditors;
- ``partialFingerprints`` carries ``Finding.fingerprint`` (policy, product, subject; never a line
  number), so alerts survive edits that move lines;
- locations are repo-relative URIs under ``%SRCROOT%``; live-cloud findings have no file and get a
  logical location (the ARN) only, which code scanning does not display.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from governance.model.policy import Severity
from governance.model.result import Finding, RunResult, Status
from governance.report._common import effective, finding_order, is_blocking

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/datamesh-governance/datamesh-governance"
FINGERPRINT_KEY = "governanceFinding/v1"

SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_REPORTED = (Status.FAIL, Status.WARN, Status.ERROR, Status.WAIVED)


def render(result: RunResult) -> str:
    reported = sorted((f for f in result.findings if f.status in _REPORTED), key=finding_order)
    rules, index = _rules(result.findings)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": result.tool.name,
                "version": result.tool.version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"governance/{result.run.command}/"},
        "invocations": [_invocation(result)],
        "results": [_result(f, index[f.policy_id], result.run.fail_on) for f in reported],
        "columnKind": "unicodeCodePoints",
        "properties": {"products": _products(result)},
    }
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _products(result: RunResult) -> list[dict[str, Any]]:
    """Per product status (SARIF results are per finding; this says what each product got)."""
    return [
        {"id": p.id, "domain": p.domain, "status": p.status, "score": p.score, "reason": p.reason}
        for p in result.products
    ]


def _invocation(result: RunResult) -> dict[str, Any]:
    """Errors become notifications (a product's own errors name it), and so do products that
    were not evaluated (level warning); the run is unsuccessful when any error exists."""
    errors = [f for f in result.findings if f.status is Status.ERROR]
    invocation: dict[str, Any] = {
        "executionSuccessful": not result.errors and not errors,
        "startTimeUtc": _utc(result.run.started_at.isoformat()),
    }
    if result.run.finished_at is not None:
        invocation["endTimeUtc"] = _utc(result.run.finished_at.isoformat())
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{e.where}: {e.message}" if e.where else e.message},
            "descriptor": {"id": e.kind},
            "properties": {"product": e.product, "policy_id": e.policy_id},
        }
        for e in result.errors
    ]
    notifications.extend(
        {
            "level": "warning",
            "message": {"text": f"{p.id}: not evaluated: {p.reason}"},
            "descriptor": {"id": "not-evaluated"},
            "properties": {"product": p.id, "policy_id": None},
        }
        for p in result.products
        if p.status == "not_evaluated"
    )
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _utc(stamp: str) -> str:
    return stamp.replace("+00:00", "Z")


def _rules(findings: list[Finding]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """One rule per policy (all policies evaluated, so code scanning can close fixed alerts)."""
    first: dict[str, Finding] = {}
    for f in findings:
        first.setdefault(f.policy_id, f)
    rules: list[dict[str, Any]] = []
    for policy_id in sorted(first):
        f = first[policy_id]
        help_text = f.remediation or f.title
        rules.append(
            {
                "id": policy_id,
                "name": _rule_name(policy_id),
                "shortDescription": {"text": f.title},
                "fullDescription": {"text": f.title},
                "help": {"text": help_text, "markdown": f"**Remediation:** {help_text}"},
                "defaultConfiguration": {"level": LEVEL[f.severity]},
                "properties": {
                    "security-severity": SECURITY_SEVERITY[f.severity],
                    "problem.severity": LEVEL[f.severity],
                    "tags": ["data-governance", f"severity/{f.severity.value}", *f.frameworks],
                },
            }
        )
    return rules, {str(rule["id"]): i for i, rule in enumerate(rules)}


def _rule_name(policy_id: str) -> str:
    return "".join(part.capitalize() for part in policy_id.split("-"))


def _level(finding: Finding, fail_on: str) -> str:
    if finding.status is Status.ERROR or is_blocking(finding, fail_on):
        return "error"
    if finding.status is Status.WARN:
        return "warning" if LEVEL[finding.severity] == "error" else LEVEL[finding.severity]
    return LEVEL[finding.severity]


def _result(finding: Finding, rule_index: int, fail_on: str) -> dict[str, Any]:
    text = finding.message
    if finding.subject:
        text = f"{text} (product {finding.product}, {finding.subject})"
    else:
        text = f"{text} (product {finding.product})"
    out: dict[str, Any] = {
        "ruleId": finding.policy_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": _level(finding, fail_on),
        "message": {"text": text},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "product": finding.product,
            "domain": finding.domain,
            "subject": finding.subject,
            "severity": finding.severity.value,
            "status": finding.status.value,
            "engine": finding.engine,
            "frameworks": finding.frameworks,
        },
    }
    if finding.status is Status.ERROR:
        out["properties"]["error"] = True
    suppression = _suppression(finding)
    if suppression is not None:
        out["suppressions"] = [suppression]
    return out


def _suppression(finding: Finding) -> dict[str, Any] | None:
    if finding.waiver is not None:
        w = finding.waiver
        return {
            "kind": "external",
            "status": "accepted",
            "justification": f"waiver {w.id} approved by {w.approved_by} until "
            f"{w.expires.isoformat()}: {w.reason}",
        }
    if effective(finding) is Status.WAIVED:
        return {
            "kind": "external",
            "status": "accepted",
            "justification": "accepted by the governance baseline",
        }
    return None


def _location(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    logical = {
        "name": finding.subject or finding.product,
        "kind": "resource",
        "fullyQualifiedName": f"{finding.product}/{finding.subject or ''}".rstrip("/"),
    }
    if loc is None or not loc.file:
        if loc is not None and loc.arn:
            logical["fullyQualifiedName"] = loc.arn
        return {"logicalLocations": [logical]}
    physical: dict[str, Any] = {"artifactLocation": _artifact(loc.file)}
    if loc.line is not None and loc.line >= 1:
        region: dict[str, int] = {"startLine": loc.line}
        if loc.column is not None and loc.column >= 1:
            region["startColumn"] = loc.column
        physical["region"] = region
    return {"physicalLocation": physical, "logicalLocations": [logical]}


def _artifact(file: str) -> dict[str, str]:
    """Relative paths resolve against the repository root (``%SRCROOT%``), as GitHub expects."""
    if PureWindowsPath(file).drive or file.startswith("/"):
        posix = PureWindowsPath(file).as_posix() if PureWindowsPath(file).drive else file
        return {"uri": "file://" + quote(posix if posix.startswith("/") else "/" + posix)}
    rel = PurePosixPath(file.replace("\\", "/"))
    parts = [p for p in rel.parts if p not in (".", "")]
    return {"uri": quote("/".join(parts)), "uriBaseId": "%SRCROOT%"}
