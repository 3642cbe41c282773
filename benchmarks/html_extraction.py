"""How close the main text newsschema extracts from a web page is to the article's clean text.

Each of the 20 public-domain VOA stories in benchmarks/data/voa_stories.jsonl is
wrapped into a saved-page-like document (benchmarks/voa_pages.py: scripts, menus,
teasers, footer, entities, meta tags) and read back with ``extract_page``
(trafilatura + htmldate), as ``summarize`` reads a page. Measured per page, against
the story's clean text (the same paragraphs):

- sentences recovered: share of the clean text's sentences found verbatim in the
  extracted text (whitespace normalised);
- extra characters: characters of the extracted text outside the clean text
  (boilerplate that got through), and characters of the clean text missing;
- metadata: title, author, canonical URL and publication date equal to the story's;
- tokens sent: newsschema's token estimate of the raw page against the extracted text
  (what a model would be sent without extraction, and with it);
- the same pages with their meta tags and JSON-LD removed ("bare"), for the date
  htmldate still finds in the markup (the ``<time>`` element); and "messy" pages with
  furniture between the story's paragraphs and no ``<article>`` element.

    python benchmarks/html_extraction.py            # prints the table, writes benchmarks/HTML.md
"""

from __future__ import annotations

import difflib
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from voa_pages import clean_text, paragraphs, stories, wrap_page

from newsschema._extraction import estimate_tokens
from newsschema._text import extract_page

OUT = Path(__file__).with_name("HTML.md")
_META = re.compile(
    r'\s*<meta property="(?:og|article):[^>]*>|\s*<script type="application/ld\+json">.*?</script>'
    r'|\s*<meta name="author"[^>]*>|\s*<link rel="canonical"[^>]*>',
    re.DOTALL,
)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _sentences(story: dict[str, Any]) -> list[str]:
    return [s for p in paragraphs(story["text"], per=1) for s in [_norm(p)] if s]


