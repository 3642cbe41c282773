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
``newsschema --debug COMMAND ...`` shows the traceback instead. Transport retries
print one line each on standard error as they happen.

Article ids, the same in every command and output: a text file given by itself
is its stem (``articles/a.txt`` is ``a``; standard input is ``stdin``); a ``.txt``
file in a folder given is its path relative to that folder without the suffix
(``sub/b``); a JSON Lines row is its ``--id-field`` value (default ``id``), else
``<file stem>:<line>`` (``feed:3``); a gold article is its gold file's ``id``.

Text that came from an article, a model or a provider is shown on a terminal
without escape sequences or control characters (``newsschema._terminal``).
"""

from __future__ import annotations

import functools
import inspect
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from newsschema._io import cli_words, neutralise, terminal_line

if TYPE_CHECKING:
    from newsschema._io import ExportedArticle
    from newsschema._records import ArticleSummary

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
    # Plain help: the rich help panels label every flag "<bool>" as if it took a value.
    rich_markup_mode=None,
)

DEMO_MODEL = "newsschema-scripted-reference"
DEMO_PUBLISHED = "2023-09-18"
NO_ESCAPE_FORMULAS_HELP = (
    "Write CSV cells exactly as the records hold them. By default a cell starting with "
    "=, +, -, @, tab or CR gets a leading ' so a spreadsheet shows it as text, never runs it."
)


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
    return terminal_line(text)


def _hint(exc: BaseException) -> str | None:
    from newsschema._errors import (
        BudgetExceededError,
        ConfigurationError,
        InputError,
        InvalidAnswerError,
        OutputError,
        ProviderError,
        RateLimitError,
        RetriesExhaustedError,
        TruncatedOutputError,
    )

    status = getattr(exc, "status_code", None) if isinstance(exc, ProviderError) else None
    budget = getattr(exc, "budget", None)
    hints: list[tuple[bool, str | None]] = [
        (isinstance(exc, InputError), None),
        # The message names the file; what to do is the same for every cause.
        (
            isinstance(exc, OutputError),
            "choose another --output / --db, or free disk space; running the same command "
            "again resumes",
        ),
        (
            isinstance(exc, ConfigurationError),
            "see `newsschema summarize --help` for --model, --base-url and the environment",
        ),
        (status in (401, 403), "check OPENAI_API_KEY (or the key your --base-url server expects)"),
        (status == 404, "check the model name (--model) and --base-url"),
        (
            isinstance(exc, RateLimitError),
            "the server kept rate-limiting; lower --rpm/--concurrency (batch), raise "
            "--retry-time, or try again later",
        ),
        (
            isinstance(exc, RetriesExhaustedError),
            "the server kept failing; check --base-url, try again later, or raise --retries",
        ),
        (
            isinstance(exc, BudgetExceededError),
            f"raise {'--time-budget' if budget == 'time' else '--token-budget'}",
        ),
        (
            isinstance(exc, TruncatedOutputError),
            "the answer hit the output-token limit; raise --max-tokens or shorten the article",
        ),
        (
            isinstance(exc, InvalidAnswerError),
            "the model's answers never validated; try another model or --mode, or raise "
            "--max-validation-attempts",
        ),
    ]
    for applies, hint in hints:
        if applies:
            return hint
    return "rerun as `newsschema --debug ...` for the traceback"


def error_message(exc: BaseException | str) -> str:
    """An exception (or its message) as the CLI shows it: one safe line, in the CLI's words."""
    from newsschema._errors import NewsschemaError

    if isinstance(exc, str):
        text = exc
    else:
        text = str(exc) if isinstance(exc, NewsschemaError) else _describe(exc)
    return terminal_line(cli_words(text))


def _report_error(exc: BaseException, where: str | None = None) -> None:
    place = f"{terminal_line(where)}: " if where else ""
    typer.echo(f"error: {place}{error_message(exc)}", err=True)
    hint = _hint(exc)
    if hint:
        typer.echo(f"hint: {hint}", err=True)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return f"{type(exc).__name__}: {exc}"


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


