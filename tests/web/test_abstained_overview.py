"""The overview page lists what each stage abstained on, by language, escaped."""

from __future__ import annotations

from presstrace.model import Document, Published, RawDocument
from presstrace.store import open_store
from presstrace.web.pages import overview


def test_overview_lists_abstentions_by_stage_and_language(tmp_path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    try:
        docs = [
            Document(id=f"d{i}", source=f"d{i}.txt", title=None, text=f"Text {i}.",
                     published=Published(), language=lang, abstained=abstained)
            for i, (lang, abstained) in enumerate(
                [("de", {"date": "no date"}), ("el", {"date": "no date", "<b>x": "why"})]
            )
        ]  # fmt: skip
        store.add_batch([(RawDocument(d.id, d.source, d.text), d) for d in docs])
        html = overview(store)
    finally:
        store.close()
    assert 'id="abstained-date">2<' in html
    assert '<a href="/documents?language=de">de</a> 1' in html
    assert "&lt;b&gt;x" in html and "<b>x" not in html
