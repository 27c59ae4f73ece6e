"""Sample data files (CSV, TSV, Parquet, JSON Lines): find a product's sample and read it, capped.

A sample is found, in this order, through: the ``samples.mapping`` of governance.yaml (explicit),
the manifest's ``quality.sample`` (relative to the manifest file), a local output port (an ODCS
``servers`` entry of type ``local``/``file``), and the ``--samples DIR`` folder (file stem equals
the product's id or name). A declared sample that does not exist is an error, never a skip.

Reading is deterministic: the cap keeps the *first* ``max_rows`` data rows and the rest of the
file is not parsed. Every malformed file (wrong delimiter, ragged rows, binary bytes, truncated
Parquet, a JSON line that is not an object) is one ``InputError`` naming the file and, where known,
the line; messages never quote cell values (they may be PII).

pandas and pyarrow are imported inside functions: importing this module is cheap.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from governance.collect.base import CollectContext, Evidence
from governance.collect.files import display_path
from governance.errors import InputError, Where
from governance.model.evidence import Product

if TYPE_CHECKING:
    import pandas as pd

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_DELIMITERS = {"csv": ",", "tsv": "\t"}
_OTHER_DELIMITERS = (";", "\t", "|", ",")
_SNIFF_BYTES = 65536
_LINE_IN_MESSAGE = re.compile(r"line (\d+)")
_ARROW_FIELDS = re.compile(r"Expected \d+ columns, got \d+")


@dataclass(frozen=True)
class Sample:
    """A sample read into a DataFrame. ``capped``: the file holds more rows than ``frame``."""

    path: Path
    display: str
    format: str
    frame: pd.DataFrame
    capped: bool

    @property
    def rows(self) -> int:
        return len(self.frame)

    def total_rows(self) -> int:
        """Every data row of the file (parses the whole file again when the sample was capped)."""
        return count_rows(self.path, self.format) if self.capped else self.rows


def sample_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"unsupported sample format '{path.suffix or path.name}' (known: {known})",
            Where(display_path(path)),
        )
    return fmt


def read_sample(path: Path, max_rows: int | None = None) -> Sample:
    """Read a sample file; ``max_rows`` keeps the first rows only (None: all of them)."""
    shown = display_path(path)
    fmt = sample_format(path)
    if not path.is_file():
        raise InputError("sample file not found", Where(shown))
    limit = None if max_rows is None else max_rows + 1  # one more row tells whether it is capped
    if fmt == "parquet":
        frame, capped = _read_parquet(path, shown, max_rows)
    else:
        if fmt == "jsonl":
            frame = _read_jsonl(path, shown, limit)
        else:
            frame = _read_delimited(path, shown, _DELIMITERS[fmt], limit)
        capped = max_rows is not None and len(frame) > max_rows
        if capped:
            frame = frame.iloc[:max_rows]
    return Sample(path=path, display=shown, format=fmt, frame=frame, capped=capped)


# ------------------------------------------------------------------------------------- delimited


def _check_text(path: Path, shown: str) -> str:
    """The first line, after refusing binary files: a NUL byte or invalid UTF-8 in the head."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read sample: {exc.strerror}", Where(shown)) from exc
    if b"\x00" in head:
        raise InputError("binary file: not a text sample (NUL bytes)", Where(shown))
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a multi-byte character cut by the head limit
            raise InputError(
                f"not UTF-8 text (byte {exc.start}): binary file or unknown encoding", Where(shown)
            ) from exc
        text = head[: exc.start].decode("utf-8-sig")
    return text.splitlines()[0] if text.strip() else ""


