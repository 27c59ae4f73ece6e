"""The ``governance`` command line. Thin: parse options, call ``governance.run``, render, write.

Exit codes (DESIGN.md): 0 no blocking finding, 1 blocking findings, 2 the run could not be
completed faithfully. Every ``GovernanceError`` becomes one line on stderr and exit 2; a traceback
appears only with ``--debug``. Command modules are imported here only to register themselves;
each imports its heavy dependencies inside the command function.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from governance.cli import authoring, catalog, checking, history, scanning
from governance.cli.common import State, cli
from governance.errors import GovernanceError

__all__ = ["cli", "main"]

cli.add_command(checking.check)
cli.add_command(checking.inspect)
cli.add_command(checking.schema)
cli.add_command(checking.report)
cli.add_command(scanning.scan)
cli.add_command(history.history)
cli.add_command(catalog.catalog)
cli.add_command(authoring.test)
cli.add_command(authoring.lint)
cli.add_command(authoring.new)
cli.add_command(authoring.bundle)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: one line and exit 2 for every error the tool can name."""
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except GovernanceError as exc:
        if State.debug:
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    sys.exit(0)
