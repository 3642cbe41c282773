"""summarize / asummarize: one article in, one validated ArticleSummary out.

The flow is written once, as a generator that yields the messages to send and
receives the model's answer; ``summarize`` and ``asummarize`` only differ in how
they perform that call.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import time
from collections.abc import Generator, Sequence
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from newsschema._errors import (
    BudgetExceededError,
    ExtractionFailed,
    FailedAttempt,
    InputError,
    InvalidAnswerError,
    MalformedResponseError,
    NewsschemaError,
    RateLimitError,
    RetriesExhaustedError,
)
from newsschema._records import (
    BUILTIN_TYPES,
    ArticleSummary,
    DraftAnswer,
    DroppedRecord,
    Event,
    EventTypes,
    ModelAnswer,
    Part,
    Provenance,
    PublishedSource,
    WebPage,
    choose_types,
    event_type,
    schema_version,
    text_sha256,
)
from newsschema._text import (
    LanguageSource,
    article_language,
    check_language,
    coerce_published,
    extract_page,
    find_published,
    ground_quote,
    index_actors,
    locate_quote,
    looks_like_html,
    merge_duplicates,
    normalise_actors,
    resolve_duration,
    resolve_time,
    warn_unsupported,
)
from newsschema._usage import Usage

from ._calls import (
    CallOutcome,
    CallSettings,
    call_async,
    call_sync,
    make_settings,
    read_stored_answer,
)
from ._checks import Problem, answer_problems
from ._chunks import ChunkedJob, Ledger, plan_chunks
from ._options import DEFAULT_MAX_INPUT_TOKENS, DEFAULTS, ExtractionOptions
from ._prompts import prompt_version, render_messages, render_reask
from ._retry import RetryPolicy

if TYPE_CHECKING:
    import openai

__all__ = [
    "ReadArticle",
    "asummarize",
    "asummarize_answer",
    "library_version",
    "read_article",
    "summarize",
    "summary_of",
]

_PLACEHOLDER = Provenance(
    model="", mode="", prompt_version="", schema_version="", library_version="",
    validation_attempts=0, usage=Usage(), duration_seconds=0.0,
    created_at=datetime(1970, 1, 1, tzinfo=UTC),
)  # fmt: skip

_Flow = Generator[list[dict[str, str]], CallOutcome, ArticleSummary]


@functools.cache
def library_version() -> str:
    """The installed newsschema's version (``0+unknown`` when running from a source tree)."""
    try:
        return version("newsschema")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        return "0+unknown"


# C0/C1 control characters other than tab and line breaks, and lone surrogates: they
# corrupt JSON requests or confuse tokenizers. Each becomes one character, so offsets
# into the cleaned text are offsets into the caller's text.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\ud800-\udfff]")


def estimate_tokens(text: str) -> int:
    """A cheap, deliberately generous token estimate: ~4 ASCII characters a token, 1 otherwise."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return ascii_chars // 4 + (len(text) - ascii_chars) + 1


def check_article(text: object, *, max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS) -> str:
    """The article as a clean, non-empty str, or an InputError saying what is wrong.

    Bytes are decoded as UTF-8. Control characters and lone surrogates are replaced
    one for one (a space, U+FFFD), so evidence offsets still index the caller's text.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"text is bytes but not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                "decode it with the right encoding first"
            ) from None
    if not isinstance(text, str):
        raise InputError(f"text must be a str (or UTF-8 bytes), got {type(text).__name__}")
    if not text.strip():
        raise InputError("text is empty or only whitespace; there is no article to summarise")
    cleaned = _UNSAFE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else " ", text)
    if not cleaned.strip():
        raise InputError("text holds only control characters; there is no article to summarise")
    tokens = estimate_tokens(cleaned)
    if tokens > max_input_tokens:
        raise InputError(
            f"the article is about {tokens:,} tokens, over the limit of {max_input_tokens:,} "
            "(max_input_tokens=...), the guard against a costly article; if the cost is "
            "acceptable, raise the limit (a long article is sent in chunks either way)"
        )
    return cleaned


@dataclasses.dataclass(frozen=True)
class ReadArticle:
    """An article ready to send: the text offsets index, its page, its publication date."""

    text: str
    page: WebPage | None
    published: date | None
    source: PublishedSource  # where ``published`` came from: "caller" or "page metadata"


