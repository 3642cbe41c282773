"""Storage faults in many-article runs: damaged caches, unwritable or full outputs, resume.

A cache never stops work (a warning, the run goes on); an output that cannot be
written is an ``OutputError`` naming the file, before any call when it can be
seen then; nothing paid for is lost. Disk-full is real where it can be: a child
process with ``RLIMIT_FSIZE`` gets EFBIG from the kernel even as root (chmod does
not stop root); elsewhere ``os.write`` fails with ENOSPC after writing part of
the line, as a full disk does.

The server is tests/batch_server.py, in process.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from batch_server import BatchServer, article_of, small_answer
from conftest import FAKE_KEY

import newsschema._extraction._summarize
from newsschema import (
    BatchStats,
    ExtractionFailed,
    InputError,
    OutputError,
    Usage,
    asummarize_many,
    summarize_many,
)
from newsschema._batch._cache import SummaryCache
from newsschema._errors import NewsschemaWarning

MODEL = "newsschema-scripted-batch"
TESTS = Path(__file__).resolve().parent
ANSWER_TOKENS = 900 + 120  # what batch_server bills each answer


@pytest.fixture(autouse=True)
def _default_cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
    return sorted(article_of(body).split(" met ")[0] for body in server.chat_bodies)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def arun(articles: Any, server: BatchServer, **kwargs: Any) -> list[Any]:
    kwargs.setdefault("cache", False)
    return [
        o async for o in asummarize_many(articles, client=client_for(server), model=MODEL, **kwargs)
    ]


def srun(articles: Any, server: BatchServer, **kwargs: Any) -> list[Any]:
    kwargs.setdefault("cache", False)
    return list(summarize_many(articles, client=client_for(server), model=MODEL, **kwargs))


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Callable[..., list[Any]]:
    """Runs a batch with summarize_many, or with asummarize_many on a fresh event loop."""
    if request.param == "sync":
        return srun

    def via_async(articles: Any, server: BatchServer, **kwargs: Any) -> list[Any]:
        import asyncio

        return asyncio.run(arun(articles, server, **kwargs))

    return via_async


# --------------------------------------------------------------------------------------
# 1. A damaged cache is set aside and rebuilt; any cache failure is a warning


def test_a_garbage_cache_file_is_set_aside_and_rebuilt(
    run: Callable[..., list[Any]], tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite"
    garbage = b"this is not a SQLite database\n" * 200
    cache.write_bytes(garbage)
    server = BatchServer()
    with pytest.warns(NewsschemaWarning, match=r"cache.sqlite is damaged .*moved to"):
        outcomes = run(texts(3), server, cache=cache)
    assert [o.ok for o in outcomes] == [True] * 3
    (kept,) = tmp_path.glob("cache.sqlite.corrupt-*")
    assert kept.read_bytes() == garbage  # set aside untouched, for whoever wants to look
    again = BatchServer()
    assert all(o.cached for o in run(texts(3), again, cache=cache))  # the new cache works
    assert again.completions == 0


def test_a_truncated_cache_is_set_aside_when_read_and_the_run_goes_on(
    run: Callable[..., list[Any]], tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite"
    many = [{**a, "text": a["text"] + " More." * 400} for a in texts(40)]
    run(many, BatchServer(), cache=cache)
    size = cache.stat().st_size
    with cache.open("r+b") as f:  # a copy cut short: the header is fine, pages are missing
        f.truncate(size // 2)
    server = BatchServer()
    stats = BatchStats()
    with pytest.warns(NewsschemaWarning, match="database disk image is malformed"):
        outcomes = run(many, server, cache=cache, stats=stats)
    assert (len(outcomes), stats.succeeded, stats.failed) == (40, 40, 0)
    assert len(list(tmp_path.glob("cache.sqlite.corrupt-*"))) == 1
    assert server.completions == 40 - stats.cached


def test_a_cache_that_cannot_be_created_is_switched_off_with_a_warning(
    run: Callable[..., list[Any]], tmp_path: Path
) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a directory")
    with pytest.warns(NewsschemaWarning, match="going on without a cache"):
        outcomes = run(texts(2), BatchServer(), cache=blocker / "cache" / "c.sqlite")
    assert all(o.ok for o in outcomes)


class _FailingWrites:
    """A cache connection whose writes fail as a full disk makes SQLite fail."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __enter__(self) -> Any:
        return self.db.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self.db.__exit__(*exc)

    def close(self) -> None:
        self.db.close()


# --------------------------------------------------------------------------------------
# 3. Output first, then db, then cache: nothing finished is lost


