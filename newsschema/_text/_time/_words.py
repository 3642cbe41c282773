"""Time words of other languages, as patterns and the English words the rules read.

Month and weekday names come from dateparser's locale data (its multilingual
vocabulary, loaded on first use); what it lacks is written here: the inflected
"last", "next" and "this", the units, prepositions and articles to leave out,
seasons, parts of the day, and the words that mark a sentence's tense. Each
pattern is matched on the expression after :func:`fold` (lower case, no Arabic
diacritics or tatweel, ASCII digits).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["LANGUAGES", "TenseCues", "fold", "month_weekday_words", "phrases", "tense_cues"]

#: The languages whose time expressions are read word by word (besides English).
LANGUAGES = ("ar", "de", "es", "fr", "it", "pt", "ru", "zh")

_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Arabic short vowels, shadda, sukun, dagger alif; and the tatweel that stretches words.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
# Alef with hamza or madda is written plain, ta marbuta as ha, alef maqsura as ya:
# news copy spells them either way.
_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0629": "\u0647",
        "\u0649": "\u064a", "\u2019": "'", "\u00a0": " ",
    }
)  # fmt: skip


def fold(text: str, *, lower: bool = True) -> str:
    """Lower case, Arabic without diacritics, tatweel or hamza seats, digits in ASCII.

    The result has as many characters as ``text`` less the Arabic marks removed.
    """
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)).translate(_LETTERS)
    text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)
    return text.lower() if lower else text


# --------------------------------------------------------------------------------------
# Words dateparser does not give: (pattern, English). Patterns are regular expressions
# over folded text, tried longest first; English is what the English rules read.

_LAST, _NEXT, _THIS = " last ", " next ", " this "
_GERMAN_WEEKDAYS = (
    ("montag", "monday"), ("dienstag", "tuesday"), ("mittwoch", "wednesday"),
    ("donnerstag", "thursday"), ("freitag", "friday"), ("samstag", "saturday"),
    ("sonnabend", "saturday"), ("sonntag", "sunday"),
)  # fmt: skip

_PHRASES: dict[str, list[tuple[str, str]]] = {
    "de": [
        (r"(?:in den )?letzten (?:jahren|monaten|wochen|tagen)", " recently "),
        (r"vorgestern", " the day before yesterday "),
        (r"übermorgen", " the day after tomorrow "),
        (r"gestern ?abend|gestern ?nacht|gestern in der nacht", " last night "),
        (r"heute ?morgen|heute ?früh|heute ?vormittag", " this morning "),
        (r"heute ?abend", " this evening "),
        (r"gestern", " yesterday "), (r"heute", " today "), (r"morgen", " tomorrow "),
        *[
            (rf"{day}(?:abend|nacht)", f" {english} night ")
            for day, english in _GERMAN_WEEKDAYS
        ],
        *[
            (rf"{day}(?:morgen|vormittag|früh)", f" {english} morning ")
            for day, english in _GERMAN_WEEKDAYS
        ],
        *[
            (rf"{day}(?:nachmittag|mittag)", f" {english} afternoon ")
            for day, english in _GERMAN_WEEKDAYS
        ],
        (r"abends?|nachts?", " night "), (r"vormittags?|morgens", " morning "),
        (r"nachmittags?", " afternoon "),
        (r"(?:des )?(?:vergangen|letzt|vorig)(?:e|en|er|es|em)?", _LAST),
        (r"(?:des )?(?:nächst|kommend|folgend)(?:e|en|er|es|em)?", _NEXT),
        (r"dies(?:e|en|er|es|em)?|(?:im )?laufend(?:e|en|er|es|em)", _THIS),
        (r"anfang|beginn", " early "), (r"mitte", " mid "), (r"ende", " late "),
        (r"wochenende[sn]?", " weekend "), (r"wochen?", " week "), (r"monate?n?s?", " month "),
        (r"jahre?n?s?", " year "), (r"tage?n?s?", " day "), (r"quartals?", " quarter "),
        (r"frühjahrs?|frühlings?", " spring "), (r"sommers?", " summer "),
        (r"herbste?s?", " autumn "), (r"winters?", " winter "),
        (r"vor", " ago "),
        (r"in ein(?:em|er)", " in a "),
        (r"ein(?:e|en|er|em)?", " a "),
    ],
    "fr": [
        (r"(?:ces |les )?derni(?:ers|ères) (?:années|mois|semaines|jours)", " recently "),
        (r"avant-hier", " the day before yesterday "),
        (r"après-demain", " the day after tomorrow "),
        (r"aujourd'hui", " today "), (r"hier soir", " last night "),
        (r"ce matin", " this morning "), (r"ce soir", " this evening "),
        (r"hier", " yesterday "), (r"demain", " tomorrow "),
        (r"derni(?:er|ère|ers|ères)|pass(?:é|ée|és|ées)|précédent(?:e|s|es)?", _LAST),
        (r"prochain(?:e|s|es)?", _NEXT),
        (r"c(?:e|et|ette|es)(?= )|en cours", _THIS),
        (r"-ci", " "),
        (r"(?:au |le )?début(?: de| d')?", " early "),
        (r"(?:à la |la )?mi-|(?:au )?milieu(?: de| d')?", " mid "),
        (r"(?:à la |la )?fin(?: de| d')?", " late "),
        (r"week-end|weekend|fin de semaine", " weekend "),
        (r"semaines?", " week "), (r"mois", " month "), (r"ann(?:ée|ées)|ans?", " year "),
        (r"jours?|journée", " day "), (r"trimestres?", " quarter "),
        (r"printemps", " spring "), (r"été", " summer "), (r"automne", " autumn "),
        (r"hiver", " winter "),
        (r"soir|soirée", " evening "), (r"matin|matinée", " morning "),
        (r"après-midi", " afternoon "), (r"nuit", " night "),
        (r"il y a", " ago "), (r"dans", " in "),
        (r"1er", " 1 "), (r"une?", " a "),
    ],
    "es": [
        (r"(?:los |las )?últim(?:os|as) (?:años|meses|semanas|días)", " recently "),
        (r"anteayer|antes de ayer", " the day before yesterday "),
        (r"pasado mañana", " the day after tomorrow "),
        (r"(?:el )?día de hoy", " today "), (r"(?:el )?día de ayer", " yesterday "),
        # "hace unas horas", "al final del día", "la jornada": the day of the report.
        (r"hace (?:unas|pocas|algunas) horas|(?:al )?(?:final|principio|comienzo) del día"
         r"|(?:la )?jornada(?: de hoy)?", " today "),
        (r"anoche|ayer por la noche", " last night "),
        (r"esta mañana", " this morning "), (r"esta noche", " tonight "),
        (r"hoy", " today "), (r"ayer", " yesterday "), (r"mañana", " tomorrow "),
        (r"que viene", _NEXT),
        (r"pasad(?:o|a|os|as)|últim(?:o|a|os|as)|anterior", _LAST),
        (r"próxim(?:o|a|os|as)|siguiente|entrante", _NEXT),
        (r"est(?:e|a|os|as)|en curso", _THIS),
        (r"(?:a )?(?:principios|comienzos|inicios|comienzo|principio|inicio) de", " early "),
        (r"(?:a )?mediados de", " mid "),
        (r"(?:a )?(?:finales|fines|final|fin) de(?! semana)", " late "),
        (r"fin(?:es)? de semana", " weekend "),
        (r"semanas?", " week "), (r"mes(?:es)?", " month "), (r"años?", " year "),
        (r"décadas?|decenios?", " decade "),
        (r"días?", " day "), (r"trimestres?", " quarter "),
        (r"primavera", " spring "), (r"verano", " summer "), (r"otoño", " autumn "),
        (r"invierno", " winter "),
        (r"(?:por|en) la noche", " night "), (r"(?:por|en) la tarde", " afternoon "),
        (r"(?:por|en) la mañana", " morning "),
        (r"dos", " 2 "), (r"tres", " 3 "), (r"cuatro", " 4 "), (r"cinco", " 5 "), (r"seis", " 6 "),
        (r"siete", " 7 "), (r"ocho", " 8 "), (r"nueve", " 9 "), (r"diez", " 10 "),
        (r"hace", " ago "), (r"dentro de", " in "),
        (r"un(?:o|a)?", " a "),
    ],
    "it": [
        (r"(?:gli |negli |le |nelle )?ultim(?:i|e) (?:anni|mesi|settimane|giorni)", " recently "),
        (r"l'altro ieri|altroieri", " the day before yesterday "),
        (r"dopodomani", " the day after tomorrow "),
        (r"ieri sera|ieri notte", " last night "),
        (r"stamattina|stamani|stamane|questa mattina", " this morning "),
        (r"stasera|questa sera", " this evening "),
        (r"oggi", " today "), (r"ieri", " yesterday "), (r"domani", " tomorrow "),
        (r"scors(?:o|a|i|e)|passat(?:o|a|i|e)|ultim(?:o|a|i|e)|precedente", _LAST),
        (r"prossim(?:o|a|i|e)|successiv(?:o|a)|entrante", _NEXT),
        (r"quest(?:o|a|i|e)|quest'|in corso", _THIS),
        (r"(?:all' ?)?inizio(?: di| del| della| dell')?", " early "),
        (r"(?:a )?metà(?: di| del| della| dell')?", " mid "),
        (r"(?:alla )?fine(?: di| del| della| dell')?", " late "),
        (r"sera|serata|notte", " night "), (r"mattina|mattinata", " morning "),
        (r"pomeriggio", " afternoon "),
        (r"due", " 2 "), (r"tre", " 3 "), (r"quattro", " 4 "), (r"cinque", " 5 "), (r"sei", " 6 "),
        (r"sette", " 7 "), (r"otto", " 8 "), (r"nove", " 9 "), (r"dieci", " 10 "),
        (r"fine settimana|weekend", " weekend "),
        (r"settiman(?:a|e)", " week "), (r"mes(?:e|i)", " month "), (r"ann(?:o|i)", " year "),
        (r"giorn(?:o|i)|giornata", " day "), (r"trimestr(?:e|i)", " quarter "),
        (r"primavera", " spring "), (r"estate", " summer "), (r"autunno", " autumn "),
        (r"inverno", " winter "),
        (r"fa", " ago "), (r"tra|fra", " in "),
        (r"un(?:o|a|')?", " a "),
    ],
    "pt": [
        (r"(?:os |as |nos |nas )?últim(?:os|as) (?:anos|meses|semanas|dias)", " recently "),
        (r"anteontem", " the day before yesterday "),
        (r"depois de amanhã", " the day after tomorrow "),
        (r"ontem à noite", " last night "), (r"esta manhã|hoje de manhã", " this morning "),
        (r"hoje", " today "), (r"ontem", " yesterday "), (r"amanhã", " tomorrow "),
        (r"passad(?:o|a|os|as)|últim(?:o|a|os|as)|anterior", _LAST),
        (r"próxim(?:o|a|os|as)|seguinte|que vem", _NEXT),
        (r"est(?:e|a|es|as)|nest(?:e|a)|em curso", _THIS),
        (r"(?:no )?(?:início|inícios|começo|princípio) d(?:e|o|a)", " early "),
        (r"(?:em )?meados d(?:e|o|a)", " mid "),
        (r"(?:no )?(?:final|fim|finais) d(?:e|o|a)(?! semana)", " late "),
        (r"fim de semana", " weekend "),
        (r"semanas?", " week "), (r"m[eê]s(?:es)?", " month "), (r"anos?", " year "),
        (r"dias?", " day "), (r"trimestres?", " quarter "),
        (r"primavera", " spring "), (r"verão", " summer "), (r"outono", " autumn "),
        (r"inverno", " winter "),
        (r"à noite|de noite", " night "), (r"à tarde|de tarde", " afternoon "),
        (r"de manhã", " morning "),
        (r"dois|duas", " 2 "), (r"três", " 3 "), (r"quatro", " 4 "), (r"cinco", " 5 "),
        (r"seis", " 6 "), (r"sete", " 7 "), (r"oito", " 8 "), (r"nove", " 9 "), (r"dez", " 10 "),
        (r"há", " ago "), (r"atrás", " ago "), (r"daqui a", " in "), (r"dentro de", " in "),
        (r"um|uma", " a "),
    ],
    "ru": [
        (r"(?:в )?последние (?:годы|месяцы|недели|дни)", " recently "),
        (r"позавчера", " the day before yesterday "),
        (r"послезавтра", " the day after tomorrow "),
        (r"вчера вечером|вчера ночью|прошлой ночью", " last night "),
        (r"сегодня утром", " this morning "), (r"сегодня вечером", " this evening "),
        (r"сегодня", " today "), (r"вчера", " yesterday "), (r"завтра", " tomorrow "),
        (r"прошл(?:ый|ой|ом|ого|ую|ая|ое|ые|ых)|минувш(?:ий|ей|ем|его|ую|ая|ее|ие|их)"
         r"|предыдущ(?:ий|ей|ем|его|ую|ая|ее)", _LAST),
        (r"следующ(?:ий|ей|ем|его|ую|ая|ее|ие|их)|будущ(?:ий|ей|ем|его|ую|ая|ее)"
         r"|предстоящ(?:ий|ей|ем|его|ую|ая|ее)", _NEXT),
        (r"эт(?:от|ом|ой|у|а|и|ого)|нынешн(?:ий|ем|ей|его)|текущ(?:ий|ем|ей|его)", _THIS),
        (r"(?:в )?начале", " early "), (r"(?:в )?середине", " mid "),
        (r"(?:в )?конце", " late "),
        (r"выходн(?:ые|ых|ыми)", " weekend "),
        (r"недел(?:я|и|ю|е|ь|ями)", " week "), (r"месяц(?:а|е|ев|у|ы)?", " month "),
        (r"год(?:а|у|ом)?|лет", " year "), (r"дн(?:я|ей)|день|сутки|суток", " day "),
        (r"квартал(?:е|а)?", " quarter "),
        (r"весн(?:а|ой|у|е)", " spring "), (r"лет(?:о|ом|а)", " summer "),
        (r"осен(?:ь|ью|и)", " autumn "), (r"зим(?:а|ой|у|е|ы)", " winter "),
        (r"утром", " morning "), (r"вечером", " evening "), (r"ночью", " night "),
        (r"назад", " ago "), (r"через", " in "),
        (r"од(?:ин|на|ну|ного|ной)", " a "), (r"дв(?:а|е|ух)", " 2 "), (r"тр(?:и|ех|ёх)", " 3 "),
    ],
    "zh": [
        (r"前天", " the day before yesterday "), (r"后天", " the day after tomorrow "),
        (r"昨晚|昨夜", " last night "), (r"今晨|今天早上|今早", " this morning "),
        (r"今晚", " tonight "),
        (r"今天|今日|当天|当日", " today "), (r"昨天|昨日", " yesterday "),
        (r"明天|明日", " tomorrow "),
        (r"去年", " last year "), (r"今年", " this year "), (r"明年", " next year "),
        (r"上(?:个|個)?月", " last month "), (r"下(?:个|個)?月", " next month "),
        (r"本月|这个月", " this month "),
        (r"上(?=(?:周|星期|礼拜)[一二三四五六日天])", " last "),
        (r"下(?=(?:周|星期|礼拜)[一二三四五六日天])", " next "),
        (r"[本这](?=(?:周|星期)[一二三四五六日天])", " this "),
        (r"上(?:周|星期|礼拜)", " last week "), (r"下(?:周|星期|礼拜)", " next week "),
        (r"本周|这周|这个星期", " this week "),
        (r"周末", " weekend "),
        (r"晚上|晚间|夜间|夜里", " night "), (r"上午|早上|清晨", " morning "),
        (r"下午", " afternoon "),
        (r"季度", " quarter "),
        (r"春季|春天", " spring "), (r"夏季|夏天", " summer "), (r"秋季|秋天", " autumn "),
        (r"冬季|冬天", " winter "),
    ],
    "ar": [
        (r"اول امس", " the day before yesterday "), (r"بعد غد", " the day after tomorrow "),
        (r"(?:مساء|ليل) ?(?:امس|البارحه)|الليله الماضيه", " last night "),
        (r"صباح اليوم|هذا الصباح", " this morning "),
        (r"اليوم", " today "), (r"امس|الامس|البارحه", " yesterday "),
        (r"غدا|غد", " tomorrow "),
        (r"الماضيه?|المنصرمه?|الفائته?|السابقه?", _LAST),
        (r"المقبله?|القادمه?|التاليه?|المقبلين", _NEXT),
        (r"هذا|هذه|الحاليه?|الجاريه?", _THIS),
        (r"(?:في )?(?:اوائل|مطلع|بدايه|اول)", " early "), (r"(?:في )?منتصف", " mid "),
        (r"(?:في )?(?:اواخر|نهايه|اخر)", " late "),
        (r"نهايه الاسبوع|عطله نهايه الاسبوع", " weekend "),
        (r"الاسبوع|اسبوع", " week "), (r"الشهر|شهر", " month "),
        (r"العام|عام|السنه|سنه", " year "), (r"ايام|يوما", " day "),
        (r"اسبوعين", " 2 weeks "), (r"شهرين", " 2 months "), (r"عامين|سنتين", " 2 years "),
        (r"يومين", " 2 days "),
        (r"الربيع", " spring "), (r"الصيف", " summer "), (r"الخريف", " autumn "),
        (r"الشتاء", " winter "),
        (r"مساء|ليله|ليل", " evening "), (r"صباح", " morning "),
        (r"اثنين|اثنان", " 2 "), (r"ثلاثه|ثلاث", " 3 "), (r"اربعه|اربع", " 4 "),
        (r"خمسه|خمس", " 5 "), (r"سته|ست", " 6 "), (r"سبعه|سبع", " 7 "), (r"عشره|عشر", " 10 "),
        (r"قبل|منذ", " ago "), (r"بعد|خلال", " in "),
    ],
}  # fmt: skip

# Words for the present, the past and the future as a whole (PRESENT_REF ...), and the
# ordinals of quarters.
_REFS_AND_ORDINALS: dict[str, list[tuple[str, str]]] = {
    "de": [
        (r"jetzt|derzeit|zurzeit|gegenwärtig|aktuell|momentan", " now "),
        (r"kürzlich|vor kurzem|jüngst|neulich|unlängst", " recently "),
        (r"bald|demnächst|künftig|in zukunft|in kürze", " soon "),
        (r"erst(?:e|en|er|es|em)", " first "),
        (r"zweit(?:e|en|er|es|em)", " second "),
        (r"dritt(?:e|en|er|es|em)", " third "),
        (r"viert(?:e|en|er|es|em)", " fourth "),
    ],
    "fr": [
        (r"maintenant|actuellement|en ce moment|à présent|désormais", " now "),
        (r"récemment|dernièrement|naguère", " recently "),
        (r"bientôt|prochainement|à l'avenir|à court terme|plus tard", " soon "),
        (r"premier|première", " first "),
        (r"deuxième|second|seconde|2e", " second "),
        (r"troisième|3e", " third "),
        (r"quatrième|4e", " fourth "),
    ],
    "es": [
        (r"ahora|actualmente|en este momento|el momento|hoy en día|en la actualidad", " now "),
        (r"recientemente|recientes|reciente|últimamente|más recientemente", " recently "),
        (r"pronto|próximamente|en el futuro|a corto plazo|corto plazo|más adelante", " soon "),
        (r"primer|primero|primera", " first "),
        (r"segundo|segunda", " second "),
        (r"tercer|tercero|tercera", " third "),
        (r"cuarto|cuarta", " fourth "),
    ],
    "it": [
        (r"ora|adesso|attualmente|al momento|oggi giorno|oggigiorno", " now "),
        (r"recentemente|di recente|ultimamente", " recently "),
        (r"presto|prossimamente|in futuro|a breve|nel breve termine", " soon "),
        (r"primo|prima", " first "),
        (r"secondo|seconda", " second "),
        (r"terzo|terza", " third "),
        (r"quarto|quarta", " fourth "),
    ],
    "pt": [
        (r"agora|atualmente|neste momento|hoje em dia", " now "),
        (r"recentemente|ultimamente", " recently "),
        (r"em breve|brevemente|no futuro|a curto prazo|futuramente", " soon "),
        (r"primeiro|primeira", " first "),
        (r"segundo|segunda", " second "),
        (r"terceiro|terceira", " third "),
        (r"quarto|quarta", " fourth "),
    ],
    "ru": [
        (r"сейчас|теперь|в настоящее время|ныне|на данный момент", " now "),
        (r"недавно|в последнее время|накануне", " recently "),
        (r"скоро|вскоре|в будущем|в ближайшее время|в ближайшем будущем", " soon "),
        (r"перв(?:ый|ом|ого|ая|ой)", " first "),
        (r"втор(?:ой|ом|ого|ая)", " second "),
        (r"треть(?:ем|его|ий|я|ей)", " third "),
        (r"четверт(?:ый|ом|ого|ая|ой)|четвёрт(?:ый|ом|ого|ая|ой)", " fourth "),
    ],
    "zh": [
        (r"现在|目前|当前|如今|眼下", " now "),
        (r"最近|近期|近日|日前|不久前", " recently "),
        (r"不久|未来|将来|近期内|今后", " soon "),
        (r"第(?:一|1)", " first "),
        (r"第(?:二|2)", " second "),
        (r"第(?:三|3)", " third "),
        (r"第(?:四|4)", " fourth "),
    ],
    "ar": [
        (r"الان|حاليا|في الوقت الحالي", " now "),
        (r"مؤخرا|في الاونه الاخيره", " recently "),
        (r"قريبا|مستقبلا|في المستقبل|في وقت لاحق", " soon "),
    ],
}

# Levantine and Maghrebi month names, beside the Egyptian ones dateparser gives.
_EXTRA_MONTHS: dict[str, list[tuple[str, int]]] = {
    "ar": [
        ("كانون الثاني", 1), ("شباط", 2), ("اذار", 3), ("نيسان", 4), ("ايار", 5),
        ("حزيران", 6), ("تموز", 7), ("اب", 8), ("ايلول", 9), ("تشرين الاول", 10),
        ("تشرين الثاني", 11), ("كانون الاول", 12), ("جانفي", 1), ("فيفري", 2), ("افريل", 4),
        ("ابريل", 4), ("ماي", 5), ("جوان", 6), ("جويليه", 7), ("يوليه", 7), ("اوت", 8),
    ],
    # The prepositional case: "в марте", "в мае".
    "ru": [
        ("январе", 1), ("феврале", 2), ("марте", 3), ("апреле", 4), ("мае", 5), ("июне", 6),
        ("июле", 7), ("августе", 8), ("сентябре", 9), ("октябре", 10), ("ноябре", 11),
        ("декабре", 12),
    ],
}  # fmt: skip
_EXTRA_WEEKDAYS: dict[str, list[tuple[str, int]]] = {
    # The accusative: "в пятницу", "в субботу".
    "ru": [("пятницу", 4), ("субботу", 5)],
    "pt": [("segunda", 0), ("terça", 1), ("quarta", 2), ("quinta", 3), ("sexta", 4)],
    "zh": [("周日", 6), ("周天", 6), ("星期天", 6)],
    "ar": [("الجمعه", 4), ("الاثنين", 0)],
}

# Articles, prepositions and fillers that carry no time: left out after translation.
_FILLERS: dict[str, str] = {
    "de": r"am|im|an|in|um|zum|zur|der|die|das|den|dem|des|von|vom|seit|ab|bis|bereits|noch|"
    r"schon|erst",
    "fr": r"le|la|les|l'|du|de|des|d'|au|aux|en|à|dès|depuis|jusqu'au|jusqu'à|cours|lors|"
    r"courant",
    "es": r"el|la|los|las|lo|del|de|en|a|al|desde|hasta|durante|pasado(?= \d)",
    "it": r"il|lo|la|i|gli|le|l'|del|dello|della|dei|degli|delle|dell'|di|nel|nello|nella|"
    r"nell'|a|al|alla|in|da|dal|dalla|entro|durante|corso",
    "pt": r"o|a|os|as|do|da|dos|das|de|no|na|nos|nas|em|ao|à|desde|até|durante|dia|feira",
    "ru": r"в|во|на|с|со|к|по|до|число|числа|(?<=\d )(?:года|году|г)",
    "zh": r"在|于|的|年度|号|日|从|自|起",
    "ar": r"في|يوم|من|م|ب|(?<=\d )(?:عام|سنه)",
}


@cache
def month_weekday_words(language: str) -> tuple[tuple[str, str], ...]:
    """Month and weekday names of ``language`` (dateparser's, with ours), folded, to English."""
    from importlib import import_module

    words: dict[str, str] = {}
    try:
        info = import_module(f"dateparser.data.date_translation_data.{language}").info
    except ImportError:  # pragma: no cover - dateparser is a dependency
        info = {}
    short_ok = language in {"zh"}
    for number, key in enumerate(_MONTH_KEYS, start=1):
        for word in info.get(key, []):
            if len(word) >= 3 or short_ok:
                words[fold(word).rstrip(".")] = _MONTH_KEYS[number - 1]
    for key in _WEEKDAY_KEYS:
        for word in info.get(key, []):
            if len(word) >= 4 or short_ok:
                words[fold(word)] = key
    for word, month in _EXTRA_MONTHS.get(language, []):
        words[fold(word)] = _MONTH_KEYS[month - 1]
    for word, weekday in _EXTRA_WEEKDAYS.get(language, []):
        words[fold(word)] = _WEEKDAY_KEYS[weekday]
    # Abbreviations that are also words: "mar" (Spanish "sea", "mar." for martes and
    # marzo), "dom", "sab", "die", "son", "mit".
    for ambiguous in ("mar", "mer", "die", "son", "mit", "dom", "sab", "gen", "sol", "out"):
        words.pop(ambiguous, None)
    return tuple(sorted(words.items(), key=lambda item: len(item[0]), reverse=True))


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|b(?:c|d)" → a, b(?:c|d))."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


def _numbers(language: str) -> list[tuple[str, str]]:
    """dateparser's number words of ``language`` ("zwei" → 2): those that are plain words."""
    from importlib import import_module

    if language == "ru":
        return []  # its number words are patterns of their own; ours are in _PHRASES
    info = import_module(f"dateparser.data.date_translation_data.{language}").info
    found = []
    for simplification in info.get("simplifications") or []:
        for word, digits in simplification.items():
            if digits.isdigit() and re.fullmatch(r"[^\W\d_]+(?:['\s][^\W\d_]+)*", word):
                found.append((re.escape(fold(word)), f" {digits} "))
    return found


@cache
def phrases(language: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """The one pattern of every word of ``language``, and the English of each group.

    The English of a match is looked up by the name of the group that matched;
    fillers (articles, prepositions) become a space.
    """
    names = [(re.escape(word), f" {english} ") for word, english in month_weekday_words(language)]
    entries = _PHRASES[language] + _REFS_AND_ORDINALS[language]
    entries += [(filler, " ") for filler in _alternatives(_FILLERS[language])]
    entries += _numbers(language)
    # A regex alternation takes the first alternative that matches: a filler that looks
    # behind ("2005 года") before the word it shadows, then the names of months and
    # weekdays ("segunda-feira" before the ordinal "segunda"), longer ones first.
    entries.sort(key=lambda item: (item[0].startswith("(?<="), len(item[0])), reverse=True)
    lookbehind = [entry for entry in entries if entry[0].startswith("(?<=")]
    entries = lookbehind + names + entries[len(lookbehind) :]
    bound = "" if language == "zh" else r"(?<![^\W\d_])"
    after = "" if language == "zh" else r"(?![^\W\d_])"
    groups = "|".join(f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(entries))
    english = {f"g{i}": word for i, (_, word) in enumerate(entries)}
    return re.compile(f"{bound}(?:{groups}){after}"), english


# --------------------------------------------------------------------------------------
# Tense: the words that mark a sentence as about the future or the past.


class TenseCues:
    """Two patterns over the folded sentence: its marks of the future and of the past."""

    def __init__(self, future: str, past: str, *, words: bool = True) -> None:
        bound, after = (r"(?<![^\W\d_])", r"(?![^\W\d_])") if words else ("", "")
        self.future = re.compile(f"{bound}(?:{future}){after}")
        self.past = re.compile(f"{bound}(?:{past}){after}")


_TENSE: dict[str, tuple[str, str]] = {
    "de": (
        r"wird|werden|werde|wirst|werdet|soll|sollen|plant|planen|geplant|will|wollen"
        r"|beabsichtigt|voraussichtlich|bevorstehend\w*|künftig|demnächst",
        r"hat|haben|hatte|hatten|war|waren|wurde|wurden|sagte|sagten|erklärte|erklärten|traf"
        r"|trafen|kam|kamen|gab|reiste|besuchte|empfing|unterzeichnete|kündigte|forderte"
        r"|betonte|teilte|hieß|ge[a-zäöüß]{2,}(?:t|en)",
    ),
    "fr": (
        r"va|vont|vais|allons|allez|doit|doivent|devrait|devraient|prévu|prévue|prévus|prévues"
        r"|sera|seront|aura|auront|fera|feront|ira|iront|pourra|pourront|devra|devront"
        r"|\w{3,}(?:era|eront|ira|iront|dra|dront)|prochainement|compte|comptent",
        r"a|ont|avait|avaient|eut|eurent|fut|furent|était|étaient|déclaré|annoncé|affirmé"
        r"|rencontré|indiqué|\w{3,}(?:èrent)|s'est|se sont",
    ),
    "es": (
        r"\w{2,}(?:rá|rán|ré|remos)|va a|van a|vamos a|prevé|prevén|previsto|prevista"
        r"|planea|planean|tiene previsto|tienen previsto|próximamente",
        r"ha|han|había|habían|hubo|fue|fueron|era|eran|dijo|dijeron|hizo|tuvo|estuvo"
        r"|\w{3,}(?:ó|aron|ieron|ió)",
    ),
    "it": (
        r"\w{2,}(?:rà|ranno|rò|remo)|prevede|prevedono|previsto|prevista|sta per|stanno per",
        r"ha|hanno|aveva|avevano|ebbe|fu|furono|era|erano|\w{2,}(?:arono|irono|erono)"
        r"|\w{3,}(?:ato|ata|ati|ate|uto|uta|uti|ito|ita)",
    ),
    "pt": (
        r"\w{2,}(?:rá|rão|rei|remos)|vai|vão|prevê|preveem|previsto|prevista|pretende"
        r"|pretendem|deverá|deverão",
        r"foi|foram|era|eram|disse|disseram|fez|teve|esteve|tinha|tinham"
        r"|\w{3,}(?:ou|iu|aram|eram|iram)",
    ),
    "ru": (
        r"будет|будут|буду|будем|планирует|планируют|намерен\w*|собирается|собираются"
        r"|предстоящ\w*|запланирован\w*|предстоит"
        # Present and perfective forms ("проведут", "посетит", "возобновятся"): with a
        # date, news writes what is scheduled this way; the nouns that end alike are not.
        r"|(?!(?:совет|бюджет|ответ|предмет|кабинет|пакет|визит|кредит|лимит|транзит|саммит"
        r"|депозит|комитет|приоритет|авторитет|университет|интернет|запрет|секрет|билет"
        r"|паритет|иммунитет|портрет)(?![^\W\d_]))"
        r"[^\W\d_]{3,}(?:ет|ит|ут|ют|ят|ется|ится|утся|ются|ятся|ёт)",
        r"был|была|было|были|\w{2,}(?:ал|ял|ел|ил|ыл|ул|ла|ло|ли|лся|лась|лось|лись)",
    ),
    "zh": (
        r"将(?!军)|将要|将会|即将|计划|拟|准备|预计|打算|(?<![社大员协国议年峰])会(?![见谈议晤面])",
        r"了|曾|已经|已(?!婚)|此前",
    ),
    "ar": (
        r"سوف|من المقرر|يعتزم|تعتزم|يعتزمون|المقبل\w*|القادم\w*|ست[ا-ي]{3,}|سي[ا-ي]{3,}",
        r"قال|قالت|اعلن|اعلنت|التقى|التقت|اكد|اكدت|كان|كانت|زار|زارت|عقد|عقدت|وقع|وقعت"
        r"|اجرى|اجرت|بحث|بحثت|وصل|وصلت|قد",
    ),
}


@cache
def tense_cues(language: str) -> TenseCues:
    """The tense marks of ``language`` (a supported one)."""
    future, past = _TENSE[language]
    return TenseCues(future, past, words=language != "zh")
