"""Linking records of many articles: written to share and not share events."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsschema import (
    Actor,
    ArticleSummary,
    Event,
    Evidence,
    LinkRules,
    Place,
    Provenance,
    Usage,
    When,
    link_events,
    render_report,
    write_jsonl,
)
from newsschema._records import type_named
from newsschema.cli import app

Meeting = type_named("meeting")
assert Meeting is not None


@pytest.fixture(scope="module")
def protest(every_type: dict[str, type[Event]]) -> type[Event]:
    """The user's Protest type, registered for this module only."""
    return every_type["protest"]


def _actor(name: str, code: str | None = "RUS", title: str | None = None) -> Actor:
    return Actor(
        name=name, title=title, organisation=None, country=None, kind="person", country_code=code
    )


def _day(value: str) -> When:
    day = date.fromisoformat(value)
    return When(
        expression="on " + value,
        value=value,
        start=day,
        end=day,
        granularity="day",
        resolution="explicit",
    )


def _place(name: str, code: str) -> Place:
    return Place(name=name, country=None, kind="city", country_code=code)


def _meeting(
    people: list[Actor],
    when: When | None,
    place: Place | None = None,
    status: str = "occurred",
    quote: str = "They met.",
) -> Event:
    assert Meeting is not None
    return Meeting(
        participants=people,
        place=place,
        format="in_person",
        topics=[],
        outcomes=[],
        status=status,
        when=when,
        evidence=[Evidence(quote=quote)],
    )


def _summary(published: str, *events: Event, headline: str = "News") -> ArticleSummary:
    provenance = Provenance(
        model="fixture",
        mode="json",
        prompt_version="x",
        schema_version="x",
        library_version="0",
        validation_attempts=1,
        usage=Usage(),
        duration_seconds=0.0,
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
        event_types=sorted({e.type for e in events}) or ["meeting"],
    )
    return ArticleSummary(
        headline=headline,
        summary="s",
        published=date.fromisoformat(published),
        published_source="caller",
        events=list(events),
        actors=[],
        provenance=provenance,
    )


PUTIN, XI = _actor("Vladimir Putin"), _actor("Xi Jinping", "CHN")


def _groups(clusters: list[Any]) -> list[list[tuple[str, int]]]:
    return sorted(sorted((m.article_id, m.index) for m in c.mentions) for c in clusters)


def test_three_articles_with_name_variants_are_one_meeting() -> None:
    results = [
        (
            "a",
            _summary(
                "2024-05-16", _meeting([_actor("Putin"), _actor("Xi", "CHN")], _day("2024-05-16"))
            ),
        ),
        (
            "b",
            _summary(
                "2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16"), _place("Beijing", "CHN"))
            ),
        ),
        (
            "c",
            _summary(
                "2024-05-17",
                _meeting(
                    [
                        _actor("Russian President Vladimir Putin"),
                        _actor("President Xi Jinping", "CHN"),
                    ],
                    _day("2024-05-16"),
                    quote="Putin and Xi met in Beijing.",
                ),
            ),
        ),
    ]
    clusters = link_events(results)
    assert _groups(clusters) == [[("a", 0), ("b", 0), ("c", 0)]]
    cluster = clusters[0]
    assert cluster.type == "meeting" and cluster.earliest == date(2024, 5, 16)
    assert cluster.articles == ["a", "b", "c"]
    names = [a.name for a in cluster.record.participants]  # type: ignore[attr-defined]
    assert names == ["Russian President Vladimir Putin", "President Xi Jinping"]
    assert cluster.record.place.name == "Beijing"  # type: ignore[attr-defined]
    assert {e.quote for e in cluster.record.evidence} == {
        "They met.",
        "Putin and Xi met in Beijing.",
    }
    assert [(k.article_id, k.rule) for k in cluster.links] == [("b", "actors"), ("c", "actors")]
    assert cluster.links[0].matched[:2] == ["actor:vladimir putin=putin", "actor:xi jinping=xi"]


def test_same_people_on_different_days_are_two_meetings() -> None:
    results = [
        ("a", _summary("2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16")))),
        ("b", _summary("2024-07-03", _meeting([PUTIN, XI], _day("2024-07-03")))),
    ]
    assert _groups(link_events(results)) == [[("a", 0)], [("b", 0)]]


