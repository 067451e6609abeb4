"""dedup: exact copies, near-duplicates and partial copies, and the copy graph.

Works on the cleaned body only (so site furniture never makes two pages copies). Each text
gets a sketch (shingles.py, sketch.py): a MinHash signature in datasketch's `affine32`
scheme whose LSH band keys find near-duplicates, and Broder's MOD-m sample of its shingles,
whose keys find partial copies (containment) that a symmetric similarity misses. Candidate
pairs are then measured exactly on their shingle sets (compare.py), and accepted pairs form
groups with one canonical document each (graph.py). matcher.py runs this against any
`KeyIndex`: an in-memory one (memory.py) or the store's tables (steps/copies.py).

Imports only presstrace.model and its own modules.
"""

from presstrace.dedup.compare import Overlap, Thresholds, classify, overlap
from presstrace.dedup.graph import CopyLink, Member, choose_canonical
from presstrace.dedup.sketch import SKETCH_VERSION, Sketch, sketch_texts

__all__ = [
    "SKETCH_VERSION",
    "CopyLink",
    "Member",
    "Overlap",
    "Sketch",
    "Thresholds",
    "choose_canonical",
    "classify",
    "overlap",
    "sketch_texts",
]