def read_article(
    text: object,
    published: object = None,
    *,
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
) -> ReadArticle:
    """The article as it is sent: an HTML page (str or bytes) becomes its main text.

    A page's publication date (its metadata) stands in for a ``published`` the
    caller did not give. Plain text passes through :func:`check_article` unchanged.

    Raises:
        InputError: as :func:`check_article`; a page with no main text; a bad ``published``.
        ConfigurationError: an HTML page without the ``html`` extra installed.
    """
    page = None
    if isinstance(text, str | bytes | bytearray) and looks_like_html(text):
        page = extract_page(text if isinstance(text, str) else bytes(text))
        text = page.text
    article = check_article(text, max_input_tokens=max_input_tokens)
    when = coerce_published(published)
    source: PublishedSource = "caller"
    if page is not None:
        # The cleaned text is what offsets index: the page carries exactly it.
        page = page.model_copy(update={"text": article})
        if when is None and page.published is not None:
            when, source = page.published, "page metadata"
    return ReadArticle(article, page, when, source)


def _with_page(summary: ArticleSummary, page: WebPage | None) -> ArticleSummary:
    return summary if page is None else summary.model_copy(update={"page": page})


def _sentence_with(expression: str, evidence: list[dict[str, Any]]) -> str | None:
    """The evidence quote the time expression stands in (else the first one)."""
    quotes = [e["quote"] for e in evidence]
    for quote in quotes:
        if locate_quote(expression, quote) is not None:
            return str(quote)
    return str(quotes[0]) if quotes else None


def _ground_field(data: dict[str, Any], field: str, article: str) -> None:
    """A verbatim quote field made the article's own characters, with its offsets
    in ``<field>_start``/``<field>_end`` and the model's copy in ``model_<field>``
    (where the record declares them)."""
    found = ground_quote(data[field], article)
    if found is not None:
        data[field] = found.quote
        data[f"{field}_start"], data[f"{field}_end"] = found.start, found.end
        data[f"model_{field}"] = found.model_quote


def _resolve_durations(data: dict[str, Any], fields: Sequence[str], own: Any) -> None:
    """Each duration as written resolved into ``<field>_value`` (where the record has one)."""
    for field in fields:
        if f"{field}_value" in own:
            data[f"{field}_value"] = resolve_duration(data.get(field))


def _enrich(
    draft: Part,
    article: str,
    problems: list[Problem],
    anchor: date | None,
    types: EventTypes = BUILTIN_TYPES,
    *,
    language: str = "en",
) -> tuple[dict[str, list[Any]], list[DroppedRecord]]:
    """Draft events to final records: evidence offsets, resolved times, normalised actors,
    duplicates merged; ungrounded records dropped."""

    reasons: dict[tuple[str, int], list[str]] = {}
    for problem in problems:
        if problem.drop:
            reasons.setdefault((problem.kind, problem.index), []).append(problem.message)
    dumped = draft.model_dump()
    events: dict[str, list[Any]] = {}
    dropped: list[DroppedRecord] = []
    for record_type in types:
        spec = event_type(record_type)
        kind = spec.plural
        own = record_type.model_fields
        events[kind] = []
        for i, data in enumerate(dumped[kind]):
            if (kind, i) in reasons:
                reason = " ".join(reasons[(kind, i)])
                dropped.append(DroppedRecord(type=spec.name, index=i, reason=reason, record=data))
                continue
            # Users slice: every quote becomes the article's own characters at its offsets.
            for evidence in data["evidence"]:
                found = ground_quote(evidence["quote"], article)
                if found is not None:
                    evidence.update(
                        quote=found.quote,
                        start=found.start,
                        end=found.end,
                        model_quote=found.model_quote,
                    )
            for field in spec.quote_fields:
                if data.get(field) is not None:
                    _ground_field(data, field, article)
                    for extra in (f"{field}_start", f"{field}_end", f"model_{field}"):
                        if extra not in own:
                            data.pop(extra, None)
            _resolve_durations(data, spec.duration_fields, own)
            if data["when"] is not None:
                # The first quote is the sentence the expression stands in: its tense
                # tells "on Friday" past from future.
                context = _sentence_with(data["when"]["expression"], data["evidence"])
                data["when"] = resolve_time(
                    data["when"]["expression"], anchor, context=context, language=language
                )
            events[kind].append(record_type.model_validate(data))
    events = normalise_actors(events, article, language)
    return {kind: merge_duplicates(records) for kind, records in events.items()}, dropped


