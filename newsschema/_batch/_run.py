"""summarize_many / asummarize_many: many articles, concurrently, within the provider's limits.

One async core (:class:`_Run`) runs each article through ``asummarize``, the
same flow as a single call, with at most ``concurrency`` articles in flight and
every HTTP request spaced by the rate limiter (``_ratelimit``). Each input ends
as exactly one :class:`Outcome`, a summary or a typed error, written to the
sinks (``_sinks``) the moment it finishes, then yielded. ``summarize_many`` is a
thin wrapper running the same core on an event loop in a worker thread.

Before any call, an article is looked up in the cache (``_cache``) and, with an
output file, skipped when a previous run already wrote it (resume). With
``provider_batch``, the articles the cache does not answer go through the
provider's Batch API first (``_provider_batch``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import queue
import threading
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from newsschema._errors import ConfigurationError, ProviderError, StoredAnswerError
from newsschema._extraction import (
    DEFAULTS,
    ExtractionOptions,
    estimate_tokens,
    library_version,
    reprocess_summary,
)
from newsschema._io import Article, coerce_articles, fetch_page
from newsschema._records import ArticleSummary, Event, choose_types

from ._outcomes import BatchStats, Failure, Outcome
from ._provider_batch import ProviderBatch
from ._ratelimit import RateLimiter

if TYPE_CHECKING:
    import openai

    from newsschema._extraction import RetryPolicy

    from ._cache import SummaryCache
    from ._progress import ProgressDisplay
    from ._provider_batch import BatchAnswer
    from ._sinks import Sinks

__all__ = ["BatchStats", "Failure", "Outcome", "asummarize_many", "summarize_many"]

Order = Literal["completion", "input"]
DEFAULT_CONCURRENCY = 8


@dataclass
class _Options:
    """Everything a run needs besides the articles, checked before it starts."""

    client: Any  # openai.AsyncOpenAI, SDK retries off
    owns_client: bool
    extraction: ExtractionOptions  # model, mode and retry resolved; events chosen
    concurrency: int
    rpm: float | None
    tpm: float | None
    cache: Path | None
    output: Path | None
    db: Path | None
    retry_failed: bool
    order: Order
    on_result: Callable[[Outcome], object] | None
    progress: bool | None
    provider_batch: ProviderBatch | None


class _Crash:
    """A worker died of something other than an article's failure."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class _Run:
    """The async core: one run over a list of articles."""

    def __init__(self, articles: list[Article], options: _Options, stats: BatchStats) -> None:
        self.articles = articles
        self.o = options
        self.stats = stats
        self.cache: SummaryCache | None = None
        self.sinks: Sinks | None = None
        self.progress: ProgressDisplay | None = None
        self.answers: dict[str, BatchAnswer] = {}
        self._forget_batches: Callable[[], None] | None = None
        #: close the caller's pooled connections at the end (set when the run has its
        #: own event loop, which dies with it: connections made on it are useless after).
        self.release_connections = False
        self._cleanup: list[Callable[[], Any]] = []
        self._turn = asyncio.Lock()
        self._turn_holder: asyncio.Task[Any] | None = None
        self._workers: set[asyncio.Task[Any] | None] = set()
        self.limiter = RateLimiter(options.rpm, options.tpm)

    # -- setting up and tearing down ----------------------------------------------------

    def _open(self) -> None:
        from ._ratelimit import install_hooks
        from ._sinks import Sinks

        o = self.o
        self.sinks = Sinks(o.output, o.db, retry_failed=o.retry_failed)
        self._cleanup.append(self.sinks.close)
        if o.cache is not None:
            from ._cache import SummaryCache

            self.cache = SummaryCache(
                o.cache,
                model=o.extraction.model or "",
                mode=o.extraction.mode or "",
                types=choose_types(o.extraction.events),
                chunking=(o.extraction.chunk_tokens, o.extraction.chunk_overlap),
                language=o.extraction.language,
            )
            self._cleanup.append(self.cache.close)
        http = getattr(o.client, "_client", None)
        if http is not None and hasattr(http, "event_hooks"):

            def counted() -> None:
                self.stats.http_requests += 1
                # The answer is dealt with: the next request is going out.
                self._end_turn(sending=True)

            remove = install_hooks(
                http, self.limiter, model=o.extraction.model or "", on_request=counted,
                on_answer=self._take_turn,
            )  # fmt: skip
            self._cleanup.append(remove)

    # -- answers in turn -------------------------------------------------------------------
    #
    # Dealing with an answer (parsing, validation, grounding, the next request's
    # preparation) is milliseconds of CPU on the one event loop. Answers arriving
    # together would share it round-robin, all finish together, and send their next
    # requests in one burst: the workers move in waves that never spread out, each
    # wave paying the whole wave's CPU time before any of its requests goes out.
    # Taken in turn, first come first served, until the worker's next request goes
    # out, they leave as they were dealt with, spread out, and stay spread.

    async def _take_turn(self, response: Any) -> None:
        """In a worker, once an answer's body is in: wait for the turn to deal with it."""
        task = asyncio.current_task()
        if response.status_code != 200 or task not in self._workers:
            return
        await response.aread()  # the network wait is not part of the turn
        await self._turn.acquire()
        self._turn_holder = task

    def _end_turn(self, *, sending: bool = False) -> None:
        """Pass the turn on: this worker's next request is going out, or it has no more work.

        When a request is going out, the next worker gets the turn one loop iteration
        later, so that this request reaches the network first.
        """
        if self._turn_holder is None or self._turn_holder is not asyncio.current_task():
            return
        self._turn_holder = None
        if sending:
            asyncio.get_running_loop().call_soon(self._turn.release)
        else:
            self._turn.release()

    async def _close(self) -> None:
        self.stats.rate_limited = self.limiter.rate_limited
        self.stats.elapsed = time.monotonic() - self.stats.started
        if self.progress is not None:
            self.progress.close()
        for step in reversed(self._cleanup):
            step()
        if self.o.owns_client:
            await self.o.client.close()
        elif self.release_connections:
            await _release_connections(self.o.client)

    # -- one article ----------------------------------------------------------------------

    def _finish(self, outcome: Outcome) -> None:
        """Record a finished article at once: output, db, cache, totals, progress, hook.

        The output comes first: it is what a resumed run goes by, and a cache that
        fails (it only warns) must not cost the answer. When the output fails
        (``OutputError``, the run stops) the answer is still cached if it can be,
        so running again after freeing space costs no call for it.
        """
        assert self.sinks is not None
        try:
            self.sinks.write(outcome)
        finally:
            # An incomplete summary is not cached: running again retries its failed chunks.
            if (
                self.cache is not None
                and outcome.summary is not None
                and not outcome.cached
                and not outcome.incomplete
            ):
                assert outcome.article is not None
                key = self.cache.key(
                    outcome.article.text, outcome.article.published, outcome.article.crawled
                )
                self.cache.put(key, outcome.summary)  # never raises: a failure is a warning
        self.stats.add(outcome)
        self.stats.rate_limited = self.limiter.rate_limited
        if self.progress is not None:
            self.progress.update()
        if self.o.on_result is not None:
            self.o.on_result(outcome)

    async def _summarize(self, article: Article) -> ArticleSummary:
        from newsschema._extraction import asummarize

        answer = self.answers.get(article.id)
        if answer is not None and answer.body is not None:
            from newsschema._errors import MalformedResponseError

            from ._provider_batch import summarize_answer

            self.stats.provider_batch_usage += answer.usage
            try:
                return await summarize_answer(
                    article, answer.body, self.o.extraction, client=self.o.client
                )
            except MalformedResponseError:
                if not self._repair:
                    raise
                # An answer that is not a completion at all: ask afresh, like an errored line.
        elif answer is not None and not self._repair:
            raise ProviderError(
                f"the provider batch answered HTTP {answer.status_code or '-'}"
                f"{f', code={answer.code}' if answer.code else ''}: {answer.message}",
                status_code=answer.status_code or 0,
                code=answer.code,
                provider_message=answer.message,
            )
        return await asummarize(
            article.text,
            published=article.published,
            crawled=article.crawled,
            client=self.o.client,
            **self.o.extraction.keywords(),
        )

    @property
    def _repair(self) -> bool:
        return self.o.provider_batch is None or self.o.provider_batch.repair

    async def _fetched(self, article: Article) -> Article:
        """An article given by its URL only, with its page's text."""
        assert article.url is not None
        self._end_turn()  # the network wait is not part of the turn
        page = await asyncio.to_thread(fetch_page, article.url)
        return article.model_copy(update={"text": page.text})

    async def _one(self, index: int, article: Article) -> Outcome:
        try:
            if article.to_fetch:
                article = await self._fetched(article)
                hit = self._cached(index, article)
                if hit is not None:
                    return hit
            summary = await self._summarize(article)
        except Exception as exc:  # noqa: BLE001 - one failing article never stops the others
            outcome = Outcome(id=article.id, index=index, error=Failure.of(exc), article=article)
            outcome._exception = exc
            return outcome
        return Outcome(id=article.id, index=index, summary=summary, article=article)

    # -- the run --------------------------------------------------------------------------

    def _cached(self, index: int, article: Article) -> Outcome | None:
        if self.cache is None or article.to_fetch:
            return None
        summary = self.cache.get(self.cache.key(article.text, article.published, article.crawled))
        if summary is None:
            return None
        if summary.answer is not None and summary.provenance.library_version != library_version():
            # Cached by another version: its records rebuilt by this one, still with no call.
            with contextlib.suppress(StoredAnswerError):
                text = summary.page.text if summary.page is not None else article.text
                summary = reprocess_summary(text, summary)
        return Outcome(id=article.id, index=index, summary=summary, cached=True, article=article)

    async def _provider_batch(self, pending: list[tuple[int, Article]]) -> None:
        from ._provider_batch import run_provider_batch

        options = self.o.provider_batch
        assert options is not None
        state_file = options.state_file
        if state_file is None and self.o.output is not None:
            state_file = self.o.output.with_name(self.o.output.name + ".batch.json")

        def status(text: str) -> None:
            if self.progress is not None:
                self.progress.status(text)

        # A long article is extracted in chunks by ordinary calls, not as one batch line.
        size = self.o.extraction.chunk_tokens
        # A page still to fetch is fetched by its worker, then extracted by an ordinary call.
        short = [
            a
            for _, a in pending
            if not a.to_fetch and (size is None or estimate_tokens(a.text) <= size)
        ]
        if not short:
            return
        self.answers, forget = await run_provider_batch(
            self.o.client,
            short,
            model=self.o.extraction.model or "",
            mode=self.o.extraction.mode or "",
            max_input_tokens=self.o.extraction.max_input_tokens,
            max_tokens=self.o.extraction.max_tokens,
            temperature=self.o.extraction.temperature,
            types=choose_types(self.o.extraction.events),
            language=self.o.extraction.language,
            retry=self.o.extraction.retry,
            options=options,
            state_file=Path(state_file) if state_file is not None else None,
            on_status=status,
        )
        self._forget_batches = forget
        status("articles")

    async def outcomes(self) -> AsyncGenerator[Outcome, None]:
        """Every article's outcome, as it finishes (or in input order), written first."""
        tasks: list[asyncio.Task[None]] = []
        try:
            self._open()
            assert self.sinks is not None
            done = self.sinks.done_ids()
            todo = [(i, a) for i, a in enumerate(self.articles) if a.id not in done]
            self.stats.total = len(self.articles)
            self.stats.skipped = len(self.articles) - len(todo)
            from ._progress import ProgressDisplay, wants_progress

            if wants_progress(self.o.progress):
                self.progress = ProgressDisplay(len(self.articles), self.stats)
            order = _Reorder([i for i, _ in todo], by_input=self.o.order == "input")
            pending: list[tuple[int, Article]] = []
            for index, article in todo:
                hit = self._cached(index, article)
                if hit is None:
                    pending.append((index, article))
                    continue
                self._finish(hit)
                for ready in order.add(hit):
                    yield ready
            if self.o.provider_batch is not None and pending:
                await self._provider_batch(pending)
            results: asyncio.Queue[Outcome | _Crash] = asyncio.Queue()
            work = iter(pending)

            async def worker() -> None:
                self._workers.add(asyncio.current_task())
                try:
                    for index, article in work:  # shared: each article taken once
                        outcome = await self._one(index, article)
                        self._finish(outcome)
                        # The turn lasts into the next article until its request goes out.
                        results.put_nowait(outcome)
                except Exception as exc:  # noqa: BLE001 - handed to the consumer, raised there
                    results.put_nowait(_Crash(exc))
                finally:
                    self._end_turn()

            workers = min(self.o.concurrency, len(pending))
            tasks = [asyncio.create_task(worker()) for _ in range(workers)]
            for _ in range(len(pending)):
                item = await results.get()
                if isinstance(item, _Crash):
                    raise item.exc
                for ready in order.add(item):
                    yield ready
            if self._forget_batches is not None:
                self._forget_batches()  # every batch answer is written: the state is spent
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
            await self._close()


