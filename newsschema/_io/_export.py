"""Summaries as data: flat records, pandas, CSV, JSON Lines and SQLite.

Records
    :func:`to_records` gives one flat dict per event. Every record has the same
    keys (:data:`COLUMNS`), None where a field does not apply to its type, so a
    list of records is a table whatever types it mixes. Actors and places are
    spread over several columns (``speaker``, ``speaker_title`` ...); lists are
    given twice, joined with ``"; "`` (``participants``) and as a list
    (``participants_list``). ``evidence_quote``/``evidence_start``/``evidence_end``
    are the first quote; ``evidence_quotes`` joins all of them with ``" | "``.

JSON Lines
    :func:`write_jsonl` writes one article a line, as one JSON object::

        {"id": "seed", "url": null, "article": "<the article text>", "summary": {...}}

    ``id`` (string) names the article; ``url`` (string or null) is where it came
    from; ``article`` (string or null) is the text the summary was made from, so
    evidence offsets can be shown against it (``newsschema report``); ``summary``
    is ``ArticleSummary.model_dump_json()``. :func:`read_jsonl` also reads lines
    that hold a bare ``ArticleSummary`` object (their id is ``line-N``).

SQLite
    :func:`export_sqlite` writes tables ``articles``, ``meetings``, ``statements``,
    ``visits``, ``warrants``, ``actors``, ``meeting_participants`` (meeting to actor,
    in order), ``evidence`` (every quote with ``span_start``/``span_end``) and
    ``dropped`` (records left out, with the reason), with
    foreign keys declared and checked. Actor columns (``speaker_id`` ...) point at
    ``actors``; list fields (``topics``, ``charges``) are JSON arrays. Exporting an
    article id again replaces that article's rows.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeAlias

from newsschema._errors import ConfigurationError, InputError

if TYPE_CHECKING:
    import sqlite3

    from newsschema._records import (
        Actor,
        ArticleSummary,
        Meeting,
        Place,
        Statement,
        Visit,
        Warrant,
        When,
    )

__all__ = [
    "COLUMNS",
    "FORMULA_STARTS",
    "ExportedArticle",
    "export_sqlite",
    "read_articles",
    "read_jsonl",
    "to_dataframe",
    "to_records",
    "write_csv",
    "write_jsonl",
]

Record: TypeAlias = dict[str, Any]


class ExportedArticle(NamedTuple):
    """One article as JSON Lines stores it: id, text (when kept), summary, address."""

    id: str
    article: str | None
    summary: ArticleSummary
    url: str | None = None


#: What the writers take: a summary alone, ``(id, summary)``, ``(id, article_text,
#: summary)`` or an :class:`ExportedArticle`.
Exportable: TypeAlias = (
    "ArticleSummary | ExportedArticle | tuple[str, ArticleSummary]"
    " | tuple[str, str | None, ArticleSummary]"
)

_ACTOR_PARTS = ("", "_title", "_organisation", "_country", "_country_code", "_kind")
_PLACE_PARTS = ("", "_country", "_country_code", "_kind")
_TIME_PARTS = ("", "_value", "_start", "_end", "_granularity", "_modifier", "_resolution")


def _spread(name: str, parts: Sequence[str]) -> tuple[str, ...]:
    return tuple(name + part for part in parts)


#: The keys of every record, in column order.
COLUMNS: tuple[str, ...] = (
    "article_id", "url", "published", "headline",
    "type", "index", "record", "status",
    # meetings
    "participants", "participants_list", *_spread("place", _PLACE_PARTS), "format",
    "topics", "topics_list", "outcomes", "outcomes_list",
    # statements
    *_spread("speaker", _ACTOR_PARTS), "content", "quote",
    *_spread("addressee", _ACTOR_PARTS), "occasion",
    # visits
    *_spread("visitor", _ACTOR_PARTS), *_spread("host", _ACTOR_PARTS),
    *_spread("destination", _PLACE_PARTS), "duration", "purpose",
    # warrants
    *_spread("subject", _ACTOR_PARTS), *_spread("authority", _ACTOR_PARTS), "kind",
    "charges", "charges_list",
    # every type
    *_spread("when", _TIME_PARTS), "when_reason",
    "evidence_quote", "evidence_start", "evidence_end", "evidence_quotes",
    "evidence_quotes_list", "evidence_count", "grounded",
)  # fmt: skip

_LIST_COLUMNS = frozenset(c for c in COLUMNS if c.endswith("_list"))
_DATE_COLUMNS = ("published", "when_start", "when_end")
_PLURAL = {
    "meeting": "meetings",
    "statement": "statements",
    "visit": "visits",
    "warrant": "warrants",
}


def _actor(prefix: str, actor: Actor | None) -> Record:
    if actor is None:
        return {}
    return {
        prefix: actor.name,
        f"{prefix}_title": actor.title,
        f"{prefix}_organisation": actor.organisation,
        f"{prefix}_country": actor.country,
        f"{prefix}_country_code": actor.country_code,
        f"{prefix}_kind": actor.kind,
    }


def _place(prefix: str, place: Place | None) -> Record:
    if place is None:
        return {}
    return {
        prefix: place.name,
        f"{prefix}_country": place.country,
        f"{prefix}_country_code": place.country_code,
        f"{prefix}_kind": place.kind,
    }


def _listed(name: str, values: list[str]) -> Record:
    return {name: "; ".join(values), f"{name}_list": list(values)}


def _when(when: When | None) -> Record:
    if when is None:
        return {}
    return {
        "when": when.expression,
        "when_value": when.value,
        "when_start": when.start,
        "when_end": when.end,
        "when_granularity": when.granularity,
        "when_modifier": when.modifier,
        "when_resolution": when.resolution,
        "when_reason": when.reason,
    }


def _fields(event: Meeting | Statement | Visit | Warrant) -> Record:
    """The type's own fields, flattened."""
    if event.type == "meeting":
        return {
            **_listed("participants", [p.name for p in event.participants]),
            **_place("place", event.place),
            "format": event.format,
            **_listed("topics", event.topics),
            **_listed("outcomes", event.outcomes),
        }
    if event.type == "statement":
        return {
            **_actor("speaker", event.speaker),
            "content": event.content,
            "quote": event.quote,
            **_actor("addressee", event.addressee),
            "occasion": event.occasion,
        }
    if event.type == "visit":
        return {
            **_actor("visitor", event.visitor),
            **_actor("host", event.host),
            **_place("destination", event.destination),
            "duration": event.duration,
            "purpose": event.purpose,
        }
    return {
        **_actor("subject", event.subject),
        **_actor("authority", event.authority),
        "kind": event.kind,
        **_listed("charges", event.charges),
    }


