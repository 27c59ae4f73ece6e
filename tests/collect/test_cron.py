"""AWS schedule expressions -> worst-case hours between runs (what an RPO is checked against)."""

from __future__ import annotations

import pytest

from governance.collect.cron import CronError, interval_hours


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        ("cron(0 5 ? * * *)", 24.0),  # daily
        ("cron(0 * ? * * *)", 1.0),  # hourly
        ("cron(0 */6 ? * * *)", 6.0),  # every 6 h
        ("cron(0 0/6 ? * * *)", 6.0),  # every 6 h, start/step form
        ("cron(30 1,13 ? * * *)", 12.0),
        ("cron(0 1,2 ? * * *)", 23.0),  # two runs close together leave a long gap
        ("cron(0 3 ? * SUN *)", 168.0),  # weekly
        ("cron(0 3 ? * 1 *)", 168.0),  # weekly, numeric day (1 = SUN)
        ("cron(0 5 ? * MON-FRI *)", 72.0),  # weekdays: the weekend gap
        ("cron(0 5 ? * FRI-MON *)", 96.0),  # wrapping weekday range
        ("cron(0/15 * * * ? *)", 0.25),
        ("cron(0 5 1 * ? *)", 31 * 24.0),  # monthly: longest month
        ("cron(0 5 L * ? *)", 31 * 24.0),  # last day of the month
        ("cron(0 5 ? * 6#3 *)", 35 * 24.0),  # third Friday
        ("cron(0 5 ? * 2L *)", 35 * 24.0),  # last Monday
        ("cron(0 5 1 JAN,JUL ? *)", 184 * 24.0),
        ("cron(0 5 29 2 ? *)", 4 * 365 * 24.0 + 24.0),  # leap day only
        ("rate(1 hour)", 1.0),
        ("rate(12 hours)", 12.0),
        ("rate(30 minutes)", 0.5),
        ("rate(7 days)", 168.0),
        ("  cron(0 5 ? * * *)  ", 24.0),
    ],
)
def test_worst_case_interval(expression: str, hours: float) -> None:
    assert interval_hours(expression) == pytest.approx(hours)


def test_nearest_weekday_can_stretch_a_month() -> None:
    # 1W moves to Monday the 3rd when the 1st is a Saturday, so one gap exceeds 31 days.
    assert interval_hours("cron(0 5 1W * ? *)") > 31 * 24


def test_local_time_zone_adds_an_hour_for_fixed_hours_only() -> None:
    assert interval_hours("cron(0 5 ? * * *)", "Europe/Berlin") == 25.0
    assert interval_hours("cron(0 5 ? * * *)", "UTC") == 24.0
    assert interval_hours("cron(0 * ? * * *)", "Europe/Berlin") == 1.0


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("cron(0 5 * * * *)", "exactly one of day-of-month and day-of-week"),
        ("cron(0 5 ? * ? *)", "exactly one of day-of-month and day-of-week"),
        ("cron(0 5 ? * *)", "expected 6 fields"),
        ("cron(61 5 ? * * *)", "minutes: 61 is outside 0-59"),
        ("cron(0 24 ? * * *)", "hours: 24 is outside 0-23"),
        ("cron(0 5 ? * XYZ *)", "day-of-week: 'XYZ'"),
        ("cron(0 */0 ? * * *)", "step '0' must be a positive number"),
        ("cron(0 5 30 2 ? *)", "never fires"),
        ("cron(0 5 ? * * 2025)", "year field '2025'"),
        ("rate(0 hours)", "rate value must be positive"),
        ("rate(1 week)", "expected cron(...) or rate("),
        ("at(2025-01-01T00:00:00)", "expected cron(...) or rate("),
        ("", "expected cron(...) or rate("),
    ],
)
def test_invalid_expression_names_the_problem(expression: str, problem: str) -> None:
    with pytest.raises(CronError) as info:
        interval_hours(expression)
    assert problem in str(info.value)
    assert f"'{expression}'" in str(info.value)
