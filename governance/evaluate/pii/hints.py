"""Column-name hints: what a column's name says it holds. Pure Python (no pandas, no pyarrow).

Names are split into lower-case tokens (``Last_Name`` -> last, name; ``dateOfBirth`` -> date, of,
birth; ``street1`` -> street, 1). A hint never reports PII on its own: it relaxes a value pattern
(a column named ``phone`` may hold bare digits) or enables a kind that values alone cannot tell
apart (a birth date looks like any other date, a name like any capitalised words).
"""

from __future__ import annotations

import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")

_PHONE = {
    "phone",
    "telephone",
    "tel",
    "mobile",
    "cell",
    "cellphone",
    "fax",
    "msisdn",
    "phonenumber",
}
_NAME_QUALIFIERS = {
    "first",
    "last",
    "full",
    "given",
    "family",
    "middle",
    "maiden",
    "sur",
    "fore",
    "person",
    "customer",
    "client",
    "recipient",
    "sender",
    "holder",
    "contact",
    "patient",
    "employee",
    "passenger",
    "member",
    "beneficiary",
    "cardholder",
    "account",
    "user",
}
_NAME_WORDS = {
    "surname",
    "fullname",
    "firstname",
    "lastname",
    "forename",
    "givenname",
    "familyname",
    "middlename",
    "maidenname",
}
_ADDRESS = {"address", "street", "addr", "streetaddress", "addressline"}


def tokens(column: str) -> list[str]:
    return [t.lower() for t in _SPLIT.split(_CAMEL.sub(" ", column)) if t]


def hints(column: str) -> frozenset[str]:
    """The PII kinds a column's name suggests."""
    parts = tokens(column)
    compact = "".join(parts)
    found: set[str] = set()
    if "email" in compact or "mail" in parts:
        found.add("email")
    if _PHONE & set(parts) or "phone" in compact:
        found.add("phone")
    if "ssn" in parts or "socialsecurity" in compact:
        found.add("us_ssn")
    if "iban" in parts:
        found.add("iban")
    if {"ip", "ipv4", "ipv6"} & set(parts) or compact.endswith(("ipaddress", "ipaddr")):
        found.add("ip_address")
    if "dob" in parts or "birth" in compact or "birthday" in parts:
        found.add("date_of_birth")
    if _is_person_name(parts):
        found.add("person_name")
    if _ADDRESS & set(parts) and not found & {"email", "ip_address"}:
        found.add("postal_address")
    return frozenset(found)


def _is_person_name(parts: list[str]) -> bool:
    if not parts:
        return False
    last = parts[-1]
    if last in _NAME_WORDS or any(p in _NAME_WORDS for p in parts):
        return True
    if last != "name":
        return False
    return len(parts) == 1 or parts[-2] in _NAME_QUALIFIERS


def single_word_names(column: str) -> bool:
    """First/last-name columns hold one word per value; a plain ``name`` column needs two."""
    parts = set(tokens(column))
    return bool(
        parts & {"first", "last", "given", "family", "middle", "maiden", "sur", "fore"}
        or parts & (_NAME_WORDS - {"fullname"})
    )
