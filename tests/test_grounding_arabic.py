"""Grounding Arabic quotes: right-to-left text, tatweel, diacritics, Arabic punctuation.

The article is self-written for this test (tests/fixtures/languages/SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsschema import locate_quote
from newsschema._text import ground_quote

ARTICLE = (Path(__file__).parent / "fixtures" / "languages" / "ar_grounding.txt").read_text(
    encoding="utf-8"
)


def test_a_quote_without_diacritics_grounds_on_the_article_with_them() -> None:
    # The article writes "الفرنسيّ" and "يومَ" with shadda and fatha; the copy does not.
    found = ground_quote("التقى الرئيس الفرنسي إيمانويل ماكرون يوم الاثنين في باريس", ARTICLE)
    assert found is not None
    assert ARTICLE[found.start : found.end] == found.quote
    assert found.quote.startswith("التقى الرئيس الفرنسيّ")
    assert "يومَ الاثنين" in found.quote
    assert found.model_quote is not None  # the copy differs from the article's characters


def test_tatweel_in_the_article_or_the_copy_is_not_a_difference() -> None:
    # The article stretches "السـلام" with a tatweel; the copy writes "السلام".
    found = ground_quote("إن فرنسا والمملكة تعملان معا من أجل السلام", ARTICLE)
    assert found is not None and "السـلام" in found.quote
    stretched = ground_quote("بوزيـــر الخارجيـة السعودي", ARTICLE)
    assert stretched is not None and stretched.quote == "بوزير الخارجيّة السعوديّ"


def test_right_to_left_marks_are_ignored_and_offsets_index_the_text() -> None:
    marked = "\u200f" + ARTICLE.replace("ماكرون", "\u200fماكرون\u200f")
    span = locate_quote("الرئيس الفرنسي إيمانويل ماكرون", marked)
    assert span is not None
    start, end = span
    assert marked[start:end].replace("\u200f", "") == "الرئيس الفرنسيّ إيمانويل ماكرون"


def test_arabic_punctuation_around_the_copy_is_kept_where_the_article_has_it() -> None:
    found = ground_quote("«إن فرنسا والمملكة تعملان معا من أجل السلام»،", ARTICLE)
    assert found is not None
    assert found.quote.startswith("«") and found.quote.endswith("»،")


@pytest.mark.parametrize(
    "changed",
    [
        "التقى الرئيس الألماني إيمانويل ماكرون",  # another adjective
        "إن فرنسا والمملكة لا تعملان معا",  # an inserted "not"
        "التقى الرئيس الفرنسي يوم الثلاثاء",  # another day
    ],
)
def test_a_changed_word_in_arabic_is_not_grounded(changed: str) -> None:
    assert ground_quote(changed, ARTICLE) is None
