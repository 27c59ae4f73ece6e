"""The vectorised value checks against plain-Python oracles and known-good/known-bad values."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from governance.evaluate.pii import checks
from governance.evaluate.pii.hints import hints, single_word_names, tokens


def luhn_oracle(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def iban_oracle(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def flags(check: object, values: list[str]) -> list[str]:
    mask = check(pa.array(values, pa.string()))  # type: ignore[operator]
    return [v for v, hit in zip(values, mask, strict=True) if hit]


# ------------------------------------------------------------------------------------ checksums


def test_luhn_matches_the_oracle_on_random_numbers() -> None:
    rnd = random.Random(7)
    numbers = [
        "".join(rnd.choice("0123456789") for _ in range(rnd.randint(13, 19))) for _ in range(3000)
    ]
    vectorised = checks.luhn(pa.array(numbers)).tolist()
    assert vectorised == [luhn_oracle(n) for n in numbers]
    assert 0 < sum(vectorised) < len(numbers)  # both outcomes exercised


def test_iban_mod97_matches_the_oracle() -> None:
    rnd = random.Random(11)
    known = [
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "CH9300762011623852957",
    ]
    mutated = [k[:-1] + str((int(k[-1]) + 1) % 10) for k in known]
    noise = ["DE" + "".join(rnd.choice("0123456789") for _ in range(20)) for _ in range(500)]
    values = known + mutated + noise
    assert checks.iban_mod97(pa.array(values)).tolist() == [iban_oracle(v) for v in values]
    assert all(iban_oracle(k) for k in known) and not any(iban_oracle(m) for m in mutated)


# ----------------------------------------------------------------------------------- patterns


def test_payment_cards_need_luhn_and_a_card_prefix() -> None:
    values = [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5500005555555559",
        "378282246310005",
        "6011111111111117",
        "4111111111111112",
        "1234567812345670",
        "0000000000000000",
        "ref 1234-5678-9012-3456, card 4012 8888 8888 1881",
    ]
    assert flags(checks.payment_card, values) == [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5500005555555559",
        "378282246310005",
        "6011111111111117",
        "ref 1234-5678-9012-3456, card 4012 8888 8888 1881",
    ]


def test_iban_in_text_with_and_without_spaces() -> None:
    values = [
        "DE89 3704 0044 0532 0130 00",
        "pay to GB82WEST12345698765432 today",
        "DE89 3704 0044 0532 0130 01",
        "ISBN 978-3-16-148410-0",
    ]
    assert flags(checks.iban, values) == values[:2]


def test_us_ssn_rules() -> None:
    values = [
        "123-45-6789",
        "SSN: 555-66-7777.",
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "123-00-4567",
        "123-45-0000",
        "123456789",
    ]
    assert flags(checks.us_ssn, values) == ["123-45-6789", "SSN: 555-66-7777."]
    assert "123456789" in flags(lambda a: checks.us_ssn(a, hinted=True), values)


def test_phone_formats() -> None:
    phones = [
        "+44 20 7946 0958",
        "+1 (212) 555-1111",
        "+4930123456",
        "(212) 555-1111",
        "call 646-555-0123 now",
        "020 7946 0958",
        "06 12 34 56 78",
        "0171 1234567",
    ]
    not_phones = [
        "2019-01-15 03:36:12",
        "01-02-2024",
        "ORD-10001",
        "1457900839",
        "9143.40",
        "+1",
        "3.14159",
        "192.168.0.1",
        "2024-03-01T08:00:00Z",
    ]
    assert flags(checks.phone, phones + not_phones) == phones


def test_bare_digit_phones_only_with_a_name_hint() -> None:
    values = ["2125551111", "+442079460958"]
    assert flags(checks.phone, values) == ["+442079460958"]
    assert flags(lambda a: checks.phone(a, hinted=True), values) == values


def test_ip_addresses() -> None:
    values = [
        "192.168.0.1",
        "from 10.0.0.255 at noon",
        "2001:db8::1",
        "fe80::1ff:fe23:4567:890a",
        "::1",
        "256.1.1.1",
        "03:36:12",
        "1.2.3",
        "Note::",
        "abc:def",
    ]
    assert flags(checks.ip_address, values) == values[:5]


def test_email_in_free_text() -> None:
    values = [
        "ada@example.com",
        "write to Alan.Turing+x@mail.example.co.uk please",
        "no-at",
        "@handle",
        "a@b",
    ]
    assert flags(checks.email, values) == values[:2]


def test_birth_dates_need_a_plausible_year() -> None:
    values = ["1984-02-29", "29/02/1984", "1875-01-01", "2999-01-01", "not a date", "12.03.1999"]
    assert flags(checks.birth_date_strings, values) == ["1984-02-29", "29/02/1984", "12.03.1999"]


def test_person_names() -> None:
    values = [
        "Ada Lovelace",
        "Allen, Miss Elisabeth Walton",
        "O'Brien, Mr Patrick",
        "ACME Ltd.",
        "widget",
        "12 Main St",
    ]
    assert flags(lambda a: checks.person_name(a, single_words=False), values) == values[:4]
    assert "widget" in flags(lambda a: checks.person_name(a, single_words=True), values)


# --------------------------------------------------------------------------------------- hints


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("email", {"email"}),
        ("customer_email", {"email"}),
        ("EmailAddress", {"email"}),
        ("phone", {"phone"}),
        ("mobileNumber", {"phone"}),
        ("ssn", {"us_ssn"}),
        ("client_ip", {"ip_address"}),
        ("date_of_birth", {"date_of_birth"}),
        ("DOB", {"date_of_birth"}),
        ("birthdate", {"date_of_birth"}),
        ("Name", {"person_name"}),
        ("First_Name", {"person_name"}),
        ("recipient_fullname", {"person_name"}),
        ("Organization_Name", set()),
        ("product_name", set()),
        ("street", {"postal_address"}),
        ("nppes_provider_street1", {"postal_address"}),
        ("email_address", {"email"}),
        ("account_iban", {"iban"}),
        ("PClass", set()),
        ("order_total", set()),
    ],
)
def test_column_name_hints(column: str, expected: set[str]) -> None:
    assert hints(column) == expected


def test_tokens_split_camel_case_snake_case_and_digits() -> None:
    assert tokens("dateOfBirth") == ["date", "of", "birth"]
    assert tokens("Last_Name") == ["last", "name"]
    assert tokens("street1") == ["street", "1"]


def test_single_word_names() -> None:
    assert single_word_names("First_Name")
    assert single_word_names("surname")
    assert not single_word_names("name")
    assert not single_word_names("recipient_fullname")