def summary_of(
    draft: Any,
    article: str,
    *,
    anchor: date | None,
    source: PublishedSource,
    types: EventTypes,
    provenance: Provenance | None,
    answer: ModelAnswer,
    problems: list[Problem] | None = None,
    language: str = "en",
) -> ArticleSummary:
    """The summary of one validated answer for ``article``: every deterministic step.

    Grounding, time and duration resolution, actors, merging and the actor index;
    no request. Used for a fresh answer and for one read back from an output
    (``problems`` are the answer's, computed here when not given). Without
    ``provenance`` the summary's is a placeholder the caller replaces. ``language``
    is the article's (ISO 639-1): its times, countries and titles are read in it.
    """
    if problems is None:
        problems = answer_problems(draft, article, types)
    events, dropped = _enrich(draft, article, problems, anchor, types, language=language)
    if provenance is None:
        provenance = _PLACEHOLDER
    return ArticleSummary(
        headline=draft.headline,
        summary=draft.summary,
        published=anchor,
        published_source=source,
        actors=index_actors(events),
        dropped=dropped,
        provenance=provenance,
        events=[record for records in events.values() for record in records],
        answer=answer,
    )


class _Job:
    def __init__(
        self,
        settings: CallSettings,
        published: date | None,
        max_validation_attempts: int,
        token_budget: int | None,
        time_budget: float | None,
        *,
        ledger: Ledger | None = None,
        digest: str | None = None,
        source: PublishedSource = "caller",
        crawled: date | None = None,
        language: tuple[str, LanguageSource] = ("en", "assumed"),
    ) -> None:
        self.settings = settings
        # The SHA-256 of the caller's article text (a chunk's job: of the whole article).
        self.digest = digest if digest is not None else text_sha256(settings.article)
        self.published = published
        self.source: PublishedSource = source
        self.crawled = crawled
        self.max_validation_attempts = max_validation_attempts
        self.token_budget = token_budget
        self.time_budget = time_budget
        self.language, self.language_source = language
        self.messages = render_messages(
            settings.article, published, settings.types, language=self.language
        )
        # A chunk of a long article shares the article's start, deadline and spending.
        self.ledger = ledger
        self.started = ledger.started if ledger is not None else time.monotonic()
        if time_budget is not None:
            settings.deadline = self.started + time_budget

    def _anchor(self) -> tuple[date | None, PublishedSource]:
        """The publication date times are resolved from, and where it came from."""
        if self.published is not None:
            return self.published, self.source
        found = find_published(self.settings.article)
        if found is not None:
            return found
        if self.crawled is not None:
            return self.crawled, "crawl date"
        return None, "unknown"

    def _check_budgets(self, usage: Usage, failures: list[FailedAttempt]) -> None:
        """Before another model call: stop if a budget is spent."""
        spent = self.ledger.usage if self.ledger is not None else usage
        if self.token_budget is not None and spent.total_tokens >= self.token_budget:
            raise BudgetExceededError(
                f"token budget of {self.token_budget:,} spent ({spent.total_tokens:,} tokens "
                f"over {len(failures)} answer(s)) before a valid answer; raise token_budget",
                budget="tokens", limit=self.token_budget, attempts=failures, usage=usage,
            )  # fmt: skip
        if self.time_budget is not None and time.monotonic() - self.started >= self.time_budget:
            self._raise_out_of_time(usage, failures)

    def _raise_out_of_time(self, usage: Usage, failures: list[FailedAttempt]) -> None:
        if self.time_budget is not None:
            raise BudgetExceededError(
                f"time budget of {self.time_budget:g} s spent before a valid answer; "
                "raise time_budget",
                budget="time", limit=self.time_budget, attempts=failures, usage=usage,
            )  # fmt: skip

    def flow(self) -> _Flow:
        """Ask, validate, re-ask with only the current errors, up to the bound.

        Schema errors are re-asked while attempts remain. Quotes the article does
        not contain are re-asked once; records still ungrounded after that are
        dropped and reported in ``ArticleSummary.dropped``.
        """
        usage = Usage()
        failures: list[FailedAttempt] = []
        messages = self.messages
        grounding_reasked = False
        for attempt in range(1, self.max_validation_attempts + 1):
            if attempt > 1 or self.ledger is not None:
                self._check_budgets(usage, failures)
            try:
                outcome = yield messages
            except ExtractionFailed as exc:
                exc.usage = usage + exc.usage
                out_of_time = self.settings.deadline is not None and (
                    time.monotonic() >= self.settings.deadline
                    or getattr(exc, "stopped_by_deadline", False)
                )
                if (
                    out_of_time
                    and isinstance(exc, RetriesExhaustedError | MalformedResponseError)
                    and not isinstance(exc, RateLimitError)  # the wait asked is the news
                ):
                    self._raise_out_of_time(exc.usage, failures)
                raise
            usage += outcome.usage
            if self.ledger is not None:
                self.ledger.add(outcome.usage)
            errors = outcome.errors
            if outcome.draft is not None:
                problems = answer_problems(
                    outcome.draft, self.settings.article, self.settings.types
                )
                last = attempt == self.max_validation_attempts
                if not problems or grounding_reasked or last:
                    return self._finish(outcome.draft, usage, attempt, problems)
                grounding_reasked = True
                errors = tuple(p.message for p in problems)
            failures.append(FailedAttempt(attempt, errors, outcome.raw_output))
            messages = [*self.messages, *render_reask(outcome.raw_output, errors)]
        last_errors = "; ".join(failures[-1].errors)
        raise InvalidAnswerError(
            f"no valid answer after {len(failures)} attempt(s); last errors: {last_errors}",
            attempts=failures,
            usage=usage,
        )

    def run_sync(self) -> ArticleSummary:
        """Drive :meth:`flow` with blocking calls."""
        flow = self.flow()
        messages = next(flow)
        while True:
            try:
                outcome = call_sync(self.settings, messages)
            except ExtractionFailed as exc:
                flow.throw(exc)  # adds the usage spent so far, then re-raises
                raise  # not reached: the flow re-raises
            try:
                messages = flow.send(outcome)
            except StopIteration as done:
                result: ArticleSummary = done.value
                return result

    async def run_async(self, first_answer: dict[str, Any] | None = None) -> ArticleSummary:
        """Drive :meth:`flow` with async calls; ``first_answer`` (if given) is the first answer.

        ``first_answer`` is a chat completion obtained elsewhere (a Batch API line),
        read as the model's first answer without a request; re-asks are real calls.
        """
        flow = self.flow()
        messages = next(flow)
        while True:
            try:
                if first_answer is not None:
                    outcome = read_stored_answer(first_answer, self.settings)
                    first_answer = None
                else:
                    outcome = await call_async(self.settings, messages)
            except ExtractionFailed as exc:
                flow.throw(exc)  # adds the usage spent so far, then re-raises
                raise  # not reached: the flow re-raises
            try:
                messages = flow.send(outcome)
            except StopIteration as done:
                result: ArticleSummary = done.value
                return result

    def _finish(
        self, draft: Any, usage: Usage, attempts: int, problems: list[Problem]
    ) -> ArticleSummary:
        """The summary of a valid answer; a fault in our own enrichment is still typed."""
        try:
            return self._summary(draft, usage, attempts, problems)
        except NewsschemaError:
            raise
        except Exception as exc:
            raise ExtractionFailed(
                f"a valid answer came back but newsschema could not finish its records "
                f"({type(exc).__name__}: {exc}); this is a bug in newsschema, please report it "
                "with the article",
                usage=usage,
            ) from exc

    def _summary(
        self, draft: Any, usage: Usage, attempts: int, problems: list[Problem]
    ) -> ArticleSummary:
        anchor, source = self._anchor()
        types = self.settings.types
        article = self.settings.article
        answer = ModelAnswer(
            text_sha256=self.digest,
            drafts=[DraftAnswer(start=0, end=len(article), draft=draft.model_dump(mode="json"))],
        )
        summary = summary_of(
            draft, article, anchor=anchor, source=source, types=types, problems=problems,
            answer=answer, provenance=None, language=self.language,
        )  # fmt: skip
        provenance = Provenance(
            model=self.settings.model,
            mode=self.settings.mode,
            prompt_version=prompt_version(),
            schema_version=schema_version(types),
            library_version=library_version(),
            validation_attempts=attempts,
            usage=usage,
            duration_seconds=round(time.monotonic() - self.started, 3),
            created_at=datetime.now(UTC),
            event_types=[event_type(cls).name for cls in types],
            language=self.language,
            language_source=self.language_source,
        )
        return summary.model_copy(update={"provenance": provenance})


