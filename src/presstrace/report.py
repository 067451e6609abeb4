"""`presstrace report`: the corpus in one HTML file a colleague can open offline.

Everything is inline (stylesheet, SVG charts); nothing is fetched, no script is included,
and the file's own Content-Security-Policy allows only its one stylesheet (by hash), so
even a missed escape could not run code or call out. Article data is escaped by Jinja's
autoescape like on the served pages.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

from markupsafe import Markup

from presstrace import __version__
from presstrace.store import queries
from presstrace.store.protocol import Store
from presstrace.web import environment, static_text
from presstrace.web.charts import bar_chart, timeline_chart

REPORT_CSS_EXTRA = """
.report-group { background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: .4rem .9rem; margin: 1rem 0; }
"""


def build_report(store: Store, top: int = 10) -> str:
    """The whole report as one HTML string."""
    data = queries.overview(store)
    sections = []
    for kind in ("story", "thread"):
        listing = queries.groups(store, kind, limit=top)
        detailed = []
        for item in listing["items"]:
            found = queries.group(store, kind, item["id"]) or {
                "documents": [], "timeline": {}, "outlets": [], "evidence": []}  # fmt: skip
            detailed.append(
                {
                    **item,
                    "docs": found["documents"][:20],
                    "timeline": found["timeline"],
                    "outlets": found["outlets"][:10],
                    "evidence": found["evidence"][:3],
                    "chart": timeline_chart(found["timeline"], height=60),
                }  # fmt: skip
            )
        sections.append({"kind": kind, "plural": queries.PLURAL[kind],
                         "total": listing["total"], "items": detailed})  # fmt: skip
    labels = queries.narratives(store)
    narratives = []
    for item in [n for n in labels["items"] if not n["parent"]][:top]:
        found = queries.narrative(store, item["label"], limit=3) or {"timeline": {}, "items": []}
        narratives.append({**item, "docs": found["items"], "timeline": found["timeline"],
                           "chart": timeline_chart(found["timeline"], height=60)})  # fmt: skip
    css = static_text("style.css") + REPORT_CSS_EXTRA
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    # Our own stylesheet, not article data: inlined verbatim so its quotes stay CSS.
    return (
        environment()
        .get_template("report.html")
        .render(
            o=data,
            chart=bar_chart(data["per_day"]),
            sections=sections,
            narratives={
                "computed": labels["computed"],
                "total": labels["total"],
                "items": narratives,
            },  # fmt: skip
            css=Markup(css),
            csp=f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
            "base-uri 'none'; form-action 'none'",
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
            store=store.path,
            link=False,
        )
    )
