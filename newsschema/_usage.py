"""Tokens spent: the one record every layer (errors included) speaks of."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Usage"]


class Usage(BaseModel):
    """Tokens spent, summed over every attempt (failed ones too)."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    total_tokens: int = 0
    requests: int = Field(default=0, description="Model answers received (HTTP 200s).")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            requests=self.requests + other.requests,
        )

    @classmethod
    def from_openai(cls, usage: Any) -> Usage:
        """Read an OpenAI ``CompletionUsage`` (or None) as one request's usage."""
        if usage is None:
            return cls(requests=1)
        details = getattr(usage, "prompt_tokens_details", None)
        return cls(
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            cached_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0,
            total_tokens=getattr(usage, "total_tokens", 0) or 0,
            requests=1,
        )
