"""The fixed part of a request for one event type against all four built-ins.

Every request carries, besides the article, a system prompt (the instructions and
one definition per chosen event type) and the JSON schema of the answer (a list per
chosen type). Choosing fewer types with ``events=`` shrinks both. This script sends
one short article through ``summarize`` with :class:`newsschema.testing.FakeModel`
(offline: the request is captured, the fake answers with empty lists) for every
single built-in type, a user's type, and the four together, and reports for each
request the characters and estimated tokens (``estimate_tokens``, ~4 characters a
token: generous for JSON, the same for every row) of:

- **system prompt**: the system message;
- **schema**: ``response_format`` as sent (the JSON schema, strict mode);
- **fixed**: the two together: what every article pays before its own text.

    python benchmarks/request_size.py            # prints the table (Markdown)
    python benchmarks/request_size.py --write    # and writes benchmarks/REQUEST_SIZE.md
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import Field

from newsschema import Actor, Event, Meeting, Place, Statement, Visit, Warrant, summarize
from newsschema._extraction import estimate_tokens
from newsschema._records import event_type
from newsschema.testing import FakeModel

HERE = Path(__file__).parent
ARTICLE = "Officials met on Monday in Geneva, a spokesman said."


class Protest(Event):
    """A public demonstration, march, strike or sit-in against or for something."""

    organisers: list[Actor] = Field(description="Groups or people who organised it, as named.")
    place: Place | None = Field(description="Where it took place.")
    size: str | None = Field(description="Crowd size as written ('thousands'), or null.")
    demands: list[str] = Field(description="What the protesters demanded, paraphrased.")


CHOICES: list[tuple[str, list[type[Event]]]] = [
    ("meeting", [Meeting]),
    ("statement", [Statement]),
    ("visit", [Visit]),
    ("warrant", [Warrant]),
    ("protest (a user's type)", [Protest]),
    ("all four built-ins (default)", [Meeting, Statement, Visit, Warrant]),
]


def request_for(events: Sequence[type[Event]]) -> dict[str, Any]:
    """The body ``summarize`` sends for ``ARTICLE`` with these event types."""
    fake = FakeModel()
    empty = {event_type(cls).plural: [] for cls in events}
    fake.enqueue({"headline": None, "summary": "Officials met.", **empty})
    summarize(ARTICLE, events=list(events), client=fake.client(), model="fake",
              published="2024-05-08")  # fmt: skip
    [body] = fake.requests
    return body


def sizes(body: dict[str, Any]) -> tuple[int, int, int, int]:
    """(system chars, system tokens, schema chars, schema tokens) of one request body."""
    system = next(m["content"] for m in body["messages"] if m["role"] == "system")
    schema = json.dumps(body.get("response_format", {}))
    return len(system), estimate_tokens(system), len(schema), estimate_tokens(schema)


def report() -> str:
    rows = [(label, sizes(request_for(events))) for label, events in CHOICES]
    default = rows[-1][1]
    default_fixed = default[1] + default[3]
    lines = [
        "# The fixed part of a request: one event type against four",
        "",
        f"Measured by `python benchmarks/request_size.py` on a {len(ARTICLE)}-character "
        "article (the article and its framing are the same in every row; only the chosen "
        "types change). Tokens are `estimate_tokens` (~4 characters a token).",
        "",
        "| events= | system prompt chars | tokens | schema chars | tokens | fixed tokens | "
        "of the default |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, (sc, st, kc, kt) in rows:
        fixed = st + kt
        lines.append(
            f"| {label} | {sc:,} | {st:,} | {kc:,} | {kt:,} | {fixed:,} | "
            f"{fixed / default_fixed:.0%} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="also write REQUEST_SIZE.md")
    args = parser.parse_args(argv)
    text = report()
    print(text, end="")
    if args.write:
        (HERE / "REQUEST_SIZE.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
