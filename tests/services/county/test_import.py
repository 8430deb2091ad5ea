"""导入上报包 (issue 17): every refusal leaves the county's register exactly as it was; what is taken is
merged once, and what changed since the town's last package is told one line per kind."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.cli import main
from app.db.engine import Database, open_database
from app.db.models import CountyPayment, CountyPerson, CountyTown, Person, StatusChange, SubsidyPayment
from app.services import signing
from app.services.county.importing import accept_package, preview_package
from app.services.report_package.package import PackageRefused, export_report_package
from tests.county_towns import make_town

COUNTY_TABLES = ("county_town", "county_package", "county_person", "county_household", "county_status_change",
                 "county_payment", "county_record", "county_check", "setting", "audit_log")


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Database]:
    db = make_town(tmp_path, "银河乡", seed=7)
    yield db
    db.close()


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "县残联.db")
    yield db
    db.close()


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the county's tables, settings and audit: 'unchanged' means equal to this."""
    with db.session() as s:
        return {table: [tuple(row) for row in s.execute(text(f"select * from {table} order by 1"))]
                for table in COUNTY_TABLES}


def refused(county: Database, path: Path, match: str, **kwargs: bool) -> None:
    before = snapshot(county)
    with pytest.raises(PackageRefused, match=match) as caught:
        accept_package(county, path, register_key=True, **kwargs)
    assert "\n" not in str(caught.value)  # one line
    assert snapshot(county) == before


def rewrite(path: Path, out: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files.update(change)
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out


def test_the_first_package_registers_the_town_and_merges_its_register(
        town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path / "U盘")
    preview = preview_package(county, path)
    assert preview.first_package and preview.fingerprint == signing.fingerprint(
        json.loads(zipfile.ZipFile(path).read("manifest.json"))["public_key"])
    result = accept_package(county, path, register_key=True)
    with town.session() as s:
        persons = s.scalar(select(func.count()).select_from(Person))
        paid = s.scalar(select(func.sum(SubsidyPayment.amount_fen)))
        dead = s.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.status == "死亡"))
    with county.session() as s:
        assert s.scalar(select(func.count()).select_from(CountyPerson)) == persons
        assert s.scalar(select(func.sum(CountyPayment.amount_fen))) == paid
        registered = s.scalars(select(CountyTown)).one()
        assert (registered.name, registered.last_sequence) == ("银河乡", 1)
    lines = result.lines()
    assert lines[1] == f"新增 {persons}人" and f"死亡 {dead}人" in lines


def test_a_first_package_without_the_fingerprint_confirmed_is_refused(
        town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path)
    before = snapshot(county)
    with pytest.raises(PackageRefused, match="核对码 .* 未经确认：未导入"):
        accept_package(county, path)
    assert snapshot(county) == before


