"""PII detection on real samples (Presidio PII, Titanic, NPI, taxi), thresholds and import cost.

What the detector flags on the corpus and why:

- Presidio fabric sample: ``email`` (e-mail in every row), ``user_query`` (free text with US phone
  numbers, SSNs and card numbers; cards count only when the number passes Luhn), ``name``
  (person_name: the column is called ``name`` and values are capitalised words) and ``street``
  (postal_address: the column is called ``street`` and values start with a house number).
  ``non_pii``, ``city`` and ``state`` are not flagged.
- Titanic: only ``Name`` (person_name: passenger names such as "Allen, Miss Elisabeth Walton" are
  personal data). PClass, Age, Sex, Survived, SexCode and the row index are not flagged.
- NPI providers: ``First_Name`` and ``Last_Name`` (person_name). ``NPI`` is a 10-digit integer: too
  short for a card number and no phone without separators; ``Organization_Name`` names no person.
- NYC taxi: nothing (timestamps, amounts and location ids are not phone numbers or cards).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from governance.collect.samples import read_sample
from governance.evaluate.pii import PiiConfig, detect_pii
from tests.evaluate.test_pii_checks import luhn_oracle


def by_column(
    frame: pd.DataFrame, config: PiiConfig | None = None
) -> dict[str, tuple[list[str], float]]:
    return {d.column: (d.kinds, d.share) for d in detect_pii(frame, config)}


@pytest.fixture(scope="module")
def presidio(corpus: Path) -> pd.DataFrame:
    return read_sample(corpus / "samples" / "microsoft__presidio__fabric-sample-pii.csv").frame


def test_presidio_fabric_sample(presidio: pd.DataFrame) -> None:
    found = by_column(presidio)
    assert set(found) == {"name", "email", "street", "user_query"}
    assert found["email"] == (["email"], 1.0)
    assert found["name"][0] == ["person_name"]
    assert found["street"][0] == ["postal_address"]
    assert found["user_query"][0] == ["payment_card", "phone", "us_ssn"]


def test_presidio_cards_are_exactly_the_luhn_valid_ones(presidio: pd.DataFrame) -> None:
    groups = presidio["user_query"].str.findall(r"\d{4}-\d{4}-\d{4}-\d{4}")
    expected = sum(any(luhn_oracle(g.replace("-", "")) for g in found) for found in groups)
    only_cards = by_column(
        presidio[["user_query"]], PiiConfig(min_share_by_kind={"phone": 1.1, "us_ssn": 1.1})
    )
    assert 0 < expected < len(presidio)  # the sample holds valid and invalid card numbers
    assert only_cards["user_query"] == (["payment_card"], round(expected / len(presidio), 4))


def test_presidio_structured_sample_leaves_the_control_column(corpus: Path) -> None:
    frame = read_sample(corpus / "samples" / "microsoft__presidio__test-structured-pii.csv").frame
    found = by_column(frame)
    assert found["email"][0] == ["email"]
    assert "non_pii" not in found and "id" not in found and "city" not in found


def test_titanic_flags_only_passenger_names(corpus: Path) -> None:
    frame = read_sample(
        corpus / "samples" / "great-expectations__great_expectations__Titanic.csv"
    ).frame
    found = by_column(frame)
    assert set(found) == {"Name"}
    assert found["Name"][0] == ["person_name"]
    assert found["Name"][1] > 0.9


def test_titanic_parquet_agrees_with_csv(corpus: Path) -> None:
    frame = read_sample(
        corpus / "samples" / "great-expectations__great_expectations__Titanic.parquet"
    ).frame
    assert set(by_column(frame)) == {"Name"}


def test_npi_flags_person_names_not_identifiers(corpus: Path) -> None:
    frame = read_sample(
        corpus / "samples" / "great-expectations__gx_tutorials__npi-small.csv"
    ).frame
    assert set(by_column(frame)) == {"First_Name", "Last_Name"}


def test_taxi_trips_have_no_pii(corpus: Path) -> None:
    frame = read_sample(
        corpus / "samples" / "great-expectations__gx_tutorials__yellow-tripdata-2019-01.csv"
    ).frame
    assert by_column(frame) == {}


def test_twelve_digit_account_numbers_are_not_cards(corpus: Path) -> None:
    frame = read_sample(
        corpus / "samples" / "great-expectations__great_expectations__financial-transfers.csv"
    ).frame
    found = by_column(frame)
    assert "sender_account_number" not in found
    assert found["recipient_fullname"][0] == ["person_name"]


def test_invalid_emails_lower_the_share(corpus: Path) -> None:
    frame = read_sample(
        corpus / "samples" / "datacontract__datacontract-cli__failed-samples-orders.csv"
    ).frame
    valid = frame["email"].dropna().str.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+").mean()
    assert by_column(frame)["email"] == (["email"], round(float(valid), 4))


# ------------------------------------------------------------------------ types and thresholds


def test_integer_card_numbers_are_checked() -> None:
    frame = pd.DataFrame({"pan": [4111111111111111, 5500005555555559, 4012888888881881, 1234]})
    assert by_column(frame)["pan"] == (["payment_card"], 0.75)


def test_birth_dates_only_when_the_name_says_so() -> None:
    dates = ["1984-02-29", "1990-12-01", "1975-06-15", None]
    frame = pd.DataFrame({"date_of_birth": dates, "ordered_on": dates})
    assert by_column(frame) == {"date_of_birth": (["date_of_birth"], 1.0)}


def test_birth_dates_in_a_datetime_column() -> None:
    frame = pd.DataFrame(
        {
            "dob": pd.to_datetime(["1984-02-29", "2001-01-01"]),
            "created": pd.to_datetime(["1984-02-29", "2001-01-01"]),
        }
    )
    assert by_column(frame) == {"dob": (["date_of_birth"], 1.0)}


def test_share_counts_non_null_values_only() -> None:
    frame = pd.DataFrame(
        {"contact": ["ada@example.com", None, "", "n/a", None, "alan@example.com"]}
    )
    assert by_column(frame)["contact"] == (["email"], round(2 / 3, 4))


def test_min_share_threshold() -> None:
    frame = pd.DataFrame({"notes": ["ok"] * 19 + ["write to ada@example.com"]})  # 5 %
    assert "notes" in by_column(frame, PiiConfig(min_share=0.05))
    assert "notes" not in by_column(frame, PiiConfig(min_share=0.06))
    assert "notes" not in by_column(frame, PiiConfig(min_share_by_kind={"email": 0.5}))


def test_ignore_columns_and_disabled() -> None:
    frame = pd.DataFrame({"Email": ["ada@example.com"], "other": ["alan@example.com"]})
    assert set(by_column(frame, PiiConfig(ignore_columns=["email"]))) == {"other"}
    assert detect_pii(frame, PiiConfig(enabled=False)) == []


def test_without_name_hints_only_value_kinds() -> None:
    frame = pd.DataFrame(
        {"name": ["Ada Lovelace", "Alan Turing"], "phone": ["2125551111", "2125551112"]}
    )
    assert set(by_column(frame)) == {"name", "phone"}
    assert by_column(frame, PiiConfig(name_hints=False)) == {}


def test_mixed_object_columns_scan_their_strings() -> None:
    frame = pd.DataFrame({"payload": [{"a": 1}, "ada@example.com", 3, None]})
    assert by_column(frame)["payload"] == (["email"], 1.0)


# -------------------------------------------------------------------------------- import cost


@pytest.mark.parametrize(
    "module",
    ["governance.evaluate.pii", "governance.evaluate.gx", "governance.collect.samples"],
)
def test_import_does_not_load_heavy_libraries(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "heavy = {'pandas', 'great_expectations', 'pyarrow', 'numpy'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_detections_hold_no_values(presidio: pd.DataFrame) -> None:
    dumped = "".join(d.model_dump_json() for d in detect_pii(presidio))
    values = {v for col in presidio.columns for v in presidio[col].dropna().astype(str)}
    tokens = {t for v in values for t in re.findall(r"[\w.@-]{6,}", v)}
    assert not [t for t in tokens if t in dumped and t not in presidio.columns]


# ------------------------------------------------------------------- large columns (screening)


def test_sorted_block_at_the_end_is_found_with_its_exact_share() -> None:
    rows = 50_000
    leaked = 3_000  # 6 %, all in the last rows: a head-only screen would miss them
    values = [f"order {i} ok" for i in range(rows - leaked)] + [
        f"mail u{i}@example.com" for i in range(leaked)
    ]
    assert by_column(pd.DataFrame({"note": values}))["note"] == (["email"], leaked / rows)


def test_rare_values_are_scanned_in_full_when_the_threshold_is_low() -> None:
    rows = 50_000
    values = [f"order {i} ok" for i in range(rows)]
    for i in range(0, rows, rows // 10):
        values[i] = f"mail u{i}@example.com"
    frame = pd.DataFrame({"note": values})
    assert by_column(frame, PiiConfig(min_share=0.0001))["note"] == (["email"], 10 / rows)
    assert by_column(frame) == {}


def test_repeated_values_are_weighted_by_their_counts() -> None:
    values = ["ok"] * 40_000 + ["cc ops@example.org"] * 5_000 + ["fragile"] * 5_000 + [None] * 1_000
    assert by_column(pd.DataFrame({"note": values}))["note"] == (["email"], 0.1)
