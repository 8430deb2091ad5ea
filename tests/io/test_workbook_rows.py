"""Reading a sheet's rows looks at each row's text once (app/io/workbook.py _row_cells) instead of
cleaning every cell: the cells must come out exactly as cleaning each one gives them, whatever the row
holds (spaces at a cell's ends or doubled, tabs, zero-width and blank characters, full-width digits,
the joining letter itself, numbers, dates, flags, empty cells)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.io.workbook import Cell, _row_cells, as_cell

_TRICKY = "张三A a 1２\u3000\t\n\u200b\u3164\x07  ０-"
_TEXT = st.text(alphabet=st.sampled_from(_TRICKY), max_size=6) | st.text(max_size=4)
_CELL = st.one_of(_TEXT, _TEXT, st.floats(allow_nan=True), st.integers(), st.booleans(),
                  st.dates(), st.datetimes(), st.none())


def _one_by_one(values: list[Cell]) -> list[Cell]:
    return [as_cell(v) for v in values]


def test_rows_of_plain_text_and_of_every_kind_of_trouble() -> None:
    rows: list[list[Cell]] = [
        [1.0, "张三", "男", "620102199001011234", "", "肢体", "二级", "金塔村", "1组"],
        ["张三 ", "李四"], [" 张三"], ["张  三"], ["A", "", "A"], ["１２３", "张"], ["\u200b张三"], ["张\t三"],
        ["", "", ""], [True, dt.date(2024, 5, 1), None, "是"], ["\u3164"], ["张三", "　李四"],
    ]
    for row in rows:
        assert _row_cells(row) == _one_by_one(row), row


@settings(max_examples=400, deadline=None)
@given(st.lists(_CELL, max_size=8))
def test_any_row_reads_as_each_cell_cleaned(values: list[Cell]) -> None:
    got, meant = _row_cells(values), _one_by_one(values)
    assert [(type(c), c if c == c else "nan") for c in got] == [(type(c), c if c == c else "nan") for c in meant]
