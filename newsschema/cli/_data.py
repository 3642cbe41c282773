"""``newsschema export`` (JSON Lines to SQLite and CSV) and ``report`` (an HTML review page)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import EXIT_CODES, NO_ESCAPE_FORMULAS_HELP, app
from ._messages import errors_as_one_line
from ._options import chosen_events

# On reading, --events only imports: the file's records say which types they are.
READ_EVENTS = Annotated[
    list[str] | None,
    typer.Option(
        "--events",
        metavar="TYPES",
        help="module:Class paths of your own event types to import before reading "
        "(comma-separated); needed when the file holds records of such a type.",
    ),
]

__all__ = ["export", "report"]


@app.command(epilog=EXIT_CODES)
def export(
    source: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines written by `summarize --format jsonl`.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ],
    db: Annotated[
        Path | None,
        typer.Option("--db", help="SQLite database to write (created or updated)."),
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="CSV file to write, one row per record.")
    ] = None,
    no_escape_formulas: Annotated[
        bool, typer.Option("--no-escape-formulas", help=NO_ESCAPE_FORMULAS_HELP)
    ] = False,
    events: READ_EVENTS = None,
) -> None:
    """Export summaries to SQLite (for sqlite3 or Datasette) and/or CSV.

    SQLite tables: articles, one table per event type (named by its plural key,
    as in the JSON), actors and the links to them, evidence, dropped. Articles
    already in the database under the same id are replaced.

    Example:

    newsschema export out.jsonl --db news.db --csv news.csv
    """
    if db is None and csv_path is None:
        raise typer.BadParameter("give --db, --csv or both", param_hint="--db / --csv")
    if no_escape_formulas and csv_path is None:
        raise typer.BadParameter(
            "--no-escape-formulas applies to the CSV file: add --csv FILE",
            param_hint="--no-escape-formulas",
        )
    chosen_events(events)  # registers the user's types, so their records can be read
    with errors_as_one_line():
        from newsschema._io import export_sqlite, read_articles, write_csv

        articles = read_articles(source)
        if db is not None:
            count, records = export_sqlite(articles, db)
            typer.echo(f"wrote {count} article(s), {records} record(s) to {db}", err=True)
        if csv_path is not None:
            records = write_csv(articles, csv_path, escape_formulas=not no_escape_formulas)
            typer.echo(f"wrote {records} record(s) to {csv_path}", err=True)


@app.command(epilog=EXIT_CODES)
def report(
    source: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines written by `summarize --format jsonl`.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The HTML file to write.", show_default=False)
    ],
    title: Annotated[str, typer.Option(help="Page title.")] = "newsschema review",
    events: READ_EVENTS = None,
) -> None:
    """Write an HTML page to check each record against its article.

    One self-contained file (no network): the article text with every evidence
    quote highlighted by event type, each record with its fields, status, time
    and whether its quotes were found; filters by type and status.

    Example:

    newsschema report out.jsonl -o report.html
    """
    chosen_events(events)  # registers the user's types, so their records can be read
    with errors_as_one_line():
        from newsschema._io import read_articles, write_report

        articles = read_articles(source)
        write_report(articles, output, title=title)
        missing = sum(a.article is None for a in articles)
        if missing:
            typer.echo(
                f"note: {missing} article(s) have no stored text; their records are listed "
                "without highlights",
                err=True,
            )
        typer.echo(f"wrote {output} ({len(articles)} article(s))", err=True)
