"""The embedding model: built locally from the PyPI-packaged MiniLM, same vectors every run."""

from __future__ import annotations

import numpy as np

from presstrace.group import embed


def test_vectors_are_unit_length_and_meaningful():
    v = embed.encode(
        [
            "Drones attacked the Kremlin overnight, Russian officials said.",
            "Russia says two drones struck the Kremlin in the night.",
            "Lindsay Lohan checked into the Betty Ford Center for rehab.",
        ]
    )
    assert v.shape == (3, embed.DIM) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_same_text_same_vector_and_empty_input():
    a = embed.encode(["Putin's grip on power is slipping."])
    b = embed.encode(["Putin's grip on power is slipping."])
    assert np.array_equal(a, b)
    assert embed.encode([]).shape == (0, embed.DIM)


def test_model_is_cached_under_a_versioned_name():
    embed.load()
    assert (embed.cache_dir() / embed.model_id() / "model.safetensors").exists()
    assert embed.model_id().startswith("minilm-l6-v2-")
