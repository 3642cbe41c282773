"""Time expressions resolved against the publication date (newsschema._time)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsschema import InputError
from newsschema._time import find_published, resolve_time

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
    assert when.reason == "relative to the publication date, which is unknown"


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


def test_find_published_falls_back_to_the_first_complete_date_in_the_body() -> None:
    text = "Treaty signed\nThe law was passed on March 3, 1998, officials said."
    assert find_published(text) == (date(1998, 3, 3), "body")


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


def test_a_day_number_joined_to_a_month_and_day_shares_the_month() -> None:
    context = "A summit will be held in Washington on Oct. 24 and 25."
    assert value("25", context) == "2023-10-25"
    assert value("25", "He scored 25 points.") is None
