"""Who published an article, and which outlets it cites.

The publisher is rarely stated in the body; it hides in what scrapers leave around it:
newsletter notices ("We use your sign-up to provide content..." is Express), paywall promos
("Try The Telegraph free"), "Source: Kathimerini" lines, copyright lines, and the URL or HTML
site name. Cleaning removes most of those lines, which is why they are passed back in as
`removed_texts`. Citations ("told CNN") are a different thing: an article citing The
Telegraph was not published by it, so the two never share evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from ._data import data_file, load_yaml


@dataclass(frozen=True)
class _Signature:
    """A boilerplate pattern that gives a publisher away (outlets.yaml `signatures`)."""

    pattern: re.Pattern[str]
    outlet: str | None  # the publisher it reveals; None: its (?P<outlet>...) group names it
    needles: tuple[str, ...] | None  # one occurs in any match (folded text); None: always try

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        """The pattern's first match in `text`; `folded` is _fold(text), for the needles."""
        if self.needles is not None and not any(n in folded for n in self.needles):
            return None
        return self.pattern.search(text)


@dataclass(frozen=True)
class _Outlets:
    by_key: dict[str, str]  # normalised alias -> canonical name
    by_host: dict[str, str]  # host -> canonical name
    signatures: tuple[_Signature, ...]
    not_outlets: tuple[str, ...]
    names: re.Pattern[str]  # any alias, as written in running text


def _key(name: str) -> str:
    """'Spectator magazine', 'the Spectator' and 'The Spectator.' share one key."""
    k = name.replace("’", "'").strip().strip(".,;:!?\"'()[]").casefold()
    k = re.sub(r"\s+", " ", k)
    k = re.sub(r"^the ", "", k)
    k = re.sub(r" (?:magazine|newspaper|news website|website|news agency|paper)$", "", k)
    return k


def _alias_variants(alias: str) -> list[str]:
    """'The New York Times' is also written 'the New York Times' and 'New York Times'; 'The
    Times' must keep its article ('High Times' is not The Times)."""
    if not alias.startswith("The "):
        return [alias]
    rest = alias[4:]
    return ["The " + rest, "the " + rest] + ([rest] if len(rest.split()) >= 2 else [])


def _trie_regex(literals: list[str]) -> str:
    """One regex for many literal names, shaped as a character trie so that each position is
    decided in a few steps instead of by trying hundreds of alternatives (about 10x faster
    than a flat alternation). Spaces match any run of whitespace; longer names win."""
    trie: dict = {}
    for literal in literals:
        node = trie
        for ch in literal:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@lru_cache(maxsize=1)
def _outlets() -> _Outlets:
    data = load_yaml(data_file("outlets.yaml"))
    by_key: dict[str, str] = {}
    by_host: dict[str, str] = {}
    aliases: list[str] = []
    for o in data.get("outlets") or []:
        name = str(o["name"])
        for a in [name, *(str(x) for x in o.get("aliases") or [])]:
            by_key.setdefault(_key(a), name)
            aliases.append(a)
        for h in o.get("hosts") or []:
            by_host[str(h).lower().removeprefix("www.")] = name
    sigs = tuple(
        _Signature(
            re.compile(str(s["pattern"]), re.I | re.M),
            s.get("outlet"),
            tuple(str(n) for n in s["needles"]) if s.get("needles") else None,
        )
        for s in data.get("signatures") or []
    )
    alt = _trie_regex(sorted({v for a in aliases for v in _alias_variants(a)}))
    names = re.compile(rf"(?<![\w-])(?:{alt})(?:\s+(?:magazine|newspaper))?(?![\w-])")
    bad = tuple(str(x).casefold() for x in data.get("not_outlets") or [])
    return _Outlets(by_key, by_host, sigs, bad, names)


def canonical_outlet(name: str | None) -> str | None:
    """The list's name for an outlet ('Spectator magazine' -> 'The Spectator'), else None."""
    if not name:
        return None
    return _outlets().by_key.get(_key(name))


def outlet_for_host(url_or_host: str) -> str | None:
    """Known outlet behind a URL or host name (subdomains included)."""
    host = url_or_host.strip().lower()
    if "//" in host:
        host = urlsplit(host).hostname or ""
    host = host.split("/")[0].split(":")[0].removeprefix("www.")
    table = _outlets().by_host
    parts = host.split(".")
    for i in range(len(parts) - 1):
        hit = table.get(".".join(parts[i:]))
        if hit:
            return hit
    return None


# A host name: dot-separated labels of letters (any script: "flüssiggas.de"), digits, "-".
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")


def site_host(url_or_host: str) -> str | None:
    """The site's host name, without `www.`, for a URL or host an outlet is only known by
    ("https://kyivpost.example/a/b" -> "kyivpost.example"); None when there is no host name
    in it. Never a piece of the URL: splitting "https://x/y" at "/" once gave the outlet
    "https:" (issue 16)."""
    text = url_or_host.strip()
    try:
        host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    except ValueError:
        return None
    host = host.removeprefix("www.")
    return host if _HOST.fullmatch(host) else None


