"""AWS schedule expressions -> the worst-case number of hours between two runs.

A backup policy compares a recovery point objective with the *longest* gap a schedule can leave,
not with its average: ``cron(0 5 ? * MON-FRI *)`` runs daily on weekdays but leaves 72 hours over
a weekend. Supported syntax is the one AWS Backup and EventBridge accept:

* ``rate(N unit)`` with unit minute(s), hour(s) or day(s);
* ``cron(min hour day-of-month month day-of-week year)`` with ``, - * / ?`` plus ``L``, ``W``
  (day-of-month) and ``L``, ``#`` (day-of-week); month and weekday names; day-of-week 1 = SUN.

The gap is computed exactly: the times of day a schedule fires are the same every matching day,
so the answer is the larger of the longest gap inside a day and the longest gap between two
consecutive matching days over a 28-year window (2024-2051: every fourth year is a leap year and
28 years are a whole number of weeks, so the calendar repeats exactly and the window wraps).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

__all__ = ["CronError", "interval_hours"]

_WINDOW_START = date(2024, 1, 1)
_WINDOW_YEARS = 28
_WINDOW_DAYS = (date(_WINDOW_START.year + _WINDOW_YEARS, 1, 1) - _WINDOW_START).days
_MINUTES_PER_DAY = 24 * 60
_UTC_NAMES = frozenset({"utc", "etc/utc", "gmt", "etc/gmt", "z", "zulu", "universal"})

_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_abbr) if name}
# AWS numbers weekdays 1 = SUN ... 7 = SAT.
_WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$", re.IGNORECASE)
_CRON = re.compile(r"^cron\((.*)\)$", re.IGNORECASE | re.DOTALL)
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": _MINUTES_PER_DAY}


class CronError(ValueError):
    """A schedule expression that is not valid AWS syntax, or that never (or only finitely) runs."""


@dataclass(frozen=True)
class _DaySpec:
    """Which calendar days a cron expression fires on."""

    months: frozenset[int]
    days: frozenset[int]  # day-of-month numbers; empty when day-of-week decides
    last_day: bool = False  # L
    nearest_weekday: frozenset[int] = frozenset()  # nW
    last_weekday_of_month: bool = False  # LW
    weekdays: frozenset[int] = frozenset()  # AWS numbering 1..7
    last_of_weekday: frozenset[int] = frozenset()  # nL: last <weekday n> of the month
    nth_weekday: frozenset[tuple[int, int]] = frozenset()  # n#k: k-th <weekday n>
    by_weekday: bool = False

    def days_in(self, year: int, month: int) -> list[int]:
        """The days of one month the expression fires on, in order."""
        if month not in self.months:
            return []
        first_weekday, last = calendar.monthrange(year, month)  # first_weekday: MON=0
        found: set[int] = set()
        if self.by_weekday:
            for weekday in self.weekdays:
                found.update(range(_first(weekday, first_weekday), last + 1, 7))
            for weekday in self.last_of_weekday:
                found.add(range(_first(weekday, first_weekday), last + 1, 7)[-1])
            for weekday, k in self.nth_weekday:
                day = _first(weekday, first_weekday) + 7 * (k - 1)
                if day <= last:
                    found.add(day)
            return sorted(found)
        found.update(d for d in self.days if d <= last)
        if self.last_day:
            found.add(last)
        nearest = [*self.nearest_weekday, *([last] if self.last_weekday_of_month else [])]
        for n in nearest:
            moved = _nearest_weekday(year, month, n)
            if moved is not None:
                found.add(moved.day)
        return sorted(found)


def _first(aws_weekday: int, first_weekday: int) -> int:
    """Day of the month of the first <aws_weekday> (SUN=1..SAT=7), given the 1st's MON=0 weekday."""
    return (aws_weekday - 2 - first_weekday) % 7 + 1


def _nearest_weekday(year: int, month: int, n: int) -> date | None:
    """The weekday nearest to day n of the month, never crossing into another month (``nW``)."""
    last = calendar.monthrange(year, month)[1]
    if n > last:
        return None
    day = date(year, month, n)
    if day.weekday() == 5:  # Saturday -> Friday, or Monday when the 1st is a Saturday
        return day - timedelta(days=1) if n > 1 else day + timedelta(days=2)
    if day.weekday() == 6:  # Sunday -> Monday, or Friday when Sunday is the last day
        return day + timedelta(days=1) if n < last else day - timedelta(days=2)
    return day


def _value(token: str, low: int, high: int, names: dict[str, int] | None, field: str) -> int:
    text = token.upper()
    if names and text in names:
        return names[text]
    if not text.isdigit():
        raise CronError(f"{field}: '{token}' is not a number" + (" or a name" if names else ""))
    number = int(text)
    if not low <= number <= high:
        raise CronError(f"{field}: {number} is outside {low}-{high}")
    return number


def _numbers(
    spec: str, low: int, high: int, field: str, names: dict[str, int] | None = None
) -> set[int]:
    """Expand ``*``, lists, ranges (wrapping, e.g. FRI-MON) and steps into the set of values."""
    result: set[int] = set()
    for part in spec.split(","):
        if not part:
            raise CronError(f"{field}: empty list element in '{spec}'")
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise CronError(f"{field}: step '{step_text}' must be a positive number")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, second = base.partition("-")
            start = _value(first, low, high, names, field)
            end = _value(second, low, high, names, field)
        else:
            start = _value(base, low, high, names, field)
            end = high if step_text else start
        span = (end - start) % (high - low + 1)
        result.update(
            low + (start - low + offset) % (high - low + 1) for offset in range(0, span + 1, step)
        )
    return result