async def _release_connections(client: Any) -> None:
    """Close the idle connections of the caller's client; the client stays usable.

    ``summarize_many`` runs on an event loop of its own that ends with the run;
    sockets pooled on it would otherwise be left open. Emptying the pool (not
    closing the client) makes the next call open fresh connections.
    """
    import httpx2

    http = getattr(client, "_client", None)
    transport = getattr(http, "_transport", None)
    if isinstance(transport, httpx2.AsyncHTTPTransport):
        await transport.aclose()


class _Reorder:
    """Releases outcomes as they come, or held back into input order."""

    def __init__(self, indexes: list[int], *, by_input: bool) -> None:
        self.by_input = by_input
        self.expected = iter(indexes)
        self.next = next(self.expected, None)
        self.held: dict[int, Outcome] = {}

    def add(self, outcome: Outcome) -> list[Outcome]:
        if not self.by_input:
            return [outcome]
        self.held[outcome.index] = outcome
        ready = []
        while self.next is not None and self.next in self.held:
            ready.append(self.held.pop(self.next))
            self.next = next(self.expected, None)
        return ready


# --------------------------------------------------------------------------------------
# The public functions.


def _path(value: str | os.PathLike[str] | None) -> Path | None:
    return Path(value) if value is not None else None


def _prepare(
    articles: Iterable[str | Article | Mapping[str, Any]],
    extraction: ExtractionOptions,
    *,
    client: Any,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    cache: bool | str | os.PathLike[str],
    output: str | os.PathLike[str] | None,
    db: str | os.PathLike[str] | None,
    retry_failed: bool,
    order: str,
    on_result: Callable[[Outcome], object] | None,
    progress: bool | None,
    provider_batch: bool | ProviderBatch,
) -> tuple[list[Article], _Options]:
    """Check everything that can be checked before a run: caller mistakes raise here."""
    from newsschema._errors import InputError
    from newsschema._extraction import RetryPolicy, resolve_client, resolve_mode, resolve_model

    from ._cache import resolve_cache

    if concurrency < 1:
        raise InputError("concurrency must be at least 1")
    if order not in ("completion", "input"):
        raise InputError(f"order must be 'completion' or 'input', got {order!r}")
    for name, value in (("rpm", rpm), ("tpm", tpm)):
        if value is not None and value <= 0:
            raise InputError(f"{name} must be a positive number, or None for no limit")
    items = coerce_articles(articles)
    from ._sinks import check_writable

    # Before any call: an output that cannot be written would lose every answer.
    if output is not None:
        check_writable(output, "output file")
    if db is not None:
        check_writable(db, "database")
    resolved_mode = resolve_mode(extraction.mode)
    resolved_model = resolve_model(extraction.model)
    types = choose_types(extraction.events)
    if client is not None:
        import openai

        if not isinstance(client, openai.AsyncOpenAI):
            raise ConfigurationError(
                "summarize_many and asummarize_many run articles concurrently on asyncio: "
                f"client must be an openai.AsyncOpenAI, got {type(client).__name__} "
                "(in tests, FakeModel.async_client())"
            )
    policy = extraction.retry or RetryPolicy()
    resolved = resolve_client(
        client, api_key=extraction.api_key, base_url=extraction.base_url, asynchronous=True,
        retry=policy,
    )  # fmt: skip
    batch = ProviderBatch() if provider_batch is True else provider_batch or None
    if batch is not None and resolved_mode != "json_schema":
        raise ConfigurationError(
            f"provider_batch needs mode json_schema (the Batch API request carries the strict "
            f"schema); got mode {resolved_mode!r}"
        )
    options = _Options(
        client=resolved,
        owns_client=client is None,
        extraction=dataclasses.replace(
            extraction, model=resolved_model, mode=resolved_mode, retry=policy, events=types
        ),
        concurrency=concurrency, rpm=rpm, tpm=tpm, cache=resolve_cache(cache),
        output=_path(output), db=_path(db), retry_failed=retry_failed,
        order=order,  # type: ignore[arg-type]
        on_result=on_result, progress=progress, provider_batch=batch,
    )  # fmt: skip
    return items, options