def _not_outlet(name: str) -> bool:
    low = name.casefold()
    return any(low == b or low.startswith(b + " ") or low.startswith(b) and not b.isalpha()
               for b in _outlets().not_outlets)  # fmt: skip


def _plausible_name(name: str) -> str | None:
    """A 'Source:' or '©' value that reads like a publisher's name, cleaned; else None."""
    n = " ".join(name.strip().strip(".,;:-–—|").split())
    n = re.sub(r"^(?:©|\(c\)|copyright)\s*", "", n, flags=re.I)
    n = re.sub(r"^\d{4}(?:\s*[-–]\s*\d{4})?,?\s*", "", n)
    n = re.sub(r",?\s*all rights reserved.*$", "", n, flags=re.I).strip(" .,")
    n = re.sub(r"^(?:provided by|published by|produced by|courtesy of)\s+", "", n, flags=re.I)
    n = re.sub(
        r"[\s,]+(?:\d{4}|llc|inc|ltd|limited|plc|corp|corporation|co)\.?$", "", n, flags=re.I
    )
    n = re.sub(
        r"[\s,]+(?:\d{4}|llc|inc|ltd|limited|plc|corp|corporation|co)\.?$", "", n, flags=re.I
    )
    if not n:
        return None
    if "://" in n or re.fullmatch(r"[\w.-]+\.[a-z]{2,}(?:/\S*)?", n, re.I):
        # a URL of any length names its host, unless that is no publisher (x.com, youtube)
        host = outlet_for_host(n) or site_host(n)
        if host is None or _not_outlet(host):
            return None
        bad = set(_outlets().not_outlets)
        return None if any(label in bad for label in host.split(".")[:-1]) else host
    if len(n) > 60 or _not_outlet(n):
        return None
    words = n.split()
    if len(words) > 6 or not n[0].isupper() and not n[0].isdigit():
        return None
    if re.search(r"[.!?]\s", n) or re.search(r"\b(?:is|are|was|were|has|have|said)\b", n):
        return None
    return canonical_outlet(n) or n


_SOURCE_LINE = re.compile(
    r"^\s*(?:source|sources|via|originally published (?:by|in|at|on)|this (?:article|story) "
    r"(?:was )?(?:first |originally )?(?:appeared|published) (?:in|on|at|by)|"
    r"(?:first )?published (?:in|by))\s*[:\-–—]?\s*(?P<name>.+?)\s*$",
    re.I,
)
_COPYRIGHT = re.compile(
    # "©" (not the tail of mojibake such as "CondÃ©"), "(c)", "Copyright ©/2023", or a line
    # opening with "Copyright" ("Copyright The Associated Press"); not "Copyright Act"
    r"(?:(?<![^\W\d_])©|\(c\)|\bcopyright[ \t]*(?=©|\d{4})|^[ \t]*copyright\b)[ \t]*(?:©[ \t]*)?"
    r"(?:\d{4}(?:[ \t]*[-–][ \t]*\d{4})?,?[ \t]*)?"
    r"(?P<name>[A-Z][\w&.'’ -]{1,50}?)[ \t]*(?:[.,|]|[ \t]+all rights reserved|$)",
    re.I | re.M,
)
# One of these is in every _COPYRIGHT match (its four openings), in _fold()ed text: most
# texts hold none, and then the regex, which tries every position, is not run at all.
_COPYRIGHT_NEEDLES = ("©", "(c)", "copyright")


