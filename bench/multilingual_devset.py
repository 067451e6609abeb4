"""Build a multilingual dev set of real news pages with a known publication day.

Why: presstrace was measured on English pages only, and its date, cleaning and language
stages broke on the rest (issue 11). This script gathers real pages in many languages from
the public test collections of extraction tools, each with the publication date those
projects assert in their own tests, and writes them with a flattened text (every visible line,
as a naive scraper saves the page) so that the text path and the HTML path can be measured.

Sources (fetched as git snapshots under /work/.mirror, read where they lie, never committed):

- flairNLP/fundus (MIT): tests/resources/parser/test_data/<cc>/*.html.gz, gold
  `publishing_date` (local time with offset); also the older test pages in its git history.
- adbar/trafilatura (Apache-2.0): tests/evaldata.json with tests/cache, tests/eval; gold `date`.
- postlight/parser (MIT or Apache-2.0): fixtures/*.html and the custom extractors' tests; gold
  `date_published` (a UTC instant).
- mozilla/readability (Apache-2.0): test/test-pages/*/source.html; gold `publishedTime` of
  expected-metadata.json.
- AndyTheFactory/newspaper4k (MIT): tests/data/html/*.html with the `publish_date` of
  tests/data/metadata/<name>.json (Chinese, Japanese, English; its Arabic, Spanish and Thai
  pages have none). Searched and found without a gold date (not used): goose3's test pages
  (example.com dates), GeneralNewsExtractor's Chinese pages (no expected output),
  go-trafilatura's (trafilatura's own pages again).
- virus-warnning/twnews (MIT): Taiwanese news pages (Traditional Chinese) under
  twnews/samples, each paired in twnews/tests with the title and the local publication time
  its parser must find; read at every commit of its history (the samples were re-saved and
  replaced), one snapshot per article. Searched for Russian, Ukrainian, Arabic and Greek page
  collections with a gold date and found none beyond fundus's (one page each): news-please,
  goose3, newspaper4k and dateparser test strings, not pages. Issue 11 session 5 searched
  code again (Russian and Arabic article fixtures with an expected date, date-extractor test
  suites other than htmldate's): the only new page collection with gold times was an English
  one of Indian and British outlets (a scrapy "Archive-Crawling" project's date-extractor
  tests, times without a zone, repository and licence not resolved), so nothing was added.

Held out and left out: every page whose file name or URL is among the htmldate repository's
test pages and evaluation files (tests/eval, tests/test_set, tests/cache, eval_*.json, URLs
named in its tests) or scrapinghub's article-extraction-benchmark (file names and the URLs of
ground-truth.json). Only names and URLs of those repositories are read, nothing else.

A gold stated as a UTC instant (postlight, readability with "Z") is kept only when the local
day is the same under every time zone plausible for the page (the extractor's own time zone,
else one guessed from the domain, else UTC-8 to UTC+9); otherwise the local day is unknown
and the page is left out.

Run: `python bench/multilingual_devset.py [--out /work/devdata/ml-pages.jsonl]`
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html as html_lib
import json
import lzma
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devsets import flatten_html  # noqa: E402

MIRROR = Path("/work/.mirror")
OUT = Path("/work/devdata/ml-pages.jsonl")

FUNDUS = "flairNLP+fundus"
TRAFILATURA = "adbar+trafilatura"
POSTLIGHT = "postlight+parser"
READABILITY = "mozilla+readability"
NEWSPAPER = "AndyTheFactory+newspaper4k"
TWNEWS = "virus-warnning+twnews"
HTMLDATE = "adbar+htmldate"
SCRAPINGHUB = "scrapinghub+article-extraction-benchmark"

LICENCES = {
    FUNDUS: "MIT",
    TRAFILATURA: "Apache-2.0",
    POSTLIGHT: "MIT OR Apache-2.0",
    READABILITY: "Apache-2.0",
    NEWSPAPER: "MIT",
    TWNEWS: "MIT",
}

# Time zones by country-code top-level domain, used only to decide whether a UTC gold
# instant names one local day; the spread below covers pages of unknown location.
TLD_ZONES = {
    "jp": "Asia/Tokyo",
    "de": "Europe/Berlin",
    "at": "Europe/Vienna",
    "ch": "Europe/Zurich",
    "fr": "Europe/Paris",
    "uk": "Europe/London",
    "cn": "Asia/Shanghai",
    "in": "Asia/Kolkata",
    "ca": "America/Toronto",
    "br": "America/Sao_Paulo",
    "cz": "Europe/Prague",
    "ru": "Europe/Moscow",
    "it": "Europe/Rome",
    "es": "Europe/Madrid",
}
UNKNOWN_ZONES = ("America/Los_Angeles", "America/New_York", "UTC", "Europe/Berlin", "Asia/Tokyo")


@dataclass
class Page:
    id: str
    lang: str
    lang_html: str | None
    url: str | None
    html: str
    text: str
    gold_date: str | None
    source_repo: str
    source_path: str
    licence: str


def _git(repo: str, *args: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(MIRROR / repo / "repo"), *args], capture_output=True, check=False
    ).stdout


def _show(repo: str, path: str, commit: str = "HEAD") -> bytes:
    return _git(repo, "show", f"{commit}:{path}")


def _files(repo: str, commit: str = "HEAD") -> list[str]:
    return [
        p
        for p in _git(repo, "ls-tree", "-r", "--name-only", "-z", commit)
        .decode("utf-8", "replace")
        .split("\0")
        if p
    ]


def _norm_url(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return url.split("#")[0].rstrip("/")


def held_out_keys() -> tuple[set[str], set[str]]:
    """File names and normalised URLs of the held-out collections (names and URLs only)."""
    names: set[str] = set()
    urls: set[str] = set()
    for path in _files(HTMLDATE):
        if path.startswith("tests/") and path.endswith((".html", ".htm")):
            names.add(path.rsplit("/", 1)[-1])
    for path in ("tests/eval_default.json", "tests/eval_mediacloud_2020.json"):
        raw = _show(HTMLDATE, path)
        if raw:
            urls.update(json.loads(raw))
    for path in ("tests/unit_tests.py", "tests/comparison.py", "tests/testlist.txt"):
        urls.update(
            re.findall(r"https?://[^\s'\"<>)]+", _show(HTMLDATE, path).decode("utf-8", "replace"))
        )
    for path in _files(SCRAPINGHUB):
        if path.startswith("html/"):
            names.add(path.rsplit("/", 1)[-1])
    raw = _show(SCRAPINGHUB, "ground-truth.json")
    if raw:
        urls.update(
            v["url"] for v in json.loads(raw).values() if isinstance(v, dict) and v.get("url")
        )
    if not names or not urls:
        raise SystemExit(
            "held-out lists are empty: fetch adbar/htmldate and scrapinghub's benchmark first"
        )
    return names, {_norm_url(u) for u in urls}


def _decode(raw: bytes) -> str:
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    head = raw[:4096].decode("ascii", "replace").lower()
    match = re.search(r"charset=[\"']?([a-z0-9_-]+)", head)
    # Strict UTF-8 first: it almost never succeeds on bytes in another encoding, while
    # declared charsets are often wrong (a UTF-8 page labelled iso-8859-1).
    for enc in ["utf-8"] + ([match.group(1)] if match else []) + ["cp1252"]:
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def _local_day(instant: str, zones: tuple[str, ...]) -> str | None:
    """The local day of a UTC instant if it is the same in every zone, else None."""
    when = dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    if when.tzinfo is None:
        return when.date().isoformat()
    days = {when.astimezone(ZoneInfo(z)).date().isoformat() for z in zones}
    return days.pop() if len(days) == 1 else None


def _zones_for(url: str | None, own: str | None) -> tuple[str, ...]:
    if own:
        return (own,)
    host = re.sub(r"^https?://", "", url or "").split("/")[0]
    tld = host.rsplit(".", 1)[-1]
    if tld in TLD_ZONES:
        return (TLD_ZONES[tld],)
    return UNKNOWN_ZONES


FUNDUS_ROOT = "tests/resources/parser/test_data/"


def _fundus_at(
    commit: str, wanted: set[str] | None
) -> Iterator[tuple[str, str | None, bytes, str | None, str]]:
    """Fundus test pages at one commit: each publisher's JSON holds versions V1..Vn whose
    order is that of its dated HTML files. `wanted` limits it to some HTML paths."""
    files = [p for p in _files(FUNDUS, commit) if p.startswith(FUNDUS_ROOT)]
    meta: dict[str, dict] = {}
    for p in files:
        if p.endswith("meta.info"):
            try:
                meta.update(json.loads(_show(FUNDUS, p, commit)))
            except ValueError:
                continue
    by_pub: dict[str, list[str]] = {}
    for p in files:
        if p.endswith(".html.gz"):
            pub = re.sub(r"_\d{4}_\d{2}_\d{2}\.html\.gz$", "", p)
            by_pub.setdefault(pub, []).append(p)
    for pub, htmls in sorted(by_pub.items()):
        if wanted is not None and not wanted.intersection(htmls):
            continue
        raw = _show(FUNDUS, pub + ".json", commit)
        if not raw:
            continue
        try:
            versions = json.loads(raw)
        except ValueError:
            continue
        keys = [k for k, v in versions.items() if isinstance(v, dict)]
        if len(keys) != len(htmls):
            continue
        raws = {path: _show(FUNDUS, path, commit) for path in htmls}
        for path, key in _match_versions(raws, versions, keys).items():
            if wanted is not None and path not in wanted:
                continue
            gold = versions[key].get("publishing_date")
            day = gold[:10] if isinstance(gold, str) else None
            url = meta.get(path.rsplit("/", 1)[-1], {}).get("url")
            yield path, url, raws[path], day, versions[key].get("title") or ""


def _match_versions(raws: dict[str, bytes], versions: dict, keys: list[str]) -> dict[str, str]:
    """Which expectation (V1, V2, ...) belongs to which HTML file: the one whose title the
    page holds. The order of the versions is not the order of the files' dates (NationalPost's
    V1 is its 2025 page), so a page is kept only when exactly one version's title is in it."""
    if len(keys) == 1 and len(raws) == 1:
        return {next(iter(raws)): keys[0]}
    out: dict[str, str] = {}
    for path, raw in raws.items():
        page = html_lib.unescape(_decode(raw))
        page = " ".join(page.split())
        hits = [k for k in keys if _title_key(versions[k].get("title")) in page]
        if len(hits) == 1 and _title_key(versions[hits[0]].get("title")):
            out[path] = hits[0]
    return out


