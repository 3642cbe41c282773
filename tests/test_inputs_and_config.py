"""Caller mistakes are typed errors raised before any HTTP request."""

from __future__ import annotations

import pytest
from conftest import EMPTY_ANSWER

from newsschema import ConfigurationError, InputError, summarize
from newsschema.testing import FakeModel


@pytest.mark.parametrize("text", ["", "   \n\t ", b"\xff\xfe not UTF-8", None, 42, "\x00\x01"])
def test_bad_text_raises_input_error_before_any_request(text) -> None:
    fake = FakeModel()
    with pytest.raises(InputError):
        summarize(text, client=fake.client(), model="m")
    assert fake.requests == []


def test_bad_published_date_is_an_input_error() -> None:
    fake = FakeModel()
    with pytest.raises(InputError, match="ISO 8601"):
        summarize("An article.", published="18/09/2023", client=fake.client(), model="m")
    assert fake.requests == []


def test_missing_key_names_the_env_var() -> None:
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        summarize("An article.", model="m")


def test_missing_model_names_the_env_var() -> None:
    with pytest.raises(ConfigurationError, match="NEWSSCHEMA_MODEL"):
        summarize("An article.", api_key="sk-x")


def test_unknown_mode_lists_the_choices() -> None:
    with pytest.raises(ConfigurationError, match="json_schema, tools, json, md_json"):
        summarize("An article.", api_key="sk-x", model="m", mode="xml")


def test_env_vars_are_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSSCHEMA_MODE", "nonsense")
    with pytest.raises(ConfigurationError, match="NEWSSCHEMA_MODE"):
        summarize("An article.", api_key="sk-x", model="m")


def test_async_client_given_to_sync_summarize_is_a_configuration_error() -> None:
    fake = FakeModel()
    with pytest.raises(ConfigurationError, match="OpenAI"):
        summarize("An article.", client=fake.async_client(), model="m")


def test_key_never_appears_in_configuration_errors() -> None:
    secret = "sk-live-SECRETSECRETSECRET1234567890"
    with pytest.raises(ConfigurationError) as caught:
        summarize("An article.", api_key=secret, mode="bogus", model="m")
    assert secret not in str(caught.value) and secret not in repr(caught.value)


def test_utf8_bytes_are_decoded() -> None:
    fake = FakeModel()
    fake.enqueue(EMPTY_ANSWER)
    s = summarize("Москва встречает.".encode(), client=fake.client(), model="m")
    assert s.summary == "s"
    assert "Москва встречает." in fake.requests[0]["messages"][1]["content"]


def test_control_characters_and_lone_surrogates_are_replaced_one_for_one() -> None:
    fake = FakeModel()
    fake.enqueue(EMPTY_ANSWER)
    summarize("Lavrov\x00 met\x07 Wang \ud800 today.\u200f", client=fake.client(), model="m")
    sent = fake.requests[0]["messages"][1]["content"]
    assert "Lavrov  met  Wang \ufffd today.\u200f" in sent


def test_article_over_the_input_limit_is_refused_with_the_estimate() -> None:
    fake = FakeModel()
    with pytest.raises(InputError, match=r"about 250,001 tokens, over the limit of 100,000"):
        summarize("a" * 1_000_000, client=fake.client(), model="m")
    assert fake.requests == []


def test_template_syntax_in_an_article_reaches_the_model_verbatim() -> None:
    fake = FakeModel()
    fake.enqueue(EMPTY_ANSWER)
    article = "He wrote {{ article }} and {% raw %} on a wall."
    summarize(article, client=fake.client(), model="m")
    assert article in fake.requests[0]["messages"][1]["content"]


@pytest.mark.parametrize(
    "text",
    [
        # Markup inside prose stays as written; a page (it starts as HTML) is read
        # for its main text first (tests/test_pages.py).
        "Talks: Lavrov met <b>Wang</b>.</p><script>x()</script></html>",
        "外交部长王毅在莫斯科与拉夫罗夫举行会谈。",
        "Лавров встретился с Ван И в Москве.",
        "التقى لافروف وانغ يي في موسكو.",
        "\u202eRTL override\u202c and \u200fmarks\u200e in a sentence.",
    ],
    ids=["html", "chinese", "russian", "arabic", "bidi-marks"],
)
def test_markup_and_non_english_text_give_a_result(text: str) -> None:
    fake = FakeModel()
    fake.enqueue(EMPTY_ANSWER)
    s = summarize(text, client=fake.client(), model="m")
    assert s.summary == "s"
    assert text in fake.requests[0]["messages"][1]["content"]
