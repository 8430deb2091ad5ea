"""What the clerk does, as named service functions: each write owns one transaction of the store, with the
store's clerk as the audit's actor, and says which part of the data it changes; each read runs in one
session and returns plain values (frozen dataclasses), never mapped objects.

A service module writes the work as a function of a Session and marks it:

    @action(Changes.REGISTER)
    def join_household(session: Session, person_id: int, household_id: int) -> HouseholdView: ...

    @query
    def person_form(session: Session, person_id: int) -> PersonForm: ...

Callers (the window's road module, the command line, tests) then call it with the open store instead of a
session: ``register.join_household(db, person_id, household_id)``. Inside another service's transaction
the same work is ``join_household.in_session(session, …)``. Work that grows with the register is marked
``long=True``: the window runs it off the GUI thread with progress (ui/road.py refuses to run it on the
GUI thread), and it takes a ``progress`` keyword of the shape of :class:`Progress`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, Generic, ParamSpec, Protocol, TypeVar

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from app.db.engine import Database

P = ParamSpec("P")
R = TypeVar("R")


class Changes(enum.Flag):
    """Which part of the data a write changed: each screen refreshes only what concerns it."""

    NOTHING = 0
    REGISTER = enum.auto()  # persons, households, statuses, villages (残疾人登记)
    SUBSIDIES = enum.auto()  # applications, payments, policies, overpayments, the relief ledger (补贴资格)
    VISITS = enum.auto()  # campaigns and their lines (节日慰问)
    DEVICES = enum.auto()  # the catalogue, stock, issues and returns (康复器材)
    SETTINGS = enum.auto()  # 单位信息 and other settings
    COUNTY = enum.auto()  # the county's towns, their 上报包 and the 待核实 lines (县级汇总)
    ALL = REGISTER | SUBSIDIES | VISITS | DEVICES | SETTINGS | COUNTY


class Progress(Protocol):
    """How long work reports how far it is: progress(done, total, text) and progress.check() to stop
    where the clerk pressed 取消 (ui.tasks.Progress is one; the command line passes its own)."""

    def __call__(self, done: int, total: int, text: str = "") -> None: ...

    def check(self) -> None: ...


class Action(Generic[P, R]):
    """A write: the work runs in one transaction of the store (all of it or none), audited as the store's
    clerk. ``changes`` says what it changed; ``long`` that it grows with the register."""

    def __init__(self, work: Callable[Concatenate[Session, P], R], changes: Changes, long: bool) -> None:
        functools.update_wrapper(self, work)
        self.in_session = work
        self.changes = changes
        self.long = long

    def __call__(self, db: Database, *args: P.args, **kwargs: P.kwargs) -> R:
        with db.transaction() as session:
            return self.in_session(session, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<action {self.in_session.__module__}.{self.in_session.__qualname__}>"


class Query(Generic[P, R]):
    """A read: the work runs in one session that writes nothing (rolled back at the end)."""

    def __init__(self, work: Callable[Concatenate[Session, P], R], long: bool) -> None:
        functools.update_wrapper(self, work)
        self.in_session = work
        self.changes = Changes.NOTHING
        self.long = long

    def __call__(self, db: Database, *args: P.args, **kwargs: P.kwargs) -> R:
        with db.session() as session:
            session.info["read_only"] = True
            try:
                return self.in_session(session, *args, **kwargs)
            finally:
                session.rollback()

    def __repr__(self) -> str:
        return f"<query {self.in_session.__module__}.{self.in_session.__qualname__}>"


def action(changes: Changes, *, long: bool = False) -> Callable[[Callable[Concatenate[Session, P], R]], Action[P, R]]:
    """Mark a function of a Session as one of the clerk's writes (see the module's text)."""
    if changes == Changes.NOTHING:
        raise ValueError("a write changes something: name what (Changes.REGISTER, …)")

    def mark(work: Callable[Concatenate[Session, P], R]) -> Action[P, R]:
        return Action(work, changes, long)

    return mark


def query(work: Callable[Concatenate[Session, P], R]) -> Query[P, R]:
    """Mark a function of a Session as a read that returns plain values (see the module's text)."""
    return Query(work, long=False)


def long_query(work: Callable[Concatenate[Session, P], R]) -> Query[P, R]:
    """A read that grows with the register (a county's whole register, a report): off the GUI thread."""
    return Query(work, long=True)


class Job(Generic[P, R]):
    """Work on the whole store that keeps its own transactions: a roster import (one transaction and its
    rejection report), a backup, the USB export, a restore. Called with the store like an action."""

    def __init__(self, work: Callable[Concatenate[Database, P], R], changes: Changes, long: bool) -> None:
        functools.update_wrapper(self, work)
        self.work = work
        self.changes = changes
        self.long = long

    def __call__(self, db: Database, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.work(db, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<job {self.work.__module__}.{self.work.__qualname__}>"


def job(changes: Changes = Changes.NOTHING, *, long: bool = True
        ) -> Callable[[Callable[Concatenate[Database, P], R]], Job[P, R]]:
    """Mark a function of the store (see Job); long unless said otherwise."""

    def mark(work: Callable[Concatenate[Database, P], R]) -> Job[P, R]:
        return Job(work, changes, long)

    return mark
