"""Numeric claims: a number, its unit and the sentence it stands in ("11 drones",
"1,150 square kilometers", "£21bn", "eight drones", "between 10 and 20 tanks", "50%").

Dates, years, times, ordinals and numbers inside names ("10 Downing Street", "MH17") are
not claims."""

from __future__ import annotations

import re
from dataclasses import dataclass

from presstrace.calendar_names import calendar_words
from presstrace.extract.text import paragraphs, sentences


def _words(text: str) -> list[str]:
    return text.split()


_SMALL = {w: i for i, w in enumerate(_words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
))}  # fmt: skip
_TENS = {w: 10 * (i + 2) for i, w in enumerate(_words(
    "twenty thirty forty fifty sixty seventy eighty ninety"
))}  # fmt: skip
_SCALE = {"hundred": 100, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
          "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
          "dozen": 12}  # fmt: skip
_CURRENCY = {"£": "GBP", "$": "USD", "US$": "USD", "€": "EUR", "¥": "JPY", "₽": "RUB",
             "₴": "UAH"}  # fmt: skip
_CURRENCY_WORDS = {"dollars": "USD", "euros": "EUR", "pounds": "GBP", "roubles": "RUB",
                   "rubles": "RUB", "hryvnias": "UAH", "yuan": "CNY", "yen": "JPY"}  # fmt: skip
_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_STOP = frozenset(_words(
    "of the a an and or to in on at for by from with as than that this these those is are "
    "was were be been more less about over under up down per cent percent its their his her "
    "our your my it they we he she who which when where while if but so not no"
))  # fmt: skip
_MULTI_UNITS = ("square kilometers", "square kilometres", "square miles", "square meters",
                "square metres", "cubic meters", "cubic metres", "metric tons", "per cent",
                "light years")  # fmt: skip
_WORDNUM = "|".join(sorted([*_SMALL, *_TENS], key=len, reverse=True))
NUMBER = re.compile(
    r"(?P<cur>US\$|[£$€¥₽₴])?\s?"
    r"(?P<num>(?<![\w.,:/-])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,:/-])\d+(?:\.\d+)?)"
    r"(?:(?:\s*(?:-|–|to|and)\s*)(?P<high>\d[\d,]*(?:\.\d+)?))?"
    r"(?:\s?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn|m|k|b)\b)?"
    r"(?P<pct>\s?%|\s(?:per ?cent|percent)\b)?"
    r"|(?P<word>\b(?:(?:" + _WORDNUM + r")(?:[- ](?:" + _WORDNUM + r"))?)\b)"
    r"(?:\s(?P<wscale>hundred|thousand|million|billion|dozen)\b)?",
    re.IGNORECASE,
)
# a unit is a lower-case word of any script ("drones", "km", "дронов"); capitalised words
# after a number are names ("10 Downing Street")
_UNIT = re.compile(r"[\s-]*(?P<unit>[^\W\d_](?:[^\W\d_]|[’'-])*)")
# the word after a number, past a day's dot ("9. Oktober") or a short connector ("3 de mayo")
_NEXT_WORD = re.compile(r"\.?\s*(?:(?P<link>[^\W\d_]{1,3})\s+)?(?P<word>[^\W\d_]+)")


@dataclass
class RawClaim:
    value: float
    unit: str | None
    text: str
    start: int
    end: int
    high: float | None = None


def find_claims(text: str) -> list[RawClaim]:
    out = []
    for para in paragraphs(text):
        for sent in sentences(text, para):
            sentence = text[sent.start : sent.end]
            for m in NUMBER.finditer(text, sent.start, sent.end):
                claim = _claim(text, m, sentence)
                if claim is not None:
                    out.append(claim)
    return out