def _day_of_month(spec: str, months: frozenset[int]) -> _DaySpec:
    days: set[int] = set()
    nearest: set[int] = set()
    last = last_weekday = False
    for part in spec.upper().split(","):
        if part == "L":
            last = True
        elif part == "LW":
            last_weekday = True
        elif part.endswith("W"):
            nearest.add(_value(part[:-1], 1, 31, None, "day-of-month"))
        else:
            days |= _numbers(part, 1, 31, "day-of-month")
    return _DaySpec(
        months=months,
        days=frozenset(days),
        last_day=last,
        nearest_weekday=frozenset(nearest),
        last_weekday_of_month=last_weekday,
    )


def _day_of_week(spec: str, months: frozenset[int]) -> _DaySpec:
    weekdays: set[int] = set()
    last_of: set[int] = set()
    nth: set[tuple[int, int]] = set()
    for part in spec.upper().split(","):
        if part == "L":
            weekdays.add(7)  # a bare L in day-of-week means the last day of the week, Saturday
        elif part.endswith("L"):
            last_of.add(_value(part[:-1], 1, 7, _WEEKDAYS, "day-of-week"))
        elif "#" in part:
            day, _, k = part.partition("#")
            nth.add(
                (
                    _value(day, 1, 7, _WEEKDAYS, "day-of-week"),
                    _value(k, 1, 5, None, "day-of-week #"),
                )
            )
        else:
            weekdays |= _numbers(part, 1, 7, "day-of-week", _WEEKDAYS)
    return _DaySpec(
        months=months,
        days=frozenset(),
        weekdays=frozenset(weekdays),
        last_of_weekday=frozenset(last_of),
        nth_weekday=frozenset(nth),
        by_weekday=True,
    )


def _cron_minutes(body: str) -> tuple[float, bool]:
    """Worst-case gap in minutes, and whether the hour field names fixed hours (for DST)."""
    fields = body.split()
    if len(fields) != 6:
        raise CronError(
            "expected 6 fields (minutes hours day-of-month month day-of-week year), "
            f"got {len(fields)}"
        )
    minute_f, hour_f, dom_f, month_f, dow_f, year_f = fields
    if year_f != "*":
        # A year list ends: after its last year the schedule never runs, so no interval holds.
        raise CronError(f"year field '{year_f}' limits the schedule to some years; only '*' recurs")
    if (dom_f == "?") == (dow_f == "?"):
        raise CronError("exactly one of day-of-month and day-of-week must be '?'")
    minutes = _numbers(minute_f, 0, 59, "minutes")
    hours = _numbers(hour_f, 0, 23, "hours")
    months = frozenset(_numbers(month_f, 1, 12, "month", _MONTHS))
    spec = _day_of_week(dow_f, months) if dom_f == "?" else _day_of_month(dom_f, months)

    times = sorted(h * 60 + m for h in hours for m in minutes)
    day_numbers: list[int] = []
    for year in range(_WINDOW_START.year, _WINDOW_START.year + _WINDOW_YEARS):
        for month in range(1, 13):
            start = (date(year, month, 1) - _WINDOW_START).days
            day_numbers.extend(start + day - 1 for day in spec.days_in(year, month))
    if not day_numbers:
        raise CronError("the expression never fires (no calendar day matches)")
    worst = max((b - a for a, b in pairwise(times)), default=0)
    wrapped = [*day_numbers, day_numbers[0] + _WINDOW_DAYS]
    day_gap = max(b - a for a, b in pairwise(wrapped))
    worst = max(worst, day_gap * _MINUTES_PER_DAY - times[-1] + times[0])
    return float(worst), len(hours) < 24


@lru_cache(maxsize=1024)
def _interval(expression: str, timezone: str | None) -> float:
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        value = int(rate.group(1))
        if value == 0:
            raise CronError("rate value must be positive")
        return value * _UNIT_MINUTES[rate.group(2).lower().rstrip("s")] / 60
    cron = _CRON.match(text)
    if not cron:
        raise CronError("expected cron(...) or rate(N minutes|hours|days)")
    minutes, fixed_hours = _cron_minutes(cron.group(1).strip())
    hours = minutes / 60
    if fixed_hours and timezone and timezone.strip().lower() not in _UTC_NAMES:
        # Fixed local hours drift by one hour in UTC across a daylight-saving change.
        hours += 1.0
    return hours


def interval_hours(expression: str, timezone: str | None = None) -> float:
    """Worst-case hours between two consecutive runs of an AWS ``cron()``/``rate()`` expression.

    ``timezone`` is the schedule's IANA time zone (AWS Backup ``ScheduleExpressionTimezone``); for
    any zone other than UTC an hour is added when the schedule fires at fixed hours, because a
    daylight-saving change can stretch one gap by that much.
    Raises ``CronError`` with a message naming the problem.
    """
    try:
        return _interval(expression, timezone)
    except CronError as exc:
        raise CronError(f"invalid schedule '{expression}': {exc}") from None
