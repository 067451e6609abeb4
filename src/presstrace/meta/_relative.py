"""Relative time expressions and durations, turned into intervals around a known event date.

A relative phrase says nothing on its own ("last week" is true every week); next to an event
whose date is known it places the *publication* date: "this week's Belgorod attack" means
published within days of 2023-05-22. Durations do the same from a start event:
"14-month war" means about 14 months after the war began.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip

_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "hundred": 100, "a hundred": 100, "one hundred": 100, "a couple of": 2, "couple of": 2,
    "a few": 3, "several": 4, "half a": 0.5, "one and a half": 1.5, "two and a half": 2.5,
    "a year and a half": 1.5,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip

NUM = (
    r"(?:\d{1,4}(?:\.\d)?|one and a half|two and a half|half a|a couple of|couple of|a few"
    r"|several|(?:a|one) hundred|hundred|(?:twenty|thirty|forty|fifty|sixty)(?:[- ](?:one|two"
    r"|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|ten|one|two|three|four|five|six|seven|eight|nine|an?)"
)
ORD = r"(?:\d{1,3}(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + ")"
UNIT = r"(?:day|week|month|year)"
QUAL = (
    r"(?:nearly|almost|close to|just under|approaching|not quite|more than|over|just over"
    r"|upwards of|at least|well over|about|around|roughly|some|approximately|a full|fully)"
)
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
# how far people round, per unit, below / above the stated number
_SLACK_DOWN = {"day": 1.0, "week": 1.0, "month": 1.0, "year": 0.5}
_SLACK_UP = {"day": 0.5, "week": 2.0, "month": 1.5, "year": 1.0}


def parse_number(text: str) -> float | None:
    """'ten' -> 10, '18' -> 18, 'twenty-one' -> 21, 'a year and a half' handled by callers."""
    t = text.lower().strip()
    if not t:
        return None
    if t[0].isdigit():
        try:
            return float(t)
        except ValueError:
            return None
    if t in _NUM_WORDS:
        return float(_NUM_WORDS[t])
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in _NUM_WORDS and parts[1] in _NUM_WORDS:
        return float(_NUM_WORDS[parts[0]] + _NUM_WORDS[parts[1]])
    return None


def parse_ordinal(text: str) -> float | None:
    t = text.lower()
    if t in _ORDINALS:
        return float(_ORDINALS[t])
    m = re.match(r"(\d+)", t)
    return float(m.group(1)) if m else None


def elapsed_range(n: float, unit: str, qual: str | None) -> tuple[float, float]:
    """Elapsed time in days that "<qual> <n> <unit>s" can mean, as (low, high).

    "nearly ten months" is between nine and ten months; "more than 11 days" between 11 and
    ~17 days; a bare "14-month war" between 13.5 and 15 months (people round).
    """
    unit = unit.lower().rstrip("s")
    size = _UNIT_DAYS[unit]
    down = _SLACK_DOWN[unit] if unit != "day" else max(1.0, 0.15 * n)
    up = _SLACK_UP[unit] if unit != "day" else max(2.0, 0.5 * n)
    q = (qual or "").lower()
    if q in {"nearly", "almost", "close to", "just under", "approaching", "not quite"}:
        lo, hi = n - down, n
    elif q in {"more than", "over", "just over", "upwards of", "at least", "well over"}:
        lo, hi = n, n + up
    elif q in {"about", "around", "roughly", "some", "approximately"}:
        lo, hi = n - down / 2, n + up / 2
    else:
        lo, hi = n - down / 2, n + (1.0 if unit != "day" else up / 2)
    return max(0.0, lo * size), hi * size


_WD = "|".join(WEEKDAYS)
_MO = "|".join(MONTHS)
REL = (
    r"(?P<rel>earlier today|today|tonight|this (?:morning|afternoon|evening)|yesterday"
    r"|last night|overnight|(?:earlier|later) this (?:week|month|year)|this (?:week|month|year)"
    r"|(?:last|past) (?:week|weekend|month|year)|the previous (?:week|month|year)"
    rf"|(?:last|this|on|earlier on|late on|early on) (?:{_WD})|last (?:{_MO})"
    rf"|(?P<agon>{NUM}) (?P<agou>day|week|month|year)s? ago)(?P<poss>'s)?"
)
REL_AFTER = re.compile(r"^[\s,(]{0,3}(?:[\w-]+ ){0,3}?" + REL + r"\b", re.I)
REL_BEFORE = re.compile(REL + r"(?:,)?\s+(?:[\w-]+\s+){0,1}$", re.I)


def _end_of_month(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def relative_window(rel: str, start: date, end: date | None = None) -> tuple[date, date] | None:
    """Publication-date window implied by `rel` said about an event on `start`..`end`.

    "this week's X" -> the rest of X's week; "last month's X" -> the month after X;
    "X last night" -> the day of X or the day after; "X on Wednesday" -> within six days.
    """
    end = end or start
    r = " ".join(rel.lower().replace("'s", "").split())
    if r in {"today", "earlier today", "tonight", "this morning", "this afternoon"}:
        return end, end
    if r in {"this evening", "yesterday", "last night", "overnight"}:
        return end, end + timedelta(days=1)
    if r in {"this week", "earlier this week", "later this week"}:
        return start, max(end, start + timedelta(days=6 - start.weekday()))
    if r in {"last week", "past week", "the previous week", "last weekend"}:
        monday = start - timedelta(days=start.weekday())
        return monday + timedelta(days=7), monday + timedelta(days=13)
    if r in {"this month", "earlier this month", "later this month"}:
        return start, max(end, _end_of_month(start))
    if r in {"last month", "past month", "the previous month"}:
        first = _add_months(start.replace(day=1), 1)
        return first, _end_of_month(first)
    if r in {"this year", "earlier this year", "later this year"}:
        return start, date(start.year, 12, 31)
    if r in {"last year", "past year", "the previous year"}:
        return date(start.year + 1, 1, 1), date(start.year + 1, 12, 31)
    words = r.split()
    if len(words) >= 2 and words[-1] in WEEKDAYS:
        if words[0] == "last":
            return end + timedelta(days=1), end + timedelta(days=13)
        return end, end + timedelta(days=6)
    if len(words) == 2 and words[0] == "last" and words[1] in MONTHS:
        if MONTHS.index(words[1]) + 1 != start.month:
            return None
        return end + timedelta(days=1), date(start.year + 1, 12, 31)
    m = re.match(rf"({NUM}) (day|week|month|year)s? ago$", r)
    if m:
        n = parse_number(m.group(1))
        if n is None:
            return None
        lo, hi = elapsed_range(n, m.group(2), "about")
        return start + timedelta(days=lo), end + timedelta(days=hi)
    return None
