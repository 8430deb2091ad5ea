"""Who receives: the register's own search as the device dialogs' person picker reads it (name, pinyin
initials, ID digits, village; persons on the register first). The rows are the register's PersonRow."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.words import PersonStatus
from app.services.actions import query
from app.services.register import search
from app.services.register.search import PersonFilter, PersonRow

LIMIT = 50  # a picker's list: enough to find someone by a common surname, short enough to read


@query
def find_recipients(session: Session, text: str, *, limit: int = LIMIT) -> list[PersonRow]:
    """The persons a search text finds, on the register first."""
    return search.search(session, text, limit=limit)


@query
def recipient(session: Session, person_id: int) -> PersonRow | None:
    """One person as the picker shows them (opened from the register or a history line)."""
    rows = search.rows_by_ids(session, [person_id])
    return rows[0] if rows else None


@query
def someone_on_register(session: Session, category: int, grade: int | None = None) -> int | None:
    """The first person on the register of a category (and grade): whom the screenshots issue to."""
    ids = search.matching_ids(session, PersonFilter(status=PersonStatus.ON_REGISTER, category=category, grade=grade),
                              limit=1)
    return ids[0] if ids else None
