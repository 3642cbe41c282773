"""Where finished articles go as they finish: a JSON Lines file and, optionally, SQLite.

JSON Lines, one article a line, written with a single ``write`` of the whole line
on a file opened for appending, so a crash (even ``kill -9``) leaves every
finished article's line whole, and at most a torn last line, which the next run
cuts off before appending. A line holds the article (``id``, ``url``, ``title``,
``article`` text) and either ``summary`` (the ``ArticleSummary``, as
``newsschema._export.write_jsonl`` writes it, plus ``cached``) or ``error``
(``type``, ``message``, ``usage``, ``status_code``).

Re-running with the same file resumes: ids already in it are skipped. With
``retry_failed``, lines holding an error are removed first (the file is rewritten
to a temporary file and renamed over the original) and those articles run again.

The SQLite sink writes the tables of ``newsschema export`` (``articles`` and one
table per event type, see ``newsschema._export``), one transaction per article,
plus ``batch_failures`` (one row per failed article).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import ConfigurationError, InputError

if TYPE_CHECKING:
    import sqlite3

    from ._batch import Outcome

__all__ = ["JsonlSink", "Sinks", "SqliteSink", "outcome_line"]

# Lines this module writes begin with the id; anything else is parsed in full.
_ID_PREFIX = re.compile(rb'^\{"id": ("(?:[^"\\]|\\.)*")')


def outcome_line(outcome: Outcome) -> bytes:
    """One outcome as one JSON Lines line, newline included."""
    article = outcome.article
    head: dict[str, Any] = {
        "id": outcome.id,
        "url": article.url if article else None,
        "title": article.title if article else None,
        "article": article.text if article else None,
    }
    if outcome.summary is not None:
        head["cached"] = outcome.cached
        text = json.dumps(head, ensure_ascii=False)
        # The summary as pydantic serialises it, spliced in before the closing brace.
        line = f'{text[:-1]}, "summary": {outcome.summary.model_dump_json()}}}\n'
    else:
        assert outcome.error is not None
        head["error"] = outcome.error.model_dump(mode="json")
        line = json.dumps(head, ensure_ascii=False) + "\n"
    return line.encode("utf-8", "surrogatepass")


def _line_id(line: bytes) -> str | None:
    match = _ID_PREFIX.match(line)
    if match:
        value = json.loads(match.group(1))
        return value if isinstance(value, str) else None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return str(value) if value is not None else None


def _is_failure(line: bytes) -> bool:
    data = json.loads(line)
    return isinstance(data, dict) and "error" in data and "summary" not in data


class JsonlSink:
    """Appends one line per finished article; knows the ids a previous run finished.

    Attributes:
        done: ids whose line is in the file (finished or failed).
    """

    def __init__(self, path: str | os.PathLike[str], *, retry_failed: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.done: set[str] = set()
        self._fd = self._open_locked()
        try:
            self._recover(retry_failed)
        except BaseException:
            os.close(self._fd)
            raise

    def _open_locked(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no cross-process guard
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise ConfigurationError(
                f"{self.path} is being written by another run; wait for it or choose "
                "another output file"
            ) from None
        return fd

    def _recover(self, retry_failed: bool) -> None:
        end = 0  # offset just past the last complete line
        failures: list[int] = []
        with self.path.open("rb") as f:
            for number, line in enumerate(f, start=1):
                if not line.endswith(b"\n"):
                    break  # torn by a crash mid-write: cut below
                end += len(line)
                if not line.strip():
                    continue
                article_id = _line_id(line)
                if article_id is None:
                    raise InputError(
                        f"{self.path}, line {number}: not a line this batch output writes; "
                        "choose another output file"
                    )
                if retry_failed and _is_failure(line):
                    failures.append(number)
                    continue
                self.done.add(article_id)
        size = os.fstat(self._fd).st_size
        if size > end:  # a torn last line
            os.ftruncate(self._fd, end)
        if failures:
            self._drop_lines(set(failures))

    def _drop_lines(self, numbers: set[int]) -> None:
        """Rewrite the file without the given lines: a temporary file renamed over it."""
        temporary = self.path.with_name(self.path.name + ".rewrite")
        with self.path.open("rb") as source, temporary.open("wb") as target:
            for number, line in enumerate(source, start=1):
                if number not in numbers:
                    target.write(line)
            target.flush()
            os.fsync(target.fileno())
        os.replace(temporary, self.path)
        os.close(self._fd)
        self._fd = self._open_locked()

    def write(self, outcome: Outcome) -> None:
        """Append the outcome's line with one ``write`` (repeated only if the OS writes less)."""
        data = memoryview(outcome_line(outcome))
        while data:
            written = os.write(self._fd, data)
            data = data[written:]
        self.done.add(outcome.id)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


