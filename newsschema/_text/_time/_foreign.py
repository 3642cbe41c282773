"""Time expressions in other languages, read as the English rules read them.

An expression is folded (:func:`_words.fold`), its words replaced by the English
words the rules know ("am kommenden Montag" → "next monday", "4 de octubre de
2005" → "october 4 2005", "上周一" → "last monday"), and the result resolved by
the same rules, so that TIMEX3 values, granularity and calendar arithmetic stay
one implementation. Where English rules read the tense of the sentence, the
language's own marks of the future and the past decide (:func:`direction`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ._tense import Direction
from ._words import LANGUAGES, fold, phrases, tense_cues

__all__ = ["LANGUAGES", "direction", "translate", "zh_week_day"]

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_UNITS = r"(?:day|week|weekend|month|quarter|year)s?"
_PERIOD = (
    r"(?:day|week|weekend|month|quarter|year|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|spring|summer|autumn|winter|" + "|".join(_MONTH_NAMES) + ")"
)
_DAY_MONTH = re.compile(rf"\b(?P<day>[0-3]?\d) (?P<mon>{'|'.join(_MONTH_NAMES)})\b")
# "semaine dernière", "lunes pasado", "الأسبوع الماضي": the adjective follows the noun.
_POSTPOSED = re.compile(rf"\b(?P<noun>{_PERIOD}) (?P<rel>last|next|this)\b(?! {_PERIOD}\b)")
# French and Italian elision: "l'année", "dell'anno", "quest'anno".
_ELIDED = re.compile(r"(?<![^\W\d_])(l|d|qu|dell|nell|all|dall|sull|quest|un)'(?=[^\W\d_])")
# "vor drei Tagen", "hace dos semanas", "قبل أسبوعين": "ago" before the count.
_AGO_FIRST = re.compile(rf"^ago (?P<count>\S+ {_UNITS})$")
# "去年秋天" → "last year autumn", "مساء الثلاثاء" → "evening tuesday": the English order.
_YEAR_FIRST = re.compile(r"^(?P<rel>last|this|next) year (?P<rest>[a-z]+(?: \d{1,2})?)$")
_PART_FIRST = re.compile(
    r"^(?P<part>morning|afternoon|evening|night) (?P<day>monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|yesterday|tomorrow|today)$"
)
_REPEATED = re.compile(r"\b(last|next|this|year|week|month)( \1\b)+")


# Chinese: numerals, and dates written with 年, 月, 日.
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
# Not after 周, 星期, 礼拜: 周一 is Monday, a name of its own.
_ZH_NUMBER = re.compile(r"(?<![周期拜])[〇零一二两三四五六七八九十]+")
_ZH_UNITS = {"天": "days", "日": "days", "周": "weeks", "星期": "weeks", "个月": "months",
             "個月": "months", "月": "months", "年": "years"}  # fmt: skip
_ZH_COUNTED = re.compile(
    r"(?P<n>\d+)(?:个|個)?(?P<unit>天|日|周|星期|个月|個月|月|年)(?P<dir>前|后|後)"
)
_ZH_MODIFIER = re.compile(r"^(?P<core>.+?)(?P<mod>初|上旬|中旬|下旬|底|末|中)$")
_ZH_MODIFIERS = {"初": "early", "上旬": "early", "中旬": "mid", "中": "mid", "下旬": "late",
                 "底": "late", "末": "late"}  # fmt: skip


def _zh_number(match: re.Match[str]) -> str:
    """二〇〇五 → 2005 (digit by digit); 十二 → 12, 二十四 → 24 (with 十)."""
    text = match.group()
    if "十" not in text:
        return "".join(str(_ZH_DIGITS[ch]) for ch in text)
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return text
    return str((_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[units] if units else 0))


def _zh_dates(text: str) -> str:
    """Chinese dates and counts written as the English rules read them."""
    text = _ZH_NUMBER.sub(_zh_number, text).replace(" ", "")
    modifier = _ZH_MODIFIER.fullmatch(text)
    prefix = ""
    if modifier is not None and re.search(r"[年月]$", modifier["core"]):
        prefix, text = _ZH_MODIFIERS[modifier["mod"]] + " ", modifier["core"]
    text = re.sub(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]",
        lambda m: f" {int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d} ",
        text,
    )
    text = re.sub(r"(\d{4})\s*年\s*(\d{1,2})\s*月", lambda m: f" {_month(m[2])} {m[1]} ", text)
    text = re.sub(
        r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]", lambda m: f" {_month(m[1])} {m[2]} ", text
    )
    text = _ZH_COUNTED.sub(
        lambda m: (
            f" {m['n']} {_ZH_UNITS[m['unit']]} ago "
            if m["dir"] == "前"
            else f" in {m['n']} {_ZH_UNITS[m['unit']]} "
        ),
        text,
    )
    text = re.sub(r"(?<![\d-])(\d{4})\s*年(?!\s*\d)", r" \1 ", text)
    text = re.sub(r"(?<![\d-])(\d{1,2})\s*月(?!份?\s*\d)份?", lambda m: f" {_month(m[1])} ", text)
    return prefix + text


_ZH_WEEK_DAY = re.compile(
    r"(?P<week>上|下|本|这)(?:个)?(?:周|星期|礼拜)(?P<day>[一二三四五六日天])"
)
_ZH_WEEKDAYS = "一二三四五六日"


def zh_week_day(expression: str, anchor: date) -> date | None:
    """上周一, 下星期五, 本周三: a weekday of the previous, next or current week.

    Unlike English "last Monday" (the latest Monday before the date), 上周一 is the
    Monday of the week before the publication week.
    """
    match = _ZH_WEEK_DAY.fullmatch(fold(expression).strip())
    if match is None:
        return None
    weeks = {"上": -1, "下": 1}.get(match["week"], 0)
    weekday = _ZH_WEEKDAYS.index(match["day"].replace("天", "日"))
    monday = anchor - timedelta(days=anchor.weekday())
    return monday + timedelta(days=7 * weeks + weekday)


def _month(number: str) -> str:
    value = int(number)
    return _MONTH_NAMES[value - 1] if 1 <= value <= 12 else number


def translate(expression: str, language: str) -> str:
    """The expression in the English words the rules read ("letzte Woche" → "last week").

    Words of the language that carry no time (articles, prepositions) are left out;
    words the tables do not know are kept as written, so the rules see them and do not
    read more than the expression says.
    """
    text = fold(expression)
    if language in {"fr", "it"}:
        text = _ELIDED.sub(r"\1' ", text)
    text = re.sub(r"(?<=\d)\.(?=\s)", "", text)  # "4. Oktober"
    if language == "zh":
        text = _zh_dates(text)
    pattern, english = phrases(language)
    text = pattern.sub(lambda m: english[m.lastgroup or ""], text)
    text = " ".join(re.sub(r"[,;:()«»\"„“”]", " ", text).split())
    text = _REPEATED.sub(r"\1", text)
    text = _DAY_MONTH.sub(lambda m: f"{m['mon']} {m['day']}", text)
    text = _AGO_FIRST.sub(lambda m: f"{m['count']} ago", text)
    text = _POSTPOSED.sub(lambda m: f"{m['rel']} {m['noun']}", text)
    text = _YEAR_FIRST.sub(lambda m: f"{m['rest']} {m['rel']} year", text)
    return _PART_FIRST.sub(lambda m: f"{m['day']} {m['part']}", text)


_WINDOW = 80  # characters each side of the expression where a tense mark counts


def direction(context: str, expression: str, language: str) -> Direction | None:
    """Past or future, from the language's tense marks nearest the expression.

    The nearest mark within the sentence decides, one before the expression over one
    as far after it; a past mark inside a future one ("est prévu") does not count.
    None when the sentence has no mark, or does not contain the expression.
    """
    if language not in LANGUAGES:
        return None
    lowered = fold(context)
    cased = fold(context, lower=False) if language == "de" else lowered
    if len(cased) != len(lowered):
        cased = lowered
    at = lowered.find(fold(expression).strip(" .,;:"))
    if at < 0:
        return None
    end = at + len(fold(expression).strip(" .,;:"))
    cues = tense_cues(language)
    future = [m.span() for m in cues.future.finditer(cased) if m.end() <= at or m.start() >= end]
    past = [
        m.span()
        for m in cues.past.finditer(cased)
        if (m.end() <= at or m.start() >= end)
        and not any(f[0] <= m.start() < f[1] or m.start() <= f[0] < m.end() for f in future)
    ]
    best: tuple[int, int, Direction] | None = None
    for spans, which in ((future, "future"), (past, "past")):
        for start, stop in spans:
            before = stop <= at
            distance = at - stop if before else start - end
            if distance > _WINDOW:
                continue
            rank = (distance, 0 if before else 1, which)
            if best is None or rank[:2] < best[:2]:
                best = rank  # type: ignore[assignment]
    return None if best is None else best[2]