def test_same_people_same_day_different_places_are_two_meetings() -> None:
    results = [
        (
            "a",
            _summary(
                "2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16"), _place("Beijing", "CHN"))
            ),
        ),
        (
            "b",
            _summary(
                "2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16"), _place("Harbin", "CHN"))
            ),
        ),
    ]
    assert len(link_events(results)) == 2


def test_an_unresolved_time_does_not_block_but_must_be_unambiguous() -> None:
    vague = When(expression="recently")
    one = [
        ("a", _summary("2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16")))),
        ("b", _summary("2024-05-18", _meeting([PUTIN, XI], vague))),
    ]
    assert _groups(link_events(one)) == [[("a", 0), ("b", 0)]]
    two = [
        *one[:1],
        ("c", _summary("2024-05-17", _meeting([PUTIN, XI], _day("2024-05-10")))),
        one[1],
    ]
    assert _groups(link_events(two)) == [[("a", 0)], [("b", 0)], [("c", 0)]]


def test_one_actor_needs_place_and_day() -> None:
    other = _actor("Recep Tayyip Erdogan", "TUR")
    bare = [
        ("a", _summary("2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16")))),
        ("b", _summary("2024-05-16", _meeting([PUTIN, other], _day("2024-05-16")))),
    ]
    assert len(link_events(bare)) == 2
    beijing = _place("Beijing", "CHN")
    placed = [
        ("a", _summary("2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16"), beijing))),
        ("b", _summary("2024-05-16", _meeting([PUTIN], _day("2024-05-16"), beijing))),
    ]
    clusters = link_events(placed)
    assert len(clusters) == 1 and clusters[0].links[0].rule == "actor+place+day"
    assert len(link_events(placed, rules=LinkRules(allow_single_actor=False))) == 2


def test_planned_then_occurred_links_only_on_the_same_day() -> None:
    planned = (
        "a",
        _summary("2024-05-10", _meeting([PUTIN, XI], _day("2024-05-16"), status="planned")),
    )
    held = ("b", _summary("2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16"))))
    clusters = link_events([planned, held])
    assert _groups(clusters) == [[("a", 0), ("b", 0)]]
    assert clusters[0].record.status == "occurred"  # the newest report says it happened
    assert len(link_events([planned, held], rules=LinkRules(link_planned_occurred=False))) == 2
    vague_plan = (
        "a",
        _summary("2024-05-10", _meeting([PUTIN, XI], When(expression="soon"), status="planned")),
    )
    assert len(link_events([vague_plan, held])) == 2
    denied = (
        "c",
        _summary("2024-05-17", _meeting([PUTIN, XI], _day("2024-05-16"), status="denied")),
    )
    assert len(link_events([held, denied])) == 2


def test_ids_are_stable_and_derive_from_the_first_mention(tmp_path: Path) -> None:
    results = [
        ("a", _summary("2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16")))),
        ("b", _summary("2024-05-17", _meeting([PUTIN, XI], _day("2024-05-16")))),
        ("c", _summary("2024-07-03", _meeting([PUTIN, XI], _day("2024-07-03")))),
    ]
    first = [c.id for c in link_events(results)]
    assert first == [c.id for c in link_events(list(reversed(results)))]
    assert len(set(first)) == 2
    grown = [
        c.id for c in link_events([*results, ("d", _summary("2024-08-01", _meeting([XI], None)))])
    ]
    assert grown[:2] == first
    path = tmp_path / "out.jsonl"
    write_jsonl(results, path)
    assert [c.id for c in link_events(path)] == first
    assert [c.id for c in link_events(str(path))] == first


