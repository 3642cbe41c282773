"""Duplicate events merged into one record, and the modality check on "occurred"."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SEED_ANSWER

from newsschema import Meeting, Statement, Visit, Warrant
from newsschema._text._merge import merge_duplicates, status_problem

MONDAY = (
    "During their meeting on Monday, Wang told Lavrov that China and Russia should collaborate."
)
DIPLOMATS = "The top diplomats from Russia and China had a meeting in Moscow to talk about it."
MARCH = "During a meeting in Moscow in March, Xi invited Putin to come to a conference."


def actor(name: str, **details: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"title": None, "organisation": None, "country": None}
    return {"name": name, "kind": "person", **fields, **details}


def place(name: str, **details: Any) -> dict[str, Any]:
    return {"name": name, "country": None, "kind": "city", **details}


def when(expression: str, value: str | None = None) -> dict[str, Any]:
    return {"expression": expression, "value": value}


def evidence(*quotes: str) -> list[dict[str, Any]]:
    return [{"quote": q} for q in quotes]


def meeting(*names: str, **fields: Any) -> Meeting:
    data: dict[str, Any] = {
        "participants": [actor(n) for n in names],
        "place": None,
        "format": "in_person",
        "topics": [],
        "outcomes": [],
        "status": "occurred",
        "when": None,
        "evidence": evidence(f"{' and '.join(names)} met."),
    }
    return Meeting.model_validate({**data, **fields})


def statement(speaker: str, content: str, **fields: Any) -> Statement:
    data: dict[str, Any] = {
        "speaker": actor(speaker),
        "content": content,
        "quote": None,
        "addressee": None,
        "occasion": None,
        "status": "occurred",
        "when": None,
        "evidence": evidence(f"{speaker} said: {content}"),
    }
    return Statement.model_validate({**data, **fields})


def visit(visitor: str, destination: str | None, **fields: Any) -> Visit:
    data: dict[str, Any] = {
        "visitor": actor(visitor),
        "host": None,
        "destination": place(destination) if destination else None,
        "duration": None,
        "purpose": None,
        "status": "occurred",
        "when": None,
        "evidence": evidence(f"{visitor} went to {destination}."),
    }
    return Visit.model_validate({**data, **fields})


def warrant(subject: str, kind: str = "arrest warrant", **fields: Any) -> Warrant:
    data: dict[str, Any] = {
        "subject": actor(subject),
        "authority": None,
        "kind": kind,
        "charges": [],
        "status": "issued",
        "when": None,
        "evidence": evidence(f"An {kind} was issued for {subject}."),
    }
    return Warrant.model_validate({**data, **fields})


def quotes(record: Any) -> list[str]:
    return [e.quote for e in record.evidence]


# --------------------------------------------------------------------------------------
# Meetings


def test_lavrov_wang_meeting_mentioned_twice_becomes_one_record_with_both_quotes() -> None:
    first = meeting(
        "Sergey Lavrov",
        "Wang Yi",
        place=place("Moscow", country="Russia"),
        topics=["closer cooperation on global issues"],
        evidence=evidence(DIPLOMATS),
    )
    second = meeting(
        "Wang Yi",
        "Sergey Lavrov",
        when=when("on Monday", "2023-09-18"),
        topics=["a multipolar world"],
        evidence=evidence(MONDAY),
    )
    (merged,) = merge_duplicates([first, second])
    assert quotes(merged) == [DIPLOMATS, MONDAY]
    assert merged.when is not None and merged.when.expression == "on Monday"  # filled
    assert merged.place == first.place
    assert merged.topics == ["closer cooperation on global issues", "a multipolar world"]
    assert [p.name for p in merged.participants] == ["Sergey Lavrov", "Wang Yi"]  # first's


def test_lavrov_wang_on_monday_and_xi_putin_in_march_stay_apart_in_order() -> None:
    monday = meeting("Sergey Lavrov", "Wang Yi", when=when("on Monday"), evidence=evidence(MONDAY))
    march = meeting("Xi", "Vladimir Putin", when=when("in March"), evidence=evidence(MARCH))
    assert merge_duplicates([monday, march]) == [monday, march]
    assert merge_duplicates([march, monday]) == [march, monday]


def test_seed_answer_meetings_are_all_distinct() -> None:
    meetings = [Meeting.model_validate(m) for m in SEED_ANSWER["meetings"]]
    assert merge_duplicates(meetings) == meetings


def test_participants_compare_as_a_set_ignoring_case() -> None:
    a = meeting("Sergey Lavrov", "Wang Yi")
    b = meeting("WANG YI", "sergey  lavrov", evidence=evidence("Other quote."))
    assert len(merge_duplicates([a, b])) == 1


def test_different_participants_are_different_meetings() -> None:
    two = meeting("Sergey Lavrov", "Wang Yi")
    three = meeting("Sergey Lavrov", "Wang Yi", "Xi")
    assert merge_duplicates([two, three]) == [two, three]


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        (when("on Monday"), when("on Monday"), True),
        (when("On  Monday"), when("on monday"), True),
        (None, when("on Monday"), True),
        (when("on Monday"), None, True),
        (when("on Monday"), when("in March"), False),
        (when("on Monday", "2023-09-18"), when("this week's Monday", "2023-09-18"), True),
        (when("on Monday", "2023-09-18"), when("on Monday", "2023-09-25"), False),
        (when("on Monday", "2023-09-18"), when("in March"), False),
        # "Recently" and "earlier" resolve alike but need not be the same time.
        (when("recently", "PAST_REF"), when("earlier", "PAST_REF"), False),
    ],
)
def test_times_must_be_compatible(
    first: dict[str, Any] | None, second: dict[str, Any] | None, merged: bool
) -> None:
    a = meeting("Sergey Lavrov", "Wang Yi", when=first)
    b = meeting("Sergey Lavrov", "Wang Yi", when=second, evidence=evidence("Other quote."))
    assert len(merge_duplicates([a, b])) == (1 if merged else 2)


def test_places_must_be_compatible() -> None:
    moscow = meeting("Sergey Lavrov", "Wang Yi", place=place("Moscow"))
    beijing = meeting("Sergey Lavrov", "Wang Yi", place=place("Beijing"))
    nowhere = meeting("Sergey Lavrov", "Wang Yi", evidence=evidence("They talked."))
    assert merge_duplicates([moscow, beijing]) == [moscow, beijing]
    (merged,) = merge_duplicates([nowhere, moscow])
    assert merged.place == moscow.place
    assert quotes(merged) == ["They talked.", "Sergey Lavrov and Wang Yi met."]


def test_past_and_future_meetings_of_the_same_people_stay_apart() -> None:
    held = meeting("Biden", "Xi", status="occurred")
    planned = meeting("Biden", "Xi", status="planned", evidence=evidence("They will meet."))
    assert merge_duplicates([held, planned]) == [held, planned]


def test_planned_and_expected_mentions_of_one_meeting_merge() -> None:
    planned = meeting("Biden", "Xi", status="planned", evidence=evidence("They will meet."))
    expected = meeting("Biden", "Xi", status="expected", evidence=evidence("They may meet."))
    (merged,) = merge_duplicates([planned, expected])
    assert merged.status == "planned"


def test_merged_record_keeps_the_first_values_and_fills_what_it_lacks() -> None:
    first = meeting(
        "Sergey Lavrov", "Wang Yi", format="unknown", status="ongoing", outcomes=["a plan"]
    )
    second = meeting(
        "Wang Yi",
        "Sergey Lavrov",
        participants=[
            actor("Wang Yi", title="Foreign Minister", country="China"),
            actor("Sergey Lavrov", title="Foreign Minister", country="Russia"),
        ],
        format="in_person",
        status="occurred",
        place=place("Moscow"),
        outcomes=["A plan.", "a joint statement"],
        evidence=evidence("Other quote."),
    )
    (merged,) = merge_duplicates([first, second])
    assert (merged.format, merged.status) == ("unknown", "ongoing")
    assert merged.place == second.place
    assert merged.outcomes == ["a plan", "a joint statement"]
    assert [(p.name, p.title, p.country) for p in merged.participants] == [
        ("Sergey Lavrov", "Foreign Minister", "Russia"),
        ("Wang Yi", "Foreign Minister", "China"),
    ]


def test_a_resolved_time_replaces_an_unresolved_one() -> None:
    unresolved = {"expression": "on Monday", "reason": "no publication date"}
    first = meeting("Sergey Lavrov", "Wang Yi", when=unresolved)
    second = meeting(
        "Sergey Lavrov",
        "Wang Yi",
        when={"expression": "on Monday", "value": "2023-09-18", "resolution": "relative"},
        evidence=evidence("Other quote."),
    )
    (merged,) = merge_duplicates([first, second])
    assert merged.when == second.when


def test_evidence_lists_each_quote_once() -> None:
    located = [{"quote": MONDAY, "start": 10, "end": 10 + len(MONDAY)}]
    first = meeting("Sergey Lavrov", "Wang Yi", evidence=evidence(MONDAY, DIPLOMATS))
    second = meeting("Sergey Lavrov", "Wang Yi", evidence=evidence(f"  {MONDAY.upper()} "))
    third = meeting("Sergey Lavrov", "Wang Yi", evidence=located)
    same_span = [{"quote": "a differently copied quote", "start": 10, "end": 10 + len(MONDAY)}]
    fourth = meeting("Sergey Lavrov", "Wang Yi", evidence=same_span)
    (merged,) = merge_duplicates([first, second, third, fourth])
    assert quotes(merged) == [MONDAY, DIPLOMATS]
    assert (merged.evidence[0].start, merged.evidence[0].end) == (10, 10 + len(MONDAY))


def test_merges_are_not_chained_past_a_disagreement() -> None:
    undated = meeting("Sergey Lavrov", "Wang Yi")
    monday = meeting("Sergey Lavrov", "Wang Yi", when=when("on Monday"), evidence=evidence("A."))
    march = meeting("Sergey Lavrov", "Wang Yi", when=when("in March"), evidence=evidence("B."))
    first, second = merge_duplicates([undated, monday, march])
    assert first.when is not None and first.when.expression == "on Monday"
    assert quotes(first) == ["Sergey Lavrov and Wang Yi met.", "A."]
    assert second == march


def test_merged_record_takes_the_first_position_and_others_keep_their_order() -> None:
    lavrov_wang = meeting("Sergey Lavrov", "Wang Yi")
    xi_putin = meeting("Xi", "Vladimir Putin")
    again = meeting("Wang Yi", "Sergey Lavrov", evidence=evidence("Again."))
    han_blinken = meeting("Han Zheng", "Antony Blinken")
    out = merge_duplicates([lavrov_wang, xi_putin, again, han_blinken])
    assert [[p.name for p in m.participants] for m in out] == [
        ["Sergey Lavrov", "Wang Yi"],
        ["Xi", "Vladimir Putin"],
        ["Han Zheng", "Antony Blinken"],
    ]
    assert quotes(out[0]) == ["Sergey Lavrov and Wang Yi met.", "Again."]


def test_no_records_give_no_records() -> None:
    assert merge_duplicates([]) == []


# --------------------------------------------------------------------------------------
# Visits, warrants, statements


def test_putin_visit_mentioned_twice_is_one_visit() -> None:
    likely = visit(
        "Vladimir Putin",
        None,
        status="expected",
        when=when("next month"),
        evidence=evidence(
            "The information suggests that Putin is likely to visit China next month."
        ),
    )
    soon = visit(
        "Vladimir Putin",
        "Beijing",
        status="planned",
        purpose="a conference",
        evidence=evidence("Russian President Vladimir Putin will be making a visit to Beijing."),
    )
    (merged,) = merge_duplicates([likely, soon])
    assert merged.destination is not None and merged.destination.name == "Beijing"
    assert (merged.status, merged.purpose) == ("expected", "a conference")
    assert len(merged.evidence) == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Vladimir Putin", "Beijing"), ("Vladimir Putin", "Pyongyang")),
        (("Vladimir Putin", "Beijing"), ("Wang Yi", "Beijing")),
    ],
)
def test_visits_by_other_visitors_or_to_other_places_stay_apart(
    a: tuple[str, str], b: tuple[str, str]
) -> None:
    first, second = visit(*a), visit(*b)
    assert merge_duplicates([first, second]) == [first, second]


def test_warrants_with_same_subject_and_kind_merge_and_charges_unite() -> None:
    icc = warrant("Vladimir Putin", charges=["war crimes"], when=when("This year"))
    again = warrant(
        "Vladimir Putin",
        charges=["War crimes", "unlawful deportation of children"],
        authority=actor("International Criminal Court", kind="organisation"),
        evidence=evidence("The ICC issued an arrest warrant for Putin."),
    )
    (merged,) = merge_duplicates([icc, again])
    assert merged.charges == ["war crimes", "unlawful deportation of children"]
    assert merged.authority == again.authority


@pytest.mark.parametrize(
    "other",
    [
        warrant("Vladimir Putin", kind="red notice"),
        warrant("Maria Lvova-Belova"),
        warrant("Vladimir Putin", status="sought"),
    ],
)
def test_warrants_of_another_kind_subject_or_status_stay_apart(other: Warrant) -> None:
    icc = warrant("Vladimir Putin")
    assert merge_duplicates([icc, other]) == [icc, other]


def test_statements_with_the_same_speaker_and_direct_quote_merge() -> None:
    words = "The parties talked extensively about the current situation in Ukraine,"
    a = statement("Russia's Foreign Ministry", "They discussed Ukraine.", quote=words)
    b = statement("Russia’s Foreign Ministry", "Ukraine needs Russia.", quote=f"“{words}”")
    (merged,) = merge_duplicates([a, b])
    assert merged.content == "They discussed Ukraine."
    assert len(merged.evidence) == 2


def test_statements_with_the_same_content_up_to_case_and_spacing_merge() -> None:
    a = statement("Wang Yi", "China and Russia should work together more closely.")
    b = statement(
        "wang yi",
        "china and russia  should work\ntogether more closely",
        addressee=actor("Sergey Lavrov"),
        evidence=evidence("Wang said China and Russia should work together more closely."),
    )
    (merged,) = merge_duplicates([a, b])
    assert merged.addressee == b.addressee
    assert len(merged.evidence) == 2


@pytest.mark.parametrize(
    "other",
    [
        statement("Wang Yi", "China and Russia choose their own ways."),
        statement("Sergey Lavrov", "China and Russia should work together more closely."),
        statement(
            "Wang Yi",
            "China and Russia should work together more closely.",
            quote="We will work together.",
        ),
    ],
)
def test_statements_differing_in_speaker_content_or_quote_stay_apart(other: Statement) -> None:
    first = statement(
        "Wang Yi", "China and Russia should work together more closely.", quote="Closer."
    )
    assert merge_duplicates([first, other]) == [first, other]


# --------------------------------------------------------------------------------------
# status_problem


def test_likely_visit_reported_as_occurred_is_flagged() -> None:
    problem = status_problem(
        "occurred", ["The information suggests that Putin is likely to visit China next month."]
    )
    assert problem is not None
    assert "'likely'" in problem and "'expected'" in problem


@pytest.mark.parametrize(
    ("quote", "word", "suggested"),
    [
        (
            "The summit might make it easier for Biden and Xi to meet in November.",
            "might",
            "possible",
        ),
        ("Putin may travel to Beijing for the forum in October.", "may", "possible"),
        ("This meeting could result in North Korea giving weapons to Moscow.", "could", "possible"),
        ("The leader of Russia plans to go to China this summer.", "plans to", "planned"),
        ("Xi is expected to attend the APEC summit in November.", "expected to", "expected"),
        (
            "Russia will prepare for important meetings between the two countries.",
            "will",
            "planned",
        ),
        ("Blinken is set to travel to Beijing next week.", "is set to", "planned"),
        ("A conference that is going to happen next month in Beijing.", "is going to", "planned"),
        ("Such a trip would be Putin's first since the warrant.", "would", "possible"),
        ("Officials believe Putin may have met Kim in secret.", "may", "possible"),
    ],
)
def test_hedged_or_future_evidence_is_flagged_with_its_word(
    quote: str, word: str, suggested: str
) -> None:
    problem = status_problem("occurred", [quote])
    assert problem is not None
    assert f"says {word!r}: use {suggested!r}" in problem


@pytest.mark.parametrize(
    "quote",
    [
        "Han Zheng, the Vice President of China, met with Antony Blinken in New York.",
        "Lavrov said that Russia will prepare for important meetings between the two countries.",
        "The meeting between Wang and Sullivan in Malta last weekend might make it easier "
        "for Biden and Xi to meet in November during the APEC summit in the United States.",
        "A person who works for the Kremlin said recently that the leader of Russia plans "
        "to go to China this summer.",
        "The summit in May brought the two leaders together.",  # the month, not a hedge
        "Will Hurd met the delegation.",  # a name, not a hedge
        "Wang came to Moscow on Monday after a big meeting between Putin and Kim Jong Un.",
    ],
)
def test_evidence_that_states_the_event_is_not_flagged(quote: str) -> None:
    assert status_problem("occurred", [quote]) is None


def test_one_plain_quote_among_hedged_ones_is_enough() -> None:
    hedged = "The information suggests that Putin is likely to visit China next month."
    assert status_problem("occurred", [hedged, "Wang came to Moscow on Monday"]) is None


@pytest.mark.parametrize("status", ["expected", "possible", "planned", "ongoing", "denied"])
def test_only_occurred_is_checked(status: str) -> None:
    hedged = "The information suggests that Putin is likely to visit China next month."
    assert status_problem(status, [hedged]) is None


def test_no_quotes_no_problem() -> None:
    assert status_problem("occurred", []) is None


def test_no_occurred_record_of_the_seed_answer_is_flagged() -> None:
    checked = 0
    for kind in ("meetings", "statements", "visits"):
        for record in SEED_ANSWER[kind]:
            if record["status"] == "occurred":
                checked += 1
                assert status_problem("occurred", [e["quote"] for e in record["evidence"]]) is None
    assert checked == 15
