"""find_published: the date a paper prints in its header or dateline, never a story's date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import EMPTY_ANSWER, SEED_ARTICLE

from newsschema import find_published, resolve_time, summarize
from newsschema.testing import FakeModel

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "published"
STORY = "The talks began on Monday, officials said."


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------
# Real articles (tests/fixtures/published/SOURCES.md).


@pytest.mark.parametrize(
    "name",
    [
        "bbc_politics_406_excerpt.txt",  # "born in Glasgow on 20 February 1951"
        "bbc_politics_041_excerpt.txt",  # "the World Trade Center on 11 September 2001"
        "voa_6202623_excerpt.txt",  # a quote: "prison escape ... on 25 February 2021"
    ],
)
def test_a_date_in_the_story_is_not_the_publication_date(name: str) -> None:
    assert find_published(fixture(name)) is None


def test_a_page_header_date_under_the_byline_is_found() -> None:
    assert find_published(fixture("voa_8011115_page.txt")) == (date(2025, 3, 14), "article header")


def test_the_seed_page_keeps_its_header_date() -> None:
    # "Monday, December 4, 2023" on a line of its own, under the weather line.
    assert find_published(SEED_ARTICLE) == (date(2023, 12, 4), "article header")


def test_without_a_publication_date_relative_times_say_what_to_pass() -> None:
    text = fixture("bbc_politics_041_excerpt.txt")
    anchor = find_published(text)
    assert anchor is None
    when = resolve_time("on Wednesday", anchor, context=text)
    assert when.value is None and when.reason is not None
    assert "no publication date is known" in when.reason and "published=" in when.reason


def test_summarize_reports_an_unknown_date_for_a_story_dated_only_in_its_sentences() -> None:
    fake = FakeModel()
    fake.enqueue(EMPTY_ANSWER)
    summary = summarize(fixture("bbc_politics_406_excerpt.txt"), client=fake.client(), model="m")
    assert (summary.published, summary.published_source) == (None, "unknown")


# --------------------------------------------------------------------------------------
# Where papers print the date.


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("WASHINGTON, Sept. 18, 2023 (Reuters) - The talks began on Monday.", date(2023, 9, 18)),
        ("LONDON, 18 September 2023 (Reuters) - Talks began.", date(2023, 9, 18)),
        ("MOSCOW — Monday, Sept 18, 2023", date(2023, 9, 18)),
        (
            "MOSCOW — Monday, Sept 18, 2023 — Russia said on Monday it would talk.",
            date(2023, 9, 18),
        ),
        ("NEW YORK, Dec. 4, 2023 -- Stocks rose.", date(2023, 12, 4)),
        ("Published 18 September 2023", date(2023, 9, 18)),
        ("Published: 18 September 2023, 10:32 BST", date(2023, 9, 18)),
        ("Posted on September 18, 2023 at 9:30 a.m. EDT", date(2023, 9, 18)),
        ("First published Mon 18 Sep 2023 10.32 BST", date(2023, 9, 18)),
        ("Published: 2023-09-18", date(2023, 9, 18)),
        ("2023-09-18T09:30:00Z", date(2023, 9, 18)),
        ("By Jane Doe | Sept. 18, 2023", date(2023, 9, 18)),
        ("By Jane Doe and John Roe, Reuters | Published September 18, 2023", date(2023, 9, 18)),
        ("Monday, December 4, 2023", date(2023, 12, 4)),
        ("18 September 2023", date(2023, 9, 18)),
    ],
)
def test_header_forms(header: str, expected: date | None) -> None:
    found = find_published(f"Leaders meet in Geneva\n{header}\n{STORY}")
    assert found == (None if expected is None else (expected, "article header"))


@pytest.mark.parametrize(
    "text",
    [
        # A headline with a date in it is a headline.
        "Remembering the attacks of September 11, 2001\nThe city fell silent.",
        "Blair warned on 7 March 2003\nThe advice was made public.",
        # A sentence of the story, on any line of the top.
        "Talks resumed on 18 September 2023 in Geneva.",
        "Treaty signed\nThe law was passed on March 3, 1998, officials said.",
        "Profile\nHe was born on 20 February 1951",
        # Not a place and a dateline: words in lower case before the comma.
        "Updated 2023\nThe election, May 5 - a Thursday - is near.",
        # Not a byline: "By the" is the start of a sentence.
        "By the end of September 18, 2023 the deal was done",
        # A yearless dateline with no year in the header.
        "WASHINGTON, Sept. 18 (Reuters) - The talks began on Monday.",
        # Past the top of the article.
        "Headline\nStandfirst\nOne.\nTwo.\nThree.\nMonday, December 4, 2023\nFour.",
        "",
    ],
)
def test_no_publication_date_where_the_paper_prints_none(text: str) -> None:
    assert find_published(text) is None


def test_a_yearless_dateline_takes_the_year_of_a_header_line() -> None:
    text = "Updated 2023\nWASHINGTON, Sept. 18 (Reuters) - The talks began on Monday."
    assert find_published(text) == (date(2023, 9, 18), "article header")


def test_published_wins_over_updated() -> None:
    text = "Talks\nUpdated 20 September 2023\nPublished 18 September 2023\nThey met."
    assert find_published(text) == (date(2023, 9, 18), "article header")


def test_an_update_date_is_taken_when_it_is_the_only_one() -> None:
    text = "Talks\nLast updated: 20 September 2023\nThey met on Monday."
    assert find_published(text) == (date(2023, 9, 20), "article header")


def test_an_impossible_header_date_is_skipped() -> None:
    assert find_published("Talks\nPublished 30 February 2023\nThey met.") is None
