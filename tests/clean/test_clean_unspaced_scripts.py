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


# A one-sentence Japanese blog post as a scraper flattens it (postlight/parser's fixture of
# phpspot.org, 2019-04-04): the sentence ends in です with no 。, and nothing else on the page
# is prose. It was refused ("no article text left after cleaning").
PHPSPOT = """PHP/Ajax/JavaScript/CSS/デザイン等のWEB開発に関する最新技術情報をお届け
前の記事 ≪：CSS3とjQueryで作ったテキストアニメーション「sahansira/Text-Slider」
次の記事 ≫：faviconをローディングアニメーションさせる「favloader」
マインドマップ風のツリーを描画できる「Treeviz」
2019年04月04日-
スポンサード リンク
[PR] 英単語を忘却曲線アプリを使って超効率よく記憶する方法
Treeviz
マインドマップ風のツリーを描画できる「Treeviz」
次のような図形を描画できるcodepenでのサンプルです
関連エントリ
複数要素の関連をビジュアライズできるライブラリ「arbor.js」
データを視覚的に分かりやすくビジュアライズするためのライブラリ集
スポンサード リンク
By.KJ : 2019年04月04日 09:00
TOPICS OF THIS BLOG
分類一覧
Advertisements
プログラマ占い
SITE PROFILE
過去のエントリ
↑ページの先頭へ |
プライバシーポリシー |
お問い合わせ |
copyright © phpspot開発日誌
"""
SENTENCE = "次のような図形を描画できるcodepenでのサンプルです"


def test_a_one_sentence_japanese_page_keeps_its_sentence() -> None:
    from presstrace.clean.text import clean_text

    result = clean_text(PHPSPOT)
    assert result.text == SENTENCE
    assert result.title == "マインドマップ風のツリーを描画できる「Treeviz」"
    assert describe(SENTENCE).terminal  # です ends a sentence
    assert not describe("スポンサード リンク").terminal


def test_a_one_sentence_japanese_page_is_kept_from_html() -> None:
    page = _page("マインドマップ風のツリーを描画できる「Treeviz」", [SENTENCE])
    assert SENTENCE in clean_html(page).text
    assert _is_prose(SENTENCE)


def test_a_page_without_a_sentence_is_still_refused() -> None:
    from presstrace.clean.text import clean_text

    menu_only = "\n".join(line for line in PHPSPOT.split("\n") if line != SENTENCE)
    assert clean_text(menu_only).text == ""
