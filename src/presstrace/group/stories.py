"""Stories: articles that report the same event, found incrementally in one pass.

Each article is compared with the stories that exist when it arrives, in a fixed order
(`processing_order`), and joins the best one whose score passes `Settings.threshold`, or
founds a new story whose id comes from its own id. Nothing is ever re-clustered, so the
same articles ingested in the same order always give the same stories, and a new batch
only adds to what is there.

The score of an article against a story mixes two kinds of evidence, with a date gate:

- text: cosine between the article's vector (title and lead, `embed.encode`) and the
  story's centroid (the normalised sum of its members' vectors);
- entities: idf-weighted cosine between the article's canonical entities (people, orgs,
  places ...) and the share of the story's articles that mention each one. Two rehab
  stories read alike; "Tara Reid" and "Lindsay Lohan", "Malibu" and "Rancho Mirage" do not;
- dates: an article whose date interval is more than `max_gap_days` away from the story's
  span cannot join it. An undated article (or story) is neutral.

    score = text_weight * text + (1 - text_weight) * entities

When either side has no entities the text similarity alone is the score, and it must reach
`text_only_threshold` (the static sentence model puts any two English pages near).

Languages: the text vector is [sentence model | lexical]: English articles use the sentence
model (English-only), every other language a hashed, wordfreq-weighted bag of words of its
own (lexical.py). An article only meets stories of its own part, and a lexical one needs a
word cosine of `lexical_floor`, a score of `lexical_threshold` (word cosines run lower), and
`lexical_text_only_threshold` on text alone. Tuned on 354 real non-English pages of many
days and topics (bench/multilingual.py: none ends in a multi-document story) and on ECB+
read through the lexical path (B-cubed F1 0.74 against 0.85 through the sentence model).
Copies (`duplicate_of`) join their canonical's story without moving its centroid.

The defaults were chosen on odd-topic material only (bench/stories_eval.py, after the real
ingest), where ECB+ alone cannot decide: its two events of a kind are years apart, so it
rewards leaning on the text (best odd-topic F1: text weight 0.5-0.8 with low thresholds),
while a news stream has events of one kind days apart (the seeds: the Kremlin drone attack
on 3 May 2023 and the Belgorod incursion on 22 May read alike and share their people). So
the defaults are the best worst case of (a) B-cubed F1 on the odd ECB+ topics and (b) F1 on
a dense synthetic stream made from the odd topics' texts (bench/group.py's generator: ~70
events of each kind over 15 years, made-up names), taking within 0.01 of the best (one
document moved) the tightest date gate, the most weight on entities, then the higher
threshold: text weight 0.5, threshold 0.45, 7 days, title and first 1,000 characters.
Measured (B-cubed F1): ECB+ odd topics 0.844, even topics held out 0.878, all 0.845
(embedding-only threshold: 0.764 held out); dense stream from the even topics' texts 0.973.
The text-leaning setting best on ECB+ alone (0.8, 0.6) gave 0.831 held out and 0.72 on the
dense stream (0.43 at 100k articles): it merges same-kind events of neighbouring weeks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from presstrace.group import embed, lexical
from presstrace.model import Document

LEAD_CHARS = 1000  # title plus this much of the body: what the article is about
ID_PREFIX = "s"
# A text vector is [sentence-model part | lexical part]: English articles fill the first
# (embed.py, English-only), every other language the second (lexical.py); a story lives in
# one part, and an article only ever meets stories of its own part (the lexical part is
# hashed per language, so two languages meet only as hashing noise, below the floor).
SEMANTIC_DIM = embed.DIM
DIM = embed.DIM + lexical.DIM
SEMANTIC_LANGUAGES = frozenset({"en"})  # what the sentence model reads


@dataclass(frozen=True)
class Settings:
    text_weight: float = 0.5
    threshold: float = 0.45
    max_gap_days: int = 7
    candidates: int = 32  # nearest centroids whose entities are compared (per article)
    # lexical (non-English) articles: the least word-vector cosine to join a story, whatever
    # the entities say (two random same-language pages share common words and places)
    lexical_floor: float = 0.3
    # lexical articles join at this score: word vectors' cosines run lower than the sentence
    # model's (ECB+ read through the lexical path: B-cubed P 0.92 / R 0.61 at 0.35, P 0.98 /
    # R 0.36 at 0.45)
    lexical_threshold: float = 0.35
    # English article or story without entities: the text alone must be this close. The
    # static sentence model puts any two English pages near (median cosine 0.61 over 168
    # unrelated real pages, 0.56 across ECB+ topics; same-story ECB+ pairs: 10th percentile
    # 0.74), so text alone at 0.45 joined 79% of random pages into stories
    text_only_threshold: float = 0.8
    # the same for a lexical article or story without entities: unrelated same-language
    # pages reach 0.24 (99.9th percentile over 354 real pages), a template page shared by two
    # articles of one site 0.42
    lexical_text_only_threshold: float = 0.5

    @property
    def text_floor(self) -> float:
        """The lowest text similarity that can still reach the threshold (entities <= 1):
        stories below it are never looked at."""
        if self.text_weight <= 0:
            return -1.0
        return (self.threshold - (1.0 - self.text_weight)) / self.text_weight


@dataclass
class Article:
    id: str
    vector: np.ndarray  # (DIM,) float32, L2-normalised (a zero row for an empty text)
    entities: dict[str, float]  # canonical entity key -> mentions in this article
    day: int | None = None  # point date as a proleptic ordinal
    earliest: int | None = None
    latest: int | None = None
    title: str | None = None
    duplicate_of: str | None = None


@dataclass
class Story:
    """A story's running state: enough to score a new article and to add it."""

    id: str
    vector_sum: np.ndarray
    members: int = 0  # every article in it, copies included
    vectors: int = 0  # articles whose vector and entities are in the sums
    entities: dict[str, int] = field(default_factory=dict)  # key -> articles mentioning it
    first: int | None = None
    last: int | None = None
    label: str | None = None
    # the entity vector's norm under the run's idf (cleared when entities change)
    entity_norm: float | None = field(default=None, repr=False, compare=False)

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm > 0 else self.vector_sum

    def add(self, article: Article, *, copy: bool = False) -> None:
        self.members += 1
        if not copy:
            self.vector_sum = self.vector_sum + article.vector
            self.vectors += 1
            self.entity_norm = None
            for key in article.entities:
                self.entities[key] = self.entities.get(key, 0) + 1
        if article.day is not None:
            self.first = article.day if self.first is None else min(self.first, article.day)
            self.last = article.day if self.last is None else max(self.last, article.day)
        if self.label is None and article.title:
            self.label = article.title


