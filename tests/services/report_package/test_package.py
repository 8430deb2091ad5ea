"""生成上报包 (issue 17): one signed zip of the town's register as of a day, written whole or not at all."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db.engine import Database
from app.db.models import Person, StatusChange, SubsidyPayment
from app.errors import InputError
from app.services import signing
from app.services.report_package import package
from app.services.report_package.contents import BANK_ACCOUNTS
from app.services.report_package.package import export_report_package, read_package
from app.services.settings import read_unit_identity, set_setting
from tests.county_towns import make_town


@pytest.fixture
def town(tmp_path: Path) -> Database:
    db = make_town(tmp_path, "银河乡", seed=7)
    yield db
    db.close()


def test_one_signed_file_with_every_part_in_the_manifest(town: Database, tmp_path: Path) -> None:
    path = export_report_package(town, tmp_path / "U盘")
    identity = read_unit_identity(town)
    assert path.name == f"上报包-银河乡-{identity.code}-第1号-{dt.date.today().isoformat()}.zip"
    assert list(path.parent.iterdir()) == [path]  # no temporary file left beside it
    with zipfile.ZipFile(path) as archive:
        raw = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(raw["manifest.json"])
    assert (manifest["town"], manifest["code"], manifest["sequence"]) == ("银河乡", identity.code, 1)
    assert manifest["public_key"] == identity.public_key and manifest["schema"]
    assert signing.verify(identity.public_key, raw["manifest.sig"], raw["manifest.json"])
    named = {e["file"]: e["sha256"] for e in manifest["parts"]}
    assert set(named) == set(raw) - {"manifest.json", "manifest.sig"}
    assert {"persons.json", "households.json", "status_changes.json", "payments.json", "devices_issued.json",
            "visits.json", "summaries.json", "unit.json"} == set(named)
    assert all(hashlib.sha256(raw[name]).hexdigest() == digest for name, digest in named.items())


def test_the_parts_hold_the_register_as_stored(town: Database, tmp_path: Path) -> None:
    read = read_package(export_report_package(town, tmp_path))
    with town.session() as s:
        persons = s.scalar(select(func.count()).select_from(Person))
        changes = s.scalar(select(func.count()).select_from(StatusChange))
        paid = s.scalar(select(func.sum(SubsidyPayment.amount_fen)))
    assert len(read.parts["persons.json"]) == persons
    assert len(read.parts["status_changes.json"]) == changes
    assert sum(p["amount_fen"] for p in read.parts["payments.json"]) == paid
    assert read.parts["summaries.json"][str(dt.date.today().year)]["registered"] == sum(
        1 for p in read.parts["persons.json"] if p["status"] == "在册")


def test_no_bank_account_numbers_unless_the_county_asks(town: Database, tmp_path: Path) -> None:
    first = read_package(export_report_package(town, tmp_path / "1"))
    assert all("bank_account" not in p for p in first.parts["persons.json"])
    with town.transaction() as s:
        set_setting(s, BANK_ACCOUNTS, "是")
    second = read_package(export_report_package(town, tmp_path / "2"))
    assert any(p["bank_account"] for p in second.parts["persons.json"])


def test_as_of_an_earlier_day_leaves_out_what_came_later(town: Database, tmp_path: Path) -> None:
    day = dt.date(dt.date.today().year - 1, 6, 30)
    read = read_package(export_report_package(town, tmp_path, as_of=day))
    assert read.as_of == day
    assert all(dt.date.fromisoformat(c["date"]) <= day for c in read.parts["status_changes.json"])
    assert all(dt.date.fromisoformat(p["month"]) <= day for p in read.parts["payments.json"])
    assert max(int(year) for year in read.parts["summaries.json"]) == day.year


def test_each_package_takes_the_next_number(town: Database, tmp_path: Path) -> None:
    assert read_package(export_report_package(town, tmp_path)).sequence == 1
    assert read_package(export_report_package(town, tmp_path)).sequence == 2


def test_a_full_stick_leaves_no_package_and_uses_no_number(
        town: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path, files: dict[str, bytes]) -> None:
        path.write_bytes(b"PK")
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(InputError, match="上报包没有写成"):
        patched.setattr(package, "_write_zip", full)
        export_report_package(town, tmp_path / "U盘")
    assert list((tmp_path / "U盘").iterdir()) == []
    assert read_package(export_report_package(town, tmp_path / "U盘")).sequence == 1


def test_a_town_without_its_region_code_is_told_to_enter_it(db: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="区划代码"):
        export_report_package(db, tmp_path)


def test_cli_prints_the_package_path(town: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = town.path
    town.close()
    assert main(["--db", str(path), "export", "report-package", "--to", str(tmp_path / "out"),
                 "--as-of", "2025-12-31"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.endswith("-第1号-2025-12-31.zip") and Path(printed).is_file()


def test_any_byte_changed_in_the_compressed_parts_is_refused_in_one_sentence(town: Database, tmp_path: Path) -> None:
    """A byte changed inside a compressed part may break the deflate stream itself (zlib.error, which is
    none of zipfile's own errors): that is a damaged package too, never a crash. The one change that is no
    damage: bits of a stream's last byte that deflate leaves unused (the padding after its end) — every part
    then reads back byte for byte as written, and only then may the package be taken."""
    path = export_report_package(town, tmp_path / "U盘")
    data = path.read_bytes()
    changed = tmp_path / "改过.zip"
    refused = 0
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        written = {name: archive.read(name) for name in archive.namelist()}
    for info in infos:  # into the middle of each part's compressed bytes, several places each
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for at in range(start, start + info.compress_size, max(1, info.compress_size // 12)):
            damaged = bytearray(data)
            damaged[at] ^= 0x55
            changed.write_bytes(bytes(damaged))
            try:
                read_package(changed)
            except package.PackageRefused:
                refused += 1
                continue
            assert at == start + info.compress_size - 1, (info.filename, at - start)  # the stream's last byte
            with zipfile.ZipFile(changed) as archive:
                assert {name: archive.read(name) for name in archive.namelist()} == written
    assert refused > 50
