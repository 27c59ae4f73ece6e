"""Helpers every renderer shares: redaction, ordering, per-evaluation grouping and roll-ups.

Renderers stay pure and agree with each other because they read the same views computed here from
the ``RunResult``; none of them decides anything (the verdict is on the result model).

Redaction is defensive: engines already mask PII, but a renderer must never print a sample value
even if an engine forgot. Any evidence key in ``REDACTED_KEYS`` (case-insensitive, at any depth)
has its value replaced by a placeholder that keeps only the number of values.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from governance.model.evidence import UNOWNED, Location
from governance.model.policy import Severity
from governance.model.result import COMPLIANT, Finding, RunResult, Status

REDACTED_KEYS = frozenset(
    {
        "sample_values",
        "samples",
        "sample",
        "values",
        "examples",
        "example",
        "raw_values",
        "matched_values",
        "matches",
        "unexpected_list",
        "partial_unexpected_list",
        "unexpected_values",
        "secret",
        "secrets",
        "password",
        "token",
        "credentials",
    }
)
"""Evidence keys whose values may be raw data (GX ``partial_unexpected_list`` holds row values)."""

STATUS_ORDER = {Status.ERROR: 4, Status.FAIL: 3, Status.WARN: 2, Status.WAIVED: 1, Status.PASS: 0}
SEVERITIES = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO]
BAD = (Status.FAIL, Status.ERROR)


def _placeholder(value: Any) -> str:
    if isinstance(value, str) and value.startswith("[redacted"):
        return value  # already redacted (a re-rendered JSON report): keep the count
    if isinstance(value, list | tuple | set | dict):
        return f"[redacted: {len(value)} values]"
    return "[redacted]"


def redact(value: Any) -> Any:
    """A copy of ``value`` with every ``REDACTED_KEYS`` entry replaced by a placeholder."""
    return _redact(value)[0]


def _redact(value: Any) -> tuple[Any, bool]:
    """(redacted copy, whether anything changed); one pass, unchanged values are shared."""
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        changed = False
        for k, v in value.items():
            if str(k).lower() in REDACTED_KEYS:
                out[k] = _placeholder(v)
                changed = changed or out[k] != v
            else:
                out[k], hit = _redact(v)
                changed = changed or hit
        return (out, True) if changed else (value, False)
    if isinstance(value, list):
        pairs = [_redact(v) for v in value]
        if any(hit for _, hit in pairs):
            return [v for v, _ in pairs], True
    return value, False


def safe_result(result: RunResult) -> RunResult:
    """The result with redacted evidence; the input is left untouched (renderers are pure).

    Called by every renderer that prints evidence (json, html, csv); the others print none.
    """
    findings = []
    changed = False
    for f in result.findings:
        evidence, hit = _redact(f.evidence) if f.evidence else (f.evidence, False)
        findings.append(f.model_copy(update={"evidence": evidence}) if hit else f)
        changed = changed or hit
    return result.model_copy(update={"findings": findings}) if changed else result


# ------------------------------------------------------------------------------- small formatters


def location_text(location: Location | None) -> str | None:
    """``file:line:col`` for file evidence, the ARN (or account/region) for live evidence."""
    if location is None:
        return None
    if location.file:
        parts = [location.file]
        if location.line is not None:
            parts.append(str(location.line))
            if location.column is not None:
                parts.append(str(location.column))
        return ":".join(parts)
    if location.arn:
        return location.arn
    live = "/".join(p for p in (location.account, location.region) if p)
    return live or None


def status_label(finding: Finding) -> str:
    """What a reader should see: a baselined failure is still a failure, but accepted."""
    if finding.status is Status.FAIL and finding.baseline:
        return "fail (baseline)"
    return finding.status.value


def effective(finding: Finding) -> Status:
    """Status for compliance roll-ups, as decide computes it: baselined failures are accepted."""
    if finding.status is Status.FAIL and finding.baseline:
        return Status.WAIVED
    return finding.status


def percent(value: float) -> str:
    """Whole percent, except that 0% and 100% are only ever shown when exact (0.4% is not 0%)."""
    text = f"{value * 100:.0f}%"
    if text in ("0%", "100%") and 0 < value < 1:
        for digits in range(1, 5):
            precise = f"{value * 100:.{digits}f}"
            if float(precise) not in (0.0, 100.0):
                return precise + "%"
        return "<0.01%" if value < 0.5 else ">99.99%"
    return text


def finding_order(finding: Finding) -> tuple[int, int, str, str, str]:
    """Worst first: status, severity, then product / policy / subject for a stable order."""
    return (
        -STATUS_ORDER[effective(finding)],
        -finding.severity.rank,
        finding.product,
        finding.policy_id,
        finding.subject or "",
    )


def is_blocking(finding: Finding, fail_on: str) -> bool:
    if fail_on == "never" or finding.status is not Status.FAIL or finding.baseline:
        return False
    return finding.severity.rank >= Severity(fail_on).rank


def failures(result: RunResult) -> list[Finding]:
    """Failures and errors, blocking ones first, then by severity (waived/baselined excluded)."""
    fail_on = result.run.fail_on
    bad = [f for f in result.findings if effective(f) in BAD]
    return sorted(bad, key=lambda f: (not is_blocking(f, fail_on), *finding_order(f)))


def verdict_line(result: RunResult) -> str:
    fail_on = result.run.fail_on
    blocking = len(result.blocking(fail_on))
    errors = len(result.errors) + sum(1 for f in result.findings if f.status is Status.ERROR)
    verdict = result.verdict.value.upper()
    if errors:
        return f"Verdict: {verdict} - {errors} error(s): the run could not be evaluated faithfully"
    if fail_on == "never":
        return f"Verdict: {verdict} - fail-on 'never': findings are reported, nothing blocks"
    return f"Verdict: {verdict} - {blocking} blocking finding(s) at or above '{fail_on}'"


# ------------------------------------------------------------------------------------ evaluations


@dataclass
class Evaluation:
    """One policy evaluated on one product: all of its records and their worst status."""

    product: str
    domain: str | None
    policy_id: str
    title: str
    severity: Severity
    status: Status
    findings: list[Finding] = field(default_factory=list)


def evaluations(findings: Iterable[Finding]) -> list[Evaluation]:
    """Group records by (product, policy); order by product, then worst status, then policy."""
    groups: dict[tuple[str, str], Evaluation] = {}
    for f in findings:
        key = (f.product, f.policy_id)
        ev = groups.get(key)
        if ev is None:
            ev = groups[key] = Evaluation(
                f.product, f.domain, f.policy_id, f.title, f.severity, effective(f)
            )
        elif STATUS_ORDER[effective(f)] > STATUS_ORDER[ev.status]:
            ev.status = effective(f)
        ev.findings.append(f)
    for ev in groups.values():
        ev.findings.sort(key=finding_order)
    return sorted(groups.values(), key=lambda e: (e.product, -STATUS_ORDER[e.status], e.policy_id))


# --------------------------------------------------------------------------------------- roll-ups


@dataclass
class DomainRow:
    domain: str
    products: int = 0
    compliant: int = 0
    failing: int = 0
    errors: int = 0
    not_evaluated: int = 0
    score_total: float = 0.0
    scored: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def compliance(self) -> float:
        return self.compliant / self.products if self.products else 0.0

    @property
    def score(self) -> float | None:
        """Mean score of the products that were evaluated (None when none was)."""
        return self.score_total / self.scored if self.scored else None


NO_DOMAIN = "(no domain)"


def domain_label(product: str, domain: str | None) -> str:
    """The row a product is counted in: its domain; the unowned bundle is ``unowned``."""
    if product == UNOWNED:
        return UNOWNED
    return domain or NO_DOMAIN


def domain_rows(result: RunResult) -> list[DomainRow]:
    """Per-domain compliance: products compliant (pass/warn), failing, in error, not evaluated,
    mean score over the evaluated ones."""
    rows: dict[str, DomainRow] = {}
    for p in result.products:
        label = domain_label(p.id, p.domain)
        row = rows.setdefault(label, DomainRow(label))
        row.products += 1
        if p.score is not None:
            row.score_total += p.score
            row.scored += 1
        if p.status in COMPLIANT:
            row.compliant += 1
        elif p.status == "fail":
            row.failing += 1
        elif p.status == "error":
            row.errors += 1
        else:
            row.not_evaluated += 1
    for f in result.findings:
        if effective(f) is Status.FAIL:
            label = domain_label(f.product, f.domain)
            rows.setdefault(label, DomainRow(label)).failures[f.severity.value] += 1
    return sorted(rows.values(), key=lambda r: r.domain)


def product_status_label(status: str) -> str:
    """``not_evaluated`` -> ``not evaluated``: how a status reads in text reports."""
    return status.replace("_", " ")


def status_counts_line(result: RunResult) -> str:
    """``2 failing, 1 compliant, 1 error, 1 not evaluated``: every product status that occurs,
    worst first; compliant counts pass and warn (never an error or an unevaluated product)."""
    counts = result.summary.product_status
    parts = [
        f"{counts.get('fail', 0)} failing" if counts.get("fail") else "",
        f"{result.summary.compliant_products} compliant",
        f"{counts.get('error', 0)} error" if counts.get("error") else "",
        f"{counts.get('not_evaluated', 0)} not evaluated" if counts.get("not_evaluated") else "",
    ]
    return ", ".join(p for p in parts if p)


def score_text(score: float | None) -> str:
    """A product's score, or ``-`` when nothing was evaluated (no score is not 0%)."""
    return "-" if score is None else percent(score)


