"""Checks on a parsed answer against the article: every quote must stand in it."""

from __future__ import annotations

from dataclasses import dataclass

from newsschema._records import BUILTIN_TYPES, EventTypes, Part, event_type
from newsschema._text import locate_quote, status_problem

__all__ = ["Problem", "answer_problems", "grounding_problems", "status_problems"]


@dataclass(frozen=True)
class Problem:
    """One record's quote that the article does not contain."""

    kind: str  # "meetings", "statements" ...
    index: int
    message: str  # one line, names where and what, as sent back to the model
    drop: bool = True  # still there after the re-ask: drop the record (else keep it)


def grounding_problems(
    draft: Part, article: str, types: EventTypes = BUILTIN_TYPES
) -> list[Problem]:
    """Every evidence quote and verbatim quote field that cannot be located in ``article``."""
    problems: list[Problem] = []
    for cls in types:
        spec = event_type(cls)
        kind = spec.plural
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
            for field in spec.quote_fields:
                quote = getattr(record, field, None)
                if quote is not None and locate_quote(quote, article) is None:
                    problems.append(
                        Problem(
                            kind,
                            i,
                            f"{kind}.{i}.{field}: direct quote not found in the article: "
                            f"{quote!r}. Copy the quoted words verbatim, or set {field} to "
                            "null for reported speech.",
                        )
                    )
    return problems


def status_problems(draft: Part, types: EventTypes = BUILTIN_TYPES) -> list[Problem]:
    """Records marked ``occurred`` whose every quote is hedged or future ("is likely to").

    Types declared with ``check_modality=False`` are left out (statements: their
    status is the act of saying, and what was said is often in the future).
    """
    problems: list[Problem] = []
    for cls in types:
        spec = event_type(cls)
        if not spec.check_modality:
            continue
        kind = spec.plural
        for i, record in enumerate(getattr(draft, kind)):
            message = status_problem(record.status, [e.quote for e in record.evidence])
            if message is not None:
                problems.append(Problem(kind, i, f"{kind}.{i}.status: {message}", drop=False))
    return problems


def answer_problems(draft: Part, article: str, types: EventTypes = BUILTIN_TYPES) -> list[Problem]:
    """What to send back once about a schema-valid answer: ungrounded quotes, hedged statuses."""
    return [*grounding_problems(draft, article, types), *status_problems(draft, types)]
