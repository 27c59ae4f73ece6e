"""Scan a DataFrame column by column and report PII kinds with the share of rows they cover.

Which checks run depends on the column's type: text columns get every value check; integer
columns only the ones a bare number can satisfy (payment cards; phones and SSNs when the name says
so); date/timestamp columns only ``date_of_birth`` and only when the name says so. Floats,
booleans, binary and nested values are not scanned.

Only counts leave this module: the masks are reduced to shares before returning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from governance.evaluate.pii import checks
from governance.evaluate.pii.config import PiiConfig, PiiKind
from governance.evaluate.pii.hints import hints, single_word_names
from governance.model.evidence import PiiDetection

Detector = Callable[[pa.Array, frozenset[str], str], Any]

_TEXT_DETECTORS: dict[PiiKind, Detector] = {
    "email": lambda a, h, c: checks.email(a),
    "phone": lambda a, h, c: checks.phone(a, hinted="phone" in h),
    "payment_card": lambda a, h, c: checks.payment_card(a),
    "iban": lambda a, h, c: checks.iban(a),
    "us_ssn": lambda a, h, c: checks.us_ssn(a, hinted="us_ssn" in h),
    "ip_address": lambda a, h, c: checks.ip_address(a),
}
_HINT_ONLY: dict[PiiKind, Detector] = {
    "date_of_birth": lambda a, h, c: checks.birth_date_strings(a),
    "person_name": lambda a, h, c: checks.person_name(a, single_words=single_word_names(c)),
    "postal_address": lambda a, h, c: checks.postal_address(a),
}
_MIN_CARD_INT = 10**12  # 13 digits: shorter integers cannot be card numbers
_SCREEN_ROWS = 20_000
_SCREEN_MIN_EXPECTED = 20
_SCREEN_SEED = 13616  # any fixed seed: runs must be reproducible


def scan_frame(frame: Any, config: PiiConfig) -> list[PiiDetection]:
    """PII detections per column of a pandas DataFrame, in column order."""
    ignored = {c.lower() for c in config.ignore_columns}
    found: list[PiiDetection] = []
    for column in frame.columns:
        name = str(column)
        if name.lower() in ignored:
            continue
        named = hints(name) if config.name_hints else frozenset()
        detection = _scan_column(frame[column], name, named, config)
        if detection is not None:
            found.append(detection)
    return found


def _scan_column(
    series: Any, name: str, named: frozenset[str], config: PiiConfig
) -> PiiDetection | None:
    import pandas as pd

    values = series.dropna()
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_float_dtype(dtype):
        return None
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _temporal(values, name, named, config)
    if pd.api.types.is_integer_dtype(dtype):
        return _integers(values, name, named, config)
    text = _strings(values)
    if text is None or len(text) == 0:
        return None
    detectors: dict[PiiKind, Detector] = dict(_TEXT_DETECTORS)
    detectors.update({k: d for k, d in _HINT_ONLY.items() if k in named})
    return _judge(text, name, named, detectors, config)


def _strings(values: Any) -> pa.Array | None:
    """Non-empty string values as an Arrow array; other objects (numbers, dicts) are left out."""
    try:
        arr = _contiguous(pa.array(values, type=pa.string()))
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        strings = [v for v in values if isinstance(v, str)]
        if not strings:
            return None
        arr = pa.array(strings, type=pa.string())
    return arr.filter(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(arr)), 0))


def _contiguous(arr: Any) -> pa.Array:
    """pandas columns backed by several Arrow chunks come back as a ChunkedArray: the checksum
    code needs one contiguous array."""
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _integers(
    values: Any, name: str, named: frozenset[str], config: PiiConfig
) -> PiiDetection | None:
    if len(values) == 0:
        return None
    numbers = _contiguous(pa.array(values))
    text = pc.cast(numbers, pa.string())
    detectors: dict[PiiKind, Detector] = {}
    if pc.max(pc.abs(numbers)).as_py() >= _MIN_CARD_INT:
        detectors["payment_card"] = _TEXT_DETECTORS["payment_card"]
    for kind in ("phone", "us_ssn"):
        if kind in named:
            detectors[kind] = _TEXT_DETECTORS[kind]
    return _judge(text, name, named, detectors, config) if detectors else None


def _temporal(
    values: Any, name: str, named: frozenset[str], config: PiiConfig
) -> PiiDetection | None:
    if "date_of_birth" not in named or len(values) == 0:
        return None
    years = values.dt.year.to_numpy()
    share = float(checks.plausible_birth_years(years).mean())
    if share < config.threshold("date_of_birth") or share == 0:
        return None
    return PiiDetection(column=name, kinds=["date_of_birth"], share=round(share, 4))


def _judge(
    text: pa.Array,
    name: str,
    named: frozenset[str],
    detectors: dict[PiiKind, Detector],
    config: PiiConfig,
) -> PiiDetection | None:
    total = len(text)
    screen = _screen(text)
    values, weights = _distinct(text, screen)
    union = np.zeros(len(values), dtype=bool)
    kinds: list[str] = []
    for kind, detect in detectors.items():
        threshold = config.threshold(kind)
        screened = screen is not None and threshold * len(screen) >= _SCREEN_MIN_EXPECTED
        if screened and not np.asarray(detect(screen, named, name), dtype=bool).any():
            continue
        mask = np.asarray(detect(values, named, name), dtype=bool)
        hits = int(weights[mask].sum())
        if hits and hits / total >= threshold:
            kinds.append(kind)
            union |= mask
    if not kinds:
        return None
    share = float(weights[union].sum()) / total
    return PiiDetection(column=name, kinds=sorted(kinds), share=round(share, 4))


def _screen(text: pa.Array) -> pa.Array | None:
    """Rows at seeded random positions, to skip the kinds a column does not hold.

    A kind is skipped only when the screen has no hit and its threshold would have put at least
    ``_SCREEN_MIN_EXPECTED`` hits there: a kind at its threshold share is then missed with a
    probability below e^-20, whatever the order of the rows. Shares are always counted on all rows.
    """
    if len(text) < 2 * _SCREEN_ROWS:
        return None
    rng = np.random.default_rng(_SCREEN_SEED)
    positions = np.sort(rng.choice(len(text), size=_SCREEN_ROWS, replace=False))
    return text.take(pa.array(positions))


def _distinct(text: pa.Array, screen: pa.Array | None) -> tuple[pa.Array, Any]:
    """Distinct values with their counts when values repeat (codes, statuses, stock phrases):
    each is checked once. Otherwise every value, each with weight one."""
    probe = screen if screen is not None else text
    if len(probe) and pc.count_distinct(probe).as_py() <= len(probe) // 2:
        counted = pc.value_counts(text)
        return counted.field("values"), counted.field("counts").to_numpy(zero_copy_only=False)
    return text, np.ones(len(text), dtype=np.int64)
