"""Search on PostgreSQL at county size (issue 16, goal 5): the register of bench_common (100,000 persons) moved
into a throwaway PostgreSQL server (`canlian move-to`), then what the search box finds for each kind of text,
200 rows with their columns, through the program's search function; floor: the same search written by hand
in plain SQL (what one would type into psql: LIKE on the indexed columns, the list's order, LIMIT 200) and
the same rows read, through psycopg on the same server. `.venv/bin/python scripts/bench_search_pg.py`.

Without PostgreSQL on this machine it says so on stderr and prints nothing. Never fails on time."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench_common import PERSONS, register, say
from bench_search import line, medians_in_turn, ms

_ORDER = "order by case when status = '在册' then 0 else 1 end, pinyin, id limit 200"
_FLOORS = {
    "letters": f"select id from person where initials like %(t)s || '%%' or pinyin like %(t)s || '%%' {_ORDER}",
    "name": f"select id from person where name like '%%' || %(t)s || '%%' "
            f"or village_id in (select id from village where name like %(t)s || '%%') {_ORDER}",
    "digits": f"select id from person where id_number like '%%' || %(t)s || '%%' {_ORDER}",
}
_ROWS = """
select p.id, p.name, p.sex, p.id_number, p.certificate_number, p.category, p.grade,
       coalesce(v.name, ''), coalesce(g.name, ''), p.status, p.phone, p.birth_date,
       coalesce(h.dibao, false), p.self_care, coalesce(h.tekun, false), coalesce(h.low_income, false)
from person p
left join village v on v.id = p.village_id
left join village_group g on g.id = p.group_id
left join household h on h.id = p.household_id
where p.id = any(%(ids)s)
"""


def plain(conn: object, text: str) -> list[int]:
    kind = "digits" if text.isdigit() else "letters" if text.isascii() and text.isalpha() else "name"
    ids = [r[0] for r in conn.execute(_FLOORS[kind], {"t": text.lower() if kind == "letters" else text})]  # type: ignore[attr-defined]
    by_id = {r[0]: r for r in conn.execute(_ROWS, {"ids": ids})}  # type: ignore[attr-defined]
    return [by_id[i][0] for i in ids]


def bench(url: str, dsn: str) -> None:
    import psycopg

    from app.db.engine import open_database
    from app.services.register import search

    with open_database(url) as db, db.session() as session, \
            psycopg.connect(dsn, prepare_threshold=None) as conn:  # as psql: each query planned for its text
        village = conn.execute("select name from village order by id limit 1").fetchone()[0]  # type: ignore[index]
        for text in ["zs", "zhang", "张", "明", "1985", "0157", village]:
            ours = [r.id for r in search.search(session, text, limit=200)]
            theirs = plain(conn, text)
            if ours != theirs:
                say(f"search {text!r}: the program and the floor differ ({len(ours)} / {len(theirs)} rows)")
            program, floor = medians_in_turn(lambda t=text: search.search(session, t, limit=200),  # type: ignore[misc]
                                             lambda t=text: plain(conn, t))  # type: ignore[misc]
            line(f"PostgreSQL: search '{text}' ({len(ours)} rows)", ms(program), ms(floor), program / floor,
                 "≤ 2×")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PostgreSQL 上的查找速度测试")
    parser.add_argument("--persons", type=int, default=PERSONS)
    parser.add_argument("--starts", type=int, default=5)  # bench.py passes every script the same arguments
    args = parser.parse_args(argv)
    from app.services.backup.move_to import move_to_server
    from tests.pg_cluster import Cluster, NoPostgres

    try:
        cluster = Cluster()
    except NoPostgres as exc:
        say(f"PostgreSQL benchmark skipped: {exc}")
        return 0
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                             autocommit=True) as admin:
            admin.execute("create database bench")
        from app.db.engine import copy_sqlite, open_database

        url = cluster.url("bench")
        with tempfile.TemporaryDirectory() as scratch:  # the cached register is only read: a copy moves
            path = Path(scratch) / "county.db"
            copy_sqlite(register(args.persons), path)
            say(f"moving {path} to PostgreSQL …")
            with open_database(path) as db:
                move_to_server(db, url)
        with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=bench",
                             autocommit=True) as conn:
            conn.execute("analyze")  # as autovacuum would after the load, before the first search
        bench(url, f"host=127.0.0.1 port={cluster.port} user=postgres dbname=bench")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
