"""Drift: where the live resource differs from what the Terraform plan says it should be.

Plan and live evidence share one normalised model, so drift is a field-by-field comparison of
the same ``Resource`` fields. A planned value of ``None`` is unknown at plan time (computed) and
is never reported. Resources the plan only *creates* are not expected live yet; resources the plan
keeps (no-op, update) but the scan did not find are reported as missing; only resources the plan
leaves unchanged are compared field by field (for the others the difference is the pending change).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from governance.model.evidence import Resource

FIELDS: tuple[str, ...] = (
    "encryption.enabled",
    "encryption.algorithm",
    "encryption.kms_key",
    "encryption.bucket_key",
    "versioning",
    "lifecycle.expiration_days",
    "public_access_blocked",
    "key_rotation",
    "point_in_time_recovery",
    "backup_retention_days",
    "tags",
)
_EXPECTED_LIVE = {"no-op", "update", "read"}
"""Plan actions on resources that already exist: the scan must find them."""
_COMPARED = {"no-op", "read", None}
"""Plan actions whose planned values are the current state, so any difference is drift."""


@dataclass(frozen=True)
class DriftItem:
    kind: Literal["changed", "missing"]
    type: str
    plan_address: str
    subject: str
    """The live ARN when found, else the plan address."""
    field: str
    planned: Any
    live: Any

    @property
    def message(self) -> str:
        if self.kind == "missing":
            return f"{self.plan_address} is in the plan but was not found live"
        return (
            f"{self.subject}: {self.field} is {self.live!r} live but {self.planned!r} in the plan"
        )


def _get(resource: Resource, dotted: str) -> Any:
    value: Any = resource
    for part in dotted.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _key_id(key: str) -> str | None:
    """The key id of a KMS key ARN or bare id; None for aliases (not comparable without lookups)."""
    if "alias/" in key:
        return None
    return key.rsplit("key/", 1)[-1] if "key/" in key else key


def _differs(field: str, planned: Any, live: Any) -> bool:
    if field == "encryption.kms_key" and isinstance(planned, str) and isinstance(live, str):
        planned_id, live_id = _key_id(planned), _key_id(live)
        return planned_id is not None and live_id is not None and planned_id != live_id
    return bool(planned != live)


def _compare(plan: Resource, live: Resource, fields: Sequence[str]) -> list[DriftItem]:
    items = []
    subject = live.arn or live.address
    for field in fields:
        if field == "tags":
            for key, value in sorted(plan.tags.items()):
                # Only the tags the plan sets: AWS and other tools may add their own.
                if live.tags.get(key) != value:
                    items.append(
                        DriftItem(
                            "changed",
                            plan.type,
                            plan.address,
                            subject,
                            f"tags.{key}",
                            value,
                            live.tags.get(key),
                        )
                    )
            continue
        planned = _get(plan, field)
        if planned is None:
            continue
        actual = _get(live, field)
        if _differs(field, planned, actual):
            items.append(
                DriftItem("changed", plan.type, plan.address, subject, field, planned, actual)
            )
    return items


def drift_findings(
    plan_resources: Iterable[Resource],
    live_resources: Iterable[Resource],
    *,
    fields: Sequence[str] = FIELDS,
    live_types: Iterable[str] | None = None,
) -> list[DriftItem]:
    """Compare each planned resource with its live twin (same ARN, else same type and name).

    ``live_types``: the resource types the scan collected; planned resources of other types are
    not expected in the live evidence (default: the types present in ``live_resources``)."""
    live = list(live_resources)
    by_arn = {r.arn: r for r in live if r.arn}
    by_name: dict[tuple[str, str], Resource] = {(r.type, r.name): r for r in live if r.name}
    scanned = set(live_types) if live_types is not None else {r.type for r in live}
    items: list[DriftItem] = []
    for plan in plan_resources:
        if plan.source != "plan" or plan.type not in scanned:
            continue
        twin = by_arn.get(plan.arn) if plan.arn else None
        if twin is None and plan.name:
            twin = by_name.get((plan.type, plan.name))
        if twin is None:
            if plan.action in _EXPECTED_LIVE:
                items.append(
                    DriftItem(
                        "missing", plan.type, plan.address, plan.address, "exists", True, False
                    )
                )
            continue
        if plan.action not in _COMPARED:
            # create/replace/update: the plan itself is about to change the live resource, so
            # a difference is the pending change, not drift.
            continue
        items.extend(_compare(plan, twin, fields))
    return items