def to_records(
    summary: ArticleSummary, *, article_id: str | None = None, url: str | None = None
) -> list[Record]:
    """One flat dict per event: meetings first, then statements, visits, warrants.

    Values are as the summary holds them: text that a spreadsheet would read as a
    formula is not escaped here (that is :func:`write_csv`'s job).

    Args:
        summary: the article's summary.
        article_id: stored in each record's ``article_id``.
        url: stored in each record's ``url``.

    Returns:
        Records whose keys are :data:`COLUMNS`; dates are ``datetime.date``.
    """
    records: list[Record] = []
    for plural in ("meetings", "statements", "visits", "warrants"):
        events: list[Meeting | Statement | Visit | Warrant] = getattr(summary, plural)
        for index, event in enumerate(events):
            quotes = [e.quote for e in event.evidence]
            first = event.evidence[0] if event.evidence else None
            record: Record = dict.fromkeys(COLUMNS)
            record.update(
                {
                    "article_id": article_id,
                    "url": url,
                    "published": summary.published,
                    "headline": summary.headline,
                    "type": event.type,
                    "index": index,
                    "record": f"{plural}.{index}",
                    "status": event.status,
                    **_fields(event),
                    **_when(event.when),
                    "evidence_quote": first.quote if first else None,
                    "evidence_start": first.start if first else None,
                    "evidence_end": first.end if first else None,
                    "evidence_quotes": " | ".join(quotes),
                    "evidence_quotes_list": quotes,
                    "evidence_count": len(quotes),
                    "grounded": all(e.start is not None for e in event.evidence),
                }
            )
            records.append(record)
    return records


