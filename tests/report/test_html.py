"""The auditor HTML report: content, self-containment, and a real render in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from governance.model.result import RunResult
from governance.report import html

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)


class _Refs(HTMLParser):
    """Collect every tag name and every URL-bearing attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action", "srcset")]


def test_report_is_self_contained(sample_result: RunResult) -> None:
    text = html.render(sample_result)
    refs = _Refs()
    refs.feed(text)
    assert "script" not in refs.tags and "link" not in refs.tags and "iframe" not in refs.tags
    assert all(url.startswith("#") for url in refs.urls), refs.urls
    assert "@import" not in text and "url(" not in text
    assert "svg" in refs.tags and "style" in refs.tags


def test_auditor_content_is_all_there(sample_result: RunResult) -> None:
    text = html.render(sample_result)
    # Every evaluation, passes included, with its evidence.
    assert text.count('<tr class="r-pass">') == 4
    assert "{&#34;encryption&#34;: {&#34;enabled&#34;: false}" in text
    # Framework coverage: GDPR Art. 32 evaluated on 2 products, 1 compliant, 1 not.
    row = re.search(r"<tr><td>GDPR Art. 32</td>.*?</tr>", text)
    assert row is not None
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(0))
    assert cells == ["2", "1", "0", "1"]
    # Waivers with approver and expiry, and those needing attention.
    assert "jane.doe@example.com" in text and "2026-06-30" in text
    assert "WVR-STALE" in text and "expired on 2026-01-31" in text
    # Provenance.
    assert "a" * 64 in text


def test_charts_scale_with_the_data(sample_result: RunResult) -> None:
    text = html.render(sample_result)
    # Severity chart: high (2 findings) is the longest bar; critical (1) half of it.
    high = re.search(r'<rect [^>]*width="([\d.]+)"[^>]*><title>high: 2</title>', text)
    critical = re.search(r'<rect [^>]*width="([\d.]+)"[^>]*><title>critical: 1</title>', text)
    assert high and critical
    assert float(high.group(1)) == html.CHART_WIDTH
    assert float(critical.group(1)) == html.CHART_WIDTH / 2


@pytest.mark.chromium
@pytest.mark.skipif(CHROMIUM is None, reason="headless chromium not installed")
def test_renders_in_headless_chromium(sample_result: RunResult, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html.render(sample_result), encoding="utf-8")
    base = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    # The parsed DOM keeps the hostile subject as text, and no script element exists.
    assert "column:&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script" not in dom
    assert "Framework control coverage" in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [*base, "--window-size=1280,2000", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [*base, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert pdf.read_bytes()[:5] == b"%PDF-"
