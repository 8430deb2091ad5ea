"""Import and demo speed at county size (issue 15, goals 1 and 6), each beside its floor measured in the
same run: `.venv/bin/python scripts/bench_import.py [--persons N]`.

- the demo register of N persons, `canlian demo --persons N`, whole process; floor: SQLite alone writing
  the same database (VACUUM INTO a new file);
- a roster of 10,000 and of 100,000 new persons imported into a copy of that register, `canlian import
  persons FILE`, whole process; floor: a bare python-calamine read of the same file, whole process;
- the import wizard's preview of the 10,000 rows (reading the roster and checking every row, in the
  process); floor: the bare calamine read in the process.

Prints one Markdown row per figure on stdout; progress on stderr. Never fails on time."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import sys
import time
from pathlib import Path

from bench_common import (
    CPU,
    PERSONS,
    SEED,
    best_of,
    build_register,
    canlian,
    compiled_program,
    copy_of,
    folder,
    load,
    register_key,
    row,
    run_timed,
    say,
)

from app.demo import people
from app.demo.town import village_names
from app.domain.idnumber import check_char

ROSTER_VERSION = 1  # change when the rows below change: the cached rosters are then written again
HEADER = ("序号", "姓名", "性别", "身份证号", "残疾证号", "残疾类别", "残疾等级", "村", "组", "住址", "联系电话",
          "是否低保")
CATEGORIES = ("视力", "听力", "言语", "肢体", "肢体", "肢体", "智力", "精神")
GRADES = ("一级", "二级", "三级", "四级")
CALAMINE_READ = ("from python_calamine import CalamineWorkbook; import sys; "
                 "CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()")


def roster(count: int) -> Path:
    """A roster of `count` new persons (IDs of a region the demo never uses), written once and kept."""
    path = folder() / f"roster-{count}-v{ROSTER_VERSION}.xlsx"
    if path.exists():
        return path
    import openpyxl

    say(f"writing a roster of {count:,} new persons …")
    rng = random.Random(count)
    ids = people.IdMaker(rng)
    villages = village_names(max(11, PERSONS // 300))[:300] + ["新建村", "河湾新村"]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(["某县残疾人花名册"])
    sheet.append(list(HEADER))
    for number in range(1, count + 1):
        male = rng.random() < 0.56
        born = people.birth_date(rng, dt.date(2026, 1, 1), 3, 92)
        body = "620102" + ids.make(born, male)[6:17]
        id18 = body + check_char(body)
        category, grade = rng.randrange(len(CATEGORIES)), rng.randrange(4)
        village = rng.choice(villages)
        group = rng.randint(1, 8)
        cat_code = (1, 2, 3, 4, 4, 4, 5, 6)[category]
        sheet.append([
            number, people.full_name(rng, male), "男" if male else "女", id18,
            f"{id18}{cat_code}{grade + 1}" if rng.random() < 0.8 else None, CATEGORIES[category], GRADES[grade],
            village, f"{group}组", f"{village}{group}组{rng.randint(1, 120)}号",
            people.mobile(rng) if rng.random() < 0.7 else None, "是" if rng.random() < 0.3 else "否",
        ])
    partial = path.with_suffix(".part")
    book.save(partial)
    partial.replace(path)
    return path


def calamine_in_process(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - started


def preview_in_process(register: Path, path: Path) -> float:
    from app.db.engine import open_database
    from app.io.roster_import import preview_import, read_roster

    with open_database(register) as db:
        started = time.perf_counter()
        preview_import(db, read_roster(path))
        return time.perf_counter() - started


def demo(persons: int) -> Path:
    """Build the register (timed: the demo's figure) and keep it as the benchmarks' cached register."""
    key = register_key(persons, SEED)
    cached = folder() / f"canlian-{key}.db"
    fresh = folder() / f"demo-timed-{persons}.db"
    say(f"canlian demo --persons {persons} …")
    took = build_register(fresh, persons, SEED)
    cpu = CPU["last"]
    copy = folder() / "demo-vacuum-floor.db"
    copy.unlink(missing_ok=True)
    with sqlite3.connect(fresh) as conn:
        started = time.perf_counter()
        conn.execute("vacuum into ?", (str(copy),))
        floor = time.perf_counter() - started
    conn.close()
    copy.unlink()
    row(f"demo register, {persons:,} persons (`canlian demo`, whole process) vs SQLite writing the same file "
        "(VACUUM INTO)", took, floor, "≤ 10 s", load(cpu))
    if not cached.exists():
        fresh.replace(cached)
    for leftover in folder().glob(fresh.name + "*"):
        leftover.unlink()
    return cached


def import_figure(register: Path, count: int, goal: str) -> None:
    path = roster(count)
    compiled_program()
    floor = best_of(3, [sys.executable, "-c", CALAMINE_READ, str(path)])
    target = copy_of(register, f"import-{count}.db")
    say(f"canlian import persons ({count:,} rows) …")
    took = run_timed(canlian("--db", str(target), "import", "persons", str(path)))
    for leftover in folder().glob(target.name + "*"):
        leftover.unlink()
    row(f"roster import, {count:,} new rows into {PERSONS:,} (whole process) vs bare python-calamine read "
        "(whole process)", took, floor, goal, load(CPU["last"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="导入与演示数据的速度")
    parser.add_argument("--persons", type=int, default=PERSONS)
    parser.add_argument("--import-only", action="store_true",
                        help="不计演示数据的时间：导入到已缓存的登记册（没有时照常生成）")
    args = parser.parse_args(argv)
    cached = folder() / f"canlian-{register_key(args.persons, SEED)}.db"
    register = cached if args.import_only and cached.exists() else demo(args.persons)
    import_figure(register, 10_000, "≤ 5× floor and ≤ 2 s")
    import_figure(register, 100_000, "≤ 20 s")
    path = roster(10_000)
    floor = min(calamine_in_process(path) for _ in range(3))
    took = min(preview_in_process(register, path) for _ in range(2))
    row("import wizard's preview of 10,000 rows (read + check, in the process) vs bare python-calamine read "
        "(in the process)", took, floor, "≤ 2 s", load())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