def _job(
    text: object,
    published: object,
    options: ExtractionOptions,
    *,
    client: Any,
    asynchronous: bool,
    crawled: object = None,
) -> tuple[_Job | ChunkedJob, WebPage | None]:
    types = choose_types(options.events)
    read = read_article(text, published, max_input_tokens=options.max_input_tokens)
    article, when = read.text, read.published
    fallback = coerce_published(crawled)
    if read.page is not None:
        digest = text_sha256(article)  # a web page: the text its offsets index
    else:
        given = text.decode("utf-8") if isinstance(text, bytes | bytearray) else text
        digest = text_sha256(given if isinstance(given, str) else article)
    language = article_language(article, check_language(options.language))
    warn_unsupported(language[0])
    settings = make_settings(
        article=article, client=client, model=options.model, mode=options.mode,
        api_key=options.api_key, base_url=options.base_url,
        retry=options.retry or RetryPolicy(), max_tokens=options.max_tokens,
        temperature=options.temperature, asynchronous=asynchronous, types=types,
    )  # fmt: skip
    spans = plan_chunks(article, options.chunk_tokens, options.chunk_overlap)
    if len(spans) == 1:
        job = _Job(
            settings, when, options.max_validation_attempts, options.token_budget,
            options.time_budget, digest=digest, source=read.source, crawled=fallback,
            language=language,
        )  # fmt: skip
        return job, read.page
    # A long article: one job per chunk, every chunk read with the whole article's date.
    whole = _Job(settings, when, 1, None, None, source=read.source, crawled=fallback)
    anchor, source = whole._anchor()
    ledger = Ledger()
    jobs = [
        _Job(
            dataclasses.replace(settings, article=article[start:end]),
            anchor,
            options.max_validation_attempts,
            options.token_budget,
            options.time_budget,
            ledger=ledger,
            digest=digest,
            language=language,
        )
        for start, end in spans
    ]
    chunked = ChunkedJob(
        article, spans, jobs, published=anchor, source=source, types=types, ledger=ledger,
        digest=digest,
    )  # fmt: skip
    return chunked, read.page