@dataclass(frozen=True)
class Assignment:
    doc_id: str
    story_id: str
    how: str  # "founded", "joined" (by score), "copy" (follows its canonical or its copies)
    score: float | None


# -- articles ---------------------------------------------------------------------------------
def reads_semantic(language: str | None) -> bool:
    """Whether the sentence model reads this language (an undetected one counts as English,
    as before detection ran)."""
    return (language or "en").lower()[:2] in SEMANTIC_LANGUAGES


def text_vectors(docs: Sequence[Document], lead_chars: int = LEAD_CHARS) -> np.ndarray:
    """One DIM row per document: English through the sentence model, any other language
    through its own lexical hashing."""
    out = np.zeros((len(docs), DIM), dtype=np.float32)
    texts = [article_text(d, lead_chars) for d in docs]
    semantic = [i for i, d in enumerate(docs) if reads_semantic(d.language)]
    other = [i for i, d in enumerate(docs) if not reads_semantic(d.language)]
    if semantic:
        out[semantic, :SEMANTIC_DIM] = embed.encode([texts[i] for i in semantic])
    if other:
        out[other, SEMANTIC_DIM:] = lexical.encode(
            [texts[i] for i in other], [docs[i].language for i in other]
        )
    return out


def space(vector: np.ndarray) -> str:
    """ "semantic", "lexical" or "none" (an empty text): which part of DIM a vector uses."""
    if np.any(vector[:SEMANTIC_DIM]):
        return "semantic"
    return "lexical" if np.any(vector[SEMANTIC_DIM:]) else "none"


