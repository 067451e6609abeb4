"""Month and weekday names of many languages, from well-kept locale data.

Why: dates (meta) and numeric claims (extract) must both know that "Oktober", "октября" and
"Jänner" are months, and stages do not import each other, so the names live here. They come
from Babel's CLDR data (month names in their format and stand-alone forms, wide and
abbreviated; weekday names wide) plus dateparser's translation data, which adds spellings news
sites use ("Jänner", "Mrz", "октября"). No word list is written by hand. `day_first` is the
order of the language's CLDR short date pattern ("dd.MM.yy" day first, "M/d/yy" month first).
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

# Abbreviations shorter than this are left out: two-letter forms ("mo", "di") are words.
MIN_FORM_LETTERS = 3
_LETTERS = re.compile(r"[^\W\d_]")
# The languages whose names every text is checked against when its own language is not
# known (claims): the major languages of the news this tool watches (issue 11).
NEWS_LANGUAGES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "no", "da", "fi", "pl", "cs",
    "sk", "hu", "ro", "el", "tr", "ru", "uk", "bg", "sr", "hr", "ar", "he", "fa",
)  # fmt: skip


def key(token: str) -> str:
    return token.strip().rstrip(".").lower()


def usable(form: str) -> bool:
    return len(_LETTERS.findall(form)) >= MIN_FORM_LETTERS and not any(c.isdigit() for c in form)


@lru_cache(maxsize=128)
def babel_names(lang: str) -> tuple[dict[str, int], dict[str, int], bool | None]:
    """(months, weekdays, day_first) of `lang` from CLDR; empty when Babel has no locale."""
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
                if usable(name):
                    months.setdefault(key(name), num)
        # weekdays: wide names only; abbreviations ("Mi", "mit") are too often words
        for num, name in get_day_names("wide", context, loc).items():
            if usable(name):
                weekdays.setdefault(key(name), num)
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


@lru_cache(maxsize=128)
def dateparser_names(lang: str) -> tuple[dict[str, int], dict[str, int]]:
    info = _dateparser_info(lang)
    months = {key(f): i for i, k in enumerate(_MONTH_KEYS, 1) for f in info.get(k, ()) if usable(f)}
    weekdays = {
        key(f): i
        for i, k in enumerate(_DAY_KEYS)
        for f in info.get(k, ())
        # the long forms only, as for Babel: "Mit" (Mittwoch) is also German "with"
        if usable(f) and len(f) >= 5
    }
    return months, weekdays


# Regional CLDR locales whose month names differ from the language's default: Levantine and
# Iraqi Arabic write آذار, نيسان, أيار (not مارس, أبريل, مايو), the Maghreb جانفي, فيفري.
REGIONAL_LOCALES = {"ar": ("ar_SY", "ar_IQ", "ar_TN", "ar_DZ", "ar_MA")}


@lru_cache(maxsize=128)
def names(lang: str) -> tuple[dict[str, int], dict[str, int], bool | None]:
    """(months, weekdays, day_first) of `lang`: lowercase form -> 1..12 / 0 (Mon)..6."""
    months, weekdays, day_first = babel_names(lang)
    months, weekdays = dict(months), dict(weekdays)
    for regional in REGIONAL_LOCALES.get(lang, ()):
        for k, v in babel_names(regional)[0].items():
            months.setdefault(k, v)
    dp_months, dp_weekdays = dateparser_names(lang)
    for k, v in dp_months.items():
        months.setdefault(k, v)
    for k, v in dp_weekdays.items():
        weekdays.setdefault(k, v)
    return months, weekdays, day_first


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Every month and weekday form of NEWS_LANGUAGES, lowercase, without a final dot."""
    words: set[str] = set()
    for lang in NEWS_LANGUAGES:
        months, weekdays, _ = names(lang)
        words.update(months)
        words.update(weekdays)
    return frozenset(words)


# dateparser's relative-type keys that mean "within the last few days" of the writing
RECENT_KEYS = ("0 day ago", "1 day ago", "2 day ago", "0 week ago")


@lru_cache(maxsize=128)
def recent_words(lang: str) -> tuple[str, ...]:
    """Words of `lang` that tell news written within days ("heute", "gestern", "вчера",
    "ayer", "昨日"), from dateparser's relative-type data; () when it has none."""
    info = _dateparser_info(lang)
    rel = info.get("relative-type") or {}
    words = {w.lower() for k in RECENT_KEYS for w in rel.get(k, ()) if len(w) >= 2}
    return tuple(sorted(words, key=len, reverse=True))
