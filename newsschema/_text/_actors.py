"""Actors as the article names them: fullest names, ISO country codes, one index entry each.

The model reports names and countries as written ("Wang", "Chinese", "the Kremlin");
this module turns them into stable forms without asking the model again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from newsschema._records import Actor, IndexedActor, Place, event_type

from ._fold import fold_name
from ._names import foreign_country_code, not_name_word, split_foreign_title
from ._places import resolve_places

__all__ = [
    "COURTESY_TITLES",
    "country_code",
    "full_names",
    "index_actors",
    "name_words",
    "normalise_actors",
    "split_title",
]

# --------------------------------------------------------------------------------------
# Country codes

_key = fold_name


# Adjectives of nationality. Left out on purpose because they name more than one
# state: "Korean", "Congolese", "Dominican", "Guinean", "Samoan".
_DEMONYMS = {
    "afghan": "AFG", "albanian": "ALB", "algerian": "DZA", "american": "USA",
    "angolan": "AGO", "argentine": "ARG", "argentinian": "ARG", "armenian": "ARM",
    "australian": "AUS", "austrian": "AUT", "azerbaijani": "AZE", "bahraini": "BHR",
    "bangladeshi": "BGD", "belarusian": "BLR", "belgian": "BEL", "bolivian": "BOL",
    "bosnian": "BIH", "brazilian": "BRA", "british": "GBR", "briton": "GBR",
    "bulgarian": "BGR", "burmese": "MMR", "cambodian": "KHM", "cameroonian": "CMR",
    "canadian": "CAN", "chadian": "TCD", "chilean": "CHL", "chinese": "CHN",
    "colombian": "COL", "croatian": "HRV", "cuban": "CUB", "cypriot": "CYP",
    "czech": "CZE", "danish": "DNK", "dutch": "NLD", "ecuadorian": "ECU",
    "egyptian": "EGY", "emirati": "ARE", "eritrean": "ERI", "estonian": "EST",
    "ethiopian": "ETH", "filipino": "PHL", "finnish": "FIN", "french": "FRA",
    "georgian": "GEO", "german": "DEU", "ghanaian": "GHA", "greek": "GRC",
    "guatemalan": "GTM", "haitian": "HTI", "honduran": "HND", "hungarian": "HUN",
    "icelandic": "ISL", "indian": "IND", "indonesian": "IDN", "iranian": "IRN",
    "iraqi": "IRQ", "irish": "IRL", "israeli": "ISR", "italian": "ITA",
    "ivorian": "CIV", "jamaican": "JAM", "japanese": "JPN", "jordanian": "JOR",
    "kazakh": "KAZ", "kenyan": "KEN", "kuwaiti": "KWT", "kyrgyz": "KGZ",
    "laotian": "LAO", "latvian": "LVA", "lebanese": "LBN", "libyan": "LBY",
    "lithuanian": "LTU", "malaysian": "MYS", "malian": "MLI", "maltese": "MLT",
    "mexican": "MEX", "moldovan": "MDA", "mongolian": "MNG", "montenegrin": "MNE",
    "moroccan": "MAR", "mozambican": "MOZ", "namibian": "NAM", "nepalese": "NPL",
    "nepali": "NPL", "nicaraguan": "NIC", "nigerian": "NGA", "nigerien": "NER",
    "north korean": "PRK", "norwegian": "NOR", "omani": "OMN", "pakistani": "PAK",
    "palestinian": "PSE", "panamanian": "PAN", "paraguayan": "PRY", "peruvian": "PER",
    "philippine": "PHL", "polish": "POL", "portuguese": "PRT", "qatari": "QAT",
    "romanian": "ROU", "russian": "RUS", "rwandan": "RWA", "saudi": "SAU",
    "senegalese": "SEN", "serbian": "SRB", "singaporean": "SGP", "slovak": "SVK",
    "slovenian": "SVN", "somali": "SOM", "south african": "ZAF", "south korean": "KOR",
    "south sudanese": "SSD", "spanish": "ESP", "sri lankan": "LKA", "sudanese": "SDN",
    "swedish": "SWE", "swiss": "CHE", "syrian": "SYR", "taiwanese": "TWN",
    "tajik": "TJK", "tanzanian": "TZA", "thai": "THA", "tunisian": "TUN",
    "turkish": "TUR", "turkmen": "TKM", "ugandan": "UGA", "ukrainian": "UKR",
    "uruguayan": "URY", "uzbek": "UZB", "venezuelan": "VEN", "vietnamese": "VNM",
    "yemeni": "YEM", "zambian": "ZMB", "zimbabwean": "ZWE",
}  # fmt: skip

# Names news uses that ISO's lists do not (ISO says "Russian Federation", "Türkiye"),
# abbreviations, and buildings standing for their state. "America" means the United
# States in news copy; "the Americas" is a different key. England, Scotland, Wales and
# Northern Ireland get GBR: ISO 3166-1 codes the sovereign state only.
_OTHER_NAMES = {
    "us": "USA", "usa": "USA", "america": "USA", "united states of america": "USA",
    "white house": "USA", "uk": "GBR", "britain": "GBR", "great britain": "GBR",
    "england": "GBR", "scotland": "GBR", "wales": "GBR", "northern ireland": "GBR",
    "downing street": "GBR", "russia": "RUS", "kremlin": "RUS", "prc": "CHN",
    "mainland china": "CHN", "dprk": "PRK", "turkey": "TUR", "holland": "NLD",
    "burma": "MMR", "ivory coast": "CIV", "cape verde": "CPV", "swaziland": "SWZ",
    "east timor": "TLS", "macedonia": "MKD", "vatican": "VAT", "vatican city": "VAT",
    "holy see": "VAT", "brunei": "BRN", "macau": "MAC", "uae": "ARE",
    "emirates": "ARE", "drc": "COD", "dr congo": "COD", "congo-kinshasa": "COD",
    "democratic republic of congo": "COD", "congo-brazzaville": "COG",
    "republic of congo": "COG", "elysee": "FRA", "elysee palace": "FRA",
}  # fmt: skip

# Names that stand for more than one state: better no code than a wrong one. "Congo"
# alone is what ISO calls the Republic of the Congo, but news mostly means the DRC.
# "Georgia" is kept as the country (GEO): these values are countries or states, and
# the US state would come as a region or an organisation, not here.
_AMBIGUOUS = frozenset({"congo", "korea", "korean", "congolese", "guinean", "dominican"})

# "the Chinese government", "government of China", "the Russian state".
_GOVERNMENT = re.compile(
    r"(?:(?P<before>.+?) (?:government|administration|authorities|state))"
    r"|(?:(?:government|state) of (?P<after>.+))"
)


@cache
def _country_index() -> dict[str, str]:
    """Every name form ISO 3166-1 (via pycountry) and our tables give, keyed by `_key`."""
    import pycountry  # loaded on first use: its databases are large

    primary: dict[str, str] = {}
    derived: dict[str, set[str]] = {}
    for country in pycountry.countries:
        code: str = country.alpha_3
        for attribute in ("name", "official_name", "common_name"):
            name: str | None = getattr(country, attribute, None)
            if not name:
                continue
            primary[_key(name)] = code
            # "Korea, Republic of" is also written "Republic of Korea" and "Korea"; and
            # "Holy See (Vatican City State)" is "Holy See".
            forms = [re.sub(r"\s*\(.*?\)", "", name)]
            if ", " in name:
                head, tail = name.split(", ", 1)
                forms += [head, f"{tail} {head}"]
            for form in forms:
                derived.setdefault(_key(form), set()).add(code)
    index = {
        # A derived form two states share ("Korea", "Virgin Islands") names neither.
        form: next(iter(codes))
        for form, codes in derived.items()
        if len(codes) == 1
    }
    index.update(primary)
    index.update(_OTHER_NAMES)
    index.update(_DEMONYMS)
    for ambiguous in _AMBIGUOUS:
        index.pop(ambiguous, None)
    return index


@cache
def _alpha_codes() -> dict[str, str]:
    import pycountry

    codes: dict[str, str] = {}
    for country in pycountry.countries:
        codes[country.alpha_2] = country.alpha_3
        codes[country.alpha_3] = country.alpha_3
    return codes


def country_code(value: str | None, language: str | None = None) -> str | None:
    """The ISO 3166-1 alpha-3 code a country name, demonym or state metonym stands for.

    Names match exactly after casefolding and dropping accents, periods and a leading
    "the": ISO names, official and common forms ("Russian Federation", "Iran"), usual
    news forms ("Russia", "the U.S.", "Britain"), demonyms ("Chinese", "North Korean")
    and metonyms ("the Kremlin", "the White House"). Nothing is matched fuzzily.

    With ``language`` ("de", "ru", "zh" ...), the names of that language come
    first: ISO names as pycountry translates them ("Frankreich"), inflected
    adjectives ("französischen", "российского"), capitals and buildings standing
    for their state ("Moskau", "Кремль", "白宫").

    Args:
        value: a country as written, or None.
        language: the article's language (ISO 639-1); None or "en": English names.

    Returns:
        The alpha-3 code, or None when the value is unknown or names several states
        ("Korea", "Congo").

    Examples:
        >>> country_code("the United States"), country_code("Chinese")
        ('USA', 'CHN')
    """
    if value is None:
        return None
    foreign = None if language in {None, "en"} else foreign_country_code(value, language or "")
    return foreign or _english_country_code(value)


def _english_country_code(value: str) -> str | None:
    folded = _key(value)
    if not folded or folded in _AMBIGUOUS:
        return None
    index = _country_index()
    if folded in index:
        return index[folded]
    government = _GOVERNMENT.fullmatch(folded)
    if government:
        inner = government.group("before") or government.group("after")
        if inner not in _AMBIGUOUS and inner in index:
            return index[inner]
    # ISO codes only as written in capitals: lowercased two-letter codes are words
    # ("in", "is", "no", "it").
    compact = value.strip().replace(".", "")
    if compact.isalpha() and compact.isupper():
        return _alpha_codes().get(compact)
    return None


# --------------------------------------------------------------------------------------
# Full names

_APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[^\W\d_]+(?:[{_APOSTROPHES}-][^\W\d_]+)*")
_POSSESSIVE = re.compile(rf"[{_APOSTROPHES}]s$", re.IGNORECASE)
# Courtesy titles, the one list of them: written before a name ("Ms Hewitt", "Dr.
# Fox", "Sir Menzies Campbell") but never part of it, with or without a period.
# English, plus a few of other languages that are never names themselves.
COURTESY_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "prof",
        "professor", "rev", "revd", "reverend", "herr", "frau", "mme", "mlle", "sr", "sra",
        "srta",
    }
)  # fmt: skip
# Words that are capitalised before a name without being part of it: titles, sentence
# openers, months and days. A run of name words stops at them.
_NOT_NAME = COURTESY_TITLES | frozenset(
    {
        "president", "vice", "prime", "minister", "ministers", "foreign", "secretary", "state",
        "deputy", "chief", "chancellor", "premier", "king", "queen", "prince", "princess",
        "emperor", "pope", "general", "admiral", "colonel", "commander", "captain",
        "lieutenant", "sergeant", "senator", "congressman", "congresswoman", "representative",
        "governor", "mayor", "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson",
        "director", "chairman", "chairwoman", "chair", "ceo", "leader", "judge", "justice",
        "attorney", "prosecutor", "officer", "official", "adviser", "advisor", "national",
        "security", "defence", "defense", "finance", "interior", "home", "trade", "economy",
        "health", "education", "energy", "affairs", "external", "speaker", "commissioner",
        "sheikh", "crown", "emir", "ayatollah", "bishop", "archbishop", "cardinal",
        "marshal", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
        "a", "an", "the", "and", "or", "but",
        "nor", "so", "yet", "if", "as", "at", "by", "for", "from", "in", "into", "of", "off",
        "on", "to", "with", "without", "within", "under", "over", "about", "after", "before",
        "during", "since", "until", "while", "when", "where", "whereas", "although", "though",
        "because", "also", "meanwhile", "however", "moreover", "still", "then", "now", "later",
        "earlier", "today", "tonight", "yesterday", "tomorrow", "this", "that", "these",
        "those", "there", "here", "his", "her", "its", "their", "our", "my", "your", "he",
        "she", "it", "they", "we", "i", "you", "him", "them", "us", "who", "whom", "whose",
        "which", "what", "why", "how", "both", "either", "neither", "each", "every", "all",
        "some", "many", "most", "several", "no", "not", "only", "even", "according", "despite",
        "instead", "unlike", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday",
    }
)  # fmt: skip
# Lowercase particles inside names: "Mohammed bin Salman", "Ursula von der Leyen".
_PARTICLES = frozenset(
    {
        "al", "bin", "ibn", "da", "de", "del", "der", "di", "dos", "du", "el", "la", "le",
        "van", "von",
    }
)  # fmt: skip
_MAX_NAME_WORDS = 6


_TITLE_PREFIX = re.compile(
    rf"(?:(?:{'|'.join(sorted(COURTESY_TITLES, key=len, reverse=True))})\.?\s+)+",
    re.IGNORECASE,
)


def split_title(name: str) -> tuple[str | None, str]:
    """The courtesy titles a name starts with, and the name without them.

    Args:
        name: a person's name as written ("Ms Hewitt", "Dr. Liam Fox").

    Returns:
        ``(titles, rest)``: the capitalised titles of :data:`COURTESY_TITLES` before
        the name, as written with single spaces, and the name after them; ``(None,
        name)`` when there are none, or nothing capitalised follows them.

    Examples:
        >>> split_title("Ms Hewitt"), split_title("Prof. Sir John Smith")
        (('Ms', 'Hewitt'), ('Prof. Sir', 'John Smith'))
    """
    stripped = name.strip()
    match = _TITLE_PREFIX.match(stripped)
    if match is None:
        return None, name
    titles, rest = match.group().split(), stripped[match.end() :]
    if not rest[:1].isupper() or not all(t[0].isupper() for t in titles):
        return None, name
    return " ".join(titles), rest


def name_words(name: str) -> tuple[str, ...]:
    """The comparable words of a name: courtesy titles, accents, periods left out; casefolded.

    Examples:
        >>> name_words("Mr. Vladimir Putin's")
        ('vladimir', 'putin')
    """
    return tuple(w for w in map(_key, _name_words(split_title(name)[1])) if w)


def _is_courtesy(title: str) -> bool:
    """True for a title made of courtesy titles only ("Mr", "Prof Sir")."""
    words = _key(title).split()
    return bool(words) and all(w in COURTESY_TITLES for w in words)


def _name_words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", m.group()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=8192)
def _is_name_word(word: str) -> bool:
    """Capitalised, and neither a title, a demonym, an acronym nor a sentence opener."""
    if not word[0].isupper() or (len(word) > 1 and word.isupper()):
        return False
    key = _key(word)
    parts = {key, *key.split("-")}  # "Secretary-General", "President-elect"
    return not parts & _NOT_NAME and not parts & _AMBIGUOUS and key not in _DEMONYMS


_NAME_GAP = re.compile(r"[^\S\n]+")  # spaces within one line
_INITIAL_GAP = re.compile(r"\.[^\S\n]+")  # after a middle initial
# The words of _WORD that can be part of a name: all but those starting with a
# lowercase ASCII letter, plus the lowercase particles. Leaving the rest to the
# regex engine changes nothing: a skipped word inside a run leaves more than
# spaces between the run and the next word, which ends the run as the word would.
_LETTER = r"[^\W\d_]"
_WORD_START = rf"(?<!{_LETTER})(?<!{_LETTER}[{_APOSTROPHES}-])"
_WORD_END = rf"(?!{_LETTER}|[{_APOSTROPHES}-]{_LETTER})"
_NAME_WORD_CANDIDATE = re.compile(
    rf"{_WORD_START}(?:(?![a-z]){_LETTER}+(?:[{_APOSTROPHES}-]{_LETTER}+)*"
    rf"|(?:{'|'.join(sorted(_PARTICLES, key=len, reverse=True))}){_WORD_END})"
)


def _article_names(
    article: str, *, words: re.Pattern[str] = _NAME_WORD_CANDIDATE, language: str | None = None
) -> list[tuple[str, ...]]:
    """Runs of capitalised name words in the article ("Sergey Lavrov", "Kim Jong Un").

    ``words`` finds the words to look at: by default only those that can be part
    of a name; ``_WORD`` (every word) gives the same runs, more slowly. With a
    ``language`` other than English, its titles, sentence openers and country words
    end a run too ("Bundeskanzler Olaf Scholz" gives "Olaf Scholz").
    """
    foreign = language is not None and language != "en"
    runs: list[tuple[str, ...]] = []
    run: list[str] = []

    def close() -> None:
        while run and run[-1] in _PARTICLES:
            run.pop()
        if 2 <= len(run) <= _MAX_NAME_WORDS:
            runs.append(tuple(run))
        run.clear()

    previous_end = 0
    for match in words.finditer(article):
        word = match.group()
        if run:
            # Names run over spaces only, and over ". " after a middle initial ("John F.
            # Kennedy", but not "the U.S. Biden"); punctuation or a line break ends one.
            gap = article[previous_end : match.start()]
            if len(run) >= 2 and len(run[-1]) == 1 and _INITIAL_GAP.fullmatch(gap):
                run[-1] += "."
            elif not _NAME_GAP.fullmatch(gap):
                close()
        previous_end = match.end()
        if not run and not word[0].isupper():
            continue  # no name is open, and none starts in lower case
        word, possessive = _POSSESSIVE.subn("", word)
        name_word = _is_name_word(word) and not (foreign and not_name_word(word, language or ""))
        if name_word or (run and word in _PARTICLES):
            run.append(word)
        elif run:
            close()
        if possessive and run:  # "Sergey Lavrov's meeting": the name ends here
            close()
    close()
    return runs


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True if ``longer`` has all of ``shorter``'s words in the same order."""
    rest = iter(longer)
    return all(word in rest for word in shorter)


