"""Summaries as data: flat records, pandas, CSV, JSON Lines and SQLite, for any event type.

Records
    :func:`to_records` gives one flat dict per event, columns derived from each
    event type's fields (``newsschema._records`` ``flat_records``). Every record
    has the same keys, None where a field does not apply to its type, so a list
    of records is a table whatever types it mixes. Actors and places are spread
    over several columns (``speaker``, ``speaker_title`` ...); lists are given
    twice, joined with ``"; "`` (``participants``) and as a list
    (``participants_list``). ``evidence_quote``/``evidence_start``/``evidence_end``
    are the first quote; ``evidence_quotes`` joins all of them with ``" | "``.
    :data:`COLUMNS` are the built-in types' columns.

JSON Lines
    :func:`write_jsonl` writes one article a line, as one JSON object::

        {"id": "seed", "url": null, "article": "<the article text>", "summary": {...}}

    ``id`` (string) names the article; ``url`` (string or null) is where it came
    from; ``article`` (string or null) is the text the summary was made from, so
    evidence offsets can be shown against it (``newsschema report``); ``summary``
    is ``ArticleSummary.model_dump_json()``. :func:`read_jsonl` also reads lines
    that hold a bare ``ArticleSummary`` object (their id is ``line-N``). Reading
    a summary with a type of your own needs that type imported first.

SQLite
    :func:`export_sqlite` writes tables ``articles``, ``actors``, ``evidence``
    (every quote with ``span_start``/``span_end``, by ``record_type`` and
    ``record_idx``), ``dropped`` (records left out, with the reason),
    ``failed_chunks`` (the parts of a long article whose extraction failed:
    ``span_start``, ``span_end``, ``error``, ``message``; an article with rows
    here is incomplete) and one table per event type, named by its plural key
    (``meetings``). A type's table has ``id``, ``article_id``, ``idx``, ``status``,
    then a column or more per field: an Actor field is ``<field>_id`` (a row of
    ``actors``); a list of actors is a link table ``<type>_<field>``
    (``meeting_participants``: ``meeting_id``,
    ``position``, ``actor_id``); a Place field is spread over ``<field>``,
    ``<field>_country``, ``<field>_country_code``, ``<field>_kind``,
    ``<field>_geonames_id``, ``<field>_latitude``, ``<field>_longitude``,
    ``<field>_admin1``, ``<field>_feature_class``; text,
    numbers and literals are one column each; lists (and lists of places) are
    JSON arrays; then ``when_expression``, ``when_value`` ... Foreign keys are
    declared and checked. Exporting an article id again replaces that article's
    rows; a type that gained fields gains their columns.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeAlias

from newsschema._errors import ConfigurationError, InputError
from newsschema._records import (
    BUILTIN_TYPES,
    COLUMNS,
    Actor,
    ArticleSummary,
    Event,
    EventType,
    FieldShape,
    Place,
    event_type,
    field_shapes,
    flat_columns,
    flat_frame,
    flat_records,
    summary_types,
)

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "COLUMNS",
    "FORMULA_STARTS",
    "ExportedArticle",
    "SqliteWriter",
    "export_sqlite",
    "read_articles",
    "read_jsonl",
    "sqlite_schema",
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

    def offsets_text(self) -> str | None:
        """The text evidence offsets index: a web page's main text, else the article."""
        page = self.summary.page
        return page.text if page is not None else self.article

    def address(self) -> str | None:
        """Where the article came from: its url, else a web page's canonical URL."""
        page = self.summary.page
        return self.url if self.url is not None or page is None else page.url


#: What the writers take: a summary alone, ``(id, summary)``, ``(id, article_text,
#: summary)`` or an :class:`ExportedArticle`.
Exportable: TypeAlias = (
    "ArticleSummary | ExportedArticle | tuple[str, ArticleSummary]"
    " | tuple[str, str | None, ArticleSummary]"
)


def to_records(
    summary: ArticleSummary, *, article_id: str | None = None, url: str | None = None
) -> list[Record]:
    """One flat dict per event, each type's records in the summary's type order.

    Values are as the summary holds them: text that a spreadsheet would read as a
    formula is not escaped here (that is :func:`write_csv`'s job).

    Args:
        summary: the article's summary.
        article_id: stored in each record's ``article_id``.
        url: stored in each record's ``url``.

    Returns:
        Records whose keys are the columns of the summary's event types
        (:data:`COLUMNS` for the built-ins); dates are ``datetime.date``.
    """
    return flat_records(summary, article_id=article_id, url=url)


