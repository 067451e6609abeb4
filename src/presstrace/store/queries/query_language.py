"""The one query language of the CLI, the API and the web pages, parsed into a typed `Query`.

    putin OR kremlin            either word
    "peace talks" -ceasefire    a phrase, and not a word (NOT ceasefire says the same)
    drone* (kyiv OR kiev)       a prefix; parentheses group
    lang:de outlet:"The Telegraph" entity:putin story:<id> thread:<id>
    narrative:"URW: Blaming the war on others" has:quotes type:html
    after:2023-05-01 before:2023-05   dates are inclusive days; a month or a year is all of it

Words are all required (AND); OR binds looser than AND, `-`/NOT tighter. Field filters
apply to the whole query wherever they stand at its top level (`putin OR kremlin lang:de`
is either word, in German articles), never inside parentheses; `-lang:de` excludes. The
same single-valued field given twice (lang:de lang:fr) keeps either; entity:, narrative:
and has: given twice must all hold.

Why hand-written, not pyparsing or lark: the grammar is five productions, and the one thing
a library would not give for free is what matters most here, a one-line message that says
what is wrong and where (`QueryError`, a UsageError: exit code 2 in the CLI, 422 in the API).
A parsed query is translated to FTS5 MATCH syntax or a PostgreSQL tsquery with every word
quoted (so `:`, `-`, `AND`, `!` or `'` inside a word is text, never syntax); the translated
string is a bound parameter, never formatted into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from presstrace.errors import UsageError

__all__ = [
    "FIELDS",
    "HAS",
    "And",
    "Filter",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "QueryError",
    "Term",
    "fts5_match",
    "parse",
    "quote_value",
    "tsquery",
    "with_filters",
]

# Longer queries are refused: nobody types them, and each word is one more index lookup.
MAX_QUERY_CHARS = 2000
MAX_WORDS = 64
# A prefix shorter than this is refused: FTS5 (no prefix index in this schema) merges the
# posting lists of every word it starts, and the match is most of the corpus anyway. Measured
# at 100k synthetic articles (bench/serve.py's store, SQLite, CPU time): `a*` 0.42 s to
# count and 0.95 s to rank (every document), `po*` 0.03 / 0.17 s, `pol*` 0.012 / 0.11 s,
# `stre*` 0.004 / 0.04 s. Three letters keeps the useful stems (`gas*`, `oil*`, `eu*` is two:
# write `eu` or `"eu"`) and refuses the ones that cost seconds for nothing.
MIN_PREFIX_CHARS = 3
# field name as typed -> canonical name
FIELDS = {
    "lang": "lang", "language": "lang", "outlet": "outlet", "entity": "entity",
    "after": "after", "before": "before", "story": "story", "thread": "thread",
    "narrative": "narrative", "has": "has", "type": "type", "id": "id",
}  # fmt: skip
# Fields a document has one value of: given twice, either value is kept.
SINGLE_VALUED = {"lang", "outlet", "story", "thread", "type", "id"}
HAS = ("quotes", "claims", "copies", "entities", "date", "narratives")
TYPES = ("html", "text")


class QueryError(UsageError):
    """A query that cannot be parsed; the message is one line and says where."""


# -- the typed query ------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str  # the words as typed between the quotes


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or


@dataclass(frozen=True)
class Filter:
    field: str  # canonical: lang, outlet, entity, after, before, story, thread, ...
    value: str
    negate: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: the full-text part (None: every document) and the field filters."""

    text: Node | None = None
    filters: tuple[Filter, ...] = ()
    source: str = ""

    def values(self, name: str, negate: bool = False) -> list[str]:
        return [f.value for f in self.filters if f.field == name and f.negate == negate]

    @property
    def empty(self) -> bool:
        return self.text is None and not self.filters

    def terms(self) -> list[tuple[str, bool]]:
        """(word, is prefix) of every positive word and phrase word, for highlighting."""
        out: list[tuple[str, bool]] = []

        def walk(node: Node | None) -> None:
            if isinstance(node, Term):
                out.append((node.text, node.prefix))
            elif isinstance(node, Phrase):
                out.extend((w, False) for w in node.text.split())
            elif isinstance(node, And | Or):
                for item in node.items:
                    walk(item)

        walk(self.text)
        return out


