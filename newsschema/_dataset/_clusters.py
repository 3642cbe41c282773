"""Clusters stored: the SQLite tables beside the export's, and JSON Lines."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from newsschema._errors import OutputError

from ._link import EventCluster

__all__ = ["CLUSTER_SQL", "write_clusters_jsonl", "write_clusters_sqlite"]

CLUSTER_SQL = (
    """CREATE TABLE IF NOT EXISTS clusters (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, earliest TEXT, articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL, record TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS cluster_mentions (
    cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL, type TEXT NOT NULL, idx INTEGER NOT NULL, published TEXT,
    PRIMARY KEY (article_id, type, idx)
)""",
    """CREATE TABLE IF NOT EXISTS links (
    cluster_id TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL, type TEXT NOT NULL, idx INTEGER NOT NULL,
    rule TEXT NOT NULL, matched TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS cluster_mentions_cluster ON cluster_mentions(cluster_id)",
)


def write_clusters_sqlite(clusters: Iterable[EventCluster], path: str | Path) -> int:
    """Replace the cluster tables of a SQLite file (the export's, or a new one).

    ``cluster_mentions`` joins an event table on ``(article_id, idx)`` of the table
    of its ``type``; ``links`` says why each mention after a cluster's first joined.

    Returns:
        The number of clusters written.

    Raises:
        OutputError: the file cannot be written.
    """
    try:
        db = sqlite3.connect(path)
    except sqlite3.Error as error:
        raise OutputError(
            f"cannot open {path} for the cluster tables: {error}", path=path
        ) from error
    count = 0
    try:
        with db:
            for statement in CLUSTER_SQL:
                db.execute(statement)
            db.execute("DELETE FROM links")
            db.execute("DELETE FROM cluster_mentions")
            db.execute("DELETE FROM clusters")
            for cluster in clusters:
                count += 1
                db.execute(
                    "INSERT INTO clusters VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        cluster.id,
                        cluster.type,
                        cluster.earliest.isoformat() if cluster.earliest else None,
                        len(cluster.articles),
                        len(cluster.mentions),
                        cluster.record.model_dump_json(),
                    ),
                )
                db.executemany(
                    "INSERT INTO cluster_mentions VALUES (?, ?, ?, ?, ?)",
                    [
                        (
                            cluster.id,
                            m.article_id,
                            cluster.type,
                            m.index,
                            m.published.isoformat() if m.published else None,
                        )
                        for m in cluster.mentions
                    ],
                )
                db.executemany(
                    "INSERT INTO links VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            cluster.id,
                            k.article_id,
                            cluster.type,
                            k.index,
                            k.rule,
                            json.dumps(k.matched),
                        )
                        for k in cluster.links
                    ],
                )
    except sqlite3.Error as error:
        raise OutputError(
            f"cannot write the cluster tables to {path}: {error}; "
            "check the file is a SQLite database you may write",
            path=path,
        ) from error
    finally:
        db.close()
    return count


def write_clusters_jsonl(clusters: Iterable[EventCluster], path: str | Path) -> int:
    """Write one JSON line per cluster. Returns the number written.

    Raises:
        OutputError: the file cannot be written.
    """
    count = 0
    try:
        with Path(path).open("w", encoding="utf-8") as out:
            for cluster in clusters:
                out.write(cluster.model_dump_json() + "\n")
                count += 1
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}", path=path) from error
    return count
