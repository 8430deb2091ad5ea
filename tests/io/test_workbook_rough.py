"""The quick look at a workbook's big parts (app.io.workbook_rough) never lets through what the exact scan
would refuse: each of its figures is at least the exact scan's, every hostile workbook gets the exact
scan's own refusal, and a plain roster is in fact vouched for by the quick look (else it would be dead
weight). Here every part, however small, is looked at quickly (ROUGH_FROM = 0)."""

from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from app.io import workbook_rough, workbook_scan
from app.io.workbook_limits import LIMITS, Limits, Refused, _scan, check_workbook
from app.io.workbook_rough import Unsure
from tests.io import hostile
from tests.io.test_workbook_limits import SMALL

FIGURES = ("area", "text", "shared_count", "merged", "sheets")


@pytest.fixture(autouse=True)
def every_part_looked_at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_rough, "ROUGH_FROM", 0)


def outcome(path: Path, limits: Limits, rough: bool) -> str:
    """"" when the workbook passes, else the refusal's sentence ("unsure" when the quick look gives up)."""
    try:
        _scan(path, limits, rough)
    except Refused as exc:
        return str(exc)
    except Unsure:
        return "unsure"
    return ""


def shared_sheet(path: Path, rows: list[list[str | int | None]], *, style: bool = False) -> Path:
    """A roster as Excel writes it: text in the shared strings, each cell r="A1", numbers as <v>."""
    strings: dict[str, int] = {}
    body = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for col, value in enumerate(row):
            ref = f"{hostile.column(col)}{number}"
            styled = ' s="1"' if style else ""
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}"{styled} t="s"><v>{index}</v></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"{styled}><v>{value}</v></c>')
        body.append(f'<row r="{number}">{"".join(cells)}</row>')
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    shared = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{hostile.MAIN}">{sst}</sst>']
    return hostile.package(path, [("花名册", "worksheets/sheet1.xml", hostile.sheet_xml(body))], shared=shared)


def random_rows(rng: random.Random, count: int) -> list[list[str | int | None]]:
    words = ["张三", "李四", "金塔村", "肢体", "二级", "一二三四五六七八九十" * rng.randint(1, 30), "a&b<c>", " "]
    rows: list[list[str | int | None]] = [list(hostile.HEADER)]
    for _ in range(count):
        width = rng.randint(1, 12)
        rows.append([rng.choice([*words, None, rng.randint(0, 10**6), f"6201{rng.randint(0, 10**14)}"])
                     for _ in range(width)])
    return rows


