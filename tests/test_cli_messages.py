"""The command line speaks Chinese in one line, even where argparse would speak English."""

import datetime as dt
from pathlib import Path

import pytest

from app.cli import main
from app.db.engine import open_database
from tests.factories import add_person, make_id


@pytest.fixture
def town(db_path: Path) -> Path:
    with open_database(db_path) as db, db.transaction() as s:
        for i, name in enumerate(("张一", "张二", "张三")):
            add_person(s, name, id_number=make_id(seq=f"{i * 2 + 101:03d}"))
    return db_path


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["status", "1", "去世", "--date", "2026-01-01"],
         "参数 status 的值“去世”不对：应为 在册, 迁出, 死亡, 注销 之一。"),
        (["summary"], "缺少参数 --year：请补上后再运行（canlian -h 查看用法）。"),
        (["find", "x", "--limit", "abc"], "参数 --limit 应为整数，现为“abc”：请改正。"),
        (["summary", "--year", "26"], "参数 --year：年份“26”不对，应为四位数字，如2026"),
    ],
)
def test_argument_errors_are_one_chinese_line(argv: list[str], said: str, town: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(town), *argv])
    assert stop.value.code == 2
    assert capsys.readouterr().err.strip() == said


def test_a_future_year_has_no_summary(town: Path, capsys: pytest.CaptureFixture[str]) -> None:
    future = dt.date.today().year + 1
    assert main(["--db", str(town), "summary", "--year", str(future)]) == 2
    assert capsys.readouterr().err.strip() == f"{future}年还没有到，没有统计数字：请写今年或以前的年份。"


def test_find_says_when_nothing_matches_and_when_the_list_is_cut(town: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(town), "find", "曾"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err.strip() == "没有找到与“曾”相符的人员。"
    assert main(["--db", str(town), "find", "张", "--limit", "2"]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 2
    assert out.err.strip() == "只列出前2人，共3人：用 --limit 3 列出全部。"
