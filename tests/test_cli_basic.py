"""The command line as scripts see it: printed lines and exit codes (docs/cli.md)."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.domain import idnumber
from app.domain.names import search_keys
from tests.services.summary.test_figures import ADDED_KEYS, _contract_keys

YEAR = dt.date.today().year


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def summary(capsys: pytest.CaptureFixture[str], db: Path) -> dict:  # type: ignore[type-arg]
    code, out, _ = run(capsys, db, "summary", "--year", str(YEAR), "--json")
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.fixture
def demo(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run(capsys, db_path, "demo")
    assert code == 0 and out.startswith("演示乡镇") and out.count("\n") == 1
    return db_path


def test_init_prints_the_path(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, db_path, "init") == (0, f"{db_path.resolve()}\n", "")


def test_demo_town_figures(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = summary(capsys, demo)
    assert list(figures) == _contract_keys() + ADDED_KEYS
    assert figures["registered"] == 345 and figures["labor_capable"] == 120
    assert 130 <= figures["dibao_persons"] <= 139
    assert 340 <= figures["medical_insurance_persons"] <= 345
    assert sum(figures["by_village"].values()) == sum(figures["by_category"].values()) == 345
    code, out, _ = run(capsys, demo, "summary", "--year", str(YEAR), "--since", str(YEAR - 4))
    assert code == 0 and out.startswith(f"{YEAR - 4}—{YEAR}年残疾人工作统计") and "在册残疾人" in out


def test_demo_refuses_a_database_with_persons(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = summary(capsys, demo)
    code, out, err = run(capsys, demo, "demo", "--seed", "2")
    assert (code, out) == (2, "") and "已有数据" in err
    assert summary(capsys, demo) == before


def test_find_prints_one_person_a_line(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, demo, "find", "zs")
    lines = out.splitlines()
    assert code == 0 and lines
    for line in lines:
        id_number, name, village, category, grade = line.split("\t")
        assert idnumber.is_valid(id_number) and search_keys(name)[0].startswith("zs")
        assert village.endswith("村") and category in "视力听力言语肢体智力精神多重" and grade.endswith("级")


def test_a_death_is_counted(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = summary(capsys, demo)
    person = run(capsys, demo, "find", "张", "--limit", "1")[1].split("\t")
    today = dt.date.today().isoformat()
    code, out, _ = run(capsys, demo, "status", person[0], "死亡", "--date", today, "--reason", "病故")
    assert (code, out) == (0, f"{person[1]}\t死亡\t{today}\n")
    after = summary(capsys, demo)
    assert (after["registered"], after["deaths"]) == (before["registered"] - 1, before["deaths"] + 1)


def test_bad_dates_exit_2(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    person = run(capsys, demo, "find", "李", "--limit", "1")[1].split("\t")
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(demo), "status", person[0], "死亡", "--date", "2026-13-01"])
    assert exit_info.value.code == 2 and "日期" in capsys.readouterr().err
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    code, out, err = run(capsys, demo, "status", person[0], "死亡", "--date", tomorrow)
    assert (code, out) == (2, "") and "晚于今天" in err


def test_backup_then_restore(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, demo, "backup", "--to", str(tmp_path / "U盘"))
    copy = Path(out.strip())
    assert code == 0 and copy.name.startswith("canlian-备份-") and copy.exists()
    code, out, _ = run(capsys, demo, "restore", str(copy))
    assert code == 0 and "恢复前" in Path(out.strip()).name and Path(out.strip()).exists()
    assert summary(capsys, demo)["registered"] == 345


@pytest.mark.slow
def test_the_entry_point_runs(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "init"], capture_output=True, text=True,
                          timeout=120, check=False, cwd=Path(__file__).resolve().parent.parent)
    assert (done.returncode, done.stdout.strip()) == (0, str(db.resolve()))


def test_a_late_death_prints_what_is_to_be_recovered(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """November confirmed, then a death dated in August: the same line as the window, with 应追回 and the amount."""
    from app.db.engine import open_database
    from app.domain.months import Month
    from app.services.subsidies import payments
    from tests.services.subsidies.builders import paying, person

    with open_database(db_path) as db, db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        id_number = zhang.id_number
    code, out, err = run(capsys, db_path, "status", id_number, "死亡", "--date", "2025-08-15", "--reason", "病故")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["张三\t死亡\t2025-08-15",
                                "此人正在享受重度残疾人护理补贴；2025年9月至11月已发放300.00元，应追回。"]
    figures = summary(capsys, db_path)
    assert figures["overpayments"] == {"persons": 1, "amount": "300.00", "recovered": "0.00", "written_off": "0.00",
                                       "outstanding": "300.00"}