def find_outlet(
    text: str, removed_texts: list[str] | None = None, hints: dict[str, Any] | None = None
) -> tuple[str | None, str | None]:
    """(outlet name, the line that reveals it), or (None, None).

    Order of trust: an explicit "Source: X" attribution, then a host or site name that is a
    known outlet, then boilerplate signatures (newsletter notices, paywall promos), then a
    copyright line, then an unknown site name or host.
    """
    hints = hints or {}
    removed = [r for r in removed_texts or [] if r and r.strip()]
    body_lines = [ln for ln in (text or "").splitlines() if ln.strip()]
    tail = set(range(max(0, len(body_lines) - 6), len(body_lines)))
    cands: list[tuple[float, int, str, str]] = []  # (score, order, name, evidence)

    def add(score: float, name: str | None, evidence: str) -> None:
        if name:
            cands.append((score, -len(cands), name, evidence.strip()))

    # 1. "Source: X" lines: in what cleaning removed, or at the end of the body
    for where, lines in (("removed", removed), ("body", body_lines)):
        for i, line in enumerate(lines):
            for part in line.splitlines():
                m = _SOURCE_LINE.match(part)
                if not m or len(part) > 120:
                    continue
                name = _plausible_name(m.group("name"))
                if not name:
                    continue
                known = canonical_outlet(name) is not None or outlet_for_host(name) is not None
                base = 0.95 if where == "removed" or i in tail else 0.5
                add(base if known else base - 0.1, name, part)
    # 2. hints: site name from HTML metadata, URL host
    for key in ("sitename", "site_name", "outlet", "publisher", "source_name"):
        v = hints.get(key)
        if isinstance(v, str) and v.strip():
            known = canonical_outlet(v) or outlet_for_host(v)
            add(0.9 if known else 0.55, known or _plausible_name(v), f"{key}: {v}")
    url = hints.get("url")
    if isinstance(url, str) and url.strip():
        known = outlet_for_host(url)
        host = site_host(url) if "//" in url else None
        add(0.85 if known else 0.3, known or host, f"url: {url}")
    # 3. signatures and 4. copyright lines, wherever they survived
    o = _outlets()
    for source in ("\n".join(removed), _signature_zone(body_lines)):
        folded = _fold(source)
        for sig in o.signatures:
            m = sig.search(source, folded)
            if not m:
                continue
            named = m.groupdict().get("outlet")
            if named is not None and not named[:1].isupper():
                continue  # "Support independent journalism" names nobody
            name = sig.outlet or canonical_outlet(named)
            add(0.8, name, _line_at(source, m.start()))
        if not any(n in folded for n in _COPYRIGHT_NEEDLES):
            continue
        for m in _COPYRIGHT.finditer(source):
            name = _plausible_name(m.group("name"))
            known = canonical_outlet(name) if name else None
            add(0.7 if known else 0.4, known or name, _line_at(source, m.start()))
    if not cands:
        return None, None
    _, _, name, evidence = max(cands)
    return name, evidence


# Characters that a case-insensitive regex matches to an ASCII letter but that str.lower()
# does not turn into it (found by scanning every code point with re.I: "İ" and "ı" match
# "i", "ſ" matches "s"). Folding them too keeps a needle test from ever skipping a match.
_REGEX_CASE_TWINS = (("İ", "i"), ("ı", "i"), ("ſ", "s"))


def _fold(text: str) -> str:
    """`text` lower-cased as re.IGNORECASE sees ASCII letters, for the needle tests: a
    needle absent from it cannot be matched by the pattern it stands for."""
    folded = text.lower()
    if text.isascii():
        return folded
    for odd, plain in _REGEX_CASE_TWINS:
        if odd in text:
            folded = folded.replace(odd.lower(), plain)
    return folded


def _signature_zone(lines: list[str]) -> str:
    """The body lines where a promo, notice or copyright line can sit when cleaning missed
    it: the first and last lines, and short lines anywhere. Long prose paragraphs are left
    out: they are not signatures, and scanning them is most of the cost."""
    last = len(lines) - 8
    return "\n".join(ln for i, ln in enumerate(lines) if i < 3 or i >= last or len(ln) < 300)


def _line_at(text: str, pos: int) -> str:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return text[s : len(text) if e < 0 else e]


# ------------------------------------------------------------------------------ citations

_CITE_BEFORE = re.compile(
    r"(?:\btold|\baccording to|\bin an? (?:[\w-]+\s+){0,2}?(?:article|interview|op-?ed|column|"
    r"piece|analysis|report|essay|editorial|podcast|documentary|investigation|statement|"
    r"comments?|briefing|letter|post|dispatch|opinion piece)\s+(?:for|with|in|to|by|published "
    r"(?:by|in))|\b(?:writing|wrote|writes|speaking|spoke|talking|quoted|cited|reported|"
    r"interviewed|appeared|appearing|published|said|says|commented)(?:\s+[\w'-]+){0,4}?\s+"
    r"(?:for|in|to|by|on|with)|\binterview with|\breported by|\breports? (?:by|from|in)|"
    r"\b(?:first|as|was) reported (?:by|in)|\bshared with|\bconfirmed to|\bper"
    r"|\bsources? (?:close to .{0,30} )?told)\s+$",
    re.I,
)
_CITE_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:has\s+|have\s+|had\s+)?(?:reported|reports|said|says|noted|notes|wrote|"
    r"writes|revealed|reveals|claimed|claims|understands|learned|learnt|obtained|published|"
    r"cited|quoted|confirmed|disclosed|first reported|analysis|report|investigation|"
    r"columnist|journalist|reporter|correspondent|editor|interview|poll|survey)\b",
    re.I,
)


def find_cited_sources(text: str) -> list[str]:
    """Known outlets the article cites ("told CNN", "according to the New York Times",
    "wrote in the Washington Post"), canonical names, in order of first citation."""
    if not text:
        return []
    text = text.replace("’", "'")
    out: list[str] = []
    for m in _outlets().names.finditer(text):
        name = canonical_outlet(m.group(0))
        if not name or name in out:
            continue
        before = text[max(0, m.start() - 80) : m.start()]
        after = text[m.end() : m.end() + 40]
        if _CITE_BEFORE.search(before) or _CITE_AFTER.match(after):
            out.append(name)
    return out
