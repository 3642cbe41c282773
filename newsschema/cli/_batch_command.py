"""The ``newsschema batch`` command's options; :mod:`._batch` runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import EXIT_CODES, app
from ._messages import errors_as_one_line, library_warnings
from ._options import (
    ANSWER_LIMITS,
    CHUNKING,
    EVENTS,
    LANGUAGE,
    MODEL_CALL,
    CallOptions,
    call_options,
)

__all__ = ["batch"]


def _check_inputs(values: list[str]) -> list[str]:
    for value in values:
        url = value.strip().lower().startswith(("http://", "https://"))
        if not url and not Path(value).exists():
            raise typer.BadParameter(f"{value} does not exist (nor is it an http(s) URL)")
    return values


@app.command(epilog=EXIT_CODES)
@call_options(*MODEL_CALL, *ANSWER_LIMITS, *CHUNKING, *LANGUAGE, *EVENTS)
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="JSON Lines files (one article per row), folders of .txt/.html files, text "
            "or .html files, files listing URLs (one a line), WARC files (.warc, .warc.gz), "
            "http(s) URLs.",
            callback=_check_inputs,
            metavar="INPUTS",
            show_default=False,
        ),
    ],
    *,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="JSON Lines to write (and resume).", show_default=False
        ),
    ],
    db: Annotated[Path | None, typer.Option(help="Also write a SQLite database.")] = None,
    concurrency: Annotated[int, typer.Option(help="Articles in flight at once.", min=1)] = 8,
    rpm: Annotated[float | None, typer.Option(help="Requests per minute, at most.")] = None,
    tpm: Annotated[float | None, typer.Option(help="Tokens per minute, at most.")] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Cache folder or file. Default: ~/.cache/newsschema.")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the cache.")] = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Run again the articles whose line in --output is a failure (else they "
            "are kept, reported, and the exit code stays 1).",
        ),
    ] = False,
    text_field: Annotated[
        str, typer.Option(help="JSON Lines field holding the article text.")
    ] = "text",
    id_field: Annotated[
        str,
        typer.Option(
            help="JSON Lines field holding the article id. Default id: <file stem>:<line>."
        ),
    ] = "id",
    published_field: Annotated[
        str, typer.Option(help="JSON Lines field holding the publication date.")
    ] = "published",
    provider_batch: Annotated[
        bool,
        typer.Option("--provider-batch", help="Use the OpenAI Batch API (half price, up to 24 h)."),
    ] = False,
    prices: Annotated[
        Path | None,
        typer.Option(
            help='Price table for the cost estimate: {"model": {"input": USD per 1M tokens, '
            '"output": ...}}.',
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    call: CallOptions,
) -> None:
    """Summarise many articles: concurrent, rate-limited, cached and resumable.

    One line per finished article is written to --output as it finishes; running
    the same command again skips the ids already there. A table at the end gives
    done, failed, cached, tokens, estimated cost and wall time, then every
    failure still in --output (this run's and earlier ones') with its article id
    and source; the exit code is 1 while any is left: --retry-failed redoes them.

    Ids: a JSON Lines row's --id-field (else <file stem>:<line>); a .txt or .html
    file in a folder, its path in the folder without the suffix; a file given, its
    stem; a URL (given, listed in a file, or a JSON Lines row's "url" with no
    text: its page is fetched), the URL; a WARC record, its WARC-Target-URI.

    \b
    Examples:
      newsschema batch articles.jsonl -o out.jsonl --db out.sqlite --concurrency 16 --rpm 500
      newsschema batch feed.jsonl -o out.jsonl --text-field body --published-field date
      newsschema batch feed.jsonl -o out.jsonl --retry-failed
      newsschema batch feed.jsonl -o out.jsonl --events mypkg.events:Protest
      newsschema batch urls.txt -o out.jsonl
      newsschema batch crawl.warc.gz -o out.jsonl
    """
    with errors_as_one_line(), library_warnings():
        from ._batch import run_batch_cli

        keywords = call.keywords()
        code = run_batch_cli(
            inputs,
            output=output,
            db=db,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            cache=False if no_cache else (cache if cache is not None else True),
            published_field=published_field,
            text_field=text_field,
            id_field=id_field,
            model=keywords.pop("model"),
            mode=keywords.pop("mode"),
            base_url=keywords.pop("base_url"),
            provider_batch=provider_batch,
            retry_failed=retry_failed,
            prices=prices,
            call=keywords,
        )
    if code:
        raise typer.Exit(code)
