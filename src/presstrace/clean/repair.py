"""Text repair: mojibake ("PutinÃ¢â‚¬â„¢s") and broken characters fixed with ftfy."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# ftfy's default straightens curly quotes; presstrace keeps them (quotes are evidence for
# the quote extractor, and repeated captions are matched regardless of quote style).
_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False)

# What ftfy can repair leaves a trace a regex finds in microseconds, while ftfy itself costs
# about 1.5 ms per 5 KB article (more than all the cleaning): UTF-8 read as Latin-1/cp1252
# (a lead byte U+00C2..U+00F4 followed by a continuation-byte look-alike), control
# characters, ligatures, full-width letters, replacement characters, HTML entities, ANSI.
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufb00-\ufb06\uff01-\uff5e\ufffd]"
    "|&(?:#\\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});|\x1b\\["
)

# One character class is scanned much faster than the alternation: a cheap first look.
_TRIGGER = re.compile(
    "[\u00c2-\u00f4\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufb00-\ufb06\uff01-\uff5e\ufffd&\x1b]"
)


def repair_text(text: str) -> str:
    """Undo mojibake and character damage; text without any trace of it is only normalised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() and "&" not in text and "\x1b" not in text:
        return text
    if _TRIGGER.search(text) and _SUSPECT.search(text):
        return ftfy.fix_text(text, config=_CONFIG)
    return unicodedata.normalize("NFC", text)
