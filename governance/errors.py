"""One exception hierarchy for the whole tool.

Every failure a user can cause or meet (bad input, broken policy, unreachable source) is a
``GovernanceError``. The CLI turns it into one line ``<where>: <what>`` and exit code 2; only
``--debug`` shows a traceback. Code that catches third-party exceptions converts them here, at the
boundary where it still knows *which* file, resource or source was involved.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """Where a fact or a failure comes from: a file position, or a named source (account, URL)."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        if self.file:
            parts = [self.file]
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
            text = ":".join(parts)
            return f"{text} ({self.source})" if self.source else text
        return self.source or "<unknown>"


class GovernanceError(Exception):
    """Base class: the run cannot be completed faithfully (exit code 2)."""

    kind = "error"

    def __init__(
        self, message: str, where: Where | None = None, *, product: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.product = product
        """The data product the failure belongs to, when known: that product is marked ``error``
        and the run's other products are still evaluated."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(GovernanceError):
    """Wrong CLI usage or option values that click itself cannot check."""

    kind = "usage"


class MissingExtraError(UsageError):
    """An optional feature was asked for but its extra is not installed (``governance.extras``).

    A usage error, not a collector or engine failure: nothing was read yet, and the fix is an
    install command, not a change to the evidence."""


class ConfigError(GovernanceError):
    """governance.yaml, a waiver file or a baseline is invalid."""

    kind = "config"


class InputError(GovernanceError):
    """An evidence input (manifest, plan, sample, catalog file) is malformed or unknown."""

    kind = "input"


class CollectorError(GovernanceError):
    """A live source (AWS account, catalog server) could not be read completely."""

    kind = "collector"


class PolicyError(GovernanceError):
    """A policy definition or its Rego cannot be loaded, or failed while evaluating."""

    kind = "policy"


class EngineError(GovernanceError):
    """An evaluation engine itself failed (native crash, timeout, unreachable OPA server)."""

    kind = "engine"


class StoreError(GovernanceError):
    """The history database could not be opened, written or read."""

    kind = "store"
