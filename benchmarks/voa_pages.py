"""Public-domain VOA stories wrapped into realistic saved news pages.

Each page is built here, for tests and benchmarks, from a story's clean text: a
``<head>`` with the meta tags news sites carry (``og:title``, ``article:published_time``,
a canonical link, the author), ``<script>`` blocks, a navigation menu, a breaking-news
banner, share buttons, a "most read" sidebar of teasers, related stories, a cookie
notice and a footer; the story's paragraphs use HTML entities (``&quot;``, ``&rsquo;``,
``&ldquo;``) the way page templates do. These are pages built for the test, not saved
originals (see benchmarks/data/SOURCES.md).

    python benchmarks/voa_pages.py ID OUT.html OUT.txt   # one page and its clean text
"""

from __future__ import annotations

import html
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

STORIES = Path(__file__).with_name("data") / "voa_stories.jsonl"

# A sentence ends at . ! ? (and a closing quote) after a lowercase word or a digit, so
# "U.S. President" and "Gen. Smith" stay whole; the next one starts with a capital.
_SENTENCE = re.compile(
    r".+?(?:(?<=[a-z0-9)]{2})[.!?][\"\u201d]?(?=\s+[A-Z\u201c\"])|[.!?][\"\u201d](?=\s+[A-Z\u201c\"])|$)",
    re.DOTALL,
)

_TEASERS = [
    "Pope Francis spends another restful night in hospital, Vatican says",
    "Markets slide as tariff fears return; oil prices steady",
    "Heavy rains cut roads across the region, officials say",
    "Olympic committee names host city shortlist for 2036 Games",
    "Scientists map the deepest canyon under the Antarctic ice",
]


def stories() -> list[dict[str, Any]]:
    """The stories kept in benchmarks/data/voa_stories.jsonl."""
    with STORIES.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def paragraphs(text: str, per: int = 2) -> list[str]:
    """The story's whitespace-normalised text as paragraphs of ``per`` sentences."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    return [" ".join(sentences[i : i + per]) for i in range(0, len(sentences), per)]


def clean_text(story: dict[str, Any]) -> str:
    """The story's text as a clean article: its paragraphs, a blank line between them."""
    return "\n\n".join(paragraphs(story["text"]))


def _entities(text: str) -> str:
    """Escape as a page template does: ``&quot;`` and named entities for curly quotes."""
    escaped = html.escape(text, quote=True).replace("&#x27;", "&#39;")
    for char, name in (
        ("\u2019", "&rsquo;"),
        ("\u2018", "&lsquo;"),
        ("\u201c", "&ldquo;"),
        ("\u201d", "&rdquo;"),
        ("\u2014", "&mdash;"),
    ):
        escaped = escaped.replace(char, name)
    return escaped


def _messy_body(story: dict[str, Any]) -> str:
    """The story's paragraphs with what sites put between them: an advertisement slot, a
    photo with its caption, a "Read more" teaser, a newsletter box; divs, not <article>."""
    e = _entities
    out: list[str] = []
    for number, text in enumerate(paragraphs(story["text"]), start=1):
        out.append(f'      <div class="para"><p>{e(text)}</p></div>')
        if number == 1:
            out.append(
                '      <figure class="media"><img src="/img/1.jpg" alt="">'
                "<figcaption>FILE - Officials speak to reporters, March 10, 2025. "
                "(AP Photo)</figcaption></figure>"
            )
        elif number == 2:
            out.append('      <div class="ad-slot"><span>Advertisement</span></div>')
        elif number == 3:
            out.append(
                '      <p class="read-more"><strong>Read more:</strong> <a href="/a/7990030.html">'
                "Officials weigh next steps as talks resume</a></p>"
            )
        elif number == 5:
            out.append(
                '      <div class="newsletter-inline"><p>Get the day&rsquo;s top stories in your '
                'inbox.</p><a href="/subscribe">Sign up</a></div>'
            )
    return "\n".join(out)


def wrap_page(story: dict[str, Any], *, messy: bool = False) -> str:
    """A saved-page-like HTML document holding the story among the site's furniture.

    ``messy``: furniture inside the story too (see :func:`_messy_body`), and no
    ``<article>``/``<main>`` elements to find it by.
    """
    e = _entities
    published = datetime.strptime(story["published"], "%Y-%m-%d %H:%M:%SZ")
    iso = published.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    shown = published.strftime("%B %d, %Y %I:%M %p")
    body = "\n".join(f"      <p>{e(p)}</p>" for p in paragraphs(story["text"]))
    if messy:
        body = _messy_body(story)
    teasers = "\n".join(
        f'        <li><a href="/a/{n}.html"><span class="title">{e(t)}</span></a></li>'
        for n, t in enumerate(_TEASERS, start=7_990_001)
    )
    sections = [
        "U.S.", "World", "Africa", "Americas", "East Asia", "Europe", "Middle East",
        "South &amp; Central Asia", "Ukraine", "Press Freedom", "VOA Learning English",
    ]  # fmt: skip
    menu = "\n".join(
        f'        <li class="nav-item"><a href="/z/{i}">{s}</a></li>'
        for i, s in enumerate(sections, start=599)
    )
    jsonld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story["title"],
            "datePublished": iso,
            "author": {"@type": "Person", "name": story["author"]},
            "publisher": {"@type": "Organization", "name": "Voice of America"},
        }
    )
    title = e(story["title"])
    page = f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="{e(story["text"][:150])}">
  <meta name="author" content="{e(story["author"])}">
  <meta name="keywords" content="{e(story["keywords"])}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="Voice of America">
  <meta property="og:title" content="{title}">
  <meta property="og:url" content="{story["url"]}">
  <meta property="article:published_time" content="{iso}">
  <meta property="article:section" content="{e(story["section"])}">
  <link rel="canonical" href="{story["url"]}">
  <link rel="stylesheet" href="/Content/responsive/VOA/en-US/VOA.css?v=3.1">
  <script type="application/ld+json">{jsonld}</script>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){{dataLayer.push(arguments);}}
    gtag('js', new Date()); gtag('config', 'G-XXXXXXX', {{"page_type": "article"}});
    var analyticsConfig = {{"section": "{e(story["section"])}", "id": "{story["id"]}"}};
  </script>
