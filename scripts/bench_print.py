"""Printing speed (issue 15, goal 5), each figure beside its floor measured in the same run:

- a 1,000-line register PDF, whole process (`canlian report registry --out X.pdf` on a 1,000-person demo
  town), next to LibreOffice converting the same list (the same rows as the program's workbook, which
  carries its print set-up: `soffice --headless --convert-to pdf`);
- the register of a 100,000-person county: time and peak memory of the whole process, next to plain
  sqlite3 reading the same rows;
- every other report of that county, each a whole process.

Prints one Markdown row per figure on stdout (| what | program | floor | ratio | goal |) and nothing else;
progress goes to stderr. The demo databases are built once into the temp folder and reused (named by the
schema's migrations and the demo's parameters). Timings depend on the machine: nothing here fails on time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench_common import compiled_program

ROOT = Path(__file__).resolve().parent.parent
_SCRIPT = Path(sys.executable).with_name("canlian")  # the command a clerk runs, as installed in the venv
CANLIAN = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "import sys; from app.cli import main; "
                                                    "sys.exit(main())"]
YEAR = time.localtime().tm_year
# the register as the roster reads it (app.services.register.roster), in plain SQL: the floor of reading it
REGISTER_SQL = """
select p.id, p.name, p.sex, p.birth_date, p.id_number, p.category, p.components, p.grade, p.address, p.phone,
       p.notes, v.name, g.name, h.address, h.dibao, h.dibao_class
from person p
left join village v on v.id = p.village_id
left join village_group g on g.id = p.group_id
left join household h on h.id = p.household_id
where p.status = '在册'
order by v.id is null, v.sort_order, v.name, g.id is null, length(g.name), g.name, p.pinyin, p.id
"""


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def schema_key() -> str:
    names = sorted(p.name for p in (ROOT / "app" / "db" / "migrations" / "versions").glob("*.py"))
    return hashlib.sha1("\n".join(names).encode()).hexdigest()[:10]


def demo_town(persons: int) -> Path:
    """A demo town of persons (seed 1, this year), built once per schema and reused."""
    try:  # the import engineer's shared builder, once it has landed
        from scripts.bench_common import county  # type: ignore[import-not-found]

        return Path(county(persons))
    except ImportError:
        pass
    folder = Path(tempfile.gettempdir()) / "canlian-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"print-{schema_key()}-{YEAR}-{persons}.db"
    if not path.exists():
        say(f"正在生成 {persons} 人的演示数据库……")
        part = path.with_name(path.name + ".part")
        part.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run([*CANLIAN, "--db", str(part), "demo", "--persons", str(persons)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        os.replace(part, path)
        say(f"  用时 {time.perf_counter() - started:.1f} 秒")
    return path


def run(argv: Sequence[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run a whole process; its wall time in seconds and its peak memory in MB."""
    started = time.perf_counter()
    child = subprocess.Popen(list(argv), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"失败：{' '.join(argv)}\n{child.stderr.read().decode() if child.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def median_run(argv: Sequence[str], repeat: int, cwd: Path = ROOT) -> tuple[float, float]:
    runs = [run(argv, cwd) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def report(db: Path, kind: str, out: Path, *extra: str) -> list[str]:
    return [*CANLIAN, "--db", str(db), "report", kind, "--out", str(out), *extra]


def row(what: str, program: str, floor: str, ratio: str, goal: str) -> None:
    print(f"| {what} | {program} | {floor} | {ratio} | {goal} |", flush=True)


def thousand_lines(work: Path, repeat: int) -> None:
    db = demo_town(1000)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdf_argv = report(db, "registry", work / "register.pdf")
    run(pdf_argv)  # warm the disk cache and the font cache, as a clerk's second print
    say("1,000 行花名册：本程序……")
    ours, _ = median_run(pdf_argv, repeat)
    if soffice is None:
        row("1,000-line register PDF, whole process", f"{ours:.2f} s", "LibreOffice not installed", "", "≤ 1/3 of LO")
        return
    book = work / "register.xlsx"
    run(report(db, "registry", book))  # the same rows as a workbook with its print set-up
    profile = (work / "lo-profile").as_uri()  # a profile of its own: another LibreOffice may be running
    lo_argv = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
               str(work / "lo"), str(book)]
    run(lo_argv)  # the first start sets up the profile
    say("1,000 行花名册：LibreOffice……")
    theirs, _ = median_run(lo_argv, repeat)
    row("1,000-line register PDF, whole process", f"{ours:.2f} s", f"LibreOffice from the workbook {theirs:.2f} s",
        f"{ours / theirs:.2f}× (1/{theirs / ours:.1f})", "≤ 1/3 of LO")


def county(work: Path, persons: int) -> None:
    db = demo_town(persons)
    say(f"{persons:,} 行花名册……")
    started = time.perf_counter()
    raw = sqlite3.connect(db)
    rows = sum(1 for _ in raw.execute(REGISTER_SQL))
    raw.close()
    floor = time.perf_counter() - started
    seconds, peak = run(report(db, "registry", work / "county.pdf"))
    row(f"{rows:,}-line register PDF, whole process", f"{seconds:.1f} s, {peak:.0f} MB",
        f"sqlite3 reading the rows {floor:.2f} s", f"{seconds / floor:.0f}×", "≤ 10 s, ≤ 250 MB")
    month = f"{YEAR}-06"
    for kind, extra in (("subsidy-roster", ("--month", month)), ("visit-roster", ("--campaign", f"{YEAR}年春节慰问")),
                        ("equipment", ("--year", str(YEAR))), ("overpayment", ()), ("yearly", ("--year", str(YEAR))),
                        ("yearly", ("--since", str(YEAR - 4), "--year", str(YEAR)))):
        say(f"{kind} {' '.join(extra)}……")
        seconds, peak = run(report(db, kind, work / f"{kind}.pdf", *extra))
        what = f"{kind} {' '.join(extra)}".strip()
        row(f"report {what}, {persons:,} persons, whole process", f"{seconds:.1f} s, {peak:.0f} MB", "", "",
            "≤ 10 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="打印速度测试")
    parser.add_argument("--persons", type=int, default=100_000, help="县级花名册的人数")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复几次取中位数")
    args = parser.parse_args(argv)
    compiled_program()
    with tempfile.TemporaryDirectory(prefix="canlian-bench-print-") as folder:
        work = Path(folder)
        thousand_lines(work, args.repeat)
        county(work, args.persons)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