def _title_key(title: object) -> str:
    return " ".join(str(title or "").split())[:50]


def fundus_pages() -> Iterator[tuple[str, str | None, bytes, str | None, str]]:
    """Today's test pages, then the older ones that were later replaced or removed."""
    yield from _fundus_at("HEAD", None)
    log = _git(FUNDUS, "log", "--diff-filter=D", "--name-only", "--format=C %H", "--", FUNDUS_ROOT)
    deleted: dict[str, set[str]] = {}
    commit = ""
    for line in log.decode("utf-8", "replace").splitlines():
        if line.startswith("C "):
            commit = line[2:]
        elif line.endswith(".html.gz"):
            deleted.setdefault(commit + "^", set()).add(line)
    for parent, paths in deleted.items():
        yield from _fundus_at(parent, paths)


def trafilatura_pages(names: set[str]) -> Iterator[tuple[str, str | None, bytes, str | None, str]]:
    data = json.loads(_show(TRAFILATURA, "tests/evaldata.json"))
    for url, case in data.items():
        if not case.get("date") or case["file"] in names:
            continue
        for folder in ("tests/cache/", "tests/eval/"):
            raw = _show(TRAFILATURA, folder + case["file"])
            if raw:
                yield (
                    folder + case["file"],
                    url if url.startswith("http") else None,
                    raw,
                    case["date"][:10],
                    case.get("title") or "",
                )
                break


