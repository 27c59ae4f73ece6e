"""The JSON report (``schema_version`` "1"): the result model itself, and its loader.

``governance report RESULT.json`` re-renders a stored run, so ``load_result`` is the inverse of
``render`` and rejects anything it cannot read faithfully (wrong schema version, unknown fields).
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from governance.errors import InputError, Where
from governance.model.result import SCHEMA_VERSION, RunResult
from governance.report._common import safe_result


def render(result: RunResult) -> str:
    return safe_result(result).model_dump_json(indent=2) + "\n"


def load_result(text: str, source: str = "<result>") -> RunResult:
    """Parse a JSON report; ``InputError`` naming ``source`` (and line or field) if invalid."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Where(source, exc.lineno, exc.colno)
        raise InputError(f"malformed JSON: {exc.msg}", where) from exc
    if not isinstance(doc, dict) or "schema_version" not in doc:
        raise InputError("not a governance JSON report (no schema_version)", Where(source))
    version = doc["schema_version"]
    if version != SCHEMA_VERSION:
        raise InputError(
            f"unsupported report schema_version {version!r} "
            f"(this version reads {SCHEMA_VERSION!r})",
            Where(source),
        )
    try:
        return RunResult.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"]) or "<root>"
        count = exc.error_count()
        more = f" (and {count - 1} more problems)" if count > 1 else ""
        raise InputError(f"invalid report: {path}: {first['msg']}{more}", Where(source)) from exc
