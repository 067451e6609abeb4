"""The in-memory LSH key buffer answers like a dictionary and drains in index order."""

from __future__ import annotations

import random

from presstrace.dedup.keybuffer import KeyBuffer


def test_lookup_and_drain_match_a_plain_dictionary():
    rng = random.Random(7)
    buffer, expected = KeyBuffer(), {}
    for batch in range(40):
        rows = [(rng.randrange(1 << 62, 1 << 63) if rng.random() < 0.7 else rng.randrange(300),
                 batch * 100 + i) for i in range(rng.randrange(1, 60))]  # fmt: skip
        buffer.add(rows)
        for key, n in rows:
            expected.setdefault(key, []).append(n)
        probe = rng.sample(sorted(expected), 20) + [5, 1 << 62]
        found = buffer.lookup(probe)
        assert {k: sorted(v) for k, v in found.items()} == {
            k: sorted(expected[k]) for k in set(probe) if k in expected
        }
    assert len(buffer._runs) < 10  # runs of similar size are merged
    drained = [row for chunk in buffer.drain(chunk=7) for row in chunk]
    assert drained == sorted((k, n) for k, ns in expected.items() for n in ns)
    assert len(buffer) == 0 and buffer.lookup([drained[0][0]]) == {}
    assert list(buffer.drain()) == []
