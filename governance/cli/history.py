"""``history``: past runs and compliance over time, from the history database."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click

from governance.cli.common import HISTORY_ENV
from governance.errors import UsageError


@click.command()
@click.option(
    "--history",
    "history_url",
    default=None,
    envvar=HISTORY_ENV,
    help=f"History database (path or URL; ${HISTORY_ENV}).",
)
@click.option(
    "--limit", type=click.IntRange(1), default=20, show_default=True, help="Runs to list."
)
@click.option("--product", "products", multiple=True, help="Trend for these products (repeatable).")
@click.option("--domain", "domains", multiple=True, help="Trend for these domains (repeatable).")
@click.option(
    "--last", type=click.IntRange(1), default=10, show_default=True, help="Runs the trends cover."
)
@click.option("--format", "fmt", type=click.Choice(["console", "json"]), default="console")
def history(
    history_url: str | None,
    limit: int,
    products: tuple[str, ...],
    domains: tuple[str, ...],
    last: int,
    fmt: str,
) -> None:
    """List past runs and per-product / per-domain compliance over time."""
    from governance.store import open_store

    if not history_url:
        raise UsageError(f"no history database: give --history URL or set ${HISTORY_ENV}")
    with open_store(history_url) as store:
        runs = store.list_runs(limit=limit)
        product_points = store.product_trend(list(products) or None, last=last)
        domain_points = store.domain_trend(list(domains) or None, last=last)
    if fmt == "json":
        doc = {
            "runs": [asdict(r) for r in runs],
            "products": [asdict(p) for p in product_points],
            "domains": [asdict(d) for d in domain_points],
        }
        click.echo(json.dumps(doc, indent=2, default=str))
        return
    click.echo(_render(runs, product_points, domain_points))


def _render(runs: list[Any], products: list[Any], domains: list[Any]) -> str:
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    buffer = StringIO()
    console = Console(file=buffer, width=120, color_system=None)
    table = Table(
        "run",
        "command",
        "started",
        "verdict",
        "products",
        "compliant",
        "failures",
        "errors",
        title="Runs (newest first)",
    )
    for run in runs:
        table.add_row(
            run.id[:12],
            run.command,
            f"{run.started_at:%Y-%m-%d %H:%M}",
            run.verdict,
            str(run.products),
            str(run.compliant_products),
            str(run.failures),
            str(run.errors),
        )
    console.print(table)
    trend = Table(
        "domain", "run", "started", "products", "compliant", "score", title="Compliance by domain"
    )
    for point in domains:
        trend.add_row(
            point.domain,
            point.run_id[:12],
            f"{point.started_at:%Y-%m-%d %H:%M}",
            str(point.products),
            str(point.compliant),
            "-" if point.score is None else f"{point.score:.0%}",
        )
    console.print(trend)
    if products:
        per_product = Table(
            "product", "domain", "run", "started", "status", "score", title="Compliance by product"
        )
        for p in products:
            per_product.add_row(
                p.product,
                p.domain or "-",
                p.run_id[:12],
                f"{p.started_at:%Y-%m-%d %H:%M}",
                p.status,
                "-" if p.score is None else f"{p.score:.0%}",
            )
        console.print(per_product)
    return buffer.getvalue()
