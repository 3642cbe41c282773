"""Time expressions in other languages: newsschema beside dateparser alone, per language.

Usage:
    python benchmarks/time_languages.py [--failures N] [--language LANG ...]

Each ``benchmarks/data/time_<lang>*.tsv`` holds one item a line (``doc``, ``dct``,
``text``, ``value``, ``context``): an expression as written, the publication date,
the gold TIMEX3 value and the sentence. Spanish is MEANTIME's Wikinews gold
(``time_es_meantime.tsv``); the other sets are sentences written for this
benchmark (see ``benchmarks/data/SOURCES.md``). Both systems get the expression,
the publication date and the language; newsschema also gets the sentence.
dateparser's answer is mapped to a TIMEX3 value at the granularity it reports, as
in ``time_accuracy.py``. Values compare as exact strings.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from time_accuracy import dateparser_alone  # this folder: the same baseline as English

from newsschema._text._time import resolve_time

DATA = Path(__file__).resolve().parent / "data"
COLUMNS = ("doc", "dct", "text", "value", "context")
LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
    "pt": "Portuguese", "ru": "Russian", "zh": "Chinese",
}  # fmt: skip
# Gold values no date resolver returns: unknown parts ("2005-WXX-1") and durations.
_UNREACHABLE = re.compile(r".*X.*|P\d.*|FY.*")


@dataclass(frozen=True)
class Item:
    doc: str
    dct: str
    text: str
    value: str
    context: str

    @property
    def expression(self) -> str:
        return self.text


def read(path: Path) -> list[Item]:
    rows = path.read_text(encoding="utf-8").splitlines()
    if tuple(rows[0].split("\t")) != COLUMNS:
        raise SystemExit(f"{path}: unexpected header {rows[0]!r}")
    return [Item(*row.split("\t")) for row in rows[1:] if row and not row.startswith("#")]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def evaluate(language: str, items: list[Item], failures: int) -> tuple[int, int, int, int]:
    """Print the language's misses; return (n, reachable, newsschema, dateparser) counts."""
    theirs_run = dateparser_alone(language)
    ours = theirs = reachable = 0
    misses: list[tuple[Item, str | None, str | None]] = []
    for item in items:
        got = resolve_time(item.text, item.dct, context=item.context, language=language)
        other = theirs_run(item)
        ours += got.value == item.value
        theirs += other == item.value
        reachable += _UNREACHABLE.fullmatch(item.value) is None
        if got.value != item.value:
            misses.append((item, got.value, got.reason))
    if failures and misses:
        print(f"\n{LANGUAGE_NAMES.get(language, language)}: {len(misses)} misses, first {failures}")
        for item, value, reason in misses[:failures]:
            print(f"  {item.text!r} dct={item.dct} gold={item.value} got={value} ({reason})")
    return len(items), reachable, ours, theirs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", type=int, default=0, help="misses to print per language")
    parser.add_argument("--language", action="append", help="only these languages")
    args = parser.parse_args(argv)
    sets: dict[str, list[Path]] = {}
    for path in sorted(DATA.glob("time_*.tsv")):
        language = path.stem.split("_")[1]
        if args.language is None or language in args.language:
            sets.setdefault(language, []).append(path)
    rows = []
    for language, paths in sets.items():
        items = [item for path in paths for item in read(path)]
        source = ", ".join(path.name for path in paths)
        rows.append((language, source, *evaluate(language, items, args.failures)))
    print()
    print("| language | set | n | reachable | newsschema | dateparser alone |")
    print("|---|---|---:|---:|---:|---:|")
    for language, source, n, reachable, ours, theirs in rows:
        name = LANGUAGE_NAMES.get(language, language)
        print(
            f"| {name} ({language}) | `{source}` | {n} | {reachable} | {ours} ({_pct(ours, n)})"
            f" | {theirs} ({_pct(theirs, n)}) |"
        )


if __name__ == "__main__":
    sys.exit(main())
