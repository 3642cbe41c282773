"""Where finished articles go as they finish: a JSON Lines file and, optionally, SQLite.

JSON Lines, one article a line, written with a single ``write`` of the whole line
on a file opened for appending, so a crash (even ``kill -9``) leaves every
finished article's line whole, and at most a torn last line, which the next run
cuts off before appending (with a warning naming the file, the bytes cut and the
article id when it is readable). A last line that is whole but lacks its newline
is kept and given one. A write that fails (disk full) is undone to the last whole
line and raises :class:`~newsschema._errors.OutputError`.

A line holds the article (``id``, ``url``, ``title``, ``article`` text) and
either ``summary`` (the ``ArticleSummary``, as ``newsschema._io.write_jsonl``
writes it, plus ``cached``) or ``error`` (``type``, ``message``, ``usage``,
``status_code``).

Re-running with the same file resumes: ids already in it are skipped. A file
whose lines are not newsschema results (the input feed given as the output, say)
is refused with ``OutputError``, never counted as done. With
``retry_failed``, lines holding an error are removed first (the file is rewritten
to a temporary file and renamed over the original) and those articles run again.

The SQLite sink writes the tables of ``newsschema export`` (``articles`` and one
table per event type, see ``newsschema._io``), one transaction per article,
plus ``batch_failures`` (one row per failed article).

An article goes to the JSON Lines file first, then to SQLite (the caller then
caches it). A run stopped between the two leaves the article in the JSON Lines
file only; the next run skips it there and copies its line into SQLite.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsschema._errors import ConfigurationError, NewsschemaWarning, OutputError

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator

    from ._outcomes import Outcome

__all__ = ["JsonlSink", "Sinks", "SqliteSink", "check_writable", "outcome_line"]

# Lines this module writes begin with the id; anything else is parsed in full.
_ID_PREFIX = re.compile(rb'^\{"id": ("(?:[^"\\]|\\.)*")')
_LINE_START = b'{"id": "'
# Outside a JSON string a quote is never escaped, so these bytes only occur as keys.
_RESULT_KEYS = (b', "summary": {', b', "error": {')
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _why(exc: OSError) -> str:
    """An OSError as a short reason: ``No space left on device (ENOSPC)``."""
    name = errno.errorcode.get(exc.errno or 0)
    reason = exc.strerror or str(exc)
    return f"{reason} ({name})" if name else reason


def check_writable(path: str | os.PathLike[str], what: str) -> None:
    """Raise OutputError now if ``path`` clearly cannot be created or written.

    Cheap and without side effects (nothing is created): a directory where a file
    is wanted, a "directory" that is a regular file, a read-only place, or a
    ``db`` that is not a SQLite database. What only writing shows (a full disk)
    is found when writing.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{what} {path} is a directory; give a file name", path=path)
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(
            f"cannot create {what} {path}: {parent} is a file, not a directory; "
            "choose another path",
            path=path,
        )
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK):
        raise OutputError(
            f"cannot write {what} {path}: {target} is not writable (read-only file system "
            "or permissions); choose another path",
            path=path,
        )
    if what == "database" and path.exists():
        try:
            with path.open("rb") as f:
                head = f.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise OutputError(f"cannot read {what} {path}: {_why(exc)}", path=path) from None
        if head and head != _SQLITE_MAGIC[: len(head)]:
            raise OutputError(
                f"{what} {path} is not a SQLite database; newsschema would not write into "
                "it. Choose another file (db= / --db)",
                path=path,
            )


def outcome_line(outcome: Outcome) -> bytes:
    """One outcome as one JSON Lines line, newline included."""
    article = outcome.article
    head: dict[str, Any] = {
        "id": outcome.id,
        "url": article.url if article else None,
        "title": article.title if article else None,
        "article": article.text if article else None,
    }
    if outcome.summary is not None and outcome.summary.page is not None:
        head["article"] = outcome.summary.page.text  # a web page: the text offsets index
        head["url"] = head["url"] or outcome.summary.page.url
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


def _line_id(line: bytes, *, whole: bool = False) -> str | None:
    """The id of a line holding a newsschema result (a summary or an error), else None.

    Lines this module writes are recognised from their first bytes and their keys;
    others (and every line when ``whole``) are parsed in full. An input feed's line
    (``{"id": ..., "text": ...}``) has an id but no result: None.
    """
    match = _ID_PREFIX.match(line)
    if match and not whole and any(key in line for key in _RESULT_KEYS):
        value = json.loads(match.group(1))
        return value if isinstance(value, str) else None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict) or not ("summary" in data or "error" in data):
        return None
    value = data.get("id")
    return str(value) if value is not None else None


