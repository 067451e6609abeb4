"""meta stage: title, publication date, outlet, cited sources and language of a document.

Pure functions of a document's text and hints; their data (anchor calendar, outlet list)
lives in YAML under meta/data/ and is loaded once per process.
"""

from .dates import infer_published
from .language import LanguageGuess, detect_language, identify_language
from .outlet import find_cited_sources, find_outlet
from .title import choose_title

__all__ = [
    "LanguageGuess",
    "choose_title",
    "detect_language",
    "find_cited_sources",
    "find_outlet",
    "identify_language",
    "infer_published",
]
