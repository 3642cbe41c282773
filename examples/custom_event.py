"""Your own event types, end to end, offline: define them, summarise, export, review.

Runs without a network or an API key: the "model" is newsschema.testing.FakeModel
answering with a hand-written fixture. The article is invented for this example.

    python examples/custom_event.py [output-folder]

prints the protests it found and writes, in a new temporary folder (or the one
given), ``events.csv``, ``events.db`` (SQLite: a table per event type) and
``review.html`` (the review page), then lists what it wrote.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from pydantic import Field

from newsschema import (
    Actor,
    Event,
    Meeting,
    Place,
    export_sqlite,
    summarize,
    write_csv,
    write_report,
)
from newsschema.testing import FakeModel


class Protest(Event):
    """A public demonstration: people gathering to demand or oppose something.

    Marches, rallies, sit-ins and strikes held in public count; online petitions do not.
    """

    organisers: list[Actor] = Field(description="Who organised or led the protest.")
    place: Place | None = Field(description="Where the protest took place, or null.")
    size: str | None = Field(description="How many took part, as the article says, or null.")
    demands: list[str] = Field(description="What the protesters demanded, briefly.")


class Arrest(Event):
    """A person taken into custody by police or security forces."""

    person: Actor = Field(description="Who was arrested.")
    authority: Actor | None = Field(description="Who made the arrest, or null.")
    place: Place | None = Field(description="Where the arrest took place, or null.")
    charges: list[str] = Field(description="The charges named, if any.")


# An invented article: no such town, union, people or events.
ARTICLE = """\
VALMORE, March 4 - Thousands of dock workers marched through Valmore on Saturday, \
demanding higher wages and safer cranes, in a protest organised by the Harbour Workers' Union.
Police arrested union spokeswoman Lena Ortiz near the port on charges of blocking a highway.
Mayor Tomas Greer met union leaders on Sunday to discuss the dispute.
"""


def _person(name: str, title: str | None = None) -> dict[str, object]:
    return {"name": name, "title": title, "organisation": None, "country": None, "kind": "person"}


# A hand-written fixture: what a model might answer for the article above.
ANSWER = {
    "headline": "Dock workers march in Valmore; union spokeswoman arrested",
    "summary": "Dock workers protested for higher wages; police arrested a union spokeswoman.",
    "meetings": [
        {
            "participants": [
                _person("Tomas Greer", "Mayor"),
                {**_person("Harbour Workers' Union"), "kind": "organisation"},
            ],
            "place": None,
            "format": "in_person",
            "topics": ["the dispute"],
            "outcomes": [],
            "status": "occurred",
            "when": {"expression": "on Sunday"},
            "evidence": [
                {"quote": "Mayor Tomas Greer met union leaders on Sunday to discuss the dispute."}
            ],
        }
    ],
    "protests": [
        {
            "organisers": [{**_person("Harbour Workers' Union"), "kind": "organisation"}],
            "place": {"name": "Valmore", "country": None, "kind": "city"},
            "size": "Thousands",
            "demands": ["higher wages", "safer cranes"],
            "status": "occurred",
            "when": {"expression": "on Saturday"},
            "evidence": [
                {
                    "quote": "Thousands of dock workers marched through Valmore on Saturday, "
                    "demanding higher wages and safer cranes"
                }
            ],
        }
    ],
    "arrests": [
        {
            "person": _person("Lena Ortiz", "union spokeswoman"),
            "authority": {**_person("Police"), "kind": "organisation"},
            "place": {"name": "the port", "country": None, "kind": "venue"},
            "charges": ["blocking a highway"],
            "status": "occurred",
            "when": None,
            "evidence": [
                {
                    "quote": "Police arrested union spokeswoman Lena Ortiz near the port on "
                    "charges of blocking a highway."
                }
            ],
        }
    ],
}


def main(out: Path) -> None:
    """Summarise the invented article with the fake model and write the three outputs."""
    fake = FakeModel()
    fake.enqueue(ANSWER)
    s = summarize(
        ARTICLE,
        published="2024-03-04",
        events=[Meeting, Protest, Arrest],
        client=fake.client(),
        model="fake",
    )
    print(s.of(Protest))
    print(f"{len(s.of(Arrest))} arrest(s):", ", ".join(a.person.name for a in s.of(Arrest)))

    out.mkdir(parents=True, exist_ok=True)
    article = [("valmore", ARTICLE, s)]
    rows = write_csv(article, out / "events.csv")
    articles, records = export_sqlite(article, out / "events.db")
    report = write_report(article, out / "review.html", title="Valmore (invented)")
    with sqlite3.connect(out / "events.db") as db:
        tables = sorted(
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        )
    print(f"wrote {out / 'events.csv'} ({rows} rows)")
    print(f"wrote {out / 'events.db'} ({articles} article, {records} records)")
    print(f"  tables: {', '.join(tables)}")
    print(f"wrote {report}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="newsschema-")))
