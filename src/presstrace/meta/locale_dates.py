"""Date shapes of the languages of the news, built from CLDR (Babel) and dateparser's data.

Why: presstrace read dates with English month names and month-first order only, so
"9 oktober 2020" gave nothing and "03.05.2013" became March 5. Month and weekday names come
from well-kept locale data (Babel's CLDR month names in their format and stand-alone forms,
wide and abbreviated, plus dateparser's translation data, which adds the spellings news
sites use: "Jänner", "Mrz", "октября"); the order of numeric dates comes from the CLDR short
date pattern of the language ("dd.MM.yy" is day first, "M/d/yy" month first). No word list
is written by hand here.

`for_language("de")` gives the names and one compiled pattern with the same named groups as
the English pattern of dates.py (so the same evidence rules apply), plus year-month-day forms
with 年/月/日 (Chinese, Japanese) and 년/월/일 (Korean). English and unknown languages get None:
dates.py keeps its own, tuned English pattern for them.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# Abbreviations shorter than this are left out: two-letter forms ("mo", "di") are words.
MIN_FORM_LETTERS = 3
_LETTERS = re.compile(r"[^\W\d_]")
_ENGLISH = {"en", "und", ""}
# Arabic-Indic and Persian digits, mapped one to one (same length) onto ASCII digits
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class LocaleDates:
    """A language's month and weekday names and how it orders numeric dates."""

    lang: str
    months: dict[str, int] = field(default_factory=dict)  # lowercase form -> 1..12
    weekdays: dict[str, int] = field(default_factory=dict)  # lowercase form -> 0 (Mon)..6
    day_first: bool | None = None  # numeric d/m/y order; None when CLDR has no locale
    pattern: re.Pattern[str] | None = None

    def month(self, token: str) -> int | None:
        return self.months.get(_key(token))

    def weekday(self, token: str) -> int | None:
        return self.weekdays.get(_key(token))


def _key(token: str) -> str:
    return token.strip().rstrip(".").lower()


def _usable(form: str) -> bool:
    return len(_LETTERS.findall(form)) >= MIN_FORM_LETTERS and not any(c.isdigit() for c in form)


def _babel_names(lang: str) -> tuple[dict[str, int], dict[str, int], bool | None]:
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_date_format, get_day_names, get_month_names

    try:
        loc = Locale.parse(lang)
    except (UnknownLocaleError, ValueError, TypeError):
        return {}, {}, None
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for num, name in get_month_names(width, context, loc).items():
                if _usable(name):
                    months.setdefault(_key(name), num)
        # weekdays: wide names only; abbreviations ("Mi", "mit") are too often words
        for num, name in get_day_names("wide", context, loc).items():
            if _usable(name):
                weekdays.setdefault(_key(name), num)
    short = get_date_format("short", locale=loc).pattern
    order = [c for c in re.sub(r"'[^']*'", "", short) if c in "dMy"]
    first = next((c for c in order if c in "dM"), None)
    day_first = None if first is None else first == "d"
    return months, weekdays, day_first


_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")  # fmt: skip
_DAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _dateparser_info(lang: str) -> dict:
    """dateparser's translation data for `lang`, read from its data file alone: importing
    the dateparser package itself costs over a second and is not needed for the names."""
    spec = importlib.util.find_spec("dateparser")
    if spec is None or not spec.submodule_search_locations or not re.fullmatch(r"[a-z]{2,3}", lang):
        return {}
    path = (
        Path(spec.submodule_search_locations[0]) / "data" / "date_translation_data" / f"{lang}.py"
    )
    if not path.is_file():
        return {}
    module_spec = importlib.util.spec_from_file_location(f"_presstrace_dp_{lang}", path)
    if module_spec is None or module_spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, "info", {})


def _dateparser_names(lang: str) -> tuple[dict[str, int], dict[str, int]]:
    info = _dateparser_info(lang)
    months = {
        _key(f): i for i, k in enumerate(_MONTH_KEYS, 1) for f in info.get(k, ()) if _usable(f)
    }
    weekdays = {
        _key(f): i
        for i, k in enumerate(_DAY_KEYS)
        for f in info.get(k, ())
        # the long forms only, as for Babel: "Mit" (Mittwoch) is also German "with"
        if _usable(f) and len(f) >= 5
    }
    return months, weekdays


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
    latin = (
        rf"(?<![\w.-])(?<!\d/)(?:(?P<wd>{wd}),?[ \t]+(?:(?:the|le|el|den|der)[ \t]+)?)?(?:"
        rf"(?P<m1>{mon})[ \t]*(?P<d1>{day})(?:[ \t]*,[ \t]*|[ \t]+|,)(?P<y1>{year})(?!\d)"
        rf"|(?P<d2>{day})[ \t]*{de}(?P<m2>{mon}),?[ \t]+{de}(?P<y2>{year})(?!\d)"
        rf"|(?P<y3>{year})(?P<s3>[-/.])(?P<m3>[01]?\d)(?P=s3)(?P<d3>[0-3]?\d)(?![\d])"
        rf"|(?P<a4>[0-3]?\d)(?P<s4>[/.-])(?P<b4>[0-3]?\d)(?P=s4)(?P<y4>{year}|\d\d)(?![\d/.-]\d)"
        rf"(?!\d)"
        rf"|(?P<y10>{year})\.?[ \t]+(?P<m10>{mon})[ \t]+(?P<d10>{day})(?![\d])"
        rf"|(?P<m5>{mon}),?[ \t]+{de}(?P<y5>{year})(?!\d)"
        rf"|(?P<m6>{mon})[ \t]*(?P<d6>{day})(?![\d:])"
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
    months, weekdays, day_first = _babel_names(code)
    dp_months, dp_weekdays = _dateparser_names(code)
    for k, v in dp_months.items():
        months.setdefault(k, v)
    for k, v in dp_weekdays.items():
        weekdays.setdefault(k, v)
    if not months and day_first is None:
        return None
    for k, v in _EN_MONTHS.items():
        months.setdefault(k, v)
    for k, v in _EN_WEEKDAYS.items():
        weekdays.setdefault(k, v)
    return LocaleDates(code, months, weekdays, day_first, _pattern(months, weekdays))
