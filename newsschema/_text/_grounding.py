"""Find where a quote stands in an article: tolerant to formatting, strict on words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Grounded", "ground_quote", "locate_quote"]

_QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043", "-"),
    }
)
# Invisible characters that scraping and typesetting insert between letters: zero
# widths, soft hyphens, the marks and embeddings of right-to-left text, and the Arabic
# tatweel, which only stretches a word.
_IGNORABLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u0640"
)
# Arabic short vowels, tanween, shadda, sukun and the dagger alif: optional marks that
# one copy writes and another leaves out; the letters they sit on are the words.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")
_EDGE_PUNCTUATION = " \t\n\"'.,;:!?-()[]\u060c\u061b\u061f"
_ELLIPSIS = re.compile(r"\s*\.{3,}\s*")


@dataclass(frozen=True)
class _Normalized:
    text: str
    starts: tuple[int, ...]  # original index where each normalised char comes from
    ends: tuple[int, ...]  # original index just past it


def _clusters(text: str) -> list[tuple[int, str]]:
    """Split into base characters with their combining marks, keeping start offsets."""
    out: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if out and unicodedata.combining(ch):
            start, cluster = out[-1]
            out[-1] = (start, cluster + ch)
        else:
            out.append((i, ch))
    return out


@lru_cache(maxsize=64)
def _normalize(text: str) -> _Normalized:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, written in _clusters(text):
        end = start + len(written)
        cluster = _ARABIC_MARKS.sub("", written) or written
        if cluster in _IGNORABLE:
            continue
        if cluster.isspace():
            if chars and chars[-1] == " ":
                ends[-1] = end
            else:
                chars.append(" ")
                starts.append(start)
                ends.append(end)
            continue
        for out in unicodedata.normalize("NFKC", cluster).translate(_QUOTES):
            chars.append(out)
            starts.append(start)
            ends.append(end)
    return _Normalized("".join(chars), tuple(starts), tuple(ends))


def _spaced_script(ch: str) -> bool:
    """True for letters of scripts that separate words with spaces (not CJK)."""
    if not ch.isalnum():
        return False
    cp = ord(ch)
    return not (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF)


@lru_cache(maxsize=4096)
def _fragment_pattern(fragment: str) -> re.Pattern[str]:
    first, rest = fragment[0], fragment[1:]
    cased = first.lower() != first.upper()
    head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" if cased else re.escape(first)
    pattern = head + re.escape(rest)
    if _spaced_script(fragment[0]):
        pattern = r"(?<![^\W_])" + pattern
    if _spaced_script(fragment[-1]):
        pattern += r"(?![^\W_])"
    return re.compile(pattern)


def _fragments(quote: str) -> list[str]:
    text = _normalize(quote).text
    parts = (p.strip(_EDGE_PUNCTUATION) for p in _ELLIPSIS.split(text))
    return [p for p in parts if p]


def _edges(quote: str) -> tuple[str, str]:
    """The punctuation the copy has before its first fragment and after its last."""
    text = _normalize(quote).text.strip()
    head = text[: len(text) - len(text.lstrip(_EDGE_PUNCTUATION))]
    tail = text[len(text.rstrip(_EDGE_PUNCTUATION)) :]
    return head, tail


# Checking an answer and enriching it locate the same quotes in the same article.
@lru_cache(maxsize=256)
def _match(quote: str, text: str) -> tuple[int, int] | None:
    """Where the quote's fragments stand in ``_normalize(text).text``, first to last."""
    fragments = _fragments(quote)
    if not fragments:
        return None
    haystack = _normalize(text).text
    patterns = [_fragment_pattern(f) for f in fragments]
    # The earliest match of each fragment is optimal: a later start only narrows
    # where the following fragments may stand.
    first = patterns[0].search(haystack)
    if first is None:
        return None
    end = first.end()
    for pattern in patterns[1:]:
        found = pattern.search(haystack, end)
        if found is None:
            return None
        end = found.end()
    return first.start(), end


def _original(span: tuple[int, int], text: str) -> tuple[int, int]:
    """A span of the normalised article as ``str`` indices into the article itself."""
    haystack = _normalize(text)
    return haystack.starts[span[0]], haystack.ends[span[1] - 1]


def _widened(quote: str, text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` grown over the punctuation around the copy that the article has there too."""
    haystack = _normalize(text).text
    head, tail = _edges(quote)
    start, end = span
    taken = 0
    while taken < len(head) and start > 0 and haystack[start - 1] == head[-1 - taken]:
        start, taken = start - 1, taken + 1
    taken = 0
    while taken < len(tail) and end < len(haystack) and haystack[end] == tail[taken]:
        end, taken = end + 1, taken + 1
    # A space can only be inside the punctuation, never at the passage's edge.
    while haystack[start] == " ":
        start += 1
    while haystack[end - 1] == " ":
        end -= 1
    return start, end


@dataclass(frozen=True)
class Grounded:
    """A copied passage found in the article: its offsets and the article's own characters.

    ``text[start:end] == quote`` always. ``model_quote`` is the copy as given when it
    differs from ``quote`` (case, spacing, quote marks, an ellipsis ...), else None.
    """

    start: int
    end: int
    quote: str
    model_quote: str | None


def ground_quote(quote: str, text: str) -> Grounded | None:
    """The article's passage a copied quote reproduces, as the article writes it.

    The passage is the one :func:`locate_quote` finds, grown over the punctuation
    the copy has around it where the article has the same there ("...in Beijing."
    keeps its period when the article's sentence ends so). Fragments joined with an
    ellipsis give one passage from the first fragment to the end of the last, words
    between them included: one span can only slice to one stretch of the article.

    Args:
        quote: the passage as the model (or anyone) copied it.
        text: the article.

    Returns:
        The offsets, ``text[start:end]`` and the copy where it differs; or None when
        the article does not contain the quote.

    Example:
        >>> found = ground_quote("we won't stop.", "He said: \u201cWe won\u2019t stop.\u201d")
        >>> found.quote, found.model_quote
        ('We won\u2019t stop.', "we won't stop.")
    """
    span = _match(quote, text)
    if span is None:
        return None
    start, end = _original(_widened(quote, text, span), text)
    passage = text[start:end]
    return Grounded(start, end, passage, None if passage == quote else quote)


def locate_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Find the passage of ``text`` that ``quote`` reproduces.

    Tolerates what copying changes without changing the words: whitespace and line
    breaks, straight vs curly quotes and apostrophes, dash variants, Unicode
    normalisation (NFKC, combining marks), a changed capital at the start of a
    fragment, punctuation around the quote, and fragments joined with an ellipsis
    ("..." or "…"), which must then appear in order. Rejects any change of words:
    a paraphrase, another name or number, an inserted or dropped "not".

    Args:
        quote: the passage as the model (or anyone) copied it.
        text: the article.

    Returns:
        ``(start, end)`` Python ``str`` indices such that ``text[start:end]`` is the
        article's own passage, from the first fragment to the last; or None.

    Example:
        >>> text = "He said: \u201cWe won\u2019t  stop.\u201d"
        >>> start, end = locate_quote("we won't stop", text)
        >>> text[start:end]
        'We won\u2019t  stop'
    """
    span = _match(quote, text)
    return None if span is None else _original(span, text)
