"""Golden files: every renderer on the sample mesh, byte for byte.

Regenerate after an intended change with ``GOVERNANCE_UPDATE_GOLDEN=1 pytest tests/report`` and
review the diff of tests/fixtures/report/golden/ like any other change.
"""

from __future__ import annotations

import os

import pytest

from governance.model.result import RunResult
from governance.report import FILENAMES, FORMATS, renderer
from tests.report.conftest import GOLDEN

UPDATE = os.environ.get("GOVERNANCE_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_renderer_matches_golden_file(fmt: str, sample_result: RunResult) -> None:
    text = renderer(fmt)(sample_result)
    golden = GOLDEN / FILENAMES[fmt]
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"missing {golden}: run with GOVERNANCE_UPDATE_GOLDEN=1"
    assert text == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_product_status_matches_golden_file(fmt: str, status_result: RunResult) -> None:
    """fail, warn, pass, error (the product's own input error) and not evaluated, each shown
    as what it is: never an error or an unevaluated product counted compliant."""
    text = renderer(fmt)(status_result)
    golden = GOLDEN / "statuses" / FILENAMES[fmt]
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"missing {golden}: run with GOVERNANCE_UPDATE_GOLDEN=1"
    assert text == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_renderers_are_pure(fmt: str, sample_result: RunResult) -> None:
    """Rendering twice gives the same text and leaves the result untouched."""
    before = sample_result.model_dump_json()
    first = renderer(fmt)(sample_result)
    assert renderer(fmt)(sample_result) == first
    assert sample_result.model_dump_json() == before


def test_every_format_has_a_filename() -> None:
    assert set(FORMATS) <= set(FILENAMES)
