from app.db.engine import Database
from app.services.settings import UnitInfo, save_unit_info, unit_info


def test_unit_info_round_trip(db: Database) -> None:
    with db.transaction() as s:
        assert unit_info(s) == UnitInfo()
        save_unit_info(s, UnitInfo(town="金塔镇", clerk="李明 "))
    with db.session() as s:
        info = unit_info(s)
        assert info.clerk == "李明" and info.unit_name == "金塔镇残疾人联合会"
