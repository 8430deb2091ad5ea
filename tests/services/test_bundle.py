import datetime as dt
import errno
import json
import re
from pathlib import Path

import pytest

from app.cli import main
from app.db.engine import Database
from app.errors import InputError
from app.reports import KINDS
from app.services import bundle
from app.services.backup import check_backup
from app.services.bundle import LISTING, MANIFEST, PARTIAL, STICK_FAILED, export_bundle, sha256, verify_bundle
from app.services.demo import fill_demo

YEAR = dt.date.today().year - 1


@pytest.fixture
def town(db: Database) -> Database:
    with db.transaction("演示数据") as s:
        fill_demo(s, year=YEAR, persons=40, seed=4)
    return db


@pytest.fixture
def exported(town: Database, tmp_path: Path) -> Path:
    return export_bundle(town, tmp_path / "U盘", YEAR)


def test_one_dated_folder_with_everything_and_a_manifest(exported: Path, town: Database) -> None:
    assert re.fullmatch(rf"残联工作台导出-金塔镇-{YEAR}-\d{{8}}-\d{{6}}", exported.name)
    assert [p.name for p in exported.parent.iterdir()] == [exported.name]  # no temporary folder left
    manifest = json.loads((exported / MANIFEST).read_text(encoding="utf-8"))
    names = [f["file"] for f in manifest["files"]]
    for expected in (f"{YEAR}年度工作统计.pdf", f"{YEAR}年度工作统计.xlsx", "残疾人花名册.pdf",
                     "残疾人登记表（可导入）.xlsx", LISTING):
        assert expected in names
    backups = [n for n in names if n.startswith("canlian-备份-")]
    assert len(backups) == 1 and check_backup(exported / backups[0])
    for entry in manifest["files"]:
        path = exported / entry["file"]
        assert entry["size"] == path.stat().st_size and entry["sha256"] == sha256(path)
    assert manifest["year"] == YEAR and manifest["town"] == "金塔镇" and manifest["schema"] and manifest["version"]
    missing = {m["report"].split("（")[0] for m in manifest["not_available"]}
    assert missing >= {k.label for k in KINDS.values() if k.module is None}
    assert "核对方法" in (exported / LISTING).read_text(encoding="utf-8")
    assert verify_bundle(exported) == []


def test_the_county_catches_a_changed_missing_or_added_file(exported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "verify", str(exported)]) == 0
    assert capsys.readouterr().out.strip() == "ok"
    pdf = exported / f"{YEAR}年度工作统计.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pdf.write_bytes(bytes(data))
    (exported / "残疾人花名册.pdf").unlink()
    (exported / "随手放的.txt").write_text("x", encoding="utf-8")
    assert verify_bundle(exported) == [f"文件内容不一致：{YEAR}年度工作统计.pdf", "缺少文件：残疾人花名册.pdf",
                                       "多出文件：随手放的.txt"]
    assert main(["export", "verify", str(exported)]) == 2
    assert f"文件内容不一致：{YEAR}年度工作统计.pdf" in capsys.readouterr().out


def test_no_manifest_or_a_damaged_one(tmp_path: Path) -> None:
    assert verify_bundle(tmp_path / "没有") == [f"找不到文件夹：{tmp_path / '没有'}"]
    folder = tmp_path / "导出"
    folder.mkdir()
    assert verify_bundle(folder) == [f"缺少清单文件：{MANIFEST}"]
    (folder / MANIFEST).write_text("{半截", encoding="utf-8")
    assert verify_bundle(folder) == [f"清单文件已损坏：{MANIFEST}"]


def test_a_full_stick_leaves_no_folder_that_looks_complete(
    town: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "U盘"

    def full(*_a: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle, "export_persons", full)
    with pytest.raises(InputError) as caught:
        export_bundle(town, usb, YEAR)
    assert str(caught.value) == STICK_FAILED
    assert list(usb.iterdir()) == []


def test_a_stick_pulled_out_during_the_backup(town: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usb = tmp_path / "U盘"

    def gone(_db: Database, folder: Path) -> Path:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(bundle, "backup_database", gone)
    with pytest.raises(InputError, match="已拔出"):
        export_bundle(town, usb, YEAR)
    assert list(usb.iterdir()) == []


def test_a_folder_left_by_a_cut_off_export_is_swept_and_never_passes(town: Database, tmp_path: Path) -> None:
    usb = tmp_path / "U盘"
    stale = usb / f".残联工作台导出-金塔镇-{YEAR}-20260101-000000{PARTIAL}"
    stale.mkdir(parents=True)
    (stale / "半截.pdf").write_bytes(b"%PDF-1.4")
    assert verify_bundle(stale) == [f"导出未完成：{stale.name}（请重新导出）"]
    done = export_bundle(town, usb, YEAR)
    assert sorted(p.name for p in usb.iterdir()) == [done.name]


def test_cli_bundle_prints_the_folder(town: Database, db_path: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    town.close()
    assert main(["--db", str(db_path), "export", "bundle", "--to", str(tmp_path / "U盘"), "--year", str(YEAR)]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert folder.parent == tmp_path / "U盘" and verify_bundle(folder) == []
