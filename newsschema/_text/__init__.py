"""Text algorithms: grounding quotes, actors' names and codes, places, merging, time expressions.

Deterministic code over the article and the records; imports only records and errors.
"""

from ._actors import index_actors, name_words, normalise_actors
from ._grounding import ground_quote, locate_quote
from ._html import HTML_HINT, decode_page, extract_page, looks_like_html
from ._language import (
    SUPPORTED_LANGUAGES,
    LanguageSource,
    article_language,
    check_language,
    detect_language,
    language_name,
    warn_unsupported,
)
from ._merge import merge_duplicates, status_problem
from ._places import gazetteer_available, resolve_place, resolve_places
from ._time import coerce_published, find_published, resolve_duration, resolve_time

__all__ = [
    "HTML_HINT",
    "SUPPORTED_LANGUAGES",
    "LanguageSource",
    "article_language",
    "check_language",
    "coerce_published",
    "decode_page",
    "detect_language",
    "extract_page",
    "find_published",
    "gazetteer_available",
    "ground_quote",
    "index_actors",
    "language_name",
    "locate_quote",
    "looks_like_html",
    "merge_duplicates",
    "name_words",
    "normalise_actors",
    "resolve_duration",
    "resolve_place",
    "resolve_places",
    "resolve_time",
    "status_problem",
    "warn_unsupported",
]
