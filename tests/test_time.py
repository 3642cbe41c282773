"""Time expressions resolved against the publication date (newsschema._text._time)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsschema import InputError
from newsschema._text._time import find_published, resolve_time

MONDAY = date(2023, 9, 18)  # publication date used throughout: Monday 18 September 2023


def value(expression: str, context: str | None = None, published: object = MONDAY) -> str | None:
    return resolve_time(expression, published, context=context).value  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Weekdays and weekends.


def test_weekday_of_the_publication_day_is_the_publication_day() -> None:
    when = resolve_time("on Monday", MONDAY)
    assert (when.value, when.start, when.end, when.granularity) == (
        "2023-09-18", MONDAY, MONDAY, "day",
    )  # fmt: skip
    assert when.resolution == "relative"


def test_weekday_in_a_past_tense_sentence_is_the_one_before_publication() -> None:
    assert value("on Friday", "Officials said on Friday that talks had stalled.") == "2023-09-15"


def test_weekday_in_a_future_tense_sentence_is_the_one_after_publication() -> None:
    assert value("on Friday", "The ministers will meet on Friday in Geneva.") == "2023-09-22"


def test_weekday_governed_by_a_verb_after_it_takes_that_verb_tense() -> None:
    assert value("On Friday", "On Friday, the two sides agreed to resume talks.") == "2023-09-15"


def test_weekday_without_its_sentence_is_unresolved_and_says_why() -> None:
    when = resolve_time("on Friday", MONDAY)
    assert when.value is None and when.resolution == "unresolved"
    assert when.reason is not None and "context" in when.reason


def test_weekday_missing_from_the_given_sentence_is_unresolved() -> None:
    when = resolve_time("on Friday", MONDAY, context="The talks resumed in Geneva.")
    assert when.value is None and when.reason is not None and "not in the given" in when.reason


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        # The seed article: a hedged meeting two months ahead, not last November.
        (
            "The meeting between Wang and Sullivan in Malta last weekend might make it easier "
            "for Biden and Xi to meet in November during the APEC summit in the United States.",
            "2023-11",
        ),
        ("Biden and Xi might meet in November, officials said.", "2023-11"),
        ("Officials said talks may resume in November.", "2023-11"),
        ("Officials said the two leaders could meet in November.", "2023-11"),
        ("Officials said the leaders should meet in November.", "2023-11"),
        # A modal before "have" is a past; the month "May" is not the modal.
        ("They might have met in November, officials said.", "2022-11"),
        ("Talks stalled in May and resumed in November, officials said.", "2022-11"),
    ],
)
def test_a_modal_verb_marks_the_future(context: str, expected: str) -> None:
    assert value("in November", context) == expected


def test_a_negated_could_is_a_past_of_can() -> None:
    assert value("on Friday", "He could not be reached on Friday.") == "2023-09-15"
    context = "Neither he nor his lawyers could be located Friday."
    assert value("Friday", context) == "2023-09-15"
    assert value("Friday", "Officials said the ship could arrive as early as Friday.") == (
        "2023-09-22"
    )


def test_a_date_a_postponing_verb_moves_things_to_lies_ahead() -> None:
    context = "Officials postponed until Friday any decision on the request."
    assert value("Friday", context) == "2023-09-22"
    context = "Lenders extended the loans through January, the company said."
    assert value("January", context, date(1989, 10, 30)) == "1990-01"
    assert value("Friday", "The talks lasted until Friday.") == "2023-09-15"


def test_a_date_in_an_infinitive_of_intent_is_not_read_from_the_report_verb() -> None:
    # "agreed" is past, but the purchase it agreed to is what February belongs to:
    # the tense leaves it open, so a bare month is the nearer one.
    context = "The company agreed to purchase the unit for $22 million in February."
    assert value("February", context, date(1989, 10, 30)) == "1990-02"
    assert value("February", "The company bought the unit in February.", date(1989, 10, 30)) == (
        "1989-02"
    )


def test_an_un_participle_is_an_adjective_but_a_verb_of_undoing_is_a_past() -> None:
    context = "The dividend would be paid on a still unspecified date in January."
    assert value("January", context, date(1989, 10, 26)) == "1990-01"
    assert value("on Friday", "The company unveiled the plan on Friday.") == "2023-09-15"


def test_last_weekend_is_the_saturday_and_sunday_before_publication() -> None:
    when = resolve_time("last weekend", MONDAY)
    assert (when.value, when.start, when.end, when.granularity) == (
        "2023-W37-WE", date(2023, 9, 16), date(2023, 9, 17), "weekend",
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# Weeks, months, seasons, quarters, years.


def test_this_week_is_the_iso_week_of_publication() -> None:
    when = resolve_time("this week", MONDAY)
    assert (when.value, when.start, when.end) == ("2023-W38", MONDAY, date(2023, 9, 24))


def test_last_week_is_the_iso_week_before_publication() -> None:
    assert value("last week") == "2023-W37"


def test_next_month_is_the_month_after_publication() -> None:
    when = resolve_time("next month", MONDAY)
    assert (when.value, when.start, when.end, when.granularity) == (
        "2023-10", date(2023, 10, 1), date(2023, 10, 31), "month",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("The two leaders met in March in Beijing.", "2023-03"),
        ("The two leaders will meet in March in Beijing.", "2024-03"),
    ],
)
def test_a_bare_month_takes_its_year_from_the_sentence_tense(context: str, expected: str) -> None:
    assert value("in March", context) == expected


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("He visited Kyiv in early December.", "2022-12"),
        ("He plans to visit Kyiv in early December.", "2023-12"),
    ],
)
def test_early_month_is_the_month_with_modifier_start(context: str, expected: str) -> None:
    when = resolve_time("early December", MONDAY, context=context)
    assert (when.value, when.modifier, when.granularity) == (expected, "START", "month")


def test_late_last_july_is_the_latest_july_with_modifier_end() -> None:
    when = resolve_time("late last July", MONDAY)
    assert (when.value, when.modifier) == ("2023-07", "END")


def test_last_june_is_the_latest_june_before_publication() -> None:
    assert value("last June") == "2023-06"


def test_a_month_and_day_without_year_is_the_nearest_such_date() -> None:
    # The past tense belongs to the extension, not to the new deadline.
    context = "The company extended its offer to Nov. 20."
    assert value("Nov. 20", context, published=date(2023, 11, 2)) == "2023-11-20"


def test_a_weekday_beside_a_month_and_day_picks_the_year_the_day_falls_on() -> None:
    assert value("Thursday, Oct. 26") == "2023-10-26"
    assert value("Monday, Oct. 26", "They met on Monday, Oct. 26.") == "2020-10-26"


@pytest.mark.parametrize("expression", ["31 June", "Feb. 30, 2023", "2023-02-30"])
def test_a_date_that_does_not_exist_is_unresolved(expression: str) -> None:
    when = resolve_time(expression, MONDAY)
    assert when.value is None and when.reason is not None and "no such date" in when.reason


def test_this_summer_is_the_summer_of_the_publication_year() -> None:
    when = resolve_time("this summer", MONDAY)
    assert (when.value, when.granularity) == ("2023-SU", "season")


def test_a_bare_month_next_to_the_publication_month_is_that_one_whatever_the_tense() -> None:
    # Said in September: "October" is the coming one, "August" the one just past.
    assert value("in October", "Officials said the plant would reopen in October.") == "2023-10"
    assert value("in October", "The company agreed to buy the unit in October.") == "2023-10"
    assert value("in August", "The company said it will repeat August's gains.") == "2023-08"


def test_a_bare_month_in_a_sentence_without_tense_is_the_nearest_occurrence() -> None:
    context = "They can take part in planning for the summit in January."
    assert value("January", context) == "2024-01"
    assert value("May", "Sales in May and a strong spring season.") == "2023-05"


def test_a_passive_present_with_a_date_is_scheduled() -> None:
    context = "The lawyers hope to win when the case is heard in December."
    assert value("December", context) == "2023-12"


def test_the_first_quarter_is_the_first_quarter_of_the_publication_year() -> None:
    when = resolve_time("the first quarter", MONDAY)
    assert (when.value, when.start, when.end) == ("2023-Q1", date(2023, 1, 1), date(2023, 3, 31))


def test_a_year_earlier_in_a_quarterly_report_is_that_quarter_a_year_before() -> None:
    context = "Third-quarter profit rose to $12 million from $9 million a year earlier."
    assert value("a year earlier", context) == "2022-Q3"


def test_a_year_ago_outside_a_report_is_the_previous_year() -> None:
    assert value("a year ago", "A year ago the border was still open.") == "2022"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("This year", "2023"), ("next year", "2024"), ("last year", "2022")],
)
def test_relative_years(expression: str, expected: str) -> None:
    when = resolve_time(expression, MONDAY)
    assert (when.value, when.granularity) == (expected, "year")


def test_the_end_of_the_year_is_the_year_with_modifier_end() -> None:
    when = resolve_time("the end of the year", MONDAY)
    assert (when.value, when.modifier, when.granularity) == ("2023", "END", "year")


def test_four_years_ago_is_a_year_four_years_back() -> None:
    when = resolve_time("four years ago", MONDAY)
    assert (when.value, when.granularity, when.start) == ("2019", "year", date(2019, 1, 1))


def test_the_1990s_is_the_decade_199() -> None:
    when = resolve_time("the 1990s", None)
    assert (when.value, when.start, when.end, when.granularity) == (
        "199", date(1990, 1, 1), date(1999, 12, 31), "decade",
    )  # fmt: skip
    assert when.resolution == "explicit"


def test_a_bare_year_is_explicit_and_needs_no_publication_date() -> None:
    when = resolve_time("2013", None)
    assert (when.value, when.granularity, when.resolution) == ("2013", "year", "explicit")


def test_an_apostrophe_two_digit_year_is_in_the_century_before_publication() -> None:
    assert value("'58") == "1958"


def test_a_bare_two_digit_number_is_a_year_only_where_the_sentence_says_so() -> None:
    assert value("58", "He won the title in 58 and retired.") == "1958"
    assert value("58", "He scored 58 points.") is None


def test_a_fiscal_quarter_ended_on_a_date_is_the_calendar_quarter_holding_most_of_it() -> None:
    context = "In the quarter ended July 31, Acme earned $2 million."
    assert value("the quarter", context) == "2023-Q2"
    context = "For the quarter ended June 30, Acme earned $2 million."
    assert value("the quarter", context) == "2023-Q2"


def test_this_quarter_in_a_results_report_is_the_quarter_reported_on() -> None:
    context = "This quarter's loss of $4.9 million includes pretax charges."
    assert value("This quarter", context) == "2023-Q2"
    assert value("this quarter", "Deliveries will resume this quarter.") == "2023-Q3"


def test_an_adjective_before_a_named_quarter_is_ignored() -> None:
    assert value("a flat second quarter", "After a flat second quarter, sales rose.") == "2023-Q2"


def test_a_year_period_in_a_sentence_about_nine_months_is_that_year() -> None:
    context = (
        "In the first nine months, net was $306 million, up from $195 million in the 2022 period."
    )
    when = resolve_time("the 2022 period", MONDAY, context=context)
    assert (when.value, when.resolution) == ("2022", "explicit")


def test_half_of_a_decade_is_the_decade_with_a_modifier() -> None:
    when = resolve_time("the last half of the '80s", MONDAY)
    assert (when.value, when.modifier) == ("198", "END")
    when = resolve_time("the first half of the 1990s", MONDAY)
    assert (when.value, when.modifier) == ("199", "START")
    assert value("the first half of 2020") == "2020-H1"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("a good part of 2024", "2024"),
        ("much of 2021", "2021"),
        ("the rest of the year", "2023"),
        ("2026 or later", "2026"),
        ("2025 and beyond", "2025"),
        ("post-1959", "1959"),
        ("pre-1990", "1990"),
    ],
)
def test_part_of_a_period_and_open_ended_ranges_take_the_named_period(
    expression: str, expected: str
) -> None:
    assert value(expression) == expected


def test_us_election_day_is_the_tuesday_after_the_first_monday_of_november() -> None:
    context = "Voters will go to the polls on Election Day."
    assert value("Election Day", context) == "2023-11-07"
    assert value("Election Day 2020") == "2020-11-03"


def test_easter_week_is_the_iso_week_ending_on_easter_sunday() -> None:
    when = resolve_time("Easter week", date(2000, 4, 17), context="Easter week began.")
    assert (when.value, when.start, when.end) == (
        "2000-W16", date(2000, 4, 17), date(2000, 4, 23),
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# Days and the TimeML reference values.


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("yesterday", "2023-09-17"), ("today", "2023-09-18"), ("tomorrow", "2023-09-19")],
)
def test_relative_days(expression: str, expected: str) -> None:
    when = resolve_time(expression, MONDAY)
    assert (when.value, when.granularity) == (expected, "day")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("now", "PRESENT_REF"),
        ("currently", "PRESENT_REF"),
        ("recently", "PAST_REF"),
        ("in the past", "PAST_REF"),
        ("soon", "FUTURE_REF"),
        ("in the future", "FUTURE_REF"),
    ],
)
def test_vague_times_are_timeml_reference_values_without_days(
    expression: str, expected: str
) -> None:
    when = resolve_time(expression, MONDAY)
    assert (when.value, when.start, when.end, when.granularity) == (expected, None, None, None)


@pytest.mark.parametrize(
    ("expression", "context", "expected"),
    [
        ("this morning", None, "2023-09-18"),
        ("tonight", None, "2023-09-18"),
        ("this evening", None, "2023-09-18"),
        ("last night", None, "2023-09-17"),
        ("yesterday afternoon", None, "2023-09-17"),
        ("tomorrow morning", None, "2023-09-19"),
        ("late yesterday afternoon", None, "2023-09-17"),
        ("mid-afternoon yesterday", None, "2023-09-17"),
        ("Friday night", "Protesters marched on Friday night.", "2023-09-15"),
        ("Wednesday evening", "The minister will speak Wednesday evening.", "2023-09-20"),
        ("early Sunday morning", "The fire broke out early Sunday morning.", "2023-09-17"),
    ],
)
def test_parts_of_the_day_are_timeml_part_of_day_values(
    expression: str, context: str | None, expected: str
) -> None:
    when = resolve_time(expression, MONDAY, context=context)
    assert (when.value, when.granularity) == (expected, "day")
    assert when.start == when.end == date.fromisoformat(expected[:10])


def test_the_next_morning_after_a_date_in_the_sentence_is_that_morning() -> None:
    context = "He was arrested on June 3, 2021, and appeared in court the next morning."
    assert value("the next morning", context) == "2021-06-04"
    when = resolve_time(
        "the next morning", MONDAY, context="He appeared in court the next morning."
    )
    assert when.value is None and when.reason is not None and "another time" in when.reason


@pytest.mark.parametrize(
    ("expression", "context", "expected"),
    [
        ("9 a.m. Tuesday", "The deadline was extended until 9 a.m. Tuesday.", "2023-09-19T09:00"),
        ("4 a.m. EDT Thursday", "He will leave at 4 a.m. EDT Thursday.", "2023-09-21T04:00"),
        ("at 3:30 p.m. on Friday", "The vote was held at 3:30 p.m. on Friday.", "2023-09-15T15:30"),
        ("Friday at 14:30", "The vote was held Friday at 14:30.", "2023-09-15T14:30"),
        ("noon Wednesday", "The talks will open noon Wednesday.", "2023-09-20T12:00"),
        ("12 a.m. Monday", None, "2023-09-18T00:00"),
        # Which day midnight belongs to is not settled by the words: the day alone.
        ("midnight Friday", "The strike began at midnight Friday.", "2023-09-15"),
    ],
)
def test_a_clock_time_with_a_day_is_kept_in_the_value(
    expression: str, context: str | None, expected: str
) -> None:
    when = resolve_time(expression, MONDAY, context=context)
    assert (when.value, when.granularity) == (expected, "day")


def test_a_clock_time_alone_is_not_a_date() -> None:
    assert value("10:35 a.m.", "The blast came at 10:35 a.m.") is None
    assert value("2023-09-18T09:30:00") == "2023-09-18"


def test_today_is_the_nth_day_names_the_publication_day() -> None:
    assert value("eighth day", "Today is the eighth day of the blockade.") == "2023-09-18"
    assert value("the second day", "It's the second day of the strike.") == "2023-09-18"
    assert value("the second day", "The talks collapsed on the second day.") is None


def test_the_day_in_apposition_to_a_date_is_that_date() -> None:
    context = "Eight trading days after Oct. 12, the day before the plunge, the index had fallen."
    assert value("the day", context, date(1989, 10, 30)) == "1989-10-12"
    assert value("the day", "He left the day before the plunge.") is None


def test_a_day_before_or_after_a_date_the_expression_names_is_counted_from_it() -> None:
    context = "The day before last Tuesday's hearing, he went to the house."
    assert value("day before last Tuesday", context, date(2000, 2, 24)) == "2000-02-21"
    assert value("the day after Christmas 2022") == "2022-12-26"
    assert value("the day after his death", "He came the day after his death.") is None


def test_a_count_given_as_a_range_is_a_vague_count() -> None:
    assert value("a year or two", "You may, in a year or two, save more lives.") == "FUTURE_REF"
    assert value("two or three years ago") == "PAST_REF"
    assert value("in 10 to 15 years") == "FUTURE_REF"


def test_this_moment_with_an_adjective_is_the_present() -> None:
    assert value("this crucial moment") == "PRESENT_REF"
    assert value("this critical juncture") == "PRESENT_REF"


def test_later_in_the_day_is_the_publication_day() -> None:
    context = "He arrived in Philadelphia later in the day."
    assert value("the day", context) == "2023-09-18"
    assert value("the day", "It was a great day for the world.") is None


# --------------------------------------------------------------------------------------
# Complete dates, and what needs the publication date.


@pytest.mark.parametrize("expression", ["Sept. 18, 2023", "18 September 2023", "2023-09-18"])
def test_complete_dates_resolve_without_a_publication_date(expression: str) -> None:
    when = resolve_time(expression, None)
    assert (when.value, when.start, when.resolution) == ("2023-09-18", MONDAY, "explicit")


def test_dateparser_reads_complete_dates_the_rules_do_not_know() -> None:
    when = resolve_time("December the 4th, 2023", None)
    assert (when.value, when.resolution) == ("2023-12-04", "explicit")


def test_a_numeric_date_with_ambiguous_day_and_month_is_unresolved() -> None:
    when = resolve_time("05/06/2023", MONDAY)
    assert when.value is None and when.reason is not None and "ambiguous" in when.reason


def test_a_relative_expression_without_publication_date_is_unresolved_and_says_why() -> None:
    when = resolve_time("last weekend", None)
    assert when.value is None and when.resolution == "unresolved"
    assert when.reason is not None and "no publication date is known" in when.reason
    assert "published=" in when.reason and "--published" in when.reason


@pytest.mark.parametrize(
    "published", ["2023-09-18", "2023-09-18T09:30:00+00:00", datetime(2023, 9, 18, 9, 30)]
)
def test_published_may_be_an_iso_string_or_a_datetime(published: object) -> None:
    assert value("yesterday", published=published) == "2023-09-17"


@pytest.mark.parametrize("published", ["18/09/2023", "yesterday", 20230918])
def test_a_bad_published_raises_input_error(published: object) -> None:
    with pytest.raises(InputError, match="published must be"):
        resolve_time("yesterday", published)  # type: ignore[arg-type]


def test_an_expression_counted_from_another_event_is_unresolved() -> None:
    when = resolve_time("two days later", MONDAY, context="Two days later, he resigned.")
    assert when.value is None and when.reason is not None and "another time" in when.reason


def test_that_year_counts_from_a_date_earlier_in_the_same_sentence() -> None:
    context = "He fled to Florida in June 1998 and returned later that year."
    assert value("later that year", context) == "1998"
    assert value("that year", "Exports fell that year.") is None


def test_around_sets_modifier_approx() -> None:
    when = resolve_time("around March 2020", MONDAY)
    assert (when.value, when.modifier, when.resolution) == ("2020-03", "APPROX", "explicit")


# --------------------------------------------------------------------------------------
# Finding the publication date in the text.


def test_find_published_reads_a_date_line_in_the_header() -> None:
    text = "Monday, December 4, 2023\nLeaders meet in Dubai\nThe summit opened on Sunday."
    assert find_published(text) == (date(2023, 12, 4), "article header")


def test_find_published_reads_a_dateline_taking_its_year_from_the_header() -> None:
    text = "Updated 2023\nWASHINGTON, Sept. 18 (Reuters) - The talks began on Monday."
    assert find_published(text) == (MONDAY, "article header")


def test_find_published_reads_a_labelled_iso_date() -> None:
    text = "Leaders meet\nPublished: 2023-09-18\nThe talks began."
    assert find_published(text) == (MONDAY, "article header")


def test_find_published_never_takes_a_date_from_the_story() -> None:
    # The law's date is an event's, not the article's.
    text = "Treaty signed\nThe law was passed on March 3, 1998, officials said."
    assert find_published(text) is None


def test_find_published_never_guesses_the_year_of_a_yearless_dateline() -> None:
    assert find_published("WASHINGTON, Sept. 18 (Reuters) - The talks began on Monday.") is None


def test_find_published_returns_none_without_a_complete_date() -> None:
    assert find_published("Talks resumed last week in Geneva.\nThey will go on.") is None


# --------------------------------------------------------------------------------------
# Expressions clipped from the words around them.


def test_a_count_of_years_before_earlier_or_ago_is_read_with_it() -> None:
    assert value("a year", "Exports were 5% higher than a year earlier.") == "2022"
    assert value("two years", "The plant closed two years ago.") == "2021"


def test_a_count_after_in_in_a_future_sentence_is_counted_forward() -> None:
    assert value("five years", "The stock will be redeemed in five years.") == "2028"
    assert value("five years", "It was the highest level in five years.") is None


def test_last_after_this_year_in_a_comparison_is_last_year() -> None:
    context = "The gain would mean nearly twice as high a dividend this year as last."
    assert value("last", context) == "2022"
    assert value("last", "He came in last.") is None


def test_a_day_number_joined_to_a_month_and_day_shares_the_month() -> None:
    context = "A summit will be held in Washington on Oct. 24 and 25."
    assert value("25", context) == "2023-10-25"
    assert value("25", "He scored 25 points.") is None
