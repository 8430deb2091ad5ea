"""The load test of a county's shared server (issue 16, item 7): simulated clerks, each a process of its own with
its own PostgreSQL login and connection, work for a while on a throwaway local cluster through the same service
functions as the window: search (the search box), open a person (登记表), edit (a changed phone, saved as
the form saves), record a status (迁出 and back 在册), issue an aid (发放 one item with its 领取单), print a
roster (last month's 两项补贴发放花名册, PDF). Town clerks (two per town, so that they meet on the same persons)
and county staff (who meet everyone) work at once, under the row-level security of revision 0011.

It prints the throughput, p50/p95 per action, the refusals (the program's one-sentence refusals: out of
stock, a status already changed by the other clerk…), the retries of serialization failures and deadlocks
(retried as the window's road does), and then checks, as the administrator, that nothing was lost: every
acknowledged edit, status and issue is in the register with its audit row, the server named the login as
the actor, each type's stock equals the sum of its movements (the program's figure beside an independent
SQL sum), and every row the run added has its audit row. Exit 1 when a check fails.

    .venv/bin/python scripts/load.py [--clerks 10] [--seconds 60] [--persons 345]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOWNS = ("金塔镇", "东坝镇", "红山镇", "三合镇")
PASSWORD = "load-test-2026"
MIX = (("search", 30), ("open", 25), ("edit", 15), ("status", 10), ("issue", 10), ("print", 10))
FRAGMENTS = ("张", "王", "李", "明", "英", "zh", "wang", "l", "1985", "0921", "19")


@dataclass
class ClerkResult:
    login: str
    town: str | None
    times: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    refused: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    edits: list[tuple[int, str]] = field(default_factory=list)  # (person, phone) acknowledged
    statuses: list[tuple[int, str]] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)


def _with_retries(result: ClerkResult, work: Callable[[], Any]) -> Any:
    """As ui/road.py runs an action: a serialization failure or deadlock is run again whole."""
    from app.db.engine import is_transient

    for attempt in range(5):
        try:
            return work()
        except Exception as exc:
            if not is_transient(exc) or attempt == 4:
                raise
            result.retries += 1
            time.sleep(0.02 * (attempt + 1))
    return None


def clerk(url: str, login: str, town: str | None, number: int, seconds: float, type_ids: list[int],
          month_text: str, out: str) -> ClerkResult:
    """One clerk's session: their own login and connection, the mix of actions until the time is up."""
    from app.db.engine import open_database
    from app.domain.months import Month
    from app.errors import CanlianError
    from app.services.devices.issue import IssueItem, issue
    from app.services.register import people, search
    from app.services.register.status_changes import record_status, status_form
    from app.services.subsidies.printouts import print_roster

    rng = random.Random(number)
    result = ClerkResult(login, town)
    month = Month.parse(month_text)
    today = dt.date.today()
    actions, weights = zip(*MIX, strict=True)
    counter = 0
    with open_database(url) as db:
        persons = list(search.list_ids(db, search.PersonFilter(status="在册")))

        def run(action: str) -> None:
            nonlocal counter
            pid = rng.choice(persons)
            if action == "search":
                search.find_persons(db, rng.choice(FRAGMENTS), limit=50)
            elif action == "open":
                people.person_form(db, pid)
            elif action == "edit":
                counter += 1
                phone = f"13{number % 10}{counter:08d}"
                raw = dict(people.person_form(db, pid).fields)
                raw["phone"] = phone
                people.save_form(db, pid, raw)
                result.edits.append((pid, phone))
            elif action == "status":
                now = status_form(db, pid).status
                wanted = "迁出" if now == "在册" else "在册"
                record_status(db, pid, wanted, today, "负载测试")
                result.statuses.append((pid, wanted))
            elif action == "issue":
                receipt = issue(db, pid, [IssueItem(rng.choice(type_ids))], today, reason="负载测试")
                result.receipts.append(receipt.number)
            elif action == "print":
                print_roster(db, month, Path(out) / f"{login}-{counter}.pdf")
                counter += 1

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            action = rng.choices(actions, weights)[0]
            start = time.perf_counter()
            try:
                _with_retries(result, lambda action=action: run(action))  # type: ignore[misc]
            except CanlianError as exc:
                result.refused[f"{action}: {str(exc)[:30]}"] += 1
            except Exception as exc:  # noqa: BLE001 - counted and shown: the test fails on any
                result.errors.append(f"{action}: {type(exc).__name__}: {str(exc)[:200]}")
            result.times[action].append((time.perf_counter() - start) * 1000)
    result.times = dict(result.times)  # type: ignore[assignment]  # picklable back to the parent
    return result


