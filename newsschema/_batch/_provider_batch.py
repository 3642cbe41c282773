"""The provider's Batch API (OpenAI: half price, answers within a 24 h window).

One cycle: write one request line per article (the same body a synchronous call
sends), upload the file (files API, ``purpose="batch"``), create the batch,
poll it with growing intervals, download the output and error files. Each
answer is then validated and grounded exactly as a synchronous answer is: it is
fed to the same per-article flow as that flow's first answer (see
:func:`summarize_answer`), so an invalid or ungrounded answer is re-asked with
ordinary calls, and a line that errored (or never ran: batch expired, cancelled,
failed) is summarised afresh with ordinary calls.

The batches created are recorded in a state file next to the output, written
before polling starts: a run stopped while it waits (hours, possibly) picks the
same batches up when re-run, instead of paying for new ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsschema._errors import ConfigurationError, InputError
from newsschema._extraction import ExtractionOptions, asummarize_answer
from newsschema._records import BUILTIN_TYPES, EventTypes, schema_version
from newsschema._text import article_language, check_language
from newsschema._usage import Usage

if TYPE_CHECKING:
    from newsschema._io import Article
    from newsschema._records import ArticleSummary

__all__ = ["BatchAnswer", "ProviderBatch", "run_provider_batch", "summarize_answer"]

ENDPOINT = "/v1/chat/completions"
# A fixed multipart boundary: the upload is then byte-for-byte the same on every
# run, so a recorded upload replays (the SDK keeps a boundary it is given).
UPLOAD_BOUNDARY = "newsschema-batch-upload"
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
# Keys of CallSettings.request() that the SDK consumes: not request body.
_NOT_BODY = frozenset({"timeout"})


@dataclass(frozen=True)
class ProviderBatch:
    """How to run articles through the provider's Batch API.

    Attributes:
        completion_window: the window the provider has to answer (OpenAI: ``"24h"``).
        poll_interval: seconds before the first status check; each later wait
            is 1.5 times longer ...
        max_poll_interval: ... up to this many seconds.
        repair: summarise articles whose batch line failed with ordinary calls;
            when False they end as errors.
        max_requests: request lines per batch file (OpenAI's limit: 50,000).
        max_bytes: bytes per batch file (OpenAI's limit: 200 MB).
        state_file: where the created batches are recorded; default: next to
            the output file (``<output>.batch.json``); without either, nowhere.
    """

    completion_window: str = "24h"
    poll_interval: float = 10.0
    max_poll_interval: float = 300.0
    repair: bool = True
    max_requests: int = 50_000
    max_bytes: int = 190 * 1024 * 1024
    state_file: str | os.PathLike[str] | None = None


@dataclass(frozen=True)
class BatchAnswer:
    """What the batch returned for one article: a completion body, or why there is none."""

    body: dict[str, Any] | None
    usage: Usage = dataclasses.field(default_factory=Usage)
    status_code: int | None = None
    code: str | None = None
    message: str | None = None


# Replaced by tests to observe waits without sleeping.
async def _asleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def request_body(
    article: Article,
    *,
    model: str,
    mode: str,
    max_input_tokens: int,
    max_tokens: int | None,
    temperature: float | None,
    types: EventTypes = BUILTIN_TYPES,
    language: str | None = None,
) -> dict[str, Any]:
    """The chat completion body a synchronous call sends for this article (its first attempt).

    ``language`` is the one the run was given (None: detected, as the article's own run
    does), so the prompt is the one that run would send.

    Built from ``CallSettings.request``, less the options the SDK keeps to itself
    (the timeout), with ``extra_body`` merged into the body as the SDK merges it.

    Raises:
        InputError: the article cannot be sent (empty, too long).
    """
    from newsschema._extraction import CallSettings, RetryPolicy, read_article, render_messages

    if mode != "json_schema":
        raise ConfigurationError(
            f"the provider batch sends structured output as json_schema; mode {mode!r} is "
            "not supported there (use mode='json_schema' or drop provider_batch)"
        )
    # A web page is sent as its main text, with its metadata date, as asummarize sends it.
    read = read_article(article.text, article.published, max_input_tokens=max_input_tokens)
    text = read.text
    settings = CallSettings(
        client=None, model=model, mode="json_schema", article=text, retry=RetryPolicy(),
        max_tokens=max_tokens, temperature=temperature, types=types,
    )  # fmt: skip
    code, _ = article_language(text, check_language(language))
    kwargs = settings.request(render_messages(text, read.published, types, language=code))
    body = {k: v for k, v in kwargs.items() if k not in _NOT_BODY}
    body.update(body.pop("extra_body", None) or {})  # merged as the SDK merges it
    return body


def custom_id(article_id: str) -> str:
    """The batch line's ``custom_id``: the article id, or a hash of a long one."""
    if len(article_id) <= 64:
        return article_id
    return "sha256-" + hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()


def _usage(body: dict[str, Any]) -> Usage:
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return Usage(requests=1)
    details = usage.get("prompt_tokens_details") or {}
    return Usage(
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
        cached_tokens=int(details.get("cached_tokens") or 0) if isinstance(details, dict) else 0,
        total_tokens=int(usage.get("total_tokens") or 0),
        requests=1,
    )


# --------------------------------------------------------------------------------------
# State: the batches this output is waiting for.


class _State:
    def __init__(self, path: Path | None, fingerprint: dict[str, str]) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.batches: list[dict[str, Any]] = []
        if path is not None and path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("fingerprint") != fingerprint:
                raise ConfigurationError(
                    f"{path} records provider batches made with another model, mode, prompt "
                    f"or schema ({data.get('fingerprint')}); finish that run with the same "
                    "settings, or delete the file to start new batches"
                )
            self.batches = list(data.get("batches", []))

    def covered(self) -> dict[str, str]:
        """custom_id to article id, over every recorded batch."""
        return {c: a for b in self.batches for c, a in b["custom_ids"].items()}

    def add(self, entry: dict[str, Any]) -> None:
        self.batches.append(entry)
        if self.path is None:
            return
        temporary = self.path.with_name(self.path.name + ".tmp")
        data = {"version": 1, "fingerprint": self.fingerprint, "batches": self.batches}
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.path)

    def remove(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------
# Talking to the files and batches endpoints.


async def _api(call: Callable[[], Awaitable[Any]], retry: Any) -> Any:
    """One files/batches call, repeated through transient failures like a chat call."""
    from tenacity import AsyncRetrying

    from newsschema._extraction import raise_final, tenacity_kwargs

    attempts = 0
    try:
        async for attempt in AsyncRetrying(**tenacity_kwargs(retry, asynchronous=True)):
            with attempt:
                attempts += 1
                return await call()
    except Exception as exc:  # noqa: BLE001 - every failure is mapped to a typed error
        raise_final(exc, attempts)
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


def _chunks(lines: list[tuple[str, str, bytes]], options: ProviderBatch) -> list[list[Any]]:
    chunks: list[list[Any]] = [[]]
    size = 0
    for line in lines:
        if chunks[-1] and (
            len(chunks[-1]) >= options.max_requests or size + len(line[2]) > options.max_bytes
        ):
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line[2])
    return [c for c in chunks if c]


async def _submit(
    client: Any,
    lines: list[tuple[str, str, bytes]],
    options: ProviderBatch,
    state: _State,
    retry: Any,
) -> None:
    for chunk in _chunks(lines, options):
        data = b"".join(line for _, _, line in chunk)
        uploaded = await _api(
            partial(
                client.files.create,
                file=("newsschema-batch.jsonl", data, "application/jsonl"),
                purpose="batch",
                extra_headers={"Content-Type": f"multipart/form-data; boundary={UPLOAD_BOUNDARY}"},
            ),
            retry,
        )
        batch = await _api(
            partial(
                client.batches.create,
                input_file_id=uploaded.id,
                endpoint=ENDPOINT,
                completion_window=options.completion_window,
                metadata={"created_by": "newsschema"},
            ),
            retry,
        )
        state.add(
            {
                "batch_id": batch.id,
                "input_file_id": uploaded.id,
                "custom_ids": {cid: aid for cid, aid, _ in chunk},
            }
        )


async def _wait(
    client: Any,
    batch_ids: list[str],
    options: ProviderBatch,
    retry: Any,
    on_status: Callable[[str], None],
) -> list[Any]:
    interval = options.poll_interval
    finished: dict[str, Any] = {}
    while True:
        latest: dict[str, Any] = {}
        for batch_id in batch_ids:
            if batch_id in finished:
                latest[batch_id] = finished[batch_id]
                continue
            batch = await _api(partial(client.batches.retrieve, batch_id), retry)
            latest[batch_id] = batch
            if batch.status in TERMINAL:
                finished[batch_id] = batch
        counts = [b.request_counts for b in latest.values() if b.request_counts is not None]
        total = sum(c.total for c in counts)
        done = sum(c.completed + c.failed for c in counts)
        statuses = sorted({b.status for b in latest.values()})
        on_status(f"provider batch {'/'.join(statuses)} {done}/{total}")
        if len(finished) == len(batch_ids):
            return [finished[b] for b in batch_ids]
        await _asleep(interval)
        interval = min(options.max_poll_interval, interval * 1.5)


async def _lines(client: Any, file_id: str | None, retry: Any) -> list[dict[str, Any]]:
    if not file_id:
        return []
    content = await _api(partial(client.files.content, file_id), retry)
    out = []
    for raw in content.content.decode("utf-8").splitlines():
        if raw.strip():
            line = json.loads(raw)
            if isinstance(line, dict):
                out.append(line)
    return out


def _answer(line: dict[str, Any]) -> BatchAnswer:
    response = line.get("response") if isinstance(line.get("response"), dict) else None
    error = line.get("error") if isinstance(line.get("error"), dict) else None
    status = response.get("status_code") if response else None
    body = response.get("body") if response else None
    if status == 200 and isinstance(body, dict) and not error:
        return BatchAnswer(body=body, usage=_usage(body))
    inner = body.get("error") if isinstance(body, dict) else None
    detail = error or (inner if isinstance(inner, dict) else {})
    return BatchAnswer(
        body=None,
        status_code=status if isinstance(status, int) else None,
        code=str(detail.get("code")) if detail.get("code") is not None else None,
        message=str(detail.get("message") or "the batch line failed"),
    )


async def run_provider_batch(
    client: Any,
    articles: list[Article],
    *,
    model: str,
    mode: str,
    max_input_tokens: int,
    max_tokens: int | None,
    temperature: float | None,
    retry: Any,
    options: ProviderBatch,
    state_file: Path | None,
    on_status: Callable[[str], None],
    types: EventTypes = BUILTIN_TYPES,
    language: str | None = None,
) -> tuple[dict[str, BatchAnswer], Callable[[], None]]:
    """Send the articles through the Batch API; their answers by article id.

    Articles that cannot be sent (empty, too long) are left out: the per-article
    flow reports them. Returns the answers and a function that forgets the
    recorded batches (to call once every answer is safely written).
    """
    from newsschema._extraction import prompt_version

    fingerprint = {
        "model": model,
        "mode": mode,
        "prompt_version": prompt_version(),
        "schema_version": schema_version(types),
    }
    state = _State(state_file, fingerprint)
    covered = state.covered()
    covered_ids = set(covered.values())
    lines: list[tuple[str, str, bytes]] = []
    for article in articles:
        if article.id in covered_ids:
            continue
        try:
            body = request_body(
                article, model=model, mode=mode, max_input_tokens=max_input_tokens,
                max_tokens=max_tokens, temperature=temperature, types=types,
                language=language,
            )  # fmt: skip
        except InputError:
            continue
        cid = custom_id(article.id)
        line = {"custom_id": cid, "method": "POST", "url": ENDPOINT, "body": body}
        encoded = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
        lines.append((cid, article.id, encoded))
    if lines:
        on_status(f"uploading {len(lines)} request(s) to the provider batch")
        await _submit(client, lines, options, state, retry)
    if not state.batches:
        return {}, state.remove
    wanted = {a.id for a in articles}
    batches = await _wait(client, [b["batch_id"] for b in state.batches], options, retry, on_status)
    answers: dict[str, BatchAnswer] = {}
    for entry, batch in zip(state.batches, batches, strict=True):
        ids = entry["custom_ids"]
        for file_id in (batch.output_file_id, batch.error_file_id):
            for line in await _lines(client, file_id, retry):
                article_id = ids.get(str(line.get("custom_id")))
                if article_id in wanted:
                    answers[article_id] = _answer(line)
        for article_id in ids.values():
            if article_id in wanted and article_id not in answers:
                answers[article_id] = BatchAnswer(
                    body=None,
                    code=f"batch_{batch.status}",
                    message=f"the provider batch {batch.id} ended {batch.status} without "
                    "answering this request",
                )
    return answers, state.remove


# --------------------------------------------------------------------------------------
# Validating a batch answer exactly as a synchronous answer.


async def summarize_answer(
    article: Article, body: dict[str, Any], options: ExtractionOptions, *, client: Any
) -> ArticleSummary:
    """The article's summary, taking the batch's ``body`` as the model's first answer.

    The same flow as ``asummarize``, with no client built for the stored answer:
    it is parsed, checked and grounded; re-asks go to ``client``.
    """
    return await asummarize_answer(
        article.text,
        body,
        options,
        published=article.published,
        crawled=article.crawled,
        client=client,
    )
