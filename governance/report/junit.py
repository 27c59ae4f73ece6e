"""JUnit XML: one ``testsuite`` per data product, one ``testcase`` per policy evaluated on it.

CI systems read JUnit natively (GitLab, Jenkins, Azure DevOps, test-report actions), so each
evaluation maps onto a test outcome:

- fail  -> ``<failure type="<severity>">`` (every failing record listed in the element text);
- error -> ``<error>`` (the policy could not be evaluated: distinct from a failure);
- waived or baselined -> ``<skipped message="waived by ...">``;
- warn  -> passes, with the warnings in ``<system-out>``; pass -> an empty testcase.

A product's own errors (its manifest, suite or sample could not be read) are ``<error>`` test
cases in its suite; a product no policy applied to has one ``<skipped>`` case saying why (not
evaluated is never a pass). Errors that belong to no product (an unreadable plan, a collector
failure) form one extra suite, ``governance.run``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

from governance.model.result import Finding, RunError, RunResult, Status
from governance.report._common import (
    Evaluation,
    evaluations,
    location_text,
    status_label,
    xml_text,
)


def render(result: RunResult) -> str:
    root = ET.Element("testsuites", name=xml_text(f"{result.tool.name} {result.run.id}"))
    by_product: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in evaluations(result.findings):
        by_product[ev.product].append(ev)
    domains = {p.id: p.domain for p in result.products}
    statuses = {p.id: p for p in result.products}
    own_errors: dict[str, list[RunError]] = defaultdict(list)
    for error in result.errors:
        if error.product is not None:
            own_errors[error.product].append(error)
    totals: Counter[str] = Counter()
    stamp = result.run.started_at.replace(tzinfo=None).isoformat(timespec="seconds")
    for product in sorted(set(by_product) | set(domains)):
        suite = ET.SubElement(root, "testsuite", name=xml_text(product), timestamp=stamp)
        domain = domains.get(product) or (
            by_product[product][0].domain if by_product[product] else None
        )
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="domain", value=xml_text(domain or ""))
        summary = statuses.get(product)
        if summary is not None:
            ET.SubElement(props, "property", name="status", value=summary.status)
        counts = Counter(_testcase(suite, ev) for ev in by_product[product])
        for i, error in enumerate(own_errors[product], 1):
            counts[_error_case(suite, product, f"{i}: {error.kind}", error)] += 1
        if summary is not None and summary.status == "not_evaluated":
            case = ET.SubElement(
                suite, "testcase", classname=xml_text(product), name="not evaluated", time="0"
            )
            ET.SubElement(case, "skipped", message=xml_text(f"not evaluated: {summary.reason}"))
            counts["skipped"] += 1
        tests = sum(counts.values())
        _set_counts(suite, counts, tests)
        totals.update(counts)
        totals["tests"] += tests
    unowned_errors = [e for e in result.errors if e.product is None]
    if unowned_errors:
        suite = ET.SubElement(root, "testsuite", name="governance.run", timestamp=stamp)
        for i, error in enumerate(unowned_errors, 1):
            _error_case(suite, "governance.run", f"{i}: {error.kind}", error)
        _set_counts(suite, Counter(error=len(unowned_errors)), len(unowned_errors))
        totals["error"] += len(unowned_errors)
        totals["tests"] += len(unowned_errors)
    _set_counts(root, totals, totals["tests"])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _error_case(suite: ET.Element, classname: str, name: str, error: RunError) -> str:
    case = ET.SubElement(
        suite, "testcase", classname=xml_text(classname), name=xml_text(name), time="0"
    )
    where = f"{error.where}: " if error.where else ""
    node = ET.SubElement(
        case, "error", type=xml_text(error.kind), message=xml_text(f"{where}{error.message}")
    )
    node.text = xml_text(f"{where}{error.message}")
    return "error"


def _set_counts(node: ET.Element, counts: Counter[str], tests: int) -> None:
    node.set("tests", str(tests))
    node.set("failures", str(counts["failure"]))
    node.set("errors", str(counts["error"]))
    node.set("skipped", str(counts["skipped"]))
    node.set("time", "0")


def _record(f: Finding) -> str:
    parts = [f"[{status_label(f)}] {f.message}"]
    if f.subject:
        parts.append(f"  subject: {f.subject}")
    where = location_text(f.location)
    if where:
        parts.append(f"  at: {where}")
    if f.remediation and f.status in (Status.FAIL, Status.WARN):
        parts.append(f"  remediation: {f.remediation}")
    return "\n".join(parts)


def _testcase(suite: ET.Element, ev: Evaluation) -> str:
    """Append the testcase; return its outcome for the counters."""
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(ev.product),
        name=xml_text(f"{ev.policy_id}: {ev.title}"),
        time="0",
    )
    first = ev.findings[0]
    text = xml_text("\n".join(_record(f) for f in ev.findings))
    if ev.status is Status.ERROR:
        node = ET.SubElement(case, "error", type="error", message=xml_text(first.message))
        node.text = text
        return "error"
    if ev.status is Status.FAIL:
        node = ET.SubElement(
            case,
            "failure",
            type=ev.severity.value,
            message=xml_text(f"[{ev.severity.value}] {first.message}"),
        )
        node.text = text
        return "failure"
    if ev.status is Status.WAIVED:
        ET.SubElement(case, "skipped", message=xml_text(_accepted(first)))
        return "skipped"
    if ev.status is Status.WARN:
        ET.SubElement(case, "system-out").text = text
    return "passed"


def _accepted(finding: Finding) -> str:
    if finding.waiver is not None:
        w = finding.waiver
        return (
            f"waived by {w.id} (approved by {w.approved_by}, expires "
            f"{w.expires.isoformat()}): {w.reason}"
        )
    return "accepted by the baseline"
