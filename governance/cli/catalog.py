"""``catalog import`` / ``catalog sync`` (DataHub Lite by default) and the ``--catalog`` options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from governance.config import load_config
from governance.extras import require

if TYPE_CHECKING:
    from governance.collect.datahub.endpoints import Endpoint

F = TypeVar("F", bound=Callable[..., Any])

CATALOG_OPTION = click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    metavar="SPEC",
    help="Catalog to read (repeatable): lite[:PATH], gms[:URL], glue[:REGION].",
)


def publish_options(func: F) -> F:
    func = click.option(
        "--publish-to",
        default=None,
        metavar="SPEC",
        help="Where to publish: lite[:PATH], gms[:URL] or file:PATH "
        "(default: the first lite/gms --catalog).",
    )(func)
    return click.option(
        "--publish",
        type=click.Choice(["datahub"]),
        default=None,
        help="Publish per-dataset compliance back to the catalog.",
    )(func)


def parse_catalogs(specs: tuple[str, ...]) -> list[Endpoint]:
    from governance.collect.datahub.endpoints import parse_endpoint

    return [parse_endpoint(spec, allowed=("lite", "gms", "glue")) for spec in specs]


def publish_target(
    publish: str | None, publish_to: str | None, catalogs: list[Endpoint]
) -> Endpoint | None:
    from governance.collect.datahub.endpoints import parse_endpoint
    from governance.errors import UsageError

    if publish is None:
        if publish_to is not None:
            raise UsageError("--publish-to needs --publish datahub")
        return None
    if publish_to is not None:
        return parse_endpoint(publish_to, allowed=("lite", "gms", "file"), option="--publish-to")
    for endpoint in catalogs:
        if endpoint.kind in ("lite", "gms"):
            return endpoint
    raise UsageError("--publish datahub: give --publish-to, or a lite/gms --catalog to publish to")


@click.group()
def catalog() -> None:
    """Fill and manage the local catalog (DataHub Lite)."""


@catalog.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--lite",
    "lite_path",
    type=click.Path(path_type=Path),
    default=None,
    help="DataHub Lite database (default: the datahub CLI's own).",
)
def import_(files: tuple[Path, ...], lite_path: Path | None) -> None:
    """Load DataHub metadata files (MCE/MCP JSON) into DataHub Lite."""
    from governance.collect.datahub.endpoints import Endpoint
    from governance.collect.datahub.lite import import_file

    require("datahub", "catalog import")
    target = Endpoint("lite", str(lite_path) if lite_path else None).lite_path()
    for file in files:
        report = import_file(target, file)
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(report.skipped.items()))
        click.echo(
            f"{file}: {report.written} records written"
            + (f"; skipped {skipped}" if skipped else "")
        )


@catalog.command("sync")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--to",
    "target",
    default="lite",
    show_default=True,
    metavar="SPEC",
    help="lite[:PATH], gms[:URL] or file:PATH.",
)
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None)
def sync(paths: tuple[Path, ...], target: str, config_file: Path | None) -> None:
    """Register the mesh's data products as catalog datasets (schema, owners, tags, properties)."""
    from governance.collect import CollectContext, collect_paths
    from governance.collect.datahub.endpoints import parse_endpoint
    from governance.collect.datahub.sync import sync_products

    require("datahub", "catalog sync")
    endpoint = parse_endpoint(target, allowed=("lite", "gms", "file"), option="--to")
    evidence = collect_paths(list(paths), CollectContext(config=load_config(config_file)))
    for error in evidence.errors:
        click.echo(f"error: {error.where}: {error.message}", err=True)
    if evidence.errors:
        sys.exit(2)
    report = sync_products(evidence.products, endpoint)
    click.echo(
        f"{len(evidence.products)} data products synced to {endpoint} ({report.written} records)"
    )
