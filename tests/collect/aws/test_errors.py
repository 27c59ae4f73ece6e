"""Collector errors: an API the endpoint lacks is one clean line, AWS's own 404s keep their code."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from governance.collect.aws.common import ENDPOINT_KEY, collector_error


def _error(code: str, status: int, message: str, op: str = "DescribeRegionSettings") -> Any:
    meta = {"HTTPStatusCode": status, ENDPOINT_KEY: "http://127.0.0.1:5055"}
    return ClientError({"Error": {"Code": code, "Message": message}, "ResponseMetadata": meta}, op)


def test_a_missing_route_is_not_supported() -> None:
    for code, status in (("404", 404), ("501", 501), ("NotImplemented", 501)):
        error = collector_error(_error(code, status, "<html>no</html>"), "1", "r", "backup")
        assert (
            error.message == "backup DescribeRegionSettings not supported by http://127.0.0.1:5055"
        )


def test_an_aws_404_keeps_its_code_and_message() -> None:
    exc = _error("NoSuchBucket", 404, "The specified bucket does not exist", "GetBucketTagging")
    error = collector_error(exc, "1", "r", "s3", "arn:aws:s3:::b")
    assert error.message == (
        "arn:aws:s3:::b: s3: GetBucketTagging: NoSuchBucket: The specified bucket does not exist"
    )
