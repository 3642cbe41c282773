"""The ``newsschema`` command.

Commands: ``summarize`` (articles to records), ``batch`` (many articles,
resumable), ``export`` (JSON Lines to SQLite
and CSV), ``report`` (JSON Lines to an HTML review page), ``eval`` (scores
against a gold set), ``schema`` (the JSON schema sent to the model) and ``demo``
(an offline replay of the seed article).

Exit codes:

- 0: success.
- 1: an article failed, or newsschema reported an error (setup, input, provider).
- 2: usage error: unknown option, missing file, bad option value.

An error prints one line, and a hint line when there is one, on standard error;
``newsschema --debug COMMAND ...`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from ._export import ExportedArticle

EXIT_CODES = (
    "Exit codes: 0 success; 1 an article failed or newsschema reported an error; "
    "2 usage error. Errors print one line and a hint; newsschema --debug COMMAND shows "
    "the traceback."
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
)

DEMO_MODEL = "newsschema-scripted-reference"
DEMO_PUBLISHED = "2023-09-18"


class Format(StrEnum):
    """Output formats of ``summarize``."""

    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    html = "html"


class RecordType(StrEnum):
    """Record types of ``schema --type``."""

    meeting = "meeting"
    statement = "statement"
    visit = "visit"
    warrant = "warrant"


# --------------------------------------------------------------------------------------
# Errors: one line and a hint, unless --debug.


# Set by the global --debug option on every invocation.
_state = {"debug": False}


def _debug() -> bool:
    return _state["debug"]


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _hint(exc: BaseException) -> str | None:
    from ._errors import (
        ConfigurationError,
        ExtractionError,
        InputError,
        ProviderError,
        RetriesExhaustedError,
        TruncatedOutputError,
    )

    status = getattr(exc, "status_code", None) if isinstance(exc, ProviderError) else None
    hints: list[tuple[bool, str | None]] = [
        (isinstance(exc, InputError), None),
        (
            isinstance(exc, ConfigurationError),
            "see `newsschema summarize --help` for --model, --base-url and the environment",
        ),
        (status in (401, 403), "check OPENAI_API_KEY (or the key your --base-url server expects)"),
        (status == 404, "check the model name (--model) and --base-url"),
        (
            isinstance(exc, RetriesExhaustedError),
            "the server kept failing or rate-limiting; try again later",
        ),
        (
            isinstance(exc, TruncatedOutputError),
            "the answer hit the output-token limit; shorten the article",
        ),
        (
            isinstance(exc, ExtractionError),
            "the model's answers never validated; try another model or --mode",
        ),
    ]
    for applies, hint in hints:
        if applies:
            return hint
    return "rerun as `newsschema --debug ...` for the traceback"


def _report_error(exc: BaseException, where: str | None = None) -> None:
    from ._errors import NewsschemaError

    message = _one_line(exc) if isinstance(exc, NewsschemaError) else _describe(exc)
    typer.echo(f"error: {where + ': ' if where else ''}{message}", err=True)
    hint = _hint(exc)
    if hint:
        typer.echo(f"hint: {hint}", err=True)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return _one_line(f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror)
    return _one_line(f"{type(exc).__name__}: {exc}")


def _fail(exc: BaseException, where: str | None = None) -> NoReturn:
    _report_error(exc, where)
    raise typer.Exit(1)


@contextmanager
def _errors_as_one_line() -> Iterator[None]:
    """Any failure becomes one line (and a hint) and exit code 1, unless --debug."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # every failure ends as one line, unless --debug
        if _debug():
            raise
        _fail(exc)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(version("newsschema"))
        raise typer.Exit(0)


@app.callback()
def _options(
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
    _state["debug"] = debug


# --------------------------------------------------------------------------------------
# summarize


def _check_published(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2023-09-18") from None
    return value.strip()


def _check_files(paths: list[Path]) -> list[Path]:
    for path in paths:
        if str(path) != "-" and not path.is_file():
            raise typer.BadParameter(f"{path} is not a file")
    return paths


def _check_mode(value: str | None) -> str | None:
    from ._calls import MODES

    if value is not None and value not in MODES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(MODES)}")
    return value


# Options shared by the commands that call a model.
ModelOption = Annotated[str | None, typer.Option(help="Model name. Default: $NEWSSCHEMA_MODEL.")]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(help="OpenAI-compatible server URL. Default: $OPENAI_BASE_URL or OpenAI."),
]
ModeOption = Annotated[
    str | None,
    typer.Option(
        help="How structured output is requested: json_schema (default), tools, json, "
        "md_json. Default: $NEWSSCHEMA_MODE.",
        callback=_check_mode,
    ),
]


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def _read_article(path: Path) -> str:
    data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        from ._errors import InputError

        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _summaries(
    files: list[Path], *, published: str | None, model: str | None, mode: str | None,
    base_url: str | None,
) -> tuple[list[ExportedArticle], int]:  # fmt: skip
    """Summarise each file; failures print one line each and are counted."""
    from . import _summarize
    from ._errors import ConfigurationError
    from ._export import ExportedArticle

    done: list[ExportedArticle] = []
    failed = 0
    for path in files:
        name = "stdin" if str(path) == "-" else str(path)
        try:
            text = _read_article(path)
            summary = _summarize.summarize(
                text, published=published, model=model, mode=mode, base_url=base_url
            )
        except ConfigurationError:
            raise  # the same for every file: stop at the first
        except Exception as exc:  # one line per failed article; the rest go on
            if _debug():
                raise
            _report_error(exc, name)
            failed += 1
            continue
        done.append(ExportedArticle(name, text, summary))
    return done, failed


