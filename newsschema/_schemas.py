"""Compatibility: the records now live in ``newsschema._records``."""

from ._records import *  # noqa: F403
from ._records import article_draft
from ._usage import Usage

ArticleDraft = article_draft()

__all__ = ["ArticleDraft", "Usage"]
