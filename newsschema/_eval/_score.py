"""Counting: precision, recall and F1 per event type, field accuracy, grounding.

A pair (:func:`newsschema._eval._match.match_events`) is a true positive, an
unpaired gold record a false negative, an unpaired predicted record a false
positive. Precision, recall and F1 are computed per type over all articles
pooled (and micro-averaged over the types scored); with an empty denominator the
value is 1.0 when the other count is also zero (nothing to find, nothing
claimed), else 0.0. Field accuracy is measured on pairs only: time (equal TIMEX3
values; both missing counts as equal), status (equal), place (types with a place
field: both missing, or matching names). Grounding is the share of predicted
records whose every evidence quote is located in the article by
:func:`newsschema.locate_quote`; records the library dropped for ungrounded
evidence (``ArticleSummary.dropped``) count as ungrounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from newsschema._records import ArticleSummary, Event, EventType, EventTypes

from ._gold import GoldArticle, chosen, first_name, primary_actors
from ._match import Pair, locate, match_events

__all__ = [
    "ArticleError",
    "ArticleResult",
    "EvalReport",
    "FieldScore",
    "Grounding",
    "Scores",
    "TypeScores",
    "score",
]


def _ratio(numerator: int, denominator: int, other: int) -> float:
    if denominator:
        return numerator / denominator
    return 1.0 if other == 0 else 0.0


class Scores(BaseModel):
    """True positives, false positives, false negatives and what follows from them."""

    model_config = ConfigDict(frozen=True)

    gold: int = Field(description="Gold records (tp + fn).")
    predicted: int = Field(description="Predicted records (tp + fp).")
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> Scores:
        """Scores from counts (an empty denominator gives 1.0 if nothing else is counted)."""
        precision = _ratio(tp, tp + fp, fn)
        recall = _ratio(tp, tp + fn, fp)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(gold=tp + fn, predicted=tp + fp, tp=tp, fp=fp, fn=fn,
                   precision=precision, recall=recall, f1=f1)  # fmt: skip


class FieldScore(BaseModel):
    """Accuracy of one field over paired records."""

    model_config = ConfigDict(frozen=True)

    correct: int
    total: int
    accuracy: float | None = Field(description="correct / total; None when nothing was paired.")

    @classmethod
    def of(cls, correct: int, total: int) -> FieldScore:
        """A field score from counts."""
        return cls(correct=correct, total=total, accuracy=correct / total if total else None)


class TypeScores(Scores):
    """Scores of one event type, with field accuracy on its pairs."""

    fields: dict[str, FieldScore] = Field(description="time, status, and place where it applies.")


class Grounding(BaseModel):
    """Share of predicted records whose evidence is located in the article."""

    model_config = ConfigDict(frozen=True)

    grounded: int
    predicted: int = Field(description="Predicted records, those the library dropped included.")
    dropped: int = Field(description="Records the library dropped (counted as ungrounded).")
    share: float | None = Field(description="grounded / predicted; None with no prediction.")


class ArticleError(BaseModel):
    """Why an article has no (or no usable) prediction."""

    model_config = ConfigDict(frozen=True)

    id: str
    error: str = Field(description="Exception class, or a short tag.")
    message: str


class ArticleResult(BaseModel):
    """One article's counts, pairs, and the records left unpaired."""

    model_config = ConfigDict(frozen=True)

    id: str
    error: ArticleError | None = None
    scores: dict[str, Scores]
    pairs: list[Pair]
    missed: list[str] = Field(description="Gold records left unpaired, as 'type[i]: who'.")
    spurious: list[str] = Field(description="Predicted records left unpaired, as 'type[i]: who'.")
    grounding: Grounding


class EvalReport(BaseModel):
    """Scores of a set of predictions against the gold set. JSON-serialisable."""

    model_config = ConfigDict(frozen=True)

    model: str | None = Field(default=None, description="Model evaluated, when known.")
    articles: int
    types: dict[str, TypeScores]
    micro: Scores = Field(description="Micro-average over the types scored.")
    fields: dict[str, FieldScore] = Field(description="Field accuracy over all types' pairs.")
    grounding: Grounding
    errors: list[ArticleError] = Field(description="Every article-level error; never hidden.")
    per_article: list[ArticleResult]


def _describe(who: Sequence[str]) -> str:
    return ", ".join(first_name(name) for name in who)


def _is_grounded(record: Event, text: str) -> bool:
    return all(locate(e.quote, text) is not None for e in record.evidence)


def _grounding(grounded: int, predicted: int, dropped: int) -> Grounding:
    return Grounding(grounded=grounded, predicted=predicted, dropped=dropped,
                     share=grounded / predicted if predicted else None)  # fmt: skip


