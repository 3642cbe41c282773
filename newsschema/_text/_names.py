"""Countries and titles in other languages: the words around names, beyond English.

Country names come from pycountry's translations of ISO 3166 (its gettext
locales); what no data set gives is written here, short: adjectives of
nationality with their inflections ("französisch(e/en/er)", "российск(ий/ого)"),
capitals and buildings standing for their state ("Moskau", "Кремль", "白宫"), and
the titles written before names ("Bundeskanzler", "Präsidenten", "президент",
"国家主席"), which are not part of them.
"""

from __future__ import annotations

import re
from functools import cache

from ._fold import fold_name

__all__ = [
    "foreign_country_code",
    "is_title_word",
    "key",
    "not_name_word",
    "split_foreign_title",
]

# The one comparable form of a name (no accents, diacritics, periods; casefolded).
key = fold_name


# --------------------------------------------------------------------------------------
# Countries: adjectives of nationality (stems, matched with the language's endings),
# and capitals and buildings standing for the state. Written without accents: keys are.

_ENDINGS = {
    "de": r"(?:e|en|er|es|em)?",
    "fr": r"(?:e|s|es|ne|nes)?",
    "es": r"(?:o|a|os|as|es|e|s)?",
    "it": r"(?:o|a|i|e|hi|he)?",
    "pt": r"(?:o|a|os|as|es|e|s|ao|aes)?",
    "ru": r"(?:ий|ая|ое|ие|ого|ой|ому|ом|ую|их|им|ими|ый|ых|ым|ыми)",
    "zh": r"(?:人|的|方)?",
    "ar": r"(?:ه|ون|ين|يه|يون|يين)?",
}
_DEMONYMS: dict[str, dict[str, str]] = {
    "de": {
        "franzosisch": "FRA", "deutsch": "DEU", "russisch": "RUS", "chinesisch": "CHN",
        "amerikanisch": "USA", "us-amerikanisch": "USA", "britisch": "GBR",
        "ukrainisch": "UKR", "italienisch": "ITA", "spanisch": "ESP", "japanisch": "JPN",
        "israelisch": "ISR", "iranisch": "IRN", "turkisch": "TUR", "polnisch": "POL",
        "portugiesisch": "PRT", "indisch": "IND", "brasilianisch": "BRA", "kanadisch": "CAN",
        "agyptisch": "EGY", "saudi-arabisch": "SAU", "saudisch": "SAU", "syrisch": "SYR",
        "irakisch": "IRQ", "nordkoreanisch": "PRK", "sudkoreanisch": "KOR",
        "mexikanisch": "MEX", "osterreichisch": "AUT", "schweizerisch": "CHE",
        "niederlandisch": "NLD", "belgisch": "BEL", "griechisch": "GRC",
        "palastinensisch": "PSE", "libanesisch": "LBN", "belarussisch": "BLR",
        "weissrussisch": "BLR", "pakistanisch": "PAK", "afghanisch": "AFG",
    },
    "fr": {
        "francais": "FRA", "allemand": "DEU", "russe": "RUS", "chinois": "CHN",
        "americain": "USA", "etats-unien": "USA", "britannique": "GBR", "ukrainien": "UKR",
        "italien": "ITA", "espagnol": "ESP", "japonais": "JPN", "israelien": "ISR",
        "iranien": "IRN", "turc": "TUR", "turque": "TUR", "polonais": "POL",
        "portugais": "PRT", "indien": "IND", "bresilien": "BRA", "canadien": "CAN",
        "egyptien": "EGY", "saoudien": "SAU", "syrien": "SYR", "irakien": "IRQ",
        "nord-coreen": "PRK", "sud-coreen": "KOR", "mexicain": "MEX", "autrichien": "AUT",
        "suisse": "CHE", "neerlandais": "NLD", "belge": "BEL", "grec": "GRC",
        "grecque": "GRC", "palestinien": "PSE", "libanais": "LBN", "bielorusse": "BLR",
    },
    "es": {
        "frances": "FRA", "francesa": "FRA", "aleman": "DEU", "alemana": "DEU", "rus": "RUS",
        "chin": "CHN", "estadounidense": "USA", "norteamerican": "USA", "britanic": "GBR",
        "ucranian": "UKR", "italian": "ITA", "espanol": "ESP", "espanola": "ESP",
        "japones": "JPN", "japonesa": "JPN", "israeli": "ISR", "irani": "IRN", "turc": "TUR",
        "polac": "POL", "portugues": "PRT", "portuguesa": "PRT", "brasilen": "BRA",
        "canadiense": "CAN", "egipci": "EGY", "saudi": "SAU", "siri": "SYR", "iraqui": "IRQ",
        "norcorean": "PRK", "surcorean": "KOR", "mexican": "MEX", "austriac": "AUT",
        "suiz": "CHE", "venezolan": "VEN", "colombian": "COL", "argentin": "ARG",
        "chilen": "CHL", "peruan": "PER", "cuban": "CUB", "palestin": "PSE",
    },
    "it": {
        "frances": "FRA", "tedesc": "DEU", "russ": "RUS", "cines": "CHN", "american": "USA",
        "statunitens": "USA", "britannic": "GBR", "ucrain": "UKR", "italian": "ITA",
        "spagnol": "ESP", "giappones": "JPN", "israelian": "ISR", "iranian": "IRN",
        "turc": "TUR", "polacc": "POL", "portoghes": "PRT", "indian": "IND",
        "brasilian": "BRA", "canades": "CAN", "egizian": "EGY", "saudit": "SAU",
        "sirian": "SYR", "irachen": "IRQ", "nordcorean": "PRK", "sudcorean": "KOR",
        "messican": "MEX", "austriac": "AUT", "svizzer": "CHE", "palestines": "PSE",
    },
    "pt": {
        "frances": "FRA", "francesa": "FRA", "alem": "DEU", "russ": "RUS", "chines": "CHN",
        "chinesa": "CHN", "american": "USA", "norte-american": "USA", "estadunidense": "USA",
        "britanic": "GBR", "ucranian": "UKR", "italian": "ITA", "espanhol": "ESP",
        "espanhola": "ESP", "japones": "JPN", "japonesa": "JPN", "israelense": "ISR",
        "israelita": "ISR", "iranian": "IRN", "turc": "TUR", "polones": "POL",
        "portugues": "PRT", "portuguesa": "PRT", "brasileir": "BRA", "canadense": "CAN",
        "egipci": "EGY", "saudit": "SAU", "siri": "SYR", "iraquian": "IRQ",
        "norte-corean": "PRK", "sul-corean": "KOR", "mexican": "MEX", "palestin": "PSE",
    },
    "ru": {
        "французск": "FRA", "немецк": "DEU", "германск": "DEU", "российск": "RUS",
        "русск": "RUS", "китайск": "CHN", "американск": "USA", "британск": "GBR",
        "английск": "GBR", "украинск": "UKR", "итальянск": "ITA", "испанск": "ESP",
        "японск": "JPN", "израильск": "ISR", "иранск": "IRN", "турецк": "TUR",
        "польск": "POL", "португальск": "PRT", "индийск": "IND", "бразильск": "BRA",
        "канадск": "CAN", "египетск": "EGY", "саудовск": "SAU", "сирийск": "SYR",
        "иракск": "IRQ", "северокорейск": "PRK", "южнокорейск": "KOR",
        "белорусск": "BLR", "казахстанск": "KAZ", "палестинск": "PSE",
    },
    "zh": {
        "中": "CHN", "美": "USA", "俄": "RUS", "法": "FRA", "德": "DEU", "英": "GBR",
        "日": "JPN", "韩": "KOR", "朝": "PRK", "乌": "UKR", "意": "ITA",
    },
    "ar": {
        "فرنسي": "FRA", "الماني": "DEU", "روسي": "RUS", "صيني": "CHN", "امريكي": "USA",
        "اميركي": "USA", "بريطاني": "GBR", "اوكراني": "UKR", "ايطالي": "ITA",
        "اسباني": "ESP", "ياباني": "JPN", "اسرائيلي": "ISR", "ايراني": "IRN",
        "تركي": "TUR", "سعودي": "SAU", "سوري": "SYR", "عراقي": "IRQ", "مصري": "EGY",
        "قطري": "QAT", "لبناني": "LBN", "فلسطيني": "PSE", "اردني": "JOR",
        "اماراتي": "ARE", "كويتي": "KWT", "يمني": "YEM", "ليبي": "LBY", "تونسي": "TUN",
        "جزائري": "DZA", "مغربي": "MAR", "سوداني": "SDN", "باكستاني": "PAK", "هندي": "IND",
    },
}  # fmt: skip
# Chinese "side" forms are whole words (中方, 美方); a bare character alone is not a
# country, so those stems need their ending.
_NEEDS_ENDING = {"zh"}

