"""Narrative taxonomies as data: YAML files with a domain, its topic, narratives and
sub-narratives, each with a description and example phrases (format in taxonomies/urw.yaml).

presstrace ships the two SemEval-2025 Task 10 taxonomies (Ukraine war "URW", climate change
"CC"); a user adds or replaces them with their own files. A file that cannot be used is
rejected with one line naming the file and the problem, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from presstrace import settings
from presstrace.errors import ConfigError

SHIPPED_DIR = Path(__file__).with_name("taxonomies")
ENV = settings.ENVIRONMENT["taxonomies"]  # read by presstrace.settings
OTHER = "Other"  # the task's label for an on-topic text with none of the narratives


class TaxonomyError(ConfigError):
    """A taxonomy file that cannot be used (the message is one line naming the file)."""


@dataclass(frozen=True)
class Node:
    """A narrative or sub-narrative: its full label and the texts that describe it."""

    label: str
    description: str
    examples: tuple[str, ...]

    @property
    def texts(self) -> list[str]:
        return [self.description, *self.examples]


@dataclass(frozen=True)
class Narrative(Node):
    subnarratives: tuple[Node, ...] = ()
    # phrases whose plain use argues against this narrative and its sub-narratives ("Russia's
    # full-scale invasion" against "Blaming the war on others"): a sentence using one, not in
    # quotation marks nor after "so-called", does not push it (group/rebuttals.py)
    rebuttals: tuple[str, ...] = ()
    # the party the narrative exonerates and the wrongs it denies them: a sentence whose
    # subject is that party doing such a wrong rebuts it too (group/rebuttals.py)
    exonerates: tuple[str, ...] = ()
    wrongs: tuple[str, ...] = ()

    @property
    def other(self) -> str:
        """The sub-label a narrative gets when none of its sub-narratives is found."""
        return f"{self.label}: {OTHER}"


@dataclass(frozen=True)
class Taxonomy:
    domain: str
    title: str
    topic: Node
    narratives: tuple[Narrative, ...]
    source: str = ""
    keywords: tuple[str, ...] = ()  # topic words ("prefix*" matches any ending)
    # a sentence counts for the topic only when it also holds one of these (empty: any
    # sentence with a keyword counts): "Ukraine" in a sentence about the war, not about a
    # phone call in an impeachment story
    context: tuple[str, ...] = ()
    required: tuple[str, ...] = ()  # the text must name at least one of these (empty: none)
    # how far (z units) past the classifier's boundary a narrative of this taxonomy must be
    # before it is given rather than "Other": measured per taxonomy on real labelled news
    # (the shipped files say how); 0 for a taxonomy nobody measured
    min_margin: float = 0.0

    def labels(self) -> list[str]:
        """Every label this taxonomy can give, narrative and sub-narrative level ("...: Other"
        included), in file order."""
        out = []
        for n in self.narratives:
            out += [n.label, *(s.label for s in n.subnarratives), n.other]
        return out


@dataclass
class TaxonomySet:
    """The taxonomies in use, and the label -> parent narrative map they define."""

    taxonomies: list[Taxonomy] = field(default_factory=list)

    def labels(self) -> list[str]:
        return [label for t in self.taxonomies for label in t.labels()] + [OTHER]

    def parent(self) -> dict[str, str]:
        """Sub-label -> narrative label (narratives map to themselves)."""
        out = {}
        for t in self.taxonomies:
            for n in t.narratives:
                out[n.label] = n.label
                out[n.other] = n.label
                out.update((s.label, n.label) for s in n.subnarratives)
        return out


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def configured_files(extra: Iterable[str | Path] = ()) -> list[Path]:
    """The files to use: those given (option), else $PRESSTRACE_TAXONOMIES, else the shipped."""
    given = [Path(p) for p in extra]
    if given:
        return given
    configured = settings.current().taxonomies
    return list(configured) if configured else shipped_files()


def load_set(paths: Iterable[str | Path] | None = None) -> TaxonomySet:
    files = configured_files(paths or ())
    taxonomies = [load(p) for p in files]
    seen: dict[str, str] = {}
    for t in taxonomies:
        if t.domain in seen:
            raise TaxonomyError(
                f"{t.source}: domain {t.domain!r} is also defined in {seen[t.domain]}"
            )
        seen[t.domain] = t.source
    return TaxonomySet(taxonomies)


def load(path: str | Path) -> Taxonomy:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read taxonomy file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise TaxonomyError(f"{path}: taxonomy file is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise TaxonomyError(f"{path}: not valid YAML{where} ({problem})") from None
    try:
        return _parse(data, str(path))
    except _Problem as exc:
        raise TaxonomyError(f"{path}: {exc}") from None


class _Problem(Exception):
    pass


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Problem(f"{where} must be a non-empty string")
    return " ".join(value.split())


def _examples(node: dict, where: str) -> tuple[str, ...]:
    values = node.get("examples", [])
    if not isinstance(values, list) or not values:
        raise _Problem(f"{where}: 'examples' must be a non-empty list of phrases")
    return tuple(_text(v, f"{where}: example {i + 1}") for i, v in enumerate(values))


def _phrases(node: dict, name: str, where: str) -> tuple[str, ...]:
    """An optional list of phrases (empty when absent)."""
    values = node.get(name, [])
    if not isinstance(values, list):
        raise _Problem(f"{where}: '{name}' must be a list of phrases")
    return tuple(_text(v, f"{where}: {name} entry {i + 1}") for i, v in enumerate(values))


def _mapping(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise _Problem(f"{where} must be a mapping (name, description, examples)")
    return value


def _parse(data: object, source: str) -> Taxonomy:
    data = _mapping(data, "the file")
    domain = _text(data.get("domain"), "'domain'")
    if ":" in domain:
        raise _Problem("'domain' must not contain ':'")
    topic = _mapping(data.get("topic"), "'topic'")
    topic_node = Node(domain, _text(topic.get("description"), "topic description"),
                      _examples(topic, "topic"))  # fmt: skip
    raw = data.get("narratives")
    if not isinstance(raw, list) or not raw:
        raise _Problem("'narratives' must be a non-empty list")
    narratives, names = [], set()
    for i, item in enumerate(raw):
        item = _mapping(item, f"narrative {i + 1}")
        name = _text(item.get("name"), f"narrative {i + 1} name")
        where = f"narrative {name!r}"
        if name in names:
            raise _Problem(f"{where} is defined twice")
        names.add(name)
        label = f"{domain}: {name}"
        subs, sub_names = [], set()
        for j, sub in enumerate(item.get("subnarratives") or []):
            sub = _mapping(sub, f"{where} sub-narrative {j + 1}")
            sub_name = _text(sub.get("name"), f"{where} sub-narrative {j + 1} name")
            if sub_name in sub_names or sub_name == "Other":
                raise _Problem(f"{where}: sub-narrative {sub_name!r} is defined twice or reserved")
            sub_names.add(sub_name)
            sub_where = f"{where} sub-narrative {sub_name!r}"
            subs.append(
                Node(
                    f"{label}: {sub_name}",
                    _text(sub.get("description"), f"{sub_where} description"),
                    _examples(sub, sub_where),
                )
            )
        narratives.append(
            Narrative(
                label,
                _text(item.get("description"), f"{where} description"),
                _examples(item, where),
                tuple(subs),
                _phrases(item, "rebuttals", where),
                _phrases(item, "exonerates", where),
                _phrases(item, "wrongs", where),
            )
        )
    title = data.get("title")
    words = {}
    for name in ("keywords", "context", "required"):
        values = topic.get(name, [])
        if not isinstance(values, list):
            raise _Problem(f"topic '{name}' must be a list of words")
        words[name] = tuple(
            _text(str(k), f"topic {name} entry {i + 1}") for i, k in enumerate(values)
        )
    margin = data.get("min_margin", 0.0)
    if isinstance(margin, bool) or not isinstance(margin, int | float) or margin < 0:
        raise _Problem("'min_margin' must be a number >= 0")
    return Taxonomy(
        domain,
        _text(title, "'title'") if title is not None else domain,
        topic_node,
        tuple(narratives),
        source,
        words["keywords"],
        words["context"],
        words["required"],
        float(margin),
    )