_FAILURES_SQL = """
CREATE TABLE IF NOT EXISTS batch_failures (
    id TEXT PRIMARY KEY, url TEXT, error_type TEXT NOT NULL, message TEXT NOT NULL,
    status_code INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER,
    total_tokens INTEGER
)
"""


class SqliteSink:
    """Writes each finished article to the ``newsschema export`` tables, one transaction each."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import sqlite3

        from ._export import _INDEXES, _SCHEMA, _SqliteWriter

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db: sqlite3.Connection = sqlite3.connect(self.path)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA + _FAILURES_SQL)
        for statement in _INDEXES:
            self._db.execute(statement)
        self._db.commit()
        self._writer = _SqliteWriter(self._db)

    def done_ids(self, *, failures: bool = True) -> set[str]:
        """Ids with rows here: summarised articles, and failed ones unless ``failures=False``."""
        query = "SELECT id FROM articles"
        if failures:
            query += " UNION SELECT id FROM batch_failures"
        return {str(r[0]) for r in self._db.execute(query)}

    def write(self, outcome: Outcome) -> None:
        from ._export import ExportedArticle

        article = outcome.article
        url = article.url if article else None
        with self._db:
            self._db.execute("DELETE FROM batch_failures WHERE id = ?", (outcome.id,))
            if outcome.summary is not None:
                text = article.text if article else None
                self._writer.article(ExportedArticle(outcome.id, text, outcome.summary, url))
                return
            assert outcome.error is not None
            e = outcome.error
            self._db.execute("DELETE FROM articles WHERE id = ?", (outcome.id,))
            self._db.execute(
                "INSERT INTO batch_failures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    outcome.id, url, e.type, e.message, e.status_code, e.usage.prompt_tokens,
                    e.usage.completion_tokens, e.usage.total_tokens,
                ),
            )  # fmt: skip

    def close(self) -> None:
        self._db.close()


class Sinks:
    """The run's outputs together: SQLite first, then the JSON Lines line.

    A crash between the two leaves the article out of the JSON Lines file, so the
    next run redoes it and SQLite replaces its rows: nothing is counted twice.
    """

    def __init__(
        self,
        output: str | os.PathLike[str] | None,
        db: str | os.PathLike[str] | None,
        *,
        retry_failed: bool = False,
    ) -> None:
        self.retry_failed = retry_failed
        self.jsonl = JsonlSink(output, retry_failed=retry_failed) if output is not None else None
        try:
            self.sqlite = SqliteSink(db) if db is not None else None
        except BaseException:
            if self.jsonl is not None:
                self.jsonl.close()
            raise

    def done_ids(self) -> set[str]:
        """Ids a previous run finished: those in the JSON Lines file, else in SQLite."""
        if self.jsonl is not None:
            return set(self.jsonl.done)
        if self.sqlite is not None:
            return self.sqlite.done_ids(failures=not self.retry_failed)
        return set()

    def write(self, outcome: Outcome) -> None:
        if self.sqlite is not None:
            self.sqlite.write(outcome)
        if self.jsonl is not None:
            self.jsonl.write(outcome)

    def close(self) -> None:
        for sink in (self.jsonl, self.sqlite):
            if sink is not None:
                sink.close()