def _in_article(name: str, article: str) -> bool:
    words = _name_words(name)
    if not words:
        return False
    pattern = r"(?<!\w)" + r"[\s.]+".join(map(re.escape, words)) + r"(?!\w)"
    return re.search(pattern, article, re.IGNORECASE) is not None


def full_names(names: Iterable[str], article: str, language: str | None = None) -> dict[str, str]:
    """Each name mapped to the fullest form of it that the article gives.

    A fuller form is a longer name that has the name's words in the same order:
    "Wang" → "Wang Yi", "Lavrov" → "Sergey Lavrov", "Vladimir Putin" → "Vladimir
    Vladimirovich Putin". It is taken from the article's runs of capitalised words
    (titles, demonyms and sentence openers excluded) or from the other names, and
    only if the article contains it. A name that two different fuller forms extend
    ("Wang Yi", "Wang Wenbin") stays as it is, unless one of them contains the other.
    Courtesy titles (:data:`COURTESY_TITLES`) are left out of names and of their
    fuller forms: "Ms Hewitt" → "Patricia Hewitt", and "Mr Blair" → "Blair" when the
    article never gives his first name (:func:`split_title` gives the title).

    With a ``language`` other than English, that language's titles are left out
    too, in any inflection ("Präsidenten Emmanuel Macron" → "Emmanuel Macron").

    Args:
        names: names as the model reported them.
        article: the article text.
        language: the article's language (ISO 639-1); None or "en": English.

    Returns:
        A dict from every given name to its fullest form (the name itself, without
        its courtesy titles, if none).
    """
    names = list(names)
    bare = {name: _bare_name(name, language)[1] for name in names}
    candidates: dict[tuple[str, ...], str] = {}
    for run in _article_names(article, language=language):
        candidates.setdefault(tuple(map(_key, run)), " ".join(run))
    for name in names:
        words = tuple(map(_key, _name_words(bare[name])))
        if len(words) >= 2 and words not in candidates and _in_article(bare[name], article):
            candidates[words] = " ".join(bare[name].split())
    by_word: dict[str, list[tuple[str, ...]]] = {}
    for candidate in candidates:
        for word in dict.fromkeys(candidate):
            by_word.setdefault(word, []).append(candidate)

    result: dict[str, str] = {}
    for name in names:
        words = tuple(map(_key, _name_words(bare[name])))
        # A fuller form holds every word of the name, so its first word among them.
        near = by_word.get(words[0], []) if words else []
        longer = [c for c in near if len(c) > len(words) and _contains(c, words)]
        # The fullest form must contain every other one, or the name is ambiguous.
        fullest = [c for c in longer if all(_contains(c, other) for other in longer)]
        result[name] = candidates[fullest[0]] if words and fullest else bare[name]
    return result


