"""Many articles at once: one outcome each, written as they finish, resumable, cached, quiet.

The server is tests/batch_server.py, in process (an httpx2 transport, no sockets).
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from batch_server import BatchServer, article_of, small_answer
from conftest import FAKE_KEY
from rich.console import Console

from newsschema import ArticleSummary, ConfigurationError, InputError, NewsschemaWarning
from newsschema._batch._cache import SummaryCache
from newsschema._batch._run import BatchStats, Outcome, asummarize_many, summarize_many
from newsschema._batch._sinks import JsonlSink
from newsschema._io._articles import Article, load_articles
from newsschema.cli._batch import run_batch_cli
from newsschema.testing import FakeModel

MODEL = "newsschema-scripted-batch"


@pytest.fixture(autouse=True)
def _default_cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run left on the default cache=True never writes to the developer's cache."""
    monkeypatch.setenv("NEWSSCHEMA_CACHE_DIR", str(tmp_path / "default-cache"))


def texts(n: int) -> list[dict[str, str]]:
    return [
        {"id": f"a{i}", "text": f"Minister {i} met the ambassador in Oslo on Monday. They spoke."}
        for i in range(n)
    ]


def client_for(server: BatchServer) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        api_key=FAKE_KEY,
        base_url="http://batch-server.test/v1",
        http_client=httpx2.AsyncClient(transport=server.transport()),
    )


def requested(server: BatchServer) -> list[str]:
    """Which articles the server was asked about (first sentence), in order."""
    return [article_of(body).split(" met ")[0] for body in server.chat_bodies]


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def failing_on(marker: str) -> Any:
    """Answers every article, but never validly for the one containing ``marker``."""

    def answer(body: dict[str, Any]) -> dict[str, Any] | str:
        article = article_of(body)
        return "this is not JSON" if marker in article else small_answer(article)

    return answer


def run(articles: Any, server: BatchServer, **kwargs: Any) -> list[Outcome]:
    kwargs.setdefault("cache", False)
    return list(summarize_many(articles, client=client_for(server), model=MODEL, **kwargs))


# --------------------------------------------------------------------------------------
# One outcome per input


def test_one_failing_article_does_not_stop_the_others(tmp_path: Path) -> None:
    server = BatchServer(answer=failing_on("Minister 2 "))
    stats = BatchStats()
    outcomes = run(texts(5), server, concurrency=3, output=tmp_path / "out.jsonl", stats=stats)
    assert sorted(o.id for o in outcomes) == ["a0", "a1", "a2", "a3", "a4"]
    failed = [o for o in outcomes if not o.ok]
    assert [o.id for o in failed] == ["a2"]
    assert failed[0].error is not None and failed[0].error.type == "InvalidAnswerError"
    assert failed[0].error.usage.requests == 3  # every answer it cost is reported
    assert all(isinstance(o.summary, ArticleSummary) for o in outcomes if o.id != "a2")
    expected = (4, 1, {"InvalidAnswerError": 1})
    assert (stats.succeeded, stats.failed, dict(stats.failures)) == expected
    written = lines(tmp_path / "out.jsonl")
    assert sorted(line["id"] for line in written) == ["a0", "a1", "a2", "a3", "a4"]
    assert next(line for line in written if line["id"] == "a2")["error"]["type"] == (
        "InvalidAnswerError"
    )


async def test_async_form_yields_in_input_order_when_asked() -> None:
    # Earlier articles answer later, so completion order is the reverse of input order.
    server = BatchServer(latency=lambda body: 0.05 - 0.01 * int(article_of(body)[9]))
    outcomes = [
        o
        async for o in asummarize_many(
            texts(4), client=client_for(server), model=MODEL, cache=False, order="input"
        )
    ]
    assert [o.id for o in outcomes] == ["a0", "a1", "a2", "a3"]
    assert [o.index for o in outcomes] == [0, 1, 2, 3]


