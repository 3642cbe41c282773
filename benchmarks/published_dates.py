"""Publication dates found in article text, against what is known of the truth.

Usage:
    python benchmarks/published_dates.py [--bbc DIR] [--voa JSONL] [--timebank DIR]
        [--seed TXT] [--before REV] [--output MD]

``find_published`` runs over three corpora, before and after a change:

- VOA (89 stories, JSON Lines): each story's ``published`` field is the true
  date; a found date is correct when it is that date (UTC, as the field is).
- BBC politics (408 articles, one text file each): no dateline, and the true
  date is unknown; the corpus covers 2004-2005, so a date found outside those
  years is certainly wrong, and one inside them is listed to be read.
- TimeBank (256 TimeML documents of TempEval-3, newswire 1989-2000): the text of
  each ``<TEXT>`` with its tags removed; the document creation time (``<DCT>``)
  is the true date.

A second table checks that header dates are read where they are printed: each
VOA story is given a header in one of the forms papers use, written from its
``published`` field (constructed, not copied), above its own text.

"before" is ``newsschema/_time.py`` at revision ``--before`` (by default the
last revision that fell back to the first full date in the body), imported from
a temporary file; "after" is the working tree. Every date found is listed with
the line it came from. The data paths default to the development copies beside
the repository (``../shared/data``), which the project never reads elsewhere.
The report goes to ``--output`` (``benchmarks/PUBLISHED.md``) and to stdout.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType

import newsschema._text._time._published as after_module

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BEFORE = "82767fd5ec6e945ded7708f4734d9e5a208a1c0f"
BBC_YEARS = (2004, 2005)
CORPORA = ("VOA", "BBC", "TimeBank")

Finder = Callable[[str], "tuple[date, str] | None"]


@dataclass(frozen=True)
class Article:
    corpus: str
    name: str
    text: str
    truth: date | None  # None: unknown


@dataclass
class Tally:
    articles: int = 0
    found: int = 0
    correct: int = 0
    wrong: int = 0
    to_read: int = 0
    rows: list[str] = field(default_factory=list)


def load_before(rev: str) -> ModuleType:
    """``newsschema/_time.py`` at ``rev``, imported as a module of the package."""
    source = subprocess.run(
        ["git", "show", f"{rev}:newsschema/_time.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The package has since been laid out by layer: point the old relative imports at
    # the packages that now hold those names.
    source = source.replace("from ._schemas import", "from newsschema._records import")
    source = source.replace("from ._errors import", "from newsschema._errors import")
    path = Path(tempfile.mkdtemp()) / "_time_before.py"
    path.write_text(source, encoding="utf-8")
    # A name inside the package, where the module stood at that revision.
    spec = importlib.util.spec_from_file_location("newsschema._time_before", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read_corpora(bbc: Path, voa: Path, timebank: Path) -> list[Article]:
    articles = [
        Article("BBC", p.name, p.read_text(encoding="utf-8", errors="replace"), None)
        for p in sorted(bbc.glob("*.txt"))
    ]
    for line in voa.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        truth = date.fromisoformat(story["published"][:10])
        articles.append(Article("VOA", story["id"], story["text"], truth))
    for path in sorted(timebank.rglob("*.tml")):
        xml = path.read_text(encoding="utf-8")
        dct = re.search(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", xml, re.DOTALL)
        body = re.search(r"<TEXT>(.*?)</TEXT>", xml, re.DOTALL)
        if dct is None or body is None:
            continue
        text = re.sub(r"<[^>]+>", "", body.group(1))
        articles.append(Article("TimeBank", path.stem, text, date.fromisoformat(dct.group(1))))
    return articles


def where(text: str, found: date) -> str:
    """The words around the date found, for reading."""
    for line in text.splitlines():
        for match in after_module._WRITTEN_DATE.finditer(line):
            if after_module._explicit_day(match.group()) == found:
                start = max(match.start() - 60, 0)
                snippet = line[start : match.end() + 40].replace("|", "/")
                return ("..." if start else "") + snippet + "..."
    return "(not a written date)"


def shown(found: tuple[date, str] | None) -> str:
    return "none" if found is None else f"{found[0]} ({found[1]})"


def tally(articles: Iterable[Article], find: Finder) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for article in articles:
        t = tallies.setdefault(article.corpus, Tally())
        t.articles += 1
        result = find(article.text)
        if result is None:
            continue
        found, source = result
        t.found += 1
        if article.truth is not None:
            verdict = "correct" if found == article.truth else "wrong"
        elif not BBC_YEARS[0] <= found.year <= BBC_YEARS[1]:
            verdict = "wrong"
        else:
            verdict = "to read"
        t.correct += verdict == "correct"
        t.wrong += verdict == "wrong"
        t.to_read += verdict == "to read"
        truth = article.truth.isoformat() if article.truth else "unknown"
        t.rows.append(
            f"| {article.corpus} {article.name} | {found} | {source} | {truth} | {verdict} "
            f"| {where(article.text, found)} |"
        )
    return tallies


# Header forms, each written from a story's true date and title.
HEADERS: dict[str, Callable[[date, str], str]] = {
    "date line": lambda d, t: f"{t}\n{d:%A}, {d:%B} {d.day}, {d.year}\n",
    "labelled": lambda d, t: f"{t}\nPublished {d.day} {d:%B} {d.year}, 10:32 GMT\n",
    "byline": lambda d, t: f"{t}\nBy A. Writer | {d:%b}. {d.day}, {d.year}\n",
    "dateline": lambda d, t: f"{t}\nWASHINGTON, {d:%b}. {d.day}, {d.year} (VOA) -\n",
    "dash dateline": lambda d, t: f"{t}\nWASHINGTON \u2014 {d:%A}, {d:%B} {d.day}, {d.year}\n",
}


def header_recall(articles: Iterable[Article], find: Finder) -> list[tuple[str, int, int]]:
    """For each header form: stories, and how many of them find_published dates right."""
    stories = [a for a in articles if a.corpus == "VOA" and a.truth is not None]
    rows = []
    for form, header in HEADERS.items():
        right = 0
        for story in stories:
            assert story.truth is not None
            title = story.text.split(". ")[0][:60]
            found = find(header(story.truth, title) + "\n" + story.text)
            right += found is not None and found[0] == story.truth
        rows.append((form, len(stories), right))
    return rows


def report(
    before: dict[str, Tally],
    after: dict[str, Tally],
    seed: tuple[str, str],
    recall: tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]],
    rev: str,
) -> str:
    lines = [
        "# Publication dates found in article text",
        "",
        "`python benchmarks/published_dates.py` (see its docstring). `find_published` before",
        f"(`newsschema/_time.py` at `{rev[:7]}`) and after (this tree).",
        "VOA: the `published` field is the truth; TimeBank: the document creation time.",
        "BBC: no dateline and no known date; the",
        f"corpus covers {BBC_YEARS[0]}-{BBC_YEARS[1]}, so a date outside those years is wrong,",
        "one inside them is to be read.",
        "",
        "| corpus | articles | run | found | correct | wrong | to read |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for corpus in CORPORA:
        for run, tallies in (("before", before), ("after", after)):
            t = tallies.get(corpus, Tally())
            lines.append(
                f"| {corpus} | {t.articles} | {run} | {t.found} | {t.correct} | {t.wrong} "
                f"| {t.to_read} |"
            )
    lines += [
        "",
        "Header dates read where papers print them: each VOA story under a header written",
        "from its `published` date (constructed, not copied; see the script).",
        "",
        "| header form | stories | right before | right after |",
        "|---|---:|---:|---:|",
    ]
    for (form, n, right_before), (_, _, right_after) in zip(*recall, strict=True):
        lines.append(f"| {form} | {n} | {right_before} | {right_after} |")
    lines += [
        "",
        f"Seed page (`../shared/seed/article.txt`): before {seed[0]}, after {seed[1]}.",
        "",
    ]
    for run, tallies in (("before", before), ("after", after)):
        rows = [row for corpus in CORPORA for row in tallies.get(corpus, Tally()).rows]
        lines += [f"## Dates found {run}", ""]
        if not rows:
            lines += ["None.", ""]
            continue
        lines += [
            "| article | found | source | true date | verdict | where |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc", type=Path, default=DATA / "bbc_politics")
    parser.add_argument("--voa", type=Path, default=DATA / "voa" / "voa_stories.jsonl")
    parser.add_argument("--timebank", type=Path, default=DATA / "timebank")
    parser.add_argument(
        "--seed", type=Path, default=ROOT.parent / "shared" / "seed" / "article.txt"
    )
    parser.add_argument("--before", default=BEFORE, help="git revision of the 'before' code")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "PUBLISHED.md")
    args = parser.parse_args(argv)
    articles = read_corpora(args.bbc, args.voa, args.timebank)
    old = load_before(args.before)
    seed_text = args.seed.read_text(encoding="utf-8")
    find_after: Finder = after_module.find_published
    text = report(
        tally(articles, old.find_published),
        tally(articles, find_after),
        (shown(old.find_published(seed_text)), shown(after_module.find_published(seed_text))),
        (header_recall(articles, old.find_published), header_recall(articles, find_after)),
        args.before,
    )
    args.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
