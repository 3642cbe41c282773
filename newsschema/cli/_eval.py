"""``newsschema eval``: a model scored against a hand-annotated gold set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from newsschema._io import terminal_line

from ._app import EXIT_CODES, app
from ._messages import error_message, errors_as_one_line, library_warnings
from ._options import ANSWER_LIMITS, EVENTS, MODEL_CALL, CallOptions, call_options

__all__ = ["eval_"]


@app.command(name="eval", epilog=EXIT_CODES)
@call_options(*MODEL_CALL, *ANSWER_LIMITS, *EVENTS)
def eval_(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of gold files (see benchmarks/gold/README.md), or one file.",
            exists=True,
            show_default=False,
        ),
    ],
    *,
    record: Annotated[
        Path | None,
        typer.Option(help="Call the model and record each article's HTTP into this folder."),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(help="Replay each article's HTTP from this folder (no model, no key)."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the full report as JSON here.")
    ] = None,
    call: CallOptions,
) -> None:
    """Score a model against a hand-annotated gold set: P/R/F1 per event type.

    Events are matched per type on their actors (normalised names), then time and
    place; field accuracy (time value, status, place) is measured on matched pairs,
    and the share of records whose quotes stand in the article. Articles that fail
    are listed with their id (the gold file's "id") and gold file, never hidden,
    and count as predicting nothing.

    \b
    Example:
      newsschema eval benchmarks/gold --model gpt-4.1-mini --json eval.json
      newsschema eval benchmarks/gold --model gpt-4.1-mini --events meeting,visit
    """
    if record is not None and replay is not None:
        raise typer.BadParameter("give --record DIR or --replay DIR, not both")
    keywords = call.keywords()
    with errors_as_one_line(), library_warnings():
        from rich.console import Console

        from newsschema._eval import render_table, run_eval

        report = run_eval(
            gold_dir,
            cassette_dir=record or replay,
            record=record is not None,
            progress=lambda article: typer.echo(f"  {terminal_line(article.id)}", err=True),
            **keywords,
        )
        if json_out is not None:
            json_out.write_text(report.model_dump_json(indent=2), encoding="utf-8")
        sources = _gold_sources(gold_dir, keywords.get("events"))
        errors = [
            e.model_copy(
                update={
                    "id": terminal_line(e.id),
                    "message": error_message(e.message)
                    + (f" (gold file {sources[e.id]})" if e.id in sources else ""),
                }
            )
            for e in report.errors
        ]
        shown = report.model_copy(update={"errors": errors})
        Console().print(render_table(shown))
        if json_out is not None:
            typer.echo(f"wrote {json_out}", err=True)
        if report.errors:
            raise typer.Exit(1)


def _gold_sources(gold: Path, events: Any) -> dict[str, str]:
    """Each gold article's id and the file it is in."""
    from newsschema._eval import load_gold

    if gold.is_file():
        return {a.id: str(gold) for a in load_gold(gold, events=events)}
    articles = load_gold(gold, events=events)
    files = sorted(p.name for p in gold.glob("*.json"))
    return {a.id: str(gold / f) for a, f in zip(articles, files, strict=True)}
