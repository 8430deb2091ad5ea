"""A weighted draw made ready once: the demo draws a category, a grade, a surname, … for each of up to
113,500 persons, and random.choices(items, weights) adds the weights up again on every call. This gives
exactly what random.choices gives for the same random source (the same single random() consumed, the
same bisect over the same running totals, CPython's own formula), so a seed still makes the same town;
tests/demo/test_draw.py compares the two draw by draw."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Draw(Generic[T]):
    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = list(pairs)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1] + 0.0
        self.last = len(self.values) - 1

    def __call__(self, rng: random.Random) -> T:
        return self.values[bisect(self.cumulative, rng.random() * self.total, 0, self.last)]


_READY: dict[int, tuple[object, Draw[object]]] = {}


def ready(items: object, pairs: Iterable[tuple[T, float]]) -> Draw[T]:
    """The Draw of a constant table (kept by the table's identity, the table itself kept alive with it)."""
    found = _READY.get(id(items))
    if found is None or found[0] is not items:
        found = _READY[id(items)] = (items, Draw(pairs))
    return found[1]  # type: ignore[return-value]


def below(rng: random.Random) -> Callable[[int], int]:
    """The draw under rng.choice(seq) (seq[below(len(seq))]), rng.randrange(n) (n > 0), rng.randrange(a, b)
    (a + below(b - a)) and rng.randint(a, b) (a + below(b - a + 1)): CPython's own Random._randbelow, the one
    draw each of them makes after checking its arguments. A county's town makes a million such draws, and
    the checks and the extra call of each were a fifth of making it; the values and the source's state are
    the same (tests/demo/test_draw.py compares them draw by draw)."""
    return rng._randbelow  # type: ignore[attr-defined,no-any-return]
