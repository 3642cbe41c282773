"""Articles in other languages: detection, prompt, times, country codes and clean names.

The German, French, Russian and Chinese articles and their answers are fixtures
written for these tests (tests/fixtures/languages/SOURCES.md); FakeModel serves
the hand-written answers.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import FAKE_KEY
from scripted_server import ScriptedServer, completion
from typer.testing import CliRunner

from newsschema import (
    ArticleSummary,
    InputError,
    Meeting,
    NewsschemaWarning,
    Statement,
    Visit,
    reprocess_summary,
    resolve_time,
    summarize,
)
from newsschema._extraction import render_messages, system_message
from newsschema._text import detect_language
from newsschema._text._actors import country_code, full_names
from newsschema._text._language import _warned
from newsschema.cli import app
from newsschema.testing import FakeModel

HERE = Path(__file__).parent / "fixtures" / "languages"
PUBLISHED = "2024-02-21"  # a Wednesday


def article(language: str) -> str:
    return (HERE / f"{language}_article.txt").read_text(encoding="utf-8")


def answer(language: str) -> dict[str, Any]:
    data = json.loads((HERE / f"{language}_answer.json").read_text(encoding="utf-8"))
    data.pop("_fixture")
    return dict(data)


def run(fixture: str, **options: Any) -> tuple[ArticleSummary, FakeModel]:
    fake = FakeModel()
    fake.enqueue(answer(fixture))
    summary = summarize(
        article(fixture), published=PUBLISHED, client=fake.client(), model="fake", **options
    )
    return summary, fake


# --------------------------------------------------------------------------------------
# Four articles through summarize


def test_a_german_article_resolves_times_codes_and_clean_names() -> None:
    summary, fake = run("de")
    assert summary.provenance.language == "de"
    assert summary.provenance.language_source == "detected"
    meeting = summary.of(Meeting)[0]
    assert meeting.when is not None and meeting.when.value == "2024-02-19"  # am Montag
    assert [p.name for p in meeting.participants] == ["Olaf Scholz", "Emmanuel Macron"]
    assert [p.title for p in meeting.participants] == ["Bundeskanzler", "Präsidenten"]
    assert [p.country_code for p in meeting.participants] == ["DEU", "FRA"]
    assert meeting.place is not None and meeting.place.country_code == "DEU"
    statement = summary.of(Statement)[0]
    assert statement.speaker.name == "Olaf Scholz"  # "Scholz", fullest form across the title
    visits = summary.of(Visit)
    assert [v.when.value for v in visits if v.when] == ["2024-03-14", "2024-03"]
    assert visits[0].host is not None and visits[0].host.country_code == "FRA"
    assert visits[1].visitor.name == "Emmanuel Macron"
    system = fake.requests[0]["messages"][0]["content"]
    assert "The article is in German" in system


def test_a_french_article_resolves_times_codes_and_clean_names() -> None:
    summary, _ = run("fr")
    assert summary.provenance.language == "fr"
    meeting = summary.of(Meeting)[0]
    assert meeting.when is not None and meeting.when.value == "2024-02-20"  # mardi, a reçu
    assert [p.name for p in meeting.participants] == ["Emmanuel Macron", "Olaf Scholz"]
    assert [p.country_code for p in meeting.participants] == ["FRA", "DEU"]
    assert meeting.participants[1].title == "chancelier allemand"
    visit = summary.of(Visit)[0]
    assert visit.when is not None and visit.when.value == "2024-W09"  # la semaine prochaine
    assert visit.host is not None and visit.host.name == "Pedro Sánchez"
    assert visit.host.country_code == "ESP"
    assert visit.destination is not None and visit.destination.country_code == "ESP"
    assert summary.of(Statement)[0].speaker.name == "Emmanuel Macron"


def test_a_russian_article_resolves_times_codes_and_clean_names() -> None:
    summary, _ = run("ru")
    assert summary.provenance.language == "ru"
    meeting = summary.of(Meeting)[0]
    assert meeting.when is not None and meeting.when.value == "2024-02-20"  # во вторник
    assert [p.name for p in meeting.participants] == ["Владимир Путин", "Си Цзиньпин"]
    assert meeting.participants[0].title == "Президент России"
    assert [p.country_code for p in meeting.participants] == ["RUS", "CHN"]
    assert meeting.place is not None and meeting.place.country_code == "RUS"
    assert summary.of(Statement)[0].speaker.name == "Владимир Путин"
    visit = summary.of(Visit)[0]
    assert visit.visitor.name == "Сергей Лавров"
    assert visit.visitor.country_code == "RUS"
    assert visit.when is not None and visit.when.value == "2024-03"  # в следующем месяце
    assert visit.destination is not None and visit.destination.country_code == "CHN"


def test_a_chinese_article_resolves_times_codes_and_clean_names() -> None:
    summary, _ = run("zh")
    assert summary.provenance.language == "zh"
    meeting = summary.of(Meeting)[0]
    assert meeting.when is not None and meeting.when.value == "2024-02-19"  # 周一
    assert [p.name for p in meeting.participants] == ["王毅", "拉夫罗夫"]
    assert meeting.participants[0].title == "国务委员兼外交部长"
    assert [p.country_code for p in meeting.participants] == ["CHN", "RUS"]
    assert meeting.place is not None and meeting.place.country_code == "CHN"
    sides = summary.of(Statement)[1]
    assert sides.speaker.country_code == "RUS"  # 俄方
    assert sides.addressee is not None and sides.addressee.country_code == "CHN"  # 中方
    visit = summary.of(Visit)[0]
    assert visit.when is not None and visit.when.value == "2024-03"  # 下个月
    assert visit.destination is not None and visit.destination.country_code == "CHN"


def test_reprocessing_reads_the_article_in_its_recorded_language() -> None:
    summary, _ = run("ru")
    again = reprocess_summary(article("ru"), summary)
    assert again.provenance.language == "ru"
    meeting = again.of(Meeting)[0]
    assert meeting.when is not None and meeting.when.value == "2024-02-20"
    assert [p.name for p in meeting.participants] == ["Владимир Путин", "Си Цзиньпин"]


def test_the_language_given_wins_and_is_recorded() -> None:
    summary, _ = run("de", language="DE-at")
    assert summary.provenance.language == "de"
    assert summary.provenance.language_source == "caller"


def test_the_command_line_takes_the_language_and_records_it(tmp_path: Path) -> None:
    path = tmp_path / "artikel.txt"
    path.write_text(article("de"), encoding="utf-8")
    with ScriptedServer([completion(answer("de"))]) as server:
        result = CliRunner().invoke(
            app,
            ["summarize", str(path), "--language", "de", "--published", PUBLISHED, "--json",
             "--model", "m", "--base-url", server.base_url, "--api-key", FAKE_KEY],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["provenance"]["language"] == "de"
    assert data["provenance"]["language_source"] == "caller"
    assert data["meetings"][0]["when"]["value"] == "2024-02-19"
    assert "The article is in German" in server.requests[0]["messages"][0]["content"]


def test_a_bad_language_is_an_input_error_before_any_call() -> None:
    fake = FakeModel()
    with pytest.raises(InputError, match="ISO 639-1"):
        summarize(article("de"), client=fake.client(), model="fake", language="German")
    assert fake.requests == []


def test_an_english_article_sends_the_english_prompt_unchanged() -> None:
    text = "The foreign ministers met in Geneva on Monday to discuss the ceasefire. " * 3
    assert detect_language(text) == "en"
    messages = render_messages(text, None, language="en")
    assert messages[0]["content"] == system_message()
    assert render_messages(text, None) == messages
    german = render_messages(article("de"), None, language="de")
    assert german[0]["content"].startswith(system_message())
    assert "never translate them" in german[0]["content"]


def test_an_unsupported_language_is_said_once() -> None:
    dutch = (
        "De minister van Buitenlandse Zaken heeft maandag in Den Haag zijn Duitse collega "
        "ontvangen. Zij spraken over de oorlog in Oekraïne en over de samenwerking."
    )
    _warned.discard("nl")
    fake = FakeModel()
    for _ in range(2):
        fake.enqueue({"headline": None, "summary": "x", "meetings": [], "statements": [],
                      "visits": [], "warrants": []})  # fmt: skip
    with pytest.warns(NewsschemaWarning, match=r"Dutch \(nl\).*only complete dates"):
        summarize(dutch, client=fake.client(), model="fake", language="nl")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        summary = summarize(dutch, client=fake.client(), model="fake", language="nl")
    assert summary.provenance.language == "nl"
    when = resolve_time("vorige week", "2024-02-21", language="nl")
    assert when.value is None and "'nl'" in (when.reason or "")


# --------------------------------------------------------------------------------------
# Times, per language


@pytest.mark.parametrize(
    ("language", "expression", "sentence", "value"),
    [
        (
            "de",
            "im nächsten Monat",
            "Die Gespräche werden im nächsten Monat fortgesetzt.",
            "2024-03",
        ),
        ("de", "letzte Woche", "Er traf ihn letzte Woche.", "2024-W07"),
        ("de", "am Freitag", "Scholz wird am Freitag nach Rom reisen.", "2024-02-23"),
        ("de", "am Freitag", "Scholz ist am Freitag nach Rom gereist.", "2024-02-16"),
        ("de", "4. Oktober 2005", None, "2005-10-04"),
        ("fr", "l'année prochaine", "Il reviendra l'année prochaine.", "2025"),
        ("fr", "hier", "Il a parlé hier.", "2024-02-20"),
        ("es", "4 de octubre de 2005", None, "2005-10-04"),
        ("es", "el próximo viernes", "Se reunirán el próximo viernes.", "2024-02-23"),
        ("es", "septiembre del año pasado", "Ocurrió en septiembre del año pasado.", "2023-09"),
        ("it", "lunedì scorso", "Si sono incontrati lunedì scorso.", "2024-02-19"),
        ("it", "il mese prossimo", "Il vertice si terrà il mese prossimo.", "2024-03"),
        ("pt", "na segunda-feira", "O presidente encontrou-se na segunda-feira.", "2024-02-19"),
        ("pt", "no ano passado", "Isso aconteceu no ano passado.", "2023"),
        ("ru", "4 октября 2005 года", None, "2005-10-04"),
        ("ru", "на прошлой неделе", "Он приехал на прошлой неделе.", "2024-W07"),
        ("ru", "в пятницу", "Он будет в Пекине в пятницу.", "2024-02-23"),
        ("zh", "2005年10月4日", None, "2005-10-04"),
        ("zh", "上周一", "他上周一抵达北京。", "2024-02-12"),
        ("zh", "三天前", "三天前他抵达北京。", "2024-02-18"),
        ("zh", "明年", "明年将举行峰会。", "2025"),
        ("ar", "يوم الاثنين", "التقى الرئيس يوم الاثنين بنظيره", "2024-02-19"),
        ("ar", "الأسبوع الماضي", "زار الوزير الأسبوع الماضي", "2024-W07"),
        ("ar", "الشهر المقبل", "سيزور الوزير باريس الشهر المقبل", "2024-03"),
        ("ar", "4 أكتوبر 2005", None, "2005-10-04"),
    ],
)
def test_time_expressions_of_other_languages_resolve(
    language: str, expression: str, sentence: str | None, value: str
) -> None:
    found = resolve_time(expression, PUBLISHED, context=sentence, language=language)
    assert found.value == value, found.reason
    assert found.expression == expression


def test_a_weekday_without_its_sentence_stays_unresolved_in_any_language() -> None:
    found = resolve_time("am Freitag", PUBLISHED, language="de")
    assert found.value is None
    assert found.reason is not None and "context" in found.reason


# --------------------------------------------------------------------------------------
# Countries and names


@pytest.mark.parametrize(
    ("language", "value", "code"),
    [
        ("de", "Deutschland", "DEU"), ("de", "französischen", "FRA"), ("de", "Frankreich", "FRA"),
        ("de", "Moskau", "RUS"), ("fr", "Allemagne", "DEU"), ("fr", "la Maison-Blanche", "USA"),
        ("es", "estadounidenses", "USA"), ("es", "Pekín", "CHN"), ("it", "tedesca", "DEU"),
        ("it", "Cremlino", "RUS"), ("pt", "alemã", "DEU"), ("pt", "Pequim", "CHN"),
        ("ru", "России", "RUS"), ("ru", "французского", "FRA"), ("ru", "Белый дом", "USA"),
        ("zh", "德国", "DEU"), ("zh", "美方", "USA"), ("zh", "克里姆林宫", "RUS"),
        ("ar", "فرنسا", "FRA"), ("ar", "الفرنسية", "FRA"), ("ar", "الكرملين", "RUS"),
        ("ar", "الصّين", "CHN"),
    ],
)  # fmt: skip
def test_country_names_adjectives_and_capitals_of_other_languages(
    language: str, value: str, code: str
) -> None:
    assert country_code(value, language) == code


def test_english_country_codes_are_unchanged_by_the_other_languages() -> None:
    assert country_code("Moskau") is None  # no language: English names only
    assert country_code("Chinese") == "CHN"
    assert country_code("Chinese", "de") == "CHN"  # English names still match


def test_the_fullest_name_skips_inflected_titles() -> None:
    text = article("de")
    names = full_names(["Scholz", "Präsidenten Emmanuel Macron"], text, "de")
    assert names == {"Scholz": "Olaf Scholz", "Präsidenten Emmanuel Macron": "Emmanuel Macron"}
    # Without the language, "Bundeskanzler" reads as part of the name.
    assert full_names(["Scholz"], text)["Scholz"] == "Bundeskanzler Olaf Scholz"


def test_a_language_the_caller_gives_is_part_of_the_cache_key(tmp_path: Path) -> None:
    from newsschema._batch._cache import SummaryCache

    detected = SummaryCache(tmp_path / "c.sqlite", model="m", mode="json_schema")
    given = SummaryCache(tmp_path / "c.sqlite", model="m", mode="json_schema", language="de")
    text = article("de")
    assert detected.key(text, None) != given.key(text, None)
    again = SummaryCache(tmp_path / "c.sqlite", model="m", mode="json_schema", language="de")
    assert given.key(text, None) == again.key(text, None)
