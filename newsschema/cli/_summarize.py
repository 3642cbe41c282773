"""``newsschema summarize``: article files in, records out (tables, JSON, JSONL, CSV, ...)."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import _app
from ._app import EXIT_CODES, NO_ESCAPE_FORMULAS_HELP, app
from ._messages import debug, errors_as_one_line, library_warnings, report_error
from ._options import (
    ANSWER_LIMITS,
    CHUNKING,
    EVENTS,
    LANGUAGE,
    MODEL_CALL,
    CallOptions,
    call_options,
)
from ._tables import print_tables

if TYPE_CHECKING:
    from newsschema._io import ExportedArticle
    from newsschema._records import ArticleSummary

__all__ = ["Format", "note_unknown_anchor", "summarize"]


class Format(StrEnum):
    """Output formats of ``summarize``."""

    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    html = "html"


def _check_published(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2023-09-18") from None
    return value.strip()


def _is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def _check_files(values: list[str]) -> list[str]:
    for value in values:
        if value != "-" and not _is_url(value) and not Path(value).is_file():
            raise typer.BadParameter(f"{value} is not a file (nor an http(s) URL)")
    return values


def _article_id(value: str) -> str:
    """A file's id is its stem (stdin for -); a URL's, the URL."""
    from newsschema._io import file_article_id

    return value.strip() if _is_url(value) else file_article_id(Path(value))


def _read_article(value: str) -> str:
    """A file's text (UTF-8, or a saved web page in the encoding it declares), or a URL's page."""
    from newsschema._io import fetch_page, read_text

    if _is_url(value):
        return fetch_page(value).text
    data = sys.stdin.buffer.read() if value == "-" else Path(value).read_bytes()
    return read_text(data)


def _summaries(
    files: list[str], *, published: str | None, call: CallOptions
) -> tuple[list[ExportedArticle], int]:
    """Summarise each file or URL; failures print one line each and are counted."""
    from newsschema import _extraction
    from newsschema._errors import ConfigurationError, InputError
    from newsschema._io import ExportedArticle

    ids: dict[str, str] = {}
    for value in files:
        clash = ids.setdefault(_article_id(value), value)
        if clash != value:
            raise InputError(
                f"{clash} and {value} would both be article {_article_id(value)!r} (a file's "
                "id is its name without the suffix); rename one, or put them in a folder "
                "and use `newsschema batch FOLDER -o out.jsonl`"
            )
    done: list[ExportedArticle] = []
    failed = 0
    for value in files:
        name = "stdin" if value == "-" else value
        try:
            text = _read_article(value)
            summary = _extraction.summarize(text, published=published, **call.keywords())
        except ConfigurationError:
            raise  # the same for every file: stop at the first
        except Exception as exc:  # one line per failed article; the rest go on
            if debug():
                raise
            report_error(exc, name)
            failed += 1
            continue
        if summary.incomplete:
            _warn_incomplete(summary, name)
        url = value.strip() if _is_url(value) else None
        done.append(ExportedArticle(_article_id(value), text, summary, url))
    return done, failed


def _warn_incomplete(summary: ArticleSummary, name: str) -> None:
    """One stderr line: parts of a long article failed, so their events are missing."""
    from newsschema._io import terminal_line

    parts = "; ".join(
        f"characters {f.start}-{f.end}: {f.error}: {f.message}" for f in summary.failed_chunks
    )
    typer.echo(
        terminal_line(
            f"warning: {name}: incomplete: {len(summary.failed_chunks)} part(s) of the long "
            f"article failed and their events are missing ({parts})"
        ),
        err=True,
    )


def note_unknown_anchor(summaries: list[ArticleSummary], *, fix: str) -> None:
    """Say once, on stderr, that a publication date would resolve the relative times."""
    from ._batch import unknown_anchor_times

    times = [unknown_anchor_times(s) for s in summaries]
    if sum(times):
        articles = sum(1 for t in times if t)
        typer.echo(
            f"note: {sum(times)} relative time(s) in {articles} article(s) stayed unresolved: "
            f"the publication date is unknown; {fix}",
            err=True,
        )


def _render(
    articles: list[ExportedArticle], fmt: Format, *, many: bool, escape_formulas: bool = True
) -> str:
    """The articles in a format; JSON is one object for one input file, else an array."""
    import io

    if fmt is Format.json:
        if not many:
            return articles[0].summary.model_dump_json(indent=2) + "\n"
        return "[\n" + ",\n".join(a.summary.model_dump_json(indent=2) for a in articles) + "\n]\n"
    if fmt is Format.jsonl:
        from newsschema._io import jsonl_line

        return "".join(jsonl_line(a) + "\n" for a in articles)
    if fmt is Format.csv:
        from newsschema._io import write_csv_to

        buffer = io.StringIO(newline="")
        write_csv_to(articles, buffer, escape_formulas=escape_formulas)
        return buffer.getvalue()
    if fmt is Format.md:
        from newsschema._io import summary_markdown

        return "\n---\n\n".join(
            (f"## `{a.id}`\n\n" if many else "") + summary_markdown(a.summary) for a in articles
        )
    from newsschema._io import render_report

    return render_report(articles)


@app.command(epilog=EXIT_CODES)
@call_options(*MODEL_CALL, *ANSWER_LIMITS, *CHUNKING, *LANGUAGE, *EVENTS)
def summarize(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Article files (UTF-8 text or saved web pages, .html) or http(s) URLs of "
            "pages to fetch; - reads standard input.",
            metavar="FILES",
            callback=_check_files,
            show_default=False,
        ),
    ],
    *,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            "-p",
            metavar="DATE",
            help="Publication date (2023-09-18); relative times are read from it.",
            callback=_check_published,
        ),
    ] = None,
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: tables on a terminal, json when piped; with -o, "
            "the file's suffix.",
            case_sensitive=False,
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print JSON, even on a terminal (= --format json).")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    no_escape_formulas: Annotated[
        bool, typer.Option("--no-escape-formulas", help=NO_ESCAPE_FORMULAS_HELP)
    ] = False,
    call: CallOptions,
) -> None:
    """Summarise articles into typed event records (`newsschema schema` shows them).

    --events chooses the event types: registered names, or module:Class paths of
    your own Event subclasses; default the built-in types. The API key comes from
    OPENAI_API_KEY. Each file is one article, its id the
    file name without the suffix (stdin for -); a URL is fetched, its id the URL;
    an HTML page is read for its main text (pip install 'newsschema[html]').
    A failed article prints one error line and the others go on (exit code 1).

    \b
    Examples:
      newsschema summarize article.txt -p 2023-09-18 --model gpt-4.1-mini
      newsschema summarize a.txt b.txt --format jsonl -o out.jsonl
      newsschema summarize a.txt --events mypkg.events:Protest,meeting
      newsschema summarize https://www.voanews.com/a/8010842.html saved-page.html
      cat article.txt | newsschema summarize - --base-url http://localhost:11434/v1 \\
          --model llama3.1 --max-tokens 4000
    """
    if json_output and output_format not in (None, Format.json):
        raise typer.BadParameter(
            f"--json prints JSON; it cannot go with --format {output_format.value}: "
            "give one of the two",
            param_hint="--json / --format",
        )
    fmt = output_format
    if json_output:
        fmt = Format.json
    elif fmt is None and output is not None:
        fmt = {f".{f.value}": f for f in Format}.get(output.suffix.lower())
    if no_escape_formulas and fmt is not Format.csv:
        raise typer.BadParameter(
            "--no-escape-formulas applies to CSV only: add --format csv (or -o FILE.csv)",
            param_hint="--no-escape-formulas",
        )
    with errors_as_one_line(), library_warnings():
        articles, failed = _summaries(files, published=published, call=call)
        if articles:
            if fmt is None and output is None and _app.stdout_is_tty():
                print_tables(articles)
            else:
                text = _render(
                    articles,
                    fmt or Format.json,
                    many=len(files) > 1,
                    escape_formulas=not no_escape_formulas,
                )
                if output is None:
                    typer.echo(text, nl=False)
                else:
                    output.write_text(text, encoding="utf-8")
                    typer.echo(f"wrote {len(articles)} article(s) to {output}", err=True)
        if published is None:
            note_unknown_anchor(
                [a.summary for a in articles],
                fix="add --published YYYY-MM-DD to resolve them",
            )
        if failed:
            typer.echo(f"{failed} of {len(files)} article(s) failed", err=True)
            raise typer.Exit(1)