def _read_delimited(path: Path, shown: str, sep: str, limit: int | None) -> pd.DataFrame:
    import pandas as pd

    header_line = _check_text(path, shown)
    if not header_line.strip():
        raise InputError("empty sample: no header row", Where(shown, 1))
    try:
        frame = pd.read_csv(path, sep=sep, nrows=limit, low_memory=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError as exc:
        raise InputError("empty sample: no header row", Where(shown, 1)) from exc
    except pd.errors.ParserError as exc:
        _check_header(header_line, header_line.split(sep), sep, shown)  # wrong delimiter first
        raise _parser_error(exc, shown) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text: binary file or unknown encoding", Where(shown)) from exc
    _check_header(header_line, list(frame.columns), sep, shown)
    return frame


def _parser_error(exc: Exception, shown: str) -> InputError:
    # pandas' C parser says "Expected 3 fields in line 5, saw 4": positions, never cell values.
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    match = _LINE_IN_MESSAGE.search(text)
    detail = text.split("C error: ")[-1]
    return InputError(
        f"malformed delimited file: {detail}", Where(shown, int(match.group(1)) if match else None)
    )


def _check_header(header_line: str, columns: list[Any], sep: str, shown: str) -> None:
    names = next(csv.reader(io.StringIO(header_line), delimiter=sep), [])
    if len(columns) == 1:
        for other in _OTHER_DELIMITERS:
            if other != sep and other in header_line:
                raise InputError(
                    f"one column whose header contains {other!r}: the file looks "
                    f"{other!r}-delimited, expected {sep!r} for this file type",
                    Where(shown, 1),
                )
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputError(f"duplicate column name '{name}' in the header", Where(shown, 1))
        seen.add(name)


# --------------------------------------------------------------------------------------- parquet


def _read_parquet(path: Path, shown: str, max_rows: int | None) -> tuple[pd.DataFrame, bool]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        total = parquet.metadata.num_rows
        if max_rows is None or total <= max_rows:
            table = parquet.read()
        else:
            batches = []
            kept = 0
            for batch in parquet.iter_batches(batch_size=min(max_rows, 65536)):
                batches.append(batch.slice(0, max_rows - kept))
                kept += batches[-1].num_rows
                if kept >= max_rows:
                    break
            table = pa.Table.from_batches(batches, schema=parquet.schema_arrow)
        return table.to_pandas(), max_rows is not None and total > max_rows
    except (pa.ArrowException, OSError, ValueError) as exc:
        # Arrow's messages name the problem ("magic bytes not found", "truncated"), not values.
        raise InputError(f"unreadable Parquet file: {_first_line(exc)}", Where(shown)) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ------------------------------------------------------------------------------------ JSON Lines


def _read_jsonl(path: Path, shown: str, limit: int | None) -> pd.DataFrame:
    """Each non-blank line one JSON object; the first bad line is reported by number."""
    import pandas as pd

    _check_text(path, shown)
    records: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                if limit is not None and len(records) >= limit:
                    break
                try:
                    value = json.loads(line.rstrip("\r\n"))
                except json.JSONDecodeError as exc:
                    raise InputError(
                        f"malformed JSON line: {exc.msg}", Where(shown, number, exc.colno)
                    ) from exc
                if not isinstance(value, dict):
                    raise InputError(
                        f"JSON line is a {type(value).__name__}, expected an object",
                        Where(shown, number),
                    )
                records.append(value)
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text: binary file or unknown encoding", Where(shown)) from exc
    except OSError as exc:
        raise InputError(f"cannot read sample: {exc.strerror}", Where(shown)) from exc
    if not records:
        raise InputError("empty sample: no JSON lines", Where(shown))
    return pd.DataFrame.from_records(records)


# ------------------------------------------------------------------------------------ row counts


def count_rows(path: Path, fmt: str) -> int:
    """Every data row of a sample (for row-count expectations on a capped sample)."""
    shown = display_path(path)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(path).metadata.num_rows)
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"unreadable Parquet file: {_first_line(exc)}", Where(shown)) from exc
    if fmt == "jsonl":
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    import pyarrow as pa
    import pyarrow.csv as pcsv

    # One column as text, through Arrow's multi-threaded parser (4x pandas): quoted newlines are
    # honoured and nothing is converted. Arrow quotes the offending row in its errors: only the
    # field counts are kept.
    parse = pcsv.ParseOptions(delimiter=_DELIMITERS[fmt], newlines_in_values=True)
    try:
        first = pcsv.open_csv(path, parse_options=parse).schema.names[0]
        convert = pcsv.ConvertOptions(include_columns=[first], column_types={first: pa.string()})
        reader = pcsv.open_csv(path, parse_options=parse, convert_options=convert)
        return sum(batch.num_rows for batch in reader)
    except (pa.ArrowException, OSError) as exc:
        counts = _ARROW_FIELDS.search(str(exc))
        detail = f": {counts.group(0)}" if counts else ""
        raise InputError(
            f"malformed delimited file beyond the sampled rows{detail}", Where(shown)
        ) from exc