def test_a_custom_type_links_through_the_registry(protest: type[Event]) -> None:
    def make(names: list[str], day: str, place: str) -> Event:
        return protest(
            organisers=[_actor(n, "FRA") for n in names],
            place=_place(place, "FRA"),
            size=None,
            demands=[],
            status="occurred",
            when=_day(day),
            evidence=[Evidence(quote="A march.")],
        )

    results = [
        ("a", _summary("2024-03-01", make(["CGT", "Sophie Binet"], "2024-03-01", "Paris"))),
        ("b", _summary("2024-03-02", make(["CGT union", "Binet"], "2024-03-01", "Paris"))),
        ("c", _summary("2024-03-02", make(["CGT"], "2024-03-01", "Paris"))),
        ("d", _summary("2024-03-02", make(["CGT"], "2024-03-01", "Lyon"))),
    ]
    clusters = link_events(results)
    assert _groups(clusters) == [[("a", 0), ("b", 0), ("c", 0)], [("d", 0)]]
    assert {k.rule for k in clusters[0].links} == {"actors", "actor+place+day"}
    assert all(c.type == "protest" for c in clusters)


def test_the_cli_adds_cluster_tables_to_the_export(tmp_path: Path) -> None:
    results = [
        ("a", _summary("2024-05-16", _meeting([PUTIN, XI], _day("2024-05-16")))),
        ("b", _summary("2024-05-17", _meeting([PUTIN, XI], _day("2024-05-16")))),
        ("c", _summary("2024-07-03", _meeting([PUTIN, XI], _day("2024-07-03")))),
    ]
    out, db, lines = tmp_path / "out.jsonl", tmp_path / "events.db", tmp_path / "clusters.jsonl"
    write_jsonl(results, out)
    runner = CliRunner()
    assert runner.invoke(app, ["export", str(out), "--db", str(db)]).exit_code == 0
    done = runner.invoke(app, ["link", str(out), "--db", str(db), "--jsonl", str(lines)])
    assert done.exit_code == 0, done.output
    assert "3 records" in done.output and "2 clusters" in done.output
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT c.mentions, m.article_id, g.id FROM clusters c "
            "JOIN cluster_mentions m ON m.cluster_id = c.id "
            "JOIN meetings g ON g.article_id = m.article_id AND g.idx = m.idx "
            "ORDER BY m.article_id"
        ).fetchall()
        reasons = con.execute("SELECT article_id, rule, matched FROM links").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(2, "a"), (2, "b"), (1, "c")]
    assert reasons == [
        ("b", "actors", json.dumps(["actor:vladimir putin", "actor:xi jinping", "day:2024-05-16"]))
    ]
    written = [json.loads(line) for line in lines.read_text().splitlines()]
    assert [len(c["mentions"]) for c in written] == [2, 1]
    again = runner.invoke(app, ["link", str(out), "--db", str(db)])
    assert again.exit_code == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM cluster_mentions").fetchone() == (3,)


def test_the_review_page_shows_a_clusters_sources_side_by_side(tmp_path: Path) -> None:
    results = [
        (
            "a",
            "Putin met Xi.",
            _summary(
                "2024-05-16",
                _meeting([PUTIN, XI], _day("2024-05-16"), quote="Putin met Xi."),
                headline="Talks in Beijing",
            ),
        ),
        (
            "b",
            "The leaders met.",
            _summary(
                "2024-05-17",
                _meeting(
                    [_actor("Putin"), _actor("Xi", "CHN")],
                    _day("2024-05-16"),
                    quote="The leaders met.",
                ),
                headline="Leaders meet <again>",
            ),
        ),
        (
            "c",
            "Putin met Xi.",
            _summary(
                "2024-07-03", _meeting([PUTIN, XI], _day("2024-07-03"), quote="Putin met Xi.")
            ),
        ),
    ]
    out, page = tmp_path / "out.jsonl", tmp_path / "events.html"
    write_jsonl(results, out)
    done = CliRunner().invoke(app, ["link", str(out), "--report", str(page)])
    assert done.exit_code == 0, done.output
    html = page.read_text()
    section = html[html.index('<section class="clusters"') : html.index('<section class="article"')]
    assert section.count('<div class="source">') == 2  # the July meeting has one source
    assert "Talks in Beijing" in section and "Leaders meet &lt;again&gt;" in section
    assert "<q>The leaders met.</q>" in section and "actors (actor:putin=vladimir putin" in section
    plain = render_report([(a, t, s) for a, t, s in results])
    assert '<section class="clusters"' not in plain