def padded(vector: np.ndarray) -> np.ndarray:
    """A stored vector of an older store (sentence part only) in today's layout."""
    if vector.shape[-1] >= DIM:
        return vector
    return np.concatenate([vector, np.zeros(DIM - vector.shape[-1], dtype=vector.dtype)])


def article_text(doc: Document, lead_chars: int = LEAD_CHARS) -> str:
    """Title and lead: the part of a news article that says which event it reports."""
    body = doc.text[:lead_chars]
    if doc.title and not doc.text.startswith(doc.title):
        return f"{doc.title}\n{body}"
    return body


def ordinal(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def iso_day(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def article(doc: Document, vector: np.ndarray) -> Article:
    day = ordinal(doc.published.date)
    earliest = ordinal(doc.published.earliest) or day
    latest = ordinal(doc.published.latest) or day
    entities: dict[str, float] = {}
    for ent in doc.entities:
        if ent.key:
            entities[ent.key] = entities.get(ent.key, 0.0) + max(1, ent.count)
    return Article(doc.id, vector, entities, day, earliest, latest, headline(doc), doc.duplicate_of)


def headline(doc: Document, width: int = 120) -> str | None:
    """The title, or the first line of an untitled text (a story's label needs words)."""
    if doc.title:
        return doc.title
    first = doc.text.strip().split("\n", 1)[0].strip()
    if len(first) > width:
        first = first[: width - 1].rsplit(" ", 1)[0] + "…"
    return first or None


def processing_order(items: Iterable[tuple[str, str | None, bool]]) -> list[str]:
    """Ids of (id, published date, is a copy) in the order they are assigned: originals
    before copies (a copy then finds its canonical's story), dated before undated (an
    undated article joins stories that dates have already shaped), then by date and id."""
    return [
        doc_id
        for doc_id, day, copy in sorted(
            items, key=lambda x: (x[2], x[1] is None, (x[1] or "")[:10], x[0])
        )
    ]


def story_id_for(founder_id: str) -> str:
    """Stable: a story is named after the article that founded it."""
    return f"{ID_PREFIX}{founder_id[:15]}"


# -- scoring ----------------------------------------------------------------------------------
def date_gap(article: Article, story: Story) -> int:
    """Days between the article's date interval and the story's span (0 when they overlap or
    either is undated)."""
    if story.first is None or story.last is None:
        return 0
    lo = article.earliest if article.earliest is not None else article.day
    hi = article.latest if article.latest is not None else article.day
    if lo is None or hi is None:
        return 0
    return max(0, lo - story.last, story.first - hi)


def entity_similarity(article: Article, story: Story, idf: Callable[[str], float]) -> float | None:
    """idf-weighted cosine of the article's entities (log-scaled mentions) and the share of
    the story's articles that mention each entity; None when either side has none."""
    if not article.entities or not story.entities or not story.vectors:
        return None
    share = story.entities
    a = {k: idf(k) * (1.0 + math.log(n)) for k, n in article.entities.items()}
    dot = sum(w * idf(k) * share[k] for k, w in a.items() if k in share) / story.vectors
    if dot <= 0:
        return 0.0
    if story.entity_norm is None:
        story.entity_norm = math.sqrt(sum((idf(k) * c) ** 2 for k, c in share.items()))
    norm_s = story.entity_norm / story.vectors
    norm_a = math.sqrt(sum(w * w for w in a.values()))
    return dot / (norm_a * norm_s)


def score(
    article: Article, story: Story, idf: Callable[[str], float], settings: Settings
) -> float | None:
    """The combined score, or None when the date gate keeps the article out, or the article
    and the story are in different text spaces (English / another language), or a lexical
    article's words are too far from the story's."""
    if date_gap(article, story) > settings.max_gap_days:
        return None
    kind = space(article.vector)
    if kind == "none" or kind != space(story.vector_sum):
        return None
    text = float(np.dot(article.vector, story.centroid))
    if kind == "lexical" and text < settings.lexical_floor:
        return None
    ent = entity_similarity(article, story, idf)
    if ent is None:
        needed = (
            settings.text_only_threshold
            if kind == "semantic"
            else settings.lexical_text_only_threshold
        )
        return text if text >= needed else None
    return settings.text_weight * text + (1.0 - settings.text_weight) * ent


def make_idf(document_counts: dict[str, int], total: int) -> Callable[[str], float]:
    """Smoothed inverse document frequency over the corpus; an entity the counts do not know
    yet counts as rare."""
    rare = math.log((total + 1) / 1) + 1.0

    def idf(key: str) -> float:
        n = document_counts.get(key)
        return rare if not n else math.log((total + 1) / (n + 1)) + 1.0

    return idf


# -- the index of story centroids -----------------------------------------------------------------
class CentroidIndex:
    """Every story's normalised centroid and date span in arrays, so the stories worth
    scoring for a batch of articles are one matrix product away, whatever the corpus size."""

    def __init__(self, dim: int, settings: Settings) -> None:
        self.settings = settings
        self.floor = settings.text_floor - 1e-4
        self.ids: list[str] = []
        self.row: dict[str, int] = {}
        self.matrix = np.zeros((1024, dim), dtype=np.float32)
        self.first = np.zeros(1024, dtype=np.int64)
        self.last = np.zeros(1024, dtype=np.int64)
        self.dated = np.zeros(1024, dtype=bool)

    def __len__(self) -> int:
        return len(self.ids)

    def put(self, story_id: str, centroid: np.ndarray, first: int | None, last: int | None):
        i = self.row.get(story_id)
        if i is None:
            i = len(self.ids)
            if i == len(self.matrix):
                self._grow()
            self.ids.append(story_id)
            self.row[story_id] = i
        self.matrix[i] = centroid
        self.dated[i] = first is not None and last is not None
        self.first[i] = first or 0
        self.last[i] = last or 0

    def _grow(self) -> None:
        n = len(self.matrix) * 2
        for name in ("matrix", "first", "last", "dated"):
            old = getattr(self, name)
            new = np.zeros((n, *old.shape[1:]), dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def _allowed(self, art: Article, rows: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """Mask over `rows`: text similarity at the floor or above, date gate passed."""
        ok = sims >= self.floor
        lo = art.earliest if art.earliest is not None else art.day
        hi = art.latest if art.latest is not None else art.day
        if lo is not None and hi is not None:
            gap = np.maximum(0, np.maximum(lo - self.last[rows], self.first[rows] - hi))
            ok &= ~self.dated[rows] | (gap <= self.settings.max_gap_days)
        return ok

    def nearby(self, articles: Sequence[Article]) -> list[dict[str, float]]:
        """For each article, {story id: text similarity} of the stories that pass the text
        floor and the date gate (all of them; `assign_batch` keeps the nearest)."""
        n = len(self.ids)
        if not n or not articles:
            return [{} for _ in articles]
        vectors = np.stack([a.vector for a in articles])
        sims = vectors @ self.matrix[:n].T  # (articles, stories)
        rows = np.arange(n)
        out = []
        for i, art in enumerate(articles):
            hits = np.flatnonzero(self._allowed(art, rows, sims[i]))
            out.append({self.ids[j]: float(sims[i][j]) for j in self._nearest(hits, sims[i])})
        return out

    def _nearest(self, hits: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """The `candidates` rows of `hits` most similar, equal similarities by story id, so
        the choice does not depend on the order stories entered the index (the step reads
        them as batches need them)."""
        k = self.settings.candidates
        if len(hits) <= k:
            return hits
        values = sims[hits]
        kth = np.partition(-values, k - 1)[k - 1]
        above = hits[-values < kth]
        tied = sorted(hits[-values == kth].tolist(), key=lambda j: self.ids[j])
        return np.concatenate([above, np.array(tied[: k - len(above)], dtype=hits.dtype)])

    def similar(self, art: Article, story_ids: Sequence[str]) -> dict[str, float]:
        """The same for a few stories whose centroids just moved."""
        if not story_ids:
            return {}
        rows = np.array([self.row[s] for s in story_ids])
        sims = self.matrix[rows] @ art.vector
        ok = self._allowed(art, rows, sims)
        return {s: float(v) for s, v, keep in zip(story_ids, sims, ok, strict=True) if keep}


# -- assignment -------------------------------------------------------------------------------
def assign_batch(
    articles: Sequence[Article],
    index: CentroidIndex,
    stories: dict[str, Story],
    idf: Callable[[str], float],
    settings: Settings,
    linked: dict[str, str] | None = None,
    nearby: list[dict[str, float]] | None = None,
) -> list[Assignment]:
    """Assign articles (already in processing order) one by one. `stories` must hold every
    story `index.nearby(articles)` names (pass that as `nearby` when the caller computed it
    to load them) and every story `linked` names; stories founded or changed here are added
    to it and to the index. `linked` maps an article to the story its canonical or its
    copies already belong to. The result is the same as assigning one article at a time:
    stories changed within the batch are compared afresh."""
    linked = dict(linked or {})
    if nearby is None:
        nearby = index.nearby(articles)
    touched: list[str] = []  # stories changed in this batch: their precomputed sims are stale
    out = []
    for art, near in zip(articles, nearby, strict=True):
        target = linked.get(art.duplicate_of) if art.duplicate_of else None
        if target is None:
            target = linked.get(art.id)  # an original whose copies came first
        if target is not None and target in stories:
            story = stories[target]
            story.add(art, copy=art.duplicate_of is not None)
            out.append(Assignment(art.id, target, "copy", None))
        else:
            fresh = set(touched)
            sims = {s: v for s, v in near.items() if s not in fresh}
            sims.update(index.similar(art, touched))
            nearest = sorted(sims, key=lambda s: (-sims[s], s))[: settings.candidates]
            best_id, best = None, -math.inf
            for sid in sorted(nearest):
                value = score(art, stories[sid], idf, settings)
                if value is not None and value > best:
                    best_id, best = sid, value
            needed = (
                settings.lexical_threshold if space(art.vector) == "lexical" else settings.threshold
            )
            if best_id is not None and best >= needed:
                story = stories[best_id]
                story.add(art)
                out.append(Assignment(art.id, best_id, "joined", round(best, 4)))
            else:
                story = Story(story_id_for(art.id), np.zeros_like(art.vector))
                story.add(art)
                stories[story.id] = story
                out.append(Assignment(art.id, story.id, "founded", None))
        if story.id not in touched:
            touched.append(story.id)
        index.put(story.id, story.centroid, story.first, story.last)
        linked[art.id] = story.id
    return out


def cluster(
    articles: Sequence[Article],
    idf: Callable[[str], float],
    settings: Settings = Settings(),
    batch: int = 500,
) -> dict[str, str]:
    """All articles (in processing order) from nothing: doc id -> story id. What the step
    does over a store, in memory (for evaluation and tests)."""
    if not articles:
        return {}
    index = CentroidIndex(len(articles[0].vector), settings)
    stories: dict[str, Story] = {}
    result: dict[str, str] = {}
    for start in range(0, len(articles), batch):
        for a in assign_batch(articles[start : start + batch], index, stories, idf, settings):
            result[a.doc_id] = a.story_id
    return result
