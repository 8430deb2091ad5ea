"""`canlian import persons` and `canlian export persons` as a script runs them: printed lines and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db.engine import open_database
from app.db.models import Person
from tests.factories import make_id
from tests.io.builders import row, sheet_rows, write_roster

ZHANG = make_id("19800101", "123")
LI = make_id("19650302", "224")


def _count(db_path: Path) -> int:
    with open_database(db_path) as db, db.session() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def test_import_prints_the_counts_last_and_writes_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "canlian.db"
    roster = write_roster(tmp_path / "花名册.xlsx", [row("张三", ZHANG), row("李四", LI[:-1] + "0"), row("", LI)])
    report = tmp_path / "报告.xlsx"
    assert main(["--db", str(db_path), "import", "persons", str(roster), "--report", str(report)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "imported 1, updated 0, unchanged 0, rejected 2"
    assert "未导入的列：序号" in out
    assert not any(ZHANG in line or LI[:17] in line for line in out)
    assert [r[0] for r in sheet_rows(report, "被拒绝的行")[1:]] == [5, 6]

    assert main(["--db", str(db_path), "import", "persons", str(roster)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "imported 0, updated 0, unchanged 1, rejected 0"


def test_a_csv_renamed_xlsx_exits_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "canlian.db"
    fake = tmp_path / "花名册.xlsx"
    fake.write_text(f"姓名,身份证号\n张三,{ZHANG}\n", encoding="utf-8")
    assert main(["--db", str(db_path), "import", "persons", str(fake)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and "不是Excel工作簿" in captured.err
    assert _count(db_path) == 0


def test_export_persons_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "canlian.db"
    roster = write_roster(tmp_path / "花名册.xlsx", [row("张三", ZHANG), row("李四", LI, grade="三级")])
    assert main(["--db", str(db_path), "import", "persons", str(roster)]) == 0
    exported = tmp_path / "导出.xlsx"
    capsys.readouterr()
    assert main(["--db", str(db_path), "export", "persons", str(exported)]) == 0
    assert capsys.readouterr().out.strip() == str(exported)
    assert main(["--db", str(db_path), "import", "persons", str(exported)]) == 0
    assert capsys.readouterr().out.splitlines() == ["imported 0, updated 0, unchanged 2, rejected 0"]
