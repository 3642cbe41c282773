"""Every located quote is the article's own characters: ``text[start:end] == quote``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import SEED_ARTICLE
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsschema._extraction._summarize import _enrich
from newsschema._records import Evidence, article_draft
from newsschema._text._grounding import ground_quote, locate_quote
from newsschema.cli import app

ArticleDraft = article_draft()

# --------------------------------------------------------------------------------------
# The seed article, as `newsschema demo --json` prints it


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["demo", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_every_seed_evidence_quote_slices_out_of_the_article(demo: dict[str, Any]) -> None:
    evidence = [e for kind in ("meetings", "statements", "visits", "warrants") for r in demo[kind]
                for e in r["evidence"]]  # fmt: skip
    assert len(evidence) == 26
    sliced = [e for e in evidence if SEED_ARTICLE[e["start"] : e["end"]] == e["quote"]]
    assert len(sliced) == 26  # was 2: the spans stopped before the period the quote kept


def test_every_seed_direct_quote_slices_out_of_the_article(demo: dict[str, Any]) -> None:
    quoted = [s for s in demo["statements"] if s["quote"] is not None]
    assert len(quoted) == 1
    for statement in quoted:
        assert SEED_ARTICLE[statement["quote_start"] : statement["quote_end"]] == statement["quote"]


# --------------------------------------------------------------------------------------
# ground_quote

TEXT = (
    "Russia\u2019s Foreign Ministry said on Monday that Lavrov and Wang agreed.\n"
    "\u201cThe parties talked  extensively\u2014about Ukraine,\u201d the statement said. "
    "Putin has not traveled much. 12 agreements were signed."
)


@pytest.mark.parametrize(
    ("copy", "passage"),
    [
        # The article's period and quote marks are kept where the copy has them too.
        ("Putin has not traveled much.", "Putin has not traveled much."),
        (
            "\u201cThe parties talked  extensively\u2014about Ukraine,\u201d",
            "\u201cThe parties talked  extensively\u2014about Ukraine,\u201d",
        ),
        # Copy noise: the passage is the article's characters, whatever the copy's.
        (
            '"the parties talked extensively-about Ukraine,"',
            "\u201cThe parties talked  extensively\u2014about Ukraine,\u201d",
        ),
        ("Russia's Foreign Ministry said", "Russia\u2019s Foreign Ministry said"),
        # Punctuation the article does not have there is not taken.
        (
            "The parties talked extensively\u2014about Ukraine.",
            "The parties talked  extensively\u2014about Ukraine",
        ),
        ("12 agreements were signed!", "12 agreements were signed"),
        # Fragments joined by an ellipsis: one passage over both, the words between kept.
        (
            "Putin has not traveled much ... 12 agreements",
            "Putin has not traveled much. 12 agreements",
        ),
        (
            "Lavrov and Wang agreed. \u2026 the statement said.",
            "Lavrov and Wang agreed.\n\u201cThe parties talked  extensively\u2014about Ukraine,"
            "\u201d the statement said.",
        ),
    ],
)
def test_the_passage_is_the_articles_own_characters(copy: str, passage: str) -> None:
    found = ground_quote(copy, TEXT)
    assert found is not None
    assert found.quote == passage == TEXT[found.start : found.end]
    assert found.model_quote == (None if copy == passage else copy)


def test_an_exact_copy_is_kept_once() -> None:
    found = ground_quote("Putin has not traveled much.", TEXT)
    assert found is not None and found.model_quote is None


def test_a_passage_never_starts_or_ends_with_a_space() -> None:
    found = ground_quote(' "  12 agreements were signed. " ', TEXT)
    assert found is not None and found.quote == "12 agreements were signed."


def test_changed_words_are_still_not_found() -> None:
    assert ground_quote("Putin has traveled much.", TEXT) is None
    assert ground_quote("...", TEXT) is None


def test_locate_quote_keeps_its_span_of_the_words() -> None:
    # The checks and the gold-set scoring use it; only the records' spans grow.
    span = locate_quote("Putin has not traveled much.", TEXT)
    assert span is not None and TEXT[span[0] : span[1]] == "Putin has not traveled much"


# --------------------------------------------------------------------------------------
# Property: random articles, quotes copied from them with copy noise

_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=7)
_WORD = st.tuples(_WORDS, st.sampled_from(["", "", "", "\u2019s", "'s"]), st.booleans()).map(
    lambda w: (w[0].capitalize() if w[2] else w[0]) + w[1]
)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=8)
_SPACE = st.sampled_from([" ", " ", " ", "  ", "\n", " \n "])


@st.composite
def _article_and_copy(draw: st.DrawFn) -> tuple[str, str, str]:
    """An article, the passage a quote was taken from, and the noisy copy of it."""
    sentences = draw(st.lists(_SENTENCE, min_size=1, max_size=4))
    parts: list[str] = []
    spans: list[tuple[int, int]] = []  # where each sentence stands, its period included
    for words in sentences:
        if parts:
            parts.append(draw(_SPACE))
        pieces = [words[0]]
        for word in words[1:]:
            pieces += [draw(_SPACE), word]
        closing = draw(st.sampled_from([".", ".", ",", "!", ".\u201d"]))
        opening = "\u201c" if closing.endswith("\u201d") else ""
        start = sum(map(len, parts)) + len(opening)
        parts.append(opening + "".join(pieces) + closing)
        spans.append((start, start + len("".join(pieces)) + len(closing.rstrip("\u201d"))))
    article = "".join(parts)
    start, end = spans[draw(st.integers(0, len(spans) - 1))]
    taken = article[start:end]
    # Copy noise: the first letter's case, whitespace, quote marks, the final period.
    copy = " ".join(taken.split()) if draw(st.booleans()) else taken
    if draw(st.booleans()):
        copy = copy[0].swapcase() + copy[1:]
    if draw(st.booleans()):
        copy = copy.replace("\u2019", "'")
    ending = draw(st.sampled_from(["keep", "drop", "add"]))
    if ending == "drop":
        copy = copy.rstrip(".,!")
    elif ending == "add":
        copy += "."
    if draw(st.booleans()):
        copy = f'"{copy}"'
    return article, taken, copy


def _draft(evidence: str, direct: str) -> ArticleDraft:
    actor = {"name": "Someone", "title": None, "organisation": None, "country": None,
             "kind": "person"}  # fmt: skip
    statement = {
        "when": None,
        "evidence": [{"quote": evidence}],
        "speaker": actor,
        "content": "It.",
        "quote": direct,
        "addressee": None,
        "occasion": None,
        "status": "occurred",
    }
    return ArticleDraft.model_validate(
        {
            "headline": None,
            "summary": "S.",
            "meetings": [],
            "statements": [statement],
            "visits": [],
            "warrants": [],
        }
    )


def _check(evidence: Evidence, copy: str, article: str) -> None:
    assert evidence.start is not None and evidence.end is not None
    assert article[evidence.start : evidence.end] == evidence.quote
    # Nothing is lost for review: the model's copy stays where it differs.
    assert (evidence.model_quote or evidence.quote) == copy
    assert evidence.model_quote != evidence.quote


@given(_article_and_copy())
@example(("He said: \u201cWe won\u2019t  stop.\u201d", "We won\u2019t  stop.", "we won't stop"))
@example(("Ana met Bo. Then Cy left,", "Then Cy left,", "Then Cy left."))
def test_every_located_quote_slices_out_of_the_article(case: tuple[str, str, str]) -> None:
    article, taken, copy = case
    events, dropped = _enrich(_draft(copy, copy), article, [], None)
    assert not dropped
    (statement,) = events["statements"]
    (evidence,) = statement.evidence
    _check(evidence, copy, article)
    start, end = statement.quote_start, statement.quote_end
    assert start is not None and end is not None and statement.quote is not None
    assert article[start:end] == statement.quote == evidence.quote
    assert (statement.model_quote or statement.quote) == copy
    # The passage holds the words taken (or the same words earlier in the article).
    assert _plain(taken).rstrip(".,!") in _plain(statement.quote)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold().replace("\u2019", "'")


@given(_article_and_copy(), _article_and_copy())
def test_fragments_joined_by_an_ellipsis_give_one_slice_over_both(
    first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    article = first[0] + " " + second[0]
    copy = f"{first[1]} ... {second[1]}"
    found = ground_quote(copy, article)
    assert found is not None
    assert article[found.start : found.end] == found.quote
    assert found.model_quote == copy
