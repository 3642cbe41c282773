"""Time-expression resolution against TimeML gold values (TempEval-3 training data).

Usage:
    python benchmarks/time_accuracy.py [--failures N] [--data TSV]
    python benchmarks/time_accuracy.py --regenerate CORPUS_DIR

Every ``<TIMEX3 type="DATE">`` in the ``<TEXT>`` of the TBAQ-cleaned corpus
(TimeBank + AQUAINT) is one item: the expression as written, the document
creation time (DCT) and the sentence around it go in; the gold ``value``
attribute is the answer, compared as an exact string after one normalisation of
the gold (ISO week numbers padded to two digits: the corpus writes five weeks as
``2000-W7``, which is ``2000-W07``). One run prints the
accuracy of ``newsschema._text._time.resolve_time``, of dateparser alone (mapped to a
TIMEX3 value at the granularity the expression implies), a per-shape table and
some failures.

The benchmark reads only ``benchmarks/data/timebank_dates.tsv``;
``--regenerate`` rebuilds that file from a copy of the corpus (see
``benchmarks/data/SOURCES.md``).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

# The module whose last resort calls the dateparser fallback (counted by _count_fallbacks).
import newsschema._text._time._resolve as newsschema_time
from newsschema._text._time import resolve_time

DATA = Path(__file__).resolve().parent / "data" / "timebank_dates.tsv"
COLUMNS = ("doc", "tid", "dct", "expression", "value", "sentence")


@dataclass(frozen=True)
class Item:
    doc: str
    tid: str
    dct: str
    expression: str
    value: str
    sentence: str


# --------------------------------------------------------------------------------------
# Extraction from the TimeML corpus (only with --regenerate).

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Adm|Maj|Rev|St|Jr|Sr|Co|Corp|Inc"
    r"|Ltd|Bros|No|Nos|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mt|Ft|Ave|a\.m|p\.m"
    r"|U\.S|U\.N|U\.K|E\.U)|\b[A-Z])\.$"
)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` around ``[start, end)``: blank lines and .!? end sentences."""
    left = 0
    for match in re.finditer(r"\n\s*\n|[.!?]['\"]?(?=\s+['\"(]?[A-Z0-9])", text[:start]):
        if match.group().startswith("\n") or not _ABBREVIATIONS.search(text[: match.start() + 1]):
            left = match.end()
    right = len(text)
    for match in re.finditer(r"\n\s*\n|[.!?]['\"]?(?=\s+['\"(]?[A-Z0-9]|\s*$)", text[end:]):
        cut = end + match.start()
        if match.group().startswith("\n") or not _ABBREVIATIONS.search(text[: cut + 1]):
            right = end + match.end()
            break
    return left, right


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text_and_dates(body: ET.Element) -> tuple[str, list[tuple[int, int, ET.Element]]]:
    """The plain text of ``<TEXT>`` and the offsets of its DATE TIMEX3 elements."""
    pieces: list[str] = []
    spans: list[tuple[int, int, ET.Element]] = []

    def walk(element: ET.Element) -> None:
        start = sum(map(len, pieces))
        pieces.append(element.text or "")
        for child in element:
            walk(child)
            pieces.append(child.tail or "")
        if element.tag == "TIMEX3" and element.get("type") == "DATE":
            spans.append((start, sum(map(len, pieces)), element))

    walk(body)
    return "".join(pieces), spans


def extract(corpus: Path) -> list[Item]:
    """Every DATE TIMEX3 in the ``<TEXT>`` of every ``*.tml`` file under ``corpus``."""
    items: list[Item] = []
    files = sorted(corpus.rglob("*.tml"))
    if not files:
        raise SystemExit(f"no .tml files under {corpus}")
    for path in files:
        root = ET.parse(path).getroot()
        doc = (root.findtext("DOCID") or path.stem).strip()
        dct = root.find("DCT/TIMEX3")
        body = root.find("TEXT")
        if dct is None or body is None:
            raise SystemExit(f"{path}: no <DCT><TIMEX3> or no <TEXT>")
        text, spans = _text_and_dates(body)
        for start, end, timex in spans:
            left, right = _sentence_bounds(text, start, end)
            items.append(
                Item(
                    doc=doc,
                    tid=timex.get("tid", ""),
                    dct=dct.get("value", "")[:10],
                    expression=_one_line(text[start:end]),
                    value=timex.get("value", ""),
                    sentence=_one_line(text[left:right]),
                )
            )
    return items