def _columns_of(articles: Sequence[ExportedArticle]) -> tuple[str, ...]:
    """The columns of every event type of these articles, in first-seen order."""
    found: dict[type[Event], None] = {}
    for a in articles:
        found.update(dict.fromkeys(summary_types(a.summary)))
    return flat_columns(found or BUILTIN_TYPES)


def _all_records(articles: Sequence[ExportedArticle]) -> tuple[tuple[str, ...], list[Record]]:
    columns = _columns_of(articles)
    records = [
        r
        for a in articles
        for r in flat_records(a.summary, article_id=a.id, url=a.url, columns=columns)
    ]
    return columns, records


def _content_id(summary: ArticleSummary, article: str | None) -> str:
    """A stable id for an article given none: a hash of its text (or of its summary)."""
    basis = article if article is not None else summary.model_dump_json(exclude={"provenance"})
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def articles_of(items: ArticleSummary | Iterable[Any]) -> list[ExportedArticle]:
    """Every input form the writers accept, as ExportedArticle."""
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

    Needs pandas: ``pip install 'newsschema[pandas]'``. Columns are those of
    :func:`to_records` for every event type the summaries hold; ``published``,
    ``when_start`` and ``when_end`` are datetime64. Text is raw, as in
    :func:`to_records`; ``DataFrame.to_csv`` does not escape formulas,
    :func:`write_csv` does.

    Args:
        summaries: a summary, or items as :func:`write_jsonl` takes them.
        article_id: for a single summary, its ``article_id``.
        url: for a single summary, its ``url``.

    Raises:
        ConfigurationError: pandas is not installed.
    """
    if isinstance(summaries, ArticleSummary):
        columns = flat_columns(summary_types(summaries))
        records = flat_records(summaries, article_id=article_id, url=url, columns=columns)
    else:
        columns, records = _all_records(articles_of(summaries))
    return flat_frame(records, columns)


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any, *, escape_formulas: bool) -> Any:
    if isinstance(value, list | dict):
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

    Columns are those of :func:`to_records` for every event type the summaries
    hold (:data:`COLUMNS` for the built-ins). Empty cells are empty; ``*_list``
    columns hold JSON arrays; dates are ISO 8601.

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
    columns, records = _all_records(articles_of(summaries))
    writer = csv.DictWriter(stream, fieldnames=columns)
    writer.writeheader()
    for record in records:
        writer.writerow(
            {k: _csv_value(v, escape_formulas=escape_formulas) for k, v in record.items()}
        )
    return len(records)


def jsonl_line(article: ExportedArticle) -> str:
    """One article as one JSON Lines line, without the newline."""
    head = json.dumps(
        {"id": article.id, "url": article.address(), "article": article.offsets_text()},
        ensure_ascii=False,
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

# Tables of the export itself (and of `summarize_many`'s database): no event type's.
_FIXED_TABLES = frozenset(
    {"articles", "actors", "evidence", "dropped", "failed_chunks", "batch_failures"}
)
_WHEN_COLUMNS = (
    "when_expression", "when_value", "when_start", "when_end", "when_granularity",
    "when_modifier", "when_resolution", "when_reason", "when_duration",
)  # fmt: skip
_EVENT_COLUMNS = frozenset({"id", "article_id", "idx", "status", *_WHEN_COLUMNS})
_PLACE_COLUMNS = (
    ("", "TEXT"), ("_country", "TEXT"), ("_country_code", "TEXT"), ("_kind", "TEXT"),
    ("_geonames_id", "INTEGER"), ("_latitude", "REAL"), ("_longitude", "REAL"),
    ("_admin1", "TEXT"), ("_feature_class", "TEXT"),
)  # fmt: skip
_PLACE_SUFFIXES = tuple(suffix for suffix, _ in _PLACE_COLUMNS)
_SQL_TYPES = {str: "TEXT", int: "INTEGER", bool: "INTEGER", float: "REAL"}

_BASE_SQL = (
    """CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, url TEXT, headline TEXT, summary TEXT NOT NULL,
    published TEXT, published_source TEXT, model TEXT, mode TEXT, prompt_version TEXT,
    schema_version TEXT, library_version TEXT, validation_attempts INTEGER,
    prompt_tokens INTEGER, completion_tokens INTEGER, total_tokens INTEGER,
    created_at TEXT, article TEXT
)""",
    """CREATE TABLE IF NOT EXISTS actors (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, title TEXT, organisation TEXT,
    country TEXT, country_code TEXT, kind TEXT
)""",
    "CREATE INDEX IF NOT EXISTS actors_name ON actors(name)",
    """CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    record_type TEXT NOT NULL, record_idx INTEGER NOT NULL, position INTEGER NOT NULL,
    quote TEXT NOT NULL, span_start INTEGER, span_end INTEGER
)""",
    """CREATE TABLE IF NOT EXISTS dropped (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    record_type TEXT NOT NULL, record_idx INTEGER NOT NULL, reason TEXT NOT NULL,
    record TEXT NOT NULL
)""",
    # The parts of a long article whose extraction failed: the article is incomplete.
    """CREATE TABLE IF NOT EXISTS failed_chunks (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, error TEXT NOT NULL,
    message TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS evidence_article ON evidence(article_id)",
    "CREATE INDEX IF NOT EXISTS dropped_article ON dropped(article_id)",
)


