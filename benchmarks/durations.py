"""How often ``resolve_duration`` gives the gold TIMEX3 value of a DURATION expression.

Every ``<TIMEX3 type="DURATION">`` in the ``<TEXT>`` of the TBAQ-cleaned corpus
(TimeBank + AQUAINT, TempEval-3 training data) goes in as its text; the answer is
compared with the gold ``value`` as an exact string. The share resolved (any
value) and the share exactly right are printed, overall and by kind of gold
value (a count of a unit, an open count ``PX..``, a compound, a time unit), then
the failures. The items come from ``benchmarks/data/timebank_durations.tsv``;
``--regenerate CORPUS_DIR`` rebuilds that file from a copy of the corpus (see
``benchmarks/data/SOURCES.md``).

    python benchmarks/durations.py [--failures N]
    python benchmarks/durations.py --regenerate /work/shared/data/timebank
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from newsschema import resolve_duration

DATA = Path(__file__).resolve().parent / "data" / "timebank_durations.tsv"
COLUMNS = ("doc", "tid", "expression", "value")


@dataclass(frozen=True)
class Item:
    doc: str
    tid: str
    expression: str
    value: str


def extract(corpus: Path) -> list[Item]:
    """Every DURATION TIMEX3 in the ``<TEXT>`` of every ``*.tml`` file under ``corpus``."""
    items: list[Item] = []
    files = sorted(corpus.rglob("*.tml"))
    if not files:
        raise SystemExit(f"no .tml files under {corpus}")
    for path in files:
        root = ET.parse(path).getroot()
        doc = (root.findtext("DOCID") or path.stem).strip()
        body = root.find("TEXT")
        if body is None:
            raise SystemExit(f"{path}: no <TEXT>")
        for timex in body.iter("TIMEX3"):
            if timex.get("type") == "DURATION":
                text = " ".join("".join(timex.itertext()).split())
                items.append(Item(doc, timex.get("tid", ""), text, timex.get("value", "")))
    return items


def write(items: list[Item], path: Path) -> None:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(getattr(item, column) for column in COLUMNS) for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read(path: Path) -> list[Item]:
    rows = path.read_text(encoding="utf-8").splitlines()
    if tuple(rows[0].split("\t")) != COLUMNS:
        raise SystemExit(f"{path}: unexpected header {rows[0]!r}")
    return [Item(*row.split("\t")) for row in rows[1:] if row]


def kind(value: str) -> str:
    """The shape of a gold value, for the per-kind table."""
    if not value.startswith("P"):
        return "not a period (a date tagged DURATION)"
    if "X" in value:
        return "open count (PXD, PXY ...)"
    if value.startswith("PT"):
        return "time units (PT48H, PT1M ...)"
    if len(re.findall(r"[A-Z]+", value[1:])) > 1:
        return "compound (P2Y6M ...)"
    return "count of a unit (P4D, P2W ...)"


def evaluate(items: list[Item], failures: int) -> None:
    resolved = right = 0
    by_kind: Counter[str] = Counter()
    right_by_kind: Counter[str] = Counter()
    resolved_by_kind: Counter[str] = Counter()
    wrong: list[tuple[Item, str | None]] = []
    for item in items:
        got = resolve_duration(item.expression)
        shape = kind(item.value)
        by_kind[shape] += 1
        if got is not None:
            resolved += 1
            resolved_by_kind[shape] += 1
        if got == item.value:
            right += 1
            right_by_kind[shape] += 1
        else:
            wrong.append((item, got))
    n = len(items)
    print(f"items: {n} DURATION TIMEX3 expressions")
    print(f"resolved (any value): {resolved}/{n} = {resolved / n:.1%}")
    print(f"exactly the gold value: {right}/{n} = {right / n:.1%}")
    print(f"precision (right among resolved): {right}/{resolved} = {right / max(resolved, 1):.1%}")
    print()
    print(f"{'gold value kind':<40} {'items':>5} {'resolved':>8} {'exact':>5}")
    for shape, count in by_kind.most_common():
        print(f"{shape:<40} {count:>5} {resolved_by_kind[shape]:>8} {right_by_kind[shape]:>5}")
    if failures:
        print(f"\nfirst {min(failures, len(wrong))} of {len(wrong)} misses (gold, got, text):")
        for item, got in wrong[:failures]:
            print(f"  {item.value:<8} {got or '-':<8} {item.expression!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the extracted TSV")
    parser.add_argument("--failures", type=int, default=40, help="misses to print")
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
    main()