_CAPITALS: dict[str, dict[str, str]] = {
    "de": {
        "moskau": "RUS", "kreml": "RUS", "peking": "CHN", "washington": "USA",
        "weisses haus": "USA", "weiße haus": "USA", "paris": "FRA", "elysee": "FRA",
        "elysee-palast": "FRA", "berlin": "DEU", "london": "GBR", "downing street": "GBR",
        "kiew": "UKR", "kyjiw": "UKR", "rom": "ITA", "madrid": "ESP", "tokio": "JPN",
        "teheran": "IRN", "ankara": "TUR", "warschau": "POL", "bundesregierung": "DEU",
    },
    "fr": {
        "moscou": "RUS", "kremlin": "RUS", "pekin": "CHN", "washington": "USA",
        "maison-blanche": "USA", "maison blanche": "USA", "paris": "FRA", "elysee": "FRA",
        "matignon": "FRA", "quai d'orsay": "FRA", "berlin": "DEU", "londres": "GBR",
        "kiev": "UKR", "kyiv": "UKR", "rome": "ITA", "madrid": "ESP", "tokyo": "JPN",
        "teheran": "IRN", "ankara": "TUR", "varsovie": "POL",
    },
    "es": {
        "moscu": "RUS", "kremlin": "RUS", "pekin": "CHN", "washington": "USA",
        "casa blanca": "USA", "paris": "FRA", "eliseo": "FRA", "berlin": "DEU",
        "londres": "GBR", "kiev": "UKR", "roma": "ITA", "madrid": "ESP", "moncloa": "ESP",
        "tokio": "JPN", "teheran": "IRN", "ankara": "TUR", "varsovia": "POL",
    },
    "it": {
        "mosca": "RUS", "cremlino": "RUS", "pechino": "CHN", "washington": "USA",
        "casa bianca": "USA", "parigi": "FRA", "eliseo": "FRA", "berlino": "DEU",
        "londra": "GBR", "kiev": "UKR", "roma": "ITA", "palazzo chigi": "ITA",
        "madrid": "ESP", "tokyo": "JPN", "teheran": "IRN", "ankara": "TUR",
    },
    "pt": {
        "moscou": "RUS", "moscovo": "RUS", "kremlin": "RUS", "pequim": "CHN",
        "washington": "USA", "casa branca": "USA", "paris": "FRA", "eliseu": "FRA",
        "berlim": "DEU", "londres": "GBR", "kiev": "UKR", "roma": "ITA", "madrid": "ESP",
        "toquio": "JPN", "teera": "IRN", "ancara": "TUR", "brasilia": "BRA",
        "planalto": "BRA", "lisboa": "PRT",
    },
    "ru": {
        "москва": "RUS", "кремль": "RUS", "пекин": "CHN", "вашингтон": "USA",
        "белый дом": "USA", "париж": "FRA", "елисейский дворец": "FRA", "берлин": "DEU",
        "лондон": "GBR", "киев": "UKR", "рим": "ITA", "мадрид": "ESP", "токио": "JPN",
        "тегеран": "IRN", "анкара": "TUR", "варшава": "POL", "сша": "USA",
        "великобритания": "GBR", "британия": "GBR", "россия": "RUS", "рф": "RUS", "кнр": "CHN",
        "китай": "CHN", "германия": "DEU", "франция": "FRA", "украина": "UKR",
    },
    "zh": {
        "莫斯科": "RUS", "克里姆林宫": "RUS", "北京": "CHN", "华盛顿": "USA", "白宫": "USA",
        "巴黎": "FRA", "爱丽舍宫": "FRA", "柏林": "DEU", "伦敦": "GBR", "唐宁街": "GBR",
        "基辅": "UKR", "罗马": "ITA", "马德里": "ESP", "东京": "JPN", "德黑兰": "IRN",
        "安卡拉": "TUR", "美国": "USA", "英国": "GBR", "俄罗斯": "RUS", "俄国": "RUS",
    },
    "ar": {
        "موسكو": "RUS", "الكرملين": "RUS", "بكين": "CHN", "واشنطن": "USA",
        "البيت الابيض": "USA", "باريس": "FRA", "الاليزيه": "FRA", "برلين": "DEU",
        "لندن": "GBR", "كييف": "UKR", "روما": "ITA", "مدريد": "ESP", "طوكيو": "JPN",
        "طهران": "IRN", "انقره": "TUR", "الرياض": "SAU", "دمشق": "SYR", "بغداد": "IRQ",
        "القاهره": "EGY", "الدوحه": "QAT", "بيروت": "LBN",
        "الولايات المتحده": "USA", "الولايات المتحده الامريكيه": "USA", "روسيا": "RUS",
        "امريكا": "USA", "بريطانيا": "GBR", "المملكه المتحده": "GBR",
    },
}  # fmt: skip