def _parses(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _torn_id(line: bytes) -> str | None:
    """The id at the start of a torn line, when it was written in full."""
    match = _ID_PREFIX.match(line)
    if not match:
        return None
    value = json.loads(match.group(1))
    return value if isinstance(value, str) else None


def _is_failure(line: bytes) -> bool:
    data = json.loads(line)
    return isinstance(data, dict) and "error" in data and "summary" not in data


class JsonlSink:
    """Appends one line per finished article; knows the ids a previous run finished.

    Raises:
        OutputError: the file cannot be created, opened or written (named with the
            reason), or it holds lines that are not newsschema results.
        ConfigurationError: another run is writing the same file.

    Attributes:
        done: ids whose line is in the file (finished or failed).
    """

    def __init__(self, path: str | os.PathLike[str], *, retry_failed: bool = False) -> None:
        self.path = Path(path)
        self.done: set[str] = set()
        self._fd = -1
        self._broken: str | None = None  # why writing stopped, once a write failed
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._error(f"cannot create the directory of {self.path}", exc) from None
        self._fd = self._open_locked()
        try:
            self._recover(retry_failed)
        except OSError as exc:
            self.close()
            raise self._error(f"cannot read back {self.path}", exc) from None
        except BaseException:
            self.close()
            raise

    def _error(self, what: str, exc: OSError) -> OutputError:
        return OutputError(
            f"{what}: {_why(exc)}; free some space or fix the permissions, or choose "
            "another output file",
            path=self.path,
        )

    def _open_locked(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:
            raise self._error(f"cannot open {self.path} for writing", exc) from None
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

    def _not_ours(self, number: int) -> OutputError:
        return OutputError(
            f"{self.path}, line {number}: not a newsschema result (a line with an id and a "
            "summary or an error), so this is not a batch output to resume; was the input "
            "given as the output? Choose another output file",
            path=self.path,
        )

    def _recover(self, retry_failed: bool) -> None:
        end = 0  # offset just past the last whole line
        failures: list[int] = []
        tail, tail_number = b"", 0
        with self.path.open("rb") as f:
            for number, line in enumerate(f, start=1):
                if not line.endswith(b"\n"):
                    tail, tail_number = line, number  # the last line, without its newline
                    break
                end += len(line)
                if not line.strip():
                    continue
                article_id = _line_id(line)
                if article_id is None:
                    raise self._not_ours(number)
                if retry_failed and _is_failure(line):
                    failures.append(number)
                    continue
                self.done.add(article_id)
        if tail.strip():
            self._mend_tail(tail, tail_number, end, failures, retry_failed=retry_failed)
        elif tail:
            os.ftruncate(self._fd, end)  # whitespace after the last line: nothing lost
        if failures:
            self._drop_lines(set(failures))

    def _mend_tail(
        self, tail: bytes, number: int, end: int, failures: list[int], *, retry_failed: bool
    ) -> None:
        """A last line without its newline: keep it if whole, else cut it and say so."""
        article_id = _line_id(tail, whole=True)
        if article_id is not None:  # a whole result: only the newline is missing
            self._append(b"\n")
            if retry_failed and _is_failure(tail):
                failures.append(number)
            else:
                self.done.add(article_id)
            return
        if _parses(tail) or not (
            tail.startswith(_LINE_START) or _LINE_START.startswith(tail)
        ):  # whole JSON, or not the start of a line of ours: someone else's file
            raise self._not_ours(number)
        os.ftruncate(self._fd, end)
        torn = _torn_id(tail)
        warnings.warn(
            f"{self.path}: cut its last line, {len(tail)} bytes"
            f"{f' of article {torn!r}' if torn is not None else ''}, left unfinished by an "
            "interrupted run; that article runs again",
            NewsschemaWarning,
            stacklevel=2,
        )

    def _drop_lines(self, numbers: set[int]) -> None:
        """Rewrite the file without the given lines: a temporary file renamed over it."""
        temporary = self.path.with_name(self.path.name + ".rewrite")
        try:
            with self.path.open("rb") as source, temporary.open("wb") as target:
                for number, line in enumerate(source, start=1):
                    if number not in numbers:
                        target.write(line)
                target.flush()
                os.fsync(target.fileno())
            os.replace(temporary, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise self._error(
                f"cannot rewrite {self.path} without its failed lines (retry_failed)", exc
            ) from None
        os.close(self._fd)
        self._fd = self._open_locked()

    def _append(self, data: bytes) -> None:
        """Write all of ``data`` at the end, or none of it (a failed write is cut off)."""
        start = os.fstat(self._fd).st_size
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError:
            # A partial line would be glued to the next one: cut back to the last whole line.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, start)
            raise

    def write(self, outcome: Outcome) -> None:
        """Append the outcome's line with one ``write`` (repeated only if the OS writes less).

        Raises:
            OutputError: the line could not be written (disk full, I/O error); the
                file ends with the last whole line, and every later write fails too.
        """
        if self._broken is not None:
            raise OutputError(self._broken, path=self.path)
        try:
            self._append(outcome_line(outcome))
        except OSError as exc:
            self._broken = (
                f"cannot write article {outcome.id!r} to {self.path}: {_why(exc)}. The "
                f"{len(self.done)} article(s) already in it are kept; free some space (or "
                "choose another output file) and run again to resume"
            )
            raise OutputError(self._broken, path=self.path) from None
        self.done.add(outcome.id)

    def lines(self, ids: set[str]) -> Iterator[dict[str, Any]]:
        """The lines of the given ids, parsed (to copy them into SQLite)."""
        with self.path.open("rb") as f:
            for line in f:
                article_id = _torn_id(line) if line.strip() else None
                if article_id is None and line.strip():
                    article_id = _line_id(line, whole=True)
                if article_id in ids:
                    data = json.loads(line)
                    if isinstance(data, dict):
                        yield data

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
    """Writes each finished article to the ``newsschema export`` tables, one transaction each.

    Raises:
        OutputError: the database cannot be created, opened or written (read-only,
            disk full, not a SQLite file), named with SQLite's reason.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import sqlite3

        from newsschema._io import SqliteWriter

        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db: sqlite3.Connection = sqlite3.connect(self.path)
        except (OSError, sqlite3.Error) as exc:
            raise self._error("cannot open", exc) from None
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_FAILURES_SQL)
            # The common tables and the built-ins'; other types' when first written.
            self._writer = SqliteWriter(self._db)
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            self._db.close()
            raise self._error("cannot set up", exc) from None

    def _error(self, what: str, exc: Exception, article: str | None = None) -> OutputError:
        reason = _why(exc) if isinstance(exc, OSError) else str(exc)
        about = f" article {article!r} in" if article is not None else ""
        return OutputError(
            f"{what}{about} the database {self.path}: {reason}; free some space or fix the "
            "permissions, or choose another file (db= / --db)",
            path=self.path,
        )

    def done_ids(self, *, failures: bool = True) -> set[str]:
        """Ids with rows here: summarised articles, and failed ones unless ``failures=False``."""
        import sqlite3

        query = "SELECT id FROM articles"
        if failures:
            query += " UNION SELECT id FROM batch_failures"
        try:
            return {str(r[0]) for r in self._db.execute(query)}
        except sqlite3.Error as exc:
            raise self._error("cannot read", exc) from None

    def write(self, outcome: Outcome) -> None:
        """Replace the article's rows with the outcome's, in one transaction.

        Raises:
            OutputError: SQLite could not write (disk full, read-only ...); the
                transaction is rolled back.
        """
        import sqlite3

        try:
            self._write(outcome)
        except sqlite3.Error as exc:
            raise self._error("cannot write", exc, outcome.id) from None

    def _write(self, outcome: Outcome) -> None:
        from newsschema._io import ExportedArticle

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
        with contextlib.suppress(Exception):  # the rows are committed; closing adds nothing
            self._db.close()


def _outcome_of(data: dict[str, Any]) -> Outcome | None:
    """An outcome back from its JSON Lines line (to copy it into SQLite), or None."""
    from pydantic import ValidationError

    from newsschema._io import Article
    from newsschema._records import ArticleSummary

    from ._outcomes import Failure, Outcome

    text, url, title = data.get("article"), data.get("url"), data.get("title")
    try:
        article = (
            Article(id=str(data["id"]), text=text, url=url, title=title)
            if isinstance(text, str)
            else None
        )
        if isinstance(data.get("summary"), dict):
            summary = ArticleSummary.model_validate(data["summary"])
            return Outcome(id=str(data["id"]), index=-1, summary=summary, article=article)
        failure = Failure.model_validate(data["error"])
    except (ValidationError, KeyError, TypeError):
        return None  # not readable as a result of this version: left out of SQLite
    return Outcome(id=str(data["id"]), index=-1, error=failure, article=article)


class Sinks:
    """The run's outputs together: the JSON Lines line first, then SQLite.

    The JSON Lines file is the record a resumed run goes by. An article whose
    line was written but whose SQLite rows were not (the run stopped, or SQLite
    failed) is copied from its line into SQLite when the next run opens both.
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
            if self.jsonl is not None and self.sqlite is not None:
                self._catch_up(self.jsonl, self.sqlite)
        except BaseException:
            if self.jsonl is not None:
                self.jsonl.close()
            raise

    @staticmethod
    def _catch_up(jsonl: JsonlSink, sqlite: SqliteSink) -> None:
        """Copy into SQLite the articles the JSON Lines file has and SQLite lacks."""
        missing = jsonl.done - sqlite.done_ids()
        if not missing:
            return
        try:
            for data in jsonl.lines(missing):
                outcome = _outcome_of(data)
                if outcome is not None:
                    sqlite.write(outcome)
        except BaseException:
            sqlite.close()
            raise

    def done_ids(self) -> set[str]:
        """Ids a previous run finished: those in the JSON Lines file, else in SQLite."""
        if self.jsonl is not None:
            return set(self.jsonl.done)
        if self.sqlite is not None:
            return self.sqlite.done_ids(failures=not self.retry_failed)
        return set()

    def write(self, outcome: Outcome) -> None:
        """Write the outcome: JSON Lines, then SQLite. Raises OutputError on either failing."""
        if self.jsonl is not None:
            self.jsonl.write(outcome)
        if self.sqlite is not None:
            self.sqlite.write(outcome)

    def close(self) -> None:
        for sink in (self.jsonl, self.sqlite):
            if sink is not None:
                sink.close()