def asummarize_many(
    articles: Iterable[str | Article | Mapping[str, Any]],
    *,
    model: str | None = DEFAULTS.model,
    client: openai.AsyncOpenAI | None = None,
    mode: str | None = DEFAULTS.mode,
    api_key: str | None = DEFAULTS.api_key,
    base_url: str | None = DEFAULTS.base_url,
    retry: RetryPolicy | None = DEFAULTS.retry,
    concurrency: int = DEFAULT_CONCURRENCY,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: bool | str | os.PathLike[str] = True,
    output: str | os.PathLike[str] | None = None,
    db: str | os.PathLike[str] | None = None,
    retry_failed: bool = False,
    order: Order = "completion",
    on_result: Callable[[Outcome], object] | None = None,
    progress: bool | None = None,
    provider_batch: bool | ProviderBatch = False,
    stats: BatchStats | None = None,
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
) -> AsyncIterator[Outcome]:
    """Summarise many articles concurrently; an async iterator of outcomes as they finish.

    Every input article ends as exactly one :class:`Outcome`: a summary, or a
    :class:`Failure` naming the error (one failing article never stops the
    others). Each outcome is written to ``output``/``db`` the moment it finishes,
    before it is yielded.

    Args:
        articles: texts (their id is their position), :class:`Article`, or dicts
            with ``id``, ``text`` and optionally ``published``, ``url``, ``title``.
            See :func:`load_articles` for folders and JSON Lines files. An HTML
            page is read for its main text; a text that is only an http(s) URL,
            a dict with a ``url`` and no ``text`` or ``Article.from_url(url)`` is
            fetched by its worker (a fetch failure is that article's outcome).
        model, mode, api_key, base_url, retry, max_validation_attempts,
            token_budget, time_budget, max_input_tokens, max_tokens, temperature,
            events, chunk_tokens, chunk_overlap: as for :func:`summarize`, applied
            to each article (a long article's chunks count against ``concurrency``
            only as one article).
        language: the language of every article (ISO 639-1); None: detected for
            each article, as :func:`summarize` does.
        client: an ``openai.AsyncOpenAI``. Its HTTP client gets the rate limiter
            as ``httpx2`` event hooks for the run (removed afterwards).
        concurrency: articles in flight at once.
        rpm: requests per minute to stay under (every HTTP attempt counts).
        tpm: tokens per minute to stay under (prompt estimated with tiktoken when
            it is installed and loadable offline, else the library's estimate,
            plus ``max_tokens`` or 1,000 for the answer).
        cache: True (``$NEWSSCHEMA_CACHE_DIR``, else ``~/.cache/newsschema``), a
            directory or a ``.sqlite`` file, or False. A cached article costs no call.
        output: a JSON Lines file, one line per finished article. Re-running with
            the same file resumes: ids already in it are skipped (not yielded).
        db: a SQLite file, written like ``newsschema export`` (plus ``batch_failures``).
        retry_failed: on resume, run articles whose earlier line is an error again.
        order: ``"completion"`` (as they finish) or ``"input"`` (held back into
            input order; the files are written in completion order either way).
        on_result: called with each outcome as soon as it is written.
        progress: a progress bar; None shows it only when stdout is a terminal.
        provider_batch: True or :class:`ProviderBatch`: send the articles the cache
            does not answer through the provider's Batch API first (OpenAI: half
            price, up to 24 h); failed lines are repaired with ordinary calls.
        stats: a :class:`BatchStats` to fill with running totals.

    Raises:
        InputError: bad arguments, or two articles share an id (before any call).
        ConfigurationError: no model or key, unknown mode, wrong client type.
        OutputError: ``output`` or ``db`` cannot be written, or ``output`` holds
            lines that are not newsschema results (before any call: at this call
            for a path that cannot be written, at the first iteration for the
            file's contents); or a write failed mid-run (disk full), when the run
            stops with every article finished before it kept, so running again
            resumes. ``.path`` names the file.

    Warns:
        NewsschemaWarning: the cache could not be used (set aside when damaged,
            else switched off for the run), or a torn last line was cut from
            ``output``. The run goes on.
    """
    extraction = ExtractionOptions(
        model=model, mode=mode, api_key=api_key, base_url=base_url, retry=retry,
        max_validation_attempts=max_validation_attempts, token_budget=token_budget,
        time_budget=time_budget, max_input_tokens=max_input_tokens, max_tokens=max_tokens,
        temperature=temperature, events=events, chunk_tokens=chunk_tokens,
        chunk_overlap=chunk_overlap, language=language,
    )  # fmt: skip
    items, options = _prepare(
        articles, extraction, client=client, concurrency=concurrency, rpm=rpm, tpm=tpm,
        cache=cache, output=output, db=db, retry_failed=retry_failed, order=order,
        on_result=on_result, progress=progress, provider_batch=provider_batch,
    )  # fmt: skip
    return _Run(items, options, stats if stats is not None else BatchStats()).outcomes()


