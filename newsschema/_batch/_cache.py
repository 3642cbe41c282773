"""An on-disk cache of summaries (SQLite), so an article already summarised costs no call.

The key is a hash of everything that decides the answer: the article text, its
publication date, the model, the mode, the prompt version and the schema
version. Changing a prompt template or a schema field makes every key new.
Only successful summaries are stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import warnings
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsschema._records import BUILTIN_TYPES, EventTypes, schema_version

if TYPE_CHECKING:
    import sqlite3

    from newsschema._records import ArticleSummary

__all__ = ["SummaryCache", "default_cache_dir", "resolve_cache"]

CACHE_FILE = "newsschema-cache.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    key TEXT PRIMARY KEY,
    summary TEXT NOT NULL,
    model TEXT NOT NULL,
    mode TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


def default_cache_dir() -> Path:
    """``$NEWSSCHEMA_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsschema``, else ~/.cache/newsschema."""
    if value := os.environ.get("NEWSSCHEMA_CACHE_DIR"):
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsschema"


def resolve_cache(cache: bool | str | os.PathLike[str]) -> Path | None:
    """The cache file for ``cache=``: True (default directory), a directory, a file; False: none."""
    if cache is False:
        return None
    if cache is True:
        return default_cache_dir() / CACHE_FILE
    path = Path(cache)
    if path.is_dir() or not path.suffix:
        return path / CACHE_FILE
    return path


class SummaryCache:
    """Summaries by key, in one SQLite file that several runs (and processes) may share.

    A cache is an optimisation and never stops work. A file that is not a SQLite
    database, or one SQLite finds damaged (a truncated copy, a disk error), is set
    aside as ``<name>.corrupt-<UTC timestamp>`` and a new cache is started in its
    place. A cache that cannot be opened, read or written at all (read-only
    directory, disk full, locked past the timeout) is switched off for the rest of
    the run. Either way a :class:`~newsschema._errors.NewsschemaWarning` says what
    happened, and the articles are summarised as if there were no cache.

    Args:
        path: the database file; its directory is created if missing.
        model, mode: part of every key.
        types: the event types asked for; their prompt and schema are part of every key.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        model: str,
        mode: str,
        types: EventTypes = BUILTIN_TYPES,
        chunking: tuple[int | None, int] = (None, 0),
        language: str | None = None,
    ) -> None:
        from newsschema._extraction import estimate_tokens, prompt_version, system_message

        # A long article's summary depends on how it was cut (chunk size, overlap).
        self._chunking = chunking
        # A language the caller gives reads the article differently from a detected one.
        self._language = language
        self._estimate = estimate_tokens

        self.path = Path(path)
        self.model, self.mode = model, mode
        # The system prompt and schema both depend on the chosen event types.
        prompt = prompt_version() + system_message(types)
        self.prompt_version = hashlib.sha256(prompt.encode()).hexdigest()[:12]
        self.schema_version = schema_version(types)
        #: None once the cache is switched off (it could not be used).
        self._db: sqlite3.Connection | None = None
        self._set_aside = False
        try:
            self._db = self._connect()
        except Exception as exc:  # noqa: BLE001 - a cache never stops work
            self._fail(exc, "opening")

    def _connect(self) -> sqlite3.Connection:
        import sqlite3

        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        try:
            # WAL: readers never block the writer; NORMAL: no fsync per commit (a cache
            # entry lost to a power cut costs one call, never a wrong answer).
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    @property
    def enabled(self) -> bool:
        """Whether the cache is in use (False once it has been switched off)."""
        return self._db is not None

    def _fail(self, exc: Exception, doing: str) -> None:
        """Deal with a failed cache operation: rebuild a damaged file, else switch off."""
        import sqlite3

        damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(
            exc, sqlite3.OperationalError
        )  # "file is not a database", "database disk image is malformed"
        self.close()
        if damaged and not self._set_aside:
            self._set_aside = True  # once: a file damaged again is not rebuilt in a loop
            try:
                kept = self._move_aside()
                self._db = self._connect()
            except Exception as again:  # noqa: BLE001 - a cache never stops work
                self._warn(
                    f"the summary cache {self.path} is damaged ({exc}) and could not be "
                    f"replaced ({again}); going on without a cache. Delete the file or "
                    "pass cache=False (--no-cache)"
                )
                self.close()
                return
            self._warn(
                f"the summary cache {self.path} is damaged ({exc}); it was moved to "
                f"{kept} and a new, empty cache started. Delete {kept.name} when you "
                "no longer need it"
            )
            return
        self._warn(
            f"the summary cache {self.path} failed while {doing} ({type(exc).__name__}: "
            f"{exc}); going on without a cache for the rest of this run (summaries are "
            "still written to the output). Check the disk and the directory's "
            "permissions, or choose another with cache=DIR or $NEWSSCHEMA_CACHE_DIR"
        )

    def _move_aside(self) -> Path:
        """Rename the damaged file (and its WAL) out of the way; the path of the kept copy."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, kept)
        for suffix in ("-wal", "-shm"):
            companion = self.path.with_name(self.path.name + suffix)
            if companion.exists():
                os.replace(companion, kept.with_name(kept.name + suffix))
        return kept

    @staticmethod
    def _warn(message: str) -> None:
        from newsschema._errors import NewsschemaWarning

        warnings.warn(message, NewsschemaWarning, stacklevel=4)

    def key(self, text: str, published: date | None, crawled: date | None = None) -> str:
        """The cache key of one article under this cache's model, mode and versions."""
        basis = json.dumps(
            [
                text,
                published.isoformat() if published else None,
                self.model,
                self.mode,
                self.prompt_version,
                self.schema_version,
                # Only for an article long enough to be chunked: other keys stay as they were.
                *([list(self._chunking)] if self._chunked(text) else []),
                # Only for a crawled page: other keys stay as they were.
                *([{"crawled": crawled.isoformat()}] if crawled is not None else []),
                # Only when the caller gave the language: other keys stay as they were.
                *([["language", self._language]] if self._language is not None else []),
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()

    def _chunked(self, text: str) -> bool:
        size = self._chunking[0]
        return size is not None and self._estimate(text) > size

    def get(self, key: str) -> ArticleSummary | None:
        """The stored summary for ``key``, or None (also when it no longer validates).

        A failure to read is a warning (see the class), and None.
        """
        from pydantic import ValidationError

        from newsschema._records import ArticleSummary

        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT summary FROM summaries WHERE key = ?", (key,)).fetchone()
        except Exception as exc:  # noqa: BLE001 - a cache never stops work
            self._fail(exc, "reading")
            return None
        if row is None:
            return None
        try:
            summary = ArticleSummary.model_validate_json(row[0])
        except ValidationError:
            return None  # written by a version whose records differ: summarise again
        return summary

    def put(self, key: str, summary: ArticleSummary) -> bool:
        """Store a summary; False (and a warning, see the class) when it could not be."""
        for _ in range(2):  # a second time on the new file when a damaged one was replaced
            if self._db is None:
                return False
            try:
                with self._db:
                    self._db.execute(
                        "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            key, summary.model_dump_json(), self.model, self.mode,
                            self.prompt_version, self.schema_version,
                            datetime.now(UTC).isoformat(),
                        ),
                    )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - a cache never stops work
                self._fail(exc, "writing")
                continue
            return True
        return False

    def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            with contextlib.suppress(Exception):  # closing a cache never stops work
                db.close()
