"""The records that flow through presstrace: a raw input, and the Document each stage enriches.

Nothing but data lives here, so every stage can import it without importing another stage.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

_R = TypeVar("_R")


@dataclass
class RawDocument:
    """One input item as a reader delivered it, before any cleaning.

    `id` is the SHA-256 of the item's own bytes, so the same input always gets the same id.
    `kind` says how to clean `content`: "text" (plain text) or "html".
    `hints` carries metadata the container already had (title, date, url, author) so that
    later stages can weigh it as evidence instead of guessing.
    """

    id: str
    source: str
    content: str
    kind: str = "text"
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass
class Removed:
    """A piece of input that cleaning dropped, and why (nothing is silently lost)."""

    text: str
    reason: str


@dataclass
class Published:
    """A publication date as an interval with a point estimate, a confidence and its evidence."""

    date: str | None = None
    earliest: str | None = None
    latest: str | None = None
    confidence: float = 0.0
    evidence: str | None = None
    method: str | None = None


@dataclass
class Entity:
    """A canonical entity as it appears in one document: `name` is the corpus-wide canonical
    name, `aliases` the surface forms this document used, `key` the corpus entity's id;
    places carry the gazetteer's country (ISO alpha-2) and coordinates."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    count: int = 0
    key: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Quote:
    """A statement and who made it. `speaker` is a canonical entity name or None (unnamed:
    "one senior official"); `source` the words in the text that named the speaker ("he",
    "the Russian journalist"); start/end are offsets of `text` in the document text;
    `partial` marks reported speech that contains quoted words."""

    text: str
    speaker: str | None
    direct: bool
    cue: str | None = None
    start: int | None = None
    end: int | None = None
    speaker_key: str | None = None
    source: str | None = None
    partial: bool = False
    # how sure the speaker is: the share of right speakers measured for the way this quote
    # was attributed (`how`, e.g. "parse-nsubj-name"); 0 when no speaker is given
    confidence: float = 0.0
    how: str | None = None
    # evidence: the mention the speaker's name was resolved from, and its offset in the
    # text ("Joy Baker" for a later "Baker said")
    resolved_from: str | None = None
    resolved_at: int | None = None


@dataclass
class Claim:
    """A figure in the text: `value` (the low end of a range, `high` its top), its unit and
    the sentence it stands in; start/end are the number's offsets in the document text."""

    value: float
    unit: str | None
    text: str
    high: float | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class NarrativeLabel:
    label: str
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class CleanResult:
    """What a cleaner returns: the title it found, the body, and everything it dropped."""

    title: str | None
    text: str
    removed: list[Removed] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Document:
    """A cleaned article and everything presstrace learned about it.

    Field names follow the export contract in DESIGN.md; stages fill them in order.
    """

    id: str
    source: str
    kind: str = "text"
    title: str | None = None
    text: str = ""
    removed: list[Removed] = field(default_factory=list)
    published: Published = field(default_factory=Published)
    outlet: str | None = None
    outlet_evidence: str | None = None
    cited_sources: list[str] = field(default_factory=list)
    language: str | None = None
    duplicate_of: str | None = None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    story_id: str | None = None
    thread_id: str | None = None
    narratives: list[NarrativeLabel] = field(default_factory=list)
    url: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    # stage -> why it did not run on this document ("entities": "no NER model for 'de'"):
    # right, or honestly silent, and the silence is said (show, stats, export, UI)
    abstained: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        """The same content as to_dict, serialised without asdict's deep copy (4x faster;
        the store writes one per document)."""
        return json.dumps(self, default=vars, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Records may come as dicts (stored JSON) or as the dataclasses themselves (a step
        patching fields), so both are taken."""
        data = dict(data)
        data["removed"] = [_record(Removed, r) for r in data.get("removed") or []]
        data["published"] = _record(Published, data.get("published") or {})
        data["entities"] = [_record(Entity, e) for e in data.get("entities") or []]
        data["quotes"] = [_record(Quote, q) for q in data.get("quotes") or []]
        data["claims"] = [_record(Claim, c) for c in data.get("claims") or []]
        data["narratives"] = [_record(NarrativeLabel, n) for n in data.get("narratives") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def _record(cls: type[_R], value: _R | dict[str, Any]) -> _R:
    return value if isinstance(value, cls) else cls(**value)