class _StderrLines(logging.Handler):
    """The library's warnings (transport retries above all) as one safe stderr line each."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = terminal_line(cli_words(record.getMessage()))
            # sys.stderr looked up now: a live progress bar swaps it for its own proxy.
            print(f"{record.levelname.lower()}: {line}", file=sys.stderr, flush=True)
        except Exception:  # noqa: BLE001 - a log line must never break the run
            self.handleError(record)


def _show_warning(
    previous: Callable[..., None],
) -> Callable[..., None]:
    """A ``warnings.showwarning`` printing NewsschemaWarning as one safe ``warning:`` line."""
    from newsschema._errors import NewsschemaWarning

    def show(  # noqa: PLR0917 - the signature of warnings.showwarning
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        if not issubclass(category, NewsschemaWarning) or _debug():
            previous(message, category, filename, lineno, file, line)
            return
        text = terminal_line(cli_words(str(message)))
        # sys.stderr looked up now: a live progress bar swaps it for its own proxy.
        print(f"warning: {text}", file=sys.stderr, flush=True)

    return show


@contextmanager
def _cli_warnings() -> Iterator[None]:
    """For one CLI invocation: NewsschemaWarning shown as one line, each once, never raised."""
    import warnings

    from newsschema._errors import NewsschemaWarning

    # catch_warnings restores the filters and showwarning afterwards (CliRunner, notebooks).
    with warnings.catch_warnings():
        # Shown, not raised or hidden by an outer filter: the run goes on either way.
        warnings.simplefilter("default", NewsschemaWarning)
        warnings.showwarning = _show_warning(warnings.showwarning)
        yield


@contextmanager
def _library_warnings() -> Iterator[None]:
    """While a command runs, print the ``newsschema`` loggers' warnings as they happen."""
    logger = logging.getLogger("newsschema")
    handler = _StderrLines(logging.WARNING)
    logger.addHandler(handler)
    level = logger.level
    if level == logging.NOTSET or level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


# --------------------------------------------------------------------------------------
# Options of the commands that call a model: declared once here, added to each
# command by @_call_options, and handed to it as one CallOptions.


def _check_mode(value: str | None) -> str | None:
    from newsschema._extraction import MODES

    if value is not None and value not in MODES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(MODES)}")
    return value


# The library's defaults, as the help states them (tests hold them equal to the library's).
DEFAULT_MAX_INPUT_TOKENS = 100_000
DEFAULT_MAX_VALIDATION_ATTEMPTS = 3
DEFAULT_RETRIES = 5
DEFAULT_RETRY_TIME = 120.0