def _table(articles: list[ExportedArticle]) -> None:
    """Rich tables, one per event type, for a person at a terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ._report import summary_records

    console = Console()
    for article in articles:
        s = article.summary
        # Text(...) everywhere: model output must not be read as rich markup.
        console.print(Text(f"{article.id}: {s.headline or '(no headline)'}", style="bold"))
        console.print(Text(s.summary))
        records = summary_records(s)
        for kind in ("meeting", "statement", "visit", "warrant"):
            rows = [r for r in records if r.type == kind]
            if not rows:
                continue
            table = Table(title=Text(f"{kind}s ({len(rows)})"), title_justify="left")
            for column in ("#", "status", "record", "when", "evidence"):
                table.add_column(column)
            for r in rows:
                found = sum(e.found for e in r.evidence)
                table.add_row(
                    Text(str(r.index)),
                    Text(r.status),
                    Text(r.title),
                    Text(r.when or ""),
                    Text(f"{found}/{len(r.evidence)}", style="" if r.grounded else "bold red"),
                )
            console.print(table)
        dropped = getattr(s, "dropped", None) or []
        if dropped:
            console.print(Text(f"{len(dropped)} record(s) dropped", style="yellow"))


def _render(articles: list[ExportedArticle], fmt: Format, *, many: bool) -> str:
    """The articles in a format; JSON is one object for one input file, else an array."""
    import io

    if fmt is Format.json:
        if not many:
            return articles[0].summary.model_dump_json(indent=2) + "\n"
        return "[\n" + ",\n".join(a.summary.model_dump_json(indent=2) for a in articles) + "\n]\n"
    if fmt is Format.jsonl:
        from ._export import jsonl_line

        return "".join(jsonl_line(a) + "\n" for a in articles)
    if fmt is Format.csv:
        from ._export import write_csv_to

        buffer = io.StringIO(newline="")
        write_csv_to(articles, buffer)
        return buffer.getvalue()
    if fmt is Format.md:
        from ._report import summary_markdown

        return "\n---\n\n".join(
            (f"## `{a.id}`\n\n" if many else "") + summary_markdown(a.summary) for a in articles
        )
    from ._report import render_report

    return render_report(articles)


@app.command(epilog=EXIT_CODES)
def summarize(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Article text files (UTF-8); - reads standard input.",
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
            help="Publication date (2023-09-18); relative times are read from it.",
            callback=_check_published,
        ),
    ] = None,
    model: ModelOption = None,
    mode: ModeOption = None,
    base_url: BaseUrlOption = None,
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
) -> None:
    """Summarise articles into meetings, statements, visits and warrants.

    The API key comes from OPENAI_API_KEY. Each file is one article; a failed
    article prints one error line and the others go on (exit code 1).

    Examples:

    newsschema summarize article.txt -p 2023-09-18 --model gpt-4.1-mini

    newsschema summarize a.txt b.txt --format jsonl -o out.jsonl

    cat article.txt | newsschema summarize - --base-url http://localhost:11434/v1 --model llama3.1
    """
    with _errors_as_one_line():
        fmt = output_format
        if json_output:
            fmt = Format.json
        elif fmt is None and output is not None:
            fmt = {f".{f.value}": f for f in Format}.get(output.suffix.lower())
        articles, failed = _summaries(
            files, published=published, model=model, mode=mode, base_url=base_url
        )
        if articles:
            if fmt is None and output is None and _stdout_is_tty():
                _table(articles)
            else:
                text = _render(articles, fmt or Format.json, many=len(files) > 1)
                if output is None:
                    typer.echo(text, nl=False)
                else:
                    output.write_text(text, encoding="utf-8")
                    typer.echo(f"wrote {len(articles)} article(s) to {output}", err=True)
        if failed:
            typer.echo(f"{failed} of {len(files)} article(s) failed", err=True)
            raise typer.Exit(1)


# --------------------------------------------------------------------------------------
# export, report


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
) -> None:
    """Export summaries to SQLite (for sqlite3 or Datasette) and/or CSV.

    SQLite tables: articles, meetings, statements, visits, warrants, actors,
    meeting_participants, evidence, dropped. Articles already in the database
    under the same id are replaced.

    Example:

    newsschema export out.jsonl --db news.db --csv news.csv
    """
    if db is None and csv_path is None:
        raise typer.BadParameter("give --db, --csv or both", param_hint="--db / --csv")
    with _errors_as_one_line():
        from ._export import export_sqlite, read_articles, write_csv

        articles = read_articles(source)
        if db is not None:
            count, records = export_sqlite(articles, db)
            typer.echo(f"wrote {count} article(s), {records} record(s) to {db}", err=True)
        if csv_path is not None:
            records = write_csv(articles, csv_path)
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
) -> None:
    """Write an HTML page to check each record against its article.

    One self-contained file (no network): the article text with every evidence
    quote highlighted by event type, each record with its fields, status, time
    and whether its quotes were found; filters by type and status.

    Example:

    newsschema report out.jsonl -o report.html
    """
    with _errors_as_one_line():
        from ._export import read_articles
        from ._report import write_report

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


# --------------------------------------------------------------------------------------
# batch


@app.command(epilog=EXIT_CODES)
def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="JSON Lines files (one article per row) and/or folders of .txt files.",
            exists=True,
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
    published_field: Annotated[
        str, typer.Option(help="JSON Lines field holding the publication date.")
    ] = "published",
    model: ModelOption = None,
    mode: ModeOption = None,
    base_url: BaseUrlOption = None,
    provider_batch: Annotated[
        bool,
        typer.Option("--provider-batch", help="Use the OpenAI Batch API (half price, up to 24 h)."),
    ] = False,
) -> None:
    """Summarise many articles: concurrent, rate-limited, cached and resumable.

    One line per finished article is written to --output as it finishes; running
    the same command again skips the ids already there. A table at the end gives
    done, failed (with reasons), cached, tokens, estimated cost and wall time.

    Example:

    newsschema batch articles.jsonl -o out.jsonl --db out.sqlite --concurrency 16 --rpm 500
    """
    with _errors_as_one_line():
        from ._batch_cli import run_batch_cli

        code = run_batch_cli(
            [str(p) for p in inputs],
            output=output,
            db=db,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            cache=False if no_cache else (cache if cache is not None else True),
            published_field=published_field,
            model=model,
            mode=mode,
            base_url=base_url,
            provider_batch=provider_batch,
        )
    if code:
        raise typer.Exit(code)


# --------------------------------------------------------------------------------------
# eval


@app.command(name="eval", epilog=EXIT_CODES)
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
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    mode: ModeOption = None,
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
    max_tokens: Annotated[
        int | None, typer.Option(help="Cap on output tokens per answer.", min=1)
    ] = None,
) -> None:
    """Score a model against a hand-annotated gold set: P/R/F1 per event type.

    Events are matched per type on participants (normalised names), then time and
    place; field accuracy (time value, status, place) is measured on matched pairs,
    and the share of records whose quotes stand in the article. Articles that fail
    are listed, never hidden, and count as predicting nothing.

    Example:

    newsschema eval benchmarks/gold --model gpt-4.1-mini --json eval.json
    """
    if record is not None and replay is not None:
        raise typer.BadParameter("give --record DIR or --replay DIR, not both")
    with _errors_as_one_line():
        from rich.console import Console

        from ._eval import render_table, run_eval

        report = run_eval(
            gold_dir,
            model=model,
            base_url=base_url,
            mode=mode,
            cassette_dir=record or replay,
            record=record is not None,
            progress=lambda article: typer.echo(f"  {article.id}", err=True),
            max_tokens=max_tokens,
        )
        Console().print(render_table(report))
        if json_out is not None:
            json_out.write_text(report.model_dump_json(indent=2), encoding="utf-8")
            typer.echo(f"wrote {json_out}", err=True)
        if report.errors:
            raise typer.Exit(1)


# --------------------------------------------------------------------------------------
# demo, schema


@app.command(epilog=EXIT_CODES)
def demo(
    json_only: Annotated[
        bool, typer.Option("--json", help="Print only the JSON result, no banner.")
    ] = False,
) -> None:
    """Summarise the bundled seed article by replaying its recorded response (offline).

    Example: newsschema demo
    """
    with _errors_as_one_line():
        _demo(json_only)


def _demo(json_only: bool) -> None:
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
            f"{n} {kind if n != 1 else kind.removesuffix('s')}"
            for kind in ("meetings", "statements", "visits", "warrants")
            for n in [len(getattr(summary, kind))]
        )
        quotes = [e for event in summary.events for e in event.evidence]
        located = sum(e.start is not None for e in quotes)
        typer.echo(f"\n{counts}; {located} of {len(quotes)} evidence quotes located.", err=True)


@app.command(epilog=EXIT_CODES)
def schema(
    record_type: Annotated[
        RecordType | None,
        typer.Option("--type", "-t", help="Only this record type's schema.", case_sensitive=False),
    ] = None,
) -> None:
    """Print the JSON schema sent to the model (OpenAI strict structured-output form).

    Examples:

    newsschema schema > schema.json

    newsschema schema --type warrant
    """
    import json

    from . import _schemas

    model: Any = _schemas.ArticleDraft
    if record_type is not None:
        model = getattr(_schemas, f"{record_type.value.capitalize()}Draft")
    typer.echo(json.dumps(_schemas.strict_json_schema(model), indent=2))


def main() -> None:
    """Entry point of the ``newsschema`` script."""
    app()
