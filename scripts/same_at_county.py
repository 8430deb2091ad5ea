"""The program's results on a 100,000-person county are the same as before issue 15's speed work (its last
"Done when"): `.venv/bin/python scripts/same_at_county.py [--before REV] [--persons N]`.

The code of REV (default 297ee67, the commit before the first result was recorded for issue 15) is unpacked
with `git archive` into the temp folder and builds the county with its own `canlian demo`; the code of this
checkout works on a copy of that same file (upgrading it first). Each then answers through the command line,
whose lines and files are the contract (../shared/CLI.md):

- `find` for each kind of search text (initials, pinyin, a surname, a given-name character, ID digits that
  many and few IDs hold, a village, a whole name, a region code), 200 lines each;
- `summary --json` of the year and of five years;
- every report as PDF (the register of 100,000 lines, the subsidy roster of a month, the 春节慰问 roster, the
  equipment register, the overpayments, the yearly and five-year summaries), compared by the text of every
  page (`pdftotext -layout`);
- `import persons` of a 10,000-row roster into a copy: its last line, then every row of every table and
  column both schemas have (without the columns that only stamp the wall clock; the audit as a multiset);
- the county itself: every table of the earlier code's demo and of this checkout's (the benchmarks' cached
  county), but the store's random name and key pair.

The earlier side's answers are kept in the temp folder, so a second run does only this checkout's side. Prints
one line per result (same / DIFFERENT) and exits 1 if any differs; the texts of a difference stay in the work
folder to be read with diff."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import ROOT, folder, say

BEFORE = "297ee67"
SEARCHES = ["zs", "zhang", "张", "明", "1985", "0157", "王明", "6209"]  # and the register's first village
# columns that only stamp the wall clock, and the version counter; the audit's row numbers too (rows written
# together may be numbered in another order: the audit is compared as a multiset); alembic_version, the
# schema's revision, differs by design
WALL_CLOCK = {"at", "created_at", "updated_at", "recorded_at", "version"}


def _run(code: Path, *args: str, cwd: Path) -> str:
    """One command of the program whose code is at `code`; its stdout (a failure stops the script)."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(code), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
           "HOME": str(cwd), "TMPDIR": tempfile.gettempdir()}
    done = subprocess.run([sys.executable, "-m", "app", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{code.name}: canlian {' '.join(args)} failed ({done.returncode}): {done.stderr[-600:]}")
    return done.stdout


def _unpack(rev: str, target: Path) -> Path:
    """The files of the commit rev, unpacked once (git archive: the repository itself is not touched)."""
    if not (target / "app").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev], capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _tables(db: Path) -> dict[str, list[str]]:
    """Every table's columns (without the wall clock's), for the comparison of two schemas' common part."""
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
            "and name not like 'person_id_digits%' and name != 'alembic_version'")]
        return {t: [r[1] for r in conn.execute(f"pragma table_info('{t}')")
                    if r[1] not in WALL_CLOCK and not (t == "audit_log" and r[1] == "id")] for t in names}


def _table_digest(db: Path, table: str, columns: list[str], where: str = "") -> str:
    """The rows of a table over the given columns as one digest: in id order, the audit as a sorted multiset."""
    with sqlite3.connect(db) as conn:
        listed = ", ".join(f'"{c}"' for c in columns)
        if table == "audit_log":
            rows = sorted(json.dumps(r, default=str, ensure_ascii=False)
                          for r in conn.execute(f"select {listed} from {table} {where}"))  # noqa: S608
        else:
            keys = [r[1] for r in conn.execute(f"pragma table_info('{table}')") if r[5]] or ["rowid"]
            order = ", ".join(f'"{k}"' for k in keys)
            rows = [json.dumps(r, default=str, ensure_ascii=False)
                    for r in conn.execute(f"select {listed} from {table} {where} order by {order}")]  # noqa: S608
    digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    return f"{len(rows)} rows {digest}"


