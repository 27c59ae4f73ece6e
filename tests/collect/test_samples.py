"""Sample files: formats, the deterministic row cap, malformed files, finding a product's sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from governance.collect import samples as samples_source
from governance.collect.base import CollectContext
from governance.collect.samples import count_rows, find_sample, read_sample
from governance.errors import InputError
from governance.model.evidence import Location, OutputPort, Product, QualitySpec


@pytest.fixture
def samples(fixtures: Path) -> Path:
    return fixtures / "samples"


def product(tmp_path: Path, **fields: Any) -> Product:
    manifest = tmp_path / "product.yaml"
    manifest.write_text("name: orders\n")
    return Product(id="orders", name="orders", source=Location(file=str(manifest)), **fields)


# ------------------------------------------------------------------------------------ formats


def test_csv_reads_header_types_and_rows(samples: Path) -> None:
    sample = read_sample(samples / "contacts.csv")
    assert list(sample.frame.columns) == ["id", "name", "email", "phone", "segment"]
    assert sample.rows == 6
    assert not sample.capped
    assert pd.api.types.is_integer_dtype(sample.frame["id"])
    assert sample.frame["phone"].isna().sum() == 1  # an empty field is a null, not ""


def test_tsv_uses_tabs(samples: Path) -> None:
    sample = read_sample(samples / "contacts.tsv")
    assert list(sample.frame.columns) == ["id", "name", "email"]
    assert sample.rows == 2


def test_jsonl_skips_blank_lines_and_unions_keys(samples: Path) -> None:
    sample = read_sample(samples / "contacts.jsonl")
    assert sample.rows == 3
    assert set(sample.frame.columns) == {"id", "email", "extra"}


def test_parquet_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "orders.parquet"
    pq.write_table(
        pa.table({"id": list(range(10)), "email": [f"u{i}@example.com" for i in range(10)]}), path
    )
    sample = read_sample(path)
    assert sample.rows == 10
    assert sample.frame["email"].iloc[3] == "u3@example.com"


def test_corpus_parquet_with_nested_types(corpus: Path) -> None:
    sample = read_sample(
        corpus / "samples" / "datacontract__datacontract-cli__combined-types.parquet"
    )
    assert (
        sample.rows
        == pq.ParquetFile(
            corpus / "samples" / "datacontract__datacontract-cli__combined-types.parquet"
        ).metadata.num_rows
    )
    assert "string_field" in sample.frame.columns


# ------------------------------------------------------------------------------------ row cap


def test_cap_keeps_the_first_rows_and_says_so(corpus: Path) -> None:
    path = corpus / "samples" / "great-expectations__great_expectations__Titanic.csv"
    full = pd.read_csv(path)
    capped = read_sample(path, max_rows=100)
    assert capped.capped
    assert capped.rows == 100
    assert capped.frame["Name"].tolist() == full["Name"].head(100).tolist()
    assert capped.total_rows() == len(full)


def test_cap_is_deterministic(corpus: Path) -> None:
    path = corpus / "samples" / "great-expectations__gx_tutorials__npi-small.csv"
    first = read_sample(path, max_rows=500).frame
    second = read_sample(path, max_rows=500).frame
    pd.testing.assert_frame_equal(first, second)


def test_cap_equal_to_row_count_is_not_capped(samples: Path) -> None:
    sample = read_sample(samples / "contacts.csv", max_rows=6)
    assert sample.rows == 6
    assert not sample.capped


def test_parquet_cap_reads_batches_only_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"n": list(range(5000))}), path, row_group_size=1000)
    sample = read_sample(path, max_rows=1500)
    assert sample.capped
    assert sample.frame["n"].tolist() == list(range(1500))
    assert sample.total_rows() == 5000


def test_jsonl_cap(samples: Path) -> None:
    sample = read_sample(samples / "contacts.jsonl", max_rows=2)
    assert sample.capped and sample.rows == 2
    assert count_rows(samples / "contacts.jsonl", "jsonl") == 3


def test_count_rows_honours_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('id,note\n1,"two\nlines"\n2,plain\n')
    assert count_rows(path, "csv") == 2


# ------------------------------------------------------------------------------ malformed files


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("semicolon-delimited.csv", 1, "looks ';'-delimited"),
        ("ragged-row-line-3.csv", 3, "Expected 3 fields in line 3, saw 4"),
        ("duplicate-header.csv", 1, "duplicate column name 'id'"),
        ("malformed-line-2.jsonl", 2, "malformed JSON line"),
        ("array-line-2.jsonl", 2, "expected an object"),
    ],
)
def test_malformed_text_samples_name_file_and_line(
    samples: Path, name: str, line: int, words: str
) -> None:
    with pytest.raises(InputError) as err:
        read_sample(samples / name)
    assert err.value.where is not None
    assert err.value.where.file is not None and err.value.where.file.endswith(name)
    assert err.value.where.line == line
    assert words in err.value.message


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary file"):
        read_sample(path)


def test_latin1_text_is_refused_as_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,city\nJosé,Málaga\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_sample(path)


def test_truncated_parquet_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"id": list(range(1000))}), good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="unreadable Parquet file"):
        read_sample(truncated)


def test_csv_renamed_to_parquet_is_refused(samples: Path, tmp_path: Path) -> None:
    fake = tmp_path / "contacts.parquet"
    fake.write_bytes((samples / "contacts.csv").read_bytes())
    with pytest.raises(InputError, match="unreadable Parquet file"):
        read_sample(fake)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(InputError, match="no header row"):
        read_sample(path)


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported sample format"):
        read_sample(tmp_path / "data.xlsx")
    with pytest.raises(InputError, match="not found"):
        read_sample(tmp_path / "absent.csv")


def test_error_messages_never_quote_cell_values(tmp_path: Path) -> None:
    path = tmp_path / "leaky.csv"
    path.write_text("id,email\n1,secret.person@example.com\n2,other@example.com,surplus-secret\n")
    with pytest.raises(InputError) as err:
        read_sample(path)
    assert "secret" not in str(err.value)


# ------------------------------------------------------------------------------------ discovery


def test_mapping_wins_over_everything(tmp_path: Path, samples: Path) -> None:
    declared = tmp_path / "declared.csv"
    declared.write_text("a\n1\n")
    p = product(tmp_path, quality=QualitySpec(sample=str(declared)))
    found = find_sample(p, samples_dir=samples, mapping={"orders": str(samples / "contacts.csv")})
    assert found == samples / "contacts.csv"


def test_declared_sample_wins_over_the_samples_dir(tmp_path: Path) -> None:
    declared = tmp_path / "declared.csv"
    declared.write_text("a\n1\n")
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "orders.csv").write_text("a\n1\n")
    p = product(tmp_path, quality=QualitySpec(sample=str(declared)))
    assert find_sample(p, samples_dir=folder) == declared


def test_declared_sample_missing_is_an_error_at_the_manifest(tmp_path: Path) -> None:
    p = product(tmp_path, quality=QualitySpec(sample=str(tmp_path / "gone.csv")))
    with pytest.raises(InputError, match="declared sample not found") as err:
        find_sample(p)
    assert err.value.where is not None and err.value.where.file == p.source.file


def test_remote_declared_sample_is_an_error(tmp_path: Path) -> None:
    p = product(tmp_path, quality=QualitySpec(sample="s3://bucket/orders.parquet"))
    with pytest.raises(InputError, match="remote sample"):
        find_sample(p)


def test_local_odcs_server_relative_to_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "orders.csv").write_text("a\n1\n")
    ports = [
        OutputPort(name="prod", type="s3", location="s3://bucket/orders/"),
        OutputPort(name="local", type="local", location="data/orders.csv", format="csv"),
    ]
    p = product(tmp_path, output_ports=ports)
    assert find_sample(p) == tmp_path / "data" / "orders.csv"


def test_samples_dir_matches_file_stem_to_id_or_name(tmp_path: Path) -> None:
    (tmp_path / "ORDERS.parquet").write_bytes(b"")
    (tmp_path / "payments.csv").write_text("a\n1\n")
    p = product(tmp_path)
    assert find_sample(p, samples_dir=tmp_path) == tmp_path / "ORDERS.parquet"


def test_samples_dir_ambiguity_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text("a\n1\n")
    (tmp_path / "orders.jsonl").write_text('{"a": 1}\n')
    with pytest.raises(InputError, match="several samples match"):
        find_sample(product(tmp_path), samples_dir=tmp_path)


def test_no_sample_anywhere_is_none(tmp_path: Path) -> None:
    assert find_sample(product(tmp_path), samples_dir=tmp_path) is None


# ------------------------------------------------------------------ collect source: suite files


def test_suite_files_are_recognised_and_validated(samples: Path) -> None:
    doc = json.loads((samples / "suite-v0-classic.json").read_text())
    assert samples_source.sniff(doc, samples / "suite-v0-classic.json")
    evidence = samples_source.collect(samples / "suite-v0-classic.json", doc, CollectContext())
    assert evidence.products == [] and evidence.quality == {}


def test_non_suites_are_not_sniffed(samples: Path) -> None:
    assert not samples_source.sniff(
        {"format_version": "1.2", "resource_changes": []}, samples / "x.json"
    )
    assert not samples_source.sniff([1, 2], samples / "x.json")


def test_walked_empty_suite_is_an_error(samples: Path) -> None:
    doc = json.loads((samples / "suite-empty.json").read_text())
    assert samples_source.sniff(doc, samples / "suite-empty.json")
    with pytest.raises(InputError, match="no expectations"):
        samples_source.collect(samples / "suite-empty.json", doc, CollectContext())


def test_malformed_row_beyond_the_cap_fails_the_row_count_without_values(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    rows = [f"{i},user{i}@example.com" for i in range(50)] + ["51,late.secret@example.com,surplus"]
    path.write_text("id,email\n" + "\n".join(rows) + "\n")
    sample = read_sample(path, max_rows=10)
    assert sample.capped
    with pytest.raises(
        InputError, match="beyond the sampled rows: Expected 2 columns, got 3"
    ) as err:
        sample.total_rows()
    assert "secret" not in str(err.value)


def test_registered_suite_source_accepts_suites_met_while_walking(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the registry does once ``gx_suite`` is in governance.collect.SOURCES."""
    import governance.collect as registry

    monkeypatch.setitem(registry.SOURCES, "gx_suite", "governance.collect.samples")
    for name in ("suite-v1.json", "suite-v0-classic.json"):
        (tmp_path / name).write_bytes((fixtures / "samples" / name).read_bytes())
    evidence = registry.collect_paths([tmp_path])
    assert evidence.errors == []
    assert [i.kind for i in evidence.inputs] == ["gx_suite", "gx_suite"]
    (tmp_path / "suite-empty.json").write_text('{"name": "e", "expectations": []}')
    errors = registry.collect_paths([tmp_path]).errors
    assert len(errors) == 1 and "no expectations" in errors[0].message