# --------------------------------------------------------------------------------------
# Normalising and indexing the actors of the records


def _actors_of(record: Any) -> Iterable[Actor]:
    for field, _ in event_type(type(record)).actor_fields:
        value = getattr(record, field)
        for actor in value if isinstance(value, list) else [value]:
            if isinstance(actor, Actor):
                yield actor


def _bare_name(name: str, language: str | None) -> tuple[str | None, str]:
    """The titles a person's name starts with (courtesy ones, and the language's), and the rest."""
    courtesy, bare = split_title(name)
    if language is None or language == "en":
        return courtesy, bare
    title, rest = split_foreign_title(bare, language)
    if title is None:
        return courtesy, bare
    return (f"{courtesy} {title}" if courtesy else title), rest


def _normalise_actor(actor: Actor, names: dict[str, str], language: str | None = None) -> Actor:
    code = actor.country_code or country_code(actor.country, language)
    if code is None and actor.kind == "state":
        code = country_code(actor.name, language)
    update: dict[str, Any] = {"country_code": code}
    if actor.kind == "person":
        courtesy, bare = _bare_name(actor.name, language)
        update["name"] = names.get(actor.name, bare)
        # "Mr", "Dr" leave the name; kept as the title only where the model gave none.
        if actor.title is None and courtesy is not None:
            update["title"] = courtesy
    return actor.model_copy(update=update)