def write(items: Iterable[Item], path: Path) -> None:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(getattr(item, column) for column in COLUMNS) for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read(path: Path) -> list[Item]:
    rows = path.read_text(encoding="utf-8").splitlines()
    if tuple(rows[0].split("\t")) != COLUMNS:
        raise SystemExit(f"{path}: unexpected header {rows[0]!r}")
    return [Item(*row.split("\t")) for row in rows[1:] if row]


def gold_value(item: Item) -> str:
    """The gold value, ISO week numbers padded: ``2000-W7`` is ``2000-W07``.

    TimeML writes weeks as ISO 8601 does, with two digits (``1998-W08``); five gold
    values of the corpus leave the zero out. That is a spelling of the same week,
    so it is corrected here rather than imitated by the systems.
    """
    return re.sub(r"(?<=-W)(\d)(?!\d)", r"0\1", item.value)


# --------------------------------------------------------------------------------------
# Shapes: what the expression looks like, read from its text alone (not from the gold
# value, and not with the library's own rules), so both systems are split the same way.

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
SHAPES: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("explicit full date", rf"{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH} \d{{4}}"),
        ("month-year", rf"{_MONTH},? (?:of )?(?:\d{{4}}|nineteen)"),
        ("month-day", rf"{_MONTH} \d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}"),
        ("weekday", rf"\b{_WEEKDAY}\b"),
        ("month name", rf"\b{_MONTH}(?!\w)"),
        ("relative day", r"\b(?:today|tonight|yesterday|tomorrow|days? ago)\b"),
        (
            "REF word",
            r"^(?:right )?now$|current|recent|^the past$|past years|future|soon|"
            r"^once$|previously|these days|^already$|^earlier$|^later$|coming|near term|"
            r"short term|several|a few|^then",
        ),
        ("season", r"\b(?:spring|summer|fall|autumn|winter)\b"),
        ("quarter/half", r"quarter|\bhalf\b"),
        ("relative week", r"\bweek(?:end)?s?\b"),
        ("relative month", r"\bmonths?\b"),
        ("decade/century", r"\d0'?s\b|'\d0s|century|decade|nineties|eighties|seventies|sixties"),
        ("year number", r"\b\d{4}\b|'\d\d\b|nineteen|two thousand"),
        ("relative year", r"\byears?\b|year-(?:ago|earlier|end)"),
    ]
]


def shape(expression: str) -> str:
    for name, pattern in SHAPES:
        if pattern.search(expression):
            return name
    return "other"


# --------------------------------------------------------------------------------------
# The two systems.


def library(item: Item) -> str | None:
    return resolve_time(item.expression, item.dct, context=item.sentence).value


def dateparser_alone(language: str = "en") -> Callable[[Item], str | None]:
    """dateparser with the DCT as RELATIVE_BASE, preferring the past (news reports it).

    Its own reading of the period (day, week, month, year) sets the TIMEX3 granularity.
    Any item with ``dct`` and ``expression`` will do (``time_languages.py`` uses it too).
    """
    from dateparser.date import DateDataParser

    parsers: dict[str, DateDataParser] = {}

    def run(item: Item) -> str | None:
        parser = parsers.get(item.dct)
        if parser is None:
            base = datetime.fromisoformat(item.dct)
            settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
            parser = parsers[item.dct] = DateDataParser(
                languages=[language], settings={**settings, "RETURN_TIME_AS_PERIOD": True}
            )
        try:
            data = parser.get_date_data(item.expression)
        except (ValueError, OverflowError, ArithmeticError, LookupError):
            return None  # dateparser gave up on the text
        if data.date_obj is None:
            return None
        day = data.date_obj.date()
        if data.period == "year":
            return f"{day.year:04d}"
        if data.period == "month":
            return f"{day.year:04d}-{day.month:02d}"
        if data.period == "week":
            iso = day.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        return day.isoformat()

    return run


# --------------------------------------------------------------------------------------
# Report.


