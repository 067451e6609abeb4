"""RSS and Atom feed files."""

from __future__ import annotations

import hashlib

from .helpers import one_failure, read

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>World news</title><language>en-gb</language>
<item><title>Putin in trouble</title><link>https://example.com/putin</link>
<pubDate>Mon, 31 Jul 2023 10:00:00 GMT</pubDate><author>desk@example.com (Ann Smith)</author>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>Vladimir Putin slams <b>treason</b>.</p>
<p>More.</p>]]></content:encoded>
</item>
<item><title>Plain one</title><link>https://example.com/plain</link>
<description>Only a plain summary, no markup.</description></item>
<item><title>Nothing</title><link>https://example.com/empty</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
<entry><title>Атом</title><link href="https://example.org/a"/>
<updated>2023-08-01T09:00:00Z</updated>
<content type="html">&lt;p&gt;Текст статьи.&lt;/p&gt;</content></entry>
</feed>
"""


def test_rss_feed(tmp_path):
    path = tmp_path / "world.xml"
    path.write_bytes(RSS)
    docs, failures = read(path)
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]
    first, second = docs
    assert first.kind == "html" and "Vladimir Putin slams" in first.content
    assert first.hints == {
        "title": "Putin in trouble",
        "url": "https://example.com/putin",
        "author": "desk@example.com (Ann Smith)",
        "language": "en-gb",
        "date": "Mon, 31 Jul 2023 10:00:00 GMT",
        "date_evidence": "feed <pubDate>",
    }
    assert first.id == hashlib.sha256(first.content.encode()).hexdigest()
    assert second.kind == "text" and second.content == "Only a plain summary, no markup."
    assert [f"{f.source}: {f.reason}" for f in failures] == [
        f"{path}: entry 3 has no content or summary"
    ]


def test_atom_feed_without_extension(tmp_path):
    path = tmp_path / "atom"
    path.write_text(ATOM, encoding="utf-8")
    [doc], failures = read(path)
    assert not failures
    assert doc.kind == "html" and "Текст статьи." in doc.content
    assert doc.hints["date"] == "2023-08-01T09:00:00Z"
    assert doc.hints["date_evidence"] == "feed <updated>"
    assert doc.hints["url"] == "https://example.org/a"


def test_rss_saved_as_txt_is_a_feed(tmp_path):
    path = tmp_path / "feed.txt"
    path.write_bytes(RSS)
    docs, _ = read(path)
    assert len(docs) == 2


def test_broken_feed(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text('<?xml version="1.0"?><rss><channel><title>x</ti')
    message = one_failure(path)
    assert message.startswith(f"{path}: invalid feed: ")


def test_feed_without_entries(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    )
    assert one_failure(path) == f"{path}: feed has no entries"