def _normalise_place(place: Place, language: str | None = None) -> Place:
    code = place.country_code or country_code(place.country, language)
    if code is None and place.kind == "country":
        code = country_code(place.name, language)
    return place.model_copy(update={"country_code": code})


def normalise_actors(
    events: dict[str, list[Any]], article: str, language: str | None = None
) -> dict[str, list[Any]]:
    """New event lists whose actors carry full names and whose actors and places carry codes.

    People's names are expanded with :func:`full_names`; states' and organisations'
    names are left as written, since extending them by words misleads ("China" →
    "South China Sea"). ``country_code`` is filled from ``country``, or from the name
    for a state actor or a country place. Places then get their GeoNames id,
    coordinates and region from the offline gazetteer (:func:`resolve_places`),
    when it is installed. Everything else is kept; codes already set are kept.

    Args:
        events: record lists by plural key ("meetings", "protests" ...).
        article: the article text the records come from.
        language: the article's language (ISO 639-1): its country names and titles
            are read too; None or "en": English.

    Returns:
        The same keys with new records, in the same order.
    """
    people = [
        actor.name
        for records in events.values()
        for record in records
        for actor in _actors_of(record)
        if actor.kind == "person"
    ]
    people_names = full_names(dict.fromkeys(people), article, language)
    result: dict[str, list[Any]] = {}
    for kind, records in events.items():
        result[kind] = []
        for record in records:
            update: dict[str, Any] = {}
            spec = event_type(type(record))
            for field, _ in spec.actor_fields:
                value = getattr(record, field, None)
                if isinstance(value, list):
                    update[field] = [
                        _normalise_actor(a, people_names, language) if isinstance(a, Actor) else a
                        for a in value
                    ]
                elif isinstance(value, Actor):
                    update[field] = _normalise_actor(value, people_names, language)
            for field, _ in spec.place_fields:
                value = getattr(record, field, None)
                if isinstance(value, list):
                    update[field] = [
                        _normalise_place(p, language) if isinstance(p, Place) else p for p in value
                    ]
                elif isinstance(value, Place):
                    update[field] = _normalise_place(value, language)
            result[kind].append(record.model_copy(update=update))
    return resolve_places(result)


