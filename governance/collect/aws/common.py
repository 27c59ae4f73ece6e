"""What the service collectors share: the unit of work, its scope, and error conversion.

A scan is a tree of small tasks run by one bounded thread pool (``runner.py``): an account task
resolves credentials and regions and yields discovery tasks; a discovery task lists a service's
resources and yields one task per resource to describe. No task waits for another, so one pool
bounds the concurrency of the whole scan without deadlock.

Only imported while scanning (``scan_aws`` imports it lazily), so importing botocore here costs
nothing for other commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from governance.model.evidence import Location, Resource
from governance.model.result import RunError

if TYPE_CHECKING:
    from governance.collect.aws.backup import BackupFacts
    from governance.collect.aws.session import AccountTarget

AWS_ERRORS = (BotoCoreError, ClientError)
"""Every failure botocore reports: API errors (AccessDenied, throttling after retries) and
transport or credential failures (unreachable endpoint, expired token)."""

Client = Any  # botocore clients are generated at runtime; they have no static type


def error_code(exc: BaseException) -> str | None:
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


def describe_error(exc: BaseException) -> str:
    """One line: the AWS error code and message, or botocore's own description."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        op = getattr(exc, "operation_name", "")
        return f"{op}: {err.get('Code', 'Error')}: {err.get('Message', '').strip()}".strip(": ")
    return f"{type(exc).__name__}: {exc}"


ENDPOINT_KEY = "GovernanceEndpoint"
"""Where ``note_endpoint`` records, in an error response's ``ResponseMetadata``, which endpoint
answered: botocore's ClientError does not say, and an emulator's "no such API" needs it."""

_UNSUPPORTED_STATUS = frozenset({404, 501})
# JSON-protocol services answer an operation they do not have (another partition, an older
# emulator) with this code whatever the HTTP status.
_UNKNOWN_OPERATION = "UnknownOperationException"


def note_endpoint(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
    """``after-call`` handler: keep the answering endpoint (scheme and host) on error responses.

    botocore raises its ClientError from this very ``parsed`` dict right after the event."""
    if getattr(http_response, "status_code", 200) < 400:
        return
    url = urlsplit(str(getattr(http_response, "url", "") or ""))
    if url.scheme and url.netloc:
        parsed.setdefault("ResponseMetadata", {})[ENDPOINT_KEY] = f"{url.scheme}://{url.netloc}"


def unsupported(exc: BaseException) -> bool:
    """The endpoint does not implement the call (an emulator's bare 404/501 page, a partition
    without the API), as opposed to an AWS error about the request or the resource (NoSuchBucket
    is a 404 too, but with its own code)."""
    if not isinstance(exc, ClientError):
        return False
    code = str(exc.response.get("Error", {}).get("Code", ""))
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code == _UNKNOWN_OPERATION:
        return True
    return status in _UNSUPPORTED_STATUS and code in {str(status), "NotImplemented"}


def where(account: str, region: str | None = None, service: str | None = None) -> str:
    """How run errors name a scope: ``aws://<account>/<region>/<service>``."""
    return "aws://" + "/".join(p for p in (account, region, service) if p)


def collector_error(
    exc: BaseException,
    account: str,
    region: str | None,
    service: str | None,
    subject: str | None = None,
) -> RunError:
    if unsupported(exc):
        # One clean line: the response body of an unknown route is an HTML page, not a message.
        assert isinstance(exc, ClientError)
        endpoint = exc.response.get("ResponseMetadata", {}).get(ENDPOINT_KEY, "the endpoint")
        message = f"{service or 'aws'} {exc.operation_name} not supported by {endpoint}"
    else:
        message = f"{service or 'aws'}: {describe_error(exc)}"
    if subject:
        message = f"{subject}: {message}"
    return RunError(kind="collector", message=message, where=where(account, region, service))


@dataclass(frozen=True)
class Scope:
    """One account in one region; clients come from the account's shared cache."""

    target: AccountTarget
    region: str

    @property
    def account(self) -> str:
        return self.target.account

    @property
    def partition(self) -> str:
        return self.target.partition(self.region)

    def client(self, service: str) -> Client:
        return self.target.client(service, self.region)

    def location(self, arn: str) -> Location:
        return Location(account=self.account, region=self.region, arn=arn)


@dataclass
class Output:
    """What a task produces: resources, follow-up tasks, backup facts and errors."""

    resources: list[Resource] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    backup: list[BackupFacts] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    restorable: dict[str, datetime] = field(default_factory=dict)
    """Native point-in-time recovery (DynamoDB PITR, RDS automated backups): resource ARN -> the
    latest time it can be restored to, i.e. its newest recovery point."""
    account: str | None = None
    """Set by account tasks: the account they resolved (duplicates are detected centrally)."""
    scopes: list[tuple[str, str]] = field(default_factory=list)
    """(account, region) pairs an account task put in scope."""


@dataclass(frozen=True)
class Task:
    service: str
    account: str
    """Account id, or the profile / role it will resolve to when not known yet."""
    region: str | None
    run: Callable[[], Output]
    subject: str | None = None
    """The resource being described (for error messages); None for discovery tasks."""


def paginate(client: Client, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    """Every item under ``key`` across all pages (paginators everywhere: no truncated listings)."""
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


def call_or_none(fn: Callable[..., Any], missing: Iterable[str], **kwargs: Any) -> Any:
    """Call ``fn``; ``None`` when AWS answers with one of the ``missing`` codes (the documented way
    S3 says "no such configuration"). Every other failure propagates to the task's error handler."""
    try:
        return fn(**kwargs)
    except ClientError as exc:
        if error_code(exc) in set(missing):
            return None
        raise


def tag_dict(
    items: Iterable[Mapping[str, Any]] | None, key: str = "Key", value: str = "Value"
) -> dict[str, str]:
    return {str(t[key]): str(t.get(value, "")) for t in items or []}


def jsonable(value: Any) -> Any:
    """API output as JSON-safe data for ``Resource.raw`` (datetimes as ISO 8601, no metadata)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def age_hours(moment: datetime | None, now: datetime) -> float | None:
    """Hours from ``moment`` to ``now`` (never negative: clock skew is not a future backup)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(max(0.0, (now - moment).total_seconds() / 3600), 3)
