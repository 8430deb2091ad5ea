"""The audit: every change leaves a row naming what changed, whatever the row's key."""

from __future__ import annotations

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import AuditEntry
from app.services.settings import UnitInfo, save_unit_info, unit_info


def test_unit_information_saved_twice_is_audited_by_its_key(db: Database) -> None:
    """单位信息 is kept by name (unit.town), not by number: saving it a second time used to fail."""
    with db.transaction("李红梅") as s:
        save_unit_info(s, UnitInfo(town="金塔镇", office="金塔镇残疾人联合会"))
    with db.transaction("李红梅") as s:
        save_unit_info(s, UnitInfo(town="鼎新镇", office="鼎新镇残疾人联合会"))
    with db.session() as s:
        assert unit_info(s).town == "鼎新镇"
        changed = s.scalars(select(AuditEntry).where(AuditEntry.entity == "setting",
                                                     AuditEntry.action == "修改")).all()
    town = [row for row in changed if row.field == "unit.town.value"]
    assert [(row.old_value, row.new_value, row.actor, row.entity_id) for row in town] == [
        ("金塔镇", "鼎新镇", "李红梅", 0)]
