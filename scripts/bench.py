"""Search speed on a county-sized register (`./dev.sh bench`).

Builds a 100,000-person demo database once (cached in the temp folder), then times the search box's
function, app.services.search.search(session, text, limit=200), for a mix of what clerks type, next to
the same query in plain sqlite3 so the cost of the ORM layer is visible. Prints figures only: timings
depend on the machine, so nothing here fails on time."""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from app.db.engine import open_database  # noqa: E402
from app.db.models import Person, Village  # noqa: E402
from app.demo import fill_demo  # noqa: E402
from app.domain import idnumber  # noqa: E402
from app.services.register.search import search  # noqa: E402

TARGET_MS = 50.0
_HIGH = "\U0010ffff"
_IDS = """
select p.id from person p where {where}
order by case when p.status = '在册' then 0 else 1 end, p.pinyin, p.id
limit 200
"""
_ROWS = """
select p.id, p.name, p.sex, p.id_number, p.certificate_number, p.category, p.grade,
       coalesce(v.name, ''), coalesce(g.name, ''), p.status, p.phone, p.birth_date,
       coalesce(h.dibao, 0), p.self_care
from person p
left join village v on v.id = p.village_id
left join village_group g on g.id = p.group_id
left join household h on h.id = p.household_id
where p.id in ({marks})
"""


def plain_search(conn: sqlite3.Connection, where: str, params: tuple[str, ...]) -> list[tuple[object, ...]]:
    """What search() does, in plain sqlite3: the ids in display order, then their rows."""
    ids = [row[0] for row in conn.execute(_IDS.format(where=where), params)]
    by_id = {row[0]: row for row in conn.execute(_ROWS.format(marks=",".join("?" * len(ids))), ids)}
    return [by_id[i] for i in ids]


def build(path: Path, persons: int, rebuild: bool) -> None:
    if rebuild:
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
    with open_database(path) as db, db.session() as session:
        have = session.scalar(select(func.count()).select_from(Person)) or 0
    if have:
        print(f"使用已生成的数据库 {path}（{have}人）")
        return
    started = time.perf_counter()
    with open_database(path) as db, db.transaction("演示数据") as session:
        counts = fill_demo(session, persons=persons, seed=1)
    print(f"生成演示数据 {persons} 人用时 {time.perf_counter() - started:.1f} 秒：{counts.line()}")


def reference_sql(text: str) -> tuple[str, tuple[str, ...]]:
    """The plain-SQLite query equivalent to the search box's condition for this text."""
    digits = idnumber.clean(text)
    if digits.isdigit() or (digits[:-1].isdigit() and digits.endswith("X")):
        if len(digits) == 18:
            return "p.id_number = ? or (p.certificate_number >= ? and p.certificate_number < ?)", (
                digits, digits, digits + _HIGH)
        return "p.id in (select id from person where id_number like ? escape '/')", (f"%{digits}%",)
    if text.isascii() and text.isalpha():
        low = text.lower()
        return (
            "p.id in (select id from person where initials >= ? and initials < ? "
            "union all select id from person where pinyin >= ? and pinyin < ?)",
            (low, low + _HIGH, low, low + _HIGH),
        )
    return (
        "p.id in (select id from person where name like ? escape '/' union all select id from person "
        "where village_id in (select id from village where name >= ? and name < ?))",
        (f"%{text}%", text, text + _HIGH),
    )


def median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm the cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="搜索速度测试")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="重新生成演示数据库")
    args = parser.parse_args(argv)
    path = Path(tempfile.gettempdir()) / "canlian-bench" / f"canlian-{args.persons}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    build(path, args.persons, args.rebuild)

    with open_database(path) as db, db.session() as session:
        sample = session.scalar(select(Person.id_number).where(Person.id == (args.persons // 2)))
        village = session.scalar(select(Village.name).order_by(Village.id))
        queries = ["zs", "wxm", "zhang", "张", "明", "1234", sample or "620921198001011234", village or "金塔村"]
        raw = sqlite3.connect(path)
        print(f"\n{'查询':<22}{'行数':>6}{'search()':>12}{'sqlite3':>12}{'倍数':>8}  结果一致")
        medians = []
        for text in queries:
            where, params = reference_sql(text)
            ours = [row.id for row in search(session, text, limit=200)]
            theirs = [row[0] for row in plain_search(raw, where, params)]
            ms = median_ms(lambda t=text: search(session, t, limit=200), args.repeat)  # type: ignore[misc]
            ref = median_ms(lambda w=where, p=params: plain_search(raw, w, p), args.repeat)  # type: ignore[misc]
            medians.append(ms)
            shown = idnumber.mask(text) if len(text) == 18 else text
            same = "是" if ours == theirs else "否"
            print(f"{shown:<24}{len(ours):>6}{ms:>10.2f}ms{ref:>10.2f}ms{ms / max(ref, 1e-6):>8.1f}  {same}")
        raw.close()
    overall = statistics.median(medians)
    print(f"\nsearch median over all queries: {overall:.1f} ms (target < {TARGET_MS:.0f} ms); "
          f"slowest {max(medians):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
