"""A summary as tables on a terminal: one per chosen event type, fields read from the type.

Nothing here knows an event type: the columns of each table come from the registry
(``event_type(cls)``), so a user's type shows as the built-ins do. Text from the
article or the model is shown neutralised and never as rich markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from newsschema._io import neutralise

if TYPE_CHECKING:
    from rich.text import Text

    from newsschema._io import ExportedArticle
    from newsschema._records import Event, When

__all__ = ["event_counts", "print_tables", "shown_fields", "value_text"]


def shown_fields(cls: type[Event]) -> tuple[str, ...]:
    """The fields of a type a person reads: those the model fills in, but status."""
    from newsschema._records import event_type

    spec = event_type(cls)
    return tuple(f for f in spec.fields if f in spec.draft.model_fields and f != "status")


def value_text(value: Any) -> str:
    """A field's value in one line: actors and places by name, lists joined by "; "."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(t for t in (value_text(v) for v in value) if t)
    name = getattr(value, "name", None)
    if isinstance(name, str):  # an Actor or a Place
        return name
    return str(value)


def _when(when: When | None) -> str:
    if when is None:
        return ""
    if when.value is None:
        return f"{when.expression} (unresolved)"
    return f"{when.expression} → {when.value}"


def _safe(text: object, style: str = "") -> Text:
    from rich.text import Text

    # Text, never markup: "[bold]" in a headline is the headline's.
    return Text(neutralise(str(text)), style=style)


def _details(record: Event) -> Text:
    from rich.text import Text

    lines = [
        (name.replace("_", " "), value_text(getattr(record, name)))
        for name in shown_fields(type(record))
    ]
    out = Text()
    for label, value in (line for line in lines if line[1]):
        if out:
            out.append("\n")
        out.append(f"{label}: ", style="dim")
        out.append(neutralise(value))
    return out


def event_counts(lists: Mapping[str, Sequence[Any]]) -> str:
    """``6 meetings, 1 protest``: each chosen type's count (a plural key made singular)."""
    from newsschema._records import event_type, type_named

    parts = []
    for plural, records in lists.items():
        cls = type_named(plural)
        word = plural if len(records) != 1 or cls is None else event_type(cls).name
        parts.append(f"{len(records)} {word}")
    return ", ".join(parts)


def print_tables(articles: Sequence[ExportedArticle], console: Any = None) -> None:
    """Each article's headline and summary, then a table per chosen event type."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console if console is not None else Console()
    for article in articles:
        s = article.summary
        console.print(_safe(f"{article.id}: {s.headline or '(no headline)'}", "bold"))
        console.print(_safe(s.summary))
        for plural, records in s.event_lists().items():
            if not records:
                console.print(_safe(f"{plural} (0)", "dim"))
                continue
            table = Table(title=_safe(f"{plural} ({len(records)})"), title_justify="left")
            table.add_column("#")
            table.add_column("status")
            table.add_column("record", overflow="fold")
            # Narrow: the record's fields need the width.
            table.add_column("when", overflow="fold", max_width=22)
            table.add_column("evidence")
            for index, record in enumerate(records):
                found = sum(e.start is not None for e in record.evidence)
                grounded = found == len(record.evidence)
                table.add_row(
                    Text(str(index)),
                    _safe(record.status),
                    _details(record),
                    _safe(_when(record.when)),
                    Text(f"{found}/{len(record.evidence)}", style="" if grounded else "bold red"),
                )
            console.print(table)
        dropped = getattr(s, "dropped", None) or []
        if dropped:
            console.print(Text(f"{len(dropped)} record(s) dropped", style="yellow"))
