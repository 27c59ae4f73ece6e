"""The input document the embedded engine evaluates: ``Bundle.to_input`` plus derived fields.

Derived fields are facts Python computes once per resource so that Rego does lookups instead of
per-policy regular expressions (regopy: ~20 us per ``regex.replace``, and the tag policies ran
one per tag per resource per required tag). Policies must not depend on them being present:
other engines and hand-built test inputs do not carry them, so each policy falls back to
computing the same value in Rego (documented in policies/README.md).

- ``resources[].normalised_tag_keys``: ``{tag key: normalised key}`` for every key of ``tags``,
  normalised as linking compares keys (lower case; whitespace, ``_``, ``.`` and ``-`` removed;
  Rego: ``lower(regex.replace(k, `[\\s_.-]+`, ""))``). Left out for a resource with a tag key
  that is not printable ASCII or holds a quote or backslash: regopy keeps such strings in their
  JSON-escaped form and its case mapping of non-ASCII text is not known to match Python's, so
  Rego computes those itself.
- ``resources[].filled_tag_keys``: the normalised keys of the tags holding a non-blank string
  (Rego: ``is_string(v); trim_space(v) != ""``), each once, in tag order.
- ``resources[].folded_tag_values``: ``{tag key: folded value}`` for the same tags, folded as
  GOV-TAG-002 compares values (Rego: ``lower(regex.replace(v, `[^A-Za-z0-9]+`, ""))``).
  Both are left out, with ``normalised_tag_keys`` present, when a tag value is not plain ASCII.
"""

from __future__ import annotations

import re
from typing import Any

from governance.link import normalise_key
from governance.model.evidence import Bundle

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def _plain(key: str) -> bool:
    return key.isascii() and key.isprintable() and '"' not in key and "\\" not in key


def _normalised_keys(tags: dict[str, Any]) -> dict[str, str] | None:
    if not all(_plain(key) for key in tags):
        return None
    # Linking's own normalisation: on the printable ASCII keys it is given here it matches the
    # Rego expression exactly (tests/evaluate/test_rego_inputs.py checks every such character).
    return {key: normalise_key(key) for key in tags}


def _filled(tags: dict[str, Any]) -> dict[str, str] | None:
    """The tags holding a non-blank string; None when a value is not plain ASCII (left to Rego)."""
    filled = {}
    for key, value in tags.items():
        if isinstance(value, str):
            if not _plain(value):
                return None
            if value.strip(" "):
                filled[key] = value
    return filled


def fold_tag_value(value: str) -> str:
    return _NOT_ALNUM.sub("", value).lower()


def bundle_input(bundle: Bundle, *, include_raw: bool) -> dict[str, Any]:
    """``bundle.to_input`` with the derived fields added to each resource."""
    document = bundle.to_input(include_raw=include_raw)
    for resource in document.get("resources") or []:
        tags = resource.get("tags")
        if isinstance(tags, dict):
            normalised = _normalised_keys(tags)
            if normalised is not None:
                resource["normalised_tag_keys"] = normalised
                filled = _filled(tags)
                if filled is not None:
                    keys = dict.fromkeys(normalised[k] for k in filled)
                    resource["filled_tag_keys"] = list(keys)
                    resource["folded_tag_values"] = {
                        k: fold_tag_value(v) for k, v in filled.items()
                    }
    return document
