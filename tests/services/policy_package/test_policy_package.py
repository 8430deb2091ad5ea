"""政策更新包 (issue 17, item 5): the county writes its standards and aids catalogue, signed with its key; a
town sees what would change in 政策设置 and accepts or cancels. Every refusal leaves the town's register
exactly as it was (every table compared row by row before and after)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from app.cli import main
from app.db.engine import Database, open_database
from app.db.models import AuditEntry
from app.domain.months import Month
from app.services.county.importing import accept_package
from app.services.devices.catalogue import catalogue_types
from app.services.policy_package.importing import (
    accept_policy_package,
    preview_policy_package,
    registered_county,
)
from app.services.policy_package.package import export_policy_package
from app.services.report_package.package import PackageRefused, export_report_package
from app.services.settings import read_unit_identity
from app.services.subsidies.policies import save_policy, versions
from tests.county_towns import LIVING, NEXT_YEAR, YEAR, make_county, make_town


@pytest.fixture
def county(tmp_path: Path) -> Iterator[Database]:
    db = make_county(tmp_path)
    yield db
    db.close()


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Database]:
    db = make_town(tmp_path, "银河乡", seed=7, persons=15)
    yield db
    db.close()


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the town: 'unchanged' means equal to this."""
    tables = inspect(db.engine).get_table_names()
    with db.session() as s:
        return {t: [tuple(r) for r in s.execute(text(f'select * from "{t}" order by 1'))] for t in tables}


def refused(town: Database, path: Path, match: str) -> None:
    before = snapshot(town)
    with pytest.raises(PackageRefused, match=match) as caught:
        accept_policy_package(town, path, register_key=True)
    assert "\n" not in str(caught.value)
    assert snapshot(town) == before


def test_the_preview_shows_each_standard_old_to_new_with_its_month_and_the_catalogue(
        county: Database, town: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path / "U盘")
    before = snapshot(town)
    preview = preview_policy_package(town, path)
    assert snapshot(town) == before  # looking changes nothing
    assert preview.first_package and preview.fingerprint == read_unit_identity(county).fingerprint
    lines = preview.lines()
    assert lines[0].startswith("金塔县残疾人联合会第1号政策更新包")
    assert (f"困难残疾人生活补贴 从{YEAR + 1}年1月起：低保一类户 100.00元 → 120.00元；低保二类户 100.00元 → 120.00元；"
            "低保三类户 50.00元 → 60.00元；低保四类户 50.00元 → 60.00元") in lines
    assert "器具目录 新增：助听器（耳背式）（听力，单位台）" in lines
    changed = [line for line in lines if line.startswith("器具目录 变更：")]
    assert len(changed) == 1 and "使用年限（月）" in changed[0] and "→ 72" in changed[0]
    assert len(lines) == 4  # the standards of 2019 the town has as well are not listed


def test_accepting_writes_the_change_in_one_go_with_audit_rows(
        county: Database, town: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path / "U盘")
    refused(town, tmp_path / "没有这个文件.zip", "找不到政策更新包")
    before = snapshot(town)
    with pytest.raises(PackageRefused, match="核对码 .* 未经确认"):
        accept_policy_package(town, path)
    assert snapshot(town) == before
    result = accept_policy_package(town, path, register_key=True)
    assert len(result.standards) == 1 and len(result.items) == 2
    living = versions(town, "living")
    assert (living[-1].effective, living[-1].rules) == (NEXT_YEAR, LIVING)
    assert "金塔县残疾人联合会第1号政策更新包" in living[-1].note and "甘民发〔2026〕9号" in living[-1].note
    assert living[0].effective == Month(2019, 1)  # what was in force before stays in the history
    names = {t.name: t for t in catalogue_types(town)}
    assert names["助听器（耳背式）"].needs_assessment
    assert registered_county(town) == ("金塔县残疾人联合会", read_unit_identity(county).fingerprint)
    with town.session() as s:
        audited = set(s.scalars(select(AuditEntry.entity).where(AuditEntry.id > len(before["audit_log"]))))
    assert {"policy_version", "device_type", "setting"} <= audited


def test_the_same_package_twice_changes_nothing(county: Database, town: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path / "U盘")
    accept_policy_package(town, path, register_key=True)
    before = snapshot(town)
    again = accept_policy_package(town, path)
    assert again.already and again.lines() == ["金塔县残疾人联合会第1号政策更新包（"
                                               f"{dt.date.today().isoformat()}生成）已导入过，未作任何改动。"]
    assert snapshot(town) == before


def test_a_tampered_byte_is_refused(county: Database, town: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path / "U盘")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "改过一个字节.zip"
    tampered.write_bytes(bytes(data))
    refused(town, tampered, "已损坏或不完整|签名与内容不符|与清单不符")


