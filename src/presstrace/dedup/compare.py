"""Measuring two texts against each other, and deciding whether one copies the other.

Jaccard similarity (shared shingles over all shingles) says two texts are the same article;
containment (shared shingles over the smaller text's shingles) says the smaller one was
taken from the larger, even when the larger has much more. Both are exact, on the shingle
sets: sketches only choose which pairs get measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METHODS = ("exact", "near", "partial")


@dataclass(frozen=True)
class Thresholds:
    """When a measured pair counts as a copy (defaults and their precision/recall on the
    syndication benchmark: README, "Duplicates and copies")."""

    near: float = 0.5  # Jaccard similarity of the shingle sets
    containment: float = 0.6  # share of the smaller text's shingles found in the larger
    min_shingles: int = 40  # a partial copy's smaller text has at least this many shingles

    def __post_init__(self) -> None:
        for name in ("near", "containment"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} threshold must be in (0, 1], got {value}")
        if self.min_shingles < 1:
            raise ValueError(f"min_shingles must be at least 1, got {self.min_shingles}")


@dataclass(frozen=True)
class Overlap:
    jaccard: float
    containment: float
    shared: int
    smaller: int


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Exact overlap of two sorted sets of distinct shingle hashes."""
    if not len(a) or not len(b):
        return Overlap(0.0, 0.0, 0, min(len(a), len(b)))
    shared = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - shared
    smaller = min(len(a), len(b))
    return Overlap(shared / union, shared / smaller, shared, smaller)


def classify(ov: Overlap, thresholds: Thresholds, *, same_text: bool = False) -> str | None:
    """'exact', 'near', 'partial', or None when the pair is not a copy."""
    if same_text:
        return "exact"
    if ov.jaccard >= thresholds.near:
        return "near"
    if ov.containment >= thresholds.containment and ov.smaller >= thresholds.min_shingles:
        return "partial"
    return None
