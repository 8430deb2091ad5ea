import datetime as dt
import errno
import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
import pyzipper

from app.cli import main
from app.db.engine import Database
from app.demo import fill_demo
from app.errors import InputError
from app.reports import KINDS
from app.services.backup import bundle, bundle_database
from app.services.backup.bundle import (
    LISTING,
    MANIFEST,
    NOTE,
    PARTIAL,
    STICK_FAILED,
    export_bundle,
    sha256,
    verify_bundle,
)
from app.services.backup.copies import check_backup

YEAR = dt.date.today().year - 1
PASSWORD = "县残联2026年报"


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
    assert not [n for n in names if n.endswith((".db", ".zip"))]  # no database copy unless asked for
    assert "没有数据库副本" in (exported / NOTE).read_text(encoding="utf-8")
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


@pytest.mark.parametrize("store", ["sqlite"])  # the database copy: a file only
def test_a_stick_pulled_out_during_the_database_copy(
    town: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "U盘"

    def gone(_db: Database, folder: Path, _password: str) -> Path:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(bundle_database, "write_encrypted_copy", gone)
    with pytest.raises(InputError, match="已拔出"):
        export_bundle(town, usb, YEAR, database_password=PASSWORD)
    assert list(usb.iterdir()) == []


@pytest.mark.parametrize("store", ["sqlite"])  # a copy of the database file: a server has none (below)
def test_the_database_copy_is_in_only_when_asked_and_then_aes256_encrypted(
    town: Database, tmp_path: Path
) -> None:
    folder = export_bundle(town, tmp_path / "U盘", YEAR, database_password=PASSWORD)
    [packed] = folder.glob("数据库副本（加密）-*.zip")
    assert not list(folder.glob("*.db")) and verify_bundle(folder) == []
    with zipfile.ZipFile(packed) as plain_zip:  # what an ordinary unzip sees: names, but no content
        [entry] = plain_zip.infolist()
        assert entry.flag_bits & 1 and entry.compress_type == 99  # encrypted, WinZip AES
        with pytest.raises((RuntimeError, NotImplementedError)):
            plain_zip.read(entry)
    with pyzipper.AESZipFile(packed) as aes:
        aes.setpassword(b"wrong password")
        with pytest.raises(RuntimeError):
            aes.read(entry.filename)
        aes.setpassword(PASSWORD.encode())
        aes.extract(entry.filename, tmp_path / "县里")
    restored = tmp_path / "县里" / entry.filename
    assert check_backup(restored)
    with sqlite3.connect(restored) as conn:
        assert conn.execute("select count(*) from person").fetchone()[0] == _persons(town)
    conn.close()
    note = (folder / NOTE).read_text(encoding="utf-8")
    assert "AES-256" in note and "7-Zip" in note and "WinRAR" in note and "资源管理器”不能打开" in note
    assert PASSWORD not in note and not list(town.path.parent.glob(".导出临时-*"))


@pytest.mark.parametrize("store", ["sqlite"])  # a copy of the database file: a server has none (below)
def test_verify_catches_a_database_copy_that_is_not_encrypted(town: Database, tmp_path: Path) -> None:
    folder = export_bundle(town, tmp_path / "U盘", YEAR, database_password=PASSWORD)
    [packed] = folder.glob("数据库副本（加密）-*.zip")
    with zipfile.ZipFile(packed, "w") as swapped:  # someone put a plain copy in its place, and fixed the manifest
        swapped.writestr("canlian.db", b"plain")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["file"] == packed.name:
            entry.update(size=packed.stat().st_size, sha256=sha256(packed))
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert verify_bundle(folder) == [f"数据库副本没有用AES-256加密：{packed.name}"]


@pytest.mark.parametrize("store", ["sqlite"])  # a copy of the database file: a server has none (below)
@pytest.mark.skipif(shutil.which("7z") is None, reason="7-Zip is not installed here")
def test_seven_zip_opens_the_encrypted_copy(town: Database, tmp_path: Path) -> None:
    folder = export_bundle(town, tmp_path / "U盘", YEAR, database_password=PASSWORD)
    [packed] = folder.glob("数据库副本（加密）-*.zip")
    out = tmp_path / "7z"
    listing = subprocess.run(["7z", "l", "-slt", str(packed)], capture_output=True, text=True, check=True).stdout
    assert "Method = AES-256 Deflate" in listing
    subprocess.run(["7z", "x", f"-p{PASSWORD}", f"-o{out}", str(packed)], capture_output=True, check=True)
    [db_file] = out.iterdir()
    assert check_backup(db_file)


@pytest.mark.parametrize("store", ["postgresql"])
def test_on_a_server_the_database_copy_is_refused_before_the_stick_is_written(town: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="单位数据库在服务器上"):
        export_bundle(town, tmp_path / "U盘", YEAR, database_password=PASSWORD)
    assert not (tmp_path / "U盘").exists()


def _persons(db: Database) -> int:
    with sqlite3.connect(db.path) as conn:
        count = int(conn.execute("select count(*) from person").fetchone()[0])
    conn.close()
    return count


@pytest.mark.parametrize(("typed", "said"), [(["甲乙丙丁12345", "甲乙丙丁12346"], "两次输入的密码不一致"),
                                             (["short", "short"], "至少要8个字符")])
def test_cli_reads_the_password_twice(
    town: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], typed: list[str], said: str,
) -> None:
    town.close()
    answers = iter(typed)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(answers))
    usb = tmp_path / "U盘"
    argv = ["--db", str(db_path), "export", "bundle", "--to", str(usb), "--year", str(YEAR), "--with-database"]
    assert main(argv) == 2
    assert said in capsys.readouterr().err and not usb.exists()
    answers = iter([PASSWORD, PASSWORD])
    assert main(argv) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert len(list(folder.glob("数据库副本（加密）-*.zip"))) == 1