async def test_results_stream_in_completion_order_by_default() -> None:
    server = BatchServer(latency=lambda body: 0.05 - 0.01 * int(article_of(body)[9]))
    seen: list[str] = []
    outcomes = [
        o.id
        async for o in asummarize_many(
            texts(4), client=client_for(server), model=MODEL, cache=False, concurrency=4,
            on_result=lambda o: seen.append(o.id),
        )
    ]  # fmt: skip
    assert outcomes == ["a3", "a2", "a1", "a0"]
    assert seen == outcomes  # the hook sees each outcome once, as it finishes


def test_at_most_concurrency_requests_are_in_flight() -> None:
    in_flight = 0
    peak = 0
    server = BatchServer()
    inner = server.transport()

    class Counting(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                import asyncio

                await asyncio.sleep(0.01)
                return await inner.handle_async_request(request)
            finally:
                in_flight -= 1

    client = openai.AsyncOpenAI(
        api_key=FAKE_KEY,
        base_url="http://x.test/v1",
        http_client=httpx2.AsyncClient(transport=Counting()),
    )
    outcomes = list(
        summarize_many(texts(12), client=client, model=MODEL, cache=False, concurrency=3)
    )
    assert len(outcomes) == 12 and all(o.ok for o in outcomes)
    assert peak == 3


def test_answers_arriving_together_are_dealt_with_in_turn_and_leave_spread_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    import newsschema._extraction._summarize as flow

    events: list[str] = []  # "sent": a request leaves; "read": an answer is dealt with
    server = BatchServer()
    inner = server.transport()
    first_wave = asyncio.Event()
    enrich = flow._enrich

    def reading(*args: Any, **kwargs: Any) -> Any:
        events.append("read")
        return enrich(*args, **kwargs)

    monkeypatch.setattr(flow, "_enrich", reading)

    class Together(httpx2.AsyncBaseTransport):
        """Like a socket: a request leaves at the next turn of the loop, bodies come in chunks.

        The first three requests are answered at the same moment.
        """

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            await asyncio.sleep(0)  # sending yields to the loop
            events.append("sent")
            if events.count("sent") == 3:
                first_wave.set()
            if events.count("sent") <= 3:
                await first_wave.wait()
            answer = await inner.handle_async_request(request)
            body = await answer.aread()

            async def chunks() -> Any:
                for i in range(0, len(body), 512):
                    await asyncio.sleep(0)  # receiving yields too
                    yield body[i : i + 512]

            return httpx2.Response(answer.status_code, headers=answer.headers, content=chunks())

    client = openai.AsyncOpenAI(
        api_key=FAKE_KEY,
        base_url="http://x.test/v1",
        http_client=httpx2.AsyncClient(transport=Together()),
    )
    outcomes = list(
        summarize_many(texts(6), client=client, model=MODEL, cache=False, concurrency=3)
    )
    assert all(o.ok for o in outcomes)
    # Taken in turn, each answer of the first wave is dealt with and its worker's next
    # request leaves before the next answer is read; shared round-robin, the three
    # answers would be read together and the three requests leave in one burst.
    assert events[:3] == ["sent"] * 3
    assert events[3:9] == ["read", "sent"] * 3, events


def test_plain_texts_are_numbered_and_duplicate_ids_are_refused_before_any_call() -> None:
    server = BatchServer()
    outcomes = run(["First text. Here.", "Second text. Here."], server, order="input")
    assert [o.id for o in outcomes] == ["0", "1"]
    with pytest.raises(InputError, match="more than once"):
        run([{"id": "x", "text": "A."}, {"id": "x", "text": "B."}], server)
    assert server.completions == 2


def test_a_sync_client_is_refused_with_a_hint() -> None:
    with pytest.raises(ConfigurationError, match="AsyncOpenAI"):
        summarize_many(["text"], client=FakeModel().client(), model=MODEL)  # type: ignore[arg-type]


def test_a_429_goes_through_the_limiter_and_is_counted(sleeps: list[float]) -> None:
    fake = FakeModel()
    fake.enqueue_error(429, {"error": {"message": "slow down"}}, headers={"retry-after": "0"})
    fake.enqueue(small_answer("One sentence."))
    stats = BatchStats()
    outcomes = list(
        summarize_many(
            ["One sentence."], client=fake.async_client(), model=MODEL, cache=False, stats=stats
        )
    )
    assert outcomes[0].ok
    assert (stats.http_requests, stats.rate_limited) == (2, 1)
    assert sleeps == [0.0]  # the transport retry waited as the server asked


def test_leaving_the_loop_early_stops_the_run_and_keeps_what_was_written(tmp_path: Path) -> None:
    server = BatchServer(latency=0.01)
    out = tmp_path / "out.jsonl"
    for outcome in summarize_many(
        texts(30), client=client_for(server), model=MODEL, cache=False, output=out, concurrency=2
    ):
        assert outcome.ok
        break
    assert not any(t.name == "newsschema-summarize-many" for t in threading.enumerate())
    written = lines(out)
    assert 1 <= len(written) < 30
    assert len({line["id"] for line in written}) == len(written)


# --------------------------------------------------------------------------------------
# Output, resume, exactly once


def test_resume_skips_done_ids_cuts_a_torn_last_line_and_writes_each_id_once(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.jsonl"
    run(texts(2), BatchServer(), output=out)
    with out.open("ab") as f:  # a crash in the middle of writing the third line
        f.write(b'{"id": "a2", "url": null, "title": null, "article": "Minis')
    server = BatchServer()
    stats = BatchStats()
    with pytest.warns(NewsschemaWarning, match="cut its last line, 58 bytes of article 'a2'"):
        outcomes = run(texts(6), server, output=out, stats=stats)
    assert sorted(o.id for o in outcomes) == ["a2", "a3", "a4", "a5"]  # a0, a1 not yielded again
    assert sorted(requested(server)) == ["Minister 2", "Minister 3", "Minister 4", "Minister 5"]
    assert stats.skipped == 2
    ids = [line["id"] for line in lines(out)]  # every line parses: the torn one is gone
    assert sorted(ids) == ["a0", "a1", "a2", "a3", "a4", "a5"]
    assert run(texts(6), BatchServer(), output=out) == []  # finished: nothing left to do


def test_retry_failed_runs_failed_articles_again_and_replaces_their_lines(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run(texts(3), BatchServer(answer=failing_on("Minister 1 ")), output=out)
    assert [line["id"] for line in lines(out) if "error" in line] == ["a1"]
    server = BatchServer()
    outcomes = run(texts(3), server, output=out, retry_failed=True)
    assert [o.id for o in outcomes] == ["a1"] and outcomes[0].ok
    written = lines(out)
    assert sorted(line["id"] for line in written) == ["a0", "a1", "a2"]
    assert all("summary" in line for line in written)


def test_success_lines_read_back_with_the_export_reader(tmp_path: Path) -> None:
    from newsschema._io._export import read_articles

    out = tmp_path / "out.jsonl"
    run(texts(2), BatchServer(), output=out)
    back = read_articles(out)
    assert sorted(a.id for a in back) == ["a0", "a1"]
    assert all(a.article is not None and a.article.startswith("Minister") for a in back)


def test_a_second_run_on_the_same_output_is_refused_while_the_first_holds_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.jsonl"
    first = JsonlSink(out)
    try:
        with pytest.raises(ConfigurationError, match="another run"):
            JsonlSink(out)
    finally:
        first.close()


def test_sqlite_sink_has_one_row_per_article_and_event_tables(tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    run(texts(3), BatchServer(answer=failing_on("Minister 0 ")), db=db)
    with sqlite3.connect(db) as con:
        articles = sorted(r[0] for r in con.execute("SELECT id FROM articles"))
        statements = con.execute("SELECT article_id, content FROM statements").fetchall()
        failures = con.execute("SELECT id, error_type FROM batch_failures").fetchall()
    con.close()
    assert articles == ["a1", "a2"]
    assert sorted(a for a, _ in statements) == ["a1", "a2"]
    assert failures == [("a0", "InvalidAnswerError")]


# --------------------------------------------------------------------------------------
# Cache


def test_a_cached_article_makes_no_request(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(texts(3), BatchServer(), cache=cache)
    server = BatchServer()
    stats = BatchStats()
    outcomes = run(texts(3), server, cache=cache, output=tmp_path / "again.jsonl", stats=stats)
    assert all(o.ok and o.cached for o in outcomes)
    assert (server.completions, stats.http_requests, stats.cached) == (0, 0, 3)
    assert stats.usage.total_tokens == 0  # nothing spent this time
    assert all(line["cached"] for line in lines(tmp_path / "again.jsonl"))


def test_the_cache_key_changes_with_text_date_model_mode_types_and_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    base = SummaryCache(tmp_path / "c.sqlite", model="m", mode="json_schema")
    key = base.key("Text.", date(2024, 1, 2))
    assert key == base.key("Text.", date(2024, 1, 2))
    assert key != base.key("Text!", date(2024, 1, 2))
    assert key != base.key("Text.", date(2024, 1, 3))
    assert key != SummaryCache(tmp_path / "c.sqlite", model="n", mode="json_schema").key(
        "Text.", date(2024, 1, 2)
    )
    assert key != SummaryCache(tmp_path / "c.sqlite", model="m", mode="tools").key(
        "Text.", date(2024, 1, 2)
    )
    from newsschema import Meeting

    only_meetings = SummaryCache(tmp_path / "c.sqlite", model="m", mode="json_schema",
                                 types=(Meeting,))  # fmt: skip
    assert key != only_meetings.key("Text.", date(2024, 1, 2))
    monkeypatch.setattr("newsschema._extraction.prompt_version", lambda: "changed")
    assert key != SummaryCache(tmp_path / "c.sqlite", model="m", mode="json_schema").key(
        "Text.", date(2024, 1, 2)
    )


def test_the_default_cache_lives_in_the_directory_the_environment_names(tmp_path: Path) -> None:
    from newsschema._batch._cache import resolve_cache

    assert resolve_cache(True) == tmp_path / "default-cache" / "newsschema-cache.sqlite"
    assert resolve_cache(tmp_path / "dir") == tmp_path / "dir" / "newsschema-cache.sqlite"
    assert resolve_cache(tmp_path / "mine.sqlite") == tmp_path / "mine.sqlite"
    assert resolve_cache(False) is None
    run(texts(1), BatchServer(), cache=True)
    assert (tmp_path / "default-cache" / "newsschema-cache.sqlite").is_file()


# --------------------------------------------------------------------------------------
# Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_when_stdout_is_not_a_tty(capsys: pytest.CaptureFixture[str]) -> None:
    run(texts(2), BatchServer())
    assert capsys.readouterr().out == ""


def test_progress_bar_shows_at_a_terminal_unless_switched_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("newsschema._batch._progress._stdout", lambda: terminal)
    run(texts(2), BatchServer(answer=failing_on("Minister 1 ")))
    shown = terminal.getvalue()
    assert "2/2" in shown and "ok 1" in shown and "failed 1" in shown
    quiet = Terminal()
    monkeypatch.setattr("newsschema._batch._progress._stdout", lambda: quiet)
    run(texts(2), BatchServer(), progress=False)
    assert quiet.getvalue() == ""


# --------------------------------------------------------------------------------------
# Loading articles


def test_loaders_read_folders_of_text_and_jsonl_with_a_named_date_field(tmp_path: Path) -> None:
    (tmp_path / "folder" / "sub").mkdir(parents=True)
    (tmp_path / "folder" / "one.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "folder" / "sub" / "two.txt").write_text("Second.", encoding="utf-8")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"id": 7, "text": "Third.", "date": "2025-03-14 20:30:26Z", "url": "u"})
        + "\n\n"
        + json.dumps({"text": "Fourth."})
        + "\n",
        encoding="utf-8",
    )
    articles = load_articles(tmp_path / "folder", rows, published_field="date")
    assert [a.id for a in articles] == ["one", "sub/two", "7", "rows:3"]
    assert str(articles[2].published) == "2025-03-14" and articles[2].url == "u"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 1: not JSON"),
        ('{"id": "x"}', "line 1: no text in field 'text'"),
        ('{"text": "T", "published": "last week"}', "line 1: published"),
    ],
)
def test_a_bad_jsonl_line_is_named_with_its_line(tmp_path: Path, line: str, message: str) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_articles(rows)


def test_articles_may_be_given_as_models_dicts_or_texts() -> None:
    outcomes = run(
        [Article(id="m", text="Model. Text."), {"text": "Dict. Text.", "id": "d"}, "Plain. Text."],
        BatchServer(),
        order="input",
    )
    assert [o.id for o in outcomes] == ["m", "d", "2"]


# --------------------------------------------------------------------------------------
# The CLI function


def test_cli_function_prints_a_summary_and_exits_1_when_some_failed(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(t) + "\n" for t in texts(3)), encoding="utf-8")
    screen = io.StringIO()
    code = run_batch_cli(
        [rows], output=tmp_path / "out.jsonl", model="gpt-4.1-mini", cache=False,
        client=client_for(BatchServer(answer=failing_on("Minister 1 "))),
        console=Console(file=screen, width=200),
    )  # fmt: skip
    shown = screen.getvalue()
    assert code == 1
    assert "InvalidAnswerError" in shown and "1: no valid answer" in shown
    assert "estimated cost" in shown and "$0.00" in shown  # gpt-4.1-mini has a known price
    screen = io.StringIO()
    code = run_batch_cli(
        [rows], output=tmp_path / "out.jsonl", model="gpt-4.1-mini", cache=False,
        retry_failed=True, client=client_for(BatchServer()),
        console=Console(file=screen, width=200),
    )  # fmt: skip
    assert code == 0
    assert "2 already in out.jsonl" in screen.getvalue()


def test_cli_function_prices_from_a_given_table(tmp_path: Path) -> None:
    from newsschema.cli._batch import Price, estimate_cost, load_prices, price_of

    table = tmp_path / "prices.json"
    table.write_text(json.dumps({"my-model": {"input": 1.0, "output": 2.0}}), encoding="utf-8")
    prices = load_prices(table)
    assert price_of("my-model", prices) == Price(1.0, 2.0)
    assert price_of("gpt-4.1-mini-2025-04-14", {"gpt-4.1-mini": Price(0.4, 1.6)}) is not None
    stats = BatchStats()
    from newsschema import Usage

    stats.usage = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000)
    stats.provider_batch_usage = Usage(prompt_tokens=500_000, completion_tokens=0)
    # 0.5M prompt at full price, 0.5M at the batch's half price, 1M completion.
    assert estimate_cost(stats, prices["my-model"]) == pytest.approx(0.5 + 0.25 + 2.0)


def test_cli_function_stopped_by_ctrl_c_prints_the_summary_and_returns_130(
    tmp_path: Path,
) -> None:
    server = BatchServer()
    inner = server.transport()
    calls = 0

    class CtrlC(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise KeyboardInterrupt
            return await inner.handle_async_request(request)

    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(t) + "\n" for t in texts(3)), encoding="utf-8")
    client = openai.AsyncOpenAI(
        api_key=FAKE_KEY,
        base_url="http://x.test/v1",
        http_client=httpx2.AsyncClient(transport=CtrlC()),
    )
    screen = io.StringIO()
    code = run_batch_cli(
        [rows], output=tmp_path / "out.jsonl", model=MODEL, cache=False, concurrency=1,
        client=client, console=Console(file=screen, width=200),
    )  # fmt: skip
    assert code == 130
    assert "run the same command again to resume" in screen.getvalue()
    assert [line["id"] for line in lines(tmp_path / "out.jsonl")] == ["a0"]
