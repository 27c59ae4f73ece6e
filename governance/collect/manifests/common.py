"""What every manifest reader shares.

* ``Source``: the parsed document with its file name, for positions (``at``) and errors (``error``);
* ``validate``: pydantic validation whose errors become one ``InputError`` naming file:line:column
  and the dotted field, e.g. ``retention_days: expected an integer number of days, got 'forever'``;
* annotated field types (durations, retention, versions, tags) shared by the format models;
* the PII rule, storage names for linking, and ``build_product`` which derives ``pii``/``storage``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import ErrorDetails

from governance.collect.durations import (
    EXPECTED,
    DurationError,
    parse_days,
    parse_hours,
    whole_days,
)
from governance.collect.files import display_path, key_location, plain
from governance.errors import InputError, Where
from governance.model.config import GovernanceConfig
from governance.model.evidence import BackupRequirement, Column, Location, OutputPort, Product

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

# ----------------------------------------------------------------------------------- the document


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


@dataclass
class Source:
    """One manifest file: its parsed (ruamel, position-keeping) document and the run's config."""

    path: Path
    file: str
    """The file name as shown to users (relative to the working directory when possible)."""
    doc: Any
    config: GovernanceConfig

    def node(self, *path: str | int) -> Any:
        node = self.doc
        for part in path:
            if _has(node, part):
                node = node[part]
            else:
                return None
        return node

    def at(self, *path: str | int) -> Location | None:
        """Exact position of the key (or list item) at ``path``; None when it is not in the file."""
        if not path:
            return self.root()
        parent = self.node(*path[:-1])
        last = path[-1]
        return key_location(self.file, parent, last) if _has(parent, last) else None

    def root(self) -> Location:
        loc = key_location(self.file, self.doc)
        return loc if loc.line is not None else Location(file=self.file, line=1, column=1)

    def best(self, path: Sequence[str | int]) -> tuple[Location, str]:
        """Deepest position along ``path`` that exists, and the path as a dotted field name.

        Parts pydantic inserts for union members (strings met while standing on a list) are
        skipped: they are not keys of the document.
        """
        node, loc, shown, walking = self.doc, self.root(), [], True
        for part in path:
            if walking and isinstance(node, list) and isinstance(part, str):
                continue
            if walking and _has(node, part):
                loc, node = key_location(self.file, node, part), node[part]
            else:
                walking = False
            shown.append(f"[{part}]" if isinstance(part, int) else f".{part}")
        text = "".join(shown).lstrip(".")
        return (loc if loc.line is not None else self.root()), text or "(document)"

    def error(self, message: str, *path: str | int) -> InputError:
        """An ``InputError`` at ``path`` (or the nearest existing parent), prefixed by the field."""
        loc, field_name = self.best(path)
        text = f"{field_name}: {message}" if path else message
        return InputError(text, Where(loc.file, loc.line, loc.column))


# ----------------------------------------------------------------------------- pydantic to errors


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_WORDS = {
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "string": "a string",
    "list": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "model_attributes": "a mapping",
}


def describe(err: ErrorDetails) -> str:
    """A pydantic error as a sentence users can act on (pydantic's wording names Python types)."""
    kind = err["type"]
    got = _shown(err.get("input"))
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; custom keys must start with 'x-')"
    if kind == "value_error":
        ctx = err.get("ctx") or {}
        return str(ctx.get("error", err["msg"]))
    if kind == "literal_error":
        ctx = err.get("ctx") or {}
        return f"expected {ctx.get('expected', 'one of the allowed values')}, got {got}"
    for prefix, words in _TYPE_WORDS.items():
        if kind in (f"{prefix}_type", f"{prefix}_parsing", f"{prefix}_from_float"):
            return f"expected {words}, got {got}"
    return f"{err['msg'][0].lower()}{err['msg'][1:]}, got {got}"


_MAX_REPORTED = 5