def summarize_many(
    articles: Iterable[str | Article | Mapping[str, Any]],
    *,
    model: str | None = DEFAULTS.model,
    client: openai.AsyncOpenAI | None = None,
    mode: str | None = DEFAULTS.mode,
    api_key: str | None = DEFAULTS.api_key,
    base_url: str | None = DEFAULTS.base_url,
    retry: RetryPolicy | None = DEFAULTS.retry,
    concurrency: int = DEFAULT_CONCURRENCY,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: bool | str | os.PathLike[str] = True,
    output: str | os.PathLike[str] | None = None,
    db: str | os.PathLike[str] | None = None,
    retry_failed: bool = False,
    order: Order = "completion",
    on_result: Callable[[Outcome], object] | None = None,
    progress: bool | None = None,
    provider_batch: bool | ProviderBatch = False,
    stats: BatchStats | None = None,
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
) -> Iterator[Outcome]:
    """Summarise many articles concurrently; an iterator of outcomes as they finish.

    The same run as :func:`asummarize_many` (see it for every argument), on an
    event loop in a worker thread; iterate to run it. ``on_result`` is called in
    that thread. Leaving the loop early (``break``, an exception, Ctrl-C) stops
    the run: finished articles are already written, in-flight ones are dropped.

    Example:
        >>> for outcome in summarize_many(load_articles("articles/"), output="out.jsonl",
        ...                               model="gpt-4.1-mini", rpm=500):  # doctest: +SKIP
        ...     print(outcome.id, "ok" if outcome.ok else outcome.error.type)

    Raises:
        InputError, ConfigurationError: as :func:`asummarize_many`, before any call.
        OutputError: as :func:`asummarize_many`.
    """
    extraction = ExtractionOptions(
        model=model, mode=mode, api_key=api_key, base_url=base_url, retry=retry,
        max_validation_attempts=max_validation_attempts, token_budget=token_budget,
        time_budget=time_budget, max_input_tokens=max_input_tokens, max_tokens=max_tokens,
        temperature=temperature, events=events, chunk_tokens=chunk_tokens,
        chunk_overlap=chunk_overlap, language=language,
    )  # fmt: skip
    items, options = _prepare(
        articles, extraction, client=client, concurrency=concurrency, rpm=rpm, tpm=tpm,
        cache=cache, output=output, db=db, retry_failed=retry_failed, order=order,
        on_result=on_result, progress=progress, provider_batch=provider_batch,
    )  # fmt: skip
    run = _Run(items, options, stats if stats is not None else BatchStats())
    run.release_connections = True
    return _in_thread(run.outcomes)


def _in_thread(start: Callable[[], AsyncGenerator[Outcome, None]]) -> Iterator[Outcome]:
    """Drive an async iterator on its own event loop in a worker thread, yielding here."""
    items: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    ready = threading.Event()
    handle: dict[str, Any] = {}

    async def pump() -> None:
        outcomes = start()
        try:
            async for outcome in outcomes:
                items.put(("outcome", outcome))
        finally:
            await outcomes.aclose()

    async def main() -> None:
        handle["loop"] = asyncio.get_running_loop()
        handle["task"] = asyncio.current_task()
        ready.set()
        await pump()

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - handed to the consuming thread
            items.put(("error", exc))
        else:
            items.put(("end", None))
        finally:
            ready.set()

    thread = threading.Thread(target=run, name="newsschema-summarize-many", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = items.get()
            if kind == "outcome":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        ready.wait()
        loop, task = handle.get("loop"), handle.get("task")
        if thread.is_alive() and loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed: nothing left to stop
                loop.call_soon_threadsafe(task.cancel)
        thread.join()