def quote_value(value: str) -> str:
    """A field value as the parser reads it back: bare when it is one plain token."""
    if value and re.fullmatch(r"[^\s\"()\\]+", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- tokenizer ------------------------------------------------------------------------------
@dataclass
class _Token:
    kind: str  # word, phrase, field, or, not, lparen, rparen
    text: str
    col: int
    value: str = ""  # a field's value
    prefix: bool = False


_FIELD = re.compile(r"([A-Za-z_]+):")
_STOP = set(' \t\r\n()"')


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Token("lparen" if ch == "(" else "rparen", ch, i + 1))
            i += 1
        elif ch == '"':
            value, i = _quoted(text, i)
            prefix = i < n and text[i] == "*"
            i += prefix
            out.append(_Token("phrase", value, i, prefix=prefix))
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            out.append(_Token("not", "-", i + 1))
            i += 1
        else:
            start = i
            m = _FIELD.match(text, i)
            if m and m.group(1).lower() in FIELDS:
                i = m.end()
                if i < n and text[i] == '"':
                    value, i = _quoted(text, i)
                else:
                    j = i
                    while i < n and text[i] not in _STOP:
                        i += 1
                    value = text[j:i]
                if not value.strip():
                    raise QueryError(f"{m.group(1)}: needs a value (column {start + 1})")
                out.append(_Token("field", FIELDS[m.group(1).lower()], start + 1, value.strip()))
                continue
            if m and not text[m.end() : m.end() + 1].isspace() and m.end() < n:
                known = ", ".join(sorted({*FIELDS.values()}))
                raise QueryError(
                    f"unknown field {m.group(1)!r} (column {start + 1}); fields are {known}; "
                    'put a word with a colon in quotes ("10:30")'
                )
            while i < n and text[i] not in _STOP:
                i += 1
            word = text[start:i]
            if word == "OR":
                out.append(_Token("or", word, start + 1))
            elif word == "NOT":
                out.append(_Token("not", word, start + 1))
            elif word == "AND":
                continue  # words are required anyway
            else:
                prefix = word.endswith("*")
                out.append(_Token("word", word.rstrip("*"), start + 1, prefix=prefix))
    return out


def _quoted(text: str, i: int) -> tuple[str, int]:
    """The text between the quote at `i` and its closing quote (\\" and \\\\ escaped)."""
    chars, j = [], i + 1
    while j < len(text):
        ch = text[j]
        if ch == "\\" and j + 1 < len(text) and text[j + 1] in '"\\':
            chars.append(text[j + 1])
            j += 2
        elif ch == '"':
            return "".join(chars), j + 1
        else:
            chars.append(ch)
            j += 1
    raise QueryError(f"unclosed quote (column {i + 1})")


