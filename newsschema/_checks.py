"""Checks on a parsed answer against the article: every quote must stand in it."""

from __future__ import annotations

from dataclasses import dataclass

from ._grounding import locate_quote
from ._merge import status_problem
from ._schemas import ArticleDraft

__all__ = ["Problem", "answer_problems", "grounding_problems", "status_problems"]

EVENT_LISTS = {
    "meetings": "meeting",
    "statements": "statement",
    "visits": "visit",
    "warrants": "warrant",
}


@dataclass(frozen=True)
class Problem:
    """One record's quote that the article does not contain."""

    kind: str  # "meetings", "statements" ...
    index: int
    message: str  # one line, names where and what, as sent back to the model
    drop: bool = True  # still there after the re-ask: drop the record (else keep it)


def grounding_problems(draft: ArticleDraft, article: str) -> list[Problem]:
    """Every evidence quote and direct quote that cannot be located in ``article``."""
    problems: list[Problem] = []
    for kind in EVENT_LISTS:
        for i, record in enumerate(getattr(draft, kind)):
            for j, evidence in enumerate(record.evidence):
                if locate_quote(evidence.quote, article) is None:
                    problems.append(
                        Problem(
                            kind,
                            i,
                            f"{kind}.{i}.evidence.{j}.quote: evidence quote not found in the "
                            f"article: {evidence.quote!r}. Copy the passage verbatim from the "
                            "article, or leave this record out.",
                        )
                    )
            quote = getattr(record, "quote", None)
            if quote is not None and locate_quote(quote, article) is None:
                problems.append(
                    Problem(
                        kind,
                        i,
                        f"{kind}.{i}.quote: direct quote not found in the article: {quote!r}. "
                        "Copy the quoted words verbatim, or set quote to null for reported speech.",
                    )
                )
    return problems


def status_problems(draft: ArticleDraft) -> list[Problem]:
    """Records marked ``occurred`` whose every quote is hedged or future ("is likely to").

    Statements are left out: their status is the act of saying, and what was said
    ("the United States will not leave") is often in the future.
    """
    problems: list[Problem] = []
    for kind in ("meetings", "visits", "warrants"):
        for i, record in enumerate(getattr(draft, kind)):
            message = status_problem(record.status, [e.quote for e in record.evidence])
            if message is not None:
                problems.append(Problem(kind, i, f"{kind}.{i}.status: {message}", drop=False))
    return problems


def answer_problems(draft: ArticleDraft, article: str) -> list[Problem]:
    """What to send back once about a schema-valid answer: ungrounded quotes, hedged statuses."""
    return [*grounding_problems(draft, article), *status_problems(draft)]
