"""Vectorised value checks on Arrow string arrays: candidate patterns plus checksums.

Every function takes a ``pyarrow.StringArray`` without nulls and returns a numpy bool mask of the
same length. Regular expressions run in Arrow's RE2 (linear time, no backtracking blow-ups);
checksums (Luhn, IBAN mod-97) run as numpy arithmetic over fixed-width digit matrices, so a
million values cost milliseconds, not a Python loop.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Mask = Any  # numpy bool array (numpy has no useful static shape types here)
Check = Callable[[pa.Array], Mask]

EMAIL = r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
PHONE_E164 = r"\+[1-9]\d{0,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}"
PHONE_NANP = r"(?:\(\d{3}\) ?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b"
# National formats with a trunk 0 (020 7946 0958, 06 12 34 56 78). Not inside a date or a time:
# no '-', ':' or digit right before or after ("2020-01-01 00:00" holds "01-01 00").
PHONE_TRUNK = r"(?:^|[^\w:-])0\d{1,4}(?:[ -]\d{2,8}){1,4}(?:$|[^\w:-])"
PHONE_BARE = r"^\+?[\d ()./-]{7,22}$"  # only in columns whose name says phone
CARD = r"\b\d(?:[ -]?\d){12,18}\b"
CARD_PREFIX = r"^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|3[0689]|35|6(?:011|5|4[4-9]|2))"
IBAN = r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b"
SSN = r"\b\d{3}-\d{2}-\d{4}\b"
SSN_BARE = r"^\d{9}$"
IPV4 = r"\b(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\b"
_HEX = r"[0-9A-Fa-f]{1,4}"
IPV6 = (
    rf"\b(?:{_HEX}:){{7}}{_HEX}"  # full form; \b: "Note::" is not "e::"
    rf"|\b(?:{_HEX}:){{1,6}}:(?:{_HEX}(?::{_HEX}){{0,5}})?"  # '::' after the first group
    rf"|::(?:{_HEX}:){{0,5}}{_HEX}"  # leading '::'
)
_YMD = r"(?P<y1>\d{4})[-/.]\d{1,2}[-/.]\d{1,2}"
_DMY = r"\d{1,2}[-/.]\d{1,2}[-/.](?P<y2>\d{4})"
DATE = rf"^\s*(?:{_YMD}|{_DMY})(?:[ T].*)?$"
_APOSTROPHES = "'\u2019"  # ASCII and typographic (O'Brien, O\u2019Brien)
_WORD = rf"\p{{Lu}}[\p{{L}}{_APOSTROPHES}.-]*"
_NAME_PART = rf"{_WORD}|\(\p{{Lu}}[\p{{L}}{_APOSTROPHES}. -]*\)|[a-z]{{1,3}}"  # Jan, (Smith), van
NAME_WORDS = rf"^{_WORD},?(?: (?:{_NAME_PART})){{1,6}}$"
NAME_WORD = rf"^\p{{L}}[\p{{L}}{_APOSTROPHES}. -]{{0,60}}$"
ADDRESS = r"^\d+[A-Za-z]?(?:[-/]\d+)?,? +\p{L}|\b\p{L}+(?:straße|strasse|weg|gasse)\b"

_MAX_CANDIDATES = 4  # candidates tried per value: free text may hold several numbers
_CARD_WIDTH = 19
_IBAN_WIDTH = 34


def _mask(arr: pa.Array, pattern: str) -> Mask:
    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)


def _having(arr: pa.Array, literal: str, check: Check) -> Mask:
    """``check`` on the values containing ``literal`` only: a literal search is far cheaper than
    a regular expression, and most values lack the '@', '+' or '-' a kind needs."""
    has = pc.match_substring(arr, literal).to_numpy(zero_copy_only=False)
    found = np.zeros(len(arr), dtype=bool)
    if has.any():
        found[has] = check(arr.filter(pa.array(has)))
    return found


def _digit_count(arr: pa.Array) -> Mask:
    return pc.count_substring_regex(arr, r"\d").to_numpy(zero_copy_only=False)


def any_candidate(arr: pa.Array, pattern: str, valid: Check) -> Mask:
    """True where some match of ``pattern`` in the value passes ``valid`` (up to 4 per value).

    Each round extracts the first remaining candidate of the values still undecided and blanks
    it out, so a phone number before a card number does not hide the card.
    """
    found = np.zeros(len(arr), dtype=bool)
    index = np.arange(len(arr))
    current = arr
    for _ in range(_MAX_CANDIDATES):
        hit = _mask(current, pattern)
        if not hit.any():
            break
        current, index = current.filter(pa.array(hit)), index[hit]
        candidates = pc.struct_field(pc.extract_regex(current, f"(?P<c>{pattern})"), [0])
        ok = valid(candidates)
        found[index[ok]] = True
        rest = ~ok
        current, index = current.filter(pa.array(rest)), index[rest]
        current = pc.replace_substring_regex(current, pattern, " ", max_replacements=1)
    return found


def _digits_only(arr: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(arr, r"\D", "")


def _fixed_width_bytes(arr: pa.Array, width: int, pad: str, left: bool) -> Any:
    """An (n, width) uint8 matrix of ASCII strings no longer than ``width``."""
    padded = pc.utf8_lpad(arr, width, pad) if left else pc.utf8_rpad(arr, width, pad)
    padded = pa.concat_arrays([padded])  # fresh buffers: offset 0, contiguous values
    offsets = np.frombuffer(padded.buffers()[1], dtype=np.int32)[: len(padded) + 1]
    data = np.frombuffer(padded.buffers()[2], dtype=np.uint8)
    return data[offsets[0] : offsets[-1]].reshape(len(padded), width)


def luhn(digits: pa.Array) -> Mask:
    """Luhn checksum of digit-only strings of at most 19 digits."""
    if len(digits) == 0:
        return np.zeros(0, dtype=bool)
    matrix = _fixed_width_bytes(digits, _CARD_WIDTH, "0", left=True).astype(np.int16) - 48
    doubled = (
        matrix[:, 1::2] * 2
    )  # right-aligned in 19 columns: odd columns are every 2nd from the right
    matrix[:, 1::2] = np.where(doubled > 9, doubled - 9, doubled)
    return np.asarray(matrix.sum(axis=1) % 10 == 0)


def _card_valid(candidates: pa.Array) -> Mask:
    digits = _digits_only(candidates)
    length = pc.utf8_length(digits).to_numpy(zero_copy_only=False)
    ok = (length >= 13) & (length <= _CARD_WIDTH) & _mask(digits, CARD_PREFIX)
    ok &= ~_mask(digits, r"^0+$")
    result = np.zeros(len(candidates), dtype=bool)
    if ok.any():
        result[ok] = luhn(digits.filter(pa.array(ok)))
    return result


def payment_card(arr: pa.Array) -> Mask:
    return any_candidate(arr, CARD, _card_valid)


def iban_mod97(ibans: pa.Array) -> Mask:
    """ISO 13616: first four characters moved to the end, letters as 10..35, mod 97 == 1."""
    if len(ibans) == 0:
        return np.zeros(0, dtype=bool)
    moved = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(ibans, 4), pc.utf8_slice_codeunits(ibans, 0, 4), ""
    )
    matrix = _fixed_width_bytes(moved, _IBAN_WIDTH, "#", left=False).astype(np.int64)
    remainder = np.zeros(len(ibans), dtype=np.int64)
    for column in matrix.T:
        digit = (column >= 48) & (column <= 57)
        letter = (column >= 65) & (column <= 90)
        remainder = np.where(digit, (remainder * 10 + column - 48) % 97, remainder)
        remainder = np.where(letter, (remainder * 100 + column - 55) % 97, remainder)
    return np.asarray(remainder == 1)


def _iban_valid(candidates: pa.Array) -> Mask:
    compact = pc.replace_substring(candidates, " ", "")
    length = pc.utf8_length(compact).to_numpy(zero_copy_only=False)
    ok = (length >= 15) & (length <= _IBAN_WIDTH)
    result = np.zeros(len(candidates), dtype=bool)
    if ok.any():
        result[ok] = iban_mod97(compact.filter(pa.array(ok)))
    return result


def iban(arr: pa.Array) -> Mask:
    return any_candidate(arr, IBAN, _iban_valid)


def email(arr: pa.Array) -> Mask:
    return _having(arr, "@", lambda a: _mask(a, EMAIL))


def _digits_between(low: int, high: int) -> Check:
    def check(candidates: pa.Array) -> Mask:
        count = _digit_count(candidates)
        return (count >= low) & (count <= high)

    return check


def phone(arr: pa.Array, hinted: bool = False) -> Mask:
    found = _having(arr, "+", lambda a: any_candidate(a, PHONE_E164, _digits_between(8, 15)))
    found |= _mask(arr, PHONE_NANP)  # exactly ten digits by construction
    found |= any_candidate(arr, PHONE_TRUNK, _digits_between(9, 12))
    if hinted:
        found |= _mask(arr, PHONE_BARE) & (_digits_between(7, 15)(arr))
    return found


def _ssn_valid(candidates: pa.Array) -> Mask:
    digits = _digits_only(candidates)
    area = pc.cast(pc.utf8_slice_codeunits(digits, 0, 3), pa.int32()).to_numpy(zero_copy_only=False)
    group = pc.cast(pc.utf8_slice_codeunits(digits, 3, 5), pa.int32()).to_numpy(
        zero_copy_only=False
    )
    serial = pc.cast(pc.utf8_slice_codeunits(digits, 5, 9), pa.int32()).to_numpy(
        zero_copy_only=False
    )
    return (area > 0) & (area != 666) & (area < 900) & (group > 0) & (serial > 0)


def us_ssn(arr: pa.Array, hinted: bool = False) -> Mask:
    found = _having(arr, "-", lambda a: any_candidate(a, SSN, _ssn_valid))
    if hinted:
        bare = _mask(arr, SSN_BARE)
        if bare.any():
            found[bare] |= _ssn_valid(arr.filter(pa.array(bare)))
    return found


def _ipv6_valid(candidates: pa.Array) -> Mask:
    # Few distinct candidates in practice: validate each distinct string once in Python.
    distinct = pc.unique(candidates).to_pylist()
    good = [c for c in distinct if _is_ipv6(c)]
    return pc.is_in(candidates, value_set=pa.array(good, pa.string())).to_numpy(
        zero_copy_only=False
    )


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def ip_address(arr: pa.Array) -> Mask:
    found = _having(arr, ".", lambda a: _mask(a, IPV4))
    return found | _having(arr, ":", lambda a: any_candidate(a, IPV6, _ipv6_valid))


def birth_date_strings(arr: pa.Array) -> Mask:
    """Date-looking strings with a plausible birth year (1900 up to this year)."""
    parts = pc.extract_regex(arr, DATE)
    first, second = pc.struct_field(parts, "y1"), pc.struct_field(parts, "y2")
    year = pc.if_else(pc.equal(first, ""), second, first)  # unmatched groups are ""
    ok = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    result = np.zeros(len(arr), dtype=bool)
    if ok.any():
        years = pc.cast(year.filter(pa.array(ok)), pa.int32()).to_numpy(zero_copy_only=False)
        result[ok] = plausible_birth_years(years)
    return result


def plausible_birth_years(years: Any) -> Mask:
    import datetime

    return np.asarray((years >= 1900) & (years <= datetime.date.today().year))


def person_name(arr: pa.Array, single_words: bool) -> Mask:
    found = _mask(arr, NAME_WORDS)
    if single_words:
        found |= _mask(arr, NAME_WORD)
    return found


def postal_address(arr: pa.Array) -> Mask:
    return _mask(arr, ADDRESS)
