"""Evaluation against a gold set, split by job.

``_gold`` reads and checks the gold files (a gold format derived from each event
type), ``_match`` pairs predicted with gold records, ``_score`` counts, and
``_run`` summarises the gold articles with a model and renders the report.
"""

from newsschema._errors import GoldSetError

from ._gold import GoldArticle, GoldEvent, GoldTime, gold_model, load_gold
from ._match import Pair, match_events, names_match, times_compatible, timex_period
from ._run import render_table, run_eval
from ._score import (
    ArticleError,
    ArticleResult,
    EvalReport,
    FieldScore,
    Grounding,
    Scores,
    TypeScores,
    score,
)

__all__ = [
    "ArticleError",
    "ArticleResult",
    "EvalReport",
    "FieldScore",
    "GoldArticle",
    "GoldEvent",
    "GoldSetError",
    "GoldTime",
    "Grounding",
    "Pair",
    "Scores",
    "TypeScores",
    "gold_model",
    "load_gold",
    "match_events",
    "names_match",
    "render_table",
    "run_eval",
    "score",
    "times_compatible",
    "timex_period",
]
