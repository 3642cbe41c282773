"""newsschema on Ray Data: summarise a Dataset of articles across a cluster.

>>> import ray, newsschema.ray as nsray  # doctest: +SKIP
>>> ds = ray.data.read_json("articles.jsonl")  # rows: id, text, published  # doctest: +SKIP
>>> out = nsray.summarize_dataset(ds, model="gpt-4.1-mini", rpm=500, actors=4)  # doctest: +SKIP
>>> out.write_parquet("results/")  # doctest: +SKIP

Each article row gives exactly one result row (see :data:`RESULT_COLUMNS`): a failing
article is a row with ``ok`` False, never a failed batch. ``rpm``/``tpm`` are totals for
the whole cluster: every actor takes its permits from one named Ray actor
(:class:`SharedRateLimiter`) running the library's own limiter. A worker that dies
mid-batch is restarted by Ray and its batch run again; Ray keeps only the output of a
task that finished, so the written Dataset holds each id once.

Install with ``pip install 'newsschema[ray]'``.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import threading
import uuid
from collections.abc import Coroutine, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import ValidationError

from newsschema import (
    Article,
    ConfigurationError,
    Event,
    NewsschemaError,
    RetryPolicy,
    asummarize_many,
)
from newsschema._batch import RateLimiter, request_tokens, token_counter
from newsschema._extraction import resolve_client
from newsschema._records import choose_types, event_type

try:
    import ray
    import ray.data
except ImportError as exc:  # pragma: no cover - exercised without the extra installed
    raise ConfigurationError(
        "newsschema.ray needs Ray Data: pip install 'newsschema[ray]'"
    ) from exc

__all__ = [
    "RESULT_COLUMNS",
    "SharedRateLimiter",
    "Summarizer",
    "shared_rate_limiter",
    "summarize_dataset",
]

T = TypeVar("T")

#: Columns of every result row, before the per-type counts ``n_<plural>`` (one per chosen type).
RESULT_COLUMNS = (
    "id", "ok", "cached", "incomplete", "headline", "summary", "published", "events",
    "summary_json", "error_type", "error_message", "prompt_tokens", "completion_tokens",
    "total_tokens", "requests",
)  # fmt: skip


class _Limiter:
    """The library's :class:`RateLimiter` behind a Ray actor: one for the whole cluster."""

    def __init__(self, rpm: float | None, tpm: float | None, window: float) -> None:
        self.limiter = RateLimiter(rpm, tpm, window=window)

    async def acquire(self, tokens: int) -> None:
        await self.limiter.acquire(tokens)

    def observe(self, status: int, headers: dict[str, str]) -> None:
        self.limiter.observe(status, headers)

    def rate_limited(self) -> int:
        return self.limiter.rate_limited


#: The Ray actor class of the shared limiter (``SharedRateLimiter.options(...).remote(...)``).
SharedRateLimiter = ray.remote(num_cpus=0, max_restarts=-1, max_concurrency=10_000)(_Limiter)


def shared_rate_limiter(
    rpm: float | None, tpm: float | None = None, *, window: float = 60.0, name: str | None = None
) -> Any:
    """Start the cluster-wide limiter actor; returns its handle for :class:`Summarizer`.

    The actor lives while a handle to it does (the returned one, or those the
    Summarizer actors hold); a named one can also be looked up with ``ray.get_actor``.

    Args:
        rpm: requests per ``window`` for the whole cluster; None for no request limit.
        tpm: estimated tokens per ``window`` for the whole cluster; None for none.
        window: seconds (60: per minute).
        name: the actor's name; a fresh one when None. An existing actor of that name is reused.
    """
    actor_name = name or f"newsschema-ratelimit-{uuid.uuid4().hex[:12]}"
    return SharedRateLimiter.options(name=actor_name, get_if_exists=True).remote(rpm, tpm, window)


