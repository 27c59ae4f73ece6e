"""Durations as people write them in manifests, normalised to hours or days.

Accepted forms:

* ISO 8601 durations: ``PT1H``, ``PT30M``, ``P1D``, ``P30D``, ``P2W``, ``P1Y``, ``P1Y6M``,
  ``P1DT12H`` (fractions such as ``PT1.5H`` too; designators are case-insensitive);
* a number with a unit: ``1h``, ``30d``, ``24 hours``, ``1 week``, ``3y``, ``90 days``.

Calendar units are fixed lengths (a year is 365 days, a month 30 days): policies compare declared
retention and RPO against bounds, and a calendar-exact answer would depend on the start date. A bare
number is rejected: whether ``24`` means hours or days is exactly the ambiguity governance must not
guess (``retention_days: 90`` is an integer field and never reaches this module).
"""

from __future__ import annotations

import math
import re

from governance.errors import InputError, Where
from governance.model.evidence import Location

HOURS_PER_DAY = 24.0
_HOURS = {"s": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0, "mo": 720.0, "y": 8760.0}

# Unit spellings of the short form. ``m`` is minutes (as in Go and Prometheus durations); months
# must be spelt ``mo``/``month``. ODCS's own list ("d, day, days; y, yr, years") is included.
_UNITS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "s"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "min"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("mo", "mon", "month", "months"), "mo"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "y"),
}

_NUM = r"(\d+(?:[.,]\d+)?)"
_ISO = re.compile(
    rf"P(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?",
    re.IGNORECASE,
)
_ISO_UNITS = ("y", "mo", "w", "d", "h", "min", "s")
_SHORT = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)", re.IGNORECASE)

EXPECTED = "an ISO 8601 duration (e.g. PT1H, P1D, P30D) or a number with a unit (e.g. 24h, 30 days)"


class DurationError(ValueError):
    """The value is not a duration; the message says what was expected and what was found."""


def _got(value: object) -> str:
    return (
        f"got {value!r}" if isinstance(value, str | int | float) else f"got {type(value).__name__}"
    )


def _iso_hours(text: str) -> float | None:
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    groups = match.groups()
    if all(g is None for g in groups) or text.upper().endswith("T"):
        return None  # "P" or "PT" alone designate nothing
    return sum(
        float(g.replace(",", ".")) * _HOURS[u] for g, u in zip(groups, _ISO_UNITS, strict=True) if g
    )


def parse_hours(value: object, unit: str | None = None) -> float:
    """Hours in ``value`` (a duration string), or in ``value`` ``unit`` (ODCS value + unit)."""
    if isinstance(value, bool):
        raise DurationError(f"expected {EXPECTED}, {_got(value)}")
    if unit is not None:
        if not isinstance(value, int | float | str):
            raise DurationError(f"expected a number of {unit}, {_got(value)}")
        value = f"{value} {unit}"
    if not isinstance(value, str):
        hint = " (add a unit, e.g. 24h or 30d)" if isinstance(value, int | float) else ""
        raise DurationError(f"expected {EXPECTED}{hint}, {_got(value)}")
    text = value.strip()
    hours = _iso_hours(text)
    if hours is None:
        match = _SHORT.fullmatch(text)
        if match is None or match.group(2).lower() not in _UNITS:
            raise DurationError(f"expected {EXPECTED}, {_got(value)}")
        hours = float(match.group(1)) * _HOURS[_UNITS[match.group(2).lower()]]
    if not math.isfinite(hours):
        raise DurationError(f"expected {EXPECTED}, {_got(value)}")
    return hours


def parse_days(value: object, unit: str | None = None) -> float:
    return parse_hours(value, unit) / HOURS_PER_DAY


def whole_days(days: float) -> int:
    """Days as the integer the evidence model stores: rounded to the nearest day."""
    return round(days)


def _where(location: Location) -> Where:
    return Where(location.file, location.line, location.column)


def hours_at(value: object, field: str, location: Location, unit: str | None = None) -> float:
    """``parse_hours`` for a manifest field: a bad value is an ``InputError`` at its position."""
    try:
        return parse_hours(value, unit)
    except DurationError as exc:
        raise InputError(f"{field}: {exc}", _where(location)) from exc


def days_at(value: object, field: str, location: Location, unit: str | None = None) -> float:
    return hours_at(value, field, location, unit) / HOURS_PER_DAY
