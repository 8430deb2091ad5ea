"""Every flush leaves audit rows (who, when, which field, before and after); deleting is refused. Rows
written in bulk (a roster import) leave the same rows through record_added."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from app.db.models import AuditEntry, now

_CHUNK = 5000  # rows per executemany
_SKIP = {"created_at", "updated_at", "initials", "pinyin", "recorded_at", "version"}  # version: a counter


def _text(value: Any) -> str | None:
    if type(value) is str:  # most values (str() of a str is itself), first
        return value
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.date, Decimal, int)):
        return str(value)
    return str(value)


def _identity(obj: Any) -> tuple[int, str]:
    """The row's number for entity_id, and for a row keyed by name (a setting) that name, since entity_id
    holds numbers only."""
    state = inspect(obj)
    key = state.identity[0] if state.identity else getattr(obj, "id", None)
    if isinstance(key, int):
        return key, ""
    return 0, str(key or "")


def _actor(session: Session) -> str:
    actor = str(session.info.get("actor", ""))
    if not actor:  # Database.transaction always names one: a session made by hand must say who works
        raise RuntimeError("every change is audited with who made it: use Database.transaction()")
    return actor


def _rows_for(session: Session) -> list[dict[str, Any]]:
    actor = _actor(session)
    stamp = now()
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, AuditEntry):
            continue
        entity_id, name = _identity(obj)
        rows.append(
            dict(at=stamp, actor=actor, entity=type(obj).__tablename__, entity_id=entity_id,
                 action="新增", field=name, old_value=None, new_value=_describe(obj))
        )
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        entity_id, name = _identity(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in _SKIP:
                continue
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _text(old) == _text(new):
                continue
            rows.append(
                dict(at=stamp, actor=actor, entity=type(obj).__tablename__, entity_id=entity_id,
                     action="修改", field=f"{name}.{attr.key}" if name else attr.key, old_value=_text(old),
                     new_value=_text(new))
            )
    return rows


def _describe(obj: Any) -> str:
    return describe(type(obj), lambda key: getattr(obj, key))


_DESCRIBED: dict[type[Any], tuple[str, ...]] = {}  # a mapped class's audited columns, found once


def _described(mapped: type[Any]) -> tuple[str, ...]:
    found = _DESCRIBED.get(mapped)
    if found is None:
        found = _DESCRIBED[mapped] = tuple(
            a.key for a in inspect(mapped).column_attrs if a.key not in _SKIP and a.key != "id")
    return found


def describe(mapped: type[Any], value_of: Callable[[str], Any]) -> str:
    """What a 新增 audit row says of a new row: each column that holds something, in the table's order."""
    return "; ".join([f"{key}={_text(value)}" for key in _described(mapped)
                      if (value := value_of(key)) not in _NOTHING])


_NOTHING = (None, "", False)  # not described (0 and 0.0 neither: they equal False)
NOTHING = _NOTHING  # for app.services.register.bulk_sqlite, which makes the same text its own quicker way
audit_text = _text
described_columns = _described


def added_rows(session: Session, mapped: type[Any], rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The 新增 audit rows of rows written in bulk (a Core insert, which no flush sees), one per row as a
    flush would have written them, as the session's clerk; each row holds its id and every column."""
    actor = _actor(session)
    stamp = now()
    entity = mapped.__tablename__
    return [dict(at=stamp, actor=actor, entity=entity, entity_id=row["id"], action="新增", field="", old_value=None,
                 new_value=describe(mapped, row.__getitem__)) for row in rows]


def record_added(session: Session, mapped: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Write added_rows (app.services.register.bulk_sqlite writes the same rows through SQLite's driver)."""
    audit = added_rows(session, mapped, rows)
    for start in range(0, len(audit), _CHUNK):
        session.execute(insert(AuditEntry.__table__), audit[start:start + _CHUNK])
    _count(session, len(audit))


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.deleted:
        raise RuntimeError("nothing is hard-deleted: change a status instead")
    if session.info.get("read_only") and (session.new or session.dirty):
        raise RuntimeError("a read (app.services.actions.query) writes nothing: make it an action")


def counted(session: Session, rows: int) -> None:
    """Audit rows written by other means than a flush or record_added: counted as _count does."""
    _count(session, rows)


def _count(session: Session, rows: int) -> None:
    """How many audit rows this session wrote: the store counts them once committed, so the window tells
    its own writes from another clerk's (app.services.watch)."""
    session.info[AUDITED] = session.info.get(AUDITED, 0) + rows


AUDITED = "audited_rows"  # a session's info key: audit rows it wrote


def _after_flush(session: Session, _ctx: Any) -> None:
    rows = _rows_for(session)
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)
        _count(session, len(rows))


def install() -> None:
    """Hook the audit onto every Session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
