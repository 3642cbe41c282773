"""The gold set, the matcher and scorer, and the evaluation runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from rich.console import Console
from scripted_server import ScriptedServer, completion

from newsschema import ArticleSummary, ConfigurationError, DroppedRecord, Evidence
from newsschema._eval import (
    EvalReport,
    GoldArticle,
    GoldSetError,
    load_gold,
    names_match,
    render_table,
    run_eval,
    score,
    times_compatible,
)
from newsschema.testing import FakeModel

GOLD_DIR = ROOT / "benchmarks" / "gold"
EVENT_TYPES = ("meetings", "statements", "visits", "warrants")


@pytest.fixture(scope="module")
def gold() -> list[GoldArticle]:
    return load_gold(GOLD_DIR)


@pytest.fixture(scope="module")
def gold_summaries(gold: list[GoldArticle]) -> dict[str, ArticleSummary]:
    return {article.id: article.to_summary() for article in gold}


@pytest.fixture
def predicted(gold_summaries: dict[str, ArticleSummary]) -> dict[str, ArticleSummary]:
    """The gold as predictions; a test may change this dict (summaries are frozen)."""
    return dict(gold_summaries)


def total(gold: list[GoldArticle], kind: str) -> int:
    return sum(len(article.events(kind)) for article in gold)


def replace_record(
    predicted: dict[str, ArticleSummary], article: str, kind: str, index: int, **changes: Any
) -> None:
    """Change one predicted record (records and summaries are frozen: copy them)."""
    records = list(getattr(predicted[article], kind))
    records[index] = records[index].model_copy(update=changes)
    predicted[article] = predicted[article].model_copy(update={kind: records})


# --------------------------------------------------------------------------------------
# The gold set.


def test_gold_set_holds_the_seed_and_at_least_nineteen_voa_stories(
    gold: list[GoldArticle],
) -> None:
    ids = [article.id for article in gold]
    assert "seed" in ids
    assert sum(i.startswith("voa-") for i in ids) >= 19
    assert all(total(gold, kind) >= 10 for kind in EVENT_TYPES)
    assert all("voanews.com" in a.source and "public domain" in a.credit for a in gold[1:])


def test_seed_gold_text_is_the_example_article_verbatim(gold: list[GoldArticle]) -> None:
    seed = next(a for a in gold if a.id == "seed")
    assert seed.text == (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------
# Scoring.


def test_gold_scored_against_itself_is_perfect_everywhere(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    report = score(gold, predicted)
    for kind in EVENT_TYPES:
        scores = report.types[kind]
        assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
        assert all(field.accuracy == 1.0 for field in scores.fields.values())
    assert (report.micro.precision, report.micro.recall, report.micro.f1) == (1.0, 1.0, 1.0)
    assert report.micro.tp == sum(total(gold, kind) for kind in EVENT_TYPES)
    assert all(field.accuracy == 1.0 for field in report.fields.values())
    assert report.grounding.share == 1.0
    assert report.errors == []
    assert all(p.gold == p.predicted for a in report.per_article for p in a.pairs)


@pytest.mark.parametrize("kind", EVENT_TYPES)
def test_removing_one_event_lowers_recall_of_its_type_only(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary], kind: str
) -> None:
    article = next(a for a in gold if a.events(kind))
    records = list(getattr(predicted[article.id], kind))[1:]
    predicted[article.id] = predicted[article.id].model_copy(update={kind: records})

    report = score(gold, predicted)

    n = total(gold, kind)
    assert report.types[kind].recall == (n - 1) / n
    assert report.types[kind].precision == 1.0
    assert all(report.types[other].recall == 1.0 for other in EVENT_TYPES if other != kind)
    all_events = sum(total(gold, k) for k in EVENT_TYPES)
    assert report.micro.recall == (all_events - 1) / all_events
    result = next(r for r in report.per_article if r.id == article.id)
    assert [m.split(":")[0] for m in result.missed] == [f"{kind}[0]"]


def test_changing_one_participant_to_another_person_breaks_that_match(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    meeting = predicted["seed"].meetings[0]
    assert [p.name for p in meeting.participants] == ["Sergey Lavrov", "Wang Yi"]
    stranger = meeting.participants[1].model_copy(update={"name": "Emmanuel Macron"})
    replace_record(
        predicted, "seed", "meetings", 0, participants=[meeting.participants[0], stranger]
    )

    report = score(gold, predicted)

    meetings = report.types["meetings"]
    assert (meetings.tp, meetings.fp, meetings.fn) == (total(gold, "meetings") - 1, 1, 1)
    seed = next(r for r in report.per_article if r.id == "seed")
    assert seed.missed == ["meetings[0]: Sergey Lavrov, Wang Yi"]
    assert seed.spurious == ["meetings[0]: Sergey Lavrov, Emmanuel Macron"]


def test_surname_only_and_titled_names_still_match(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    meeting = predicted["seed"].meetings[0]
    short = [
        meeting.participants[0].model_copy(update={"name": "Lavrov"}),
        meeting.participants[1].model_copy(update={"name": "Foreign Minister Wang Yi"}),
    ]
    replace_record(predicted, "seed", "meetings", 0, participants=short)
    statement = predicted["seed"].statements[0]
    surname = statement.speaker.model_copy(update={"name": "Lavrov"})
    replace_record(predicted, "seed", "statements", 0, speaker=surname)

    report = score(gold, predicted)

    assert report.micro.f1 == 1.0
    seed = next(r for r in report.per_article if r.id == "seed")
    assert (seed.pairs[0].type, seed.pairs[0].gold, seed.pairs[0].predicted) == ("meetings", 0, 0)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Lavrov", "Sergey Lavrov", True),
        ("Xi", "Xi Jinping", True),
        ("President Donald Trump", "Donald Trump", True),
        ("U.S. Secretary of State Marco Rubio", "Marco Rubio", True),
        ("Mélanie Joly", "Malie Joly | Melanie Joly", True),
        ("Russia's Foreign Ministry", "Russia’s Foreign Ministry", True),
        ("al-Sudani", "Mohammed Shia al-Sudani", True),
        ("Jeddah", "Jeddah, Saudi Arabia", True),
        ("Saudi Arabia", "Jeddah, Saudi Arabia", True),
        ("Riyadh, Saudi Arabia", "Jeddah, Saudi Arabia", False),
        ("Sergei Lavrov", "Sergey Lavrov", False),
        ("Jimmy Lai", "Sebastien Lai", False),
        ("Wang Yi", "Antony Blinken", False),
    ],
)
def test_names_match_word_for_word_inside_each_other(a: str, b: str, expected: bool) -> None:
    assert names_match(a, b) is expected
    assert names_match(b, a) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2023-09-18", None, True),
        ("2023-09-18", "2023-09", True),
        ("2023-W37-WE", "2023-09-16", True),
        ("2023-W37-WE", "2023-09-18", False),
        ("2023-SU", "2023-07", True),
        ("2023-Q4", "2023-09", False),
        ("199", "1995", True),
        ("PAST_REF", "PAST_REF", True),
        ("PAST_REF", "2023", False),
        ("2023-09-18", "2023-09-19", False),
    ],
)
def test_times_are_compatible_when_equal_missing_or_overlapping(
    a: str, b: str | None, expected: bool
) -> None:
    assert times_compatible(a, b) is expected
    assert times_compatible(b, a) is expected


def test_a_different_date_breaks_the_match_a_coarser_one_is_a_time_error(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    when = predicted["seed"].meetings[0].when
    assert when is not None and when.value == "2023-09-18"
    n = total(gold, "meetings")

    replace_record(
        predicted, "seed", "meetings", 0, when=when.model_copy(update={"value": "2023-09"})
    )
    coarser = score(gold, predicted).types["meetings"]
    assert coarser.recall == 1.0
    assert coarser.fields["time"].accuracy == (n - 1) / n

    replace_record(
        predicted, "seed", "meetings", 0, when=when.model_copy(update={"value": "2023-09-25"})
    )
    assert score(gold, predicted).types["meetings"].recall == (n - 1) / n


def test_an_incompatible_place_breaks_the_match(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    place = predicted["seed"].meetings[0].place
    assert place is not None
    replace_record(
        predicted, "seed", "meetings", 0, place=place.model_copy(update={"name": "Beijing"})
    )
    n = total(gold, "meetings")
    assert score(gold, predicted).types["meetings"].recall == (n - 1) / n

    fuller = place.model_copy(update={"name": "Moscow, Russia"})
    replace_record(predicted, "seed", "meetings", 0, place=fuller)
    assert score(gold, predicted).types["meetings"].fields["place"].accuracy == 1.0

    replace_record(predicted, "seed", "meetings", 0, place=None)
    meetings = score(gold, predicted).types["meetings"]
    assert (meetings.recall, meetings.fields["place"].accuracy) == (1.0, (n - 1) / n)


def test_changing_a_status_lowers_status_accuracy_and_keeps_the_match(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    replace_record(predicted, "seed", "meetings", 0, status="planned")

    report = score(gold, predicted)

    n = total(gold, "meetings")
    assert report.types["meetings"].recall == 1.0
    assert report.types["meetings"].fields["status"].accuracy == (n - 1) / n
    assert report.types["statements"].fields["status"].accuracy == 1.0
    all_events = sum(total(gold, k) for k in EVENT_TYPES)
    assert report.fields["status"].correct == all_events - 1


def test_statements_of_one_speaker_pair_by_their_evidence(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    statements = list(reversed(predicted["seed"].statements))
    predicted["seed"] = predicted["seed"].model_copy(update={"statements": statements})

    report = score(gold, predicted)

    seed_gold = next(a for a in gold if a.id == "seed")
    pairs = next(r for r in report.per_article if r.id == "seed").pairs
    for pair in (p for p in pairs if p.type == "statements"):
        quotes = [e.quote for e in statements[pair.predicted].evidence]
        assert quotes == seed_gold.statements[pair.gold].evidence
    assert report.types["statements"].f1 == 1.0


def test_a_duplicate_prediction_is_one_hit_and_one_false_positive(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    warrants = [*predicted["seed"].warrants, predicted["seed"].warrants[0]]
    predicted["seed"] = predicted["seed"].model_copy(update={"warrants": warrants})

    warrant_scores = score(gold, predicted).types["warrants"]

    n = total(gold, "warrants")
    assert (warrant_scores.tp, warrant_scores.fp, warrant_scores.fn) == (n, 1, 0)
    assert warrant_scores.precision == n / (n + 1)


def test_an_invented_evidence_quote_lowers_the_grounding_share(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    invented = [Evidence(quote="Lavrov said the talks were a complete failure.")]
    replace_record(predicted, "seed", "statements", 0, evidence=invented)

    report = score(gold, predicted)

    n = sum(total(gold, k) for k in EVENT_TYPES)
    assert (report.grounding.grounded, report.grounding.predicted) == (n - 1, n)
    assert report.grounding.share == (n - 1) / n


def test_records_the_library_dropped_count_as_ungrounded(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    dropped = DroppedRecord(type="meeting", index=6, reason="evidence not found", record={})
    predicted["seed"] = predicted["seed"].model_copy(update={"dropped": [dropped]})

    grounding = score(gold, predicted).grounding

    n = sum(total(gold, k) for k in EVENT_TYPES)
    assert (grounding.grounded, grounding.predicted, grounding.dropped) == (n, n + 1, 1)


def test_missing_and_unknown_predictions_are_listed_as_errors(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    seed = predicted.pop("seed")
    predicted["not-in-gold"] = seed

    report = score(gold, predicted)

    assert [(e.id, e.error) for e in report.errors] == [
        ("seed", "missing"),
        ("not-in-gold", "unknown"),
    ]
    n = total(gold, "warrants")
    assert report.types["warrants"].recall == (n - 1) / n


def test_the_report_round_trips_through_json(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    report = score(gold, predicted, errors={"seed": RuntimeError("boom")}, model="m")
    assert EvalReport.model_validate_json(report.model_dump_json()) == report
    assert report.errors[0].model_dump() == {
        "id": "seed",
        "error": "RuntimeError",
        "message": "boom",
    }


def test_render_table_shows_scores_grounding_and_every_error(
    gold: list[GoldArticle], predicted: dict[str, ArticleSummary]
) -> None:
    del predicted["voa-8010694"]
    console = Console(record=True, width=140)

    console.print(render_table(score(gold, predicted, model="gpt-test")))

    out = console.export_text()
    assert "model gpt-test" in out
    assert "statements" in out and "micro" in out
    assert "grounded evidence: 1.00" in out
    assert "voa-8010694: missing: no prediction for this article" in out


# --------------------------------------------------------------------------------------
# Loading.


def write_gold(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def seed_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD_DIR / "seed.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["meetings"][0].update(status="happened"), "meetings[0].status"),
        (
            lambda d: d["meetings"][0]["evidence"].append("Lavrov met Blinken."),
            "meetings[0].evidence[2]",
        ),
        (lambda d: d["visits"][1]["time"].update(value="next month"), "visits[1].time.value"),
        (lambda d: d["statements"][8].update(quote="The parties agreed."), "statements[8].quote"),
        (lambda d: d.pop("text"), "text"),
        (lambda d: d.update(colour="blue"), "colour"),
    ],
)
def test_loader_errors_name_the_file_and_the_field(
    tmp_path: Path, seed_data: dict[str, Any], change: Any, field: str
) -> None:
    change(seed_data)
    path = write_gold(tmp_path, "broken.json", seed_data)

    with pytest.raises(GoldSetError) as raised:
        load_gold(tmp_path)

    assert str(path) in str(raised.value)
    assert f"{field}:" in str(raised.value)


def test_loader_rejects_invalid_json_and_duplicate_ids(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldSetError, match=r"a\.json: not valid JSON"):
        load_gold(tmp_path)

    write_gold(tmp_path, "a.json", seed_data)
    write_gold(tmp_path, "b.json", seed_data)
    with pytest.raises(GoldSetError, match=r"b\.json: id: 'seed' is already used by .*a\.json"):
        load_gold(tmp_path)


def test_loader_rejects_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(GoldSetError, match="no gold files"):
        load_gold(tmp_path)


# --------------------------------------------------------------------------------------
# Running an evaluation.


@pytest.fixture
def two_articles(tmp_path: Path) -> Path:
    """A gold directory of two VOA stories; files load in name order: a- first, then b-."""
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    shutil.copy(GOLD_DIR / "voa-6205843.json", gold_dir / "a-failing.json")
    shutil.copy(GOLD_DIR / "voa-6203896.json", gold_dir / "b-answered.json")
    return gold_dir


def test_run_eval_scores_fake_model_answers_and_lists_the_failed_article(
    two_articles: Path,
) -> None:
    _, answered = load_gold(two_articles)
    fake = FakeModel()
    fake.enqueue_error(400, {"error": {"message": "model rejected the request", "code": "bad"}})
    for _ in range(3):  # as many answers as validation attempts: re-asks get the same answer
        fake.enqueue(answered.to_answer())
    seen: list[str] = []

    report = run_eval(
        two_articles, model="fake", client=fake.client(), progress=lambda a: seen.append(a.id)
    )

    assert seen == ["voa-6205843", "voa-6203896"]
    assert "2021-03-29" in json.dumps(fake.requests[1]["messages"])
    assert report.model == "fake"
    assert [(e.id, e.error) for e in report.errors] == [("voa-6205843", "ProviderError")]
    statements = report.types["statements"]
    assert (statements.tp, statements.fp, statements.fn) == (6, 0, 8)
    assert statements.recall == 6 / 14
    assert (report.types["warrants"].precision, report.types["warrants"].recall) == (1.0, 1.0)
    meetings = report.types["meetings"]
    assert (meetings.precision, meetings.recall, meetings.f1) == (0.0, 0.0, 0.0)
    assert report.micro.recall == 7 / 17
    assert report.fields["time"].accuracy == 1.0  # the answered story has no time expression
    assert report.grounding.share == 1.0


def test_run_eval_raises_a_configuration_error_instead_of_scoring_it(two_articles: Path) -> None:
    with pytest.raises(ConfigurationError, match="no model given"):
        run_eval(two_articles)


def test_run_eval_records_cassettes_then_replays_them_offline(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    shutil.copy(GOLD_DIR / "voa-6203896.json", gold_dir)
    (article,) = load_gold(gold_dir)
    cassettes = tmp_path / "cassettes"
    with ScriptedServer([completion(article.to_answer())] * 3) as server:
        recorded = run_eval(
            gold_dir,
            model="scripted",
            base_url=server.base_url,
            cassette_dir=cassettes,
            record=True,
        )
    assert [p.name for p in cassettes.iterdir()] == ["voa-6203896.json"]

    replayed = run_eval(
        gold_dir, model="scripted", base_url="http://127.0.0.1:9/v1", cassette_dir=cassettes
    )

    assert recorded.micro.f1 == replayed.micro.f1 == 1.0
    assert recorded.types == replayed.types
    assert replayed.errors == []


def test_run_eval_lists_an_article_whose_cassette_is_missing(
    two_articles: Path, tmp_path: Path
) -> None:
    from newsschema import RetryPolicy

    report = run_eval(
        two_articles,
        model="scripted",
        cassette_dir=tmp_path / "empty",
        retry=RetryPolicy(max_attempts=1),
    )

    assert [(e.id, e.error) for e in report.errors] == [
        ("voa-6205843", "CassetteMismatchError"),
        ("voa-6203896", "CassetteMismatchError"),
    ]
    assert report.micro.recall == 0.0
