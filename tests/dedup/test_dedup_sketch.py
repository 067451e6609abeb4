"""Sketches: datasketch's own MinHash values, typography-blind text identity."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from dedup.helpers import example_texts
from presstrace.dedup import sketch_texts
from presstrace.dedup.shingles import shingle_set, words
from presstrace.dedup.sketch import NUM_PERM, SEED, band_keys


def test_batch_signatures_equal_datasketch_minhash_of_each_text():
    texts = example_texts()
    sketches = sketch_texts(texts.items())
    for sketch, text in zip(sketches, texts.values(), strict=True):
        one = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32", hashfunc=lambda x: x)
        one.update_batch([int(v) for v in shingle_set(text)])
        assert np.array_equal(one.hashvalues, sketch.minhash)
        assert sketch.size == len(shingle_set(text)) > 100


def test_quote_marks_case_and_spacing_do_not_change_the_text_identity():
    text = next(iter(example_texts().values()))
    retyped = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    retyped = "  ".join(retyped.split(" ")).upper()
    a, b = sketch_texts([("a", text), ("b", retyped)])
    assert words(text) == words(retyped)
    assert a.text_hash == b.text_hash
    assert a.band_keys == b.band_keys
    c = sketch_texts([("c", text.replace("Putin", "Medvedev", 1))])[0]
    assert c.text_hash != a.text_hash


def test_band_keys_are_shared_exactly_where_a_band_agrees():
    a, b = sketch_texts(list(example_texts().items())[:2])
    mixed = a.minhash.copy()
    mixed[:4] = b.minhash[:4]  # band 0 from b, the rest from a
    keys = band_keys(np.stack([a.minhash, b.minhash, mixed]))
    assert keys[2][0] == keys[1][0] and keys[2][0] != keys[0][0]
    assert (keys[2][1:] == keys[0][1:]).all()
    assert (keys > 0).all()


def test_empty_and_tiny_texts_have_no_keys_but_a_sketch():
    empty, tiny = sketch_texts([("e", ""), ("t", "Kyiv.")])
    assert empty.size == 0 and empty.band_keys == [] and empty.mod_keys == []
    assert tiny.size == 1 and len(tiny.band_keys) == 16