# -- parser ---------------------------------------------------------------------------------
def _has_word(text: str) -> bool:
    """True when the index would see a word here (a letter or digit); `—` or `!!!` alone
    would turn into an empty FTS string or a dropped tsquery term."""
    return any(ch.isalnum() for ch in text)


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.filters: list[Filter] = []
        self.words = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expr(self, depth: int) -> Node | None:
        """and_expr (OR and_expr)*"""
        first = self.peek()
        if first is not None and first.kind == "or":
            raise QueryError(f"OR needs words on both sides (column {first.col})")
        items = [self.and_expr(depth)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "rparen"):
                raise QueryError(f"OR needs words on both sides (column {token.col})")
            items.append(self.and_expr(depth + 1))
        if len(items) == 1:
            return items[0]
        if any(item is None for item in items):
            raise QueryError("OR needs words on both sides, not only field filters")
        for item in items:
            if isinstance(item, Not) or (
                isinstance(item, And) and all(isinstance(i, Not) for i in item.items)
            ):
                raise QueryError("a NOT inside OR needs a word beside it to subtract from")
        return Or(tuple(i for i in items if i is not None))

    def and_expr(self, depth: int) -> Node | None:
        items: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            node = self.unary(depth)
            if isinstance(node, And):  # (a -b) beside c: one level, so NOT finds its words
                items.extend(node.items)
            elif node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, depth: int) -> Node | None:
        token = self.take()
        if token.kind == "not":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "rparen", "not"):
                raise QueryError(f"{token.text} needs a word after it (column {token.col})")
            inner = self.unary(depth)
            return Not(inner) if inner is not None else None
        if token.kind == "lparen":
            if (nxt := self.peek()) is not None and nxt.kind == "rparen":
                raise QueryError(f"empty parentheses (column {token.col})")
            inner = self.expr(depth + 1)
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise QueryError(f"unclosed parenthesis (column {token.col})")
            self.take()
            return inner
        if token.kind == "rparen":
            raise QueryError(f"unmatched ) (column {token.col})")
        if token.kind == "or":
            raise QueryError(f"OR needs words on both sides (column {token.col})")
        self.words += 1
        if self.words > MAX_WORDS:
            raise QueryError(f"too many words (more than {MAX_WORDS})")
        if not _has_word(token.text):
            return None  # punctuation alone: the index holds no such word
        if token.prefix:
            _check_prefix(token)
        if token.kind == "phrase":
            if len(token.text.split()) == 1:
                return Term(token.text.strip(), token.prefix)
            return Phrase(" ".join(token.text.split()))
        return Term(token.text, token.prefix)


def _check_prefix(token: _Token) -> None:
    """A prefix of at least MIN_PREFIX_CHARS letters or digits (its last word: `e-m*` asks
    FTS5 for the phrase "e" followed by any word starting with "m")."""
    last = re.findall(r"\w+", token.text)[-1]
    if len(last) < MIN_PREFIX_CHARS:
        raise QueryError(
            f"{token.text}* is too short a prefix: give at least {MIN_PREFIX_CHARS} letters "
            f"before the * (column {token.col})"
        )


def _at(col: int) -> str:
    return f" (column {col})" if col else ""  # 0: a parameter of its own, not in the text


def _check(f: Filter, col: int) -> Filter:
    """A filter with a value it can take (dates, has:, type:, lang:), or a QueryError."""
    if f.field in ("after", "before"):
        return Filter(f.field, _date(f.field, f.value, col), f.negate)
    if f.field == "has" and f.value.lower() not in HAS:
        raise QueryError(f"has: takes one of {', '.join(HAS)}, not {f.value!r}{_at(col)}")
    if f.field == "type" and f.value.lower() not in TYPES:
        raise QueryError(f"type: takes one of {', '.join(TYPES)}, not {f.value!r}{_at(col)}")
    if f.field in ("has", "type"):
        return Filter(f.field, f.value.lower(), f.negate)
    if f.field == "lang":
        if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?", f.value):
            raise QueryError(f"lang: takes a language code like de or en, not {f.value!r}"
                             f"{_at(col)}")  # fmt: skip
        return Filter("lang", f.value.lower(), f.negate)
    return f


