"""What the model answered for an article, kept with its summary so it can be reprocessed.

A summary carries ``answer``: the validated draft the model returned (one per
chunk for a long article, each with the span of the article it answers) and the
SHA-256 of the article text. From these and the text, every deterministic step
(grounding, time and duration resolution, actors, merging, the index) can be
run again by a newer version without asking the model (``newsschema.reprocess``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DraftAnswer", "ModelAnswer", "text_sha256"]


def text_sha256(text: str) -> str:
    """The hex SHA-256 of ``text`` encoded as UTF-8 (what ``sha256sum`` gives for the file)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class DraftAnswer(BaseModel):
    """One validated answer of the model and the part of the article it answers."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(description="Offset in the article where the answered text begins.")
    end: int = Field(description="Offset in the article just past the answered text.")
    draft: dict[str, Any] = Field(
        description="The answer as validated against the draft schema, before enrichment."
    )


class ModelAnswer(BaseModel):
    """The model's answers for one article, and the hash of the text they answer."""

    model_config = ConfigDict(frozen=True)

    text_sha256: str = Field(description="SHA-256 (hex) of the article text, UTF-8 encoded.")
    drafts: list[DraftAnswer] = Field(
        description="One per request: the whole article, or each chunk of a long one in order."
    )