def probe(code: Path, db: Path, work: Path, year: int, roster: Path,
          columns: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """What the program whose code is at `code` answers on the register db: {what: its text}. The imported
    file's tables are digested over `columns` (the earlier side's: a column added since is not compared),
    or over all their own."""
    work.mkdir(parents=True, exist_ok=True)
    answers: dict[str, Any] = {}
    _run(code, "--db", str(db), "init", cwd=work)  # upgraded, if this code's schema is newer
    with sqlite3.connect(db) as conn:
        village = conn.execute("select name from village order by id limit 1").fetchone()[0]
    for text in [*SEARCHES, village]:
        started = time.perf_counter()
        answers[f"find {text}"] = _run(code, "--db", str(db), "find", text, "--limit", "200", cwd=work)
        say(f"  find {text}: {time.perf_counter() - started:.1f} s")
    for name, extra in (("summary", ()), ("summary five years", ("--since", str(year - 4)))):
        out = _run(code, "--db", str(db), "summary", "--year", str(year), *extra, "--json", cwd=work)
        answers[name] = json.dumps(json.loads(out), ensure_ascii=False, sort_keys=True, indent=1)
    for kind, extra in (("registry", ()), ("subsidy-roster", ("--month", f"{year}-06")),
                        ("visit-roster", ("--campaign", f"{year}年春节慰问")), ("equipment", ("--year", str(year))),
                        ("overpayment", ()), ("yearly", ("--year", str(year))),
                        ("yearly", ("--since", str(year - 4), "--year", str(year)))):
        what = f"report {kind} {' '.join(extra)}".strip()
        pdf = work / (what.replace(" ", "_").replace("-", "") + ".pdf")
        started = time.perf_counter()
        _run(code, "--db", str(db), "report", kind, "--out", str(pdf), *extra, cwd=work)
        answers[what] = _pdf_text(pdf)
        say(f"  {what}: {time.perf_counter() - started:.1f} s")
    copy = work / "import.db"
    shutil.copyfile(db, copy)
    started = time.perf_counter()
    lines = _run(code, "--db", str(copy), "import", "persons", str(roster), "--report", str(work / "rejected.xlsx"),
                 cwd=work).strip().splitlines()
    say(f"  import: {time.perf_counter() - started:.1f} s")
    answers["import: its last line"] = lines[-1]
    own = _tables(copy)
    wanted = columns if columns is not None else own
    answers["import: tables"] = {
        table: (_table_digest(copy, table, cols) if table in own and set(cols) <= set(own[table])
                else f"missing: {sorted(set(cols) - set(own.get(table, [])))}")
        for table, cols in wanted.items()}
    answers["import: columns"] = own
    copy.unlink()
    return answers


_NOT_RANDOM = {  # each store's own random name and key pair (made at random by design), and their audit rows
    "setting": "where key not in ('register.identity', 'unit.public_key')",
    "audit_log": "where entity != 'setting'",
}


def same_demo(before: Path, now: Path) -> list[str]:
    """The county the earlier code's demo built and the one this checkout's builds (bench_common's, cached):
    every table both have, over the earlier schema's columns and the earlier settings."""
    theirs, ours = _tables(before), _tables(now)
    with sqlite3.connect(before) as conn:  # settings added by a later issue (unit.code, the 区划代码) aside
        keys = ", ".join(f"'{k}'" for (k,) in conn.execute(f"select key from setting {_NOT_RANDOM['setting']}"))
    kept = {**_NOT_RANDOM, "setting": f"where key in ({keys})"}
    lines = []
    for table, columns in theirs.items():
        if table not in ours or not set(columns) <= set(ours[table]):
            lines.append(f"demo: table {table}: missing in this checkout's schema — DIFFERENT")
            continue
        old, new = (_table_digest(db, table, columns, kept.get(table, "")) for db in (before, now))
        lines.append(f"demo: table {table} ({old}): {'same' if old == new else f'DIFFERENT ({new})'}")
    return lines


def compare(before: dict[str, Any], now: dict[str, Any], work: Path) -> list[str]:
    """One line per result; the texts of each difference written beside as .before / .now files."""
    lines = []
    for what, old in before.items():
        new = now.get(what)
        if what == "import: columns":
            continue
        if what == "import: tables":
            for table, rows in old.items():
                ours = (new or {}).get(table)
                lines.append(f"import: table {table} ({rows}): {'same' if ours == rows else f'DIFFERENT ({ours})'}")
            continue
        same = old == new
        shown = (old.splitlines()[0][:60] if isinstance(old, str) and old else "")
        lines.append(f"{what} ({len(str(old).splitlines())} lines{', ' + shown if shown else ''}): "
                     f"{'same' if same else 'DIFFERENT'}")
        if not same:
            stem = work / what.replace(" ", "_").replace("/", "_")
            Path(f"{stem}.before").write_text(str(old), encoding="utf-8")
            Path(f"{stem}.now").write_text(str(new), encoding="utf-8")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="县级规模的结果与提速之前相同")
    parser.add_argument("--before", default=BEFORE, help="the commit whose results are the earlier ones")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    args = parser.parse_args(argv)
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.before], capture_output=True,
                         text=True, check=True).stdout.strip()
    base = folder() / f"same-{rev}-{args.year}-p{args.persons}"
    old_code = _unpack(rev, base / "code")
    from bench_import import roster

    workbook = roster(10_000)
    register = base / "register.db"
    kept = base / "before.json"
    if not kept.exists():
        if not register.exists():
            say(f"{rev}: building the {args.persons:,}-person register …")
            building = base / "building.db"
            _run(old_code, "--db", str(building), "demo", "--persons", str(args.persons), "--year", str(args.year),
                 "--seed", "1", cwd=base)
            building.replace(register)
        say(f"{rev}: answering …")
        pristine = base / "pristine.db"
        shutil.copyfile(register, pristine)
        answers = probe(old_code, pristine, base / "before", args.year, workbook)
        pristine.unlink()
        kept.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    before = json.loads(kept.read_text(encoding="utf-8"))
    say("this checkout: answering on a copy of the same register …")
    mine = base / "now.db"
    for old in base.glob("now.db*"):
        old.unlink()
    shutil.copyfile(register, mine)
    now = probe(ROOT, mine, base / "now", args.year, workbook, before["import: columns"])
    from bench_common import register as county

    lines = same_demo(register, county(args.persons)) + compare(before, now, base / "now")
    for line in lines:
        print(line, flush=True)
    differ = [line for line in lines if "DIFFERENT" in line]
    print(f"{len(lines) - len(differ)} of {len(lines)} the same as {rev}" + (f"; texts in {base / 'now'}"
                                                                            if differ else ""), flush=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
