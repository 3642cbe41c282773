"""The article's language: given by the caller or detected, and what newsschema reads in it.

Detection uses py3langid (langid.py's model, shipped in its wheel, loaded on first
use). An article too short or too mixed for a confident answer is read as English,
and the summary's provenance says the language was assumed.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from typing import Literal

from newsschema._errors import InputError, NewsschemaWarning

__all__ = [
    "LANGUAGE_NAMES",
    "SUPPORTED_LANGUAGES",
    "LanguageSource",
    "article_language",
    "check_language",
    "detect_language",
    "language_name",
    "warn_unsupported",
]

#: Languages whose time expressions, country names and titles newsschema reads.
SUPPORTED_LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "pt", "ru", "zh")
#: English names of the languages the prompt names (others are named by their code).
LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French",
    "it": "Italian", "pt": "Portuguese", "ru": "Russian", "zh": "Chinese", "nl": "Dutch",
    "pl": "Polish", "uk": "Ukrainian", "tr": "Turkish", "ja": "Japanese", "ko": "Korean",
    "fa": "Persian", "he": "Hebrew", "hi": "Hindi", "sv": "Swedish", "el": "Greek",
}  # fmt: skip

LanguageSource = Literal["caller", "detected", "assumed"]

# Below this many letters, or this confidence, a detection is not trusted.
_MIN_LETTERS = 40
_MIN_PROBABILITY = 0.9
_CODE = re.compile(r"[a-z]{2}")


def language_name(code: str) -> str:
    """'German' for 'de'; the code itself for a language without a name here."""
    return LANGUAGE_NAMES.get(code, code)


def check_language(language: object) -> str | None:
    """The caller's ``language=`` as a lower-case ISO 639-1 code, or an InputError.

    "de", "DE", "de-AT" and "de_CH" give "de"; None stays None (detect it).
    """
    if language is None:
        return None
    if not isinstance(language, str):
        raise InputError(f"language must be an ISO 639-1 code like 'de', got {language!r}")
    code = language.strip().lower().replace("_", "-").split("-")[0]
    if not _CODE.fullmatch(code):
        raise InputError(
            f"language {language!r} is not an ISO 639-1 code; give two letters like 'de', "
            "'zh', 'ar', or leave it out to detect the language"
        )
    return code


@cache
def _identifier() -> object:
    from py3langid.langid import (  # type: ignore[import-untyped]  # no type hints shipped
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when it cannot be told.

    None for text with fewer than 40 letters, or when the detector is less than 90%
    sure. Plain English (ASCII letters, many English function words) is told
    without the detector.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < _MIN_LETTERS:
        return None
    if _plainly_english(text, letters):
        return "en"
    try:
        code, probability = _identifier().classify(text)  # type: ignore[attr-defined]
    except (OSError, MemoryError, ValueError) as exc:
        # The model is unpacked through a temporary file: a full disk, a file-size limit
        # or a damaged install must not cost the article. Said once; read as English.
        _warn_once(
            "detection",
            f"newsschema could not load its language detector ({type(exc).__name__}: "
            f"{exc}); articles without language= are read as English",
        )
        return None
    if probability >= _MIN_PROBABILITY:
        return str(code)
    # Short Chinese text spreads the model's confidence over Chinese and Japanese: Han
    # characters without any kana are Chinese.
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in letters)
    kana = sum("\u3040" <= ch <= "\u30ff" for ch in letters)
    return "zh" if han > len(letters) / 2 and kana == 0 else None


# Words that are English function words and none in the other languages read here.
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "was",
        "said",
        "that",
        "for",
        "with",
        "they",
        "from",
        "his",
        "her",
        "has",
        "have",
        "will",
        "would",
        "are",
        "were",
        "by",
        "this",
        "their",
        "which",
        "who",
        "been",
        "after",
    ]
)
_ENGLISH_SHARE = 0.15
_MIN_WORDS = 8


def _plainly_english(text: str, letters: list[str]) -> bool:
    """ASCII letters only, and English function words a sixth or more of the words.

    The common case answered without loading the detector's model (half a second).
    """
    if not all(ch.isascii() for ch in letters):
        return False
    words = re.findall(r"[a-z']+", text.lower())
    if len(words) < _MIN_WORDS:
        return False
    return sum(word in _ENGLISH for word in words) >= _ENGLISH_SHARE * len(words)


def article_language(text: str, language: str | None) -> tuple[str, LanguageSource]:
    """The language to read the article in, and where it came from.

    The caller's (already checked by :func:`check_language`), else the detected
    one, else English, assumed.
    """
    if language is not None:
        return language, "caller"
    detected = detect_language(text)
    if detected is None:
        return "en", "assumed"
    return detected, "detected"


_warned: set[str] = set()


def _warn_once(topic: str, message: str) -> None:
    if topic in _warned:
        return
    _warned.add(topic)
    warnings.warn(message, NewsschemaWarning, stacklevel=4)


def warn_unsupported(language: str) -> None:
    """Say once per process what newsschema does not read in an unsupported language."""
    if language in SUPPORTED_LANGUAGES:
        return
    _warn_once(
        language,
        f"newsschema reads time expressions, country names and titles in "
        f"{', '.join(SUPPORTED_LANGUAGES)}; for {language_name(language)} ({language}) "
        "articles only complete dates resolve (relative ones such as 'last week' stay "
        "unresolved, with a reason), countries match ISO names in that language where "
        "pycountry translates them, and titles stay in names. Pass language= if the "
        "language was detected wrongly.",
    )