def test_a_tampered_byte_is_refused_in_one_line(town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "改过一个字节.zip"
    tampered.write_bytes(bytes(data))
    refused(county, tampered, "已损坏或不完整|签名与内容不符|与清单不符")


def test_a_truncated_package_is_refused(town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path)
    cut = tmp_path / "截断.zip"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    refused(county, cut, "已损坏或不完整（文件被截断或改动过）")


def test_a_changed_manifest_fails_its_signature(town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path)
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    manifest["sequence"] = 99
    changed = rewrite(path, tmp_path / "改过清单.zip", {"manifest.json": json.dumps(manifest).encode()})
    refused(county, changed, "签名与内容不符")


def test_a_changed_part_differs_from_the_signed_manifest(town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path)
    payments = json.loads(zipfile.ZipFile(path).read("payments.json"))
    payments[0]["amount_fen"] += 100
    changed = rewrite(path, tmp_path / "改过发放.zip", {"payments.json": json.dumps(payments).encode()})
    refused(county, changed, "payments.json 与清单不符")


def test_a_package_signed_by_another_key_is_refused(town: Database, county: Database, tmp_path: Path) -> None:
    accept_package(county, export_report_package(town, tmp_path / "1"), register_key=True)
    impostor = make_town(tmp_path / "别处", "银河乡", seed=7)  # same town and code, its own key
    try:
        path = export_report_package(impostor, tmp_path / "2")
    finally:
        impostor.close()
    refused(county, path, "签名密钥与县里登记的不同")


def test_an_older_package_is_refused_unless_forced(town: Database, county: Database, tmp_path: Path) -> None:
    first = export_report_package(town, tmp_path, as_of=dt.date.today() - dt.timedelta(days=60))
    second = export_report_package(town, tmp_path)
    accept_package(county, second, register_key=True)
    refused(county, first, "第1号，县里已导入第2号")
    forced = accept_package(county, first, force=True)
    assert not forced.preview.already


def test_the_same_package_twice_changes_nothing(town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path)
    accept_package(county, path, register_key=True)
    before = snapshot(county)
    again = accept_package(county, path)
    assert again.lines() == ["银河乡的第1号上报包已导入过，未作任何改动。"]
    assert snapshot(county) == before


def test_a_package_of_a_newer_schema_is_refused(town: Database, county: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path)
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    manifest["schema"] = "0099_future"
    body = json.dumps(manifest).encode()
    key = signing.load_key(town.identity)
    assert key is not None
    newer = rewrite(path, tmp_path / "新版本.zip", {"manifest.json": body, "manifest.sig": signing.sign(key, body)})
    refused(county, newer, "由更新版本的残联工作台生成（数据结构 0099_future）")


def test_a_towns_own_register_takes_no_package(town: Database, tmp_path: Path) -> None:
    other = make_town(tmp_path / "二", "金塔镇", seed=3)
    try:
        path = export_report_package(other, tmp_path)
    finally:
        other.close()
    refused(town, path, "这是乡镇的登记册")


def test_the_second_package_tells_what_changed_since_the_first(
        town: Database, county: Database, tmp_path: Path) -> None:
    accept_package(county, export_report_package(town, tmp_path / "1"), register_key=True)
    with town.transaction() as s:
        person = s.scalars(select(Person).where(Person.status == "在册").order_by(Person.id)).first()
        assert person is not None
        person.grade, person.phone = (2 if person.grade != 2 else 3), "13900000000"
        gone = s.scalars(select(Person).where(Person.status == "在册", Person.id != person.id)
                         .order_by(Person.id)).first()
        assert gone is not None
        from app.services.register.status_changes import change_status
        change_status(s, gone, "迁出", dt.date.today(), "迁往金塔镇")
        name = person.name
    preview = preview_package(county, export_report_package(town, tmp_path / "2"))
    assert (preview.added, preview.changed_persons, preview.moved_out, preview.dead) == (0, 1, 1, 0)
    assert {(c.person, c.field) for c in preview.field_changes} == {(name, "残疾等级"), (name, "联系电话")}
    grade = next(c for c in preview.field_changes if c.field == "残疾等级")
    assert grade.new in ("二级", "三级") and grade.old.endswith("级")  # in the clerk's words
    assert "变更 1人：" in preview.lines()[2] and "残疾等级1处" in preview.lines()[2]


def test_cli_asks_for_the_fingerprint_then_prints_one_line_per_kind(
        town: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = export_report_package(town, tmp_path)
    county_file = str(tmp_path / "县.db")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("\n"))
    assert main(["--db", county_file, "county", "import", str(path)]) == 2
    assert "未登记银河乡的公钥，上报包未导入。" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("y\n"))
    assert main(["--db", county_file, "county", "import", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("首次收到银河乡（区划代码 620921") and "核对码：" in out[0]
    kinds = [line.split(" ")[0] for line in out[3:]]
    assert kinds == ["新增", "变更", "迁出", "死亡", "恢复", "发放", "待核实"]
    assert main(["--db", county_file, "county", "import", str(path)]) == 0
    assert capsys.readouterr().out == "银河乡的第1号上报包已导入过，未作任何改动。\n"
