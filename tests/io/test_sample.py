"""The reference roster (tests/io/data, a copy of the samples clerks keep): the counts its README gives, first
and second time."""

from __future__ import annotations

from pathlib import Path

from app.db.engine import Database
from app.io.roster_import import import_persons, read_roster
from tests.io.builders import SAMPLE, sheet_rows


def test_sample_header_under_the_merged_title() -> None:
    roster = read_roster(SAMPLE)
    assert roster.header_row == 2
    assert roster.ignored == ["序号"]
    assert {"name", "id_number", "certificate_number", "category", "grade", "dibao", "labor_ability"} <= set(
        roster.mapping)


def test_sample_imports_as_its_readme_says(db: Database, tmp_path: Path) -> None:
    report = tmp_path / "报告.xlsx"
    first = import_persons(db, SAMPLE, report=report)
    assert first.line() == "imported 20, updated 0, unchanged 0, rejected 3"
    assert [(r.row, r.reason[:6]) for r in first.rejected] == [
        (23, "身份证号没有"), (24, "姓名为空：请"), (25, "残疾等级“特")]
    rejected = sheet_rows(report, "被拒绝的行")
    assert [r[0] for r in rejected[1:]] == [23, 24, 25]
    assert rejected[0][:2] == ["行号", "原因"] and "姓名" in rejected[0]

    second = import_persons(db, SAMPLE)
    assert second.line() == "imported 0, updated 0, unchanged 20, rejected 0"
    assert "另有3行与此前导入时被拒绝的行相同，仍未导入。" in second.messages()