def postlight_pages() -> Iterator[tuple[str, str | None, bytes, str | None, str]]:
    for path in _files(POSTLIGHT):
        if not (path.startswith("src/extractors/custom/") and path.endswith("index.test.js")):
            continue
        test = _show(POSTLIGHT, path).decode("utf-8", "replace")
        url = re.search(r"url\s*=\s*['`\"]([^'`\"]+)", test)
        fixture = re.search(r"fixtures/([^'`\"]+\.html)", test)
        date = re.search(r"assert\.equal\(\s*date_published,\s*['`\"]([^'`\"]+)", test)
        if not (url and fixture and date):
            continue
        own = re.search(
            r"timezone:\s*'([^']+)'",
            _show(POSTLIGHT, path.replace(".test.js", ".js")).decode("utf-8", "replace"),
        )
        zone = own.group(1) if own else None
        if zone in ("EST", "GMT"):
            zone = {"EST": "America/New_York", "GMT": "UTC"}[zone]
        day = _local_day(date.group(1), _zones_for(url.group(1), zone))
        if day:
            yield (
                "fixtures/" + fixture.group(1),
                url.group(1),
                _show(POSTLIGHT, "fixtures/" + fixture.group(1)),
                day,
                "",
            )


def readability_pages() -> Iterator[tuple[str, str | None, bytes, str | None, str]]:
    for path in _files(READABILITY):
        if not path.endswith("expected-metadata.json"):
            continue
        meta = json.loads(_show(READABILITY, path))
        when = meta.get("publishedTime")
        if not when:
            continue
        src = path.replace("expected-metadata.json", "source.html")
        raw = _show(READABILITY, src)
        url_match = re.search(rb'<link rel="canonical" href="([^"]+)"', raw) or re.search(
            rb'og:url" content="([^"]+)"', raw
        )
        url = url_match.group(1).decode() if url_match else None
        try:
            when = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", when.replace(" ", "T"))
            day = _local_day(when, _zones_for(url, None))
        except ValueError:
            continue
        if day:
            yield src, url, raw, day, meta.get("title") or ""


