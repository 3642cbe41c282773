"""Text from articles and models, made safe to show on a terminal, and worded for the CLI.

Article text, model answers and provider messages can hold terminal escape
sequences (``ESC ] 0 ; title BEL`` retitles the window, ``ESC [ 2 J`` clears the
screen, OSC 8 makes a hyperlink whose target is hidden) and bidirectional
overrides that reorder what is shown. :func:`neutralise` removes them before the
CLI prints such text; the CLI's own styling is applied afterwards, by rich, to
text that holds none of them. JSON output is not passed through here: JSON
escapes control characters itself, and piped output stays exact.

:func:`cli_words` rewrites the library's advice (``max_input_tokens=...``,
``RetryPolicy`` ...) into the options a person at the command line types.
"""

from __future__ import annotations

import re

__all__ = ["cli_words", "neutralise", "terminal_line"]

# Whole escape sequences, 7-bit (ESC ...) and 8-bit (C1) forms:
# OSC, DCS, SOS, PM, APC run to BEL or ST; CSI to its final byte; others are ESC + one byte.
_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -/]*[0-~]?"
)
# Control characters left over (C0 but tab and newline, DEL, C1), and bidi
# embeddings, overrides and isolates, which reorder the text around them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def neutralise(text: str) -> str:
    """``text`` without escape sequences or control characters, ready for a terminal.

    Escape sequences (CSI, OSC, DCS and the rest, 7- and 8-bit) are removed
    whole; other control characters become U+FFFD, except tab and newline
    (a carriage return, which lets a line overwrite itself, is kept only as
    part of CR LF, read as a newline). Bidi overrides and isolates are removed.

    Example:
        >>> neutralise("Moscow\\x1b]0;pwned\\x07 talks\\x1b[2J")
        'Moscow talks'
    """
    text = text.replace("\r\n", "\n")
    text = _SEQUENCE.sub("", text)
    return _CONTROL.sub(lambda m: "" if m.group() >= "\u200e" else "\ufffd", text)


# The library's advice names Python arguments; at the command line they are options.
# Ordered: longer names first, so that ``max_tokens`` does not match inside ``max_input_tokens``.
_CLI_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r",? or pass client=\.\.\.|,? pass client=\.\.\.", ""),
        (
            r"import the module that defines that event type before reading",
            "give --events module:Class to import that event type",
        ),
        (r"\b[a-z_]+=(?:True|False|None|\.\.\.)? \((--[a-z-]+)\)", r"\1"),
        (r"\b[a-z_]+= / (--[a-z-]+)", r"\1"),  # "(db= / --db)"
        (r"\bcache=DIR\b", "--cache DIR"),
        (r"pass api_key=\.\.\.", "pass --api-key"),
        (r"\bapi_key=\.\.\.|\bapi_key\b", "--api-key"),
        (r"\bbase_url=\.\.\.|\bbase_url\b", "--base-url"),
        (r"\bmax_input_tokens(?:=\.\.\.)?", "--max-input-tokens"),
        (r"\bmax_validation_attempts(?:=\.\.\.)?", "--max-validation-attempts"),
        (r"\bmax_tokens(?:=\.\.\.)?", "--max-tokens"),
        (r"\btoken_budget(?:=\.\.\.)?", "--token-budget"),
        (r"\btime_budget(?:=\.\.\.)?", "--time-budget"),
        (r"\btemperature=", "--temperature "),
        (r"\bpublished=(?:\.\.\.)?", "--published "),
        (r"\bretry_failed(?:=True)?", "--retry-failed"),
        (r"\bRetryPolicy\.max_time\b", "--retry-time"),
        (r"\bRetryPolicy\.max_attempts\b", "--retries"),
        (r"\bRetryPolicy limits\b", "--retries or --retry-time"),
        (r"\bRetryPolicy\b", "--retries / --retry-time"),
    )
)


def cli_words(message: str) -> str:
    """The library's message with Python argument names replaced by the CLI's options.

    Example:
        >>> cli_words("over the limit (max_input_tokens=...); raise the limit")
        'over the limit (--max-input-tokens); raise the limit'
    """
    for pattern, replacement in _CLI_WORDS:
        message = pattern.sub(replacement, message)
    return message


def terminal_line(text: object) -> str:
    """Any message as one safe terminal line: neutralised, whitespace runs as one space."""
    return " ".join(neutralise(str(text)).split())