_CALL_OPTIONS: dict[str, Any] = {
    "model": Annotated[
        str | None, typer.Option(metavar="NAME", help="Model name. Default: $NEWSSCHEMA_MODEL.")
    ],
    "mode": Annotated[
        str | None,
        typer.Option(
            metavar="MODE",
            help="How structured output is requested: json_schema (default), tools, json, "
            "md_json. Default: $NEWSSCHEMA_MODE.",
            callback=_check_mode,
        ),
    ],
    "base_url": Annotated[
        str | None,
        typer.Option(
            metavar="URL", help="OpenAI-compatible server URL. Default: $OPENAI_BASE_URL or OpenAI."
        ),
    ],
    "api_key": Annotated[
        str | None,
        typer.Option(
            metavar="KEY",
            help="API key. Default: $OPENAI_API_KEY (better: a key typed here stays in the "
            "shell history).",
            show_default=False,
        ),
    ],
    "max_tokens": Annotated[
        int | None,
        typer.Option(
            metavar="TOKENS", help="Cap on output tokens per answer. Default: no cap.", min=1
        ),
    ],
    "max_input_tokens": Annotated[
        int | None,
        typer.Option(
            metavar="TOKENS",
            help=f"Articles estimated above this many tokens are refused before any call. "
            f"Default: {DEFAULT_MAX_INPUT_TOKENS}.",
            min=1,
        ),
    ],
    "temperature": Annotated[
        float | None, typer.Option(metavar="T", help="Sampling temperature. Default: 0.", min=0.0)
    ],
    "token_budget": Annotated[
        int | None,
        typer.Option(
            metavar="TOKENS",
            help="Tokens per article (all answers) after which no new answer is asked for. "
            "Default: no cap.",
            min=1,
        ),
    ],
    "time_budget": Annotated[
        float | None,
        typer.Option(
            metavar="SECONDS",
            help="Seconds per article, retries and re-asks included. Default: no cap.",
            min=0.001,
        ),
    ],
    "max_validation_attempts": Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help=f"Answers allowed per article until one validates (re-asks + 1). "
            f"Default: {DEFAULT_MAX_VALIDATION_ATTEMPTS}.",
            min=1,
        ),
    ],
    "retries": Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help=f"HTTP attempts per request on 429/5xx/connection errors, the first "
            f"included. Default: {DEFAULT_RETRIES}.",
            min=1,
        ),
    ],
    "retry_time": Annotated[
        float | None,
        typer.Option(
            metavar="SECONDS",
            help=f"Seconds after which no new attempt starts. Default: {DEFAULT_RETRY_TIME:g}.",
            min=0.0,
        ),
    ],
}


@dataclass(frozen=True)
class CallOptions:
    """The model-call options of one command, None meaning the library's default."""

    model: str | None = None
    mode: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    max_tokens: int | None = None
    max_input_tokens: int | None = None
    temperature: float | None = None
    token_budget: int | None = None
    time_budget: float | None = None
    max_validation_attempts: int | None = None
    retries: int | None = None
    retry_time: float | None = None

    def retry(self) -> Any:
        """A RetryPolicy when --retries or --retry-time was given, else None."""
        if self.retries is None and self.retry_time is None:
            return None
        from newsschema._extraction import RetryPolicy

        default = RetryPolicy()
        return RetryPolicy(
            max_attempts=default.max_attempts if self.retries is None else self.retries,
            max_time=default.max_time if self.retry_time is None else self.retry_time,
        )

    def keywords(self) -> dict[str, Any]:
        """The options given, as keyword arguments of ``summarize``/``summarize_many``."""
        names = ("model", "mode", "base_url")  # passed even when None: the library resolves
        out: dict[str, Any] = {name: getattr(self, name) for name in names}
        for f in fields(self):
            value = getattr(self, f.name)
            if (
                f.name not in names
                and f.name not in ("retries", "retry_time")
                and value is not None
            ):
                out[f.name] = value
        retry = self.retry()
        if retry is not None:
            out["retry"] = retry
        return out


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _call_options(*names: str) -> Callable[[_Command], _Command]:
    """Add the named model-call options to a command; it receives them as ``call=CallOptions``."""

    def decorate(command: _Command) -> _Command:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "call"]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation=_CALL_OPTIONS[name])
            for name in names
        ]  # fmt: skip

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names}
            return command(*args, call=CallOptions(**given), **kwargs)

        del wrapper.__wrapped__  # typer reads the signature below, not the command's
        parameters = own + added
        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper  # type: ignore[return-value]

    return decorate


MODEL_CALL = ("model", "mode", "base_url", "api_key")
ANSWER_LIMITS = (
    "max_tokens", "max_input_tokens", "temperature", "token_budget", "time_budget",
    "max_validation_attempts", "retries", "retry_time",
)  # fmt: skip


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(version("newsschema"))
        raise typer.Exit(0)