def newspaper_pages() -> Iterator[tuple[str, str | None, bytes, str | None, str]]:
    """A local time with its offset names its day; a UTC instant only when every plausible
    zone of the page gives the same day (as for postlight)."""
    for path in _files(NEWSPAPER):
        if not (path.startswith("tests/data/metadata/") and path.endswith(".json")):
            continue
        meta = json.loads(_show(NEWSPAPER, path))
        when = meta.get("publish_date")
        src = "tests/data/html/" + path.rsplit("/", 1)[-1][: -len(".json")] + ".html"
        raw = _show(NEWSPAPER, src)
        if not when or not raw:
            continue
        url = meta.get("url")
        if when.endswith(("Z", "+00:00")):
            day = _local_day(when.replace("Z", "+00:00"), _zones_for(url, None))
        else:
            day = when[:10]
        if day:
            yield src, url, raw, day, meta.get("title") or ""


def _unpack(raw: bytes) -> bytes:
    if raw[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(raw)
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


_TW_SAMPLE = re.compile(r"NewsSoup\(pkgdir \+ '/(samples/[^']+)'")
_TW_DATE = re.compile(r"assertEqual\('(\d{4}-\d\d-\d\d) \d\d:\d\d:\d\d', nsoup\.date\(\)")
_TW_TITLE = re.compile(r"assertIn\('([^']+)', nsoup\.title\(\)")


def _page_url(raw: bytes) -> str | None:
    """The page's own address (canonical link or og:url), if it states one."""
    match = re.search(rb'<link[^>]+rel="canonical"[^>]+href="(https?://[^"]+)"', raw) or re.search(
        rb'og:url"[^>]+content="(https?://[^"]+)"', raw
    )
    return match.group(1).decode("utf-8", "replace") if match else None


def twnews_pages() -> Iterator[tuple[str, str | None, bytes, str | None, str]]:
    """Each test that opens a saved sample asserts its title and local time (Taiwan): the
    newest snapshot of each (title, day) whose page holds that title."""
    seen: set[tuple[str, str]] = set()
    commits = _git(TWNEWS, "log", "--format=%H", "--", "twnews/samples", "twnews/tests")
    for commit in commits.decode().split():
        tests = [p for p in _files(TWNEWS, commit) if re.search(r"tests/.*test_\w+\.py$", p)]
        for test in tests:
            code = _show(TWNEWS, test, commit).decode("utf-8", "replace")
            for case in code.split("\n    def "):
                sample, day = _TW_SAMPLE.search(case), _TW_DATE.search(case)
                title = _TW_TITLE.search(case)
                if not (sample and day and title) or (title.group(1), day.group(1)) in seen:
                    continue
                raw = _unpack(_show(TWNEWS, "twnews/" + sample.group(1), commit))
                if title.group(1) not in raw.decode("utf-8", "replace"):
                    continue
                seen.add((title.group(1), day.group(1)))
                yield (
                    f"twnews/{sample.group(1)}@{commit[:10]}",
                    _page_url(raw),
                    raw,
                    day.group(1),
                    title.group(1),
                )


def _valid_day(day: str | None) -> str | None:
    """The gold day if it is a real date: trafilatura's evaldata has "2022-25-10" and
    "2022-11-1" for pages that say 25 October and 21 November; those get no gold."""
    if not day or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return None
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        return None


def _html_lang(html: str) -> str | None:
    match = re.search(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", html[:20000], re.I)
    return match.group(1).lower() if match else None


def _main_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def build(out: Path) -> Counter:
    import py3langid

    names, urls = held_out_keys()
    seen: set[str] = set()
    counts: Counter = Counter()
    sources = [
        (FUNDUS, fundus_pages()),
        (TRAFILATURA, trafilatura_pages(names)),
        (POSTLIGHT, postlight_pages()),
        (READABILITY, readability_pages()),
        (NEWSPAPER, newspaper_pages()),
        (TWNEWS, twnews_pages()),
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for repo, pages in sources:
            for path, url, raw, day, _title in pages:
                if path.rsplit("/", 1)[-1] in names or (url and _norm_url(url) in urls):
                    counts["held-out"] += 1
                    continue
                key = _norm_url(url) if url else f"{repo}:{path}"
                if key in seen:
                    counts["duplicate"] += 1
                    continue
                seen.add(key)
                day = _valid_day(day)
                html = _decode(raw)
                text = flatten_html(html)
                main = _main_text(html) or text
                lang = py3langid.classify(main[:5000])[0]
                page = Page(
                    id=f"{repo.split('+')[1]}:{path}",
                    lang=lang,
                    lang_html=_html_lang(html),
                    url=url,
                    html=html,
                    text=text,
                    gold_date=day,
                    source_repo=repo.replace("+", "/"),
                    source_path=path,
                    licence=LICENCES[repo],
                )
                fh.write(json.dumps(asdict(page)) + "\n")  # ASCII: no U+2028 inside a line
                counts[lang] += 1
                counts["pages"] += 1
    tmp.replace(out)
    return counts


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(f"wrote {counts['pages']} pages to {args.out}")
    print(", ".join(f"{k} {v}" for k, v in counts.most_common()))


if __name__ == "__main__":
    main(sys.argv[1:])
