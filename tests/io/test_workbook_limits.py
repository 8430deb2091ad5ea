"""Every hostile workbook is refused with one Chinese line and exit 2, within 1 GB of memory and 60 s:
each class of bomb is imported by the command line in a process of its own under those limits."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import InputError
from app.io.roster_import import read_roster
from app.io.workbook_limits import LIMITS, Limits, Refused, check_workbook
from tests.io import hostile

MEMORY = 1 << 30
SECONDS = 60

# bomb class -> (how it is made, what the refusal says)
CLASSES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "far corner XFD1048576": (hostile.far_cell, "一直到第1048576行"),
    "far cell Z1048576": (lambda p: hostile.far_cell(p, "Z1048576"), "超过了200000行的上限"),
    "far column": (lambda p: hostile.far_cell(p, "XFD2"), "一直到第16384列（XFD列）"),
    "a million rows": (hostile.endless_rows, "一直到第200001行"),
    "a giant shared string": (hostile.giant_string, "解开后有286MB（上限256MB）"),
    "a long string repeated": (hostile.repeated_string, "单元格的文字合计超过5000万字"),
    "a lawful size, one cell too long": (lambda p: hostile.giant_string(p, 1_000_000), "超过32767个字"),
    "millions of shared strings": (hostile.countless_strings, "不同的文字多达100万条以上"),
    "whitespace padding": (hostile.padding, "解开后有400MB"),
    "padding under the size limit": (hostile.padding_under_size, "压缩了1027倍"),
    "cells without positions": (hostile.wide_row, "超过了256列的上限"),
    "countless merged cells": (hostile.countless_merges, "合并单元格多达100000个以上"),
    "countless parts": (hostile.countless_parts, "内含20005个部件"),
    "entity expansion": (hostile.entities, "含有实体定义"),
    "a sheet under another name": (hostile.hidden_part, "一直到第1048576行"),
    "two parts of one name": (hostile.twin_parts, "一直到第1048576行"),
    "sizes that lie": (hostile.lying_sizes, "已损坏"),
}


# One process imports every bomb in turn through the command line's own entry, as `canlian import
# persons` does, each into a database of its own: a crash of one (exit 134) fails them all, loudly.
_DRIVER = """
import contextlib, io, json, resource, sys, time
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from app.cli import main
results = {}
for number, (db, workbook) in enumerate(zip(sys.argv[2::2], sys.argv[3::2])):
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", db, "import", "persons", workbook])
    results[workbook] = [code, out.getvalue(), err.getvalue(), time.monotonic() - started]
print(json.dumps(results))
"""


def import_under_limits(pairs: list[tuple[Path, Path]]) -> dict[str, list[object]]:
    """{workbook: [exit code, stdout, stderr, seconds]} of importing each, under MEMORY, SECONDS each."""
    args = [str(p) for pair in pairs for p in pair]
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(MEMORY), *args], capture_output=True, text=True,
                          timeout=SECONDS * len(pairs), check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-800:])
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def refusals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[object]]:
    folder = tmp_path_factory.mktemp("bombs")
    pairs = []
    for number, (make, _) in enumerate(CLASSES.values()):
        pairs.append((folder / f"{number:02d}.db", make(folder / f"{number:02d}.xlsx")))
    results = import_under_limits(pairs)
    return {kind: results[str(workbook)] for kind, (_, workbook) in zip(CLASSES, pairs, strict=True)}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(CLASSES))
def test_each_bomb_is_refused_within_bounds(kind: str, refusals: dict[str, list[object]]) -> None:
    code, out, err, seconds = refusals[kind]
    number = list(CLASSES).index(kind)
    line = str(err).strip()
    assert (code, out) == (2, ""), line
    assert "\n" not in line and CLASSES[kind][1] in line, line
    assert line.startswith(f"文件 {number:02d}.xlsx ") and line.endswith("再导入。")
    assert float(seconds) < SECONDS  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_real_roster_goes_in_under_the_same_limits(tmp_path: Path) -> None:
    from tests.factories import make_id
    rows = [("张三", make_id(seq=f"{n:03d}"), "肢体", "二级", "金塔村") for n in range(1, 301)]
    workbook = hostile.roster(tmp_path / "名单.xlsx", rows)
    code, out, err, _ = import_under_limits([(tmp_path / "canlian.db", workbook)])[str(workbook)]
    assert (code, err) == (0, "")
    assert str(out).splitlines()[-1] == "imported 300, updated 0, unchanged 0, rejected 0"


def test_a_stray_cell_within_the_limits_is_read(tmp_path: Path) -> None:
    """A cell far down but within a real roster's reach is no reason to refuse: the rows are read."""
    roster = read_roster(hostile.far_cell(tmp_path / "a.xlsx", "E150000"))
    assert (roster.header_row, len(roster.rows), roster.rows[0].number) == (1, 1, 150000)


