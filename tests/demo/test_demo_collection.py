"""The demo makes its town with Python's automatic collection paused (millions of live objects at county
size, no cycles among them) and gives it back as it found it, also when a step fails."""

from __future__ import annotations

import gc

import pytest

import app.demo as demo
from app.db.engine import Database
from app.demo import fill_demo
from app.demo.context import DemoTown


def test_collection_is_paused_while_the_town_is_made_and_on_again_after(
        db: Database, collecting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(demo, "STEPS", [*demo.STEPS, lambda town: seen.append(gc.isenabled())])
    with db.transaction("演示数据") as s:
        fill_demo(s, persons=20)
    assert seen == [False]
    assert gc.isenabled()


def test_collection_is_on_again_after_a_failed_step(db: Database, collecting: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(town: DemoTown) -> None:
        raise RuntimeError("步骤失败")

    monkeypatch.setattr(demo, "STEPS", [*demo.STEPS, failing])
    with pytest.raises(RuntimeError, match="步骤失败"), db.transaction("演示数据") as s:
        fill_demo(s, persons=20)
    assert gc.isenabled()


def test_collection_paused_before_stays_paused(db: Database, collecting: None) -> None:
    gc.disable()
    with db.transaction("演示数据") as s:
        fill_demo(s, persons=20)
    assert not gc.isenabled()
