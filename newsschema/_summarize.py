"""summarize / asummarize: one article in, one validated ArticleSummary out.

The flow is written once, as a generator that yields the messages to send and
receives the model's answer; ``summarize`` and ``asummarize`` only differ in how
they perform that call.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from ._calls import CallOutcome, CallSettings, call_async, call_sync, make_settings
from ._errors import ExtractionError, ExtractionFailed, FailedAttempt, InputError
from ._grounding import locate_quote
from ._prompts import prompt_version, render_messages, render_reask
from ._retry import RetryPolicy
from ._schemas import (
    Actor,
    ArticleDraft,
    ArticleSummary,
    IndexedActor,
    Meeting,
    Provenance,
    Statement,
    Usage,
    Visit,
    Warrant,
    schema_version,
)

if TYPE_CHECKING:
    import openai

__all__ = ["asummarize", "summarize"]

_Flow = Generator[list[dict[str, str]], CallOutcome, ArticleSummary]


def _library_version() -> str:
    try:
        return version("newsschema")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        return "0+unknown"


def check_article(text: object) -> str:
    """The article as a non-empty str, or an InputError saying what is wrong."""
    if isinstance(text, bytes | bytearray):
        raise InputError("text is bytes; decode it first, e.g. text.decode('utf-8')")
    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise InputError("text is empty or only whitespace; there is no article to summarise")
    return text


def check_published(published: object) -> date | None:
    """A publication date from a date, datetime or ISO string (None: unknown)."""
    if published is None or (isinstance(published, str) and not published.strip()):
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if isinstance(published, str):
        try:
            return datetime.fromisoformat(published.strip()).date()
        except ValueError:
            pass
    raise InputError(
        f"published must be a date, datetime or ISO 8601 string like '2023-09-18'; "
        f"got {published!r}"
    )


def _enrich(draft: ArticleDraft, article: str) -> dict[str, list[Any]]:
    """Draft events to final records: evidence offsets added, times kept as written."""

    def event(data: dict[str, Any]) -> dict[str, Any]:
        for evidence in data["evidence"]:
            span = locate_quote(evidence["quote"], article)
            evidence["start"], evidence["end"] = span if span else (None, None)
        return data

    dumped = draft.model_dump()
    return {
        "meetings": [Meeting.model_validate(event(e)) for e in dumped["meetings"]],
        "statements": [Statement.model_validate(event(e)) for e in dumped["statements"]],
        "visits": [Visit.model_validate(event(e)) for e in dumped["visits"]],
        "warrants": [Warrant.model_validate(event(e)) for e in dumped["warrants"]],
    }


_ACTOR_FIELDS = ("participants", "speaker", "addressee", "visitor", "host", "subject", "authority")


def _actors(events: dict[str, list[Any]]) -> list[IndexedActor]:
    """Every actor once (first record of each name), with the records it appears in."""
    seen: dict[str, IndexedActor] = {}
    for kind, records in events.items():
        for i, record in enumerate(records):
            for name in _ACTOR_FIELDS:
                value = getattr(record, name, None)
                for actor in value if isinstance(value, list) else [value]:
                    if isinstance(actor, Actor):
                        key = actor.name.casefold()
                        entry = seen.setdefault(key, IndexedActor(**actor.model_dump()))
                        if f"{kind}.{i}" not in entry.records:
                            entry.records.append(f"{kind}.{i}")
    return list(seen.values())


class _Job:
    def __init__(
        self,
        settings: CallSettings,
        published: date | None,
        max_validation_attempts: int,
    ) -> None:
        if max_validation_attempts < 1:
            raise InputError("max_validation_attempts counts the first answer; it must be >= 1")
        self.settings = settings
        self.published = published
        self.max_validation_attempts = max_validation_attempts
        self.messages = render_messages(settings.article, published)
        self.started = time.monotonic()

    def flow(self) -> _Flow:
        """Ask, validate, re-ask with only the current errors, up to the bound."""
        usage = Usage()
        failures: list[FailedAttempt] = []
        messages = self.messages
        for attempt in range(1, self.max_validation_attempts + 1):
            try:
                outcome = yield messages
            except ExtractionFailed as exc:
                exc.usage = usage + exc.usage
                raise
            usage += outcome.usage
            if outcome.draft is not None:
                return self._summary(outcome.draft, usage, attempt)
            failures.append(FailedAttempt(attempt, outcome.errors, outcome.raw_output))
            messages = [*self.messages, *render_reask(outcome.raw_output, outcome.errors)]
        last = "; ".join(failures[-1].errors)
        raise ExtractionError(
            f"no valid answer after {len(failures)} attempt(s); last errors: {last}",
            attempts=failures,
            usage=usage,
        )

    def _summary(self, draft: ArticleDraft, usage: Usage, attempts: int) -> ArticleSummary:
        events = _enrich(draft, self.settings.article)
        return ArticleSummary(
            headline=draft.headline,
            summary=draft.summary,
            published=self.published,
            published_source="caller" if self.published else "unknown",
            actors=_actors(events),
            provenance=Provenance(
                model=self.settings.model,
                mode=self.settings.mode,
                prompt_version=prompt_version(),
                schema_version=schema_version(),
                library_version=_library_version(),
                validation_attempts=attempts,
                usage=usage,
                duration_seconds=round(time.monotonic() - self.started, 3),
                created_at=datetime.now(UTC),
            ),
            **events,
        )


def _job(
    text: object,
    published: object,
    max_validation_attempts: int,
    *,
    asynchronous: bool,
    **call: Any,
) -> _Job:
    article = check_article(text)
    when = check_published(published)
    retry = call.pop("retry") or RetryPolicy()
    settings = make_settings(article=article, retry=retry, asynchronous=asynchronous, **call)
    return _Job(settings, when, max_validation_attempts)


def summarize(
    text: str,
    *,
    published: date | datetime | str | None = None,
    model: str | None = None,
    client: openai.OpenAI | None = None,
    mode: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    retry: RetryPolicy | None = None,
    max_validation_attempts: int = 3,
    max_tokens: int | None = None,
    temperature: float | None = 0.0,
) -> ArticleSummary:
    """Summarise one news article into validated, evidence-grounded event records.

    Args:
        text: the article's text. Page furniture may stay; the prompt tells the
            model to use the main article only.
        published: publication date (date, datetime or ISO string), used to read
            relative times ("last weekend"); None when unknown.
        model: model name; default ``NEWSSCHEMA_MODEL``.
        client: a ready ``openai.OpenAI`` client (any OpenAI-compatible server).
            Its own retries are switched off; ``retry`` governs.
        mode: how structured output is requested, see :data:`newsschema.Mode`;
            default ``NEWSSCHEMA_MODE`` or ``"json_schema"``.
        api_key: default ``OPENAI_API_KEY``. Ignored when ``client`` is given.
        base_url: default ``OPENAI_BASE_URL``. Ignored when ``client`` is given.
        retry: transport retry policy (429/5xx/timeouts); see :class:`RetryPolicy`.
        max_validation_attempts: model answers allowed until one validates
            (attempts = re-asks + 1). Each re-ask sends only the current errors.
        max_tokens: cap on output tokens per answer.
        temperature: sampling temperature; None leaves the server's default.

    Returns:
        The summary, its meetings, statements, visits and warrants, and provenance
        (model, prompt and schema versions, usage of every attempt).

    Raises:
        InputError: empty or non-text article, bad ``published`` (before any call).
        ConfigurationError: no API key, no model, unknown mode, wrong client type.
        ProviderError: the provider rejected the request (401, 404 ...).
        RetriesExhaustedError: transient failures outlasted ``retry``.
        TruncatedOutputError, RefusalError: the model's answer cannot be used.
        ExtractionError: no answer passed validation.
    """
    job = _job(
        text, published, max_validation_attempts, asynchronous=False, model=model,
        client=client, mode=mode, api_key=api_key, base_url=base_url, retry=retry,
        max_tokens=max_tokens, temperature=temperature,
    )  # fmt: skip
    flow = job.flow()
    messages = next(flow)
    while True:
        try:
            outcome = call_sync(job.settings, messages)
        except ExtractionFailed as exc:
            flow.throw(exc)  # adds the usage spent so far, then re-raises
            raise  # not reached: the flow re-raises
        try:
            messages = flow.send(outcome)
        except StopIteration as done:
            result: ArticleSummary = done.value
            return result


async def asummarize(
    text: str,
    *,
    published: date | datetime | str | None = None,
    model: str | None = None,
    client: openai.AsyncOpenAI | None = None,
    mode: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    retry: RetryPolicy | None = None,
    max_validation_attempts: int = 3,
    max_tokens: int | None = None,
    temperature: float | None = 0.0,
) -> ArticleSummary:
    """Async form of :func:`summarize`; ``client`` must be an ``openai.AsyncOpenAI``."""
    job = _job(
        text, published, max_validation_attempts, asynchronous=True, model=model,
        client=client, mode=mode, api_key=api_key, base_url=base_url, retry=retry,
        max_tokens=max_tokens, temperature=temperature,
    )  # fmt: skip
    flow = job.flow()
    messages = next(flow)
    while True:
        try:
            outcome = await call_async(job.settings, messages)
        except ExtractionFailed as exc:
            flow.throw(exc)
            raise  # not reached: the flow re-raises
        try:
            messages = flow.send(outcome)
        except StopIteration as done:
            result: ArticleSummary = done.value
            return result
