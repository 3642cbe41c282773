"""Caller mistakes are typed errors raised before any HTTP request."""

from __future__ import annotations

import pytest

from newsschema import ConfigurationError, InputError, summarize
from newsschema.testing import FakeModel


@pytest.mark.parametrize("text", ["", "   \n\t ", b"bytes article", None, 42])
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