def _content_id(summary: ArticleSummary, article: str | None) -> str:
    """A stable id for an article given none: a hash of its text (or of its summary)."""
    basis = article if article is not None else summary.model_dump_json(exclude={"provenance"})
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def articles_of(items: ArticleSummary | Iterable[Any]) -> list[ExportedArticle]:
    """Every input form the writers accept, as ExportedArticle."""
    from newsschema._records import ArticleSummary

    if isinstance(items, ArticleSummary):
        items = [items]
    out: list[ExportedArticle] = []
    for item in items:
        if isinstance(item, ExportedArticle):
            out.append(item)
        elif isinstance(item, ArticleSummary):
            out.append(ExportedArticle(_content_id(item, None), None, item))
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], ArticleSummary):
            out.append(ExportedArticle(str(item[0]), None, item[1]))
        elif isinstance(item, tuple) and len(item) == 3 and isinstance(item[2], ArticleSummary):
            out.append(ExportedArticle(str(item[0]), item[1], item[2]))
        else:
            raise InputError(
                "expected an ArticleSummary, (id, summary) or (id, article_text, summary); "
                f"got {type(item).__name__}"
            )
    return out


def to_dataframe(
    summaries: ArticleSummary | Iterable[Exportable],
    *,
    article_id: str | None = None,
    url: str | None = None,
) -> Any:
    """The records of one or more summaries as a ``pandas.DataFrame``.

    Needs pandas: ``pip install 'newsschema[pandas]'``. Columns are :data:`COLUMNS`;
    ``published``, ``when_start`` and ``when_end`` are datetime64. Text is raw, as in
    :func:`to_records`; ``DataFrame.to_csv`` does not escape formulas, :func:`write_csv`
    does.

    Args:
        summaries: a summary, or items as :func:`write_jsonl` takes them.
        article_id: for a single summary, its ``article_id``.
        url: for a single summary, its ``url``.

    Raises:
        ConfigurationError: pandas is not installed.
    """
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:
        raise ConfigurationError(
            "to_dataframe needs pandas, which is not installed: pip install 'newsschema[pandas]'"
        ) from None
    from newsschema._records import ArticleSummary

    if isinstance(summaries, ArticleSummary):
        records = to_records(summaries, article_id=article_id, url=url)
    else:
        records = [
            r
            for a in articles_of(summaries)
            for r in to_records(a.summary, article_id=a.id, url=a.url)
        ]
    frame = pandas.DataFrame.from_records(records, columns=list(COLUMNS))
    for column in _DATE_COLUMNS:
        frame[column] = pandas.to_datetime(frame[column])
    return frame


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any, *, escape_formulas: bool) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if escape_formulas and isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A leading quote makes Excel, LibreOffice and Google Sheets show the text as text.
        return "'" + value
    return value


def write_csv(
    summaries: ArticleSummary | Iterable[Exportable],
    path: str | Path,
    *,
    escape_formulas: bool = True,
) -> int:
    """Write every record of every summary to one CSV file (UTF-8, header row).

    Columns are :data:`COLUMNS`. Empty cells are None; ``*_list`` columns hold
    JSON arrays; dates are ISO 8601.

    Article and model text is untrusted: a cell such as ``=HYPERLINK(...)`` would
    run as a formula when the file is opened in a spreadsheet. So, by default, a
    text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (:data:`FORMULA_STARTS`) is written with a single quote in front (OWASP's
    advice): ``'=HYPERLINK(...)``, which spreadsheets show as the text it is.
    Only text is changed: numbers (offsets, counts) stay numbers, and a number
    kept as text (``"-3"``) gains the quote too. ``to_records`` and
    ``to_dataframe`` are data, not spreadsheets, and stay unchanged.

    Args:
        summaries: a summary, or items as :func:`write_jsonl` takes them.
        path: the CSV file.
        escape_formulas: False writes every cell exactly as the records hold it,
            for programs that read the CSV as data.

    Returns:
        The number of records written.
    """
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        return write_csv_to(summaries, f, escape_formulas=escape_formulas)