def _score_article(
    article: GoldArticle,
    summary: ArticleSummary | None,
    error: ArticleError | None,
    kinds: Sequence[EventType],
) -> ArticleResult:
    scores: dict[str, Scores] = {}
    all_pairs: list[Pair] = []
    missed: list[str] = []
    spurious: list[str] = []
    grounded = predicted_count = 0
    for kind in kinds:
        gold = article.events(kind.plural)
        predicted = summary.of(kind.record) if summary is not None else []
        pairs = match_events(kind, gold, predicted, article.text)
        all_pairs.extend(pairs)
        paired_gold = {p.gold for p in pairs}
        paired_pred = {p.predicted for p in pairs}
        missed += [
            f"{kind.plural}[{i}]: {_describe(primary_actors(kind, g))}"
            for i, g in enumerate(gold)
            if i not in paired_gold
        ]
        spurious += [
            f"{kind.plural}[{i}]: {_describe(primary_actors(kind, p))}"
            for i, p in enumerate(predicted)
            if i not in paired_pred
        ]
        scores[kind.plural] = Scores.of(
            len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs)
        )
        grounded += sum(_is_grounded(p, article.text) for p in predicted)
        predicted_count += len(predicted)
    dropped = len(summary.dropped) if summary is not None else 0
    return ArticleResult(
        id=article.id,
        error=error,
        scores=scores,
        pairs=all_pairs,
        missed=missed,
        spurious=spurious,
        grounding=_grounding(grounded, predicted_count + dropped, dropped),
    )


_FIELDS: dict[str, Callable[[Pair], bool | None]] = {
    "time": lambda p: p.time_correct,
    "status": lambda p: p.status_correct,
    "place": lambda p: p.place_correct,
}


def _field_scores(pairs: Sequence[Pair], names: Iterable[str]) -> dict[str, FieldScore]:
    out: dict[str, FieldScore] = {}
    for name in names:
        values = [v for v in map(_FIELDS[name], pairs) if v is not None]
        out[name] = FieldScore.of(sum(values), len(values))
    return out


def _article_error(
    article: GoldArticle, summary: ArticleSummary | None, cause: BaseException | str | None
) -> ArticleError | None:
    if cause is not None:
        return ArticleError(
            id=article.id,
            error=type(cause).__name__ if isinstance(cause, BaseException) else "error",
            message=str(cause),
        )
    if summary is None:
        return ArticleError(
            id=article.id, error="missing", message="no prediction for this article"
        )
    return None


def score(
    gold: Sequence[GoldArticle],
    predicted: Mapping[str, ArticleSummary],
    *,
    errors: Mapping[str, BaseException | str] | None = None,
    model: str | None = None,
    events: EventTypes | None = None,
) -> EvalReport:
    """Score predicted summaries (by gold article id) against the gold set.

    A gold article without a prediction counts as predicted-empty and is listed
    in ``errors`` (with the error given in ``errors``, if any); a prediction for
    an id not in the gold set is listed there too and not scored. The matching
    rule and the measures are stated in the docstrings of this package's modules.

    Args:
        gold: the gold articles, e.g. from :func:`load_gold`.
        predicted: one ``ArticleSummary`` per gold article id.
        errors: why some articles have no prediction (an exception or a message).
        model: the model evaluated, recorded in the report.
        events: the event types scored (default: the four built-ins); every gold
            article must carry their lists.

    Returns:
        The report: per-type precision, recall, F1 and field accuracy, the
        micro-average, grounding, every error, and per-article details.
    """
    kinds = chosen(events)
    errors = dict(errors or {})
    listed: list[ArticleError] = []
    results: list[ArticleResult] = []
    for article in gold:
        summary = predicted.get(article.id)
        error = _article_error(article, summary, errors.get(article.id))
        if error is not None:
            listed.append(error)
        results.append(_score_article(article, summary, error, kinds))
    for extra in sorted(set(predicted) - {article.id for article in gold}):
        listed.append(
            ArticleError(
                id=extra, error="unknown", message="prediction for an id not in the gold set"
            )
        )

    types: dict[str, TypeScores] = {}
    all_pairs = [pair for result in results for pair in result.pairs]
    for kind in kinds:
        counts = [r.scores[kind.plural] for r in results]
        base = Scores.of(
            sum(c.tp for c in counts), sum(c.fp for c in counts), sum(c.fn for c in counts)
        )
        names = ("time", "status", "place") if kind.place_fields else ("time", "status")
        types[kind.plural] = TypeScores(
            **base.model_dump(),
            fields=_field_scores([p for p in all_pairs if p.type == kind.plural], names),
        )
    micro = Scores.of(
        sum(t.tp for t in types.values()),
        sum(t.fp for t in types.values()),
        sum(t.fn for t in types.values()),
    )
    grounding = _grounding(
        sum(r.grounding.grounded for r in results),
        sum(r.grounding.predicted for r in results),
        sum(r.grounding.dropped for r in results),
    )
    return EvalReport(
        model=model,
        articles=len(gold),
        types=types,
        micro=micro,
        fields=_field_scores(all_pairs, ("time", "status", "place")),
        grounding=grounding,
        errors=listed,
        per_article=results,
    )
