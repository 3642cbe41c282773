"""One comparable form of a name, for actors and places alike."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold_name"]

_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        ".": None,  # "U.S." and "US", "St. Lucia" and "St Lucia" are the same name
        "\u0640": None,  # Arabic tatweel only stretches a word
    }
)


@lru_cache(maxsize=8192)
def fold_name(value: str) -> str:
    """Comparable form of a name: no accents, periods or leading article; casefolded."""
    return fold_uncached(value)


def fold_uncached(value: str) -> str:
    """:func:`fold_name` without its cache (for the gazetteer's 350,000 names, read once)."""
    if value.isascii():
        bare = value
    else:
        decomposed = unicodedata.normalize("NFKD", value)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = " ".join(bare.translate(_PUNCTUATION).casefold().split())
    return key.removeprefix("the ")