def _date(name: str, value: str, col: int) -> str:
    """after:/before: as a first (after) or last (before) day, from YYYY-MM-DD, YYYY-MM or
    YYYY, so that both are inclusive."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    try:
        if not m:
            raise ValueError
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        if day:
            return date(year, int(month), int(day)).isoformat()
        if month:
            first = date(year, int(month), 1)
            if name == "after":
                return first.isoformat()
            following = date(year + (first.month == 12), first.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1).isoformat()
        return date(year, 1, 1).isoformat() if name == "after" else f"{year:04d}-12-31"
    except ValueError:
        raise QueryError(
            f"{name}: takes a date YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}{_at(col)}"
        ) from None


def _fields(tokens: list[_Token]) -> tuple[list[_Token], list[Filter]]:
    """Take the field filters out of the top level, wherever they stand (`putin OR kremlin
    lang:de` is the two words in German articles): they apply to the whole query. One inside
    parentheses is an error."""
    rest: list[_Token] = []
    filters: list[Filter] = []
    depth = 0
    for token in tokens:
        if token.kind == "lparen":
            depth += 1
        elif token.kind == "rparen":
            depth = max(0, depth - 1)
        elif token.kind == "field":
            if depth:
                raise QueryError(
                    f"{token.text}: applies to the whole query; put it outside the "
                    f"parentheses (column {token.col})"
                )
            negate = bool(rest) and rest[-1].kind == "not"
            if negate:
                rest.pop()
            filters.append(_check(Filter(token.text, token.value, negate), token.col))
            continue
        rest.append(token)
    return rest, filters


def parse(text: str) -> Query:
    """A query string as a typed Query; QueryError (one line) when it is malformed."""
    text = (text or "").replace("\x00", " ")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    tokens, filters = _fields(_tokens(text))
    parser = _Parser(tokens)
    parser.filters = filters
    node = parser.expr(0)
    if (extra := parser.peek()) is not None:
        raise QueryError(f"unmatched {extra.text} (column {extra.col})")
    return Query(node, tuple(parser.filters), text.strip())


# -- translation ----------------------------------------------------------------------------
def split_negative(node: Node | None) -> tuple[Node | None, Node | None]:
    """(what must match, what must not) when the text is negative only (`-putin`, which no
    full-text index can answer alone: the store takes every document but those); else
    (node, None)."""
    if isinstance(node, Not):
        return None, node.item
    if isinstance(node, And) and all(isinstance(i, Not) for i in node.items):
        items = tuple(i.item for i in node.items if isinstance(i, Not))
        return None, items[0] if len(items) == 1 else Or(items)
    return node, None


def fts5_match(node: Node) -> str:
    """An FTS5 MATCH string: every word a quoted string ("" escapes a quote), operators in
    capitals, every group in parentheses (FTS5 binds NOT before AND before OR)."""
    if isinstance(node, Term):
        return '"' + node.text.replace('"', '""') + '"' + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + node.text.replace('"', '""') + '"'
    if isinstance(node, Or):
        return "(" + " OR ".join(fts5_match(i) for i in node.items) + ")"
    if isinstance(node, And):
        positive = [fts5_match(i) for i in node.items if not isinstance(i, Not)]
        out = "(" + " AND ".join(positive) + ")"
        for item in node.items:
            if isinstance(item, Not):
                out = f"({out} NOT {fts5_match(item.item)})"
        return out
    raise QueryError("a NOT needs a word beside it to subtract from")  # split_negative first


def tsquery(node: Node) -> str:
    """A to_tsquery('presstrace', …) string: every word a quoted lexeme ('' escapes a quote,
    a backslash is doubled), a quoted phrase becomes `<->`, a prefix `:*`."""
    if isinstance(node, Term | Phrase):
        text = node.text.replace("\\", "\\\\").replace("'", "''")
        prefix = isinstance(node, Term) and node.prefix
        return f"'{text}'" + (":*" if prefix else "")
    if isinstance(node, Not):
        return "!" + tsquery(node.item)
    sep = " | " if isinstance(node, Or) else " & "
    return "(" + sep.join(tsquery(i) for i in node.items) + ")"


def with_filters(query: Query, pairs: list[tuple[str, str]]) -> Query:
    """`query` with more field filters (the API's and the CLI's own parameters, such as
    language=de), checked as if typed in the query."""
    added = list(query.filters)
    for name, value in pairs:
        f = _check(Filter(FIELDS[name], value.strip()), 0)
        if f not in added:
            added.append(f)
    source = query.source
    for f in added[len(query.filters) :]:
        source = f"{source} {f.field}:{quote_value(f.value)}".strip()
    return Query(query.text, tuple(added), source)
