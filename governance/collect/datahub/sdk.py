"""The acryl-datahub SDK, imported lazily and with its telemetry switched off.

The SDK reads ``DATAHUB_TELEMETRY_ENABLED`` when its telemetry module is first imported and may
otherwise report usage to a third-party endpoint: a governance run must not phone home. So every
function of this package that touches ``datahub`` calls ``prepare()`` before its first import.
Importing the SDK costs about two seconds, which is why nothing imports it at module level.
"""

from __future__ import annotations

import os

TELEMETRY_ENV = "DATAHUB_TELEMETRY_ENABLED"


def prepare() -> None:
    """Switch the SDK's telemetry off (before it is imported; harmless afterwards)."""
    os.environ[TELEMETRY_ENV] = "false"


def decode_errors() -> tuple[type[Exception], ...]:
    """What the SDK's ``from_obj``/``validate`` raise on a malformed record (measured on 1.7).

    avrogen raises ``ValueError`` for missing fields, ``AvroTypeException`` for a wrong union
    member, and ``AttributeError``/``TypeError``/``KeyError`` when a value has the wrong JSON type.
    """
    prepare()
    from avro.errors import AvroException  # a dependency of acryl-datahub

    errors: tuple[type[Exception], ...] = (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        AvroException,
    )
    return errors
