"""``newsschema reprocess``: an output's stored answers through the installed version, no model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._data import READ_EVENTS
from ._messages import errors_as_one_line
from ._options import chosen_events

__all__ = ["reprocess"]

# Lines kept for these reasons need the user's action; the others are expected states.
_ACTION = frozenset({"no_text", "text_changed", "unknown_type", "incompatible", "unreadable"})
_SHOWN_PROBLEMS = 10

EXIT = (
    "Exit codes: 0 every line with a stored answer was reprocessed (lines of failed "
    "extractions and of outputs written before answers were stored are copied and counted); "
    "1 a line needs action (its text changed, its schema cannot be migrated, a type is not "
    "imported, no text) or newsschema reported an error; 2 usage error."
)


@app.command(epilog=EXIT)
def reprocess(
    source: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines written by `summarize --format jsonl`, `batch` or summarize_many.",
            show_default=False,
        ),
    ],
    *,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="JSON Lines file to write (may be SOURCE itself: replaced when complete). "
            "Without it, a dry run: only the report.",
        ),
    ] = None,
    articles: Annotated[
        list[Path] | None,
        typer.Option(
            "--articles",
            metavar="PATH",
            help="Folder or JSON Lines feed with the texts of lines that lack them, by id.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON instead of a table.")
    ] = False,
    events: READ_EVENTS = None,
) -> None:
    """Rebuild every summary from the model's stored answer, without calling the model.

    Grounding, time and duration resolution, actors, merging and the actor index
    run again as the installed version does them; no HTTP request is made.
    Prints what changed, field by field. Lines that cannot be rebuilt are copied
    unchanged and counted by reason.

    Example:

    newsschema reprocess out.jsonl -o new.jsonl
    """
    chosen_events(events)  # registers the user's types, so their records can be read
    with errors_as_one_line():
        from newsschema._dataset import reprocess as run
        from newsschema._io import terminal_line

        report = run(source, output, articles=articles)
        if as_json:
            typer.echo(report.model_dump_json(indent=2))
        else:
            typer.echo(report.table())
        for problem in report.problems[:_SHOWN_PROBLEMS]:
            where = f"line {problem.line}" + (f" ({problem.id})" if problem.id else "")
            typer.echo(
                terminal_line(f"kept {where}: {problem.reason}: {problem.message}"), err=True
            )
        if len(report.problems) > _SHOWN_PROBLEMS:
            typer.echo(
                f"... and {len(report.problems) - _SHOWN_PROBLEMS} more kept line(s); "
                "--json lists them all",
                err=True,
            )
        if output is not None:
            typer.echo(f"wrote {report.lines} line(s) to {output}", err=True)
        if any(p.reason in _ACTION for p in report.problems):
            raise typer.Exit(1)
