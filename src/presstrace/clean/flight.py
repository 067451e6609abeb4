"""The article a Next.js page carries only in its flight data.

Why: a page rendered by Next.js's app router may ship its article not in the DOM but as
strings pushed to `self.__next_f` inside scripts (React server components). trafilatura and
a naive scraper see no text at all there, so such a page was refused ("no article text left
after cleaning": Hankook Ilbo's page in fundus's test data). The payload's strings hold the
article's own HTML fragments; gathered into a bare page they go through the same cleaning.
"""

from __future__ import annotations

import json
import re

_PUSH = re.compile(r'self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)')
# Block elements that carry an article's text inside the payload (headings and paragraphs);
# everything else in it is component code and props.
_BLOCK = re.compile(r"<(p|h[1-6]|blockquote)\b[^>]*>.*?</\1>", re.S | re.I)


def flight_html(html: str) -> str | None:
    """A bare HTML page of the text blocks in a Next.js page's flight data, or None."""
    if "__next_f" not in html:
        return None
    parts = []
    for match in _PUSH.finditer(html):
        try:
            parts.append(json.loads(match.group(1)))
        except ValueError:
            continue
    blocks = [m.group(0) for m in _BLOCK.finditer("".join(parts))]
    if not blocks:
        return None
    return "<html><body><article>\n" + "\n".join(blocks) + "\n</article></body></html>"
