"""One model call over the openai SDK, shaped and read by instructor, with transport retries.

instructor's mode handlers build the request for the chosen mode (``response_format``,
tools, or the schema in the prompt) and parse the answer into an ``ArticleDraft``;
the SDK sends it. Retries (transport) and re-asks (validation) are ours, so
instructor's own retry loop is not used: it would re-wrap the model and regenerate
its JSON schema on every call, which costs more CPU than the call itself.

Everything here imports openai/instructor lazily: ``import newsschema`` stays light.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NoReturn, get_args

from newsschema._errors import (
    ConfigurationError,
    MalformedResponseError,
    NewsschemaError,
    RefusalError,
    TruncatedOutputError,
)
from newsschema._records import BUILTIN_TYPES, EventTypes, Part, article_draft, draft_schema
from newsschema._usage import Usage

from ._retry import (
    DEADLINE_STOP,
    RetryPolicy,
    exhausted_error,
    is_transient,
    provider_error,
    tenacity_kwargs,
)
from ._transport import AttemptLimits, attempt_limits, guard_client, redact, secrets_of

if TYPE_CHECKING:
    import openai

__all__ = ["Mode"]

Mode = Literal["json_schema", "tools", "json", "md_json"]
"""How structured output is requested from the server.

- ``json_schema`` (default): ``response_format`` of type ``json_schema`` with
  ``strict: true`` — OpenAI structured outputs; also llama.cpp's ``llama-server``,
  vLLM and recent Ollama.