def _filled(actor: Actor) -> int:
    # A courtesy title alone ("Ms") says less than a role ("Trade Secretary"): not counted.
    title = actor.title if actor.title is None or not _is_courtesy(actor.title) else None
    return sum(
        value is not None
        for value in (title, actor.organisation, actor.country, actor.country_code)
    )


def index_actors(events: dict[str, list[Any]]) -> list[IndexedActor]:
    """Every actor once, with the records it appears in ("meetings.0", "statements.3").

    Actors are the same when their names are, ignoring case, spacing, accents,
    periods and a leading "the". Where one
    appears with different details, the appearance with the most fields filled
    (title, organisation, country, code) gives them; the first one on a tie.

    Args:
        events: record lists by kind, as :func:`normalise_actors` returns them.

    Returns:
        The actors in order of first appearance.
    """
    best: dict[str, Actor] = {}
    records: dict[str, list[str]] = {}
    for kind, kind_records in events.items():
        for i, record in enumerate(kind_records):
            for actor in _actors_of(record):
                key = _key(actor.name)
                if key not in best or _filled(actor) > _filled(best[key]):
                    best[key] = actor
                where = records.setdefault(key, [])
                if f"{kind}.{i}" not in where:
                    where.append(f"{kind}.{i}")
    return [IndexedActor(**best[key].model_dump(), records=where) for key, where in records.items()]
