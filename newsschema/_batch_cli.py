"""``newsschema batch``: files and folders in, one JSON Lines line per article out, a summary table.

:func:`run_batch_cli` holds the whole command; the CLI module only parses options.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._batch import DEFAULT_CONCURRENCY, BatchStats
from ._errors import InputError
from ._schemas import Usage

__all__ = ["KNOWN_PRICES", "Price", "estimate_cost", "run_batch_cli"]


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    output: float
    cached_input: float | None = None


#: OpenAI list prices (USD per 1M tokens, standard tier) as of August 2025; they change.
#: The Batch API bills half of these. Pass ``prices=`` for other models or newer prices.
KNOWN_PRICES: Mapping[str, Price] = {
    "gpt-4.1": Price(2.00, 8.00, 0.50),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-4o": Price(2.50, 10.00, 1.25),
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "gpt-5": Price(1.25, 10.00, 0.125),
    "gpt-5-mini": Price(0.25, 2.00, 0.025),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
}
BATCH_DISCOUNT = 0.5
INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (128 + SIGINT)


def load_prices(path: str | os.PathLike[str]) -> dict[str, Price]:
    """A price table in USD per 1M tokens: ``{"model": {"input": 0.4, "output": 1.6}}``.

    ``cached_input`` (the price of cached prompt tokens) is optional.

    Raises:
        InputError: the file is not such a table.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {
            str(model): Price(
                float(p["input"]),
                float(p["output"]),
                float(p["cached_input"]) if p.get("cached_input") is not None else None,
            )
            for model, p in data.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"{path}: not a price table ({type(exc).__name__}: {exc}); expected "
            '{"model": {"input": USD per 1M tokens, "output": ..., "cached_input": ...}}'
        ) from None


def price_of(model: str, table: Mapping[str, Price]) -> Price | None:
    """The model's price: an exact entry, else the longest entry its name starts with
    (``gpt-4.1-mini-2025-04-14`` is priced as ``gpt-4.1-mini``)."""
    if model in table:
        return table[model]
    prefixes = [name for name in table if model.startswith(name + "-")]
    return table[max(prefixes, key=len)] if prefixes else None


def _dollars(usage: Usage, price: Price) -> float:
    cached = usage.cached_tokens if price.cached_input is not None else 0
    fresh = usage.prompt_tokens - cached
    return (
        fresh * price.input
        + cached * (price.cached_input or 0.0)
        + usage.completion_tokens * price.output
    ) / 1_000_000


def estimate_cost(stats: BatchStats, price: Price) -> float:
    """Dollars this run spent: batch answers at half price, everything else at full price."""
    batch = stats.provider_batch_usage
    sync = Usage(
        prompt_tokens=stats.usage.prompt_tokens - batch.prompt_tokens,
        completion_tokens=stats.usage.completion_tokens - batch.completion_tokens,
        cached_tokens=stats.usage.cached_tokens - batch.cached_tokens,
    )
    return _dollars(sync, price) + BATCH_DISCOUNT * _dollars(batch, price)


def _shorten(text: str, limit: int = 110) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def summary_table(
    stats: BatchStats, *, model: str, price: Price | None, output: Path, db: Path | None
) -> Any:
    """The end-of-run table: counts, failure reasons, tokens, cost, time."""
    from rich.table import Table
    from rich.text import Text

    from ._progress import human_tokens

    table = Table(title=Text(f"newsschema batch: {model}"), title_justify="left", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    u = stats.usage
    cached = f" ({stats.cached:,} from the cache)" if stats.cached else ""
    rows: list[tuple[str, str]] = [
        ("articles", f"{stats.total:,}"),
        ("done", f"{stats.succeeded:,}{cached}"),
        ("failed", f"{stats.failed:,}"),
    ]
    for kind, count in stats.failures.most_common():
        rows.append((f"  {kind}", f"{count:,}: {_shorten(stats.examples.get(kind, ''))}"))
    if stats.skipped:
        rows.append(("skipped", f"{stats.skipped:,} already in {output.name}"))
    rows.append(("cached", f"{stats.cached:,}"))
    rows.append(
        (
            "tokens",
            f"{human_tokens(u.total_tokens)} ({u.prompt_tokens:,} prompt, "
            f"{u.completion_tokens:,} completion)",
        )
    )
    if stats.provider_batch_usage.requests:
        rows.append(("  via provider batch", human_tokens(stats.provider_batch_usage.total_tokens)))
    rows.append(("HTTP requests", f"{stats.http_requests:,} ({stats.rate_limited:,} answered 429)"))
    if price is not None:
        rows.append(("estimated cost", f"${estimate_cost(stats, price):,.4f}"))
    else:
        rows.append(("estimated cost", f"unknown (no price for {model}; pass a price table)"))
    rows.append(("wall time", f"{stats.elapsed:,.1f} s"))
    rows.append(("output", str(output) + (f", {db}" if db is not None else "")))
    for what, value in rows:
        table.add_row(Text(what), Text(value))
    return table


def run_batch_cli(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    output: str | os.PathLike[str],
    db: str | os.PathLike[str] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: bool | str | os.PathLike[str] = True,
    published_field: str = "published",
    text_field: str = "text",
    id_field: str = "id",
    model: str | None = None,
    mode: str | None = None,
    base_url: str | None = None,
    provider_batch: bool = False,
    retry_failed: bool = False,
    prices: str | os.PathLike[str] | None = None,
    progress: bool | None = None,
    client: Any = None,
    console: Any = None,
) -> int:
    """Run ``newsschema batch``: summarise every article in ``inputs`` into ``output``.

    Prints a summary table at the end (done, failed with reasons, cached, tokens,
    estimated cost when the model's price is known or given, wall time).

    Returns:
        The exit code: 0 when every article is done, 1 when some failed, 130 when
        interrupted (Ctrl-C; the summary is printed and a re-run resumes).

    Raises:
        InputError, ConfigurationError: before any call (bad input file, no model ...).
    """
    from rich.console import Console

    from ._articles import load_articles
    from ._batch import summarize_many
    from ._calls import resolve_model

    table = dict(KNOWN_PRICES)
    if prices is not None:
        table.update(load_prices(prices))
    articles = load_articles(
        *inputs, id_field=id_field, text_field=text_field, published_field=published_field
    )
    if not articles:
        raise InputError("no articles found in " + ", ".join(str(p) for p in inputs))
    stats = BatchStats()
    outcomes = summarize_many(
        articles,
        model=model, mode=mode, base_url=base_url, client=client, concurrency=concurrency,
        rpm=rpm, tpm=tpm, cache=cache, output=output, db=db, retry_failed=retry_failed,
        progress=progress, provider_batch=provider_batch, stats=stats,
    )  # fmt: skip
    interrupted = False
    try:
        for _ in outcomes:
            pass  # each outcome is already written to the output as it finishes
    except KeyboardInterrupt:
        interrupted = True  # the run has stopped; what finished is written
    name = resolve_model(model)
    out = console if console is not None else Console()
    out.print(
        summary_table(
            stats,
            model=name,
            price=price_of(name, table),
            output=Path(output),
            db=Path(db) if db is not None else None,
        )
    )
    if interrupted:
        out.print("interrupted: run the same command again to resume where it stopped")
        return INTERRUPTED
    return 1 if stats.failed else 0
