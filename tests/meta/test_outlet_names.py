"""Outlets are names, never URL fragments (issue 16: "https:" was the outlet of 8 of 1,500
real pages). The cause: a "Source:" value or site name that is a URL of an outlet not in
the list was cut at its first "/", which leaves the scheme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, SHARED, needs_shared

from presstrace.ingest import read_inputs
from presstrace.meta.outlet import find_outlet, site_host
from presstrace.model import RawDocument
from presstrace.pipeline import EmptyDocument, build_document

# A name has a letter, and no scheme, path, query or trailing colon.
NAME = re.compile(r"(?=.*[^\W\d_])[^:/?#]*(?:/[^:/?#]+)*")


def is_name(outlet: str | None) -> bool:
    return outlet is None or ("://" not in outlet and not outlet.endswith(":")
                              and NAME.fullmatch(outlet) is not None)  # fmt: skip


BODY = "Vladimir Putin has come under fierce scrutiny within his inner circle.\n\nHe added more."


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        # as real pages print it (a Tages-Anzeiger page of fundus' test data carries this
        # one), at the end of an article and in what cleaning removed
        ("Source: https://learn.microsoft.com/en-us/clarity/third-party-integrations/x",
         "learn.microsoft.com"),
        ("Source: https://www.kyivpost.example/post/12345", "kyivpost.example"),
        ("Originally published at http://blog.example.org:8080/a/b?c=d", "blog.example.org"),
        ("Source: https://", None),
    ],
)  # fmt: skip
def test_a_source_url_gives_its_host_never_the_scheme(line, outlet):
    for text, removed in ((BODY + "\n\n" + line, []), (BODY, [line])):
        name, evidence = find_outlet(text, removed, {})
        assert is_name(name), (line, name)
        if outlet:
            assert name == outlet and evidence == line


def test_a_url_as_site_name_or_page_url():
    assert find_outlet("Text.", [], {"sitename": "https://www.example.net/"})[0] == "example.net"
    assert find_outlet("Text.", [], {"url": "file:///tmp/page.html"}) == (None, None)
    assert site_host("https://[::1]/x") is None and site_host("http://localhost/") is None
    assert site_host("www.bbc.co.uk/news") == "bbc.co.uk"


def _outlets(paths: list[Path]) -> dict[str, str | None]:
    found = {}
    for raw in read_inputs([str(p) for p in paths]):
        if not isinstance(raw, RawDocument):
            continue
        try:
            found[raw.source] = build_document(raw).outlet
        except EmptyDocument:
            continue
    return found


def test_the_examples_and_seeds_have_names():
    paths = [EXAMPLES] + ([SHARED / "seeds"] if (SHARED / "seeds").is_dir() else [])
    outlets = _outlets(paths)
    assert len(outlets) >= 5 and all(is_name(o) for o in outlets.values()), outlets
    assert "The Telegraph" in outlets.values()


def test_a_real_page_whose_site_name_is_a_url():
    """trafilatura's evaluation page from pawszilla.com states its site name as
    "https://pawszilla.com": its outlet was "https:"."""
    page = needs_shared("data", "trafilatura-eval", "html", "pawszilla.com.celine.html.gz")
    [raw] = [r for r in read_inputs([str(page)]) if isinstance(r, RawDocument)]
    doc = build_document(raw)
    assert (doc.outlet, doc.outlet_evidence) == ("pawszilla.com", "sitename: https://pawszilla.com")


@pytest.mark.e2e
def test_real_pages_have_names_never_url_pieces():
    """The 105 real news pages of trafilatura's evaluation set (in ../shared)."""
    root = needs_shared("data", "trafilatura-eval", "html")
    outlets = _outlets([root])
    assert len(outlets) >= 90
    bad = {k: v for k, v in outlets.items() if not is_name(v)}
    assert not bad
    assert sum(v is not None for v in outlets.values()) >= 80  # still named, mostly


def test_a_url_of_no_publisher_names_nobody():
    for line in ("Source: https://x.com/someone/status/1", "Via: https://m.facebook.com/page",
                 "Source: https://www.youtube.com/watch?v=abc"):  # fmt: skip
        assert find_outlet(BODY + "\n\n" + line, [], {}) == (None, None)