def test_a_changed_standard_fails_the_signed_manifest(county: Database, town: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path / "U盘")
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    policies = json.loads(files["policies.json"])
    policies[-1]["rules"]["default_fen"] = 1
    files["policies.json"] = json.dumps(policies).encode()
    changed = tmp_path / "改过标准.zip"
    with zipfile.ZipFile(changed, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    refused(town, changed, "policies.json 与清单不符")


def test_a_truncated_package_is_refused(county: Database, town: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path / "U盘")
    cut = tmp_path / "截断.zip"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    refused(town, cut, "已损坏或不完整（文件被截断或改动过）")


def test_a_package_signed_by_another_key_is_refused(county: Database, town: Database, tmp_path: Path) -> None:
    accept_policy_package(town, export_policy_package(county, tmp_path / "1"), register_key=True)
    impostor = make_county(tmp_path / "别处")  # the same county's name, a key of its own
    try:
        save_policy(impostor, "living", NEXT_YEAR.next(), LIVING)
        path = export_policy_package(impostor, tmp_path / "2")
    finally:
        impostor.close()
    refused(town, path, "签名密钥与本镇登记的县残联密钥不同")


def test_a_package_of_a_newer_schema_is_refused(county: Database, town: Database, tmp_path: Path) -> None:
    """Signed by the county's own key (so the signature holds) but made by a newer program."""
    from app.services import signing

    path = export_policy_package(county, tmp_path / "U盘")
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    manifest["schema"] = "9999_future"
    files["manifest.json"] = json.dumps(manifest).encode()
    with county.session() as s:
        files["manifest.sig"] = signing.sign(signing.signing_key(s), files["manifest.json"])
    newer = tmp_path / "新版本.zip"
    with zipfile.ZipFile(newer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    refused(town, newer, "由更新版本的残联工作台生成（数据结构 9999_future）")


def test_an_older_package_is_refused(county: Database, town: Database, tmp_path: Path) -> None:
    first = export_policy_package(county, tmp_path / "1")
    save_policy(county, "nursing", NEXT_YEAR, {"amounts_fen": {"1": {"1": 15000}}})
    second = export_policy_package(county, tmp_path / "2")
    accept_policy_package(town, second, register_key=True)
    refused(town, first, "第1号，本镇已导入第2号：较旧的包未导入")


def test_a_standard_from_a_month_already_paid_is_shown_and_not_taken(
        county: Database, town: Database, tmp_path: Path) -> None:
    """The town has paid this January under its own rules: the county's standard from then is listed as
    不采用 and left out; the rest of the package is taken."""
    save_policy(county, "living", Month(YEAR, 1), LIVING)
    path = export_policy_package(county, tmp_path)
    paid = versions(town, "living")
    lines = preview_policy_package(town, path).lines()
    assert any(line.startswith(f"不采用：困难残疾人生活补贴 从{YEAR}年1月起的标准（本镇") for line in lines)
    result = accept_policy_package(town, path, register_key=True)
    assert [c.effective for c in result.taken] == [NEXT_YEAR]
    assert [(v.effective, v.rules) for v in versions(town, "living")] == (
        [(v.effective, v.rules) for v in paid] + [(NEXT_YEAR, LIVING)])


def test_a_report_package_is_not_a_policy_package_and_the_county_takes_none(
        county: Database, town: Database, tmp_path: Path) -> None:
    report = export_report_package(town, tmp_path / "上报")
    refused(town, report, "不是政策更新包")
    policy = export_policy_package(county, tmp_path / "U盘")
    with pytest.raises(PackageRefused, match="不是乡镇的上报包"):
        accept_package(county, policy, register_key=True)
    with pytest.raises(PackageRefused, match="这是县残联的数据文件"):
        accept_policy_package(county, policy, register_key=True)


def test_from_month_sends_only_the_standards_from_that_month(county: Database, tmp_path: Path) -> None:
    path = export_policy_package(county, tmp_path, from_month=NEXT_YEAR)
    policies = json.loads(zipfile.ZipFile(path).read("policies.json"))
    assert [(p["programme"], p["effective_month"]) for p in policies] == [("living", f"{YEAR + 1}-01")]


def test_only_the_county_writes_one(town: Database, tmp_path: Path) -> None:
    from app.errors import InputError

    with pytest.raises(InputError, match="政策更新包由县残联生成"):
        export_policy_package(town, tmp_path)


def test_the_command_line_round_trip(county: Database, town: Database, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    county_file, town_file = str(county.path), str(town.path)
    county.close()
    town.close()
    assert main(["--db", county_file, "county", "policy-package", "--to", str(tmp_path / "U盘"),
                 "--from-month", f"{YEAR + 1}-01"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == f"政策更新包-金塔县-第1号-{dt.date.today().isoformat()}.zip"
    with open_database(town_file) as db:
        before = snapshot(db)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["--db", town_file, "import", "policy-package", str(path)]) == 2
    assert "政策更新包未导入" in capsys.readouterr().err
    with open_database(town_file) as db:
        assert snapshot(db) == before
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["--db", town_file, "import", "policy-package", str(path)]) == 0
    out = capsys.readouterr().out
    assert "县残联的核对码" in out and f"困难残疾人生活补贴 从{YEAR + 1}年1月起" in out
    assert out.strip().splitlines()[-1] == "已采用金塔县残疾人联合会第1号政策更新包：补贴标准1项，器具目录2项"
    assert main(["--db", town_file, "import", "policy-package", str(path)]) == 0
    assert "已导入过，未作任何改动" in capsys.readouterr().out


def test_a_town_on_either_store_takes_it_and_keeps_the_county_key(
        county: Database, db: Database, tmp_path: Path) -> None:
    """A town's register on SQLite and on the county's PostgreSQL server alike (db is each in turn)."""
    first = export_policy_package(county, tmp_path / "1")
    result = accept_policy_package(db, first, register_key=True)
    assert [c.effective for c in result.taken] == [NEXT_YEAR] and len(result.items) == 2
    assert versions(db, "living")[-1].rules == LIVING
    assert {t.name for t in catalogue_types(db)} >= {"助听器（耳背式）"}
    save_policy(county, "living", NEXT_YEAR.next(6), LIVING | {"low_income_fen": 6000})
    second = export_policy_package(county, tmp_path / "2")
    assert not preview_policy_package(db, second).first_package  # the key is registered now
    accept_policy_package(db, second)
    assert [v.effective for v in versions(db, "living")][-2:] == [NEXT_YEAR, NEXT_YEAR.next(6)]
    refused(db, first, "较旧的包未导入")
