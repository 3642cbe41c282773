"""Many articles: the concurrent runner, its sinks, cache, rate limiter and the Batch API."""

from ._progress import human_tokens
from ._provider_batch import ProviderBatch
from ._ratelimit import RateLimiter, request_tokens, token_counter
from ._run import DEFAULT_CONCURRENCY, BatchStats, Failure, Outcome, asummarize_many, summarize_many

__all__ = [
    "DEFAULT_CONCURRENCY",
    "BatchStats",
    "Failure",
    "Outcome",
    "ProviderBatch",
    "RateLimiter",
    "asummarize_many",
    "human_tokens",
    "request_tokens",
    "summarize_many",
    "token_counter",
]
