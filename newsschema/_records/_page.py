"""What newsschema took from a web page: its main text, which offsets index, and its metadata."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["WebPage"]


class WebPage(BaseModel):
    """A web page's main text and metadata, as extracted before summarising it.

    ``summary.page`` holds it when the article was given as HTML (a page, its
    bytes, an ``.html`` file, a URL or a WARC record). Evidence offsets and every
    ``*_start``/``*_end`` of the summary index :attr:`text`, not the HTML:
    ``summary.page.text[e.start:e.end] == e.quote``.
    """

    model_config = ConfigDict(frozen=True)

    text: str = Field(
        description="The page's main text (boilerplate dropped, entities decoded, one "
        "paragraph a line): what the model read and what evidence offsets index."
    )
    title: str | None = Field(default=None, description="The page's headline (og:title, <h1>).")
    url: str | None = Field(
        default=None, description="The page's canonical URL (rel=canonical, og:url)."
    )
    author: str | None = Field(default=None, description="The byline in the page's metadata.")
    language: str | None = Field(
        default=None, description="The language the page declares (<html lang>), e.g. 'en'."
    )
    site: str | None = Field(default=None, description="The site's name (og:site_name).")
    published: date | None = Field(
        default=None,
        description="The publication date in the page's markup (htmldate: meta tags, "
        "JSON-LD, <time>), or None.",
    )
