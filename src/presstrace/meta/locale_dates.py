"""Date shapes of the languages of the news, built from CLDR (Babel) and dateparser's data.

Why: presstrace read dates with English month names and month-first order only, so
"9 oktober 2020" gave nothing and "03.05.2013" became March 5. Month and weekday names come
from well-kept locale data (presstrace.calendar_names: CLDR via Babel, plus dateparser's
spellings); the order of numeric dates from the CLDR short date pattern of the language. No
word list is written by hand here.

`for_language("de")` gives the names and one compiled pattern with the same named groups as
the English pattern of dates.py (so the same evidence rules apply), plus year-month-day forms
with 年/月/日 (Chinese, Japanese) and 년/월/일 (Korean). English and unknown languages get None:
dates.py keeps its own, tuned English pattern for them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..calendar_names import key, names

_ENGLISH = {"en", "und", ""}
# Every Unicode decimal digit (Arabic-Indic, Persian, Devanagari, Bengali, Thai, full-width…)
# mapped one to one (same length, so offsets hold) onto its ASCII digit. All of them lie
# below U+20000 (scanning the whole range costs 0.4 s per process, this 0.05 s).
DIGITS = {
    cp: ord(str(unicodedata.decimal(chr(cp))))
    for cp in range(128, 0x20000)
    if unicodedata.category(chr(cp)) == "Nd"
}


@dataclass(frozen=True)
class LocaleDates:
    """A language's month and weekday names and how it orders numeric dates."""

    lang: str
    months: dict[str, int] = field(default_factory=dict)  # lowercase form -> 1..12
    weekdays: dict[str, int] = field(default_factory=dict)  # lowercase form -> 0 (Mon)..6
    day_first: bool | None = None  # numeric d/m/y order; None when CLDR has no locale
    pattern: re.Pattern[str] | None = None

    def month(self, token: str) -> int | None:
        return self.months.get(key(token))

    def weekday(self, token: str) -> int | None:
        return self.weekdays.get(key(token))


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


# The English forms stay in every language's pattern: pages in any language carry English
# dates in their metadata lines, bylines of agency copy and comments.
_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_EN_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip


def _pattern(months: dict[str, int], weekdays: dict[str, int]) -> re.Pattern[str]:
    mon = rf"(?i:{_alternation(list(months))})\.?"
    wd = rf"(?i:{_alternation(list(weekdays))})"
    day = r"[0-3]?\d(?:st|nd|rd|th|er|º)?\.?"
    year = r"(?:19|20)\d\d"
    # "3 de mayo de 2013", "9. Oktober 2020", "9 октября 2020 г.", "Oktober 9, 2020"
    de = r"(?:(?:de|del|of)[ \t]+)?"
    # Flattened pages glue inline elements together ("Publiziert17. Dezember 2024",
    # "Demel13.12.2022", "30.01.202430. Januar 2024"): a date led by digits may follow a
    # letter, and a year may run into the next date's day; a date led by a name starts a word.
    word_start = r"(?<![^\W\d_])"
    # ... and a time may run into the date ("15:312018/09/16") or the year into a time
    # ("3 de mayo de 202221:25").
    glued_year = r"(?:(?!\d)|(?<=\d{4})(?=[0-3]?\d\.[ \t]*[^\W\d_]|[0-2]?\d:[0-5]\d(?!\d)))"
    # "29 / Dezember / 2022": a month name between slashes
    slash = r"[ \t]*/[ \t]*"
    latin = (
        rf"(?:(?<![\d.-])(?<!\d/)|(?<=\d:[0-5]\d))"
        rf"(?:{word_start}(?P<wd>{wd}),?[ \t]+(?:(?:the|le|el|den|der)[ \t]+)?)?(?:"
        rf"{word_start}(?P<m1>{mon})[ \t]*(?P<d1>{day})(?:[ \t]*,[ \t]*|[ \t]+|,)"
        rf"(?P<y1>{year})(?!\d)"
        rf"|(?P<d2>{day})(?:{slash}|[ \t]*{de})(?P<m2>{mon})(?:{slash}|,?[ \t]+{de})"
        rf"(?P<y2>{year}){glued_year}"
        rf"|(?P<y3>{year})(?P<s3>[-/.])(?P<m3>[01]?\d)(?P=s3)(?P<d3>[0-3]?\d)(?![\d])"
        # "06. 01. 2026" (spaced), "28.04.2023-19:20" (a time glued on)
        rf"|(?P<a4>[0-3]?\d)(?P<s4>[/.-]|\.[ \t])(?P<b4>[0-3]?\d)(?P=s4)(?P<y4>{year}|\d\d)"
        rf"(?:(?![\d/.-]\d)(?!\d)|(?<=\d{{4}})(?=[0-3]?\d\.[ \t]*[^\W\d_]|-\d\d?:\d\d))"
        rf"|(?P<y10>{year})\.?[ \t]+(?P<m10>{mon})[ \t]+(?P<d10>{day})(?![\d])"
        rf"|{word_start}(?P<m5>{mon}),?[ \t]+{de}(?P<y5>{year})(?!\d)"
        rf"|{word_start}(?P<m6>{mon})[ \t]*(?P<d6>{day})(?![\d:])"
        rf"|(?P<d7>{day})[ \t]*{de}(?P<m7>{mon})(?![^\W\d_])"
        r")"
    )
    # 2020年10月9日, 2020년 10월 9일, and the yearless 10月9日
    cjk = (
        rf"|(?<!\d)(?P<y8>{year})[ \t]*[年년][ \t]*(?P<m8>[01]?\d)[ \t]*[月월][ \t]*"
        r"(?P<d8>[0-3]?\d)(?!\d)[ \t]*[日일号]?"
        r"|(?<!\d)(?P<m9>[01]?\d)[ \t]*[月월][ \t]*(?P<d9>[0-3]?\d)[ \t]*[日일号]"
    )
    return re.compile("(?:" + latin + cjk + ")")


@lru_cache(maxsize=64)
def for_language(lang: str | None) -> LocaleDates | None:
    """The date shapes of `lang` (ISO 639-1), or None for English and unknown languages."""
    code = (lang or "").split("-")[0].split("_")[0].lower()
    if code in _ENGLISH:
        return None
    months, weekdays, day_first = names(code)
    months, weekdays = dict(months), dict(weekdays)
    if not months and day_first is None:
        return None
    for k, v in _EN_MONTHS.items():
        months.setdefault(k, v)
    for k, v in _EN_WEEKDAYS.items():
        weekdays.setdefault(k, v)
    return LocaleDates(code, months, weekdays, day_first, _pattern(months, weekdays))
