"""Articles as many-article runs take them, and loaders for folders and JSON Lines files."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from newsschema._errors import InputError
from newsschema._text import decode_page, looks_like_html

from ._fetch import is_url
from ._warc import is_warc, read_warc

__all__ = ["Article", "coerce_articles", "load_articles"]

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: Files a folder is read for: plain text and saved web pages.
ARTICLE_SUFFIXES = frozenset({".txt", ".html", ".htm"})


class Article(BaseModel):
    """One article to summarise.

    Attributes:
        id: names the article in outcomes and output files; unique within a run.
        text: the article's text.
        published: publication date (a date, datetime or ISO 8601 string), or None.
        url: where the article came from, kept in the output.
        title: its title, kept in the output.
        crawled: when its page was fetched (a WARC record's date): the publication
            date only when neither ``published`` nor the page gives one.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None
    crawled: date | None = None

    @classmethod
    def from_url(cls, url: str, *, id: str | None = None) -> Article:
        """An article known by its address: ``summarize_many`` fetches its page."""
        return cls(id=id if id is not None else url.strip(), text="", url=url.strip())

    @property
    def to_fetch(self) -> bool:
        """Whether the article is only an address (empty text, a url): its page is fetched."""
        return not self.text and self.url is not None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("published", "crawled", mode="before")
    @classmethod
    def _published(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.strip()).date()
            except ValueError:
                raise ValueError(
                    f"{info.field_name} must be an ISO 8601 date like 2023-09-18, got {value!r}"
                ) from None
        return value


def _error_line(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"]) or "article"
    return f"{where}: {first['msg']}"


def _only_url(text: str) -> bool:
    return is_url(text) and len(text.split()) == 1


def coerce_articles(items: Iterable[str | Article | Mapping[str, Any]]) -> list[Article]:
    """Texts (id = position), :class:`Article` or mappings with its fields, as a list of Article.

    A text that is only an http(s) address, or a mapping with a ``url`` and no
    ``text``, is an article whose page is fetched when it is summarised.

    Raises:
        InputError: an item is none of those, or two articles share an id.
    """
    if isinstance(items, str | bytes | Mapping):
        raise InputError(
            "articles must be an iterable of texts, Article or dicts; for one article "
            "use summarize(...), or wrap it in a list"
        )
    out: list[Article] = []
    for index, item in enumerate(items):
        if isinstance(item, Article):
            out.append(item)
        elif isinstance(item, str) and _only_url(item):
            out.append(Article.from_url(item, id=str(index)))
        elif isinstance(item, str):
            out.append(Article(id=str(index), text=item))
        elif isinstance(item, Mapping):
            data = dict(item)
            data.setdefault("id", str(index))
            if data.get("text") is None and isinstance(data.get("url"), str):
                data["text"] = ""  # an address only: the page is fetched
            try:
                out.append(Article.model_validate(data))
            except ValidationError as exc:
                raise InputError(f"article {index}: {_error_line(exc)}") from None
        else:
            raise InputError(
                f"article {index} is a {type(item).__name__}; expected a str, an Article "
                "or a dict with id, text and optionally published, url, title"
            )
    seen: set[str] = set()
    duplicates: list[str] = []
    for article in out:
        if article.id in seen:
            duplicates.append(article.id)
        seen.add(article.id)
    if duplicates:
        shown = ", ".join(repr(d) for d in duplicates[:5])
        raise InputError(
            f"{len(duplicates)} article id(s) occur more than once ({shown}); ids name the "
            "lines of the output and must be unique"
        )
    return out


def json_objects(path: str | Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Each non-blank line of a JSON Lines file: its number, "FILE, line N", its object.

    Raises:
        InputError: a line is not JSON, or not a JSON object.
    """
    with Path(path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            where = f"{path}, line {number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise InputError(f"{where}: expected a JSON object")
            yield number, where, row


def _keys(row: Mapping[str, Any]) -> str:
    shown = ", ".join(repr(k) for k in list(row)[:12])
    return shown + (", ..." if len(row) > 12 else "") if row else "none"


def _jsonl_rows(
    path: Path, *, id_field: str, text_field: str, published_field: str
) -> Iterator[tuple[Article, str]]:
    for number, where, row in json_objects(path):
        text = row.get(text_field)
        url = row.get("url")
        if text is None and isinstance(url, str) and is_url(url):
            text = ""  # a row with an address and no text: its page is fetched
        if not isinstance(text, str):
            held = "" if text_field not in row else f", it holds a {type(text).__name__}"
            raise InputError(
                f"{where}: no text in field {text_field!r}{held} (keys present: {_keys(row)}); "
                "name the field holding the article text with text_field= (--text-field)"
            )
        article_id = row.get(id_field)
        if article_id is not None and not isinstance(article_id, str | int):
            raise InputError(
                f"{where}: the id in field {id_field!r} is a {type(article_id).__name__}; "
                "expected text or a whole number (or name another field with id_field= "
                "(--id-field))"
            )
        data = {
            "id": article_id if article_id is not None else f"{path.stem}:{number}",
            "text": text,
            "published": row.get(published_field),
            "url": row.get("url"),
            "title": row.get("title"),
        }
        try:
            yield Article.model_validate(data), where
        except ValidationError as exc:
            raise InputError(f"{where}: {_error_line(exc)}") from None


def read_text(data: bytes, where: str | None = None) -> str:
    """A file's bytes as text: UTF-8, or for a web page the encoding it declares.

    Raises:
        InputError: neither (the message starts with ``where``, when given).
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if looks_like_html(data):
            return decode_page(data)
        place = f"{where}: " if where else ""
        raise InputError(f"{place}not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _text_file(path: Path, article_id: str) -> Article:
    return Article(id=article_id, text=read_text(path.read_bytes(), str(path)))


def _url_list(path: Path, text: str) -> list[tuple[Article, str]] | None:
    """A file of addresses, one a line (blank lines and ``#`` comments aside), else None."""
    lines = [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines or not all(is_url(line) and " " not in line for _, line in lines):
        return None
    return [(Article.from_url(line), f"{path}, line {number}") for number, line in lines]


def _warc_file(path: Path, skipped: Counter[str] | None) -> list[tuple[Article, str]]:
    contents = read_warc(path)
    if skipped is not None:
        skipped.update(contents.skipped)
    return [
        (Article(id=p.uri, text=p.html, url=p.uri, crawled=p.crawled), f"{path}, record {p.record}")
        for p in contents.pages
    ]


def _given_file(path: Path) -> list[tuple[Article, str]]:
    """A file named by itself: one article, or the pages of a list of URLs."""
    text = read_text(path.read_bytes(), str(path))
    if path.suffix.lower() not in (".html", ".htm"):
        urls = _url_list(path, text)
        if urls is not None:
            return urls
    return [(Article(id=file_article_id(path), text=text), str(path))]


def load_articles(
    *paths: str | os.PathLike[str],
    id_field: str = "id",
    text_field: str = "text",
    published_field: str = "published",
) -> list[Article]:
    """Articles from files and folders.

    Ids follow one scheme, the one every ``newsschema`` command uses:

    - a ``.jsonl``/``.ndjson`` file: one article a line, a JSON object with the
      text in ``text_field``, the id in ``id_field`` (default ``<file stem>:<line>``,
      e.g. ``feed:3``), the publication date in ``published_field``, and
      ``url``/``title`` if present;
    - a folder: every ``*.txt``, ``*.html`` and ``*.htm`` file under it, in sorted
      order, each one article whose id is its path relative to the folder without
      the suffix (``sub/two``);
    - an ``http://``/``https://`` address: one article, its id the address;
    - a file of addresses, one a line (blank lines and ``#`` comments aside): one
      article each, its id the address; a JSON Lines row with a ``url`` and no
      text is one too. Their pages are fetched when summarised (``summarize_many``),
      not here: such an Article's ``text`` is empty until then;
    - a WARC file (``.warc``, ``.warc.gz``): one article per HTML response, its id
      and url the record's ``WARC-Target-URI``, ``crawled`` its ``WARC-Date`` (the
      publication date when the page gives none); other records are skipped;
    - any other file: one article, its text the file's, its id the file's stem.

    A saved web page (``.html``, or any text that starts as HTML) stays HTML in
    ``Article.text``: ``summarize`` and ``summarize_many`` extract its main text
    (``pip install 'newsschema[html]'``).

    Raises:
        InputError: a path is missing, a line is not an article (naming the file,
            the line and the keys it has), a file is not UTF-8, or two articles
            share an id.
    """
    articles = load_sourced(
        *paths, id_field=id_field, text_field=text_field, published_field=published_field
    )
    return [article for article, _ in articles]


def file_article_id(path: Path) -> str:
    """The id of a text file given by itself: its stem (``stdin`` for ``-``)."""
    return "stdin" if str(path) == "-" else path.stem


def load_sourced(
    *paths: str | os.PathLike[str],
    id_field: str = "id",
    text_field: str = "text",
    published_field: str = "published",
    skipped: Counter[str] | None = None,
) -> list[tuple[Article, str]]:
    """:func:`load_articles`, each article with its source (``FILE`` or ``FILE, line N``).

    ``skipped`` (if given) counts the records of WARC files left out, by why.
    """
    articles: list[tuple[Article, str]] = []
    for raw in paths:
        if isinstance(raw, str) and is_url(raw):
            articles.append((Article.from_url(raw), raw.strip()))
            continue
        path = Path(raw)
        if path.is_dir():
            files = (f for f in path.rglob("*") if f.suffix.lower() in ARTICLE_SUFFIXES)
            for file in sorted(f for f in files if f.is_file()):
                article_id = file.relative_to(path).with_suffix("").as_posix()
                articles.append((_text_file(file, article_id), str(file)))
        elif is_warc(path) and path.is_file():
            articles.extend(_warc_file(path, skipped))
        elif path.suffix.lower() in JSONL_SUFFIXES and path.is_file():
            articles.extend(
                _jsonl_rows(
                    path, id_field=id_field, text_field=text_field, published_field=published_field
                )
            )
        elif path.is_file():
            articles.extend(_given_file(path))
        else:
            raise InputError(f"{path}: no such file or folder")
    sources: dict[str, list[str]] = {}
    for article, source in articles:
        sources.setdefault(article.id, []).append(source)
    clashes = {i: where for i, where in sources.items() if len(where) > 1}
    if clashes:
        shown = "; ".join(f"{i!r} from {' and '.join(w[:2])}" for i, w in list(clashes.items())[:3])
        raise InputError(
            f"{len(clashes)} article id(s) occur more than once ({shown}); ids name the lines "
            "of the output and must be unique: rename the files, or give the rows distinct "
            "ids (id_field=, --id-field)"
        )
    checked = coerce_articles([article for article, _ in articles])
    return list(zip(checked, (source for _, source in articles), strict=True))
