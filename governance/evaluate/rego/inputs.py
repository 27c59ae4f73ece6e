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
"""

from __future__ import annotations

import re
from typing import Any

from governance.model.evidence import Bundle

# On printable ASCII the only whitespace is the space (tests/evaluate/test_rego_inputs.py checks
# every printable ASCII character against regopy).
_SEPARATORS = re.compile(r"[ _.-]+")


def normalise_tag_key(key: str) -> str:
    return _SEPARATORS.sub("", key).lower()


def _plain(key: str) -> bool:
    return key.isascii() and key.isprintable() and '"' not in key and "\\" not in key


def _normalised_keys(tags: dict[str, Any]) -> dict[str, str] | None:
    if not all(_plain(key) for key in tags):
        return None
    return {key: normalise_tag_key(key) for key in tags}


def bundle_input(bundle: Bundle, *, include_raw: bool) -> dict[str, Any]:
    """``bundle.to_input`` with the derived fields added to each resource."""
    document = bundle.to_input(include_raw=include_raw)
    for resource in document.get("resources") or []:
        tags = resource.get("tags")
        if isinstance(tags, dict):
            normalised = _normalised_keys(tags)
            if normalised is not None:
                resource["normalised_tag_keys"] = normalised
    return document