# ------------------------------------------------------------------------------------- discovery


def _manifest_dir(product: Product) -> Path:
    return Path(product.source.file).parent if product.source.file else Path.cwd()


def _where(product: Product, field: str) -> Where:
    loc = product.locations.get(field) or product.source
    return Where(loc.file, loc.line, loc.column)


def _local_port(product: Product) -> tuple[Path, str] | None:
    """An output port (ODCS ``servers`` entry) of type local/file pointing at a sample file:
    its path, relative to the manifest as datacontract-cli reads it, and its location key."""
    for index, port in enumerate(product.output_ports):
        location = port.location or ""
        if location.startswith("file://"):
            location = location[len("file://") :]
        elif (port.type or "").lower() not in {"local", "file"} or "://" in location:
            continue
        if location and Path(location).suffix.lower() in FORMATS:
            return _manifest_dir(product) / location, f"output_ports.{index}"
    return None


def _in_directory(product: Product, directory: Path) -> Path | None:
    keys = {product.id.lower(), product.name.lower()}
    found = sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() in FORMATS and p.stem.lower() in keys
    )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(
            f"several samples match data product '{product.id}': {names}",
            Where(display_path(directory)),
        )
    return found[0] if found else None


def find_sample(
    product: Product, *, samples_dir: Path | None = None, mapping: dict[str, str] | None = None
) -> Path | None:
    """The product's sample file, or None when it has none. A declared one must exist."""
    mapping = mapping or {}
    for key in (product.id, product.name):
        if key in mapping:
            path = Path(mapping[key])
            if not path.is_file():
                raise InputError(
                    f"sample for data product '{key}' not found: {mapping[key]}",
                    Where(source="governance.yaml samples.mapping"),
                )
            return path
    # The manifest collector already resolved quality.sample against the manifest's folder.
    declared = product.quality.sample if product.quality else None
    if declared:
        if "://" in declared:
            raise InputError(
                f"remote sample {declared} cannot be read: point quality.sample at a local file "
                "or map one in samples.mapping",
                _where(product, "quality"),
            )
        path = Path(declared)
        if not path.is_file():
            raise InputError(f"declared sample not found: {declared}", _where(product, "quality"))
        return path
    port = _local_port(product)
    if port is not None:
        path, key = port
        if not path.is_file():
            raise InputError(
                f"local server file not found: {display_path(path)}", _where(product, key)
            )
        return path
    if samples_dir is not None:
        if not samples_dir.is_dir():
            raise InputError("samples directory not found", Where(display_path(samples_dir)))
        return _in_directory(product, samples_dir)
    return None


# ----------------------------------------------------------------- collect source: suite files
# Registered in governance.collect.SOURCES so that a GX suite met while walking a folder (next to
# the samples it checks) is recognised and validated instead of rejected as an unknown input.
# Suites are run per product (``governance.evaluate.gx.collect_quality``), so it yields no facts.

SUFFIXES = (".json",)
PARSE = "json"


def sniff(doc: Any, path: Path) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("expectations"), list):
        return False
    if "expectation_suite_name" in doc or "name" in doc:
        return True
    return any(
        isinstance(e, dict) and ("expectation_type" in e or "type" in e)
        for e in doc["expectations"]
    )


def collect(path: Path, doc: Any, ctx: CollectContext) -> Evidence:
    from governance.evaluate.gx.suites import parse_suite, suite_positions

    parse_suite(doc, display_path(path), suite_positions(path))
    return Evidence()
