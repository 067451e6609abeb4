"""The HTML path (trafilatura + metadata) and clean_text on flattened real pages."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, needs_shared

from presstrace.clean.html import MAX_REMOVED_CHARS, clean_html
from presstrace.clean.text import clean_text

PAGE = """<!doctype html><html><head>
<title>Council approves flood barrier plan | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald">
<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
<meta name="author" content="Jane Roe">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Council approves flood barrier plan</h1>
<p>The town council on Monday approved a plan to build a two-kilometre flood barrier along
the river, after three floods in five years forced hundreds of families from their homes.</p>
<p>The barrier will cost an estimated 40 million euros and take four years to complete,
the council said, with most of the money coming from a national climate fund.</p>
<p>Residents who had campaigned for the barrier welcomed the vote, but some shop owners
said they feared years of roadworks along the waterfront would drive customers away.</p>
</article>
<footer><p>© 2024 Valley Herald Media Ltd. All rights reserved.</p>
<p><a href="/privacy">Privacy Policy</a></p></footer>
</body></html>"""


def test_inline_page_body_metadata_and_outside_lines():
    r = clean_html(PAGE, "https://valleyherald.example/2024/03/05/flood-barrier")
    assert r.title == "Council approves flood barrier plan"
    assert "two-kilometre flood barrier" in r.text
    assert "shop owners" in r.text
    assert "Privacy Policy" not in r.text and "Sport" not in r.text
    assert "\n\n\n" not in r.text
    md = r.metadata
    assert set(md) >= {"title", "date", "date_evidence", "sitename", "author", "url", "description"}
    assert md["date"] == "2024-03-05"
    assert "article:published_time" in md["date_evidence"]
    assert md["sitename"] == "Valley Herald"
    outside = {x.text for x in r.removed if x.reason == "html-outside-main"}
    assert {"Home", "Sport", "Privacy Policy"} <= outside
    assert not any("flood barrier along the river" in t for t in outside)


def test_broken_and_empty_html_do_not_raise():
    for html in ("", "<html></html>", "<p>unclosed <b>tags", "\x00\x01 not html at all"):
        r = clean_html(html)
        assert isinstance(r.text, str) and isinstance(r.metadata, dict)


def _dev_cases():
    sys.path.insert(0, str(ROOT / "bench"))
    needs_shared("data", "trafilatura-eval", "cases.jsonl")
    import devsets

    return devsets, list(devsets.load_trafilatura_cases())


# The Planetary Press page states 2020-01-17 in its article:published_time and under the
# headline; the upstream expectation (2020-01-19) is the date in the page's masthead.
@pytest.mark.parametrize(
    ("name", "date"),
    [("theplanetarypress.com.forestlands.html", "2020-01-17"), ("twincities.com-mayor.html", None)],
)
def test_dev_set_pages(name, date):
    _, cases = _dev_cases()
    case = next(c for c in cases if c.name == name)
    r = clean_html(case.html, case.url)
    body = " ".join(r.text.split())
    for snippet in case.with_snippets:
        assert " ".join(snippet.split()) in body
    kept = [s for s in case.without_snippets if " ".join(s.split()) in body]
    assert len(kept) <= len(case.without_snippets) // 3
    assert r.metadata["date"] and r.metadata["date_evidence"]
    assert r.metadata["date"] == (date or case.date[:10])
    outside = [x for x in r.removed if x.reason == "html-outside-main"]
    assert outside and sum(len(x.text) for x in outside) <= MAX_REMOVED_CHARS
    assert len({x.text for x in outside}) == len(outside)


def test_clean_text_lifts_f1_on_flattened_pages():
    """The naive flattening scores F1 about 0.70; clean_text must take it well above."""
    devsets, cases = _dev_cases()
    flat = [(devsets.flatten_html(c.html), c) for c in cases]
    naive = devsets.score_snippets(flat)["f1"]
    cleaned = devsets.score_snippets([(clean_text(t).text, c) for t, c in flat])
    assert naive < 0.75
    assert cleaned["f1"] >= 0.85
    assert cleaned["recall"] >= 0.85


def test_article_only_in_nextjs_flight_data_is_kept():
    # the shape of Hankook Ilbo's page in fundus's test data (2026-01-29): an empty DOM, the
    # article's HTML as JSON strings pushed to self.__next_f
    import json

    paragraphs = [
        "장동혁 국민의힘 대표가 당권을 위협하던 한동훈 전 대표를 제명했지만, 어깨는 한층 "
        "무거워졌다. 넉 달가량 남은 6·3 지방선거에서 참패할 경우 당대표직을 지키기 힘들어서다.",
        "국민의힘은 조만간 인재영입위원회를 발족하는 등 당을 지방선거 체제로 조속히 전환할 "
        "방침이다. 이를 통해 한 전 대표 제명에 따른 여진을 최소화하겠다는 의도로 풀이된다.",
    ]
    payload = "".join(f'<p class="editor-p"><strong>{p}</strong></p>' for p in paragraphs)
    pushes = [f"self.__next_f.push([1,{json.dumps(part)}])" for part in (
        '1:"$Sreact.fragment"\n2:I[1234,["app/page.js"],"default"]\n',
        payload[: len(payload) // 2],
        payload[len(payload) // 2 :],
    )]  # fmt: skip
    html = (
        '<!DOCTYPE html><html lang="ko"><head><title>정치ㅣ한국일보</title></head><body>'
        '<div id="__next"></div>'
        + "".join(f"<script>{p}</script>" for p in pushes)
        + "</body></html>"
    )
    cleaned = clean_html(html)
    assert paragraphs[0].split(",")[0] in cleaned.text
    assert "방침이다" in cleaned.text
    # a page without flight data and without text still has none
    assert clean_html('<html><body><div id="__next"></div></body></html>').text == ""
