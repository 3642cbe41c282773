"""newsschema: news articles in, typed and evidence-grounded event records out.

>>> from newsschema import summarize
>>> s = summarize(article_text, published="2023-09-18")  # doctest: +SKIP
>>> s.meetings[0].participants  # doctest: +SKIP

Importing this package is cheap: the openai SDK and instructor load on first call.
"""

from newsschema._batch import (
    BatchStats,
    Failure,
    Outcome,
    ProviderBatch,
    asummarize_many,
    summarize_many,
)
from newsschema._dataset import EventCluster, LinkRules, ReprocessReport, link_events, reprocess
from newsschema._extraction import Mode, RetryPolicy, asummarize, reprocess_summary, summarize
from newsschema._io import (
    Article,
    FetchedPage,
    FetchPolicy,
    export_sqlite,
    fetch_page,
    load_articles,
    read_jsonl,
    render_report,
    to_dataframe,
    to_records,
    write_csv,
    write_jsonl,
    write_report,
)
from newsschema._text import (
    find_published,
    locate_quote,
    resolve_duration,
    resolve_place,
    resolve_time,
)

from ._errors import (
    BudgetExceededError,
    ConfigurationError,
    ExtractionFailed,
    FailedAttempt,
    FetchError,
    GoldSetError,
    InputError,
    InvalidAnswerError,
    LocalServerError,
    MalformedResponseError,
    NewsschemaError,
    NewsschemaWarning,
    OutputError,
    PageTooLargeError,
    ProviderError,
    RateLimitError,
    RefusalError,
    RetriesExhaustedError,
    StoredAnswerError,
    TruncatedOutputError,
)
from ._records import (
    Actor,
    ArticleSummary,
    DraftAnswer,
    DroppedRecord,
    Event,
    Evidence,
    FailedChunk,
    IndexedActor,
    Meeting,
    ModelAnswer,
    Place,
    Provenance,
    PublishedSource,
    Statement,
    Status,
    Visit,
    Warrant,
    WarrantStatus,
    WebPage,
    When,
    strict_json_schema,
)
from ._usage import Usage

__all__ = [
    "Actor",
    "Article",
    "ArticleSummary",
    "BatchStats",
    "BudgetExceededError",
    "ConfigurationError",
    "DraftAnswer",
    "DroppedRecord",
    "Event",
    "EventCluster",
    "Evidence",
    "ExtractionFailed",
    "FailedAttempt",
    "FailedChunk",
    "Failure",
    "FetchError",
    "FetchPolicy",
    "FetchedPage",
    "GoldSetError",
    "IndexedActor",
    "InputError",
    "InvalidAnswerError",
    "LinkRules",
    "LocalServerError",
    "MalformedResponseError",
    "Meeting",
    "Mode",
    "ModelAnswer",
    "NewsschemaError",
    "NewsschemaWarning",
    "Outcome",
    "OutputError",
    "PageTooLargeError",
    "Place",
    "Provenance",
    "ProviderBatch",
    "ProviderError",
    "PublishedSource",
    "RateLimitError",
    "RefusalError",
    "ReprocessReport",
    "RetriesExhaustedError",
    "RetryPolicy",
    "Statement",
    "Status",
    "StoredAnswerError",
    "TruncatedOutputError",
    "Usage",
    "Visit",
    "Warrant",
    "WarrantStatus",
    "WebPage",
    "When",
    "asummarize",
    "asummarize_many",
    "export_sqlite",
    "fetch_page",
    "find_published",
    "link_events",
    "load_articles",
    "locate_quote",
    "read_jsonl",
    "render_report",
    "reprocess",
    "reprocess_summary",
    "resolve_duration",
    "resolve_place",
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


def __getattr__(name: str) -> object:
    # Names that moved; each still works for a while, with a DeprecationWarning.
    if name == "ExtractionError":
        import warnings

        warnings.warn(
            "newsschema.ExtractionError is now newsschema.InvalidAnswerError (the answers "
            "never passed validation); ExtractionFailed stays the base of runtime failures",
            DeprecationWarning,
            stacklevel=2,
        )
        return InvalidAnswerError
    raise AttributeError(f"module 'newsschema' has no attribute {name!r}")
