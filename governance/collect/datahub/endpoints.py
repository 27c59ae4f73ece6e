"""Where catalog metadata is read from or written to, as written on the command line.

``lite`` / ``lite:PATH``   DataHub Lite (default: the ``datahub lite`` CLI's own database)
``gms`` / ``gms:URL``      a DataHub GMS (default URL: ``DATAHUB_GMS_URL``; token from the
                           environment only: ``DATAHUB_GMS_TOKEN``)
``glue`` / ``glue:REGION`` the AWS Glue Data Catalog (read only; credentials as for boto3)
``file:PATH``              a DataHub metadata file (write only: files to read are given as PATHS)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from governance.errors import UsageError

Kind = Literal["lite", "gms", "glue", "file"]
KINDS: tuple[Kind, ...] = ("lite", "gms", "glue", "file")


@dataclass(frozen=True)
class Endpoint:
    kind: Kind
    location: str | None = None
    """A path (lite, file), a URL (gms) or a region (glue); None: the default."""

    def lite_path(self) -> Path:
        from governance.collect.datahub.lite import default_lite_path

        return Path(self.location).expanduser() if self.location else default_lite_path()

    def __str__(self) -> str:
        return f"{self.kind}:{self.location}" if self.location else self.kind


def parse_endpoint(
    text: str, allowed: Collection[str] = KINDS, option: str = "--catalog"
) -> Endpoint:
    """``KIND[:LOCATION]``; only the first ':' separates, so URLs and Windows paths survive."""
    kind, sep, location = text.strip().partition(":")
    choices = ", ".join(f"{k}[:...]" if k != "file" else "file:PATH" for k in allowed)
    if kind not in allowed:
        raise UsageError(f"{option} '{text}': expected one of {choices}")
    if sep and not location:
        raise UsageError(f"{option} '{text}': nothing after ':'")
    if kind == "file" and not location:
        raise UsageError(f"{option} '{text}': give the file to write, file:PATH")
    return Endpoint(cast(Kind, kind), location or None)