# pycountry's locale for each language (Chinese: simplified, as mainland wire copy).
_LOCALES = {"zh": "zh_CN"}


_AR_LETTERS = str.maketrans("أإآةى", "اااهي")


def _ar(text: str) -> str:
    """Arabic spelling variants folded: hamza seats, ta marbuta, alef maqsura."""
    return text.translate(_AR_LETTERS)


def _fold(value: str, language: str) -> str:
    folded = key(value)
    return _ar(folded) if language == "ar" else folded


def _russian_cases(name: str) -> list[str]:
    """The other cases of a one-word Russian country name ("Россия" → "России", "Россию")."""
    if " " in name:
        return []
    if name.endswith("ия"):
        stem = name[:-2]
        return [stem + ending for ending in ("ии", "ию", "ией")]
    if name.endswith("а"):
        stem = name[:-1]
        return [stem + ending for ending in ("ы", "и", "е", "у", "ой")]
    if name.endswith("й"):
        stem = name[:-1]
        return [stem + ending for ending in ("я", "ю", "е", "ем")]
    if name[-1:] not in "аеёиоуыэюяь":
        return [name + ending for ending in ("а", "у", "е", "ом")]
    return []


@cache
def _index(language: str) -> dict[str, str]:
    """Every translated ISO name of ``language`` and our forms, keyed by ``_fold``."""
    import gettext

    import pycountry  # loaded on first use: its databases are large

    try:
        translation: gettext.NullTranslations = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[_LOCALES.get(language, language)]
        )
    except OSError:
        translation = gettext.NullTranslations()  # no translation: the English names
    derived: dict[str, set[str]] = {}
    primary: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            english: str | None = getattr(country, attribute, None)
            if not english:
                continue
            name = translation.gettext(english)
            primary[_fold(name, language)] = country.alpha_3
            forms = [re.sub(r"\s*\(.*?\)", "", name)]
            if ", " in name:
                head, tail = name.split(", ", 1)
                forms += [head, f"{tail} {head}"]
            if language == "ru":
                forms += _russian_cases(forms[0])
            if language == "ar":
                forms += [form.removeprefix("ال") for form in list(forms)]
            for form in forms:
                derived.setdefault(_fold(form, language), set()).add(country.alpha_3)
    index = {form: next(iter(codes)) for form, codes in derived.items() if len(codes) == 1}
    index.update(primary)
    for name, code in _CAPITALS.get(language, {}).items():
        index[_fold(name, language)] = code
        for form in _russian_cases(name) if language == "ru" else []:
            index[_fold(form, language)] = code
    return index


