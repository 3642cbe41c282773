"""Prompt tokens of a chunked long article against one request for the same text.

Usage:
    python benchmarks/chunking.py [--output MD]

The article is the twenty Voice of America stories of the gold set
(``benchmarks/gold/voa-*.json``, public domain), one after the other with a blank
line between them: real news text, about 21,000 estimated tokens. It is
summarised offline with :class:`newsschema.testing.FakeModel` (answering an
empty event list), once in one request (``chunk_tokens=None``) and once chunked,
at the default settings and at others; every request the library sends is
captured as it went out, and its prompt is counted with the library's own
estimate (``estimate_tokens``, ~4 characters a token), the same for both runs.

Two counts are given, because servers count differently:

- **messages**: the system and user messages. What a server that enforces the
  JSON schema by constrained decoding (llama.cpp's ``llama-server``, vLLM) reads.
- **messages + schema**: plus the JSON schema of the answer, which OpenAI puts
  in the prompt and bills as prompt tokens (its recorded answers show the
  schema's tokens in ``prompt_tokens``).

Overhead = (sum over the chunks' requests - the one request) / the one request:
the repeated fixed prompt plus the overlapping sentences. A re-ask would add the
same in both runs and is not part of it (the fake answers validate at once).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsschema import summarize
from newsschema._extraction import DEFAULTS, estimate_tokens
from newsschema.testing import FakeModel

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "benchmarks" / "gold"
EMPTY: dict[str, Any] = {"headline": None, "summary": "Nothing.", "meetings": [], "statements": [],
         "visits": [], "warrants": []}  # fmt: skip
SETTINGS: tuple[tuple[int, int], ...] = (
    (4_000, 2), (6_000, 2), (8_000, 2), (8_000, 0), (8_000, 5), (12_000, 0), (12_000, 2),
    (12_000, 5), (16_000, 2),
)  # fmt: skip


def long_article() -> str:
    texts = [json.loads(p.read_text())["text"] for p in sorted(GOLD.glob("voa-*.json"))]
    return "\n\n".join(texts)


@dataclass(frozen=True)
class Count:
    requests: int
    messages: int
    schema: int

    @property
    def total(self) -> int:
        return self.messages + self.schema


def count(bodies: Sequence[dict[str, Any]]) -> Count:
    """The estimated prompt tokens of the requests as they were sent."""
    messages = sum(estimate_tokens(m["content"]) for b in bodies for m in b["messages"])
    schema = sum(estimate_tokens(json.dumps(b.get("response_format", {}))) for b in bodies)
    return Count(len(bodies), messages, schema)


def sent(article: str, chunk_tokens: int | None, overlap: int) -> Count:
    fake = FakeModel()
    fake.answer_with(lambda body: EMPTY)
    summarize(article, client=fake.client(), model="m", published="2025-03-14",
              chunk_tokens=chunk_tokens, chunk_overlap=overlap)  # fmt: skip
    return count(fake.requests)


def overhead(part: int, whole: int) -> str:
    return f"{(part - whole) / whole:+.1%}"


def report() -> str:
    article = long_article()
    one = sent(article, None, 0)
    lines = [
        "# Chunking overhead",
        "",
        f"Article: the 20 VOA gold stories joined, {len(article):,} characters, "
        f"{estimate_tokens(article):,} estimated tokens.",
        f"One request: {one.messages:,} tokens of messages, {one.total:,} with the schema "
        f"(fixed prompt: {one.messages - estimate_tokens(article):,} of messages, "
        f"{one.schema:,} of schema).",
        "",
        "| chunk_tokens | overlap (sentences) | requests | messages | overhead | "
        "messages + schema | overhead |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    defaults = (DEFAULTS.chunk_tokens, DEFAULTS.chunk_overlap)
    settings = [defaults, *(s for s in SETTINGS if s != defaults)]
    for size, overlap in settings:
        c = sent(article, size, overlap)
        mark = " (default)" if (size, overlap) == defaults else ""
        lines.append(
            f"| {size:,}{mark} | {overlap} | {c.requests} | {c.messages:,} | "
            f"{overhead(c.messages, one.messages)} | {c.total:,} | {overhead(c.total, one.total)} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    text = report()
    sys.stdout.write(text)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
