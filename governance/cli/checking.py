"""``check``, ``inspect``, ``schema`` and ``report``: the file-based commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from governance.cli.catalog import CATALOG_OPTION, parse_catalogs, publish_options, publish_target
from governance.cli.common import FORMATS, Evaluation, emit, evaluation_options
from governance.config import load_config
from governance.errors import UsageError
from governance.model.result import RunResult

_SAMPLES = click.option(
    "--samples",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of data samples, matched to products by file name (CSV, Parquet, JSON Lines).",
)


def _require(paths: tuple[Path, ...]) -> list[Path]:
    if not paths:
        raise UsageError("no input: give one or more paths (files or directories)")
    return list(paths)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@evaluation_options
@_SAMPLES
@CATALOG_OPTION
@publish_options
@click.option(
    "--checkov/--no-checkov",
    "checkov",
    default=None,
    help="Also run checkov's checks (default: checkov.enabled in governance.yaml).",
)
@click.option(
    "--terraform-dir",
    "terraform_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Terraform HCL directory for checkov (repeatable).",
)
@click.option(
    "--terraform-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Root module the plans were made from (checkov findings point at .tf lines).",
)
def check(
    paths: tuple[Path, ...],
    ev: Evaluation,
    samples: Path | None,
    catalogs: tuple[str, ...],
    publish: str | None,
    publish_to: str | None,
    checkov: bool | None,
    terraform_dirs: tuple[Path, ...],
    terraform_root: Path | None,
) -> None:
    """Evaluate the data products found under PATHS (manifests, contracts, plans, samples)."""
    from governance.run import check as run_check

    endpoints = parse_catalogs(catalogs)
    options = ev.check_options(
        _require(paths),
        samples=samples,
        catalog=endpoints,
        publish=publish_target(publish, publish_to, endpoints),
        checkov=checkov,
        terraform_dirs=list(terraform_dirs),
        terraform_root=terraform_root,
    )
    ev.finish(run_check(options))


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None)
@_SAMPLES
@CATALOG_OPTION
def inspect(
    paths: tuple[Path, ...],
    config_file: Path | None,
    samples: Path | None,
    catalogs: tuple[str, ...],
) -> None:
    """Print the normalised evidence bundles exactly as policies see them (JSON)."""
    from governance.run import gather

    evidence, linked = gather(
        _require(paths), load_config(config_file), samples, parse_catalogs(catalogs)
    )
    errors = [*evidence.errors, *linked.errors]
    for error in errors:
        click.echo(
            f"error: {error.where}: {error.message}" if error.where else error.message, err=True
        )
    if errors:
        sys.exit(2)
    click.echo(json.dumps([b.to_input() for b in linked.bundles], indent=2))


@click.command()
@click.argument("name")
def schema(name: str) -> None:
    """Print the JSON Schema of an input format (dataproduct, dataproduct-k8s, config, result)."""
    click.echo(json.dumps(_schema(name), indent=2))


def _schema(name: str) -> dict[str, Any]:
    from governance.collect.manifest import SCHEMAS
    from governance.model.config import GovernanceConfig

    known: dict[str, Any] = {
        "config": GovernanceConfig.model_json_schema,
        "result": RunResult.model_json_schema,
        **SCHEMAS,
    }
    if name not in known:
        raise UsageError(f"unknown schema '{name}' (choose from {', '.join(sorted(known))})")
    document: dict[str, Any] = known[name]()
    return document


@click.command()
@click.argument("result_file", type=click.Path(path_type=Path))
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS))
@click.option("--output-dir", type=click.Path(path_type=Path), default=None)
def report(result_file: Path, formats: tuple[str, ...], output_dir: Path | None) -> None:
    """Re-render a stored JSON result in other formats."""
    from governance.collect.files import read_text
    from governance.report.json_report import load_result

    result = load_result(read_text(result_file), str(result_file))
    emit(result, formats or ("console",), output_dir)
