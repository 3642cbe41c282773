"""Options shared by commands: the model-call options and ``--events``, declared once.

``@call_options(...)`` adds the named options to a command, which receives them
as one :class:`CallOptions` (``call=``); ``--events`` is resolved to event types
there, before the command runs, so a bad type is a usage error (exit 2).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from newsschema._io import terminal_line

if TYPE_CHECKING:
    from newsschema._records import Event

__all__ = [
    "ANSWER_LIMITS",
    "CHUNKING",
    "EVENTS",
    "LANGUAGE",
    "MODEL_CALL",
    "CallOptions",
    "EventsOption",
    "call_options",
    "chosen_events",
]


def _check_mode(value: str | None) -> str | None:
    from newsschema._extraction import MODES

    if value is not None and value not in MODES:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(MODES)}")
    return value


# The library's defaults, as the help states them (tests hold them equal to the library's).
DEFAULT_MAX_INPUT_TOKENS = 100_000
DEFAULT_CHUNK_TOKENS = 12_000
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
    "chunk_tokens": Annotated[
        int | None,
        typer.Option(
            metavar="TOKENS",
            help=f"Articles estimated above this many tokens are split into chunks of at most "
            f"this size, extracted concurrently and merged; 0: never split. "
            f"Default: {DEFAULT_CHUNK_TOKENS}.",
            min=0,
        ),
    ],
    "language": Annotated[
        str | None,
        typer.Option(
            metavar="LANG",
            help="The articles' language, an ISO 639-1 code (de, fr, es, it, pt, ru, zh, ar, "
            "en). Default: detected for each article.",
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

# --------------------------------------------------------------------------------------
# --events: registered type names and module:Class paths, resolved to event types.

EVENTS_HELP = (
    "Event types to extract, comma-separated: registered names (meeting,visit) and/or "
    "module:Class paths of your own Event subclasses (mypkg.events:Protest; the module is "
    "imported, from the current folder too). Default: the built-in types."
)

#: The ``--events`` option, as a command parameter (repeatable, each a comma list).
EventsOption = Annotated[
    list[str] | None, typer.Option("--events", metavar="TYPES", help=EVENTS_HELP)
]


def _usage(message: str) -> typer.BadParameter:
    return typer.BadParameter(terminal_line(message), param_hint="--events")


def _import_type(path: str) -> type[Event]:
    """The Event subclass at ``module:Class``, its module imported (which registers it)."""
    from newsschema._records import Event

    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise _usage(f"{path!r} is not a module:Class path (like mypkg.events:Protest)")
    # As `python -m` does: a module in the current folder imports without PYTHONPATH.
    here = os.getcwd()
    if here not in sys.path and "" not in sys.path:
        sys.path.append(here)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise _usage(
            f"{path}: cannot import {module_name} ({exc}); check the name, or run from the "
            "folder holding it or add that folder to PYTHONPATH"
        ) from None
    except Exception as exc:  # noqa: BLE001 - any failure of the user's module is named
        raise _usage(
            f"{path}: importing {module_name} failed: {type(exc).__name__}: {exc}"
        ) from None
    found: Any = module
    for part in attribute.split("."):
        if not hasattr(found, part):
            raise _usage(f"{path}: module {module_name} has no {attribute}")
        found = getattr(found, part)
    if not (isinstance(found, type) and issubclass(found, Event)) or found is Event:
        raise _usage(
            f"{path} is not an event type (a subclass of newsschema.Event), it is "
            f"{type(found).__name__} {found!r}"
        )
    return found


def _known() -> str:
    from newsschema._records import registered_types

    return ", ".join(sorted(registered_types()))


def chosen_events(values: Sequence[str] | None) -> tuple[type[Event], ...] | None:
    """The event types ``--events`` names, in order; None when it was not given.

    Paths (``module:Class``) are imported first, so a name may refer to a type one
    of them defines (``--events mypkg.events:Protest,meeting``).

    Raises:
        typer.BadParameter: an unknown name (the message lists the known ones), a path
            that does not import or is not an Event subclass, or an unusable type.
    """
    if values is None:
        return None
    from newsschema._errors import ConfigurationError
    from newsschema._records import choose_types, event_type, type_named

    items = [item.strip() for value in values for item in value.split(",") if item.strip()]
    if not items:
        raise _usage(f"name at least one event type; known types: {_known()}")
    imported = {item: _import_type(item) for item in items if ":" in item}
    chosen: list[type[Event]] = []
    for item in items:
        cls = imported.get(item) or type_named(item) or type_named(item.lower())
        if cls is None:
            raise _usage(
                f"unknown event type {item!r}; known types: {_known()} (or give module:Class "
                "to import your own)"
            )
        chosen.append(cls)
    try:
        for cls in chosen:
            event_type(cls)
        return choose_types(chosen)
    except ConfigurationError as exc:
        raise _usage(str(exc)) from None


@dataclass(frozen=True)
class CallOptions:
    """The model-call options of one command, None meaning the library's default."""

    model: str | None = None
    mode: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    max_tokens: int | None = None
    max_input_tokens: int | None = None
    chunk_tokens: int | None = None
    temperature: float | None = None
    token_budget: int | None = None
    time_budget: float | None = None
    max_validation_attempts: int | None = None
    retries: int | None = None
    retry_time: float | None = None
    events: tuple[type[Event], ...] | None = None
    language: str | None = None

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
        if out.get("chunk_tokens") == 0:
            out["chunk_tokens"] = None  # --chunk-tokens 0: every article in one request
        retry = self.retry()
        if retry is not None:
            out["retry"] = retry
        return out


Command = TypeVar("Command", bound=Callable[..., Any])


def call_options(*names: str) -> Callable[[Command], Command]:
    """Add the named options to a command; it receives them as ``call=CallOptions``."""

    def decorate(command: Command) -> Command:
        options = {**_CALL_OPTIONS, "events": EventsOption}
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "call"]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation=options[name])
            for name in names
        ]  # fmt: skip

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names}
            if "events" in given:
                # Resolved here, before the command: a bad type is a usage error (exit 2).
                given["events"] = chosen_events(given["events"])
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
EVENTS = ("events",)
CHUNKING = ("chunk_tokens",)
LANGUAGE = ("language",)
