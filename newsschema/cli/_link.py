"""``newsschema link``: records of many articles grouped into events (SQLite and JSON Lines)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from ._app import EXIT_CODES, app
from ._data import READ_EVENTS
from ._messages import errors_as_one_line
from ._options import chosen_events

__all__ = ["link"]


@app.command(epilog=EXIT_CODES)
def link(
    source: Annotated[
        Path,
        typer.Argument(
            help="JSON Lines written by `summarize --format jsonl` or `batch`.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ],
    *,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="SQLite database to add the tables clusters, cluster_mentions and links "
            "to (the export's, or a new file); earlier cluster tables are replaced.",
        ),
    ] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help="JSON Lines file to write, one cluster a line.")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="HTML review page to write: each event of several articles with its "
            "sources side by side, then the articles.",
        ),
    ] = None,
    min_actors: Annotated[
        int, typer.Option(min=1, help="Matched actors that link two records by themselves.")
    ] = 2,
    events: READ_EVENTS = None,
) -> None:
    """Group records that report the same real-world event across articles.

    Same type, matching actors (normalised names, country codes), overlapping
    resolved times, compatible places and statuses; every link keeps the rule
    and keys that made it. Prints a summary on standard output.

    Example:

    newsschema link out.jsonl --db events.db --jsonl clusters.jsonl --report events.html
    """
    chosen_events(events)  # registers the user's types, so their records can be read
    with errors_as_one_line():
        from newsschema._dataset import (
            LinkRules,
            link_events,
            write_clusters_jsonl,
            write_clusters_sqlite,
        )

        clusters = link_events(source, rules=LinkRules(min_actors=min_actors))
        records = sum(len(c.mentions) for c in clusters)
        shared = [c for c in clusters if len(c.articles) > 1]
        typer.echo(
            f"{records} records, {len(clusters)} clusters; "
            f"{len(shared)} reported by more than one article"
        )
        by_type = Counter(c.type for c in clusters)
        for name, count in sorted(by_type.items()):
            linked = sum(len(c.mentions) - 1 for c in clusters if c.type == name)
            typer.echo(f"  {name}: {count} clusters, {linked} records linked")
        if db is not None:
            written = write_clusters_sqlite(clusters, db)
            typer.echo(f"wrote {written} cluster(s) to {db}", err=True)
        if jsonl is not None:
            written = write_clusters_jsonl(clusters, jsonl)
            typer.echo(f"wrote {written} cluster(s) to {jsonl}", err=True)
        if report is not None:
            from newsschema._io import read_articles, write_report

            write_report(read_articles(source), report, clusters=clusters)
            typer.echo(f"wrote {report} ({len(shared)} shared event(s))", err=True)
