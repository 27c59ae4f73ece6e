"""Severity, frameworks and remediation for checkov checks, from mapping files.

Checkov's own severities come from the Prisma Cloud platform, which this tool never contacts, so
the governance guild states them in ``policies/checkov/severity.yaml``::

    checkov_severity:
      default: medium            # any check no rule matches (documented default: medium)
      rules:
        - match: CKV_AWS_145     # a check id, or an fnmatch wildcard such as CKV_AWS_*
          severity: high
          frameworks: [GDPR-32, SOC2-CC6.1]
          remediation: Encrypt the bucket with a customer-managed KMS key.

Resolution: an exact id beats any wildcard; among wildcards the first listed wins; organisation
files given after the built-in one override it (their exact ids replace, their wildcards are tried
first, their ``default`` replaces).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from governance.collect.files import display_path, load_yaml, plain, validation_where
from governance.errors import ConfigError, InputError, Where
from governance.evaluate.checkov.config import CHECK_SELECTOR
from governance.model.policy import Severity

TOP_KEY = "checkov_severity"
DEFAULT_SEVERITY = Severity.MEDIUM


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeverityRule(_Model):
    match: str
    severity: Severity
    frameworks: list[str] = Field(default_factory=list)
    remediation: str | None = None

    @field_validator("match")
    @classmethod
    def _selector(cls, value: str) -> str:
        if not CHECK_SELECTOR.match(value):
            raise ValueError(f"'{value}' is not a check id or wildcard")
        return value

    @property
    def is_glob(self) -> bool:
        return any(c in self.match for c in "*?[")


class SeverityMapping(_Model):
    default: Severity | None = None
    rules: list[SeverityRule] = Field(default_factory=list)


class _File(_Model):
    checkov_severity: SeverityMapping


@dataclass(frozen=True)
class Rating:
    """What the mapping says about one check."""

    severity: Severity
    frameworks: tuple[str, ...] = ()
    remediation: str | None = None
    matched: str | None = None
    """The rule's ``match`` text, or None when the default applied."""


@dataclass
class SeverityTable:
    default: Severity = DEFAULT_SEVERITY
    exact: dict[str, SeverityRule] = field(default_factory=dict)
    globs: list[SeverityRule] = field(default_factory=list)

    def add(self, mapping: SeverityMapping) -> None:
        """Layer a later (more specific, e.g. organisation) mapping over this one."""
        if mapping.default is not None:
            self.default = mapping.default
        self.exact.update({r.match: r for r in mapping.rules if not r.is_glob})
        self.globs[:0] = [r for r in mapping.rules if r.is_glob]

    def rate(self, check_id: str) -> Rating:
        rule = self.exact.get(check_id)
        if rule is None:
            rule = next((r for r in self.globs if fnmatch.fnmatchcase(check_id, r.match)), None)
        if rule is None:
            return Rating(self.default)
        return Rating(rule.severity, tuple(rule.frameworks), rule.remediation, rule.match)


def load_mapping(path: Path) -> SeverityMapping:
    """Read one mapping file; any problem is a ConfigError naming file:line."""
    shown = display_path(path)
    try:
        doc = load_yaml(path)
    except InputError as exc:
        raise ConfigError(exc.message, exc.where) from exc
    if not isinstance(doc, dict) or TOP_KEY not in doc:
        raise ConfigError(
            f"not a checkov severity mapping: top-level key '{TOP_KEY}' missing", Where(shown)
        )
    try:
        return _File.model_validate(plain(doc)).checkov_severity
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = validation_where(shown, doc, tuple(first["loc"]))
        dotted = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{dotted}: {first['msg']}", Where(shown, loc.line, loc.column)) from exc


def load_table(paths: Sequence[Path]) -> SeverityTable:
    """Layer the mapping files in order (built-in first, organisation files after)."""
    table = SeverityTable()
    for path in paths:
        table.add(load_mapping(path))
    return table
