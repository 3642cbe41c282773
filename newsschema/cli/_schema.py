"""``newsschema schema``: the JSON schema sent to the model, or one event type's schema."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ._app import EXIT_CODES, app
from ._options import EventsOption, chosen_events

__all__ = ["schema"]


@app.command(epilog=EXIT_CODES)
def schema(
    record_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            metavar="NAME",
            help="Only this event type's schema: a registered name, such as one --events imports.",
            show_default=False,
        ),
    ] = None,
    events: EventsOption = None,
) -> None:
    """Print the JSON schema sent to the model (OpenAI strict structured-output form).

    With --events, the answer schema for just those types (names, or module:Class
    paths of your own Event subclasses, imported first); with --type NAME, that
    type's record schema alone.

    \b
    Examples:
      newsschema schema > schema.json
      newsschema schema --events meeting,visit
      newsschema schema --events mypkg.events:Protest --type protest
    """
    import json

    from newsschema._records import (
        article_draft,
        event_type,
        registered_types,
        strict_json_schema,
        type_named,
    )

    chosen = chosen_events(events)  # imports the module:Class paths, registering their types
    model: Any = article_draft() if chosen is None else article_draft(chosen)
    if record_type is not None:
        cls = type_named(record_type.strip()) or type_named(record_type.strip().lower())
        if cls is None:
            known = ", ".join(sorted(registered_types()))
            raise typer.BadParameter(
                f"unknown event type {record_type!r}; known types: {known} (a type of your "
                "own: add --events module:Class to import it)",
                param_hint="--type",
            )
        model = event_type(cls).draft
    typer.echo(json.dumps(strict_json_schema(model), indent=2))
