"""Synthetic person names, reproducible from a seed, for the corpus-wide name merge: the
scale bench (names_scale.py) and the check that the indexed merge is the one it replaced
(tests/extract/test_names_incremental.py). No public corpus holds 100k distinct people, and
the merge's hard cases (crowded blocks, one-letter typos, lone family and first names, ties)
have to be made on purpose.
"""

from __future__ import annotations

import random

from presstrace.extract.names import SurfaceStat

# First names in several transliterations (Volodymyr/Vladimir, Oleksandr/Alexander, …).
FIRST = (
    "Vladimir", "Volodymyr", "Sergey", "Sergei", "Olena", "Olga", "Anna", "Maria", "Mary",
    "John", "Jon", "Peter", "Pyotr", "Ivan", "Mikhail", "Michael", "Oleksiy", "Alexei",
    "Alexander", "Oleksandr", "Dmitry", "Dmytro", "Yulia", "Julia", "Kate", "Emma", "Liam",
    "Noah", "James", "Sophie", "Lucas", "Hugo", "Jean", "Marie", "Pierre", "Luis", "Carlos",
    "Jose", "Ana", "Paolo", "Marco", "Giulia", "Hans", "Klaus", "Petra", "Jan", "Piotr",
    "Tomasz", "Agnieszka", "Ali", "Omar", "Fatima", "Leila", "Wei", "Li", "Chen", "Hiroshi",
    "Yuki", "Ravi", "Priya",
)  # fmt: skip
# Family names are built from these, so that many share their first letters and length:
# the block the merge's typo comparison looks in.
SYLLABLES = (
    "ko", "va", "len", "ber", "ger", "man", "son", "ov", "ev", "in", "ski", "sky", "ch", "ar",
    "mo", "ro", "ta", "ne", "li", "sa", "da", "ri", "fo", "lu", "ka", "mi", "to", "ha", "pe",
    "zu", "bo", "ny", "ol", "en", "ak", "us", "ez", "ia",
)  # fmt: skip
# Fewer parts, for crowded blocks: transliteration pairs and a one-letter name among them.
CROWDED_FIRST = ("Vladimir", "Volodymyr", "Sergey", "Sergei", "Anna", "Ana", "Ivan", "Iwan",
                 "Olena", "Yelena", "Xi")  # fmt: skip
CROWDED_SYLLABLES = ("ko", "va", "len", "ber", "ov", "ev", "ski", "sky", "ch", "ar", "mo",
                     "ro", "ta", "ne", "li")  # fmt: skip


def distinct_names(count: int, seed: int = 3) -> list[SurfaceStat]:
    """`count` distinct full person names (plus lone family and first names): one in twenty
    a one-letter typo of an earlier family name (Gerasimov/Gersimov), one in five also
    alone ("Mr Kovalenko"), one in ten as a first name alone."""
    rng = random.Random(seed)
    families: list[str] = []
    seen: set[str] = set()
    out: list[SurfaceStat] = []
    while len(seen) < count:
        if families and rng.random() < 0.05:  # a typo of a known family name
            base = rng.choice(families)
            at = rng.randrange(1, len(base))
            family = base[:at] + base[at + 1 :] if len(base) > 5 else base + "a"
        else:
            family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
        full = f"{rng.choice(FIRST)} {family}"
        if full in seen:
            continue
        seen.add(full)
        families.append(family)
        out.append(SurfaceStat(full, "PERSON", rng.randint(1, 20)))
        if rng.random() < 0.2:
            out.append(SurfaceStat(family, "PERSON", rng.randint(1, 5)))
        if rng.random() < 0.1:
            out.append(SurfaceStat(full.split()[0], "PERSON", 1))
    return out


def crowded_typos(count: int, seed: int) -> list[SurfaceStat]:
    """Family names from few syllables (crowded blocks), one in four a one-letter typo or
    doubling of an earlier one, lone family and first names, equal mention counts (ties)."""
    rng = random.Random(seed)
    families: list[str] = []
    out = []
    for _ in range(count):
        if families and rng.random() < 0.25:
            base = rng.choice(families)
            at = rng.randrange(1, len(base))
            family = base[:at] + rng.choice("aeiouy" + base[at]) + base[at + 1 :]
        else:
            family = "".join(rng.choice(CROWDED_SYLLABLES)
                             for _ in range(rng.randint(2, 3))).title()  # fmt: skip
        families.append(family)
        out.append(SurfaceStat(f"{rng.choice(CROWDED_FIRST)} {family}", "PERSON",
                               rng.randint(1, 3)))  # fmt: skip
        if rng.random() < 0.3:
            out.append(SurfaceStat(rng.choice([family, f"Mr {family}"]), "PERSON", 1))
        if rng.random() < 0.1:
            out.append(SurfaceStat(rng.choice(CROWDED_FIRST), "PERSON", 1))
    return out