@app.callback()
def _options(
    ctx: typer.Context,
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
    ctx.with_resource(_cli_warnings())


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


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def _read_article(path: Path) -> str:
    data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        from newsschema._errors import InputError

        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _summaries(
    files: list[Path], *, published: str | None, call: CallOptions
) -> tuple[list[ExportedArticle], int]:
    """Summarise each file; failures print one line each and are counted."""
    from newsschema import _extraction
    from newsschema._errors import ConfigurationError, InputError
    from newsschema._io import ExportedArticle, file_article_id

    ids: dict[str, Path] = {}
    for path in files:
        clash = ids.setdefault(file_article_id(path), path)
        if clash != path:
            raise InputError(
                f"{clash} and {path} would both be article {file_article_id(path)!r} (a file's "
                "id is its name without the suffix); rename one, or put them in a folder "
                "and use `newsschema batch FOLDER -o out.jsonl`"
            )
    done: list[ExportedArticle] = []
    failed = 0
    for path in files:
        name = "stdin" if str(path) == "-" else str(path)
        try:
            text = _read_article(path)
            summary = _extraction.summarize(text, published=published, **call.keywords())
        except ConfigurationError:
            raise  # the same for every file: stop at the first
        except Exception as exc:  # one line per failed article; the rest go on
            if _debug():
                raise
            _report_error(exc, name)
            failed += 1
            continue
        done.append(ExportedArticle(file_article_id(path), text, summary))
    return done, failed


def _note_unknown_anchor(summaries: list[ArticleSummary], *, fix: str) -> None:
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


def _table(articles: list[ExportedArticle]) -> None:
    """Rich tables, one per event type, for a person at a terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from newsschema._io import summary_records

    def safe(text: object, style: str = "") -> Text:
        # Text, never markup: "[bold]" in a headline is the headline's.
        return Text(neutralise(str(text)), style=style)

    console = Console()
    for article in articles:
        s = article.summary
        console.print(safe(f"{article.id}: {s.headline or '(no headline)'}", "bold"))
        console.print(safe(s.summary))
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
                    safe(r.index),
                    safe(r.status),
                    safe(r.title),
                    safe(r.when or ""),
                    Text(f"{found}/{len(r.evidence)}", style="" if r.grounded else "bold red"),
                )
            console.print(table)
        dropped = getattr(s, "dropped", None) or []
        if dropped:
            console.print(Text(f"{len(dropped)} record(s) dropped", style="yellow"))


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
@_call_options(*MODEL_CALL, *ANSWER_LIMITS)
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
    """Summarise articles into meetings, statements, visits and warrants.

    The API key comes from OPENAI_API_KEY. Each file is one article, its id the
    file name without the suffix (stdin for -); a failed article prints one
    error line and the others go on (exit code 1).

    \b
    Examples:
      newsschema summarize article.txt -p 2023-09-18 --model gpt-4.1-mini
      newsschema summarize a.txt b.txt --format jsonl -o out.jsonl
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
    with _errors_as_one_line(), _library_warnings():
        articles, failed = _summaries(files, published=published, call=call)
        if articles:
            if fmt is None and output is None and _stdout_is_tty():
                _table(articles)
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
            _note_unknown_anchor(
                [a.summary for a in articles],
                fix="add --published YYYY-MM-DD to resolve them",
            )
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
    no_escape_formulas: Annotated[
        bool, typer.Option("--no-escape-formulas", help=NO_ESCAPE_FORMULAS_HELP)
    ] = False,
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
    if no_escape_formulas and csv_path is None:
        raise typer.BadParameter(
            "--no-escape-formulas applies to the CSV file: add --csv FILE",
            param_hint="--no-escape-formulas",
        )
    with _errors_as_one_line():
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
) -> None:
    """Write an HTML page to check each record against its article.

    One self-contained file (no network): the article text with every evidence
    quote highlighted by event type, each record with its fields, status, time
    and whether its quotes were found; filters by type and status.

    Example:

    newsschema report out.jsonl -o report.html
    """
    with _errors_as_one_line():
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


# --------------------------------------------------------------------------------------
# batch


