"""Terminal-safe text and the CLI's wording of the library's advice."""

from __future__ import annotations

import pytest

from newsschema._io._terminal import cli_words, neutralise, terminal_line

HOSTILE = {
    "window title": ("Talks\x1b]0;pwned\x07 end", "Talks end"),
    "title, ST-terminated": ("a\x1b]2;pwned\x1b\\b", "ab"),
    "clear screen": ("before\x1b[2J\x1b[Hafter", "beforeafter"),
    "colour": ("\x1b[31;1mred\x1b[0m", "red"),
    "OSC 8 hyperlink": ("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"),
    "DCS": ("\x1bPq#0;2;0;0;0\x1b\\ok", "ok"),
    "8-bit CSI": ("\x9b2Jx", "x"),
    "8-bit OSC": ("\x9d0;pwned\x9cx", "x"),
    "lone ESC at the end": ("tail\x1b", "tail"),
    "two-byte ESC": ("a\x1b7b\x1bc", "ab"),
    "bidi override": ("abc\u202edcba\u202c", "abcdcba"),
    "bidi isolate": ("x\u2066y\u2069", "xy"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_escape_sequences_are_removed_whole(case: str) -> None:
    raw, shown = HOSTILE[case]
    assert neutralise(raw) == shown


def test_other_control_characters_become_visible_and_tab_newline_stay() -> None:
    assert neutralise("a\rb\x08c\x00d\x7fe") == "a\ufffdb\ufffdc\ufffdd\ufffde"
    assert neutralise("line\r\nnext\ttab") == "line\nnext\ttab"


def test_ordinary_text_and_rich_markup_pass_unchanged() -> None:
    text = "Путин — «[bold]Wang Yi[/bold]» 王毅 café\n"
    assert neutralise(text) == text


def test_nothing_escapable_is_left_in_any_mix() -> None:
    raw = "".join(r for r, _ in HOSTILE.values()) + "".join(chr(c) for c in range(0x20))
    shown = neutralise(raw)
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in shown)
    assert not any(0x7F <= ord(c) <= 0x9F for c in shown)


def test_terminal_line_is_one_line() -> None:
    assert terminal_line("error\n  on\x1b[2J two lines") == "error on two lines"


@pytest.mark.parametrize(
    ("library", "cli"),
    [
        ("over the limit of 5 (max_input_tokens=...); split it", "(--max-input-tokens)"),
        ("(finish_reason=length): raise max_tokens or shorten", "raise --max-tokens or"),
        ("spent before a valid answer; raise time_budget", "raise --time-budget"),
        ("over 2 answer(s)) before a valid answer; raise token_budget", "raise --token-budget"),
        ("try again later or raise RetryPolicy limits", "raise --retries or --retry-time"),
        ("lower the request rate or raise RetryPolicy.max_time", "raise --retry-time"),
        ("set OPENAI_API_KEY, pass api_key=..., or pass client=... (x)", "pass --api-key (x)"),
        ("the field with text_field= (--text-field)", "the field with --text-field"),
        ("check the model name and base_url", "and --base-url"),
        (
            "a known event type; import the module that defines that event type before reading",
            "give --events module:Class to import that event type",
        ),
    ],
)
def test_library_advice_is_worded_as_cli_options(library: str, cli: str) -> None:
    worded = cli_words(library)
    assert cli in worded
    assert "_" not in worded.replace("finish_reason", "").replace("OPENAI_API_KEY", "")


def test_the_help_states_the_library_defaults() -> None:
    from newsschema import RetryPolicy
    from newsschema._extraction import _summarize
    from newsschema.cli import _options as cli

    assert cli.DEFAULT_MAX_INPUT_TOKENS == _summarize.DEFAULT_MAX_INPUT_TOKENS
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.max_time) == (cli.DEFAULT_RETRIES, cli.DEFAULT_RETRY_TIME)
    import inspect

    attempts = inspect.signature(_summarize.summarize).parameters["max_validation_attempts"]
    assert attempts.default == cli.DEFAULT_MAX_VALIDATION_ATTEMPTS