def measure(story: dict[str, Any], *, bare: bool = False, messy: bool = False) -> dict[str, Any]:
    page = wrap_page(story, messy=messy)
    if bare:
        page = _META.sub("", page)
    started = time.perf_counter()
    extracted = extract_page(page)
    seconds = time.perf_counter() - started
    clean = _norm(clean_text(story))
    got = _norm(extracted.text)
    sentences = _sentences(story)
    found = sum(1 for s in sentences if s in got)
    matcher = difflib.SequenceMatcher(None, clean, got, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    published = story["published"][:10]
    leaked = [line.strip() for line in extracted.text.split("\n") if _norm(line) not in clean]
    return {
        "leaked": leaked,
        "id": story["id"],
        "sentences": len(sentences),
        "found": found,
        "extra": len(got) - matched,
        "missing": len(clean) - matched,
        "clean_chars": len(clean),
        "exact": got == clean,
        "title": extracted.title == story["title"],
        "author": extracted.author == story["author"],
        "url": extracted.url == story["url"],
        "date": extracted.published is not None and extracted.published.isoformat() == published,
        "page_tokens": estimate_tokens(page),
        "text_tokens": estimate_tokens(extracted.text),
        "seconds": seconds,
    }


def _share(rows: list[dict[str, Any]], key: str) -> str:
    return f"{sum(1 for r in rows if r[key])}/{len(rows)}"


_FURNITURE = {
    "photo caption": "(AP Photo)",
    "advertisement slot": "Advertisement",
    "'Read more:' teaser": "Read more:",
    "newsletter box": "inbox.",
}


def _furniture_note(messy: list[dict[str, Any]]) -> str:
    leaked = " ".join(x for r in messy for x in r["leaked"])
    kept = [name for name, mark in _FURNITURE.items() if mark in leaked]
    dropped = [name for name in _FURNITURE if name not in kept]
    return (
        f"Dropped on every page: {', '.join(dropped) or 'none'}; got through: "
        f"{', '.join(kept) or 'none'}. What gets through reaches the model as text, and the "
        "prompt's rule (events from the main article only) has to handle it, as it does for "
        "furniture in a plain-text article."
    )


def _summary_row(name: str, rows: list[dict[str, Any]]) -> str:
    sentences = sum(r["sentences"] for r in rows)
    found = sum(r["found"] for r in rows)
    clean = sum(r["clean_chars"] for r in rows)
    extra = sum(r["extra"] for r in rows)
    missing = sum(r["missing"] for r in rows)
    return (
        f"| {name} | {found}/{sentences} ({100 * found / sentences:.1f}%) | "
        f"{_share(rows, 'exact')} | {extra:,} ({100 * extra / clean:.2f}%) | "
        f"{missing:,} ({100 * missing / clean:.2f}%) | {_share(rows, 'date')} |"
    )


def report(
    rows: list[dict[str, Any]], bare: list[dict[str, Any]], messy: list[dict[str, Any]]
) -> str:
    sentences = sum(r["sentences"] for r in rows)
    found = sum(r["found"] for r in rows)
    extra = sum(r["extra"] for r in rows)
    missing = sum(r["missing"] for r in rows)
    clean = sum(r["clean_chars"] for r in rows)
    page_tokens = sum(r["page_tokens"] for r in rows)
    text_tokens = sum(r["text_tokens"] for r in rows)
    lines = [
        "# HTML extraction: a page's main text against the article's clean text",
        "",
        f"{len(rows)} public-domain VOA stories (benchmarks/data/voa_stories.jsonl), each wrapped",
        "into a page built for the measurement by benchmarks/voa_pages.py (scripts, navigation",
        "menu, breaking-news banner, share buttons, a 'most read' sidebar of teasers, related",
        "stories, cookie notice, footer; `&quot;`, `&rsquo;`, `&ldquo;` entities; og:title,",
        "article:published_time, canonical link, JSON-LD), read back with `extract_page`",
        "(trafilatura + htmldate), as `summarize` reads a page. These are pages built for the",
        "test, not saved originals: one template, so the figures say how the extraction treats",
        "this kind of furniture, not how it fares across the web's sites.",
        "",
        "Reproduce: `pip install -e '.[html]' && python benchmarks/html_extraction.py`",
        "",
        "| measure | result |",
        "|---|---|",
        f"| clean-text sentences recovered verbatim | {found}/{sentences} "
        f"({100 * found / sentences:.1f}%) |",
        f"| pages whose extracted text equals the clean text (whitespace normalised) | "
        f"{_share(rows, 'exact')} |",
        f"| extra characters (boilerplate that got through) | {extra:,} of {clean:,} "
        f"({100 * extra / clean:.2f}%) |",
        f"| clean-text characters missing | {missing:,} ({100 * missing / clean:.2f}%) |",
        f"| title / author / canonical URL right | {_share(rows, 'title')} / "
        f"{_share(rows, 'author')} / {_share(rows, 'url')} |",
        f"| publication date right (meta tags) | {_share(rows, 'date')} |",
        f"| publication date right, meta tags and JSON-LD removed (`<time>` only) | "
        f"{_share(bare, 'date')} |",
        f"| sentences recovered, meta tags removed | {sum(r['found'] for r in bare)}/"
        f"{sum(r['sentences'] for r in bare)} |",
        f"| estimated tokens: raw page vs extracted text | {page_tokens:,} vs {text_tokens:,} "
        f"({page_tokens / text_tokens:.1f}x) |",
        f"| extraction time per page, median (this run, shared 2-core machine) | "
        f"{1000 * statistics.median(r['seconds'] for r in rows):.0f} ms |",
        "",
        "The three page variants side by side. *messy*: furniture inside the story as well",
        "(a photo caption, an advertisement slot, a 'Read more:' teaser, a newsletter box",
        "between paragraphs) and no `<article>`/`<main>` to find the story by:",
        "",
        "| variant | sentences recovered | text equal | extra characters | missing | date right |",
        "|---|---|---|---|---|---|",
        _summary_row("full meta tags", rows),
        _summary_row("bare (no meta, no JSON-LD)", bare),
        _summary_row("messy", messy),
        "",
        "What got through on the messy pages (lines of the extracted text that are not the",
        "story's), by how many pages:",
        "",
        *(
            f"- {count}x `{line}`"
            for line, count in Counter(x for r in messy for x in r["leaked"]).most_common()
        ),
        "",
        _furniture_note(messy),
        "",
        "Per page:",
        "",
        "| story | sentences found | extra chars | missing chars | date | page / text tokens |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['id']} | {r['found']}/{r['sentences']} | {r['extra']} | {r['missing']} | "
            f"{'yes' if r['date'] else 'no'} | {r['page_tokens']:,} / {r['text_tokens']:,} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    selected = stories()
    rows = [measure(s) for s in selected]
    bare = [measure(s, bare=True) for s in selected]
    messy = [measure(s, messy=True) for s in selected]
    text = report(rows, bare, messy)
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