@pytest.mark.parametrize("slice_bytes", [4 << 20, 2000, 300])
@pytest.mark.parametrize("seed", range(12))
def test_each_figure_of_the_quick_look_is_at_least_the_exact_one(seed: int, slice_bytes: int, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole, or cut in slices anywhere a slice may be cut."""
    monkeypatch.setattr(workbook_rough, "_SLICE", slice_bytes)
    rng = random.Random(seed)
    rows = random_rows(rng, rng.randint(1, 60))
    made = shared_sheet(tmp_path / "a.xlsx", rows, style=seed % 2 == 1) if seed % 3 else hostile.roster(
        tmp_path / "a.xlsx", rows[1:])
    exact = _scan(made, LIMITS, rough=False)
    try:
        rough = _scan(made, LIMITS, rough=True)
    except Unsure:  # a slice too small to hold a whole shared string: nothing vouched for
        assert slice_bytes < 4 << 20
        return
    for figure in FIGURES:
        assert getattr(rough, figure) >= getattr(exact, figure), figure
    assert exact.text > 0 and exact.area > 0


@pytest.mark.parametrize("seed", range(40))
def test_what_the_quick_look_lets_through_the_exact_scan_lets_through(seed: int, tmp_path: Path) -> None:
    """Limits drawn near the workbook's own figures: wherever the quick look vouches, the exact scan agrees."""
    rng = random.Random(1000 + seed)
    rows = random_rows(rng, rng.randint(1, 40))
    made = shared_sheet(tmp_path / "a.xlsx", rows) if seed % 2 else hostile.roster(tmp_path / "a.xlsx", rows[1:])
    exact = _scan(made, LIMITS, rough=False)
    limits = Limits(rows=rng.randint(1, len(rows) + 2), columns=rng.randint(1, 14),
                    cells=rng.randint(1, exact.area + 20), cell_chars=rng.randint(1, 400),
                    text_chars=rng.randint(1, exact.text * 3 + 10), shared_strings=rng.randint(1, 60))
    quick = outcome(made, limits, rough=True)
    assert quick in ("unsure", ""), quick  # the quick look never refuses: it leaves that to the exact scan
    if quick == "":
        assert outcome(made, limits, rough=False) == ""


BUILDERS = {
    "far_cell Z1048576": lambda p: hostile.far_cell(p, "Z1048576"),
    "far column": lambda p: hostile.far_cell(p, "XFD2"),
    "far cell within reach": lambda p: hostile.far_cell(p, "E150000"),
    "rows without end": lambda p: hostile.endless_rows(p, 200_010),
    "a long string repeated": lambda p: hostile.repeated_string(p, chars=2000, cells=30_000),
    "a lawful size, one cell too long": lambda p: hostile.giant_string(p, 40_000),
    "many shared strings": lambda p: hostile.countless_strings(p, 1_000_010),
    "cells without positions": hostile.wide_row,
    "countless merged cells": lambda p: hostile.countless_merges(p, 100_010),
    "entity expansion": hostile.entities,
    "a sheet under another name": hostile.hidden_part,
    "two parts of one name": hostile.twin_parts,
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(BUILDERS))
def test_a_hostile_workbook_gets_the_exact_scans_own_answer(kind: str, tmp_path: Path) -> None:
    made = BUILDERS[kind](tmp_path / "a.xlsx")
    exact = outcome(made, LIMITS, rough=False)
    try:
        check_workbook(made)
        answer = ""
    except Refused as exc:
        answer = str(exc)
    assert answer == exact
    assert outcome(made, LIMITS, rough=True) in ("unsure", exact)


@pytest.mark.parametrize(("rows", "refused"), [
    (["<row>" + "<c><v>1</v></c>" * 5 + "</row>"], "第5列（E列）"),
    (['<x:row r="2" xmlns:x="urn:x"><x:c r="A6"><x:v>1</x:v></x:c></x:row>'], "第6行"),
    (['<row r="9"><c r="A9"><f>1+1</f></c></row>'], "第9行"),
    (['<row r="2"><c r="A2"><extLst/></c></row><row r="8"><c r="A8"><is><t>张三</t></is></c></row>'], "第8行"),
    (['<row r="2"><c r="A2" t="s"><v>x</v></c></row>'], "已损坏"),
    (["<row r='2'><c r='F2'><v>1</v></c></row>"], "第6列"),
    (['<row r="2"><c r="A2" t="&#115;"><v>x</v></c></row>'], "已损坏"),
    (['<row r="2"><!-- a note --><c r="F2"><v>1</v></c></row>'], "第6列"),
    (['<row r="0"/>'], "已损坏"),
    (['<row r="2"><c r="A2"><is><t>' + "字" * 40 + "</t><t>" + "字" * 40 + "</t></is></c></row>"], "超过60个字"),
])
def test_whatever_is_not_plain_is_left_to_the_exact_scan(rows: list[str], refused: str, tmp_path: Path) -> None:
    body = [*hostile.rows_xml([hostile.HEADER[:4]]), *rows]
    path = hostile.package(tmp_path / "a.xlsx", [("表", "worksheets/sheet1.xml", hostile.sheet_xml(body))])
    limits = Limits(rows=SMALL.rows, columns=SMALL.columns, cell_chars=60)
    with pytest.raises(Refused, match=refused):
        check_workbook(path, limits)
    assert outcome(path, limits, rough=True) in ("unsure", outcome(path, limits, rough=False))


def test_a_plain_roster_is_vouched_for_by_the_quick_look(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither the shared strings nor the sheet of a roster as Excel or openpyxl writes it go through the
    exact handlers (each element an event: the reading time the quick look saves)."""
    rows = random_rows(random.Random(7), 300)
    made = [shared_sheet(tmp_path / "a.xlsx", rows, style=True), hostile.roster(tmp_path / "b.xlsx", rows[1:])]
    handled: list[str] = []
    real = workbook_scan._handlers

    def spy(scan: workbook_scan.WorkbookScan, part: str, parser: object) -> object:
        handled.append(workbook_scan.part_key(part))
        return real(scan, part, parser)  # type: ignore[arg-type]

    monkeypatch.setattr(workbook_scan, "_handlers", spy)
    for path in made:
        handled.clear()
        check_workbook(path)
        assert not any(key.startswith("xl/worksheets/") or key == workbook_scan.SHARED_STRINGS for key in handled)


def _edge_roster(path: Path) -> Path:
    """20 rows of 5 columns, text in shared strings, two merged areas."""
    rows: list[list[str | int | None]] = [list(hostile.HEADER)]
    rows += [[f"张{n}", f"62010219800101{n:04d}", "肢体", "二级", "金塔村"] for n in range(19)]
    made = shared_sheet(path, rows)
    return made


@pytest.mark.parametrize("edge", ["rows", "columns", "cells", "text_chars", "shared_strings", "cell_chars"])
def test_at_each_limit_one_less_is_refused(edge: str, tmp_path: Path) -> None:
    """At the workbook's own figure it passes; one below, the quick look must not vouch for it."""
    made = _edge_roster(tmp_path / "a.xlsx")
    exact = _scan(made, LIMITS, rough=False)
    figure = {"rows": 20, "columns": 5, "cells": exact.area, "text_chars": exact.text,
              "shared_strings": exact.shared_count, "cell_chars": 18}[edge]
    check_workbook(made, Limits(**{edge: figure}))
    with pytest.raises(Refused):
        check_workbook(made, Limits(**{edge: figure - 1}))


@pytest.mark.parametrize("start", ["<c>", "<c/>", "<c\t", "<c\n", "<c\r", "<c ", "<col ", "<cols>", "<c  "])
def test_a_cell_written_otherwise_than_c_and_a_space_gives_the_quick_look_up(start: str) -> None:
    """The quick look counts cells as '<c ' and gives up at any other way of writing a cell's start tag
    (one search for all of them): the same answer as looking for each way in turn."""
    piece = ('<row r="1"><c r="A1" t="s"><v>0</v></c>' + start + 'r="B1"><v>1</v></c></row>').encode()
    odd = any(form in piece for form in (b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r"))
    assert workbook_rough._count_cells(piece) == (-1 if odd else piece.count(b"<c "))
    assert (workbook_rough._count_cells(piece) == -1) == (start in ("<c>", "<c/>", "<c\t", "<c\n", "<c\r"))
