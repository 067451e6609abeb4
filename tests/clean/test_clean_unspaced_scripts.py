"""Scripts written without spaces between words (issue 11): Chinese and Japanese articles were
refused ("no article text left after cleaning") because a paragraph counted as prose only from
twelve space-separated words and 。 was no sentence end. The paragraphs are real: from the
Chunichi Shimbun and People's Daily pages of the fundus test collection."""

from __future__ import annotations

from presstrace.clean.html import _is_prose, clean_html
from presstrace.clean.lines import describe

JA = [
    "13日午後9時19分ごろ、宮崎県で震度5弱の地震があった。気象庁によると、震源地は日向灘で、"
    "震源の深さは約36キロ。地震の規模はマグニチュード(M)6・6と推定される。",
    "気象庁は調査終了を受けた記者会見で「地震はいつ起きてもおかしくない。"
    "日頃からの備えを確実に実施しておくようお願いしたい」と呼びかけた。",
]
ZH = [
    "4月24日,习近平主席向首届“中国-拉美和加勒比国家航天合作论坛”致贺信,在会场内外引发热烈反响。",
    "拉美和加勒比地区是航天领域的重要力量,中国与拉美和加勒比国家已开展长期、全面、务实的合作。",
]
MENU = ["ニュース", "政治", "経済", "スポーツ", "首页", "时政"]


def _page(title: str, paragraphs: list[str]) -> str:
    nav = "".join(f"<li><a href='/{i}'>{m}</a></li>" for i, m in enumerate(MENU))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><nav><ul>{nav}</ul></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© 2025</footer></body></html>"
    )


def test_japanese_and_chinese_paragraphs_are_prose_and_menus_are_not() -> None:
    for paragraph in JA + ZH:
        assert _is_prose(paragraph), paragraph
        info = describe(paragraph)
        assert info.terminal and info.prose, paragraph
    for item in MENU:
        assert not _is_prose(item)
        assert not describe(item).prose


def test_japanese_article_is_not_refused() -> None:
    result = clean_html(_page("南海トラフ、一時調査 巨大地震、基準達せず", JA))
    assert all(p in result.text for p in JA)
    assert "スポーツ" not in result.text


def test_chinese_article_is_not_refused() -> None:
    result = clean_html(_page("促进航天技术更好惠及人民", ZH))
    assert all(p in result.text for p in ZH)


def test_closing_brackets_after_a_sentence_end() -> None:
    assert describe("「地震はいつ起きてもおかしくない。」").terminal
    assert _is_prose("気象庁は記者会見で「地震はいつ起きてもおかしくない。日頃からの備えを。」")
