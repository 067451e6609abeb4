"""What training adds to the zero-shot labels: the user's own wording, sentence by sentence.

From each labelled document, training keeps every sentence vector, and marks as examples of a
gold label the EXAMPLES_PER_LABEL sentences that match that label's taxonomy texts best. A new
document's sentence then speaks for a label by how much closer it is to that label's nearest
example sentence than to the nearest sentence of any labelled document (on the same topic)
that does not carry the label. The contrast matters: a sentence from a labelled war article
resembles every war article, so similarity alone would push the label everywhere (adding the
example sentences to the label's texts did: narrative F1 0.28 -> 0.23 in cross-validation);
similarity beyond what unlabelled-for-this-label sentences reach does not.

The label's logit gains CONTRAST_WEIGHT x the best sentence's contrast (0 when no sentence
is closer to the examples). Also tried, and lost to zero-shot in 5-fold cross-validation on
the tuning half of the passages: per-label logistic regression on z-scores and the mean
vector (narrative F1 0.59 -> 0.40 to 0.58 over priors 1 to 100), per-label boundary shifts
fitted by maximum likelihood (-> 0.52 to 0.59), nearest labelled document by mean vector
(-> 0.54 to 0.57). CONTRAST_WEIGHT = 5 was the best of 0, 5, 10, 20, 40 on that half.
"""

from __future__ import annotations

import numpy as np

CONTRAST_WEIGHT = 5.0
EXAMPLES_PER_LABEL = 2


def contrast(
    sentences: np.ndarray,
    examples: np.ndarray,
    others: np.ndarray,
) -> float:
    """Best over `sentences` of (nearest example sentence - nearest other sentence), >= 0."""
    if not len(sentences) or not len(examples) or not len(others):
        return 0.0
    gain = (sentences @ examples.T).max(axis=1) - (sentences @ others.T).max(axis=1)
    return max(0.0, float(gain.max()))