@dataclass
class Tally:
    total: int = 0
    outside: int = 0
    ours: int = 0
    theirs: int = 0
    unresolved: int = 0

    def add(self, ours: bool, theirs: bool, unresolved: bool, outside: bool) -> None:
        self.total += 1
        self.outside += outside
        self.ours += ours
        self.theirs += theirs
        self.unresolved += unresolved


# TimeML values a date resolver does not return: unknown parts ("1989-QX", "199X")
# and durations mis-typed as DATE ("P1W"). Parts of the day ("2000-01-05TEV") and clock
# times ("2000-04-04T09:00") are values resolve_time returns, so they count as reachable.
_UNREACHABLE = re.compile(r".*X.*|P\d.*")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _count_fallbacks() -> list[int]:
    """Count the expressions the library hands to its dateparser fallback and it reads."""
    counter = [0]
    original = newsschema_time._dateparser_explicit

    def counting(expression: str) -> date | None:
        found = original(expression)
        counter[0] += found is not None
        return found

    newsschema_time._dateparser_explicit = counting
    return counter


def evaluate(items: list[Item], failures: int) -> None:
    dateparser_run = dateparser_alone()
    fallbacks = _count_fallbacks()
    by_shape: dict[str, Tally] = {}
    overall = Tally()
    misses: list[tuple[Item, str | None]] = []
    ours_seconds = 0.0
    for item in items:
        tick = time.perf_counter()
        got = library(item)
        ours_seconds += time.perf_counter() - tick
        theirs = dateparser_run(item)
        tally = by_shape.setdefault(shape(item.expression), Tally())
        gold = gold_value(item)
        for target in (tally, overall):
            outside = _UNREACHABLE.fullmatch(gold) is not None
            target.add(got == gold, theirs == gold, got is None, outside)
        if got != gold:
            misses.append((item, got))
    n = overall.total
    docs = len({item.doc for item in items})
    unreachable = overall.outside
    print(f"TimeML DATE expressions: {n} in {docs} documents (TempEval-3 TBAQ, development set)")
    print(f"  newsschema resolve_time  {overall.ours:5d}  {_pct(overall.ours, n)}")
    print(f"  dateparser alone         {overall.theirs:5d}  {_pct(overall.theirs, n)}")
    print(
        f"  newsschema: {n - overall.ours - overall.unresolved} wrong values, "
        f"{overall.unresolved} left unresolved; {fallbacks[0]} read by its dateparser fallback; "
        f"{1000 * ours_seconds / n:.2f} ms per expression"
    )
    print(
        f"  {unreachable} gold values are outside what a date resolver returns ('X' parts, "
        f"durations):\n  on the other {n - unreachable}, newsschema scores "
        f"{_pct(overall.ours, n - unreachable).strip()}"
    )
    print()
    print(
        f"{'shape':<20} {'n':>5} {'outside':>8} {'newsschema':>11} {'dateparser':>11}"
        f" {'unresolved':>11}"
    )
    for name in [name for name, _ in SHAPES] + ["other"]:
        t = by_shape.get(name)
        if t is not None:
            print(
                f"{name:<20} {t.total:>5} {t.outside:>8} {_pct(t.ours, t.total):>11}"
                f" {_pct(t.theirs, t.total):>11} {_pct(t.unresolved, t.total):>11}"
            )
    if failures and misses:
        step = max(len(misses) // failures, 1)
        print(f"\nFailures of newsschema, every {step}th of {len(misses)}:")
        for item, got in misses[::step][:failures]:
            print(
                f"  {item.doc} {item.tid} {item.expression!r} dct={item.dct} "
                f"gold={gold_value(item)} got={got}\n      {item.sentence[:150]}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the extracted TSV")
    parser.add_argument("--failures", type=int, default=12, help="failures to print")
    parser.add_argument(
        "--regenerate",
        type=Path,
        metavar="CORPUS_DIR",
        help="rebuild --data from a TimeML corpus directory (TBAQ-cleaned), then run",
    )
    args = parser.parse_args(argv)
    if args.regenerate is not None:
        items = extract(args.regenerate)
        write(items, args.data)
        print(f"wrote {len(items)} items to {args.data}\n")
    evaluate(read(args.data), args.failures)


if __name__ == "__main__":
    sys.exit(main())
