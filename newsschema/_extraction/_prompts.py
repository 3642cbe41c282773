"""Render the prompt templates in prompts/ into chat messages."""

from __future__ import annotations

import hashlib
import textwrap
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from newsschema._records import BUILTIN_TYPES, EventType, EventTypes, event_type
from newsschema._resources import read_resource
from newsschema._text import language_name

if TYPE_CHECKING:
    import jinja2

__all__ = ["boundary_for", "prompt_version", "render_messages", "render_reask", "system_message"]

_TEMPLATES = ("prompts/system.j2", "prompts/user.j2", "prompts/reask.j2", "prompts/language.j2")


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


def _definition(spec: EventType) -> str:
    """One bullet of the system prompt: ``- plural: definition``, wrapped at 79 columns.

    A definition written with its own line breaks keeps them.
    """
    text = f"- {spec.plural}: {spec.definition}"
    if "\n" in spec.definition:
        return "\n  ".join(line.strip() for line in text.splitlines())
    return textwrap.fill(text, width=79, subsequent_indent="  ", break_on_hyphens=False)


@cache
def system_message(types: EventTypes = BUILTIN_TYPES) -> str:
    """The system prompt for ``types``: the rules, and one definition per chosen type."""
    items = [_definition(event_type(cls)) for cls in types]
    return _template("prompts/system.j2").render(event_types=items)


def render_messages(
    article: str,
    published: date | None,
    types: EventTypes = BUILTIN_TYPES,
    *,
    language: str | None = None,
) -> list[dict[str, str]]:
    """System message (static instructions) first, then the article last.

    A ``language`` other than English ("de") adds the rule to keep expressions and
    quotes in the article's language; "en" or None sends the English prompt unchanged.
    """
    published_text = published.isoformat() if published else "unknown"
    system = system_message(types)
    if language is not None and language != "en":
        system += _template("prompts/language.j2").render(language_name=language_name(language))
    return [
        {"role": "system", "content": system},
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