def validation_error(exc: ValidationError, src: Source) -> InputError:
    """All of a model's errors in one ``InputError`` at the first; later ones name their line."""
    errors = exc.errors()
    parts: list[str] = []
    first: Location | None = None
    for err in errors[:_MAX_REPORTED]:
        loc, field_name = src.best(err["loc"])
        text = f"{field_name}: {describe(err)}"
        if first is None:
            first = loc
        elif loc.line != first.line:
            text += f" (line {loc.line})"
        parts.append(text)
    if len(errors) > _MAX_REPORTED:
        parts.append(f"and {len(errors) - _MAX_REPORTED} more")
    where = first or src.root()
    return InputError("; ".join(parts), Where(where.file, where.line, where.column))


def validate(model: type[M], src: Source) -> M:
    try:
        return model.model_validate(plain(src.doc))
    except ValidationError as exc:
        raise validation_error(exc, src) from exc


# ------------------------------------------------------------------------------ shared field types


class Strict(BaseModel):
    """Our own formats: unknown keys are errors (a misspelt ``retention_dayz`` must not pass
    silently), except keys starting with ``x-`` which are the users' own extensions."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))
            }
        return data


class Open(BaseModel):
    """Third-party standards: we model the parts we read and let the rest through."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


def _duration(value: Any) -> Any:
    if value is None:
        return None
    try:
        parse_hours(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from exc
    return value if isinstance(value, str) else str(value)


def _retention_days(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, str):
        try:
            return whole_days(parse_days(value))
        except DurationError:
            pass
    raise ValueError(
        "expected an integer number of days (or an ISO 8601 duration such as P90D), "
        f"got {_shown(value)}"
    )


def _scalar_text(value: Any) -> Any:
    """YAML turns ``version: 1.0`` into a float and ``label: 1`` into an int; keep them as text."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    return value


def _tags(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, list):
        return [_scalar_text(v) for v in value]
    return value


Duration = Annotated[
    str,
    BeforeValidator(_duration),
    WithJsonSchema(
        {"type": "string", "description": f"A duration: {EXPECTED}.", "examples": ["PT1H", "P1D"]}
    ),
]
RetentionDays = Annotated[
    int,
    BeforeValidator(_retention_days),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "examples": ["P90D", "P1Y"]},
            ],
            "description": "Days kept: an integer or an ISO 8601 duration (P1Y = 365 days).",
        }
    ),
]
Text = Annotated[str, BeforeValidator(_scalar_text)]
Name = Annotated[str, BeforeValidator(_scalar_text), StringConstraints(min_length=1)]
Tags = Annotated[list[str], BeforeValidator(_tags)]


# -------------------------------------------------------------------------------------- PII rules


def is_pii_tag(tag: str) -> bool:
    """``pii``, ``PII``, ``pii:email``, ``security:pii``: first or last segment is ``pii``."""
    parts = [p.strip().lower() for p in re.split(r"[:/]", tag)]
    return bool(parts) and (parts[0] == "pii" or parts[-1] == "pii")


def is_pii_classification(classification: str | None, config: GovernanceConfig) -> bool:
    if not classification:
        return False
    return classification.strip().lower() in {c.lower() for c in config.pii_classifications}


def column_is_pii(
    flag: bool | None, tags: Iterable[str], classification: str | None, config: GovernanceConfig
) -> bool:
    return (
        bool(flag)
        or any(is_pii_tag(t) for t in tags)
        or is_pii_classification(classification, config)
    )


# ---------------------------------------------------------------------------------------- storage

_BUCKET_URL = re.compile(r"^(?:s3|s3a|s3n|gs|gcs)://([^/?#]+)", re.IGNORECASE)
_S3_ARN = re.compile(r"^arn:aws[\w-]*:s3:::([^/]+)", re.IGNORECASE)
_BIGQUERY = re.compile(r"^bigquery://projects/[^/]+/datasets/([^/?#]+)", re.IGNORECASE)


def storage_names(location: str | None) -> list[str]:
    """Bucket or dataset named by a data location (``s3://b/x``, ``gs://b``, ``arn:aws:s3:::b``,
    ``bigquery://projects/p/datasets/d/...``); linking matches these against resource names."""
    if not location:
        return []
    for pattern in (_BUCKET_URL, _S3_ARN, _BIGQUERY):
        match = pattern.match(location.strip())
        if match:
            return [match.group(1)]
    return []


def bigquery_location(project: str | None, dataset: str | None) -> str | None:
    if not dataset:
        return None
    return f"bigquery://projects/{project or '-'}/datasets/{dataset}"


# ------------------------------------------------------------------------------- product assembly


@dataclass
class Draft:
    """Columns and positions collected while reading a manifest, before the ``Product`` is built."""

    src: Source
    columns: list[Column] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)

    def locate(self, key: str, *path: str | int) -> None:
        """Record where normalised field ``key`` is declared, when ``path`` is in the file."""
        loc = self.src.at(*path)
        if loc is not None:
            self.locations[key] = loc

    def is_pii(
        self, tags: Iterable[str], classification: str | None, flag: bool | None = None
    ) -> bool:
        return column_is_pii(flag, tags, classification, self.src.config)

    def add_column(
        self,
        name: str,
        path: Path_,
        *,
        type_: str | None = None,
        pii: bool | None = None,
        encrypted: bool | None = None,
        masked: bool | None = None,
        classification: str | None = None,
        tags: Sequence[str] = (),
        declared: dict[str, Path_] | None = None,
    ) -> None:
        """Add a column; ``declared`` maps attributes (pii, encrypted ...) to their positions."""
        key = f"columns.{name}"
        if key in self.locations:
            first = self.locations[key]
            raise self.src.error(
                f"duplicate column '{name}' (first declared at line {first.line})", *path
            )
        self.columns.append(
            Column(
                name=name,
                type=type_,
                pii=column_is_pii(pii, tags, classification, self.src.config),
                encrypted=encrypted,
                masked=masked,
                classification=classification,
                tags=list(tags),
                location=self.src.at(*path),
            )
        )
        self.locate(key, *path)
        for attr, attr_path in (declared or {}).items():
            self.locate(f"{key}.{attr}", *attr_path)


def build_product(
    draft: Draft, *, extra_pii: bool = False, extra_storage: Iterable[str] = (), **fields: Any
) -> Product:
    """The ``Product``, with ``pii`` and ``storage`` derived the same way for every format."""
    config = draft.src.config
    ports: list[OutputPort] = fields.get("output_ports", [])
    storage: list[str] = []
    for name in [*(n for p in ports for n in storage_names(p.location)), *extra_storage]:
        if name and name not in storage:
            storage.append(name)
    pii = (
        extra_pii
        or any(c.pii for c in draft.columns)
        or is_pii_classification(fields.get("classification"), config)
    )
    return Product(
        **fields,
        columns=draft.columns,
        pii=pii,
        storage=storage,
        source=draft.src.root(),
        locations=draft.locations,
    )


def duration_hours(src: Source, value: Any, path: Path_, unit: str | None = None) -> float:
    """Hours of a duration found at ``path``; a bad value is an error at that position."""
    try:
        return parse_hours(value, unit)
    except DurationError as exc:
        raise src.error(str(exc), *path) from exc


def backup_requirement(
    src: Source, rpo: Any, rpo_path: Path_, rto: Any, rto_path: Path_
) -> BackupRequirement | None:
    """Declared RPO/RTO kept as written plus normalised hours; None when neither is declared."""
    if rpo is None and rto is None:
        return None
    return BackupRequirement(
        rpo=None if rpo is None else str(rpo),
        rto=None if rto is None else str(rto),
        rpo_hours=None if rpo is None else duration_hours(src, rpo, rpo_path),
        rto_hours=None if rto is None else duration_hours(src, rto, rto_path),
    )


def sample_path(src: Source, sample: str | None) -> str | None:
    """A relative sample path is relative to the manifest; stored the way the run shows paths."""
    if not sample or "://" in sample:
        return sample
    return display_path(src.path.parent / sample)