def _prepare(admin: str, persons: int, clerks: int) -> tuple[list[tuple[str, str | None]], list[int], str]:
    """The demo town split into towns, stock for the aids, the clerks' logins; returns them, the types issued
    and the month whose roster is printed."""
    from sqlalchemy import select, update

    from app.db.engine import open_database
    from app.db.models import DeviceType, Village
    from app.demo import load_demo
    from app.domain.months import Month
    from app.errors import InputError
    from app.services.clerks import add_clerk
    from app.services.devices.stock import receive
    from app.services.subsidies.payments import confirm_month

    with open_database(admin) as db:
        db.actor = "管理员"
        load_demo(db, persons=persons)
        with db.transaction() as s:
            ids = list(s.scalars(select(Village.id).order_by(Village.id)))
            for index, village_id in enumerate(ids):
                s.execute(update(Village).where(Village.id == village_id).values(town=TOWNS[index % len(TOWNS)]))
            types = list(s.scalars(select(DeviceType.id).where(
                DeviceType.has_serial.is_(False), DeviceType.needs_assessment.is_(False),
                DeviceType.active.is_(True)).order_by(DeviceType.id).limit(6)))
        for type_id in types:
            receive(db, type_id, dt.date.today(), 100000, "县残联调拨")
        month = Month.of(dt.date.today()).previous()
        try:
            confirm_month(db, month)  # the roster the clerks print; the demo town may have confirmed it already
        except InputError as exc:
            if "已确认发放" not in str(exc):
                raise
        logins: list[tuple[str, str | None]] = []
        for number in range(clerks):
            town = None if number >= clerks - max(1, clerks // 5) else TOWNS[(number // 2) % len(TOWNS)]
            login = f"load_clerk_{number}"
            add_clerk(db, login, town, PASSWORD)
            logins.append((login, town))
    return logins, types, str(month)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _check(admin: str, results: list[ClerkResult], before: dict[str, int]) -> list[str]:
    """What nothing-lost means, as the administrator reads the register afterwards. Returns the failures."""
    from sqlalchemy import text

    from app.db.engine import open_database
    from app.domain.words import Movement
    from app.services.devices.stock import stock_levels

    failures: list[str] = []
    with open_database(admin) as db, db.session() as s:
        for r in results:
            for pid, phone in r.edits:
                found = s.execute(text("select actor from audit_log where entity = 'person' and entity_id = :p "
                                       "and field = 'phone' and new_value = :v"), {"p": pid, "v": phone}).all()
                if [row[0] for row in found] != [r.login]:
                    failures.append(f"edit of person {pid} to {phone} by {r.login}: audit rows {found}")
            for number in r.receipts:
                if not s.scalar(text("select count(*) from device_receipt where number = :n"), {"n": number}):
                    failures.append(f"receipt {number} by {r.login} missing")
        last_phone = s.execute(text(
            "select distinct on (entity_id) entity_id, new_value from audit_log where entity = 'person' "
            "and field = 'phone' and id > :a order by entity_id, id desc"), {"a": before["audit_log"]}).all()
        for pid, phone in last_phone:
            now = s.scalar(text("select phone from person where id = :p"), {"p": pid})
            if now != phone:
                failures.append(f"person {pid}: phone {now}, last audited {phone}")
        acked_status = collections.Counter(pid for r in results for pid, _ in r.statuses)
        stored_status = collections.Counter(dict(s.execute(text(
            "select person_id, count(*) from status_change where id > :b group by person_id"),
            {"b": before["status_change"]}).all()))
        if acked_status != stored_status:
            failures.append(f"status changes: acknowledged {sum(acked_status.values())}, "
                            f"stored {sum(stored_status.values())}")
        acked_receipts = sum(len(r.receipts) for r in results)
        stored_receipts = s.scalar(text("select count(*) from device_receipt where id > :b"),
                                   {"b": before["device_receipt"]})
        if acked_receipts != stored_receipts:
            failures.append(f"receipts: acknowledged {acked_receipts}, stored {stored_receipts}")
        sums = dict(s.execute(text(
            "select device_type_id, sum(case when kind in (:r, :t) then quantity else -quantity end) "
            "from stock_movement group by device_type_id"),
            {"r": str(Movement.RECEIVED), "t": str(Movement.RETURNED)}).all())
        for line in stock_levels(s):
            if line.on_hand != sums.get(line.device_type.id, 0) or line.on_hand < 0:
                failures.append(f"{line.device_type.name}: stock {line.on_hand}, movements "
                                f"{sums.get(line.device_type.id, 0)}")
        for table in ("person", "status_change", "device_receipt", "stock_movement", "subsidy_payment"):
            missing = s.scalar(text(
                f"select count(*) from {table} t where t.id > :b and not exists (select 1 from audit_log a "
                f"where a.entity = '{table}' and a.entity_id = t.id and a.action = '新增')"), {"b": before[table]})
            if missing:
                failures.append(f"{table}: {missing} rows added without their audit row")
    return failures


def _high_water(admin: str) -> dict[str, int]:
    from sqlalchemy import text

    from app.db.engine import open_database

    tables = ("audit_log", "person", "status_change", "device_receipt", "stock_movement", "subsidy_payment")
    with open_database(admin) as db, db.session() as s:
        return {t: int(s.scalar(text(f"select coalesce(max(id), 0) from {t}")) or 0) for t in tables}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clerks", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--persons", type=int, default=345)
    args = parser.parse_args()
    from sqlalchemy.engine import make_url

    from tests.pg_cluster import Cluster, NoPostgres

    try:
        cluster = Cluster()
    except NoPostgres as exc:
        print(f"PostgreSQL not available: {exc}", file=sys.stderr)
        return 2
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute("create database canlian_load")
        admin = cluster.url("canlian_load")
        started = time.perf_counter()
        logins, types, month = _prepare(admin, args.persons, args.clerks)
        print(f"prepared in {time.perf_counter() - started:.0f} s: {args.persons}-person demo town in "
              f"{len(TOWNS)} towns, {len(types)} aid types in stock, roster of {month} confirmed")
        before = _high_water(admin)
        with tempfile.TemporaryDirectory() as out:
            context = multiprocessing.get_context("spawn")
            with context.Pool(len(logins)) as pool:
                jobs = [pool.apply_async(clerk, (make_url(admin).set(username=login).render_as_string(False),
                                                 login, town, number, args.seconds, types, month, out))
                        for number, (login, town) in enumerate(logins)]
                results = [job.get() for job in jobs]
        report(results, args)
        failures = _check(admin, results, before)
        errors = [e for r in results for e in r.errors]
        acked = sum(len(r.edits) + len(r.statuses) + len(r.receipts) for r in results)
        print(f"checked: {acked} acknowledged writes, {len(failures)} lost or inconsistent; "
              f"stock = sum of movements for every type; every added row audited" if not failures else
              f"checked: {acked} acknowledged writes, {len(failures)} FAILURES")
        for failure in failures[:20]:
            print("  " + failure)
        for error in errors[:10]:
            print("  error " + error)
        return 1 if failures or errors else 0
    finally:
        cluster.stop()


def report(results: list[ClerkResult], args: argparse.Namespace) -> None:
    towns = sum(1 for r in results if r.town)
    times: dict[str, list[float]] = collections.defaultdict(list)
    for r in results:
        for action, values in r.times.items():
            times[action].extend(values)
    total = sum(len(v) for v in times.values())
    print(f"{len(results)} clerks ({towns} town clerks, {len(results) - towns} county staff), each its own login "
          f"and connection, {args.seconds:.0f} s")
    print("| action | count | p50 ms | p95 ms |\n|---|---|---|---|")
    for action, _ in MIX:
        values = times.get(action, [])
        if values:
            print(f"| {action} | {len(values)} | {statistics.median(values):.0f} | {_percentile(values, 0.95):.0f} |")
    refused = collections.Counter[str]()
    for r in results:
        refused.update(r.refused)
    print(f"throughput: {total / args.seconds:.1f} actions/s ({total} actions); "
          f"refused {sum(refused.values())}; retries {sum(r.retries for r in results)}; "
          f"errors {sum(len(r.errors) for r in results)}")
    for reason, count in refused.most_common(8):
        print(f"  refused {count}× {reason}")


if __name__ == "__main__":
    sys.exit(main())