@cache
def _demonym_pattern(language: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    stems = _DEMONYMS.get(language)
    if not stems:
        return None
    # Folded as the values are: "ий" is "ии" once the breve is gone.
    ending = _fold(_ENDINGS[language], language)
    if language in _NEEDS_ENDING:
        ending = r"(?:方|国|国人)"
    ordered = sorted(stems, key=len, reverse=True)
    prefix = "(?:ال)?" if language == "ar" else ""
    pattern = re.compile(
        prefix + "(?P<stem>" + "|".join(re.escape(_fold(s, language)) for s in ordered) + ")"
        + ending
    )  # fmt: skip
    return pattern, {_fold(s, language): code for s, code in stems.items()}


def foreign_country_code(value: str, language: str) -> str | None:
    """The alpha-3 code a country name, adjective or capital of ``language`` stands for.

    "Frankreich", "französischen", "Moskau" (de); "России", "Кремль" (ru); "中方",
    "法国" (zh); "الفرنسية" (ar). None when the value is none of them.
    """
    folded = _fold(value, language)
    if not folded:
        return None
    index = _index(language)
    if folded in index:
        return index[folded]
    demonyms = _demonym_pattern(language)
    if demonyms is None:
        return None
    pattern, codes = demonyms
    # "französische Regierung", "правительство России": the country word of a phrase.
    for word in [folded, *folded.split()]:
        match = pattern.fullmatch(word)
        if match is not None:
            return codes[match["stem"]]
        if word != folded and word in index and len(folded.split()) <= 3:
            return index[word]
    return None


# --------------------------------------------------------------------------------------
# Titles before names, and the words that open sentences (never part of a name).

_TITLES: dict[str, str] = {
    "de": r"\w*(?:minister|ministerin|prasident|prasidentin|kanzler|kanzlerin|chef|chefin"
    r"|sprecher|sprecherin|botschafter|botschafterin|sekretar|sekretarin|vorsitzende"
    r"|vorsitzender|fuhrer|fuhrerin|konig|konigin|papst|general|burgermeister"
    r"|burgermeisterin|staatsanwalt|staatsanwaltin|richter|richterin|gouverneur|senator"
    r"|senatorin|abgeordnete|abgeordneter|diplomat|diplomatin)(?:s|en|n|in|innen)?"
    r"|herr|herrn|frau|dr|prof",
    "fr": r"(?:vice-)?president(?:e|s)?|(?:premier |premiere )?ministre|chancelier(?:e)?"
    r"|secretaire|porte-parole|ambassadeur|ambassadrice|roi|reine|pape|general|maire|chef"
    r"|dirigeant(?:e)?|procureur(?:e)?|juge|directeur|directrice|senateur|senatrice|depute(?:e)?"
    r"|emir|prince|princesse|m|mme|mlle|monsieur|madame",
    "es": r"(?:vice)?presidente?|(?:primer |primera )?ministr[oa]|canciller|secretari[oa]"
    r"|portavoz|embajador(?:a)?|rey|reina|papa|general|alcalde(?:sa)?|jefe|jefa|lider"
    r"|fiscal|juez(?:a)?|director(?:a)?|senador(?:a)?|diputad[oa]|principe|princesa|sr|sra"
    r"|don|dona|senor|senora",
    "it": r"(?:vice)?presidente(?:ssa)?|(?:primo )?ministro|ministra|premier|cancelliere"
    r"|segretari[oa]|portavoce|ambasciatore|ambasciatrice|re|regina|papa|generale|sindac[oa]"
    r"|capo|leader|procuratore|giudice|direttore|direttrice|senatore|senatrice|deputat[oa]"
    r"|principe|principessa|sig|sigra|signor|signora",
    "pt": r"(?:vice-)?presidente|(?:primeiro|primeira)-ministr[oa]|ministr[oa]|chanceler"
    r"|secretari[oa]|porta-voz|embaixador(?:a)?|rei|rainha|papa|general|prefeit[oa]"
    r"|chefe|lider|procurador(?:a)?|juiz(?:a)?|diretor(?:a)?|senador(?:a)?|deputad[oa]"
    r"|principe|princesa|sr|sra|senhor|senhora",
    "ru": r"(?:вице-)?президент(?:а|у|ом|е)?|премьер(?:-министр(?:а|у|ом|е)?)?|министр(?:а|у|ом|е)?"
    r"|канцлер(?:а|у|ом|е)?|глав(?:а|ы|е|у|ой)|председател(?:ь|я|ю|ем|е)|секретар(?:ь|я|ю|ем|е)"
    r"|генсек(?:а|у|ом|е)?|пресс-секретар(?:ь|я|ю|ем|е)|представител(?:ь|я|ю|ем|е)"
    r"|посол|посла|послу|послом|после|корол(?:ь|я|ю|ем|е)|королев(?:а|ы|е|у|ой)"
    r"|генерал(?:а|у|ом|е)?|мэр(?:а|у|ом|е)?|губернатор(?:а|у|ом|е)?|прокурор(?:а|у|ом|е)?"
    r"|суд(?:ья|ьи|ье|ью|ьей)|директор(?:а|у|ом|е)?|сенатор(?:а|у|ом|е)?|депутат(?:а|у|ом|е)?"
    r"|лидер(?:а|у|ом|е)?|госсекретар(?:ь|я|ю|ем|е)|патриарх(?:а|у|ом|е)?|папа|папы",
    "ar": r"(?:ال)?(?:رئيس|رئيسه|وزير|وزيره|ملك|ملكه|امير|اميره|ولي|متحدث|متحدثه|سفير|سفيره"
    r"|امين|شيخ|مستشار|مستشاره|جنرال|قاضي|مدعي|نائب|زعيم|قائد|مبعوث|سيد|سيده)",
}
_ZH_TITLES = re.compile(
    r"^(?P<title>.*(?:主席|总统|总理|部长|外长|首相|总书记|书记|发言人|大使|国务卿|国王|女王"
    r"|秘书长|委员长|主任|市长|省长|司令|将军|法官|检察官|议长|领导人|总裁|董事长|教皇|总督"
    r"|特使|外交官|先生|女士))(?P<name>.+)$"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that open sentences, capitalised there, never part of a name.
_OPENERS: dict[str, frozenset[str]] = {
    "de": _words(
        """am im an in um der die das den dem des ein eine einen einem einer nach bei mit von
        vom vor laut auch zudem doch aber er sie es wir ihr und oder wie als seit zum zur beim
        dabei damit danach dazu dort heute gestern morgen so nun noch schon"""
    ),
    "fr": _words(
        """le la les l un une des du de selon lors apres avant pour dans il elle ils elles nous
        et ou mais ce cette ces en au aux a sur par depuis hier aujourd'hui"""
    ),
    "es": _words(
        """el la los las un una unos unas del de segun tras antes para en con por desde ella
        ellos y o pero este esta estos ayer hoy"""
    ),
    "it": _words(
        """il lo la i gli le un una del della di secondo dopo prima per in con da nel nella lui
        lei e o ma questo questa ieri oggi"""
    ),
    "pt": _words(
        """o a os as um uma do da de segundo apos antes para em com por desde no na ele ela e ou
        mas este esta ontem hoje"""
    ),
    "ru": _words("в во на по как после до для из с со и а но он она они это вчера сегодня"),
}


@cache
def _title_pattern(language: str) -> re.Pattern[str] | None:
    pattern = _TITLES.get(language)
    return None if pattern is None else re.compile(f"(?:{_fold(pattern, language)})")


def is_title_word(word: str, language: str) -> bool:
    """Whether ``word`` is a title of ``language`` ("Bundeskanzler", "президента")."""
    pattern = _title_pattern(language)
    folded = _fold(word, language)
    return pattern is not None and pattern.fullmatch(folded) is not None


def not_name_word(word: str, language: str) -> bool:
    """Whether ``word`` is a title, a sentence opener or a country word of ``language``."""
    folded = _fold(word, language)
    return (
        folded in _OPENERS.get(language, frozenset())
        or is_title_word(word, language)
        or foreign_country_code(word, language) is not None
    )


_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"{_LETTER}+(?:['\u2019-]{_LETTER}+)*\.?")
_PARTICLES = _words("al bin ibn da de del der di dos du el la le van von ben abu")
_ARTICLES = re.compile(
    r"^(?:(?:le|la|les|l'|el|los|las|il|lo|gli|o|a|os|as|der|die|das|den|dem|des)\s+)+",
    re.IGNORECASE,
)


def split_foreign_title(name: str, language: str) -> tuple[str | None, str]:
    """The title a name of ``language`` starts with, and the name without it.

    "Bundeskanzler Olaf Scholz" → ("Bundeskanzler", "Olaf Scholz"); "le président
    Emmanuel Macron" → ("président", "Emmanuel Macron"); "президент Владимир
    Путин" → ("президент", "Владимир Путин"); "国家主席习近平" → ("国家主席",
    "习近平"); "الرئيس الفرنسي إيمانويل ماكرون" → ("الرئيس الفرنسي", "إيمانويل
    ماكرون"). ``(None, name)`` when no title of the language comes first.
    """
    stripped = " ".join(name.split())
    if language == "zh":
        match = _ZH_TITLES.match(stripped.replace(" ", ""))
        if match is None or len(match["name"]) < 2:
            return None, name
        return match["title"], match["name"]
    if language == "ar":
        return _split_arabic(stripped, name)
    words = stripped.split(" ")
    # The name: the last run of capitalised words (particles inside), up to a title.
    start = len(words)
    while start > 0:
        word = words[start - 1]
        capitalised = (
            word[:1].isupper()
            and not is_title_word(word.rstrip("."), language)
            and foreign_country_code(word, language) is None
        )
        inside = word.lower() in _PARTICLES and start < len(words)
        if not (capitalised or inside):
            break
        start -= 1
    while start < len(words) and words[start].lower() in _PARTICLES:
        start += 1
    head, rest = words[:start], words[start:]
    if not head or len(rest) == 0:
        return None, name
    if not any(is_title_word(w.rstrip("."), language) for w in head):
        return None, name
    title = _ARTICLES.sub("", " ".join(head)).strip(" ,")
    return (title or None), " ".join(rest)


def _split_arabic(stripped: str, name: str) -> tuple[str | None, str]:
    """Arabic: titles first, then words with the article (ministries, adjectives)."""
    words = stripped.split(" ")
    start = 0
    while start < len(words) - 1 and (
        is_title_word(words[start], "ar") or _ar(key(words[start])).startswith("ال")
    ):
        start += 1
    if start == 0 or not is_title_word(words[0], "ar"):
        return None, name
    return " ".join(words[:start]), " ".join(words[start:])