@app.command(epilog=EXIT_CODES)
@_call_options(*MODEL_CALL, *ANSWER_LIMITS)
def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="JSON Lines files (one article per row), folders of .txt files, text files.",
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

    Ids: a JSON Lines row's --id-field (else <file stem>:<line>); a .txt file in a
    folder, its path in the folder without the suffix; a file given, its stem.

    \b
    Examples:
      newsschema batch articles.jsonl -o out.jsonl --db out.sqlite --concurrency 16 --rpm 500
      newsschema batch feed.jsonl -o out.jsonl --text-field body --published-field date
      newsschema batch feed.jsonl -o out.jsonl --retry-failed
    """
    with _errors_as_one_line(), _library_warnings():
        from ._batch import run_batch_cli

        keywords = call.keywords()
        code = run_batch_cli(
            [str(p) for p in inputs],
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


# --------------------------------------------------------------------------------------
# eval


@app.command(name="eval", epilog=EXIT_CODES)
@_call_options(*MODEL_CALL, *ANSWER_LIMITS)
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

    Events are matched per type on participants (normalised names), then time and
    place; field accuracy (time value, status, place) is measured on matched pairs,
    and the share of records whose quotes stand in the article. Articles that fail
    are listed with their id (the gold file's "id") and gold file, never hidden,
    and count as predicting nothing.

    \b
    Example:
      newsschema eval benchmarks/gold --model gpt-4.1-mini --json eval.json
    """
    if record is not None and replay is not None:
        raise typer.BadParameter("give --record DIR or --replay DIR, not both")
    with _errors_as_one_line(), _library_warnings():
        from rich.console import Console

        from newsschema._eval import render_table, run_eval

        report = run_eval(
            gold_dir,
            cassette_dir=record or replay,
            record=record is not None,
            progress=lambda article: typer.echo(f"  {terminal_line(article.id)}", err=True),
            **call.keywords(),
        )
        if json_out is not None:
            json_out.write_text(report.model_dump_json(indent=2), encoding="utf-8")
        sources = _gold_sources(gold_dir)
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


def _gold_sources(gold: Path) -> dict[str, str]:
    """Each gold article's id and the file it is in."""
    from newsschema._eval import load_gold

    if gold.is_file():
        return {a.id: str(gold) for a in load_gold(gold)}
    return {a.id: str(gold / f) for a, f in zip(load_gold(gold), sorted(
        p.name for p in gold.glob("*.json")), strict=True)}  # fmt: skip


# --------------------------------------------------------------------------------------
# demo, schema


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
    with _errors_as_one_line():
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
    if json_only or not _stdout_is_tty():
        typer.echo(summary.model_dump_json(indent=2))
    else:
        _table([ExportedArticle("seed", article, summary)])
    if not json_only:
        counts = ", ".join(
            f"{n} {kind if n != 1 else kind.removesuffix('s')}"
            for kind in ("meetings", "statements", "visits", "warrants")
            for n in [len(getattr(summary, kind))]
        )
        quotes = [e for event in summary.events for e in event.evidence]
        located = sum(e.start is not None for e in quotes)
        typer.echo(f"\n{counts}; {located} of {len(quotes)} evidence quotes located.", err=True)
        if _stdout_is_tty():
            typer.echo(
                "next: `newsschema demo --json` for the JSON; `newsschema summarize "
                "article.txt -p YYYY-MM-DD --model MODEL` for your own article.",
                err=True,
            )


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

    from newsschema._records import article_draft, event_type, strict_json_schema, type_named

    model: Any = article_draft()
    if record_type is not None:
        chosen = type_named(record_type.value)
        assert chosen is not None  # RecordType lists registered names
        model = event_type(chosen).draft
    typer.echo(json.dumps(strict_json_schema(model), indent=2))


def main() -> None:
    """Entry point of the ``newsschema`` script."""
    app()


if __name__ == "__main__":
    main()
