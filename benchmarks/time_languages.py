"""Time expressions in other languages: newsschema beside dateparser alone, per language.

Usage:
    python benchmarks/time_languages.py [--failures N] [--language LANG ...]
    python benchmarks/time_languages.py --regenerate-es MEANTIME_ES_BIO_TSV

Each ``benchmarks/data/time_<lang>*.tsv`` holds one item a line (``doc``, ``dct``,
``text``, ``value``, ``context``): an expression as written, the publication date,
the gold TIMEX3 value and the sentence. Spanish is MEANTIME's Wikinews gold, in
two halves: ``time_es_meantime.tsv`` (documents 0-59, used while writing the word
lists) and ``time_es_meantime_heldout.tsv`` (documents 60-119, not looked at while
writing them); the other sets are sentences written for this benchmark (see
``benchmarks/data/SOURCES.md``). One row a set. Both systems get the expression,
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


def extract_meantime(path: Path) -> list[list[str]]:
    """Every DATE of MEANTIME's BIO file (XTN-timexes ``datasets/meantime/es/test.tsv``).

    One row per ``B-DATE``/``I-DATE`` run of one value: document number, publication
    date (the document's ``DCTVALUE``), the expression, the gold value and its
    sentence (the blank-line block, tokens joined by spaces).
    """
    docs: list[tuple[str, list[list[list[str]]]]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        rows = [line.split("\t") for line in block.strip("\n").split("\n") if line.strip()]
        if not rows:
            continue
        dct = re.match(r'\*!-DCTVALUE="([^"]+)"-!\*', rows[0][0])
        if dct is not None:
            docs.append((dct.group(1)[:10], []))
            rows = rows[1:]
        if rows:
            docs[-1][1].append(rows)
    items = []
    for number, (dct, sentences) in enumerate(docs):
        for sentence in sentences:
            context = " ".join(row[0] for row in sentence)
            i = 0
            while i < len(sentence):
                if sentence[i][1] != "B-DATE":
                    i += 1
                    continue
                value, j = sentence[i][2], i + 1
                while j < len(sentence) and sentence[j][1] == "I-DATE" and sentence[j][2] == value:
                    j += 1
                text = " ".join(row[0] for row in sentence[i:j])
                items.append([f"es{number:03d}", dct, text, value, context])
                i = j
    return items


def regenerate_spanish(path: Path) -> None:
    """Write the development (documents 0-59) and held-out (60-119) Spanish sets."""
    items = extract_meantime(path)
    for name, keep in (("time_es_meantime.tsv", range(60)), ("time_es_meantime_heldout.tsv",
                                                            range(60, 120))):  # fmt: skip
        rows = [item for item in items if int(item[0][2:]) in keep]
        lines = ["\t".join(COLUMNS), *("\t".join(row) for row in rows)]
        (DATA / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(rows)} items to {DATA / name}")


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
    parser.add_argument(
        "--regenerate-es", type=Path, metavar="BIO_TSV",
        help="rebuild the two Spanish sets from MEANTIME's BIO file, then run",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.regenerate_es is not None:
        regenerate_spanish(args.regenerate_es)
    sets: dict[str, list[Path]] = {}
    for path in sorted(DATA.glob("time_*.tsv")):
        language = path.stem.split("_")[1]
        if args.language is None or language in args.language:
            sets.setdefault(language, []).append(path)
    rows = []
    for language, paths in sets.items():
        for path in paths:  # one row a set: Spanish has a development and a held-out half
            items = read(path)
            rows.append((language, path.name, *evaluate(language, items, args.failures)))
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
