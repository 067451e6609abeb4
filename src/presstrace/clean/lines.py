"""What one line of scraped text looks like: shape features and the vocabulary it hits.

Everything here looks at a single line; context (position, neighbours, lists) is text.py's.
The features are the ones that separate running prose from page furniture in any article:
length, whether it ends like a sentence, how many function words and lower-case words it
has, and whether it is one of the named pieces of furniture in data/markers.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presstrace.clean.markers import Markers, load_markers
from presstrace.clean.repeats import key_of_tokens

_CLOSERS = "\"'”’»)]*」』）"
_TERMINAL = ".!?。！？؟।"
# Japanese polite sentence endings: web Japanese often ends a sentence with them and no 。
# ("次のような図形を描画できるcodepenでのサンプルです"); no menu item or label ends so.
JA_SENTENCE_ENDS = ("です", "ます", "でした", "ました", "ません", "でしょう")
# Scripts without letter case (Arabic, Hebrew, Indic, Thai, CJK): "lower-case word" means
# nothing there, and CJK has no spaces between words.
_CASELESS = re.compile(
    "[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
_NO_SPACES = re.compile("[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_ELLIPSIS = ("...", "…")
_BULLET = re.compile(r"(?:[-–•·*▪●]\s|・|\d{1,2}[.)]\s)")
_MENU_SEPARATORS = re.compile(r"[|•·»›/](?:\s|$)")
_DIGIT = re.compile(r"\d")
_DATE_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s,.:/()|@+\-–—\[\]]")
# the comment_headers patterns without a digit start with one of these
_COMMENT_WORDS = ("like", "upvote", "downvote", "vote", "recommend", "show", "hide")
_URLISH = re.compile(r"https?://|www\.|\.(com|org|net|co\.uk)\b|@\w+\.\w+")
# Function words that cannot end a finished phrase: a line ending in one was cut short.
_DANGLING = frozenset({
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "but", "with", "from",
    "by", "as", "that", "which", "who", "his", "her", "their", "its", "our", "your", "this",
    "these", "those",
})  # fmt: skip


@dataclass(slots=True)
class LineInfo:
    """Shape of one line and the furniture it was recognised as (reason), if any."""

    text: str
    chars: int
    words: int
    terminal: bool
    ellipsis: bool
    stop_ratio: float
    lower_ratio: float
    dangling: bool
    colon: bool = False  # ends with ":", introducing what follows
    key: str = ""  # repeat_key(text)
    notice: str | None = None  # the notice vocabulary it touches, even too lightly to be one
    reason: str | None = None  # a definite piece of furniture: always removed
    soft: str | None = None  # looks like furniture, removed unless inside the body

    @property
    def prose(self) -> bool:
        """Running prose: a sentence of some length made of ordinary words. A long line cut
        before its end (scrapers truncate) is prose too; a headline rarely runs past 220."""
        return (
            self.words >= 6
            and (self.stop_ratio >= 0.2 or self.lower_ratio >= 0.6)
            and (self.terminal or self.colon or self.chars > 220)
        )

    @property
    def sentence(self) -> bool:
        """A finished sentence, however short ("No one was hurt.", "Rest in peace."): it ends
        like a sentence and has a lower-case word. A menu entry, a name or a headline link
        rarely has both; in text laid out one sentence per line most lines are such."""
        return self.terminal and self.words >= 2 and self.lower_ratio > 0.0

    @property
    def running_on(self) -> bool:
        """A sentence whose end is missing ("But it seems more likely that he'd get back on
        the bench"): long, nearly all lower case and full of function words. A deck under a
        headline can look the same, so text.py trusts it only as a text's last line."""
        return (
            not self.terminal
            and self.words >= 12
            and self.stop_ratio >= 0.3
            and self.lower_ratio >= 0.75
        )

    @property
    def headline(self) -> bool:
        """Shaped like a headline or a link: a phrase that does not end like a sentence."""
        return 2 <= self.words <= 30 and self.chars <= 220 and not (self.terminal or self.colon)

    @property
    def site_name_like(self) -> bool:
        """A few capitalised tokens with no lower-case word and a masthead's marks (a year,
        an abbreviation, or just one to three words): "Com TW NOw News 2024", "World News".
        A Title Case headline ("Russia Launches Massive Drone Attack") is not one."""
        if self.words > 6 or self.lower_ratio > 0.0:
            return False
        tokens = self.text.split()
        return self.words <= 3 or any(t.isdigit() or (t.isupper() and len(t) > 1) for t in tokens)

    @property
    def bullet(self) -> bool:
        """An item of a bulleted or numbered list that reads like text ("- 33% of those
        hospitalised are African Americans"), or a table row ("| Ashford | 2.3 GB/s |"):
        part of an article, unlike a menu entry."""
        if self.text.startswith("|") and self.text.endswith("|") and self.chars > 2:
            return True
        return (
            _BULLET.match(self.text) is not None
            and self.words >= 5
            and (self.stop_ratio >= 0.2 or self.lower_ratio >= 0.5)
        )

    @property
    def question_headline(self) -> bool:
        """ "Is Putin losing his grip?": one short sentence ending in ? or ! can be a headline."""
        core = self.text.rstrip("\"'”’)» ")
        return (
            core.endswith(("?", "!"))
            and 3 <= self.words <= 25
            and self.chars <= 200
            and ". " not in core
        )


def ends_terminal(text: str) -> tuple[bool, bool]:
    """(ends like a sentence, ends with an ellipsis), looking through closing quotes."""
    core = text.rstrip(_CLOSERS + " ")
    if core.endswith(_ELLIPSIS):
        return False, True
    return bool(core) and (core[-1] in _TERMINAL or core.endswith(JA_SENTENCE_ENDS)), False


Needles = tuple[tuple[str, tuple[int, ...]], ...]  # (needle, the cues it serves)


def document_needles(text: str, markers: Markers | None = None) -> Needles:
    """The notice needles present anywhere in a document: a few fast substring scans of the
    whole text spare every line the ones that cannot occur in it."""
    m = markers or load_markers()
    lowered = text.lower()
    present: set[str] = set()
    found: list[tuple[str, tuple[int, ...]]] = []
    for needle, inner, cues in m.needle_plan:
        if (inner is None or inner in present) and needle in lowered:
            present.add(needle)
            found.append((needle, cues))
    return tuple(found)


def has_caseless_script(text: str) -> bool:
    """Whether any line of a document may need the caseless-script counts."""
    return not text.isascii() and _CASELESS.search(text) is not None


def describe(
    text: str,
    markers: Markers | None = None,
    needles: Needles | None = None,
    caseless: bool = True,
) -> LineInfo:
    """Features of one whitespace-collapsed line, and the furniture vocabulary it hits.

    `needles`: document_needles() of the line's document, when describing many lines;
    `caseless=False` when has_caseless_script() said the document has none (saves a search).
    """
    m = markers or load_markers()
    # Whitespace tokens, not a word regex: three times cheaper, and the ratios only need to
    # be right on average (a number or a dash counts as a non-lower-case, non-function word).
    tokens = text.split()
    lowered_text = text.lower()
    lowered = lowered_text.split()
    n = len(tokens)
    stops = sum(map(m.stopwords.__contains__, lowered))
    lower = sum(map(str.islower, tokens))
    if caseless and not text.isascii() and _CASELESS.search(text):
        n, lower = _caseless_counts(text, tokens)
    terminal, ellipsis = ends_terminal(text)
    info = LineInfo(
        text=text,
        chars=len(text),
        words=n,
        terminal=terminal,
        ellipsis=ellipsis,
        stop_ratio=stops / n if n else 0.0,
        lower_ratio=lower / n if n else 0.0,
        dangling=bool(n) and not terminal and lowered[-1] in _DANGLING,
        colon=text.endswith(":"),
        key=key_of_tokens(lowered),
    )
    notice_needles = m.notice_needles if needles is None else needles
    info.reason, info.soft = _furniture(text, lowered_text, info, m, notice_needles)
    return info


def _caseless_counts(text: str, tokens: list[str]) -> tuple[int, int]:
    """(words, "lower-case" words) for a line in a caseless script: every token not starting
    with a capital counts as lower case, and CJK runs count one word per two characters."""
    lower = sum(1 for t in tokens if not t[:1].isupper())
    cjk = len(_NO_SPACES.findall(text))
    extra = cjk // 2 - sum(1 for t in tokens if _NO_SPACES.search(t)) if cjk else 0
    extra = max(extra, 0)
    return len(tokens) + extra, lower + extra


def _furniture(
    flat: str, lowered: str, info: LineInfo, m: Markers, needles: Needles
) -> tuple[str | None, str | None]:
    """(definite reason, soft reason) from the marker vocabularies and the line's shape."""
    if info.chars <= 60:
        if m.ad_marker.match(flat):
            return "ad-marker", None
        if m.ui_word.match(flat):
            return "ui-button", None
    reason = _notice(flat, lowered, info, m, needles)
    if reason:
        return reason, None
    if (
        info.chars <= 250
        and (flat.endswith("]") or flat[-1:].isupper())
        and m.teaser_tag.search(flat)
    ):
        return "teaser", None
    bio = _bio(flat, info, m)
    if bio == "strong":
        return "aggregator-bio", None
    short = info.chars <= 80 and not info.terminal
    if (
        not info.terminal
        and info.chars <= 200
        and (_DIGIT.search(flat) or lowered.startswith(_COMMENT_WORDS))
        and m.comment_header.match(flat)
    ):
        return "comment-header", None
    if short and m.byline.match(flat):
        return "byline", None
    if info.chars <= 100 and m.dateline.search(flat):
        return "dateline", None
    if info.chars <= 60 and _DIGIT.search(flat) and _date_only(lowered, m):
        return "dateline", None
    if short and m.credit.search(flat):
        return "photo-credit", None
    if not info.prose and not info.bullet:
        if info.words <= 8 and _URLISH.search(flat):
            return None, "link"
        if _MENU_SEPARATORS.search(flat):
            return None, "menu"
    if bio:
        return None, "aggregator-bio"
    if info.ellipsis and info.words <= 60:
        return None, "teaser"
    return None, None


def _date_only(lowered: str, m: Markers) -> bool:
    """A date or time stamp and nothing else: numbers, date words (months, weekdays, am/pm,
    time zones, "updated") and separators, with a date's or a time's shape (a month name,
    or three numbers as in 8/2/2013 or 11: 45: 00)."""
    numbers, month = 0, False
    for token in _DATE_TOKEN.findall(lowered):
        if token.isdigit():
            numbers += 1
        elif token in m.date_words:
            month = month or token in m.months
        else:
            return False
    return numbers >= 3 or (numbers >= 1 and month)


def _notice(flat: str, lowered: str, info: LineInfo, m: Markers, needles: Needles) -> str | None:
    """Sign-up, cookie, paywall, copyright notices: weighted cues (see markers.yaml)."""
    if info.chars > 600:
        return None
    candidates = set(m.notice_always)
    for needle, cues in needles:
        if needle in lowered:
            candidates.update(cues)
    if not candidates:
        return None
    weight, reasons = 0, []
    for i in sorted(candidates):
        cue = m.notice_cues[i]
        if cue.pattern.search(flat):
            weight += cue.weight
            reasons.append((cue.weight, cue.reason))
    if not reasons:
        return None
    info.notice = max(reasons)[1]  # a hint for lines next to a notice, whatever the weight
    if info.chars <= 80 and not info.terminal:
        need = 1
    elif info.prose and info.words >= 25:
        need = 3
    else:
        need = 2
    return max(reasons)[1] if weight >= need else None


def _bio(flat: str, info: LineInfo, m: Markers) -> str | None:
    """ "X is a journalist at Y, where she writes ...": an author or aggregator bio.

    "strong" when a bio-only phrase follows ("where she writes", "follow him on"); "weak"
    for the opening alone, which a news sentence can share, so it only goes outside the body.
    """
    if info.chars > 700 or not (
        " is " in flat or " was " in flat or " has been " in flat or " writes " in flat
    ):
        return None
    if not m.bio_opening.match(flat):
        return None
    return "strong" if m.bio_strong.search(flat) else "weak"
