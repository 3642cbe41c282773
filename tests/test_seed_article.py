"""The seed article end to end, replayed from cassettes/seed_reference.json."""

from __future__ import annotations

import pytest
from conftest import SCRIPTED_MODEL, SEED_ANSWER, SEED_ARTICLE, scripted_cassette
from scripted_server import completion

from newsschema import ArticleSummary, Meeting, Statement, Visit, Warrant, asummarize, summarize
from newsschema._extraction._prompts import prompt_version
from newsschema._records import schema_version


def _seed() -> ArticleSummary:
    with scripted_cassette("seed_reference.json", [completion(SEED_ANSWER)]) as client:
        return summarize(SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL)


@pytest.fixture(scope="module")
def seed() -> ArticleSummary:
    return _seed()


def test_every_event_type_is_parsed_into_its_record(seed: ArticleSummary) -> None:
    assert [type(m) for m in seed.meetings] == [Meeting] * 6
    assert [type(s) for s in seed.statements] == [Statement] * 10
    assert [type(v) for v in seed.visits] == [Visit] * 2
    assert [type(w) for w in seed.warrants] == [Warrant] * 1


def test_meeting_fields(seed: ArticleSummary) -> None:
    talks = seed.meetings[0]
    assert [p.name for p in talks.participants] == ["Sergey Lavrov", "Wang Yi"]
    assert talks.place is not None and talks.place.name == "Moscow"
    assert talks.when is not None and talks.when.expression == "on Monday"
    assert talks.status == "occurred"
    assert seed.meetings[3].status == "possible"  # Biden and Xi "might" meet


def test_icc_warrant(seed: ArticleSummary) -> None:
    (warrant,) = seed.warrants
    assert warrant.subject.name == "Vladimir Putin"
    assert warrant.authority is not None
    assert warrant.authority.name == "International Criminal Court"
    assert warrant.status == "issued"
    assert warrant.charges == ["war crimes"]


def test_visit_status_and_statement_quote(seed: ArticleSummary) -> None:
    assert [(v.visitor.name, v.status) for v in seed.visits] == [
        ("Wang Yi", "ongoing"),
        ("Vladimir Putin", "expected"),
    ]
    quoted = [s for s in seed.statements if s.quote is not None]
    assert [s.speaker.name for s in quoted] == ["Russia’s Foreign Ministry"]


def test_every_evidence_span_slices_to_its_quote(seed: ArticleSummary) -> None:
    spans = [e for event in seed.events for e in event.evidence]
    assert len(spans) == 26
    for evidence in spans:
        assert evidence.start is not None and evidence.end is not None
        assert SEED_ARTICLE[evidence.start : evidence.end] == evidence.quote
    # The reference answer copied every passage exactly, final period included.
    assert [e.model_quote for e in spans] == [None] * 26
    assert sum(e.quote.endswith(".") for e in spans) == 24


def test_the_direct_quote_slices_too(seed: ArticleSummary) -> None:
    (quoted,) = [s for s in seed.statements if s.quote is not None]
    assert quoted.quote_start is not None and quoted.quote_end is not None
    assert SEED_ARTICLE[quoted.quote_start : quoted.quote_end] == quoted.quote
    assert quoted.quote.startswith("The parties talked extensively")
    assert quoted.model_quote is None


def test_nothing_comes_from_the_related_stories(seed: ArticleSummary) -> None:
    body_start = SEED_ARTICLE.index("The top diplomats")
    names = {a.name for a in seed.actors}
    assert not names & {"Benjamin Netanyahu", "Netanyahu"}
    assert all(
        e.start is not None and e.start >= body_start for ev in seed.events for e in ev.evidence
    )


def test_provenance_names_versions_and_usage(seed: ArticleSummary) -> None:
    p = seed.provenance
    assert (p.model, p.mode, p.validation_attempts) == (SCRIPTED_MODEL, "json_schema", 1)
    assert p.prompt_version == prompt_version() and len(p.prompt_version) == 12
    assert p.schema_version == schema_version()
    assert (p.usage.prompt_tokens, p.usage.completion_tokens, p.usage.requests) == (1200, 800, 1)
    assert seed.published is not None and seed.published.isoformat() == "2023-09-18"
    assert seed.published_source == "caller"


def test_actor_index_lists_each_actor_once(seed: ArticleSummary) -> None:
    names = [a.name for a in seed.actors]
    assert len(names) == len(set(names))
    assert {"Sergey Lavrov", "Wang Yi", "Vladimir Putin", "Han Zheng", "Antony Blinken"} <= set(
        names
    )


async def test_async_gives_the_same_events() -> None:
    with scripted_cassette(
        "seed_reference.json", [completion(SEED_ANSWER)], asynchronous=True
    ) as client:
        result = await asummarize(
            SEED_ARTICLE, published="2023-09-18", client=client, model=SCRIPTED_MODEL
        )
    expected = _seed()
    assert result.model_dump(exclude={"provenance"}) == expected.model_dump(exclude={"provenance"})


def test_actor_countries_are_coded_where_the_article_states_them(seed: ArticleSummary) -> None:
    codes = {a.name: a.country_code for a in seed.actors}
    assert codes["Sergey Lavrov"] == "RUS"
    assert codes["Wang Yi"] == "CHN"
    assert codes["Antony Blinken"] == "USA"
    assert codes["Kim Jong Un"] == "PRK"
    assert codes["Sullivan"] is None  # the article never says


def test_actor_index_says_where_each_actor_appears(seed: ArticleSummary) -> None:
    index = {a.name: a.records for a in seed.actors}
    assert index["International Criminal Court"] == ["warrants.0"]
    assert index["Sergey Lavrov"][0] == "meetings.0"
    for entry in seed.actors:
        for ref in entry.records:
            kind, i = ref.split(".")
            assert int(i) < len(getattr(seed, kind))


def test_times_are_resolved_from_the_publication_date(seed: ArticleSummary) -> None:
    talks, _, malta, *_ = seed.meetings
    assert talks.when is not None and (talks.when.value, talks.when.resolution) == (
        "2023-09-18",
        "relative",
    )  # "on Monday", published on a Monday
    assert malta.when is not None and malta.when.value == "2023-W37-WE"  # "last weekend"
    assert malta.when.start is not None and malta.when.start.isoformat() == "2023-09-16"
    putin_visit = seed.visits[1]
    assert putin_visit.when is not None and putin_visit.when.value == "2023-10"  # "next month"
    xi_putin = seed.meetings[4]
    assert xi_putin.when is not None and xi_putin.when.value == "2023-03"  # "in March"
    (warrant,) = seed.warrants
    assert warrant.when is not None and warrant.when.value == "2023"  # "This year"
