"""``newsschema demo``: the bundled seed article, its recorded answer replayed (offline)."""

from __future__ import annotations

from typing import Annotated

import typer

from . import _app
from ._app import EXIT_CODES, app
from ._messages import errors_as_one_line
from ._tables import event_counts, print_tables

__all__ = ["demo"]

DEMO_MODEL = "newsschema-scripted-reference"
DEMO_PUBLISHED = "2023-09-18"


@app.command(epilog=EXIT_CODES)
def demo(
    json_only: Annotated[
        bool,
        typer.Option("--json", help="Print only the JSON result, even on a terminal; no banner."),
    ] = False,
) -> None:
    """Summarise the bundled seed article by replaying its recorded response (offline).

    On a terminal the result shows as tables, as `newsschema summarize` shows it;
    piped, or with --json, as JSON.

    \b
    Examples:
      newsschema demo
      newsschema demo --json > demo.json
    """
    with errors_as_one_line():
        _demo(json_only)


def _demo(json_only: bool) -> None:
    from newsschema._extraction import summarize
    from newsschema._io import ExportedArticle
    from newsschema._resources import read_resource, resource_path
    from newsschema.testing import replay_client

    article = read_resource("_demo/seed_article.txt")
    client = replay_client(resource_path("_demo/seed_reference.json"))
    if not json_only:
        typer.echo(
            "REPLAY: no model is called. The answer below is the recorded response in\n"
            "cassettes/seed_reference.json: the newsschema team's reference extraction of\n"
            "the seed article, served by the scripted test server. The request that\n"
            f"newsschema builds today must match the recorded one. Published: {DEMO_PUBLISHED}.\n",
            err=True,
        )
    summary = summarize(article, published=DEMO_PUBLISHED, client=client, model=DEMO_MODEL)
    if json_only or not _app.stdout_is_tty():
        typer.echo(summary.model_dump_json(indent=2))
    else:
        print_tables([ExportedArticle("seed", article, summary)])
    if not json_only:
        counts = event_counts(summary.event_lists())
        quotes = [e for event in summary.events for e in event.evidence]
        located = sum(e.start is not None for e in quotes)
        typer.echo(f"\n{counts}; {located} of {len(quotes)} evidence quotes located.", err=True)
        if _app.stdout_is_tty():
            typer.echo(
                "next: `newsschema demo --json` for the JSON; `newsschema summarize "
                "article.txt -p YYYY-MM-DD --model MODEL` for your own article.",
                err=True,
            )
