"""The HTML side: Jinja2 templates and static assets shipped in the package (no build
step), shared by the served pages and the one-file report.

Autoescaping is on for every template and no template marks article data as safe: article
text, titles, names and sources are hostile input and reach the page only as escaped text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader


def path_part(value: object) -> str:
    """A value as one URL path segment: every reserved character escaped, `/` included."""
    return quote(str(value), safe="")


def web_url(value: object) -> str | None:
    """An article's URL if it is http(s); anything else (javascript:, data:) is not linked."""
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return None
    return text if scheme in ("http", "https") else None


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("presstrace.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["path"] = path_part
    env.globals["web_url"] = web_url
    return env


def static_text(name: str) -> str:
    """A shipped static file's text (the report inlines the stylesheet)."""
    return resources.files("presstrace.web").joinpath("static", name).read_text("utf-8")