def _q(name: str) -> str:
    """An SQL identifier, quoted: type and field names are the user's."""
    return '"' + name.replace('"', '""') + '"'


class _Table(NamedTuple):
    """How one event type is stored: its table, columns, and link tables."""

    entry: EventType
    table: str
    fields: tuple[tuple[FieldShape, str], ...]  # (field, column name it starts with)
    columns: tuple[tuple[str, str], ...]  # (column, declaration)
    links: tuple[tuple[str, str, str], ...]  # (field, link table, its column for the record)


def _suffixes(shape: FieldShape) -> tuple[str, ...]:
    if shape.kind == "actor" and not shape.many:
        return ("_id",)
    if shape.kind == "place" and not shape.many:
        return _PLACE_SUFFIXES
    return ("",)


def _table_of(cls: type[Event]) -> _Table:
    entry = event_type(cls)
    if entry.plural in _FIXED_TABLES or entry.plural.lower().startswith("sqlite_"):
        raise ConfigurationError(
            f"event type {cls.__qualname__}: its plural key {entry.plural!r} is a table of the "
            f"export itself; choose another with `class {cls.__name__}(Event, plural=...)`"
        )
    fields: list[tuple[FieldShape, str]] = []
    columns: list[tuple[str, str]] = [
        ("id", "INTEGER PRIMARY KEY"),
        ("article_id", "TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE"),
        ("idx", "INTEGER NOT NULL"),
        ("status", "TEXT NOT NULL"),
    ]
    links: list[tuple[str, str, str]] = []
    for shape in field_shapes(cls):
        clash = any(shape.name + s in _EVENT_COLUMNS for s in _suffixes(shape))
        base = f"{entry.name}_{shape.name}" if clash else shape.name
        fields.append((shape, base))
        required = not (shape.optional or shape.computed)
        if shape.kind == "actor" and shape.many:
            link = f"{entry.name}_{shape.name}"
            if link in _FIXED_TABLES:
                raise ConfigurationError(
                    f"event type {cls.__qualname__}: the link table of {shape.name!r} would be "
                    f"{link!r}, a table of the export itself; rename the field"
                )
            links.append((shape.name, link, f"{entry.name}_id"))
        elif shape.kind == "actor":
            null = "NOT NULL " if required else ""
            columns.append((base + "_id", f"INTEGER {null}REFERENCES actors(id)"))
        elif shape.kind == "place" and not shape.many:
            columns += [(base + s, declaration) for s, declaration in _PLACE_COLUMNS]
        elif shape.many or shape.kind != "value":
            columns.append((base, "TEXT"))  # a JSON array or object
        else:
            columns.append((base, _SQL_TYPES[shape.python] + (" NOT NULL" if required else "")))
    columns += [(c, "TEXT") for c in _WHEN_COLUMNS]
    return _Table(entry, entry.plural, tuple(fields), tuple(columns), tuple(links))


