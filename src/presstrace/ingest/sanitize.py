"""The reader boundary: every document and failure leaving ingest is made safe here, once.

Readers hand back whatever the input held. JSON may carry lone surrogates (`"\\ud800"`) that
no UTF-8 store can encode, so one such title crashed a whole batch at `add_batch`; text may
carry NULs and terminal escapes; a file name may hold bytes that are not UTF-8 (Python gives
them as surrogates) or a newline and ANSI codes that split or forge the one-line failure
messages. So text fields lose what is not text, names are shown escaped, and one document's
size is bounded before any later stage sees it.
"""

from __future__ import annotations

import re
from typing import Any

from presstrace.model import RawDocument

# The longest text a document carries into cleaning. Long-form news runs to ~200,000
# characters (the longest pages of the example and ECB+ corpora are under 60,000); 2M
# characters is 10x that, so a real article is never cut, while a runaway input (a log, a
# dump, 91 KB of repeated text that later stages multiply) costs bounded work and storage.
MAX_CONTENT_CHARS = 2_000_000
# The same for HTML, markup included: pages with inline scripts, styles and data: images run
# to a few MB around a short article. Clean and meta (trafilatura, htmldate) take ~6 s per
# million characters of text-heavy markup on this machine (bench/fuzz.py: 2M 11 s, 5M 31 s,
# 10M 57 s), so 5M keeps one page under a minute even on a loaded machine, while real
# article pages (a few MB at most) stay whole.
MAX_HTML_CHARS = 5_000_000
# A title, url, author or date longer than this is not one: cut (4 KB holds any real one).
MAX_HINT_CHARS = 4096

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab and newlines, and DEL; form feed and vertical tab become newlines. C1
# controls stay: they are what cp1252 mojibake looks like, and cleaning repairs it (ftfy).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# What must not reach a terminal raw in a name: C0/C1 controls, DEL, line/paragraph
# separators, and surrogates (undecodable bytes of a file name).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Text a store can hold and a terminal can show: lone surrogates become U+FFFD, NUL and
    other control characters go (tab and newlines stay)."""
    value = _SURROGATE.sub("\ufffd", value)
    # two replace() calls, not str.translate: the same result ~300x faster on a 5 KB text
    # (translate looks every character up in a dict; bench/ingest.py spent 0.45 ms a document)
    return _CONTROL.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n"))


def shown(name: str) -> str:
    """A file name or URL escaped for a one-line message: `bad\\xffname.txt`, `a\\nb`.

    Undecodable bytes (surrogate-escaped by Python) come back as `\\xNN`; idempotent."""
    return _UNSHOWABLE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{code:02x}")
    return f"\\u{code:04x}"


# Metadata is printed on one line by list views: C1 controls go too (U+009B is a CSI to
# some terminals); in the body they stay for cleaning to repair as mojibake.
_C1 = re.compile("[\x80-\x9f]")


def _clean_hint(value: Any) -> Any:
    if isinstance(value, str):
        return _C1.sub("", clean_text(value[:MAX_HINT_CHARS]))
    if isinstance(value, list):
        return [_clean_hint(v) for v in value[:100]]
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_hint(v) for k, v in list(value.items())[:100]}
    return value


def safe_document(doc: RawDocument) -> RawDocument:
    """The document with every text field cleaned, its source escaped, and its content cut to
    MAX_CONTENT_CHARS (MAX_HTML_CHARS for HTML); the cut is noted in hints["truncated"],
    which the pipeline lists among what was removed."""
    content = clean_text(doc.content)
    hints = {clean_text(str(k)): _clean_hint(v) for k, v in doc.hints.items()}
    limit = MAX_HTML_CHARS if doc.kind == "html" else MAX_CONTENT_CHARS
    if len(content) > limit:
        hints["truncated"] = (
            f"the last {len(content) - limit:,} of {len(content):,} characters were not "
            f"kept (over the {limit:,}-character limit per document)"
        )
        content = content[:limit]
    return RawDocument(
        id=doc.id, source=shown(doc.source), content=content, kind=doc.kind, hints=hints
    )