def _claim(text: str, m: re.Match, sentence: str) -> RawClaim | None:
    after = text[m.end() : m.end() + 40]
    before = text[max(0, m.start() - 12) : m.start()].lower()
    if m.group("word"):
        value = _word_value(m.group("word").lower())
        if value is None or value < 2 and not m.group("wscale"):
            return None  # "one of", "one senior official": too rarely a figure
        if m.group("wscale"):
            value *= _SCALE[m.group("wscale").lower()]
        unit = _unit(after)
        if unit is None:
            return None  # a number word only counts with a noun after it
        return RawClaim(value, unit, sentence, m.start(), m.end())
    raw = m.group("num")
    value = float(raw.replace(",", ""))
    if _is_date_or_name(text, m, raw, before, after):
        return None
    bare = not (m.group("pct") or m.group("cur") or m.group("scale") or m.group("high"))
    if bare and _calendar_next(before, after):
        return None
    high = float(m.group("high").replace(",", "")) if m.group("high") else None
    scale = (m.group("scale") or "").lower()
    if scale in ("m", "b", "k") and not m.group("cur"):
        scale = ""  # "5 m" is metres, not millions, unless it is money
    if scale:
        value *= _SCALE[scale]
        high = high * _SCALE[scale] if high is not None else None
    unit: str | None
    if m.group("cur"):
        unit = _CURRENCY[m.group("cur").upper() if m.group("cur") != "US$" else "US$"]
    elif m.group("pct"):
        unit = "%"
    else:
        unit = _unit(text[m.end() : m.end() + 40])
        if unit in _CURRENCY_WORDS:
            unit = _CURRENCY_WORDS[unit]
    if high is not None and high < value:
        high = None
    start = m.start("cur") if m.group("cur") else m.start("num")
    return RawClaim(value, unit, sentence, start, m.end(), high)


def _is_date_or_name(text: str, m: re.Match, raw: str, before: str, after: str) -> bool:
    digits = raw.replace(",", "")
    start = m.start("num")
    if start > 0 and text[start - 1].isalpha():
        return True  # MH17, G7
    if re.match(r"(?:st|nd|rd|th)\b|s\b|['’]s\b|:\d|/\d|-(?:year-old)?[A-Z]", after):
        return True  # ordinals, 1940s, times, dates
    capital_next = re.match(r"\s+[A-Z]", after) and not m.group("cur")
    if capital_next and not re.match(r"\s+(?:[A-Z][a-z]+\s+)?(?:[a-z])", after):
        return True  # "10 Downing Street", "Flight 1987"
    if "," not in raw and "." not in raw and len(digits) == 4 and 1800 <= int(digits) <= 2100:
        return _unit(after) is None  # "in 1987 he landed", not "1987 soldiers"
    if m.end() < len(text) and text[m.end()].isalpha() and not m.group("scale"):
        return True  # "9V", glued codes
    words = before.split()
    if words and words[-1].strip("(,") in _MONTHS:
        return True
    return bool(re.match(r"\s*(?:" + "|".join(_MONTHS) + r")\b", after.lower()))


def _calendar_next(before: str, after: str) -> bool:
    """Month and weekday names of every major news language, from locale data: "9 oktober",
    "9. Oktober", "9 октября", "oktober 2020" are dates, never a count of "oktober"."""
    nxt = _NEXT_WORD.match(after)
    if nxt and any((w or "").lower() in calendar_words() for w in nxt.group("link", "word")):
        return True
    words = before.split()
    return bool(words) and words[-1].strip("(,.").lower() in calendar_words()


def _unit(after: str) -> str | None:
    low = after.lower().lstrip(" -")
    for multi in _MULTI_UNITS:
        if low.startswith(multi):
            return multi
    m = _UNIT.match(after)
    if m is None or not m.group("unit")[0].islower():
        return None
    word = m.group("unit").lower().strip("’'-")
    if word in _STOP or not word or word in calendar_words():
        return None
    return word


def _word_value(word: str) -> float | None:
    total = 0
    for part in re.split(r"[- ]", word):
        if part in _SMALL:
            total += _SMALL[part]
        elif part in _TENS:
            total += _TENS[part]
        else:
            return None
    return float(total)
