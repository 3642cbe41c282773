"""Time expressions as written, resolved against the publication date.

The model copies time expressions verbatim ("last weekend", "on Monday"); this
package turns them into TIMEX3 values (TimeML's normal form) with the first and
last day they cover. Hand-written rules cover the shapes news uses; dateparser
reads complete dates written in forms the rules do not know.

Where the words leave a choice open, the sentence decides: its tense picks the
past or the coming Friday (a news sentence without a future marker reports the
past), and a month and day without a year is the nearest such date when one lies
within 90 days (a bare month: when it is the month before or after publication, or
when the sentence has no tense cue). Words the sentence writes around a clipped
expression complete it ("a year" before "earlier", "25" in "April 24 and 25").
What neither the words nor the sentence settle (a weekday with no sentence, "that
day" with no date before it, "05/06/2023") stays unresolved, and ``When.reason``
says why. A part of the day resolves to its day ("Friday night" → the Friday); a
clock time written with a day keeps TimeML's value ("9 a.m. Tuesday" →
``...T09:00``), at granularity day. February 29 is the one of the publication
year when that is a leap year, else the leap year before or after as the tense
says. Any text and any anchor give a When: a period running past year 1 or year
9999 is unresolved ("outside the calendar range"), and so is a day that does not
exist ("no such date").

The modules, each importing only from those listed before it: ``_calendar``
(spans and the only place dates are made), ``_lexicon`` (words, tables, number
words, the cleaning of an expression), ``_tense`` (past or future from the
sentence, and the choice among recurring periods it makes), ``_rules`` (the
expression patterns and their TIMEX3 arithmetic), ``_duration``
(``resolve_duration``: lengths of time such as "four-day" or "two weeks" as TIMEX3
DURATION values, ``P4D``, ``P2W``; no anchor needed), ``_published``
(``find_published``, ``coerce_published``) and ``_resolve`` (``resolve_time`` and
its guard; an expression that is a length of time stays unresolved and says so).

How well this works is measured by ``benchmarks/time_accuracy.py`` against the
TimeML gold values of the TempEval-3 training corpus.
"""

from ._duration import resolve_duration
from ._published import coerce_published, find_published
from ._resolve import resolve_time

__all__ = ["coerce_published", "find_published", "resolve_duration", "resolve_time"]