def _table_sql(t: _Table) -> list[str]:
    body = ", ".join(f"{_q(c)} {d}" for c, d in t.columns)
    out = [f"CREATE TABLE IF NOT EXISTS {_q(t.table)} ({body}, UNIQUE (article_id, idx))"]
    for _, link, owner in t.links:
        out += [
            f"CREATE TABLE IF NOT EXISTS {_q(link)} ("
            f"{_q(owner)} INTEGER NOT NULL REFERENCES {_q(t.table)}(id) ON DELETE CASCADE, "
            "position INTEGER NOT NULL, actor_id INTEGER NOT NULL REFERENCES actors(id), "
            f"PRIMARY KEY ({_q(owner)}, position))",
            f"CREATE INDEX IF NOT EXISTS {_q(link + '_actor')} ON {_q(link)}(actor_id)",
        ]
    out += [
        f"CREATE INDEX IF NOT EXISTS {_q(t.table + '_' + shape.name)} ON {_q(t.table)}"
        f"({_q(base + '_id')})"
        for shape, base in t.fields
        if shape.kind == "actor" and not shape.many
    ]
    return out


def sqlite_schema(event_types: Iterable[type[Event]] = BUILTIN_TYPES) -> list[str]:
    """The statements creating the export's tables for these event types (IF NOT EXISTS).

    Raises:
        ConfigurationError: a type's plural key or link table is a table of the
            export itself (``articles``, ``actors``, ``evidence``, ``dropped``).
    """
    return [*_BASE_SQL, *(sql for cls in event_types for sql in _table_sql(_table_of(cls)))]


def _json_item(value: Any) -> Any:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


