"""The demo's ready-made weighted draw gives exactly what random.choices gives from the same seed, draw by
draw, and leaves the random source in the same state (so every later draw of the town is the same)."""

from __future__ import annotations

import random

import pytest

from app.demo.draw import Draw, below, ready
from app.demo.people import REGIONS, SURNAMES
from app.demo.town import CATEGORY_WEIGHTS, ETHNICITY, pick, weighted_text


@pytest.mark.parametrize("pairs", [list(CATEGORY_WEIGHTS.items()), list(SURNAMES), list(REGIONS), list(ETHNICITY),
                                   [("一", 1), ("二", 0), ("三", 2.5)], [("只有", 3)]])
def test_the_same_draws_as_random_choices(pairs: list[tuple[object, float]]) -> None:
    ours, theirs = random.Random(11), random.Random(11)
    draw = Draw(pairs)
    values, weights = [v for v, _ in pairs], [w for _, w in pairs]
    seen = [draw(ours) for _ in range(5000)]
    assert seen == [theirs.choices(values, weights=weights)[0] for _ in range(5000)]
    assert ours.random() == theirs.random()


def test_the_demo_tables_draw_as_before() -> None:
    ours, theirs = random.Random(5), random.Random(5)
    for _ in range(2000):
        assert pick(ours, CATEGORY_WEIGHTS) == theirs.choices(list(CATEGORY_WEIGHTS),
                                                            weights=list(CATEGORY_WEIGHTS.values()))[0]
        assert weighted_text(ours, ETHNICITY) == theirs.choices([i for i, _ in ETHNICITY],
                                                                weights=[w for _, w in ETHNICITY])[0]


def test_each_table_has_a_ready_draw_of_its_own() -> None:
    table = {1: 1, 2: 1}
    first = ready(table, table.items())
    assert ready(table, table.items()) is first
    other = {1: 1, 2: 1}
    assert ready(other, other.items()) is not first


def test_below_is_the_draw_of_choice_randrange_and_randint() -> None:
    # the town draws through below() where it drew with choice, randrange and randint: the same values, and
    # the random source left in the same state, for small and huge ranges (a bank card's 15 digits)
    ours, theirs = random.Random(7), random.Random(7)
    draw = below(ours)
    pool = "明伟强军平建国华文斌勇杰涛刚峰鹏"
    for n in (1, 2, 3, 7, 16, 1000, 10**8, 10**15, 366 * 80):
        for _ in range(300):
            assert pool[draw(len(pool))] == theirs.choice(pool)
            assert draw(n) == theirs.randrange(n)
            assert 5 + draw(n) == theirs.randrange(5, 5 + n)
            assert 3 + draw(n - 3 + 1 + 3) == theirs.randint(3, n + 3)
    assert ours.random() == theirs.random()