def write_csv_to(
    summaries: ArticleSummary | Iterable[Exportable],
    stream: IO[str],
    *,
    escape_formulas: bool = True,
) -> int:
    """:func:`write_csv` to an open text stream (opened with ``newline=""``)."""
    count = 0
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for a in articles_of(summaries):
        for record in to_records(a.summary, article_id=a.id, url=a.url):
            writer.writerow(
                {k: _csv_value(v, escape_formulas=escape_formulas) for k, v in record.items()}
            )
            count += 1
    return count


def jsonl_line(article: ExportedArticle) -> str:
    """One article as one JSON Lines line, without the newline."""
    head = json.dumps(
        {"id": article.id, "url": article.url, "article": article.article}, ensure_ascii=False
    )
    # The summary goes in as pydantic serialises it, spliced before the closing brace.
    return f'{head[:-1]}, "summary": {article.summary.model_dump_json()}}}'


def write_jsonl(summaries: ArticleSummary | Iterable[Exportable], path: str | Path) -> int:
    """Write one article a line (format in this module's docstring).

    Give ``(id, article_text, summary)`` so the file can feed ``newsschema report``.

    Returns:
        The number of lines written.
    """
    articles = articles_of(summaries)
    with Path(path).open("w", encoding="utf-8") as f:
        for article in articles:
            f.write(jsonl_line(article) + "\n")
    return len(articles)


def read_articles(path: str | Path) -> list[ExportedArticle]:
    """Every article of a JSON Lines file, with its text and url when stored.

    Raises:
        InputError: a line is not JSON or not a newsschema article.
    """
    from pydantic import ValidationError

    from newsschema._records import ArticleSummary

    from ._articles import json_objects

    out: list[ExportedArticle] = []
    for number, where, data in json_objects(path):
        if "error" in data and "summary" not in data:
            continue  # a failed article of `newsschema batch`: no records to show
        wrapped = "summary" in data and isinstance(data["summary"], dict)
        try:
            summary = ArticleSummary.model_validate(data["summary"] if wrapped else data)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"{where}: not a newsschema summary ({exc.error_count()} error(s); "
                f"{loc}: {first['msg']})"
            ) from None
        if not wrapped:
            out.append(ExportedArticle(f"line-{number}", None, summary))
            continue
        article, url = data.get("article"), data.get("url")
        out.append(
            ExportedArticle(
                str(data.get("id") or f"line-{number}"),
                article if isinstance(article, str) else None,
                summary,
                url if isinstance(url, str) else None,
            )
        )
    return out


def read_jsonl(path: str | Path) -> list[tuple[str, ArticleSummary]]:
    """``(id, summary)`` for every line of a file written by :func:`write_jsonl`.

    Raises:
        InputError: a line is not JSON or not a newsschema article.
    """
    return [(a.id, a.summary) for a in read_articles(path)]


# --------------------------------------------------------------------------------------
# SQLite

