"""Two clerks issuing the last wheelchairs at the same moment, each from their own program on the same
register: the stock check and the taking happen under one lock of the type (app.services.devices.stock),
so exactly as many go out as there were, the others are told it is out of stock, and stock never dips
below zero."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import StockMovement
from app.errors import InputError
from app.services.devices import issue, stock
from app.services.devices.catalogue import catalogue_types
from app.services.devices.issue import IssueItem
from tests.factories import add_person, make_id, second_program

DAY = dt.date(2025, 3, 10)
CLERKS = 2
EACH = 3  # issues each clerk tries at once, each to another person


def test_the_last_wheelchairs_go_out_once_and_the_rest_are_refused(db: Database, db_path: Path) -> None:
    chair = next(t.id for t in catalogue_types(db) if t.name == "普通轮椅")
    stock.receive(db, chair, DAY, 2, stock.COUNTY, serials=["A1", "A2"])
    with db.transaction() as s:
        persons = [add_person(s, "王" + "一二三四五六七八九"[n], id_number=make_id("19600101", f"{n:03d}"),
                              category="肢体", grade="一级").id for n in range(CLERKS * EACH)]
    stores = [db] + [second_program(db, db_path) for _ in range(CLERKS - 1)]
    start = threading.Barrier(CLERKS * EACH)
    issued: list[str] = []
    refused: list[str] = []
    failed: list[BaseException] = []

    def clerk(store: Database, person_id: int) -> None:
        start.wait()
        try:
            issued.append(issue.issue(store, person_id, [IssueItem(chair)], DAY).number)
        except InputError as exc:
            refused.append(str(exc))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failed.append(exc)

    try:
        threads = [threading.Thread(target=clerk, args=(stores[n % CLERKS], person))
                   for n, person in enumerate(persons)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        for store in stores[1:]:
            store.close()
    assert failed == []
    assert len(issued) == 2 and len(set(issued)) == 2  # two 领取单, numbered apart
    assert len(refused) == CLERKS * EACH - 2
    assert all("库存只有0辆" in text for text in refused)
    with db.session() as s:
        assert stock.on_hand(s, chair) == 0
        serials = s.scalars(select(StockMovement.serial).where(StockMovement.kind == "发放")).all()
        assert sorted(serials) == ["A1", "A2"]  # each chair handed out once
        assert s.scalar(select(func.count()).where(StockMovement.kind == "发放")) == 2
