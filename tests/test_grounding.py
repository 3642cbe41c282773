from __future__ import annotations

import pytest

from newsschema import locate_quote

TEXT = (
    "Russia\u2019s Foreign Ministry said on Monday that Lavrov and Wang agreed.\n"
    "\u201cThe parties talked  extensively\u2014about Ukraine,\u201d the statement said. "
    "Putin has not traveled much. 12 agreements were signed."
)


@pytest.mark.parametrize(
    ("quote", "located"),
    [
        (
            "Russia's Foreign Ministry said on Monday",
            "Russia\u2019s Foreign Ministry said on Monday",
        ),
        (
            "the parties talked extensively-about Ukraine",
            "The parties talked  extensively\u2014about Ukraine",
        ),
        (
            '"The parties talked extensively\u2014about Ukraine,"',
            "The parties talked  extensively\u2014about Ukraine",
        ),
        ("Wang agreed.\n\u201cThe parties", "Wang agreed.\n\u201cThe parties"),
        (
            "Putin has not traveled much ... 12 agreements",
            "Putin has not traveled much. 12 agreements",
        ),
        (
            "Putin has not traveled much \u2026 12 agreements",
            "Putin has not traveled much. 12 agreements",
        ),
    ],
)
def test_true_quotes_are_found(quote: str, located: str) -> None:
    span = locate_quote(quote, TEXT)
    assert span is not None
    assert TEXT[span[0] : span[1]] == located


@pytest.mark.parametrize(
    "quote",
    [
        "Putin has traveled much",  # dropped "not"
        "Putin has not not traveled much",  # inserted word
        "13 agreements were signed",  # changed number
        "Medvedev has not traveled much",  # changed name
        "The sides talked extensively",  # paraphrase
        "12 agreements were signed ... Russia’s Foreign Ministry",  # fragments out of order
        "Russi",  # part of a word
        "",
    ],
)
def test_changed_words_are_rejected(quote: str) -> None:
    assert locate_quote(quote, TEXT) is None


def test_offsets_are_str_indices_in_non_latin_text() -> None:
    text = "新华社报道：中国和俄罗斯加强合作。Лавров сказал, что Россия готова."
    span = locate_quote("中国和俄罗斯加强合作", text)
    assert span is not None and text[span[0] : span[1]] == "中国和俄罗斯加强合作"
    span = locate_quote("Россия готова", text)
    assert span is not None and text[span[0] : span[1]] == "Россия готова"
