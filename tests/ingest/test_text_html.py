"""Plain text and HTML files: decoding, sniffing by content, ids, sources."""

from __future__ import annotations

import hashlib

from .helpers import one_failure, read

ARTICLE = (
    "Putin’s grip on Russia is faltering, minister claims\n\n"
    "Ukraine’s surprise attack on Russia earlier this month has weakened Vladimir Putin’s grip "
    "on Russia, the defence minister said on Monday (July 31).\n"
)

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Putin’s grip</title>
<script>var x = "<p>not text</p>";</script></head>
<body><article><h1>Putin’s grip on Russia is faltering</h1>
<p>Ukraine’s surprise attack has weakened Vladimir Putin’s grip, the minister said.</p>
</article></body></html>
"""


def test_plain_text_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    docs, failures = read(path)
    assert not failures
    [doc] = docs
    assert doc.kind == "text"
    assert doc.content == ARTICLE
    assert doc.source == str(path)
    assert doc.id == hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_input_twice_gives_same_ids(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    first, _ = read(path)
    second, _ = read(path)
    assert [d.id for d in first] == [d.id for d in second]


def test_crlf_and_bom_are_normalised(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    [doc], _ = read(path)
    assert doc.content == ARTICLE


def test_utf16_with_bom(tmp_path):
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        path.write_bytes(bom + ARTICLE.encode(encoding))
        [doc], failures = read(path)
        assert not failures
        assert doc.content == ARTICLE


def test_legacy_encodings_are_detected(tmp_path):
    samples = {
        "cp1252": "Le ministre a déclaré lundi que l’armée ukrainienne avait “considérablement” "
        "affaibli l’emprise du président russe sur l’élite économique et militaire. "
        "Les négociations à Genève n’ont donné aucun résultat, selon le porte-parole. " * 3,
        "koi8-r": "Министр обороны заявил в понедельник, что внезапное наступление Украины "
        "ослабило власть президента России над армией и политической элитой страны. " * 3,
        "shift_jis": "国防相は月曜日、ウクライナの奇襲攻撃によってロシア大統領の権力基盤が"
        "弱まったと述べた。政府関係者によると、交渉は進展していない。" * 3,
    }
    for encoding, text in samples.items():
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        [doc], failures = read(path)
        assert not failures
        assert doc.content == text, encoding


def test_html_file(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [doc], failures = read(path)
    assert not failures
    assert doc.kind == "html"
    assert doc.content == PAGE


def test_txt_holding_html_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(PAGE, encoding="utf-8")
    [doc], _ = read(path)
    assert doc.kind == "html"


def test_file_without_extension_is_sniffed(tmp_path):
    (tmp_path / "page").write_text(PAGE, encoding="utf-8")
    (tmp_path / "note").write_text(ARTICLE, encoding="utf-8")
    docs, _ = read(tmp_path / "page", tmp_path / "note")
    assert [d.kind for d in docs] == ["html", "text"]


def test_html_fragment_with_many_tags_is_html(tmp_path):
    path = tmp_path / "fragment.txt"
    path.write_text(
        "Intro line\n<p>One paragraph.</p>\n<p>Two <a href='x'>link</a>.</p>\n<p>Three.</p>\n",
        encoding="utf-8",
    )
    [doc], _ = read(path)
    assert doc.kind == "html"


def test_text_with_brackets_and_a_stray_tag_stays_text(tmp_path):
    path = tmp_path / "scraped.txt"
    path.write_text("[ad_1]\nA headline\n\nBody with <b>bold</b> text.\n[ad_2]\n", encoding="utf-8")
    [doc], _ = read(path)
    assert doc.kind == "text"


def test_html_meta_charset_is_honoured(tmp_path):
    text = "Министр обороны заявил, что наступление ослабило власть президента."
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
        f"</head><body><p>{text}</p></body></html>"
    )
    path = tmp_path / "koi8.html"
    path.write_bytes(page.encode("koi8-r"))
    [doc], _ = read(path)
    assert text in doc.content
    # a short cp1252 page that detection alone could take for another single-byte code page
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café “naïve” – déjà</p>'
    path = tmp_path / "cp1252.html"
    path.write_bytes(page.encode("cp1252"))
    [doc], _ = read(path)
    assert "Café “naïve” – déjà" in doc.content


def test_latin1_declaration_reads_as_windows_1252(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>“Quoted” text</p></body>'
    path = tmp_path / "latin1.html"
    path.write_bytes(page.encode("cp1252"))
    [doc], _ = read(path)
    assert "“Quoted”" in doc.content


def test_wrong_utf8_declaration_falls_back_to_detection(tmp_path):
    body = "Le ministre a déclaré que l’armée avait affaibli l’emprise du président. " * 4
    page = f'<html><head><meta charset="utf-8"></head><body><p>{body}</p></body></html>'
    path = tmp_path / "liar.html"
    path.write_bytes(page.encode("cp1252"))
    [doc], _ = read(path)
    assert body in doc.content


def test_truncated_html_with_text_is_taken(tmp_path):
    path = tmp_path / "cut.html"
    path.write_text(PAGE[: PAGE.index("the minister said") + 5], encoding="utf-8")
    [doc], failures = read(path)
    assert not failures and doc.kind == "html"


def test_html_without_text_fails(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title></title><script>var a = 1;</script>"
        "<style>p { color: red }</style></head><body><div><img src='x.png'></div>"
        "<!-- nothing here --></body></html>",
        encoding="utf-8",
    )
    assert one_failure(path) == f"{path}: no text in HTML"


def test_truncated_html_without_text_fails(tmp_path):
    path = tmp_path / "cut.html"
    path.write_text("<!DOCTYPE html><html><head><script>var a = '", encoding="utf-8")
    assert one_failure(path) == f"{path}: no text in HTML"


def test_text_that_opens_like_json_or_csv_stays_text(tmp_path):
    cases = {
        "footnote.txt": "[1] A footnote opens this article.\nThe body follows, as usual.\n",
        "dated": "[2023-07-31] Kyiv, Ukraine\n\nThe minister said on Monday that talks failed.\n",
        "prose": "Content, as always, matters.\nHe said, slowly, no.\nThen he left, too.\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    docs, failures = read(*(tmp_path / name for name in cases))
    assert not failures
    assert [(d.kind, d.content) for d in docs] == [("text", t) for t in cases.values()]


def test_utf8_with_cp1252_quotes_pasted_in_stays_utf8(tmp_path):
    text = "Зеленский заявил, что переговоры в Женеве не дали результата. " * 5
    path = tmp_path / "damaged.txt"
    path.write_bytes(text.encode("utf-8") + b" \x93quoted\x94 " + text.encode("utf-8"))
    [doc], _ = read(path)
    assert doc.content == text + " \u201cquoted\u201d " + text


def test_utf16_html(tmp_path):
    path = tmp_path / "u16.html"
    path.write_bytes(PAGE.encode("utf-16"))
    [doc], _ = read(path)
    assert doc.kind == "html" and doc.content == PAGE


def test_invalid_markup_with_text_is_taken(tmp_path):
    path = tmp_path / "soup.html"
    path.write_text("<html><body><p>Unclosed <div><span>Real text</p></div></bdy><<>>&bogus;")
    [doc], failures = read(path)
    assert not failures and doc.kind == "html"