class _Loop:
    """An event loop in a daemon thread: the actor's async client lives on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()


def _missing(value: Any) -> bool:
    """None, NaN or NaT: how pandas writes an empty cell."""
    if value is None:
        return True
    try:  # pandas comes with Ray Data's extra
        return bool(importlib.import_module("pandas").isna(value))
    except (TypeError, ValueError):  # a list or array: not one empty cell
        return False


def _published(value: Any) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    text = str(value)
    return text if text and text not in ("NaT", "nan", "None") else None


def _id_of(row: Mapping[str, Any]) -> str | None:
    value = row.get("id")
    return None if _missing(value) else str(value)


class Summarizer:
    """A callable class for ``Dataset.map_batches``: one client per actor, async per batch.

    A batch (a pandas DataFrame with ``id``, ``text`` (plain text or an HTML page) and
    optionally ``published``, ``url``, ``title``, ``crawled``; a row with a ``url``
    and no text has its page fetched; other columns are ignored) is
    summarised with :func:`newsschema.asummarize_many` at ``concurrency`` articles in
    flight; the result is a DataFrame with one row per input row, in input order.

    Args:
        model: the model name.
        api_key, base_url: as for :func:`newsschema.summarize` (``base_url``: any
            OpenAI-compatible endpoint, e.g. a vLLM cluster).
        limiter: a :func:`shared_rate_limiter` actor (its handle or name); None for no limit.
        concurrency: articles in flight at once in one actor.
        cache: False (default); a directory or ``.sqlite`` path on each node's local
            disk, a cache the node's actors share (WAL SQLite; never a network
            file system); True for each node's default (``$NEWSSCHEMA_CACHE_DIR``, else
            ``~/.cache/newsschema``). Nodes do not share caches.
        events: the event types to extract (default: the built-ins).
        options: further keyword arguments for :func:`newsschema.asummarize_many`
            (``mode``, ``retry``, ``time_budget``, ``max_tokens`` ...).
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        limiter: Any = None,
        concurrency: int = 16,
        cache: bool | str = False,
        events: Sequence[type[Event]] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.model, self.concurrency, self.cache = model, concurrency, cache
        self.events = events
        self.options = dict(options or {})
        self.plurals = [event_type(t).plural for t in choose_types(events)]
        self._loop = _Loop()
        retry = self.options.get("retry") or RetryPolicy()
        self.client = resolve_client(
            None, api_key=api_key, base_url=base_url, asynchronous=True, retry=retry
        )
        self.limiter = ray.get_actor(limiter) if isinstance(limiter, str) else limiter
        if self.limiter is not None:
            self._install_hooks(self.client._client)

    def _install_hooks(self, http: Any) -> None:
        limiter = self.limiter
        assert limiter is not None
        count = lru_cache(maxsize=256)(token_counter(self.model or ""))

        async def before(request: Any) -> None:
            if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
                return
            try:
                body = json.loads(request.content)
            except ValueError:
                body = {}
            tokens = request_tokens(body if isinstance(body, dict) else {}, count)
            await asyncio.wrap_future(limiter.acquire.remote(tokens).future())

        async def after(response: Any) -> None:
            if response.request.url.path.endswith("/chat/completions"):
                limiter.observe.remote(response.status_code, dict(response.headers))

        hooks = http.event_hooks
        hooks["request"].append(before)
        hooks["response"].append(after)
        http.event_hooks = hooks

    def __call__(self, batch: Any) -> Any:
        """Summarise one batch: one result row per article row."""
        pd = importlib.import_module("pandas")  # installed with Ray Data's extra
        rows = batch.to_dict("records") if hasattr(batch, "to_dict") else list(batch)
        results = self._loop.run(self._run(rows))
        return pd.DataFrame(results, columns=self.columns())

    def columns(self) -> list[str]:
        """The result columns: :data:`RESULT_COLUMNS` then ``n_<plural>`` per chosen type."""
        return [*RESULT_COLUMNS, *(f"n_{p}" for p in self.plurals)]

    def _row(self, article_id: str | None, **values: Any) -> dict[str, Any]:
        row: dict[str, Any] = dict.fromkeys(self.columns())
        row.update(id=article_id, ok=False, cached=False, incomplete=False, events=0)
        row.update({f"n_{p}": 0 for p in self.plurals})
        row.update(prompt_tokens=0, completion_tokens=0, total_tokens=0, requests=0)
        row.update(values)
        return row

    async def _run(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results: list[dict[str, Any] | None] = [None] * len(rows)
        articles: list[Article] = []
        for i, row in enumerate(rows):
            article = self._article(i, row)
            if isinstance(article, dict):
                results[i] = article  # the row's input is wrong: its error row
            else:
                articles.append(article)
        try:
            outcomes = asummarize_many(
                articles, client=self.client, model=self.model, concurrency=self.concurrency,
                cache=self.cache, progress=False, events=self.events, **self.options,
            )  # fmt: skip
            async for outcome in outcomes:
                i = int(outcome.id)
                results[i] = self._result(_id_of(rows[i]), outcome)
        except NewsschemaError as exc:  # a batch-wide problem: every unfinished row says so
            for i, result in enumerate(results):
                if result is None:
                    results[i] = self._row(
                        _id_of(rows[i]), error_type=type(exc).__name__, error_message=str(exc)
                    )
        return [r for r in results if r is not None]

    def _article(self, i: int, row: Mapping[str, Any]) -> Article | dict[str, Any]:
        """Row ``i`` of a batch as an Article (its position as id), or its error row."""
        article_id = _id_of(row)
        problem = None
        text = row.get("text")
        text = text if isinstance(text, str) and text.strip() else ""
        url = row.get("url")
        if article_id is None:
            problem = "has no id (an 'id' column naming each article, unique in the Dataset)"
        elif not text and (not isinstance(url, str) or not url.strip()):
            problem = "has no text (a non-empty 'text' column: text or HTML) and no 'url'"
        else:
            # Every other column Article knows (published, url, title, crawled) goes in too
            # (text may be an HTML page; a url with no text is fetched); positions as ids:
            # a batch holding one id twice still gives a row for each.
            data = {k: row[k] for k in Article.model_fields if k in row and not _missing(row[k])}
            data.update(id=str(i), text=text, published=_published(row.get("published")))
            if "crawled" in data:
                data["crawled"] = _published(data["crawled"])
            try:
                return Article.model_validate(data)
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                problem = f"has a bad {'.'.join(map(str, first['loc']))}: {first['msg']}"
        return self._row(
            article_id, error_type="InputError", error_message=f"article {article_id!r} {problem}"
        )

    def _result(self, article_id: str | None, outcome: Any) -> dict[str, Any]:
        usage = outcome.usage
        spent = {
            "prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens, "requests": usage.requests,
        }  # fmt: skip
        summary = outcome.summary
        if summary is None:
            return self._row(
                article_id, error_type=outcome.error.type, error_message=outcome.error.message,
                **spent,
            )  # fmt: skip
        lists = summary.event_lists()
        return self._row(
            article_id, ok=True, cached=outcome.cached, incomplete=summary.incomplete,
            headline=summary.headline, summary=summary.summary,
            published=summary.published.isoformat() if summary.published else None,
            events=len(summary.events), summary_json=summary.model_dump_json(),
            **{f"n_{p}": len(lists.get(p, [])) for p in self.plurals}, **spent,
        )  # fmt: skip


def summarize_dataset(
    ds: ray.data.Dataset,
    *,
    model: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    rpm: float | None = None,
    tpm: float | None = None,
    actors: int = 4,
    concurrency: int = 16,
    batch_size: int = 32,
    num_cpus: float = 0.25,
    cache: bool | str = False,
    events: Sequence[type[Event]] | None = None,
    window: float = 60.0,
    **options: Any,
) -> ray.data.Dataset:
    """Summarise a Dataset of articles (``id``, ``text``, ``published``) into result rows.

    Lazy, as Ray Data is: the work runs when the result is consumed
    (``write_json``, ``write_parquet``, ``take_all`` ...).

    Args:
        ds: rows with ``id`` (unique), ``text`` (or an HTML page) and optionally
            ``published``, ``url``, ``title`` (see :class:`Summarizer`).
        model, api_key, base_url: as for :func:`newsschema.summarize`.
        rpm, tpm: limits for the whole cluster (all actors together), per ``window`` s.
        actors: Summarizer actors (each holds one client).
        concurrency: articles in flight per actor.
        batch_size: rows per ``map_batches`` batch.
        num_cpus: CPUs reserved per actor (the work is waiting on the network).
        cache: see :class:`Summarizer` (off by default).
        events: event types to extract.
        window: the limits' window in seconds.
        options: passed to :func:`newsschema.asummarize_many` in each actor.

    Returns:
        A Dataset with one row per article (see :meth:`Summarizer.columns`).
    """
    limiter = shared_rate_limiter(rpm, tpm, window=window) if rpm or tpm else None
    extra: dict[str, Any] = {}
    if "udf_modifying_row_count" in inspect.signature(ds.map_batches).parameters:
        extra["udf_modifying_row_count"] = False  # one row out per row in (Ray 2.5x+)
    return ds.map_batches(
        Summarizer,
        fn_constructor_kwargs={
            "model": model, "api_key": api_key, "base_url": base_url, "limiter": limiter,
            "concurrency": concurrency, "cache": cache, "events": events, "options": options,
        },
        # Ray Data's actor pool restarts a dead actor and retries its task
        # (max_restarts=-1, max_task_retries=-1 by default); only a finished task's
        # output is kept, so a retried batch gives its rows once.
        batch_size=batch_size, batch_format="pandas",
        compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=num_cpus, **extra,
    )  # fmt: skip
