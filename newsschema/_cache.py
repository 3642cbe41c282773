"""An on-disk cache of summaries (SQLite), so an article already summarised costs no call.

The key is a hash of everything that decides the answer: the article text, its
publication date, the model, the mode, the prompt version and the schema
version. Changing a prompt template or a schema field makes every key new.
Only successful summaries are stored.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from ._schemas import ArticleSummary

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

    Args:
        path: the database file; its directory is created if missing.
        model, mode: part of every key.
    """

    def __init__(self, path: str | os.PathLike[str], *, model: str, mode: str) -> None:
        import sqlite3

        from ._prompts import prompt_version
        from ._schemas import schema_version

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.model, self.mode = model, mode
        self.prompt_version, self.schema_version = prompt_version(), schema_version()
        self._db: sqlite3.Connection = sqlite3.connect(self.path, timeout=30)
        # WAL: readers never block the writer; NORMAL: no fsync per commit (a cache
        # entry lost to a power cut costs one call, never a wrong answer).
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def key(self, text: str, published: date | None) -> str:
        """The cache key of one article under this cache's model, mode and versions."""
        basis = json.dumps(
            [
                text,
                published.isoformat() if published else None,
                self.model,
                self.mode,
                self.prompt_version,
                self.schema_version,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str) -> ArticleSummary | None:
        """The stored summary for ``key``, or None (also when it no longer validates)."""
        from pydantic import ValidationError

        from ._schemas import ArticleSummary

        row = self._db.execute("SELECT summary FROM summaries WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            summary = ArticleSummary.model_validate_json(row[0])
        except ValidationError:
            return None  # written by a version whose records differ: summarise again
        return summary

    def put(self, key: str, summary: ArticleSummary) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key, summary.model_dump_json(), self.model, self.mode, self.prompt_version,
                    self.schema_version, datetime.now(UTC).isoformat(),
                ),
            )  # fmt: skip

    def close(self) -> None:
        self._db.close()