async def asummarize_answer(
    text: object,
    answer: dict[str, Any],
    options: ExtractionOptions,
    *,
    published: object = None,
    crawled: object = None,
    client: Any,
) -> ArticleSummary:
    """The summary of an article whose first answer is already at hand (a Batch API line).

    The same flow as :func:`asummarize`: the answer is parsed, checked and grounded;
    re-asks (an invalid or ungrounded answer) go to ``client``.
    """
    # The stored answer is for the whole article, sent as one request.
    whole = dataclasses.replace(options, chunk_tokens=None)
    job, page = _job(text, published, whole, client=client, asynchronous=True, crawled=crawled)
    assert isinstance(job, _Job)  # one chunk when chunk_tokens is None
    return _with_page(await job.run_async(first_answer=answer), page)


def summarize(
    text: str | bytes,
    *,
    published: date | datetime | str | None = None,
    crawled: date | datetime | str | None = None,
    model: str | None = DEFAULTS.model,
    client: openai.OpenAI | None = None,
    mode: str | None = DEFAULTS.mode,
    api_key: str | None = DEFAULTS.api_key,
    base_url: str | None = DEFAULTS.base_url,
    retry: RetryPolicy | None = DEFAULTS.retry,
    max_validation_attempts: int = DEFAULTS.max_validation_attempts,
    token_budget: int | None = DEFAULTS.token_budget,
    time_budget: float | None = DEFAULTS.time_budget,
    max_input_tokens: int = DEFAULTS.max_input_tokens,
    max_tokens: int | None = DEFAULTS.max_tokens,
    temperature: float | None = DEFAULTS.temperature,
    events: Sequence[type[Event]] | None = DEFAULTS.events,
    chunk_tokens: int | None = DEFAULTS.chunk_tokens,
    chunk_overlap: int = DEFAULTS.chunk_overlap,
    language: str | None = DEFAULTS.language,
) -> ArticleSummary:
    """Summarise one news article into validated, evidence-grounded event records.

    Args:
        text: the article's text. Page furniture may stay; the prompt tells the
            model to use the main article only. An HTML page (str or bytes, told
            from plain text by its start) is read first: its main text is
            extracted (needs ``pip install 'newsschema[html]'``) and ``page`` of
            the result holds that text, which evidence offsets index, and the
            page's metadata (see "Web pages, URLs and crawls" in the README).
        published: publication date (date, datetime or ISO string), used to read
            relative times ("last weekend"); None when unknown (a page's metadata
            date is used then, ``published_source="page metadata"``).
        crawled: when the page was fetched (a crawl's capture date): the
            publication date only when neither ``published``, the page's metadata
            nor the article's header gives one (``published_source="crawl date"``).
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
            Quotes missing from the article are re-asked once; records still
            ungrounded then are dropped and listed in ``ArticleSummary.dropped``.
        token_budget: total tokens (all attempts) after which no new answer is
            requested for this article; None: no cap.
        time_budget: seconds for the whole article, retries and re-asks included;
            None: bounded only by ``retry`` and ``max_validation_attempts``.
        max_input_tokens: articles estimated above this many tokens are refused
            before any call (an InputError naming the estimate): the cost guard,
            over the whole article however it is chunked.
        max_tokens: cap on output tokens per answer.
        temperature: sampling temperature; None leaves the server's default.
        events: the event types to extract (``[Meeting, Protest]``); default the
            four built-ins. Only their definitions and schema are sent.
        chunk_tokens: articles estimated above this many tokens are split into
            chunks of at most this size, at paragraph or sentence boundaries,
            extracted concurrently and merged (see "Long articles" in the README);
            None: never split. Shorter articles send one request, as always.
        chunk_overlap: sentences each chunk repeats from the end of the one before.
        language: the article's language as an ISO 639-1 code ("de", "zh"); None:
            detected from the text (English when too short to tell). Times,
            country names and titles are read in it; for a language other than
            English the prompt asks for expressions and quotes as written in it.
            Recorded in ``provenance.language``. See "Languages" in the README.

    Returns:
        The summary, its records of each chosen event type, and provenance
        (model, prompt and schema versions, usage of every attempt). For a
        chunked article whose chunks did not all succeed, ``incomplete`` is True
        and ``failed_chunks`` lists the parts missing and why.

    Raises:
        InputError: empty or non-text article, a page with no main text, bad
            ``published`` or ``language`` (before any call).
        ConfigurationError: no API key, no model, unknown mode, wrong client type.
        ProviderError: the provider rejected the request (401, 404 ...).
        RetriesExhaustedError: transient failures outlasted ``retry``.
        BudgetExceededError: ``token_budget`` or ``time_budget`` ran out.
        TruncatedOutputError, RefusalError, MalformedResponseError: the answer
            cannot be used.
        InvalidAnswerError: no answer passed validation.

        A chunked article raises only when every chunk failed: the first chunk's
        error, its ``usage`` that of every chunk.
    """
    options = ExtractionOptions(
        model=model, mode=mode, api_key=api_key, base_url=base_url, retry=retry,
        max_validation_attempts=max_validation_attempts, token_budget=token_budget,
        time_budget=time_budget, max_input_tokens=max_input_tokens, max_tokens=max_tokens,
        temperature=temperature, events=events, chunk_tokens=chunk_tokens,
        chunk_overlap=chunk_overlap, language=language,
    )  # fmt: skip
    job, page = _job(text, published, options, client=client, asynchronous=False, crawled=crawled)
    return _with_page(job.run_sync(), page)


