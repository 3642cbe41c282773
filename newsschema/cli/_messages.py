"""Errors and warnings as the CLI shows them: one safe line and a hint, unless ``--debug``."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer

from newsschema._io import cli_words, terminal_line

# Set by the global --debug option on every invocation.
_state = {"debug": False}


def debug() -> bool:
    """Whether ``--debug`` was given: tracebacks instead of one-line errors."""
    return _state["debug"]


def set_debug(value: bool) -> None:
    """Set by the global ``--debug`` option on every invocation."""
    _state["debug"] = value


def hint(exc: BaseException) -> str | None:
    """What to do about ``exc``, in the CLI's options; None when the message says it."""
    from newsschema._errors import (
        BudgetExceededError,
        ConfigurationError,
        FetchError,
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
        (
            isinstance(exc, FetchError),
            "check the URL in a browser; a page that cannot be fetched can be saved and "
            "given as an .html file",
        ),
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
        text = str(exc) if isinstance(exc, NewsschemaError) else describe(exc)
    return terminal_line(cli_words(text))


def report_error(exc: BaseException, where: str | None = None) -> None:
    place = f"{terminal_line(where)}: " if where else ""
    typer.echo(f"error: {place}{error_message(exc)}", err=True)
    advice = hint(exc)
    if advice:
        typer.echo(f"hint: {advice}", err=True)


def describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return f"{type(exc).__name__}: {exc}"


def fail(exc: BaseException, where: str | None = None) -> NoReturn:
    report_error(exc, where)
    raise typer.Exit(1)


@contextmanager
def errors_as_one_line() -> Iterator[None]:
    """Any failure becomes one line (and a hint) and exit code 1, unless --debug."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # every failure ends as one line, unless --debug
        if debug():
            raise
        fail(exc)


class StderrLines(logging.Handler):
    """The library's warnings (transport retries above all) as one safe stderr line each."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = terminal_line(cli_words(record.getMessage()))
            # sys.stderr looked up now: a live progress bar swaps it for its own proxy.
            print(f"{record.levelname.lower()}: {line}", file=sys.stderr, flush=True)
        except Exception:  # noqa: BLE001 - a log line must never break the run
            self.handleError(record)


def show_warning(
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
        if not issubclass(category, NewsschemaWarning) or debug():
            previous(message, category, filename, lineno, file, line)
            return
        text = terminal_line(cli_words(str(message)))
        # sys.stderr looked up now: a live progress bar swaps it for its own proxy.
        print(f"warning: {text}", file=sys.stderr, flush=True)

    return show


@contextmanager
def cli_warnings() -> Iterator[None]:
    """For one CLI invocation: NewsschemaWarning shown as one line, each once, never raised."""
    import warnings

    from newsschema._errors import NewsschemaWarning

    # catch_warnings restores the filters and showwarning afterwards (CliRunner, notebooks).
    with warnings.catch_warnings():
        # Shown, not raised or hidden by an outer filter: the run goes on either way.
        warnings.simplefilter("default", NewsschemaWarning)
        warnings.showwarning = show_warning(warnings.showwarning)
        yield


@contextmanager
def library_warnings() -> Iterator[None]:
    """While a command runs, print the ``newsschema`` loggers' warnings as they happen."""
    logger = logging.getLogger("newsschema")
    handler = StderrLines(logging.WARNING)
    logger.addHandler(handler)
    level = logger.level
    if level == logging.NOTSET or level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
