"""PII detection in sample data: e-mail, phone (E.164 and national formats), payment cards (Luhn),
IBAN (mod-97), US SSN, IPv4/IPv6, and, where the column name says so, dates of birth, person
names and postal addresses.

The result per column is the list of kinds found and the share of sampled non-null values that
match any of them; the values themselves never leave the detector. Importing this package is
cheap: numpy, pyarrow and pandas load on the first ``detect_pii`` call.
"""

from __future__ import annotations

from typing import Any

from governance.evaluate.pii.config import PiiConfig, PiiKind
from governance.model.evidence import PiiDetection

__all__ = ["PiiConfig", "PiiKind", "detect_pii"]


def detect_pii(frame: Any, config: PiiConfig | None = None) -> list[PiiDetection]:
    """Detections for every column of a pandas DataFrame reaching its kind's share threshold."""
    config = config or PiiConfig()
    if not config.enabled:
        return []
    from governance.evaluate.pii.scan import scan_frame

    return scan_frame(frame, config)