_WHEN_SQL = (
    "when_expression TEXT, when_value TEXT, when_start TEXT, when_end TEXT, "
    "when_granularity TEXT, when_modifier TEXT, when_resolution TEXT, when_reason TEXT"
)
_EVENT_SQL = (
    "id INTEGER PRIMARY KEY, "
    "article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, "
    "idx INTEGER NOT NULL, status TEXT NOT NULL"
)
_ACTOR_REF = "INTEGER REFERENCES actors(id)"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, url TEXT, headline TEXT, summary TEXT NOT NULL,
    published TEXT, published_source TEXT, model TEXT, mode TEXT, prompt_version TEXT,
    schema_version TEXT, library_version TEXT, validation_attempts INTEGER,
    prompt_tokens INTEGER, completion_tokens INTEGER, total_tokens INTEGER,
    created_at TEXT, article TEXT
);
CREATE TABLE IF NOT EXISTS actors (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, title TEXT, organisation TEXT,
    country TEXT, country_code TEXT, kind TEXT
);
CREATE INDEX IF NOT EXISTS actors_name ON actors(name);
CREATE TABLE IF NOT EXISTS meetings (
    {_EVENT_SQL}, format TEXT, place TEXT, place_country TEXT, place_country_code TEXT,
    place_kind TEXT, topics TEXT, outcomes TEXT, {_WHEN_SQL}, UNIQUE (article_id, idx)
);
CREATE TABLE IF NOT EXISTS meeting_participants (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    PRIMARY KEY (meeting_id, position)
);
CREATE TABLE IF NOT EXISTS statements (
    {_EVENT_SQL}, speaker_id INTEGER NOT NULL REFERENCES actors(id), content TEXT NOT NULL,
    quote TEXT, addressee_id {_ACTOR_REF}, occasion TEXT, {_WHEN_SQL},
    UNIQUE (article_id, idx)
);
CREATE TABLE IF NOT EXISTS visits (
    {_EVENT_SQL}, visitor_id INTEGER NOT NULL REFERENCES actors(id), host_id {_ACTOR_REF},
    destination TEXT, destination_country TEXT, destination_country_code TEXT,
    destination_kind TEXT, duration TEXT, purpose TEXT, {_WHEN_SQL}, UNIQUE (article_id, idx)
);
CREATE TABLE IF NOT EXISTS warrants (
    {_EVENT_SQL}, subject_id INTEGER NOT NULL REFERENCES actors(id),
    authority_id {_ACTOR_REF}, kind TEXT NOT NULL, charges TEXT, {_WHEN_SQL},
    UNIQUE (article_id, idx)
);
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    record_type TEXT NOT NULL, record_idx INTEGER NOT NULL, position INTEGER NOT NULL,
    quote TEXT NOT NULL, span_start INTEGER, span_end INTEGER
);
CREATE TABLE IF NOT EXISTS dropped (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    record_type TEXT NOT NULL, record_idx INTEGER NOT NULL, reason TEXT NOT NULL,
    record TEXT NOT NULL
);
"""
_INDEXES = [
    *(
        f"CREATE INDEX IF NOT EXISTS {t}_article ON {t}(article_id)"
        for t in ("evidence", "dropped")
    ),
    "CREATE INDEX IF NOT EXISTS meeting_participants_actor ON meeting_participants(actor_id)",
    "CREATE INDEX IF NOT EXISTS statements_speaker ON statements(speaker_id)",
    "CREATE INDEX IF NOT EXISTS visits_visitor ON visits(visitor_id)",
    "CREATE INDEX IF NOT EXISTS warrants_subject ON warrants(subject_id)",
]


class _SqliteWriter:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.actor_ids: dict[tuple[Any, ...], int] = {}

    def actor(self, actor: Actor | None) -> int | None:
        """The id of an actor row with exactly these attributes, added if new."""
        if actor is None:
            return None
        key = (actor.name, actor.title, actor.organisation, actor.country, actor.kind)
        if key in self.actor_ids:
            return self.actor_ids[key]
        row = self.db.execute(
            "SELECT id FROM actors WHERE name IS ? AND title IS ? AND organisation IS ? "
            "AND country IS ? AND kind IS ?",
            key,
        ).fetchone()
        if row is None:
            row = self.db.execute(
                "INSERT INTO actors (name, title, organisation, country, country_code, kind) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (*key[:4], actor.country_code, actor.kind),
            ).fetchone()
        self.actor_ids[key] = int(row[0])
        return self.actor_ids[key]

    def insert(self, table: str, values: Record) -> int:
        columns = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        row = self.db.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id",  # noqa: S608 - names are ours
            list(values.values()),
        ).fetchone()
        return int(row[0])

    def article(self, a: ExportedArticle) -> int:
        s, p = a.summary, a.summary.provenance
        self.db.execute("DELETE FROM articles WHERE id = ?", (a.id,))
        self.db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a.id, a.url, s.headline, s.summary,
                s.published.isoformat() if s.published else None, s.published_source,
                p.model, p.mode, p.prompt_version, p.schema_version, p.library_version,
                p.validation_attempts, p.usage.prompt_tokens, p.usage.completion_tokens,
                p.usage.total_tokens, p.created_at.isoformat(), a.article,
            ),
        )  # fmt: skip
        count = 0
        for plural in ("meetings", "statements", "visits", "warrants"):
            events: list[Meeting | Statement | Visit | Warrant] = getattr(s, plural)
            for idx, event in enumerate(events):
                self.event(a.id, plural, idx, event)
                count += 1
        for d in getattr(s, "dropped", []):
            self.insert(
                "dropped",
                {
                    "article_id": a.id,
                    "record_type": d.type,
                    "record_idx": d.index,
                    "reason": d.reason,
                    "record": json.dumps(d.record, ensure_ascii=False),
                },
            )
        return count

    def event(
        self, article_id: str, table: str, idx: int, event: Meeting | Statement | Visit | Warrant
    ) -> None:
        values: Record = {"article_id": article_id, "idx": idx, "status": event.status}
        if event.type == "meeting":
            values |= {
                "format": event.format,
                **_place("place", event.place),
                "topics": json.dumps(event.topics, ensure_ascii=False),
                "outcomes": json.dumps(event.outcomes, ensure_ascii=False),
            }
        elif event.type == "statement":
            values |= {
                "speaker_id": self.actor(event.speaker),
                "content": event.content,
                "quote": event.quote,
                "addressee_id": self.actor(event.addressee),
                "occasion": event.occasion,
            }
        elif event.type == "visit":
            values |= {
                "visitor_id": self.actor(event.visitor),
                "host_id": self.actor(event.host),
                **_place("destination", event.destination),
                "duration": event.duration,
                "purpose": event.purpose,
            }
        else:
            values |= {
                "subject_id": self.actor(event.subject),
                "authority_id": self.actor(event.authority),
                "kind": event.kind,
                "charges": json.dumps(event.charges, ensure_ascii=False),
            }
        for key, value in _when(event.when).items():
            column = "when_expression" if key == "when" else key
            values[column] = value.isoformat() if isinstance(value, date) else value
        row_id = self.insert(table, values)
        if event.type == "meeting":
            for position, participant in enumerate(event.participants):
                self.insert_link(row_id, position, self.actor(participant))
        for position, e in enumerate(event.evidence):
            self.insert(
                "evidence",
                {
                    "article_id": article_id,
                    "record_type": event.type,
                    "record_idx": idx,
                    "position": position,
                    "quote": e.quote,
                    "span_start": e.start,
                    "span_end": e.end,
                },
            )

    def insert_link(self, meeting_id: int, position: int, actor_id: int | None) -> None:
        self.db.execute(
            "INSERT INTO meeting_participants (meeting_id, position, actor_id) VALUES (?, ?, ?)",
            (meeting_id, position, actor_id),
        )


def export_sqlite(
    source: str | Path | ArticleSummary | Iterable[Exportable], db_path: str | Path
) -> tuple[int, int]:
    """Write articles and their records to a SQLite database (tables in the module docstring).

    The file is created if missing; articles already in it under the same id are
    replaced. Foreign keys are declared and enforced while writing; a connection of
    your own enforces them after ``PRAGMA foreign_keys = ON``.

    Args:
        source: a JSON Lines file written by :func:`write_jsonl`, or summaries as
            :func:`write_jsonl` takes them.
        db_path: the database file.

    Returns:
        ``(articles, records)`` written.
    """
    import sqlite3

    articles = read_articles(source) if isinstance(source, str | Path) else articles_of(source)
    db = sqlite3.connect(db_path)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(_SCHEMA)
        for statement in _INDEXES:
            db.execute(statement)
        writer = _SqliteWriter(db)
        with db:
            records = sum(writer.article(a) for a in articles)
            # Actors no record points at any more (their article was replaced).
            db.execute(
                "DELETE FROM actors WHERE id NOT IN (SELECT id FROM ("
                "SELECT actor_id AS id FROM meeting_participants UNION SELECT speaker_id "
                "FROM statements UNION SELECT addressee_id FROM statements UNION SELECT "
                "visitor_id FROM visits UNION SELECT host_id FROM visits UNION SELECT "
                "subject_id FROM warrants UNION SELECT authority_id FROM warrants"
                ") WHERE id IS NOT NULL)"
            )
    finally:
        db.close()
    return len(articles), records
