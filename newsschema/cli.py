"""The ``newsschema`` command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

app = typer.Typer(
    name="newsschema",
    help="Turn news articles into typed, evidence-grounded event records.",
    no_args_is_help=True,
    add_completion=False,
)

DEMO_MODEL = "newsschema-scripted-reference"
DEMO_PUBLISHED = "2023-09-18"


@app.command()
def demo(
    json_only: Annotated[
        bool, typer.Option("--json", help="Print only the JSON result, no banner.")
    ] = False,
) -> None:
    """Summarise the bundled seed article by replaying its recorded response (offline).

    Example: newsschema demo
    """
    import httpx2
    import openai

    from ._cassettes import deserialize, replay_transport
    from ._resources import read_resource
    from ._summarize import summarize

    article = read_resource("_demo/seed_article.txt")
    interactions = deserialize(read_resource("_demo/seed_reference.json"))["interactions"]
    client = openai.OpenAI(
        api_key="replay",
        base_url="http://replay.invalid/v1",
        http_client=httpx2.Client(transport=replay_transport(interactions, name="seed cassette")),
    )
    if not json_only:
        typer.echo(
            "REPLAY: no model is called. The answer below is the recorded response in\n"
            "cassettes/seed_reference.json: the newsschema team's reference extraction of\n"
            "the seed article, served by the scripted test server. The request that\n"
            f"newsschema builds today must match the recorded one. Published: {DEMO_PUBLISHED}.\n",
            err=True,
        )
    summary = summarize(article, published=DEMO_PUBLISHED, client=client, model=DEMO_MODEL)
    typer.echo(summary.model_dump_json(indent=2))
    if not json_only:
        counts = ", ".join(
            f"{len(getattr(summary, kind))} {kind}"
            for kind in ("meetings", "statements", "visits", "warrants")
        )
        quotes = [e for event in summary.events for e in event.evidence]
        located = sum(e.start is not None for e in quotes)
        typer.echo(f"\n{counts}; {located} of {len(quotes)} evidence quotes located.", err=True)


@app.command()
def schema() -> None:
    """Print the JSON schema sent to the model (OpenAI strict structured-output form).

    Example: newsschema schema > schema.json
    """
    import json

    from ._schemas import strict_json_schema

    typer.echo(json.dumps(strict_json_schema(), indent=2))


def main() -> None:
    """Entry point: errors print one line, not a traceback."""
    from ._errors import NewsschemaError

    try:
        app()
    except NewsschemaError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