class SqliteWriter:
    """Writes summaries into the export's tables of an open SQLite connection.

    Creates the common tables and those of ``event_types`` at once, and the
    tables of any other type when a summary of it is first written; a table
    missing columns of fields added since gains them. Writing runs in the
    caller's transaction (``with db:``).

    Args:
        db: the connection (``PRAGMA foreign_keys = ON`` to have keys checked).
        event_types: the types whose tables exist from the start (default the
            built-ins).

    Raises:
        ConfigurationError: a type cannot be stored (see :func:`sqlite_schema`).
        sqlite3.Error: SQLite could not create the tables.
    """

    def __init__(
        self, db: sqlite3.Connection, event_types: Iterable[type[Event]] = BUILTIN_TYPES
    ) -> None:
        self.db = db
        self.actor_ids: dict[tuple[Any, ...], int] = {}
        self._tables: dict[type[Event], _Table] = {}
        for statement in _BASE_SQL:
            db.execute(statement)
        self.prepare(event_types)

    def prepare(self, event_types: Iterable[type[Event]]) -> None:
        """Create the tables of these event types, and add columns a table lacks."""
        for cls in event_types:
            if cls in self._tables:
                continue
            table = _table_of(cls)
            for statement in _table_sql(table):
                self.db.execute(statement)
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({_q(table.table)})")}
            for column, declaration in table.columns:
                if column not in have:
                    # SQLite adds only columns that may be NULL.
                    loose = declaration.replace("NOT NULL ", "").replace(" NOT NULL", "")
                    self.db.execute(
                        f"ALTER TABLE {_q(table.table)} ADD COLUMN {_q(column)} {loose}"
                    )
            self._tables[cls] = table

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
        """Insert one row and return its id."""
        columns = ", ".join(_q(c) for c in values)
        marks = ", ".join("?" for _ in values)
        row = self.db.execute(
            f"INSERT INTO {_q(table)} ({columns}) VALUES ({marks}) RETURNING id",  # noqa: S608 - names quoted
            list(values.values()),
        ).fetchone()
        return int(row[0])

    def article(self, a: ExportedArticle) -> int:
        """Replace the article's rows with the summary's; returns the records written.

        Raises:
            ConfigurationError: one of its types cannot be stored.
            sqlite3.Error: SQLite could not write (the caller rolls back).
        """
        try:
            return self._article(a)
        except Exception:
            # The caller rolls back: ids and tables made in this transaction are gone.
            self.actor_ids.clear()
            self._tables.clear()
            raise

    def _article(self, a: ExportedArticle) -> int:
        s, p = a.summary, a.summary.provenance
        self.prepare(summary_types(s))
        self.db.execute("DELETE FROM articles WHERE id = ?", (a.id,))
        self.db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a.id, a.address(), s.headline, s.summary,
                s.published.isoformat() if s.published else None, s.published_source,
                p.model, p.mode, p.prompt_version, p.schema_version, p.library_version,
                p.validation_attempts, p.usage.prompt_tokens, p.usage.completion_tokens,
                p.usage.total_tokens, p.created_at.isoformat(), a.offsets_text(),
            ),
        )  # fmt: skip
        count = 0
        for events in s.event_lists().values():
            for idx, event in enumerate(events):
                self.event(a.id, idx, event)
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
        for f in getattr(s, "failed_chunks", []):
            self.insert(
                "failed_chunks",
                {
                    "article_id": a.id,
                    "span_start": f.start,
                    "span_end": f.end,
                    "error": f.error,
                    "message": f.message,
                },
            )
        return count

    def _values(self, table: _Table, event: Event) -> Record:
        values: Record = {}
        for shape, base in table.fields:
            value = getattr(event, shape.name)
            if shape.kind == "actor" and shape.many:
                continue  # in its link table
            if shape.kind == "actor":
                values[base + "_id"] = self.actor(value)
            elif shape.many:
                items = [_json_item(v) for v in value or []]
                values[base] = json.dumps(items, ensure_ascii=False)
            elif isinstance(value, Place):
                values |= {
                    base: value.name,
                    f"{base}_country": value.country,
                    f"{base}_country_code": value.country_code,
                    f"{base}_kind": value.kind,
                    f"{base}_geonames_id": value.geonames_id,
                    f"{base}_latitude": value.latitude,
                    f"{base}_longitude": value.longitude,
                    f"{base}_admin1": value.admin1,
                    f"{base}_feature_class": value.feature_class,
                }
            elif shape.kind in ("place", "part"):
                values[base] = None if value is None else json.dumps(_json_item(value))
            else:
                values[base] = value
        return values

    def event(self, article_id: str, idx: int, event: Event) -> None:
        """Insert one record, its actors' links and its evidence."""
        table = self._tables.get(type(event))
        if table is None:
            self.prepare([type(event)])
            table = self._tables[type(event)]
        values: Record = {"article_id": article_id, "idx": idx, "status": event.status}
        values |= self._values(table, event)
        if event.when is not None:
            w = event.when
            values |= dict(
                zip(
                    _WHEN_COLUMNS,
                    (
                        w.expression, w.value, w.start.isoformat() if w.start else None,
                        w.end.isoformat() if w.end else None, w.granularity, w.modifier,
                        w.resolution, w.reason, w.duration,
                    ),
                    strict=True,
                )
            )  # fmt: skip
        row_id = self.insert(table.table, values)
        for field_name, link, owner in table.links:
            for position, actor in enumerate(getattr(event, field_name) or []):
                self.db.execute(
                    f"INSERT INTO {_q(link)} ({_q(owner)}, position, actor_id) "  # noqa: S608 - names quoted
                    "VALUES (?, ?, ?)",
                    (row_id, position, self.actor(actor)),
                )
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

    def prune_actors(self) -> None:
        """Delete actors no row points at any more (their articles were replaced)."""
        refs: list[str] = []
        tables = [
            r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            for key in self.db.execute(f"PRAGMA foreign_key_list({_q(table)})"):
                if key[2] == "actors":
                    refs.append(f"SELECT {_q(key[3])} AS id FROM {_q(table)}")  # noqa: S608 - names quoted
        used = " UNION ".join(refs) or "SELECT NULL AS id"
        self.db.execute(
            f"DELETE FROM actors WHERE id NOT IN (SELECT id FROM ({used}) WHERE id IS NOT NULL)"  # noqa: S608 - names quoted
        )
        self.actor_ids.clear()


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

    Raises:
        ConfigurationError: an event type cannot be stored (its plural key is
            ``articles``, ``actors``, ``evidence`` or ``dropped``).
    """
    import sqlite3

    articles = read_articles(source) if isinstance(source, str | Path) else articles_of(source)
    db = sqlite3.connect(db_path)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        writer = SqliteWriter(db)
        with db:
            records = sum(writer.article(a) for a in articles)
            writer.prune_actors()
    finally:
        db.close()
    return len(articles), records