</head>
<body class="pg-article">
  <div id="cookie-banner" class="cookie-banner">
    <p>We use cookies to improve your experience. By continuing to browse you accept our
      <a href="/p/6111.html">cookie policy</a>.</p>
    <button type="button">Accept and close</button>
  </div>
  <header class="hdr">
    <a class="skip" href="#content">Skip to main content</a>
    <a class="skip" href="#navigation">Skip to main Navigation</a>
    <a class="logo" href="/"><img src="/Content/img/logo.svg" alt="Voice of America"></a>
    <form class="search" action="/s"><input type="text" name="k" placeholder="Search">
      <button>Search</button></form>
    <nav id="navigation" class="main-menu" aria-label="Main">
      <ul>
{menu}
      </ul>
    </nav>
    <div class="language-menu"><a href="https://www.voaafrique.com">Fran&ccedil;ais</a>
      <a href="https://www.voaespanol.com">Espa&ntilde;ol</a>
      <a href="https://www.voachinese.com">&#20013;&#25991;</a></div>
  </header>
  <div class="breaking-news" role="alert"><strong>Breaking News</strong>
    <a href="/a/7990010.html">Live: Follow our coverage of the day&rsquo;s top stories</a></div>
  <main id="content">
    <article class="article">
      <div class="category"><a href="/z/{story["section"]}">{e(story["section"])}</a></div>
      <h1 class="title pg-title">{title}</h1>
      <div class="links"><span class="byline">By <a href="/author/1">{e(story["author"])}</a>
        </span> <time datetime="{iso}">{shown}</time></div>
      <div class="share"><ul>
        <li><a href="https://facebook.com/sharer">Share on Facebook</a></li>
        <li><a href="https://x.com/intent">Share on X</a></li>
        <li><a href="mailto:?subject={title}">Email</a></li>
        <li><a href="javascript:window.print()">Print this article</a></li>
      </ul></div>
      <div class="wsw" id="article-content">
{body}
      </div>
      <div class="related"><h2>Related</h2><ul>
        <li><a href="/a/7990020.html">Analysis: what the talks could mean for the region</a></li>
        <li><a href="/a/7990021.html">Explainer: the week&rsquo;s diplomacy in five charts</a></li>
      </ul></div>
      <div class="comments"><h3>Comments</h3><p>Comments are closed for this story.</p></div>
    </article>
    <aside class="sidebar">
      <h2>Most Read</h2>
      <ol>
{teasers}
      </ol>
      <div class="newsletter"><h3>Subscribe to our newsletter</h3>
        <p>The day&rsquo;s top stories in your inbox every morning.</p>
        <form><input type="email" placeholder="Email address"><button>Sign up</button></form>
      </div>
    </aside>
  </main>
  <footer class="ftr">
    <ul class="ftr-links">
      <li><a href="/p/5338.html">About VOA</a></li><li><a href="/p/5843.html">Terms of Use</a></li>
      <li><a href="/p/5842.html">Privacy Notice</a></li><li><a href="/p/5840.html">Contact</a></li>
      <li><a href="/p/5341.html">Accessibility</a></li>
    </ul>
    <p class="copyright">VOA is part of the U.S. Agency for Global Media. &copy; 2025 Voice of
      America. All content is public domain unless otherwise noted.</p>
  </footer>
  <script src="/Scripts/responsive/loader.bundle.js?v=3.1" async></script>
  <script>document.addEventListener("DOMContentLoaded", function () {{
    var b = document.getElementById("cookie-banner"); if (b && localStorage.ok) b.remove(); }});
  </script>
</body>
</html>
"""
    if messy:
        for tag in ("article", "main"):
            page = page.replace(f"<{tag} ", f"<div data-was='{tag}' ").replace(f"<{tag}>", "<div>")
            page = page.replace(f"</{tag}>", "</div>")
    return page


def main(argv: list[str]) -> None:
    story_id, page_path, text_path = argv
    story = next(s for s in stories() if s["id"] == story_id)
    Path(page_path).write_text(wrap_page(story), encoding="utf-8")
    Path(text_path).write_text(clean_text(story) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