def test_a_failing_cache_write_is_a_warning_and_every_answer_is_written(
    run: Callable[..., list[Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = SummaryCache._connect
    monkeypatch.setattr(SummaryCache, "_connect", lambda self: _FailingWrites(real(self)))
    out, db = tmp_path / "out.jsonl", tmp_path / "out.sqlite"
    with pytest.warns(NewsschemaWarning, match="failed while writing .*disk is full"):
        outcomes = run(texts(4), BatchServer(), cache=tmp_path / "c.sqlite", output=out, db=db)
    assert sorted(o.id for o in outcomes if o.ok) == ["a0", "a1", "a2", "a3"]
    assert sorted(line["id"] for line in lines(out) if "summary" in line) == [
        "a0", "a1", "a2", "a3",
    ]  # fmt: skip
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (4,)
    con.close()


def test_when_the_output_fails_the_answer_is_still_cached(
    run: Callable[..., list[Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "out.jsonl", tmp_path / "c.sqlite"
    full_after_lines(monkeypatch, out, 1)
    with pytest.raises(OutputError):
        run(texts(3), BatchServer(), output=out, cache=cache, concurrency=1)
    monkeypatch.undo()
    monkeypatch.setenv("NEWSSCHEMA_CACHE_DIR", str(tmp_path / "default-cache"))
    server = BatchServer()
    stats = BatchStats()
    run(texts(3), server, output=out, cache=cache, stats=stats, concurrency=1)
    # a0 was written; a1's line failed but its paid-for answer was cached.
    assert (stats.skipped, stats.cached, requested(server)) == (1, 1, ["Minister 2"])


# --------------------------------------------------------------------------------------
# 2. Unwritable or full outputs: OutputError naming the path


def test_an_output_under_a_regular_file_is_refused_before_any_call(tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a directory")
    server = BatchServer()
    for where in ("output", "db"):
        path = blocker / "sub" / f"out.{where}"
        with pytest.raises(OutputError, match="is a file, not a directory") as caught:
            summarize_many(texts(2), client=client_for(server), model=MODEL, **{where: path})
        assert caught.value.path == path
        with pytest.raises(OutputError, match=str(blocker)):
            asummarize_many(texts(2), client=client_for(server), model=MODEL, **{where: path})
    assert server.completions == 0


def test_an_output_that_is_a_directory_or_a_db_that_is_not_sqlite_is_refused(
    tmp_path: Path,
) -> None:
    server = BatchServer()
    with pytest.raises(OutputError, match="is a directory"):
        summarize_many(texts(1), client=client_for(server), model=MODEL, output=tmp_path)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(texts(1)[0]) + "\n")
    with pytest.raises(OutputError, match="not a SQLite database") as caught:
        asummarize_many(texts(1), client=client_for(server), model=MODEL, db=feed)
    assert caught.value.path == feed
    assert server.completions == 0


def full_after_lines(monkeypatch: pytest.MonkeyPatch, path: Path, whole: int) -> list[int]:
    """``os.write`` to ``path`` fails as a full disk does once ``whole`` lines are in.

    The failing write first writes part of its line, then ENOSPC. Returns the
    number of writes that failed so far (a one-item list).
    """
    real = os.write
    failed = [0]

    def write(fd: int, data: Any) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target != str(path) or path.read_bytes().count(b"\n") < whole:
            return real(fd, data)
        if failed[0] == 0 and len(data) > 10:
            failed[0] = -1  # the first call: part of the line gets through
            return real(fd, bytes(data[: len(data) // 2]))
        failed[0] = max(failed[0], 0) + 1
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", write)
    return failed


def test_disk_full_mid_run_is_an_output_error_and_every_earlier_line_stays_whole(
    run: Callable[..., list[Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.jsonl"
    failed = full_after_lines(monkeypatch, out, 2)
    with pytest.raises(OutputError, match=r"No space left on device \(ENOSPC\)") as caught:
        run(texts(6), BatchServer(), output=out, concurrency=3)
    assert caught.value.path == out
    assert failed[0] >= 1
    monkeypatch.undo()
    monkeypatch.setenv("NEWSSCHEMA_CACHE_DIR", str(tmp_path / "default-cache"))
    raw = out.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 2  # the half-written line was cut back
    first = sorted(line["id"] for line in lines(out))
    server = BatchServer()
    run(texts(6), server, output=out)  # no warning: nothing torn was left to cut
    assert sorted(line["id"] for line in lines(out)) == [f"a{i}" for i in range(6)]
    assert len(server.chat_bodies) == 4 and not set(first) & {
        "a" + name.split()[1] for name in requested(server)
    }


_LIMITED = """
import json, resource, signal, sys
sys.path.insert(0, {tests!r})
import httpx2, openai
from batch_server import BatchServer
from newsschema import OutputError, summarize_many

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
client = openai.AsyncOpenAI(api_key="sk-test", base_url="http://batch-server.test/v1",
    http_client=httpx2.AsyncClient(transport=BatchServer().transport()))
articles = [{{"id": f"a{{i}}", "text": f"Minister {{i}} met the ambassador in Oslo on "
    "Monday. They spoke."}} for i in range({count})]
got = []
try:
    for o in summarize_many(articles, client=client, model="m", cache=False, concurrency=1,
                            **{options}):
        got.append(o.id)
except OutputError as exc:
    print(json.dumps({{"path": str(exc.path), "message": str(exc), "got": got}}))
"""


def run_with_file_size_limit(limit: int, count: int, **options: str) -> dict[str, Any]:
    """A child run whose files cannot grow past ``limit`` bytes: the kernel says EFBIG."""
    code = _LIMITED.format(tests=str(TESTS), limit=limit, count=count, options=options)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_a_real_file_size_limit_mid_run_is_an_output_error_naming_the_file(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.jsonl"
    result = run_with_file_size_limit(20_000, 60, output=str(out))
    assert result["path"] == str(out)
    assert "File too large (EFBIG)" in result["message"]
    assert 5 < len(result["got"]) < 60
    written = [line["id"] for line in lines(out)]  # every line parses: no torn line
    assert written == result["got"] and out.stat().st_size <= 20_000
    server = BatchServer()
    outcomes = srun(texts(60), server, output=out)  # resumes where it stopped
    assert len(outcomes) == len(server.chat_bodies) == 60 - len(written)


def test_a_full_database_mid_run_is_an_output_error_and_the_db_catches_up_from_the_output(
    tmp_path: Path,
) -> None:
    out, db = tmp_path / "out.jsonl", tmp_path / "out.sqlite"
    result = run_with_file_size_limit(600_000, 200, output=str(out), db=str(db))
    assert result["path"] == str(db)
    assert "in the database" in result["message"] and str(db) in result["message"]
    in_output = {line["id"] for line in lines(out)}
    with sqlite3.connect(db) as con:
        in_db = {r[0] for r in con.execute("SELECT id FROM articles")}
    con.close()
    # The output line goes first: the article whose db write failed is in the output.
    assert in_db < in_output and len(in_output - in_db) == 1
    server = BatchServer()
    srun(texts(len(in_output)), server, output=out, db=db)
    assert server.completions == 0  # nothing redone
    with sqlite3.connect(db) as con:
        assert {r[0] for r in con.execute("SELECT id FROM articles")} == in_output
    con.close()


# --------------------------------------------------------------------------------------
# 4. Failure rows keep the tokens spent


def test_a_failed_article_reports_its_tokens_everywhere(
    run: Callable[..., list[Any]], tmp_path: Path
) -> None:
    def answer(body: dict[str, Any]) -> dict[str, Any] | str:
        article = article_of(body)
        return "not JSON" if "Minister 1 " in article else small_answer(article)

    out, db = tmp_path / "out.jsonl", tmp_path / "out.sqlite"
    stats = BatchStats()
    outcomes = run(texts(2), BatchServer(answer=answer), output=out, db=db, stats=stats)
    failed = next(o for o in outcomes if not o.ok)
    spent = 3 * ANSWER_TOKENS  # three answers, none valid
    assert (failed.usage.total_tokens, failed.usage.requests) == (spent, 3)
    line = next(line for line in lines(out) if line["id"] == "a1")
    assert line["error"]["usage"]["total_tokens"] == spent
    with sqlite3.connect(db) as con:
        row = con.execute(
            "SELECT prompt_tokens, completion_tokens, total_tokens FROM batch_failures"
        ).fetchone()
    con.close()
    assert row == (3 * 900, 3 * 120, spent)
    assert stats.usage.total_tokens == 2 * spent + ANSWER_TOKENS - spent  # a0 once, a1 thrice


@pytest.mark.parametrize("how", ["raised from", "attribute"])
def test_tokens_are_kept_when_the_error_is_not_an_extraction_failure(
    run: Callable[..., list[Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    spent = Usage(prompt_tokens=700, completion_tokens=50, total_tokens=750, requests=1)

    async def failing(text: str, **_: Any) -> Any:
        if how == "raised from":
            try:
                raise ExtractionFailed("the answer could not be used", usage=spent)
            except ExtractionFailed as exc:
                raise RuntimeError("something unexpected after the call") from exc
        error = RuntimeError("something unexpected after the call")
        error.usage = spent  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(newsschema._extraction, "asummarize", failing)
    out = tmp_path / "out.jsonl"
    stats = BatchStats()
    (outcome,) = run(texts(1), BatchServer(), output=out, stats=stats)
    assert outcome.error is not None and outcome.error.type == "RuntimeError"
    assert outcome.usage == spent and stats.usage == spent
    assert lines(out)[0]["error"]["usage"]["total_tokens"] == 750


# --------------------------------------------------------------------------------------
# 5. Resume keeps whole lines, cuts torn ones with a warning, refuses other files


def test_a_whole_last_line_without_its_newline_is_kept(
    run: Callable[..., list[Any]], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    run(texts(2), BatchServer(), output=out)
    out.write_bytes(out.read_bytes().rstrip(b"\n"))  # a tool that strips the final newline
    server = BatchServer()
    outcomes = run(texts(3), server, output=out)  # no warning: nothing is cut
    assert [o.id for o in outcomes] == ["a2"] and requested(server) == ["Minister 2"]
    assert sorted(line["id"] for line in lines(out)) == ["a0", "a1", "a2"]
    assert out.read_bytes().count(b"\n") == 3


def test_a_torn_last_line_is_cut_with_a_warning_naming_file_bytes_and_id(
    run: Callable[..., list[Any]], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    run(texts(2), BatchServer(), output=out)
    torn = b'{"id": "a2", "url": null, "title": null, "article": "Minis'
    with out.open("ab") as f:
        f.write(torn)
    with pytest.warns(
        NewsschemaWarning, match=rf"out.jsonl: cut .*{len(torn)} bytes of article 'a2'"
    ):
        outcomes = run(texts(3), BatchServer(), output=out)
    assert [o.id for o in outcomes] == ["a2"]
    assert sorted(line["id"] for line in lines(out)) == ["a0", "a1", "a2"]


@pytest.mark.parametrize(
    "content",
    [
        b"".join(json.dumps(a).encode() + b"\n" for a in texts(3)),  # the input feed
        json.dumps(texts(1)[0]).encode(),  # a one-line feed without its newline
        b"Minister 0 met the ambassador.\nIt was a Monday",  # an article, not JSON at all
    ],
    ids=["feed", "one-line-feed", "text"],
)
def test_a_file_that_is_not_a_batch_output_is_refused_untouched(
    run: Callable[..., list[Any]], tmp_path: Path, content: bytes
) -> None:
    out = tmp_path / "feed.jsonl"
    out.write_bytes(content)
    server = BatchServer()
    with pytest.raises(OutputError, match="not a newsschema result") as caught:
        run(texts(3), server, output=out)
    assert caught.value.path == out
    assert out.read_bytes() == content and server.completions == 0


# --------------------------------------------------------------------------------------
# Ids and text that look like paths or SQL are only data


def test_path_like_ids_and_sql_like_text_are_stored_as_given(
    run: Callable[..., list[Any]], tmp_path: Path
) -> None:
    odd = [
        {"id": "../../etc/passwd", "text": "Minister A met the ambassador in Oslo. They spoke."},
        {"id": "x'); DROP TABLE articles;--", "text": "Minister B met the envoy'); DROP TABLE "
         "articles;-- in Oslo. They spoke."},
    ]  # fmt: skip
    out, db = tmp_path / "out" / "out.jsonl", tmp_path / "out.sqlite"
    outcomes = run(odd, BatchServer(), output=out, db=db, cache=tmp_path / "cache")
    assert all(o.ok for o in outcomes)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        ["out.jsonl", "out.sqlite", "newsschema-cache.sqlite"]
    )  # nothing written where an id points
    with sqlite3.connect(db) as con:
        ids = sorted(r[0] for r in con.execute("SELECT id FROM articles"))
        texts_back = sorted(r[0] for r in con.execute("SELECT article FROM articles"))
    con.close()
    assert ids == sorted(a["id"] for a in odd)
    assert texts_back == sorted(a["text"] for a in odd)
    assert run(odd, BatchServer(), output=out, db=db) == []  # resumed: both done


def test_duplicate_ids_are_still_refused_before_opening_anything(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match="more than once"):
        summarize_many([{"id": "a", "text": "x y"}] * 2, client=client_for(BatchServer()),
                       model=MODEL, output=out)  # fmt: skip
    assert not out.exists()
