"""Who said what: entities, quotes with speakers, numeric claims, places.

Per document (pure, after spaCy's NER): `extract(text, spacy_doc)` returns the raw result as
plain JSON-able data, surface names not yet canonical. Corpus level: `names.canonicalise`
maps every surface form in the corpus to one canonical entity, and `assemble` turns a raw
result plus that map into the Document's entities, quotes and claims.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from presstrace.extract import quotes_intl
from presstrace.extract.attribution import parse_many
from presstrace.extract.claims import find_claims
from presstrace.extract.entities import mentions_from, person_like
from presstrace.extract.known import KnownNames
from presstrace.extract.names import Canonical, is_alias
from presstrace.extract.quotes import find_quotes, plan_quotes
from presstrace.model import Claim, Entity, Quote

# Per-document budget, so a pathological input (91 KB of one repeated paragraph gave 1,000
# quotes and 1,000 claims, a 137 MB record) cannot blow up the store. Chosen on PolNeAR's
# train split (919 articles, 22,525 attributions): at most 214 attributions in one article
# (p99 100), contents p99.9 847 characters (the longest, 6,908, a whole transcript).
MAX_QUOTES = 300
MAX_CLAIMS = 300
MAX_QUOTE_CHARS = 2_000  # longer quote texts are cut (offsets still span the whole quote)
MAX_CLAIM_CHARS = 1_000  # a claim's sentence


def extract(text: str, spacy_doc: Any, language: str = "en") -> dict[str, Any]:
    """Raw extraction of one document: mentions as [surface, type, count, [forms]],
    quotes (speaker = a surface name), claims, and `abstained` {stage: reason} for what
    this document's language does not allow. `language` names the model that read it."""
    return _raw(text, mentions_from(spacy_doc, text, language), language)


def extract_many(docs: Sequence[tuple[str, Any]], language: str = "en") -> list[dict[str, Any]]:
    """`extract` of several (text, spaCy Doc) pairs read by one model, the same results:
    the attribution parses of all of them are made in one parser pass (a pass per document
    kept the parser's batches small; batched, the parse costs about a fifth less)."""
    mentions = [mentions_from(spacy_doc, text, language) for text, spacy_doc in docs]
    if language != "en":
        return [_raw(text, m, language) for (text, _), m in zip(docs, mentions, strict=True)]
    jobs = [plan_quotes(text, m) for (text, _), m in zip(docs, mentions, strict=True)]
    parses = parse_many([(text, job.spans) for (text, _), job in zip(docs, jobs, strict=True)])
    return [
        _raw(text, m, language, quotes=job.finish(parsed))
        for (text, _), m, job, parsed in zip(docs, mentions, jobs, parses, strict=True)
    ]


def extract_known(text: str, known: KnownNames, language: str | None) -> dict[str, Any]:
    """The same for a document in a language without an NER model: only names the corpus
    already knows and gazetteer places (extract/known.py), and the abstention said."""
    raw = _raw(text, known.find(text, language), language, strict_speakers=True)
    raw.setdefault("abstained", {})["entities"] = (
        f"no NER model for language {language or 'unknown'!r}: "
        "only names known in the corpus and gazetteer places"
    )
    return raw


def _raw(
    text: str,
    mentions: list,
    language: str | None,
    strict_speakers: bool = False,
    quotes: list | None = None,
) -> dict[str, Any]:
    """`strict_speakers`: without NER, a speaker the quote finder named becomes a person only
    when it is a full name none of whose words the text also writes in lower case ("Die
    Regierung" is no one: "die" is a word of the text). `quotes`: found already (English,
    parsed in a batch by extract_many)."""
    counts: Counter = Counter()
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        counts[(m.surface, m.type)] += 1
        forms[(m.surface, m.type)].add(m.raw)
    abstained: dict[str, str] = {}
    if quotes is None and language == "en":
        quotes = find_quotes(text, mentions)
    elif quotes is None and quotes_intl.supported(language):
        quotes = quotes_intl.find_quotes_intl(text, language, mentions)
    elif quotes is None:
        quotes = []
        abstained["quotes"] = f"no quotation marks and speech verbs known for language {language!r}"
    known = {s for s, _ in counts}
    for q in quotes:  # a speaker NER missed ("Oleksiy Danilov") is a person mention too
        if (
            q.speaker
            and q.speaker not in known
            and q.speaker_type == "PERSON"
            and _speaker_is_a_name(q.speaker, text, strict_speakers)
        ):
            counts[(q.speaker, "PERSON")] += 1
            forms[(q.speaker, "PERSON")].add(q.speaker)
            known.add(q.speaker)
    claims = find_claims(text)
    raw = {
        "mentions": [[s, t, n, sorted(forms[(s, t)])] for (s, t), n in sorted(counts.items())],
        "quotes": _within_budget("quotes", quotes, MAX_QUOTES, MAX_QUOTE_CHARS, abstained),
        "claims": _within_budget("claims", claims, MAX_CLAIMS, MAX_CLAIM_CHARS, abstained),
    }
    if abstained:
        raw["abstained"] = abstained
    return raw


