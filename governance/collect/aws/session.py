"""Credentials, accounts, regions and clients for a scan.

Thread safety: a boto3 ``Session`` is not thread-safe, its clients are. Each worker thread gets its
own Session (``SessionPool``) and uses it only to *create* clients; the clients are then shared per
(account, region, service) by every thread, so botocore's adaptive retry mode rate-limits each
account/region/API as one caller, the way AWS throttles it. Credentials objects are thread-safe too
(refreshable ones lock while refreshing), so assumed roles renew themselves during long scans.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import boto3
from botocore.config import Config
from botocore.credentials import Credentials, RefreshableCredentials
from botocore.exceptions import NoCredentialsError, NoRegionError

from governance.collect.aws.common import Client, note_endpoint
from governance.collect.aws.options import ALL_REGIONS, AwsScanOptions, role_account

SESSION_NAME = "datamesh-governance-scan"
ROLE_SECONDS = 3600


class SessionPool:
    """One boto3 Session per thread for this scan; ``hook`` sees each one (instrumentation)."""

    def __init__(self, hook: Callable[[Any], None] | None = None) -> None:
        self._local = threading.local()
        self._hook = hook

    def new(self, profile: str | None = None) -> Any:
        session = boto3.session.Session(profile_name=profile)
        if self._hook is not None:
            self._hook(session)
        return session

    def session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self.new()
        return session


@dataclass(frozen=True)
class AccountSpec:
    """An account as the user named it, before any API call."""

    kind: Literal["default", "profile", "role"]
    name: str | None = None
    """The profile name, or the role ARN."""
    source_profile: str | None = None
    """For roles: the profile whose credentials assume it (None: the default chain)."""

    @property
    def label(self) -> str:
        """What errors call the account until its id is known."""
        if self.kind == "role" and self.name:
            return role_account(self.name)
        if self.kind == "profile":
            return f"profile:{self.name}"
        return "default-credentials"


def account_specs(options: AwsScanOptions) -> list[AccountSpec]:
    if options.role_arns:
        source = options.profiles[0] if options.profiles else None
        return [AccountSpec("role", arn, source) for arn in dict.fromkeys(options.role_arns)]
    if options.profiles:
        return [AccountSpec("profile", p) for p in dict.fromkeys(options.profiles)]
    return [AccountSpec("default")]


def client_config(options: AwsScanOptions) -> Config:
    return Config(
        retries={"mode": "adaptive", "max_attempts": options.max_attempts},
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        # Clients are shared by all workers: one pooled connection per worker avoids
        # "connection pool is full" churn.
        max_pool_connections=max(10, options.max_workers),
        user_agent_extra=SESSION_NAME,
        # Custom endpoints (moto, LocalStack, MinIO) serve buckets by path, not by virtual host.
        s3={"addressing_style": "path"} if options.endpoint_url else None,
    )


def _strip_account_host_prefix(request: Any, **_: Any) -> None:
    parts = urlsplit(request.url)
    request.url = urlunsplit(parts._replace(netloc=parts.netloc.split(".", 1)[1]))


def path_style_s3control(client: Client) -> None:
    """S3 Control puts the account id in the host name (``<account>.s3-control...``); a custom
    endpoint is addressed by path instead, like S3 itself with ``addressing_style=path``."""
    client.meta.events.register("before-sign.s3-control.*", _strip_account_host_prefix)


class AccountTarget:
    """A resolved account: its id, credentials, and the clients shared by every worker."""

    def __init__(
        self,
        spec: AccountSpec,
        account: str,
        credentials: Credentials,
        pool: SessionPool,
        options: AwsScanOptions,
    ) -> None:
        self.spec = spec
        self.account = account
        self._credentials = credentials
        self._pool = pool
        self._endpoint = options.endpoint_url
        self._config = client_config(options)
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str, str], Client] = {}

    def partition(self, region: str) -> str:
        return str(self._pool.session().get_partition_for_region(region))

    def client(self, service: str, region: str) -> Client:
        # Refreshable credentials renew here when close to expiry; a new key means new clients.
        frozen = self._credentials.get_frozen_credentials()
        key = (service, region, frozen.access_key)
        with self._lock:
            client = self._clients.get(key)
        if client is not None:
            return client
        client = self._pool.session().client(
            service,
            region_name=region,
            endpoint_url=self._endpoint,
            aws_access_key_id=frozen.access_key,
            aws_secret_access_key=frozen.secret_key,
            aws_session_token=frozen.token,
            config=self._config,
        )
        if service == "s3control" and self._endpoint:
            path_style_s3control(client)
        client.meta.events.register("after-call", note_endpoint)
        with self._lock:
            stale = [k for k in self._clients if k[2] != frozen.access_key]
            for k in stale:
                del self._clients[k]
            return self._clients.setdefault(key, client)


def _assume_role_credentials(
    sts: Client, spec: AccountSpec, external_id: str | None
) -> Credentials:
    assert spec.name is not None

    def fetch() -> dict[str, str]:
        kwargs: dict[str, Any] = {
            "RoleArn": spec.name,
            "RoleSessionName": SESSION_NAME,
            "DurationSeconds": ROLE_SECONDS,
        }
        if external_id:
            kwargs["ExternalId"] = external_id
        creds = sts.assume_role(**kwargs)["Credentials"]
        expiry: datetime = creds["Expiration"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": expiry.isoformat(),
        }

    return RefreshableCredentials.create_from_metadata(
        metadata=fetch(), refresh_using=fetch, method="sts-assume-role"
    )


def resolve_account(
    spec: AccountSpec, options: AwsScanOptions, pool: SessionPool
) -> tuple[AccountTarget, list[str]]:
    """Credentials and account id for ``spec``, and the regions to scan there (API calls: STS,
    and EC2 DescribeRegions for ``--region all``). Raises botocore errors; the caller converts."""
    profile = spec.name if spec.kind == "profile" else spec.source_profile
    base = pool.new(profile)
    named = [r for r in options.regions if r != ALL_REGIONS]
    home = named[0] if named else base.region_name
    if not home:
        raise NoRegionError()
    config = client_config(options)
    sts = base.client("sts", region_name=home, endpoint_url=options.endpoint_url, config=config)
    if spec.kind == "role":
        assert spec.name is not None
        credentials = _assume_role_credentials(sts, spec, options.external_id)
        account = role_account(spec.name)
    else:
        found = base.get_credentials()
        if found is None:
            raise NoCredentialsError()
        credentials = found
        account = str(sts.get_caller_identity()["Account"])
    target = AccountTarget(spec, account, credentials, pool, options)
    if options.regions and options.regions[0] == ALL_REGIONS:
        ec2 = target.client("ec2", home)
        # Without AllRegions, DescribeRegions lists only the regions enabled in this account.
        regions = sorted(r["RegionName"] for r in ec2.describe_regions()["Regions"])
    else:
        regions = list(dict.fromkeys(named)) if named else [home]
    return target, regions
