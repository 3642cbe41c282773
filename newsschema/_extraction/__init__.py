"""Extraction: the public ``summarize`` API, prompts, model calls with their retries, checks.

Uses the records and the text algorithms; knows nothing of files or batches.
"""

from ._calls import (
    MODES,
    CallSettings,
    Mode,
    raise_final,
    resolve_client,
    resolve_mode,
    resolve_model,
)
from ._options import DEFAULT_MAX_INPUT_TOKENS, DEFAULTS, ExtractionOptions
from ._prompts import prompt_version, render_messages, system_message
from ._rebuild import migrate_draft, reprocess_summary, summary_types_of
from ._retry import RetryPolicy, parse_duration, tenacity_kwargs, wait_from_headers
from ._summarize import (
    ReadArticle,
    asummarize,
    asummarize_answer,
    check_article,
    estimate_tokens,
    library_version,
    read_article,
    summarize,
)
from ._transport import current_limits

__all__ = [
    "DEFAULTS",
    "DEFAULT_MAX_INPUT_TOKENS",
    "MODES",
    "CallSettings",
    "ExtractionOptions",
    "Mode",
    "ReadArticle",
    "RetryPolicy",
    "asummarize",
    "asummarize_answer",
    "check_article",
    "current_limits",
    "estimate_tokens",
    "library_version",
    "migrate_draft",
    "parse_duration",
    "prompt_version",
    "raise_final",
    "read_article",
    "render_messages",
    "reprocess_summary",
    "resolve_client",
    "resolve_mode",
    "resolve_model",
    "summarize",
    "summary_types_of",
    "system_message",
    "tenacity_kwargs",
    "wait_from_headers",
]
