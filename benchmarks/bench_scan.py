"""Live scan benchmark: S3 buckets on a moto server in its own process, sequential vs concurrent.

    .venv/bin/python benchmarks/bench_scan.py --buckets 1000 --workers 1 4 16 32 --latency-ms 0 30

Seeds N buckets (a quarter fully configured: SSE-KMS, versioning, lifecycle, tags, public access
block; the rest bare), then runs ``scan_aws`` with each worker count and reports wall time and the
API calls made, counted with botocore event hooks (``before-call``: one per API operation;
``before-send``: one per HTTP request, retries included). ``--latency-ms`` adds a sleep before each
HTTP request to emulate the round trip to real AWS endpoints (moto on localhost answers in about a
millisecond, and its single process on this machine's two cores limits what concurrency can gain).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from governance.collect.aws import AwsScanOptions, scan_aws  # noqa: E402

REGION = "eu-west-1"
KEYS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def seed(url: str, buckets: int) -> None:
    import boto3

    s3 = boto3.client("s3", region_name=REGION, endpoint_url=url, **KEYS)

    def one(n: int) -> None:
        name = f"bench-{n:05d}"
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        if n % 4:
            return
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
            },
        )
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_lifecycle_configuration(
            Bucket=name,
            LifecycleConfiguration={
                "Rules": [
                    {"ID": "expire", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 365}}
                ]
            },
        )
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": "DataProduct", "Value": f"product-{n % 50}"}]}
        )
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration=dict.fromkeys(
                (
                    "BlockPublicAcls",
                    "IgnorePublicAcls",
                    "BlockPublicPolicy",
                    "RestrictPublicBuckets",
                ),
                True,
            ),
        )

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(buckets)))


class CallCounter:
    """Counts API operations and HTTP requests of every session the scan creates."""

    def __init__(self, latency: float) -> None:
        self.calls: Counter[str] = Counter()
        self.requests = 0
        self._lock = threading.Lock()
        self._latency = latency

    def install(self, session: Any) -> None:
        session.events.register("before-call.*.*", self._call)
        session.events.register("before-send.*.*", self._send)

    def _call(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls[model.name] += 1

    def _send(self, **_: Any) -> None:
        with self._lock:
            self.requests += 1
        if self._latency:
            time.sleep(self._latency)  # emulated network round trip; releases the GIL like I/O


def run(url: str, workers: int, latency_ms: float) -> tuple[float, int, CallCounter]:
    counter = CallCounter(latency_ms / 1000)
    options = AwsScanOptions(
        regions=[REGION],
        endpoint_url=url,
        services=["s3"],
        max_workers=workers,
        progress=False,
        session_hook=counter.install,
    )
    start = time.perf_counter()
    evidence = scan_aws(options)
    elapsed = time.perf_counter() - start
    if evidence.errors:
        raise SystemExit(f"scan failed: {evidence.errors[0]}")
    return elapsed, len(evidence.resources), counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buckets", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4, 16, 32])
    parser.add_argument("--latency-ms", type=float, nargs="+", default=[0.0, 30.0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"})
    os.environ.pop("AWS_PROFILE", None)

    with moto_server() as url:
        start = time.perf_counter()
        seed(url, args.buckets)
        print(f"seeded {args.buckets} buckets in {time.perf_counter() - start:.1f} s\n")
        print(
            "| latency/call | workers | wall (s) | buckets/s | API calls | calls/bucket | "
            "HTTP requests | speed-up |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        last: CallCounter | None = None
        for latency in args.latency_ms:
            baseline = None
            for workers in args.workers:
                best = None
                for _ in range(args.repeat):
                    elapsed, found, counter = run(url, workers, latency)
                    assert found == args.buckets, f"found {found} buckets"
                    if best is None or elapsed < best[0]:
                        best = (elapsed, counter)
                assert best is not None
                elapsed, counter = best
                baseline = baseline or elapsed
                total = sum(counter.calls.values())
                print(
                    f"| {latency:.0f} ms | {workers} | {elapsed:.2f} "
                    f"| {args.buckets / elapsed:.0f} "
                    f"| {total} | {total / args.buckets:.2f} | {counter.requests} "
                    f"| {baseline / elapsed:.1f}x |"
                )
                last = counter
        if last is not None:
            print("\ncalls per operation (last run):")
            for name, count in sorted(last.calls.items()):
                print(f"- {name}: {count}")


if __name__ == "__main__":
    main()
