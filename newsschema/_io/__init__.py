"""Input and output: loading articles, exports (records, CSV, JSON Lines, SQLite), the report.

Uses records, text and extraction; nothing here calls a model.
"""

from ._articles import (
    Article,
    coerce_articles,
    file_article_id,
    load_articles,
    load_sourced,
    read_text,
)
from ._export import (
    COLUMNS,
    FORMULA_STARTS,
    ExportedArticle,
    SqliteWriter,
    export_sqlite,
    jsonl_line,
    read_articles,
    read_jsonl,
    sqlite_schema,
    to_dataframe,
    to_records,
    write_csv,
    write_csv_to,
    write_jsonl,
)
from ._fetch import FetchedPage, FetchPolicy, fetch_page, is_url, user_agent
from ._report import render_report, summary_html, summary_markdown, summary_records, write_report
from ._terminal import cli_words, neutralise, terminal_line

__all__ = [
    "COLUMNS",
    "FORMULA_STARTS",
    "Article",
    "ExportedArticle",
    "FetchPolicy",
    "FetchedPage",
    "SqliteWriter",
    "cli_words",
    "coerce_articles",
    "export_sqlite",
    "fetch_page",
    "file_article_id",
    "is_url",
    "jsonl_line",
    "load_articles",
    "load_sourced",
    "neutralise",
    "read_articles",
    "read_jsonl",
    "read_text",
    "render_report",
    "sqlite_schema",
    "summary_html",
    "summary_markdown",
    "summary_records",
    "terminal_line",
    "to_dataframe",
    "to_records",
    "user_agent",
    "write_csv",
    "write_csv_to",
    "write_jsonl",
    "write_report",
]