def test_a_cell_with_a_value_inside_odd_elements_still_counts(tmp_path: Path) -> None:
    """Inside <c>, calamine takes a <v> after any other element: so does the scan."""
    body = hostile.rows_xml([hostile.HEADER])
    cell = '<row r="2"><c r="XFD2"><foo/><v>1</v></c></row>'
    path = hostile.package(tmp_path / "a.xlsx", [("表", "worksheets/sheet1.xml", hostile.sheet_xml([*body, cell]))])
    with pytest.raises(Refused, match="第16384列"):
        check_workbook(path)


def test_empty_cells_far_out_do_not_count(tmp_path: Path) -> None:
    """Formatting reaching far (cells without a value) makes no range: calamine skips such cells."""
    body = hostile.rows_xml([hostile.HEADER])
    far = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    path = hostile.package(tmp_path / "a.xlsx", [("表", "worksheets/sheet1.xml", hostile.sheet_xml([*body, far]))])
    check_workbook(path)
    assert read_roster(path).rows == []


def test_characters_xml_forbids_do_not_make_a_file_damaged(tmp_path: Path) -> None:
    """Control characters, raw or as references, are read by calamine; the scan lets them through to be cleaned."""
    rows = [("张\a三", "&#7;", "肢&#x1F;体", "二级", "金塔村\ufffe")]
    chunks = [*hostile.rows_xml([hostile.HEADER])] + [
        '<row r="2">' + "".join(f'<c r="{hostile.column(i)}2" t="inlineStr"><is><t>{v}</t></is></c>'
                                for i, v in enumerate(rows[0])) + "</row>"]
    path = hostile.package(tmp_path / "a.xlsx", [("表", "worksheets/sheet1.xml", hostile.sheet_xml(chunks))])
    check_workbook(path)
    assert read_roster(path).rows[0].cells == ("张三", None, "肢体", "二级", "金塔村")


def test_shared_strings_count_at_each_use(tmp_path: Path) -> None:
    limits = Limits(text_chars=LIMITS.cell_chars * 3 + 100)  # and the header's few
    check_workbook(hostile.repeated_string(tmp_path / "a.xlsx", chars=LIMITS.cell_chars, cells=3), limits)
    with pytest.raises(Refused, match="文字合计"):
        check_workbook(hostile.repeated_string(tmp_path / "b.xlsx", chars=LIMITS.cell_chars, cells=4), limits)


def test_an_xlsb_or_ods_file_is_not_read(tmp_path: Path) -> None:
    path = hostile.roster(tmp_path / "名单.xlsb", [])
    with pytest.raises(InputError, match="是.xlsb格式：请在Excel或WPS中另存为.xlsx"):
        read_roster(path)


SMALL = Limits(rows=5, columns=4)


@pytest.mark.parametrize(("rows", "refused"), [
    # rows and cells without positions follow the last ones, as calamine places them
    (["<row>" + "<c><v>1</v></c>" * 4 + "</row>"] * 4, ""),
    (["<row>" + "<c><v>1</v></c>" * 5 + "</row>"], "第5列（E列）"),
    (["<row><c><v>1</v></c></row>"] * 5, "第6行"),
    (['<row r="3"><c><v>1</v></c></row>', "<row><c><v>1</v></c></row>" * 3], "第6行"),
    (['<row r="2"><c r="C2"><v>1</v></c><c><v>1</v></c><c><v>1</v></c></row>'], "第5列"),
    # a namespace prefix changes nothing
    (['<x:row r="2" xmlns:x="urn:x"><x:c r="A6"><x:v>1</x:v></x:c></x:row>'], "第6行"),
    # empty cells, however far, make no range; a cell with only a formula or unknown content does
    (['<row r="9"><c r="Z9" s="1"/><c r="Z9"></c></row>'], ""),
    (['<row r="9"><c r="A9"><f>1+1</f></c></row>'], "第9行"),
    (['<row r="2"><c r="A2"><extLst/></c></row><row r="8"><c r="A8"><is><t>张三</t></is></c></row>'], "第8行"),
])
def test_cells_are_placed_as_the_reader_places_them(rows: list[str], refused: str, tmp_path: Path) -> None:
    body = [*hostile.rows_xml([hostile.HEADER[:4]]), *rows]
    path = hostile.package(tmp_path / "a.xlsx", [("表", "worksheets/sheet1.xml", hostile.sheet_xml(body))])
    if refused:
        with pytest.raises(Refused, match=refused):
            check_workbook(path, SMALL)
    else:
        check_workbook(path, SMALL)


def test_merged_areas_reaching_far_fill_only_the_sheet(tmp_path: Path) -> None:
    """A merge over A2:XFD1048576 (a few bytes) fills the rows and columns the sheet has, no more."""
    body = [*hostile.rows_xml([hostile.HEADER, ("张三",), (None, None, None, None, "金塔村")])]
    merges = "".join('<mergeCell ref="A2:XFD1048576"/>' for _ in range(1000))
    sheet = hostile.sheet_xml(body, tail=f'<mergeCells count="1000">{merges}</mergeCells>')
    roster = read_roster(hostile.package(tmp_path / "a.xlsx", [("表", "worksheets/sheet1.xml", sheet)]))
    assert [row.cells for row in roster.rows] == [("张三",) * 5, ("张三",) * 5]