- ``tools``: a forced function call carrying the schema.
- ``json``: ``response_format`` ``json_object`` with the schema in the system
  prompt — for servers without ``json_schema`` (llama-cpp-python's server).
- ``md_json``: no ``response_format`` at all; the JSON is read from the reply text.
"""

MODES: tuple[str, ...] = get_args(Mode)


@dataclass(frozen=True)
class CallOutcome:
    """One model answer: a validated draft, or the validation errors to send back."""

    draft: Part | None  # an instance of article_draft(types)
    usage: Usage
    raw_output: str | None
    errors: tuple[str, ...] = ()


@dataclass
class CallSettings:
    """Everything a call needs besides the messages."""

    client: Any  # openai.OpenAI or openai.AsyncOpenAI
    model: str
    mode: Mode
    article: str
    retry: RetryPolicy
    max_tokens: int | None = None
    temperature: float | None = None
    deadline: float | None = None  # time.monotonic() by which the article must be done
    types: EventTypes = BUILTIN_TYPES  # the event types asked for

    @property
    def url(self) -> str:
        """Where requests go, for messages (``base_url`` without credentials)."""
        return str(getattr(self.client, "base_url", "") or "").rstrip("/")

    @property
    def secrets(self) -> tuple[str, ...]:
        return secrets_of(getattr(self.client, "api_key", None))

    def limits(self) -> AttemptLimits:
        """The bounds of one HTTP attempt starting now."""
        deadline = time.monotonic() + self.retry.timeout
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        return AttemptLimits(
            deadline=deadline,
            article_deadline=self.deadline,
            max_wait=self.retry.max_wait,
            max_bytes=self.retry.max_response_bytes,
            secrets=self.secrets,
        )

    def request(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        """The keyword arguments of ``chat.completions.create`` for these messages."""
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages}
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        if self.mode == "json_schema":
            # instructor's JSON_SCHEMA mode leaves out `strict`; send the strict form
            # of the same schema (compacted, see strict_json_schema).
            # It travels in extra_body, which the SDK merges into the body as it is:
            # a typed parameter would be walked key by key on every request.
            kwargs["extra_body"] = {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                        "name": "ArticleDraft",
                        "schema": draft_schema(self.types),
                        "strict": True,
                    },
                }
            }
        else:
            handlers, response_model = _protocol(self.mode, self.types)
            _, kwargs = handlers.request_handler(response_model=response_model, kwargs=kwargs)
            # The tool or prompt schema may be shared with instructor's caches.
            kwargs = copy.deepcopy(kwargs)
        timeout = self.retry.timeout
        if self.deadline is not None:
            timeout = max(0.001, min(timeout, self.deadline - time.monotonic()))
        kwargs["timeout"] = timeout
        return kwargs


def resolve_mode(mode: str | None) -> Mode:
    value = mode or os.environ.get("NEWSSCHEMA_MODE") or "json_schema"
    if value not in MODES:
        raise ConfigurationError(
            f"unknown mode {value!r} (from {'mode=' if mode else 'NEWSSCHEMA_MODE'}); "
            f"choose one of {', '.join(MODES)}"
        )
    return value  # type: ignore[return-value]


def resolve_model(model: str | None) -> str:
    value = model or os.environ.get("NEWSSCHEMA_MODEL")
    if not value:
        raise ConfigurationError(
            "no model given: pass model='...' or set NEWSSCHEMA_MODEL (e.g. gpt-4.1-mini)"
        )
    return value


def resolve_client(
    client: Any,
    *,
    api_key: str | None,
    base_url: str | None,
    asynchronous: bool,
    retry: RetryPolicy,
) -> Any:
    """The openai client to use, with the SDK's own retries off (ours replace them)."""
    import openai

    expected = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    if client is not None:
        if not isinstance(client, expected):
            raise ConfigurationError(
                f"client must be an {expected.__name__} for "
                f"{'asummarize' if asynchronous else 'summarize'}; got {type(client).__name__}"
            )
        raw = client.with_options(max_retries=0)
        guard_client(raw, asynchronous=asynchronous)
        return raw
    key = api_key or os.environ.get("OPENAI_API_KEY")
    url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if not key:
        if url is None:
            raise ConfigurationError(
                "no API key: set OPENAI_API_KEY, pass api_key=..., or pass client=... "
                "(for a local server, set OPENAI_BASE_URL or base_url=...)"
            )
        key = "unused"  # local OpenAI-compatible servers accept any key
    raw = expected(api_key=key, base_url=url, max_retries=0, timeout=retry.timeout)
    guard_client(raw, asynchronous=asynchronous)
    return raw


@functools.cache
def _protocol(mode: Mode, types: EventTypes) -> tuple[Any, type[Part]]:
    """instructor's handlers for ``mode`` and the response model they take, built once.

    The model is instructor's wrapper of the answer's model with its JSON schema
    computed once: pydantic regenerates a schema on every ``model_json_schema``
    call, and the handlers ask for it on every request.
    """
    import instructor
    from instructor.v2 import Provider, mode_registry

    modes = {
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "tools": instructor.Mode.TOOLS,
        "json": instructor.Mode.JSON,
        "md_json": instructor.Mode.MD_JSON,
    }
    wrapped: type[Part] = instructor.response_schema(article_draft(types))
    generate = wrapped.model_json_schema
    schemas: dict[tuple[Any, ...], dict[str, Any]] = {}

    def model_json_schema(cls: type[Part], *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in schemas:
            schemas[key] = generate(*args, **kwargs)
        return copy.deepcopy(schemas[key])  # callers may edit what they get

    wrapped.model_json_schema = classmethod(model_json_schema)  # type: ignore[method-assign,assignment]
    return mode_registry.get_handlers(Provider.OPENAI, modes[mode]), wrapped


# --------------------------------------------------------------------------------------
# Reading one answer.


def _raw_output(completion: Any) -> str | None:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        return None
    message = choices[0].message
    if message.content is not None:
        return str(message.content)
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return str(calls[0].function.arguments)
    return None


def _refusal(completion: Any) -> str | None:
    choices = getattr(completion, "choices", None) or []
    refusal = getattr(choices[0].message, "refusal", None) if choices else None
    return str(refusal) if refusal else None


def _error_lines(exc: BaseException) -> tuple[str, ...]:
    import pydantic

    if isinstance(exc, pydantic.ValidationError):
        lines = []
        for error in exc.errors(include_url=False):
            where = ".".join(str(part) for part in error["loc"]) or "answer"
            lines.append(f"{where}: {error['msg']}")
        return tuple(lines)
    if isinstance(exc, json.JSONDecodeError):
        return (f"the answer is not valid JSON: {exc.msg} at position {exc.pos}",)
    return (f"the answer could not be read: {exc}",)


def read_answer(completion: Any, mode: Mode, types: EventTypes = BUILTIN_TYPES) -> CallOutcome:
    """The draft in one answer, or the validation errors to re-ask with.

    Raises:
        TruncatedOutputError: the answer stopped at the output-token limit.
        RefusalError: the model refused.
        MalformedResponseError: the body is not a chat completion at all.
    """
    import pydantic
    from instructor.core.exceptions import (
        AsyncValidationError,
        IncompleteOutputException,
        ResponseParsingError,
    )
    from openai.types.chat import ChatCompletion

    if not isinstance(completion, ChatCompletion):
        # The SDK hands back the raw text when the body is not JSON (an HTML error
        # page from a proxy, say): there is nothing to re-ask about.
        raise MalformedResponseError(
            f"the provider's answer is not a chat completion: {str(completion)[:200]!r}"
        )
    usage = Usage.from_openai(completion.usage)
    if not completion.choices:
        return CallOutcome(None, usage, None, ("the answer has no choices",))
    refusal = _refusal(completion)
    if refusal is not None:
        raise RefusalError(f"the model refused: {refusal}", refusal=refusal, usage=usage)
    handlers, response_model = _protocol(mode, types)
    try:
        draft = handlers.response_parser(
            response=completion, response_model=response_model, validation_context=None,
            strict=True, stream=False, is_async=False,
        )  # fmt: skip
    except IncompleteOutputException as exc:
        raise TruncatedOutputError(
            "the model stopped at its output-token limit before finishing the answer "
            "(finish_reason=length): raise max_tokens or shorten the article",
            usage=usage,
        ) from exc
    except (
        pydantic.ValidationError,
        json.JSONDecodeError,
        ResponseParsingError,  # e.g. no tool call in tools mode
        AsyncValidationError,
    ) as exc:
        # What instructor itself would re-ask about: the answer, not the exchange.
        return CallOutcome(None, usage, _raw_output(completion), _error_lines(exc))
    return CallOutcome(draft, usage, _raw_output(completion))


def read_stored_answer(body: dict[str, Any], settings: CallSettings) -> CallOutcome:
    """A chat completion obtained without a request (a Batch API line), read as an answer.

    Raises:
        MalformedResponseError: ``body`` is not a chat completion.
        TruncatedOutputError, RefusalError: as for any answer.
    """
    import pydantic
    from openai.types.chat import ChatCompletion

    try:
        completion = ChatCompletion.model_validate(body)
    except pydantic.ValidationError as exc:
        raise MalformedResponseError(
            f"the stored answer is not a chat completion ({exc.error_count()} problem(s), "
            f"first: {exc.errors(include_url=False)[0]['msg']})"
        ) from None
    return read_answer(completion, settings.mode, settings.types)


def raise_final(
    exc: BaseException,
    attempts: int,
    *,
    url: str = "",
    secrets: tuple[str, ...] = (),
    retrying: Any = None,
) -> NoReturn:
    """Raise what :func:`_map_final` makes of ``exc``, chained to it unless it is ``exc``."""
    final = _map_final(exc, attempts, url)
    if retrying is not None and retrying.statistics.get(DEADLINE_STOP):
        # Read by the article's flow: its time budget, not the policy, ended the retries.
        final.stopped_by_deadline = True  # type: ignore[attr-defined]
    if secrets and final.args and isinstance(final.args[0], str):
        # A proxy may echo the key where we did not scrub (a test double's message).
        final.args = (redact(final.args[0], secrets), *final.args[1:])
    if final is exc:
        raise exc  # chaining an error to itself would make its cause chain a loop
    raise final from exc


def _map_final(exc: BaseException, attempts: int, url: str) -> BaseException:
    """The exception to raise once transport retries are over."""
    import openai

    if isinstance(exc, NewsschemaError):
        return exc
    if is_transient(exc):
        return exhausted_error(exc, attempts, url=url)
    if isinstance(exc, openai.APIStatusError):
        return provider_error(exc)
    if isinstance(exc, openai.APIConnectionError) and isinstance(exc.__cause__, NewsschemaError):
        # Raised by our own hooks inside the SDK (size cap, rate-limit wait, encoding).
        return exc.__cause__
    cause = exc.__cause__ if isinstance(exc, openai.APIConnectionError) and exc.__cause__ else exc
    # Anything else came out of the SDK or the HTTP stack while reading the answer.
    return MalformedResponseError(
        f"the provider's answer from {url or 'the server'} could not be read "
        f"({type(cause).__name__}: {cause})"
    )


def _deadline_passed(settings: CallSettings) -> Exception:
    import httpx2

    return httpx2.ReadTimeout(
        f"no complete answer within {settings.retry.timeout:g} s"
        if settings.deadline is None or settings.deadline > time.monotonic()
        else "the article's time budget ran out while waiting for the answer"
    )


def call_sync(settings: CallSettings, messages: list[dict[str, str]]) -> CallOutcome:
    """One model answer, repeating the request through transient failures."""
    from tenacity import Retrying

    create = settings.client.chat.completions.create
    attempts = 0
    retrying = Retrying(
        **tenacity_kwargs(
            settings.retry, asynchronous=False, deadline=settings.deadline, url=settings.url
        )
    )
    try:
        for attempt in retrying:
            with attempt:
                attempts += 1
                with attempt_limits(settings.limits()):
                    completion = create(**settings.request(messages))
                return read_answer(completion, settings.mode, settings.types)
    except Exception as exc:  # noqa: BLE001 - every failure is mapped to a typed error
        raise_final(exc, attempts, url=settings.url, secrets=settings.secrets, retrying=retrying)
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


async def call_async(settings: CallSettings, messages: list[dict[str, str]]) -> CallOutcome:
    """Async twin of :func:`call_sync`; the policy and error mapping are shared.

    Each attempt also runs under ``asyncio.timeout``: a hard end for headers,
    body and any client-side rate-limit pause alike.
    """
    from tenacity import AsyncRetrying

    create = settings.client.chat.completions.create
    attempts = 0
    retrying = AsyncRetrying(
        **tenacity_kwargs(
            settings.retry, asynchronous=True, deadline=settings.deadline, url=settings.url
        )
    )
    try:
        async for attempt in retrying:
            with attempt:
                attempts += 1
                limits = settings.limits()
                try:
                    with attempt_limits(limits):
                        async with asyncio.timeout(max(0.0, limits.remaining())):
                            completion = await create(**settings.request(messages))
                except TimeoutError:
                    raise _deadline_passed(settings) from None
                return read_answer(completion, settings.mode, settings.types)
    except Exception as exc:  # noqa: BLE001 - every failure is mapped to a typed error
        raise_final(exc, attempts, url=settings.url, secrets=settings.secrets, retrying=retrying)
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


def make_settings(
    *,
    article: str,
    client: openai.OpenAI | openai.AsyncOpenAI | None,
    model: str | None,
    mode: str | None,
    api_key: str | None,
    base_url: str | None,
    retry: RetryPolicy,
    max_tokens: int | None,
    temperature: float | None,
    asynchronous: bool,
    types: EventTypes = BUILTIN_TYPES,
) -> CallSettings:
    resolved_mode = resolve_mode(mode)
    resolved_model = resolve_model(model)
    raw = resolve_client(
        client, api_key=api_key, base_url=base_url, asynchronous=asynchronous, retry=retry
    )
    return CallSettings(
        client=raw,
        model=resolved_model,
        mode=resolved_mode,
        article=article,
        retry=retry,
        max_tokens=max_tokens,
        temperature=temperature,
        types=types,
    )
