"""The clean stage: article text out of scraped pages, with everything dropped kept as evidence.

- `text.clean_text(text)`: presstrace's own plain-text boilerplate classifier;
- `html.clean_html(html, url)`: trafilatura for the main text, plus page metadata;
- `repeats.drop_repeats(paragraphs, title)`: each paragraph once (both paths use it).

Submodules are imported directly (the HTML path pulls in trafilatura, the text path does not).
"""
