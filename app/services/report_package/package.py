"""The town's 上报包 (`canlian export report-package`, 文件 → 生成上报包): one zip file holding the register as
it stood on a day (app.services.report_package.contents), the unit's identity, a sequence number, the
program and schema version, and manifest.json with the size and SHA-256 of every part; manifest.sig is
the office's Ed25519 signature over the manifest's bytes.

Written like the USB export: under a hidden temporary name, read back and checked whole (the same reading
the county does), flushed, and only then renamed: a file named 上报包-… is always complete. The sequence
number is taken in the same transaction, so a package that failed to be written leaves no number used.

read_package is the county's first look: it refuses, in one sentence, a file that is not whole (cut off,
a byte changed), whose signature does not match its manifest, whose parts differ from the manifest, or
that a newer program made."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import __version__
from app.db.engine import Database, current_revision, known_revision
from app.errors import InputError, cannot_write, is_write_protected
from app.services import signing
from app.services.actions import Changes, Progress, job
from app.services.report_package import contents
from app.services.settings import get_setting, set_setting, unit_identity, unit_info

FORMAT = 1  # the layout of a package: a program reads the formats up to its own
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
UNIT = "unit.json"
PREFIX = "上报包"
PARTIAL = ".部分"
SEQUENCE = "report_package.sequence"  # the number of the last package this office wrote


class PackageRefused(InputError):
    """A package the county does not take, said in one sentence; nothing was changed."""


@dataclass(frozen=True)
class Package:
    """A package read whole and checked against its own signature and manifest."""

    path: Path
    manifest: dict[str, Any]
    manifest_sha256: str
    parts: dict[str, Any]  # file name -> its JSON value

    @property
    def town(self) -> str:
        return str(self.manifest["town"])

    @property
    def code(self) -> str:
        return str(self.manifest["code"])

    @property
    def sequence(self) -> int:
        return int(self.manifest["sequence"])

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(str(self.manifest["as_of"]))

    @property
    def public_key(self) -> str:
        return str(self.manifest["public_key"])

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key)


class _Quiet:
    def __call__(self, done: int, total: int, text: str = "") -> None:
        return None

    def check(self) -> None:
        return None


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


def _write_zip(path: Path, files: dict[str, bytes]) -> None:
    with open(path, "wb") as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        handle.flush()
        os.fsync(handle.fileno())


def write_signed_zip(to: Path, final: Path, files: dict[str, bytes], read_back: Callable[[Path], object],
                     what: str) -> Path:
    """A signed package (上报包, 政策更新包) written under a temporary name, read back as its receiver will
    (read_back), then renamed to final; nothing left behind on a failure, which is said in one sentence."""
    partial = to / f".{final.name}{PARTIAL}"
    try:
        to.mkdir(parents=True, exist_ok=True)
        _write_zip(partial, files)
        read_back(partial)
        os.replace(partial, final)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if is_write_protected(exc):
            raise cannot_write(to, exc) from None
        raise InputError(f"{what}没有写成（{exc.strerror or exc}）：请换一个文件夹或U盘后重试。") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final


@job(Changes.SETTINGS)
def export_report_package(db: Database, to: Path, *, as_of: dt.date | None = None,
                          progress: Progress | None = None) -> Path:
    """生成上报包: write the town's signed package of the register as of `as_of` (today unless given) into
    the folder `to`; returns the file. InputError in one sentence: no 单位信息 or 区划代码 yet, no key on
    this computer, a day still to come, a folder that cannot be written."""
    progress = progress or _Quiet()
    as_of = as_of or dt.date.today()
    if as_of > dt.date.today():
        raise InputError(f"上报日期{as_of}还没到：请写今天或以前的日期。")
    to = Path(to).expanduser()
    with db.transaction() as session:
        identity = unit_identity(session)
        if not identity.town or not identity.code:
            raise InputError("上报包要写明乡镇名称和12位统计用区划代码：请先在“设置 → 单位信息”中填写。")
        key = signing.signing_key(session)
        sequence = int(get_setting(session, SEQUENCE) or "0") + 1
        set_setting(session, SEQUENCE, str(sequence))
        files: dict[str, bytes] = {}
        unit = unit_info(session)
        files[UNIT] = _json({"town": unit.town, "code": unit.code, "office": unit.unit_name, "phone": unit.phone})
        for done, (name, value) in enumerate(contents.parts(session, as_of)):
            progress.check()
            progress(done, 7, f"正在整理{name}……")
            files[name] = _json(value)
        manifest = {
            "format": FORMAT, "program": "残联工作台", "version": __version__,
            "schema": current_revision(db.engine), "town": identity.town, "code": identity.code,
            "public_key": identity.public_key, "sequence": sequence, "as_of": as_of.isoformat(),
            "created": dt.datetime.now().isoformat(timespec="seconds"),
            "bank_accounts": get_setting(session, contents.BANK_ACCOUNTS) == "是",
            "parts": [{"file": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                      for name, data in files.items()],
        }
        manifest_bytes = _json(manifest)
        files = {MANIFEST: manifest_bytes, SIGNATURE: signing.sign(key, manifest_bytes), **files}
        final = to / _safe(f"{PREFIX}-{identity.town}-{identity.code}-第{sequence}号-{as_of.isoformat()}.zip")
        progress(0, 0, "正在写上报包并读回核对……")
        return write_signed_zip(to, final, files, read_package, "上报包")  # read back as the county will


def _damaged(path: Path) -> PackageRefused:
    return PackageRefused(f"上报包 {path.name} 已损坏或不完整（文件被截断或改动过）：未导入，请让乡镇重新生成上报包。")


def read_package(path: Path) -> Package:
    """Open a package and check it against itself (PackageRefused in one sentence otherwise): whole, its
    manifest signed by the key it names, every part as the manifest says, of a format and schema this
    program knows. Whether the key is the town's registered one is the county's question (county.importing)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise PackageRefused(f"找不到上报包：{path}")
    try:
        with zipfile.ZipFile(path) as archive:
            raw = {info.filename: archive.read(info) for info in archive.infolist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, OSError, KeyError):
        raise _damaged(path) from None
    if MANIFEST not in raw or SIGNATURE not in raw:
        raise _damaged(path)
    try:
        manifest = json.loads(raw[MANIFEST])
        public = str(manifest["public_key"])
        entries = {str(e["file"]): (int(e["size"]), str(e["sha256"])) for e in manifest["parts"]}
    except (ValueError, KeyError, TypeError):
        raise _damaged(path) from None
    if "kind" in manifest:  # a 政策更新包 (policy_package) names its kind; a 上报包 names none
        raise PackageRefused(f"{path.name} 不是乡镇的上报包（是{manifest['kind']}）：未导入，请选乡镇发来的上报包。")
    if not signing.verify(public, raw[SIGNATURE], raw[MANIFEST]):
        raise PackageRefused(f"上报包 {path.name} 的签名与内容不符（生成后被改动过）：未导入，请让乡镇重新生成上报包。")
    for name, (size, digest) in entries.items():
        data = raw.get(name)
        if data is None or len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            raise PackageRefused(f"上报包 {path.name} 中的 {name} 与清单不符：未导入，请让乡镇重新生成上报包。")
    extra = sorted(set(raw) - set(entries) - {MANIFEST, SIGNATURE})
    if extra:
        raise PackageRefused(f"上报包 {path.name} 中多出文件 {extra[0]}：未导入，请让乡镇重新生成上报包。")
    schema = str(manifest.get("schema") or "")
    if int(manifest.get("format", 0)) > FORMAT or not known_revision(schema):
        raise PackageRefused(f"上报包 {path.name} 由更新版本的残联工作台生成（数据结构 {schema}）："
                             "请先安装新版本再导入，未作任何改动。")
    parts = {name: json.loads(raw[name]) for name in entries}
    return Package(path, manifest, hashlib.sha256(raw[MANIFEST]).hexdigest(), parts)
