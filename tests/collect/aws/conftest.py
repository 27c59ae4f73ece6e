"""A real moto server (HTTP, in a thread) for the session, reset before each test.

Tests seed it with boto3 exactly as they would seed an AWS account, then run the collector
against ``endpoint_url``. Only the AWS Backup calls moto lacks go to ``StandInBackupApi``.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from governance.collect.aws import AwsScanOptions
from governance.collect.aws.session import path_style_s3control
from tests.collect.aws.standin import StandInBackupApi

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account for the test credentials
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def post(url: str, body: bytes = b"") -> None:
    # text/plain: a form content type would make the server parse (and swallow) the body
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200


@dataclass
class Moto:
    url: str
    standin: StandInBackupApi

    def client(self, service: str, region: str = REGION, **keys: str) -> Any:
        import boto3

        client = boto3.client(service, region_name=region, endpoint_url=self.url, **(keys or KEYS))
        if service == "backup":
            self.standin.install_client(client)
        if service == "s3control":
            path_style_s3control(client)
        return client

    def options(self, **overrides: Any) -> AwsScanOptions:
        base = AwsScanOptions(
            profiles=["dev"],
            regions=[REGION],
            endpoint_url=self.url,
            session_hook=self.standin.install,
            max_workers=4,
            max_attempts=2,
            connect_timeout=2,
            read_timeout=10,
            progress=False,
        )
        return replace(base, **overrides)


@pytest.fixture
def aws(moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Moto:
    post(f"{moto_url}/moto-api/reset")
    config = tmp_path / "aws-config"
    config.write_text(
        f"[profile dev]\nregion = {REGION}\naws_access_key_id = testing\n"
        "aws_secret_access_key = testing\n\n[default]\nregion = us-east-1\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    return Moto(moto_url, StandInBackupApi())
