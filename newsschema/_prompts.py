"""Render the prompt templates in prompts/ into chat messages."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from ._resources import read_resource

if TYPE_CHECKING:
    import jinja2

__all__ = ["boundary_for", "prompt_version", "render_messages", "render_reask"]

_TEMPLATES = ("prompts/system.j2", "prompts/user.j2", "prompts/reask.j2")


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    # StrictUndefined: a variable the caller forgot is an error, not an empty string.
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - prompts are plain text, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _template(name: str) -> jinja2.Template:
    return _environment().from_string(read_resource(name))


@cache
def prompt_version() -> str:
    """Short content hash of the prompt templates; changes whenever a prompt does."""
    digest = hashlib.sha256()
    for name in _TEMPLATES:
        digest.update(read_resource(name).encode())
    return digest.hexdigest()[:12]


def boundary_for(article: str) -> str:
    """A boundary line that does not occur in ``article``, so its text cannot close it.

    Derived from the article's hash (deterministic, so recorded requests replay);
    lengthened in the astronomically unlikely case the article contains it.
    """
    digest = hashlib.sha256(article.encode("utf-8", "surrogatepass")).hexdigest()
    boundary, salt = f"=====ARTICLE-{digest[:16]}=====", 0
    while boundary in article:
        salt += 1
        boundary = f"=====ARTICLE-{digest[:16]}-{salt}====="
    return boundary


def render_messages(article: str, published: date | None) -> list[dict[str, str]]:
    """System message (static instructions) first, then the article last."""
    published_text = published.isoformat() if published else "unknown"
    return [
        {"role": "system", "content": _template("prompts/system.j2").render()},
        {
            "role": "user",
            "content": _template("prompts/user.j2").render(
                published=published_text, boundary=boundary_for(article), article=article
            ),
        },
    ]


def render_reask(raw_output: str | None, errors: tuple[str, ...]) -> list[dict[str, str]]:
    """The previous answer and its current errors (and only those), to append to the prompt."""
    return [
        {"role": "assistant", "content": raw_output or "(no answer)"},
        {"role": "user", "content": _template("prompts/reask.j2").render(errors=errors)},
    ]
