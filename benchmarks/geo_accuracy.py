"""How well the offline gazetteer places the gold set's places: share resolved, share correct.

Run from the repository root: ``python benchmarks/geo_accuracy.py`` (needs
``pip install 'newsschema[geo]'``); the figures are in ``GEO.md``.

Every place of every gold event (``benchmarks/gold/*.json``: a meeting's ``place``, a
visit's ``destination``, whatever place fields a type has) is resolved the way
``summarize`` resolves a model's answer: as a ``Place`` with the gold text as its
name, the kind a model gives such a name (``KINDS`` below, chosen by hand), no
``country`` (so the gazetteer gets no help from the model), and as context the
countries of the article's country places.

``EXPECTED`` is the answer key, made by hand for each distinct gold place: the
GeoNames id of the place the article means, or None where the right answer is to
stay unresolved (a building, an event, a place the gazetteer does not hold). How each
id was checked is in ``HOW``: the article's sentence says which place is meant; the
id's record in the gazetteer (name, country, first-level region, coordinates, which
this script prints with ``--show``) was compared with where that place is.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newsschema import Place, resolve_place
from newsschema._records import event_type, type_named

GOLD = Path(__file__).resolve().parent / "gold"

# The kind a model gives each gold place name (PlaceKind).
KINDS: dict[str, str] = {
    "APEC summit in the United States": "event",
    "Bangui": "city",
    "Beijing": "city",
    "Beijing, China": "city",
    "Canada": "country",
    "Charlevoix, Quebec": "region",
    "India": "country",
    "Jeddah": "city",
    "Jeddah, Saudi Arabia": "city",
    "Maldives": "country",
    "Malta": "country",
    "Mauritius": "country",
    "Moscow": "city",
    "Moscow, Russia": "city",
    "New York": "city",
    "Philippines": "country",
    "Port Louis, Mauritius": "city",
    "Quetta": "city",
    "Riyadh": "city",
    "Turkey": "country",
    "Washington": "city",
    "White House": "venue",
    "villages affected by the fighting": "other",
}

# The answer key: the GeoNames id of the place meant, or None (right to stay unresolved).
EXPECTED: dict[str, int | None] = {
    "APEC summit in the United States": None,
    "Bangui": 2389853,
    "Beijing": 1816670,
    "Beijing, China": 1816670,
    "Canada": 6251999,
    "Charlevoix, Quebec": None,
    "India": 1269750,
    "Jeddah": 105343,
    "Jeddah, Saudi Arabia": 105343,
    "Maldives": 1282028,
    "Malta": 2562770,
    "Mauritius": 934292,
    "Moscow": 524901,
    "Moscow, Russia": 524901,
    "New York": 5128581,
    "Philippines": 1694008,
    "Port Louis, Mauritius": 934154,
    "Quetta": 1167528,
    "Riyadh": 108410,
    "Turkey": 298795,
    "Washington": 4140963,
    "White House": None,
    "villages affected by the fighting": None,
}

HOW: dict[str, str] = {
    "APEC summit in the United States": "an event, not a place on the map",
    "Bangui": "capital of the Central African Republic; record CF, 4.36 N 18.55 E",
    "Beijing": "Putin's trip to China's capital; record CN, 39.91 N 116.40 E",
    "Beijing, China": "as Beijing",
    "Canada": "the country (G7 host); countries table, iso CA",
    "Charlevoix, Quebec": "a region of Quebec (La Malbaie, G7 2018); not in the data: stay null",
    "India": "the country; countries table, iso IN",
    "Jeddah": "the Saudi port city of the talks; record SA, 21.49 N 39.19 E",
    "Jeddah, Saudi Arabia": "as Jeddah",
    "Maldives": "the country; countries table, iso MV",
    "Malta": "the island state of the Wang-Sullivan meeting; countries table, iso MT",
    "Mauritius": "the country; countries table, iso MU",
    "Moscow": "Russia's capital (Lavrov, Wang); record RU, 55.75 N 37.62 E",
    "Moscow, Russia": "as Moscow",
    "New York": "Han Zheng met Blinken at UN week: New York City; record US.NY, 40.71 N 74.01 W",
    "Philippines": "the country; countries table, iso PH",
    "Port Louis, Mauritius": "capital of Mauritius; record MU, 20.16 S 57.50 E",
    "Quetta": "capital of Balochistan, Pakistan; record PK, 30.18 N 67.00 E",
    "Riyadh": "the Saudi capital; record SA, 24.69 N 46.72 E",
    "Turkey": "the country; countries table, iso TR",
    "Washington": "the US capital (Blinken, Trump's administration); record US.DC, 38.90 N 77.04 W",
    "White House": "a building: the gazetteer holds no buildings, stay null",
    "villages affected by the fighting": "no name of a place",
}


def gold_places() -> list[tuple[str, list[str]]]:
    """(article id, every place the gold events name, in order) per gold article."""
    out = []
    for path in sorted(GOLD.glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        names: list[str] = []
        for key, records in article.items():
            cls = type_named(key) if isinstance(records, list) else None
            if cls is None:
                continue
            fields = [field for field, _ in event_type(cls).place_fields]
            for record in records:
                for field in fields:
                    value = record.get(field)
                    names.extend(value if isinstance(value, list) else [value] if value else [])
        out.append((article["id"], [n.split(" | ")[0].strip() for n in names]))
    return out


def resolve_article(names: list[str], *, kinds: bool = True) -> list[Place]:
    """The places as summarize would resolve them; ``kinds=False``: every kind "other"."""
    drafts = [
        Place(name=n, country=None, kind=KINDS[n] if kinds else "other")  # type: ignore[arg-type]
        for n in names
    ]
    # What normalise_actors derives before the gazetteer: a country place's own code.
    context = {
        p.country_code for p in (resolve_place(d) for d in drafts if d.kind == "country")
    } - {None}
    return [resolve_place(d, places=context) for d in drafts]  # type: ignore[arg-type]


def main(show: bool, *, kinds: bool = True) -> dict[str, Any]:
    print(
        "### with the kind a model gives each place"
        if kinds
        else '### with every kind "other" (a model that gives no kind)',
        end="\n\n",
    )
    mentions = resolved = correct = correct_resolved = 0
    per_name: dict[str, Counter[str]] = {}
    got_ids: dict[str, set[int | None]] = {}
    for _article, names in gold_places():
        for name, place in zip(names, resolve_article(names, kinds=kinds), strict=True):
            mentions += 1
            resolved += place.geonames_id is not None
            ok = place.geonames_id == EXPECTED[name]
            correct += ok
            correct_resolved += ok and place.geonames_id is not None
            per_name.setdefault(name, Counter())["ok" if ok else "wrong"] += 1
            got_ids.setdefault(name, set()).add(place.geonames_id)
            if show:
                print(f"  {name!r}: {place.model_dump(exclude={'name', 'country', 'kind'})}")
    in_gazetteer = sum(sum(per_name[n].values()) for n in per_name if EXPECTED[n] is not None)
    print("| gold place | mentions | kind | expected GeoNames id | got | correct | how checked |")
    print("| --- | ---: | --- | ---: | --- | --- | --- |")
    for name in sorted(per_name, key=str.casefold):
        counts = per_name[name]
        got = ", ".join(str(g) for g in sorted(got_ids[name], key=lambda g: g or 0))
        print(
            f"| {name} | {sum(counts.values())} | {KINDS[name] if kinds else 'other'} "
            f"| {EXPECTED[name]} | {got} "
            f"| {counts['ok']}/{sum(counts.values())} | {HOW[name]} |"
        )
    figures = {
        "distinct places": len(per_name),
        "mentions": mentions,
        "mentions whose place the gazetteer holds": in_gazetteer,
        "resolved": resolved,
        "share resolved": round(resolved / mentions, 3),
        "share resolved of those the gazetteer holds": round(resolved / in_gazetteer, 3),
        "correct (resolved right, or rightly left null)": correct,
        "share correct": round(correct / mentions, 3),
        "share of resolved that are correct": round(correct_resolved / max(resolved, 1), 3),
    }
    print()
    for key, value in figures.items():
        print(f"- {key}: {value}")
    print()
    return figures


if __name__ == "__main__":
    main(show="--show" in sys.argv[1:])
    print()
    main(show=False, kinds=False)
