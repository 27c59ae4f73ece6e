"""Waivers: time-boxed, approved exceptions that turn matching failures into ``waived``.

File format (YAML; a top-level list, or a mapping with a ``waivers`` list)::

    waivers:
      - id: WVR-2026-001
        policy: GOV-RET-*            # policy id or glob
        product: sales.orders        # glob; product and/or resource is required
        resource: aws_s3_bucket.raw* # glob on the finding's subject (resource address/ARN, column)
        reason: Legacy bucket, migration tracked in DATA-123
        approved_by: jane.doe@example.com
        expires: 2026-06-30          # last day the waiver applies (inclusive)

Rules: a waiver applies to ``fail`` and ``warn`` records only, never to ``error`` (an evaluation
that could not run cannot be accepted: fail closed) nor to passes. The first waiver in file order
that matches wins. Expired waivers no longer apply and are reported; unexpired waivers that matched
no failing record are reported as stale so that fixed exceptions get removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from governance.collect.files import display_path, load_yaml, plain, validation_where
from governance.errors import ConfigError, InputError, Where
from governance.model.result import Finding, Status, WaiverRef, WaiverReport

_WAIVABLE = (Status.FAIL, Status.WARN)


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    policy: str = Field(min_length=1)
    product: str | None = Field(default=None, min_length=1)
    resource: str | None = Field(default=None, min_length=1)
    reason: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    expires: date
    source: str | None = Field(default=None, exclude=True)
    """``file:line`` of the entry, for messages."""

    @model_validator(mode="after")
    def _needs_selector(self) -> Waiver:
        # A waiver for a policy across the whole mesh must be spelled out (product: "*").
        if self.product is None and self.resource is None:
            raise ValueError(
                "give 'product' and/or 'resource' (use product: '*' for every product)"
            )
        return self

    def matches(self, finding: Finding) -> bool:
        if not fnmatchcase(finding.policy_id, self.policy):
            return False
        if self.product is not None and not fnmatchcase(finding.product, self.product):
            return False
        return self.resource is None or (
            finding.subject is not None and fnmatchcase(finding.subject, self.resource)
        )

    def ref(self) -> WaiverRef:
        return WaiverRef(
            id=self.id, reason=self.reason, approved_by=self.approved_by, expires=self.expires
        )


def load_waivers(path: Path) -> list[Waiver]:
    """Read and validate a waivers file; ``ConfigError`` naming file:line for any problem."""
    shown = display_path(path)
    if not path.is_file():
        raise ConfigError("waivers file not found", Where(shown))
    try:
        doc = load_yaml(path)
    except InputError as exc:
        raise ConfigError(exc.message, exc.where) from exc
    entries = _entries(doc, shown)
    waivers: list[Waiver] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries):
        where = validation_where(shown, entries, (index,))
        if not isinstance(entry, dict):
            raise ConfigError(
                "each waiver must be a mapping", Where(shown, where.line, where.column)
            )
        try:
            waiver = Waiver.model_validate(plain(entry))
        except ValidationError as exc:
            raise _validation_error(exc, shown, entry, where.line) from exc
        waiver.source = f"{shown}:{where.line}" if where.line else shown
        if waiver.id in seen:
            raise ConfigError(
                f"duplicate waiver id '{waiver.id}' (first at {seen[waiver.id]})",
                Where(shown, where.line, where.column),
            )
        seen[waiver.id] = waiver.source
        waivers.append(waiver)
    return waivers


def _entries(doc: Any, shown: str) -> list[Any]:
    if doc is None:
        return []
    if isinstance(doc, dict):
        unknown = sorted(str(k) for k in doc if k != "waivers")
        if unknown:
            loc = validation_where(shown, doc, (unknown[0],))
            raise ConfigError(
                f"unknown key '{unknown[0]}' (expected 'waivers')",
                Where(shown, loc.line, loc.column),
            )
        doc = doc.get("waivers") or []
    if not isinstance(doc, list):
        raise ConfigError(
            "expected a list of waivers (or a mapping with 'waivers:')", Where(shown, 1, 1)
        )
    return doc


def _validation_error(
    exc: ValidationError, shown: str, entry: Any, line: int | None
) -> ConfigError:
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    where = validation_where(shown, entry, loc) if loc else None
    field = ".".join(str(p) for p in loc) or "waiver"
    message = str(first["msg"]).removeprefix("Value error, ")
    return ConfigError(
        f"{field}: {message}",
        Where(shown, (where.line if where else None) or line, where.column if where else None),
    )


def apply_waivers(
    findings: Sequence[Finding], waivers: Sequence[Waiver], today: date
) -> list[WaiverReport]:
    """Waive matching fail/warn records in place; report expired and stale waivers."""
    active = [w for w in waivers if today <= w.expires]
    used: set[str] = set()
    for finding in findings:
        if finding.status not in _WAIVABLE:
            continue
        for waiver in active:
            if waiver.matches(finding):
                used.add(waiver.id)
                if finding.status is not Status.WAIVED:
                    finding.status = Status.WAIVED
                    finding.waiver = waiver.ref()
    reports: list[WaiverReport] = []
    for waiver in waivers:
        where = f" ({waiver.source})" if waiver.source else ""
        if waiver.expires < today:
            hits = sum(1 for f in findings if f.status in _WAIVABLE and waiver.matches(f))
            reports.append(
                WaiverReport(
                    id=waiver.id,
                    state="expired",
                    expires=waiver.expires,
                    policy=waiver.policy,
                    message=f"expired on {waiver.expires.isoformat()}{where}; {hits} matching "
                    "finding(s) are no longer waived",
                )
            )
        elif waiver.id not in used:
            reports.append(
                WaiverReport(
                    id=waiver.id,
                    state="stale",
                    expires=waiver.expires,
                    policy=waiver.policy,
                    message=f"matched no failing or warning finding{where}: remove it if the issue "
                    "is fixed",
                )
            )
    return reports
