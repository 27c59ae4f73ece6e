"""Durations in manifests: ISO 8601 and short forms to hours/days; bad values name file:line."""

from __future__ import annotations

import pytest

from governance.collect.durations import DurationError, days_at, hours_at, parse_days, parse_hours
from governance.errors import InputError
from governance.model.evidence import Location


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("PT1H", 1),
        ("PT30M", 0.5),
        ("PT5S", 5 / 3600),
        ("P1D", 24),
        ("P30D", 720),
        ("P2W", 336),
        ("P1M", 720),
        ("P1Y", 8760),
        ("P1Y6M", 8760 + 6 * 720),
        ("P1DT12H", 36),
        ("PT1.5H", 1.5),
        ("PT1,5H", 1.5),
        ("pt1h", 1),
    ],
)
def test_iso_8601(text: str, hours: float) -> None:
    assert parse_hours(text) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("1h", 1),
        ("30d", 720),
        ("24 hours", 24),
        ("1 week", 168),
        ("15m", 0.25),
        ("90 min", 1.5),
        ("2 months", 1440),
        ("3y", 3 * 8760),
        ("1 yr", 8760),
        (" 7 days ", 168),
    ],
)
def test_short_forms(text: str, hours: float) -> None:
    assert parse_hours(text) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("value", "unit", "days"), [(3, "y", 1095), (4, "d", 4), (24, "h", 1), ("2", "weeks", 14)]
)
def test_value_with_unit_as_odcs_writes_it(value: object, unit: str, days: float) -> None:
    assert parse_days(value, unit) == pytest.approx(days)


def test_a_year_is_365_days() -> None:
    assert parse_days("P1Y") == 365


@pytest.mark.parametrize(
    "value", ["forever", "P", "PT", "P1DT", "", "1 h 30 m", "10 parsecs", "P-1D", None, True, [1]]
)
def test_not_a_duration(value: object) -> None:
    with pytest.raises(DurationError, match="expected an ISO 8601 duration"):
        parse_hours(value)


def test_bare_number_asks_for_a_unit() -> None:
    with pytest.raises(DurationError, match="add a unit"):
        parse_hours(24)


def test_bad_unit_with_value() -> None:
    with pytest.raises(DurationError, match="'10 parsecs'"):
        parse_hours(10, "parsecs")


def test_error_at_a_field_names_file_line_column_and_field() -> None:
    where = Location(file="dataproduct.yaml", line=12, column=3)
    with pytest.raises(InputError) as exc:
        hours_at("soon", "backup.rpo", where)
    assert str(exc.value).startswith(
        "dataproduct.yaml:12:3: backup.rpo: expected an ISO 8601 duration"
    )
    assert "got 'soon'" in str(exc.value)


def test_days_at_converts() -> None:
    assert days_at("P30D", "retention", Location(file="f.yaml", line=1)) == 30