async def asummarize(
    text: str | bytes,
    *,
    published: date | datetime | str | None = None,
    crawled: date | datetime | str | None = None,
    model: str | None = DEFAULTS.model,
    client: openai.AsyncOpenAI | None = None,
    mode: str | None = DEFAULTS.mode,
    api_key: str | None = DEFAULTS.api_key,
    base_url: str | None = DEFAULTS.base_url,
    retry: RetryPolicy | None = DEFAULTS.retry,
    max_validation_attempts: int = DEFAULTS.max_validation_attempts,
    token_budget: int | None = DEFAULTS.token_budget,
    time_budget: float | None = DEFAULTS.time_budget,
    max_input_tokens: int = DEFAULTS.max_input_tokens,
    max_tokens: int | None = DEFAULTS.max_tokens,
    temperature: float | None = DEFAULTS.temperature,
    events: Sequence[type[Event]] | None = DEFAULTS.events,
    chunk_tokens: int | None = DEFAULTS.chunk_tokens,
    chunk_overlap: int = DEFAULTS.chunk_overlap,
    language: str | None = DEFAULTS.language,
) -> ArticleSummary:
    """Async form of :func:`summarize`; ``client`` must be an ``openai.AsyncOpenAI``."""
    options = ExtractionOptions(
        model=model, mode=mode, api_key=api_key, base_url=base_url, retry=retry,
        max_validation_attempts=max_validation_attempts, token_budget=token_budget,
        time_budget=time_budget, max_input_tokens=max_input_tokens, max_tokens=max_tokens,
        temperature=temperature, events=events, chunk_tokens=chunk_tokens,
        chunk_overlap=chunk_overlap, language=language,
    )  # fmt: skip
    job, page = _job(text, published, options, client=client, asynchronous=True, crawled=crawled)
    return _with_page(await job.run_async(), page)
