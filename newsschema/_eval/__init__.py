"""Evaluation against a gold set: gold files, matching, scoring, running."""

from ._run import load_gold, render_table, run_eval

__all__ = ["load_gold", "render_table", "run_eval"]
