"""The options of one article's extraction and their defaults, defined once.

``summarize``, ``asummarize``, ``summarize_many``, the provider batch and the CLI
all take these options; their signatures stay explicit for readers and type
checkers, and take their defaults from :data:`DEFAULTS`, so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from newsschema._errors import InputError
from newsschema._records import Event

from ._retry import RetryPolicy

__all__ = ["DEFAULTS", "DEFAULT_CHUNK_TOKENS", "DEFAULT_MAX_INPUT_TOKENS", "ExtractionOptions"]

DEFAULT_MAX_INPUT_TOKENS = 100_000
#: Articles above this many estimated tokens are extracted in chunks of at most this size.
DEFAULT_CHUNK_TOKENS = 12_000


@dataclass(frozen=True)
class ExtractionOptions:
    """Everything that decides how one article is extracted, besides its text and date.

    Attributes:
        model: model name; None: ``NEWSSCHEMA_MODEL``.
        mode: how structured output is requested; None: ``NEWSSCHEMA_MODE`` or json_schema.
        api_key: None: ``OPENAI_API_KEY``.
        base_url: None: ``OPENAI_BASE_URL``.
        retry: transport retry policy; None: ``RetryPolicy()``.
        max_validation_attempts: model answers allowed until one validates (re-asks + 1).
        token_budget: tokens for the article, every attempt counted; None: no cap.
        time_budget: seconds for the article, every wait counted; None: no cap.
        max_input_tokens: articles estimated above this are refused before any call.
        max_tokens: cap on output tokens per answer; None: the server's.
        temperature: sampling temperature; None: the server's default.
        events: the event types to extract; None: the four built-ins.
        chunk_tokens: articles estimated above this are split into chunks of at most
            this many tokens, extracted concurrently and merged; None: never split.
        chunk_overlap: sentences each chunk repeats from the end of the one before.
        language: the article's language (ISO 639-1, "de"); None: detected.
    """

    model: str | None = None
    mode: str | None = None
    api_key: str | None = None
    base_url: str | None = None
    retry: RetryPolicy | None = None
    max_validation_attempts: int = 3
    token_budget: int | None = None
    time_budget: float | None = None
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS
    max_tokens: int | None = None
    temperature: float | None = 0.0
    events: Sequence[type[Event]] | None = None
    chunk_tokens: int | None = DEFAULT_CHUNK_TOKENS
    chunk_overlap: int = 2
    language: str | None = None

    def __post_init__(self) -> None:
        if self.max_validation_attempts < 1:
            raise InputError("max_validation_attempts counts the first answer; it must be >= 1")
        if self.token_budget is not None and self.token_budget < 1:
            raise InputError("token_budget must be a positive number of tokens, or None")
        if self.time_budget is not None and self.time_budget <= 0:
            raise InputError("time_budget must be a positive number of seconds, or None")
        if self.max_input_tokens < 1:
            raise InputError("max_input_tokens must be a positive number of tokens")
        if self.chunk_tokens is not None and self.chunk_tokens < 1:
            raise InputError("chunk_tokens must be a positive number of tokens, or None")
        if self.chunk_overlap < 0:
            raise InputError("chunk_overlap counts sentences; it must be >= 0")

    def keywords(self) -> dict[str, Any]:
        """The options as keyword arguments of ``summarize``."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: The defaults every entry point's signature takes its own from.
DEFAULTS = ExtractionOptions()