@dataclass
class ControlRow:
    """A framework control (``GDPR Art. 32``): products evaluated against it and their state."""

    control: str
    policies: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)
    noncompliant: set[str] = field(default_factory=set)
    accepted: set[str] = field(default_factory=set)

    @property
    def framework(self) -> str:
        return framework_name(self.control)

    @property
    def compliant(self) -> int:
        return len(self.products - self.noncompliant)


_WORD = re.compile(r"^[A-Z][A-Z0-9/]*(?:-[A-Z0-9]+)*$")
_NUMBER = re.compile(r"^[0-9]+(?:-[0-9]+)*$")


def framework_name(control: str) -> str:
    """``GDPR Art. 32`` -> ``GDPR``, ``SOC 2 CC6.1`` -> ``SOC 2``, ``ISO 27001 A.8.13`` ->
    ``ISO 27001``, ``SOC2:CC6.1`` -> ``SOC2``: the leading name words, up to the clause."""
    if ":" in control:
        return control.split(":", 1)[0].strip() or control
    tokens = control.split()
    name: list[str] = []
    numbered = False  # after the standard's number ("SOC 2", "ISO 27001") comes the clause
    for token in tokens:
        if _NUMBER.match(token):
            numbered = True
        elif numbered or not _WORD.match(token) or (name and re.match(r"^[A-Z]+[0-9]", token)):
            break
        name.append(token)
    return " ".join(name) if name else (tokens[0] if tokens else control)


