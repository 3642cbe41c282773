"""newsschema: news articles in, typed and evidence-grounded event records out.

>>> from newsschema import summarize
>>> s = summarize(article_text, published="2023-09-18")  # doctest: +SKIP
>>> s.meetings[0].participants  # doctest: +SKIP

Importing this package is cheap: the openai SDK and instructor load on first call.
"""

from ._articles import Article, load_articles
from ._batch import BatchStats, Failure, Outcome, asummarize_many, summarize_many
from ._calls import Mode
from ._errors import (
    BudgetExceededError,
    ConfigurationError,
    ExtractionError,
    ExtractionFailed,
    FailedAttempt,
    InputError,
    MalformedResponseError,
    NewsschemaError,
    NewsschemaWarning,
    OutputError,
    ProviderError,
    RateLimitError,
    RefusalError,
    RetriesExhaustedError,
    TruncatedOutputError,
)
from ._export import (
    export_sqlite,
    read_jsonl,
    to_dataframe,
    to_records,
    write_csv,
    write_jsonl,
)
from ._grounding import locate_quote
from ._provider_batch import ProviderBatch
from ._report import render_report, write_report
from ._retry import RetryPolicy
from ._schemas import (
    Actor,
    ArticleSummary,
    DroppedRecord,
    Evidence,
    IndexedActor,
    Meeting,
    Place,
    Provenance,
    PublishedSource,
    Statement,
    Status,
    Usage,
    Visit,
    Warrant,
    WarrantStatus,
    When,
    strict_json_schema,
)
from ._summarize import asummarize, summarize
from ._time import find_published, resolve_time

__all__ = [
    "Actor",
    "Article",
    "ArticleSummary",
    "BatchStats",
    "BudgetExceededError",
    "ConfigurationError",
    "DroppedRecord",
    "Evidence",
    "ExtractionError",
    "ExtractionFailed",
    "FailedAttempt",
    "Failure",
    "IndexedActor",
    "InputError",
    "MalformedResponseError",
    "Meeting",
    "Mode",
    "NewsschemaError",
    "NewsschemaWarning",
    "Outcome",
    "OutputError",
    "Place",
    "Provenance",
    "ProviderBatch",
    "ProviderError",
    "PublishedSource",
    "RateLimitError",
    "RefusalError",
    "RetriesExhaustedError",
    "RetryPolicy",
    "Statement",
    "Status",
    "TruncatedOutputError",
    "Usage",
    "Visit",
    "Warrant",
    "WarrantStatus",
    "When",
    "asummarize",
    "asummarize_many",
    "export_sqlite",
    "find_published",
    "load_articles",
    "locate_quote",
    "read_jsonl",
    "render_report",
    "resolve_time",
    "strict_json_schema",
    "summarize",
    "summarize_many",
    "to_dataframe",
    "to_records",
    "write_csv",
    "write_jsonl",
    "write_report",
]
