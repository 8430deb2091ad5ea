"""The register as it stands now (the window's status bar): persons in each status, checked against an
independent count in plain SQL on the demo town."""

from __future__ import annotations

from sqlalchemy import text

from app.db.engine import Database
from app.domain.words import PersonStatus
from app.services.summary.current import persons_by_status


def test_persons_in_each_status_agree_with_plain_sql(demo_db: Database) -> None:
    counted = persons_by_status(demo_db)
    with demo_db.engine.connect() as conn:  # plain SQL on either store, not the service's query
        plain = dict(conn.execute(text("select status, count(*) from person group by status")).all())
    assert list(counted) == list(PersonStatus)  # every status, in the clerk's order
    assert counted == {status: plain.get(str(status), 0) for status in PersonStatus}
    assert counted[PersonStatus.ON_REGISTER] == 345 and sum(counted.values()) == sum(plain.values())


def test_an_empty_register_counts_nobody(db: Database) -> None:
    assert persons_by_status(db) == dict.fromkeys(PersonStatus, 0)
