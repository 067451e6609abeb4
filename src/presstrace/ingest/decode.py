"""Bytes to text: BOMs, declared charsets, detection of legacy encodings, and binary checks.

Scraped news arrives in every encoding a CMS ever produced (cp1252, shift_jis, koi8-r …), and
a wrong guess turns an article into mojibake that no later stage can fully repair, so the order
is: what the bytes prove (a BOM), what the transport or the page declares, strict UTF-8, then
charset-normalizer's statistical guess.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from presstrace.ingest.errors import ReadError

BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "binary file (PNG image)"),
    (b"\xff\xd8\xff", "binary file (JPEG image)"),
    (b"GIF87a", "binary file (GIF image)"),
    (b"GIF89a", "binary file (GIF image)"),
    (b"PK\x03\x04", "binary file (ZIP archive; unpack it first)"),
    (b"PK\x05\x06", "binary file (empty ZIP archive)"),
    (b"%PDF-", "binary file (PDF document; extract its text first)"),
    (b"7z\xbc\xaf\x27\x1c", "binary file (7-Zip archive; unpack it first)"),
    (b"BZh", "binary file (bzip2 archive; decompress it first)"),
    (b"\x28\xb5\x2f\xfd", "binary file (zstd archive; decompress it first)"),
    (b"\xfd7zXZ\x00", "binary file (xz archive; decompress it first)"),
    (b"SQLite format 3\x00", "binary file (SQLite database)"),
    (b"\x7fELF", "binary file (executable)"),
]

# Control characters that never occur in text (tab, newlines, form feed and ESC are allowed).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b")
_CONTROL_TEXT = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffd]")

# WHATWG: these labels mean windows-1252 on the web (a superset that browsers use for them).
# Python codecs a page may name that are not charsets of text (their decode is not bytes to
# text, or is an escape syntax, not an encoding a CMS writes).
_NOT_TEXT = frozenset(["rot-13", "rot13", "unicode-escape", "raw-unicode-escape", "idna",
                       "punycode", "undefined", "palmos", "mbcs", "oem"])  # fmt: skip

_WEB_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}

# Valid UTF-8 characters per bad byte from which bytes are read as UTF-8 with cp1252 pasted
# in (see _utf8_with_cp1252): a quarter, set between the mixes of the tests (0.75, 30) and the
# chance rate of valid sequences in cp1252/cp1251 prose (none in the example articles).
MIX_RATIO = 0.25
_LATIN = frozenset(["cp1252", "latin-1", "iso8859-1", "iso8859-15", "cp1250", "iso8859-2",
                    "cp1257", "mac-roman", "cp850", "cp437"])  # fmt: skip

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")


def bom_encoding(data: bytes) -> str | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def binary_reason(head: bytes) -> str | None:
    """Why these first bytes are not text, or None if they may be text."""
    for magic, reason in MAGIC:
        if head.startswith(magic):
            return reason
    if bom_encoding(head) in ("utf-16", "utf-32"):
        return None  # NULs are expected there
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary file (not text)"
    if sample and sum(sample.count(c) for c in _CONTROL) > len(sample) * 0.05:
        return "binary file (not text)"
    return None


def normalise_encoding(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None if Python does not know it."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'").lower())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT:
        return None  # rot13, base64, zlib, hex … are codecs, but not charsets
    return _WEB_ALIASES.get(info.name, info.name)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares about itself in its first few KB."""
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = normalise_encoding(match.group(1).decode("ascii", "replace"))
    if name and name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page readable as ASCII cannot be UTF-16; browsers read UTF-8 then
    return name


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess for bytes that are not UTF-8, or None for binary.

    On a tie (mostly-ASCII text with a few accents reads equally well as cp1250, cp1252 or
    cp1257) windows-1252 wins: it is by far the most common legacy encoding of news pages.
    """
    results = from_bytes(data)
    best = results.best()
    if best is None:
        return None
    for match in results:
        if (
            match.encoding == "cp1252"
            and match.chaos <= best.chaos
            and match.coherence >= best.coherence
        ):
            return "cp1252"
    return normalise_encoding(best.encoding)


def decode(data: bytes, *, declared: str | None = None) -> str:
    """Decode a whole document: BOM, then a declared charset, then UTF-8, then detection.

    Raises ReadError for bytes that do not decode to text in any encoding.
    """
    bom = bom_encoding(data)
    if bom:
        return data.decode(bom, errors="replace")
    declared = normalise_encoding(declared)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            if declared != "utf-8":  # a wrong "utf-8" claim is common; trust detection then
                return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8
    encoding = detect_encoding(data)
    if _utf8_with_cp1252(data, encoding):
        return data.decode("utf-8", errors=_CP1252_FALLBACK)
    if encoding is None:
        if binary_reason(data):
            raise ReadError("binary file (not text)")
        encoding = "cp1252"  # text no detector explains: read as the commonest legacy one
    return data.decode(encoding, errors="replace")


def _utf8_counts(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII UTF-8 characters, bytes that are not UTF-8) in `data`."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    return len(text) - len(text.encode("ascii", errors="ignore")) - bad, bad


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few damaged bytes (a stray cp1252 quote pasted into a UTF-8 page) is
    UTF-8, those bytes read as cp1252: guessing a legacy encoding would turn every other
    non-ASCII character to mojibake."""
    non_ascii, bad = _utf8_counts(data)
    return data.decode("utf-8", errors=_CP1252_FALLBACK) if non_ascii >= 10 * bad else None


def _utf8_with_cp1252(data: bytes, detected: str | None) -> bool:
    """Whether bytes that detection calls a Latin single-byte encoding (or nothing) are UTF-8
    with cp1252 pasted in: valid multi-byte UTF-8 characters at least MIX_RATIO of the bad
    bytes. Real cp1252/latin-1 prose forms a valid UTF-8 sequence only where an accented
    letter meets a symbol of 0x80-0xBF, far rarer than that; multi-byte legacy encodings
    (shift_jis: about a third by chance) are detected as themselves and not judged here."""
    if detected is not None and detected not in _LATIN:
        return False
    non_ascii, bad = _utf8_counts(data)
    return non_ascii >= 3 and non_ascii >= MIX_RATIO * bad


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """A codecs error handler: bytes that are not UTF-8 are read as cp1252 (U+FFFD for the
    five bytes cp1252 leaves undefined)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


_CP1252_FALLBACK = "presstrace-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


def decode_html(data: bytes, *, transport: str | None = None) -> str:
    """Decode an HTML page: BOM, then the HTTP header's charset, then <meta charset>, then the
    generic order (the precedence browsers use)."""
    if bom_encoding(data):
        return decode(data)
    return decode(data, declared=normalise_encoding(transport) or declared_charset(data))


def stream_encoding(head: bytes, declared: str | None = None) -> str:
    """The encoding of a streamed container (JSONL, CSV), judged from its first bytes."""
    bom = bom_encoding(head)
    if bom:
        return bom
    declared = normalise_encoding(declared)
    if declared:
        return declared
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the end of the head is fine
        return "utf-8"
    except UnicodeDecodeError:
        return detect_encoding(head) or "cp1252"


def mostly_control(text: str) -> bool:
    """True when decoded text is mostly control or replacement characters (binary data)."""
    sample = text[:65536]
    return bool(sample) and len(_CONTROL_TEXT.findall(sample)) > len(sample) * 0.05