def framework_coverage(result: RunResult) -> list[ControlRow]:
    """Per control: a product is compliant when no policy mapped to it fails or errors there.

    Waived and baselined failures count as compliant-with-exception (``accepted``), since the
    organisation accepted them on record.
    """
    rows: dict[str, ControlRow] = {}
    for f in result.findings:
        status = effective(f)
        for control in f.frameworks:
            row = rows.setdefault(control, ControlRow(control))
            row.policies.add(f.policy_id)
            row.products.add(f.product)
            if status in BAD:
                row.noncompliant.add(f.product)
            elif status is Status.WAIVED:
                row.accepted.add(f.product)
    for row in rows.values():
        row.accepted -= row.noncompliant
    return sorted(rows.values(), key=lambda r: _natural(r.control))


def _natural(text: str) -> list[Any]:
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", text)]


@dataclass
class AppliedWaiver:
    id: str
    reason: str
    approved_by: str
    expires: str
    findings: int
    products: list[str]


def applied_waivers(result: RunResult) -> list[AppliedWaiver]:
    """Waivers in force in this run, from the findings they waived."""
    products: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    refs = {}
    for f in result.findings:
        if f.waiver is not None:
            refs[f.waiver.id] = f.waiver
            counts[f.waiver.id] += 1
            products[f.waiver.id].add(f.product)
    return [
        AppliedWaiver(
            w.id,
            w.reason,
            w.approved_by,
            w.expires.isoformat(),
            counts[w.id],
            sorted(products[w.id]),
        )
        for w in sorted(refs.values(), key=lambda w: w.id)
    ]


def severity_counts(result: RunResult) -> dict[str, int]:
    """Unwaived failures per severity, every severity present (zero included), worst first."""
    counts = Counter(f.severity.value for f in result.findings if effective(f) is Status.FAIL)
    return {s.value: counts.get(s.value, 0) for s in SEVERITIES}


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str | None) -> str:
    """Drop characters XML 1.0 cannot carry (inputs may contain them; the parser would reject)."""
    return _XML_INVALID.sub("\ufffd", text or "")