def _within_budget(
    kind: str, records: list, most: int, chars: int, abstained: dict[str, str]
) -> list[dict[str, Any]]:
    """The first `most` records as dicts, each text cut to `chars` (with "…"); what was cut
    is said in `abstained[kind]` so a reader knows the list is not whole."""
    kept = [_as_dict(r) for r in records[:most]]
    cut = 0
    for record in kept:
        if len(record["text"]) > chars:
            record["text"] = record["text"][: chars - 1] + "…"
            cut += 1
    notes = []
    if len(records) > most:
        notes.append(f"kept the first {most} of {len(records)} {kind} found")
    if cut:
        notes.append(f"{cut} texts cut to {chars} characters")
    if notes:
        abstained[kind] = "over budget: " + "; ".join(notes)
    return kept


def _as_dict(record: Any) -> dict[str, Any]:
    """A RawQuote or RawClaim as a dict: their fields are scalars, so this is what
    dataclasses.asdict gives, without its recursive deep copy of every value."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def _speaker_is_a_name(name: str, text: str, strict: bool) -> bool:
    if not person_like(name):
        return False
    if not strict:
        return True
    words = name.split()
    return len(words) >= 2 and not any(
        re.search(rf"\b{re.escape(w.lower())}\b", text) for w in words if w.lower() != w
    )


def surface_counts(raw: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {(s, t): n for s, t, n, _ in raw["mentions"]}


def assemble(
    raw: dict[str, Any], mapping: dict[str, Canonical]
) -> tuple[list[Entity], list[Quote], list[Claim]]:
    """A document's entities, quotes and claims with canonical names applied."""
    by_key: dict[str, Entity] = {}
    for surface, _etype, n, surface_forms in raw["mentions"]:
        canon = mapping.get(surface)
        if canon is None:
            continue
        entity = by_key.get(canon.key)
        if entity is None:
            entity = by_key[canon.key] = Entity(
                canon.name, canon.type, [], 0, canon.key, canon.country, canon.lat, canon.lon
            )
        entity.count += n
        for form in [surface, *surface_forms]:
            if form not in entity.aliases and is_alias(form, canon):
                entity.aliases.append(form)
    entities = sorted(by_key.values(), key=lambda e: (-e.count, e.name))
    for e in entities:
        e.aliases.sort()
    quotes = []
    for q in raw["quotes"]:
        canon = mapping.get(q["speaker"]) if q["speaker"] else None
        name = canon.name if canon else None
        if canon is None and q["speaker"] and str(q.get("how", "")).endswith(("-proper", "-body")):
            # a proper noun NER missed, or a body named after someone ("Clinton campaign"):
            # its name as written, no entity
            name = q["speaker"]
        if canon is not None and q.get("speaker_type") == "PERSON" and canon.type != "PERSON":
            # a person's name never borrows the canonical form of another kind of entity
            # ("Mr. Ban" is not "Donald Trump's Muslim Ban"): keep the name as written
            canon, name = None, q["speaker"]
        quotes.append(
            Quote(
                q["text"],
                name,
                q["direct"],
                q["cue"],
                q["start"],
                q["end"],
                canon.key if canon else None,
                q["source"],
                q["partial"],
                q.get("confidence", 0.0) if name else 0.0,
                q.get("how"),
                q.get("resolved_from"),
                q.get("resolved_at"),
            )
        )
    claims = [
        Claim(c["value"], c["unit"], c["text"], c["high"], c["start"], c["end"])
        for c in raw["claims"]
    ]
    return entities, quotes, claims
