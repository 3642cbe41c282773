"""A live progress bar for many-article runs, shown only at a terminal."""

from __future__ import annotations

import sys
import time
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._outcomes import BatchStats

__all__ = ["ProgressDisplay", "human_tokens", "wants_progress"]


def _stdout() -> IO[str]:
    """The stream progress goes to (looked up at call time, so tests can replace it)."""
    return sys.stdout


def wants_progress(progress: bool | None, stream: IO[str] | None = None) -> bool:
    """``progress=`` as given; None means: only when the stream is a terminal."""
    if progress is not None:
        return progress
    isatty = getattr(stream or _stdout(), "isatty", None)
    return bool(isatty()) if callable(isatty) else False


def human_tokens(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M"
    if count >= 10_000:
        return f"{count / 1000:.0f}k"
    return f"{count:,}"


class ProgressDisplay:
    """A rich progress bar: done of total, failed, cached, tokens, rate."""

    def __init__(self, total: int, stats: BatchStats, *, stream: IO[str] | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._stats = stats
        self._started = time.monotonic()
        self._progress = Progress(
            # markup=False: a status can carry a provider's words, never styling.
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}", markup=False),
            TimeElapsedColumn(),
            console=Console(file=stream or _stdout()),
            refresh_per_second=4,
        )
        self._task: Any = self._progress.add_task("articles", total=total, detail="")
        self._progress.start()
        self.update()

    def update(self) -> None:
        s = self._stats
        minutes = max(time.monotonic() - self._started, 1e-9) / 60
        rate = (s.succeeded + s.failed - s.cached) / minutes
        detail = (
            f"ok {s.succeeded}  failed {s.failed}  cached {s.cached}  "
            f"{human_tokens(s.usage.total_tokens)} tokens  {rate:,.0f}/min"
        )
        self._progress.update(
            self._task, completed=s.skipped + s.succeeded + s.failed, detail=detail
        )

    def status(self, text: str) -> None:
        """Replace the description (e.g. the provider batch's status while waiting)."""
        from newsschema._io import terminal_line

        self._progress.update(self._task, description=terminal_line(text))

    def close(self) -> None:
        self.update()
        self._progress.stop()
