"""The typer app, its global options (``--debug``, ``--version``) and what commands share."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ._messages import cli_warnings, set_debug

__all__ = ["EXIT_CODES", "NO_ESCAPE_FORMULAS_HELP", "app", "stdout_is_tty"]

EXIT_CODES = (
    "Exit codes: 0 success; 1 an article failed or newsschema reported an error; "
    "2 usage error. Errors print one line and a hint; newsschema --debug COMMAND shows "
    "the traceback."
)
NO_ESCAPE_FORMULAS_HELP = (
    "Write CSV cells exactly as the records hold them. By default a cell starting with "
    "=, +, -, @, tab or CR gets a leading ' so a spreadsheet shows it as text, never runs it."
)

app = typer.Typer(
    name="newsschema",
    help=(
        "Turn news articles into typed, evidence-grounded event records.\n\n"
        "Example: newsschema summarize article.txt --published 2023-09-18 --model gpt-4.1-mini"
    ),
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals can hold an API key
    # Plain help: the rich help panels label every flag "<bool>" as if it took a value.
    rich_markup_mode=None,
)


def stdout_is_tty() -> bool:
    """Whether standard output is a terminal (tables) rather than a pipe or file (JSON)."""
    return sys.stdout.isatty()


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(version("newsschema"))
        raise typer.Exit(0)


@app.callback()
def _options(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Turn news articles into typed, evidence-grounded event records.

    Example: newsschema summarize article.txt --published 2023-09-18 --model gpt-4.1-mini
    """
    set_debug(debug)
    ctx.with_resource(cli_warnings())
