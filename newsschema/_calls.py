"""One model call through instructor over the openai SDK, with transport retries.

Everything here imports openai/instructor lazily: ``import newsschema`` stays light.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NoReturn, get_args

from ._errors import (
    ConfigurationError,
    MalformedResponseError,
    NewsschemaError,
    RefusalError,
    TruncatedOutputError,
)
from ._retry import (
    RetryPolicy,
    exhausted_error,
    is_transient,
    provider_error,
    tenacity_kwargs,
)
from ._schemas import ArticleDraft, Usage, draft_schema

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

    draft: ArticleDraft | None
    usage: Usage
    raw_output: str | None
    errors: tuple[str, ...] = ()


@dataclass
class CallSettings:
    """Everything a call needs besides the messages."""

    client: Any  # instructor-patched openai client, sync or async
    model: str
    mode: Mode
    article: str
    retry: RetryPolicy
    max_tokens: int | None = None
    temperature: float | None = None
    deadline: float | None = None  # time.monotonic() by which the article must be done

    def request(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        timeout = self.retry.timeout
        if self.deadline is not None:
            timeout = max(0.001, min(timeout, self.deadline - time.monotonic()))
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "response_model": ArticleDraft,
            "max_retries": 0,  # one attempt: re-asks are ours (see _summarize)
            "timeout": timeout,
        }
        if self.mode == "json_schema":
            # instructor's JSON_SCHEMA mode leaves out `strict`; the SDK's extra_body
            # overrides its response_format with the strict form of the same schema.
            kwargs["extra_body"] = {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {
                        "name": "ArticleDraft",
                        "schema": draft_schema(),
                        "strict": True,
                    },
                }
            }
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
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
        return client.with_options(max_retries=0)
    key = api_key or os.environ.get("OPENAI_API_KEY")
    url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if not key:
        if url is None:
            raise ConfigurationError(
                "no API key: set OPENAI_API_KEY, pass api_key=..., or pass client=... "
                "(for a local server, set OPENAI_BASE_URL or base_url=...)"
            )
        key = "unused"  # local OpenAI-compatible servers accept any key
    return expected(api_key=key, base_url=url, max_retries=0, timeout=retry.timeout)


def patch(client: Any, mode: Mode) -> Any:
    import logging

    import instructor

    # instructor logs every failed parse at ERROR; here a failed parse is an expected
    # step (we re-ask), reported through our own exceptions. A NullHandler only keeps
    # Python's last-resort handler from printing it; configured logging still sees it.
    logger = logging.getLogger("instructor")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())

    modes = {
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "tools": instructor.Mode.TOOLS,
        "json": instructor.Mode.JSON,
        "md_json": instructor.Mode.MD_JSON,
    }
    return instructor.from_openai(client, mode=modes[mode])


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


def outcome_of(result: Any) -> CallOutcome:
    """A successful instructor call: ``(draft, completion)``."""
    draft, completion = result
    return CallOutcome(draft, Usage.from_openai(completion.usage), _raw_output(completion))


def outcome_of_failure(exc: BaseException) -> CallOutcome:
    """Turn what instructor raised into a re-askable outcome, or raise the right error.

    Provider errors are re-raised as the SDK's own exceptions so the retry layer can
    judge them; validation failures come back as an outcome carrying the errors.
    """
    from instructor.core.exceptions import (
        IncompleteOutputException,
        InstructorRetryException,
    )

    if isinstance(exc, IncompleteOutputException):
        completion = getattr(exc, "last_completion", None)
        raise TruncatedOutputError(
            "the model stopped at its output-token limit before finishing the answer "
            "(finish_reason=length): raise max_tokens or shorten the article",
            usage=Usage.from_openai(getattr(completion, "usage", None)),
        ) from exc
    if not isinstance(exc, InstructorRetryException):
        raise exc
    from openai.types.chat import ChatCompletion

    cause = exc.__cause__ or exc
    completion = exc.last_completion
    if completion is None:
        raise cause  # the request itself failed: a provider or network error
    if not isinstance(completion, ChatCompletion):
        # The SDK hands back the raw text when the body is not JSON (an HTML error
        # page from a proxy, say): there is nothing to re-ask about.
        raise MalformedResponseError(
            f"the provider's answer is not a chat completion: {str(completion)[:200]!r}"
        ) from exc
    usage = Usage.from_openai(getattr(completion, "usage", None))
    refusal = _refusal(completion)
    if refusal is not None:
        raise RefusalError(f"the model refused: {refusal}", refusal=refusal, usage=usage) from exc
    return CallOutcome(None, usage, _raw_output(completion), _error_lines(cause))


def _raise_final(exc: BaseException, attempts: int) -> NoReturn:
    """Raise what :func:`_map_final` makes of ``exc``, chained to it unless it is ``exc``."""
    final = _map_final(exc, attempts)
    if final is exc:
        raise exc  # chaining an error to itself would make its cause chain a loop
    raise final from exc


def _map_final(exc: BaseException, attempts: int) -> BaseException:
    """The exception to raise once transport retries are over."""
    import openai

    if isinstance(exc, NewsschemaError):
        return exc
    if is_transient(exc):
        return exhausted_error(exc, attempts)
    if isinstance(exc, openai.APIStatusError):
        return provider_error(exc)
    if isinstance(exc, openai.APIConnectionError) and exc.__cause__ is not None:
        # Not a network fault (see is_transient): the underlying error is the news.
        return exc.__cause__
    # Anything else came out of the SDK or instructor while reading the answer.
    return MalformedResponseError(
        f"the provider's answer could not be read ({type(exc).__name__}: {exc})"
    )


def call_sync(settings: CallSettings, messages: list[dict[str, str]]) -> CallOutcome:
    """One model answer, repeating the request through transient failures."""
    from tenacity import Retrying

    create = settings.client.chat.completions.create_with_completion
    attempts = 0
    try:
        retrying = Retrying(
            **tenacity_kwargs(settings.retry, asynchronous=False, deadline=settings.deadline)
        )
        for attempt in retrying:
            with attempt:
                attempts += 1
                try:
                    result = create(**settings.request(messages))
                except Exception as exc:  # noqa: BLE001 - sorted out just below
                    return outcome_of_failure(exc)
                return outcome_of(result)
    except Exception as exc:  # noqa: BLE001 - every failure is mapped to a typed error
        _raise_final(exc, attempts)
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


async def call_async(settings: CallSettings, messages: list[dict[str, str]]) -> CallOutcome:
    """Async twin of :func:`call_sync`; the policy and error mapping are shared."""
    from tenacity import AsyncRetrying

    create = settings.client.chat.completions.create_with_completion
    attempts = 0
    try:
        retrying = AsyncRetrying(
            **tenacity_kwargs(settings.retry, asynchronous=True, deadline=settings.deadline)
        )
        async for attempt in retrying:
            with attempt:
                attempts += 1
                try:
                    result = await create(**settings.request(messages))
                except Exception as exc:  # noqa: BLE001 - sorted out just below
                    return outcome_of_failure(exc)
                return outcome_of(result)
    except Exception as exc:  # noqa: BLE001 - every failure is mapped to a typed error
        _raise_final(exc, attempts)
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
) -> CallSettings:
    resolved_mode = resolve_mode(mode)
    resolved_model = resolve_model(model)
    raw = resolve_client(
        client, api_key=api_key, base_url=base_url, asynchronous=asynchronous, retry=retry
    )
    return CallSettings(
        client=patch(raw, resolved_mode),
        model=resolved_model,
        mode=resolved_mode,
        article=article,
        retry=retry,
        max_tokens=max_tokens,
        temperature=temperature,
    )