def test_cli_password_for_scripts(
    town: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    town.close()
    monkeypatch.setenv("CANLIAN_BUNDLE_PASSWORD", PASSWORD)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": pytest.fail("asked for a password"))
    usb = tmp_path / "U盘"
    assert main(["--db", str(db_path), "export", "bundle", "--to", str(usb), "--year", str(YEAR),
                 "--with-database"]) == 0
    [packed] = Path(capsys.readouterr().out.strip()).glob("*.zip")
    with pyzipper.AESZipFile(packed) as aes:
        aes.setpassword(PASSWORD.encode())
        assert aes.testzip() is None
    assert main(["--db", str(db_path), "export", "bundle", "--to", str(usb), "--year", str(YEAR)]) == 0
    assert not list(Path(capsys.readouterr().out.strip()).glob("*.zip"))  # without the option: no copy


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


class _Seen:
    """A progress that keeps what it was told (the window's progress box gets the same calls)."""

    def __init__(self) -> None:
        self.told: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, text: str = "") -> None:
        self.told.append((done, total, text))

    def check(self) -> None:
        return None


def test_the_export_says_each_form_as_it_writes_it(town: Database, tmp_path: Path) -> None:
    seen = _Seen()
    folder = export_bundle(town, tmp_path / "U盘", YEAR, progress=seen)
    counted = [(done, total, text) for done, total, text in seen.told if total]
    total = counted[0][1]
    assert [done for done, _, _ in counted] == list(range(total)) and {t for _, t, _ in counted} == {total}
    assert counted[0][2] == f"正在写{YEAR}年度工作统计……" and "正在写残疾人花名册……" in [c[2] for c in counted]
    written = {p.stem for p in folder.iterdir()}
    assert {text.removeprefix("正在写").removesuffix("……") for _, _, text in counted} <= written
    assert seen.told[-1] == (0, 0, "正在写清单并逐个读回核对……")
