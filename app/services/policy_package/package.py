"""The county's 政策更新包 (`canlian county policy-package --to DIR [--from-month YYYY-MM]`, 县级汇总 →
生成政策更新包): one zip holding the county's subsidy standards that start from a month (policies.json: each
programme's versions with their start month and rules) and its aids catalogue (catalogue.json), with
manifest.json (size and SHA-256 of every part, the county, a sequence number, program and schema version)
and manifest.sig, the county office's Ed25519 signature over the manifest, as the towns' 上报包 have.

Written like a 上报包: under a hidden temporary name, read back exactly as a town reads it, then renamed,
and the sequence number is taken in the same transaction. read_policy_package is a town's first look:
whole, signed by the key it names, every part as the manifest says, of a format and schema it knows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app import __version__
from app.db.engine import Database, current_revision, known_revision
from app.domain.months import Month
from app.errors import InputError
from app.services import signing
from app.services.actions import Changes, job
from app.services.county.towns import is_county
from app.services.devices.catalogue import catalogue
from app.services.report_package.package import MANIFEST, SIGNATURE, PackageRefused, write_signed_zip
from app.services.settings import get_setting, set_setting, unit_identity, unit_info
from app.services.subsidies.policies import ALL_PROGRAMMES, versions

FORMAT = 1
KIND = "政策更新包"  # the manifest's kind: a 上报包 has none, and each reader refuses the other's
PREFIX = "政策更新包"
POLICIES = "policies.json"
CATALOGUE = "catalogue.json"
SEQUENCE = "policy_package.sequence"  # the number of the last 政策更新包 this county wrote


@dataclass(frozen=True)
class PolicyPackage:
    """A 政策更新包 read whole and checked against its own signature and manifest."""

    path: Path
    manifest: dict[str, Any]
    manifest_sha256: str
    policies: list[dict[str, Any]]  # {programme, effective_month: YYYY-MM, rules, note}
    catalogue: list[dict[str, Any]]  # DeviceTypeValues as dicts (codes as lists)

    @property
    def county(self) -> str:
        return str(self.manifest["county"])

    @property
    def sequence(self) -> int:
        return int(self.manifest["sequence"])

    @property
    def created(self) -> str:
        return str(self.manifest["created"])

    @property
    def public_key(self) -> str:
        return str(self.manifest["public_key"])

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


def _policies(session: Session, since: Month | None) -> list[dict[str, Any]]:
    """The county's versions of every programme (its shipped defaults while none is saved), from `since`."""
    return [{"programme": r.programme, "effective_month": f"{r.effective.year:04d}-{r.effective.month:02d}",
             "rules": r.rules, "note": r.note}
            for programme in ALL_PROGRAMMES for r in versions.in_session(session, programme)
            if since is None or r.effective >= since]


def _catalogue(session: Session) -> list[dict[str, Any]]:
    out = []
    for item in catalogue(session, include_inactive=True):
        values = asdict(item)
        del values["id"]
        out.append(values)
    return out


@job(Changes.SETTINGS)
def export_policy_package(db: Database, to: Path, *, from_month: Month | None = None) -> Path:
    """生成政策更新包: write the county's signed package into the folder `to`; returns the file. InputError in
    one sentence: not the county's register, no 单位信息 or key yet, nothing to send, a folder that cannot
    be written."""
    to = Path(to).expanduser()
    with db.transaction() as session:
        if not is_county(session):
            raise InputError("政策更新包由县残联生成：请在县残联的数据文件中生成（用 --db 指定县里的数据文件）。")
        identity = unit_identity(session)
        if not identity.town:
            raise InputError("政策更新包要写明县残联的名称：请先在“设置 → 单位信息”中填写并保存。")
        key = signing.signing_key(session)
        files = {POLICIES: _json(_policies(session, from_month)), CATALOGUE: _json(_catalogue(session))}
        if files[POLICIES] == b"[]" and files[CATALOGUE] == b"[]":
            raise InputError(f"{from_month.label if from_month else ''}起没有补贴标准，器具目录也是空的："
                             "没有可发的内容。")
        sequence = int(get_setting(session, SEQUENCE) or "0") + 1
        set_setting(session, SEQUENCE, str(sequence))
        today = dt.date.today()
        manifest = {
            "format": FORMAT, "kind": KIND, "program": "残联工作台", "version": __version__,
            "schema": current_revision(db.engine), "county": unit_info(session).unit_name or identity.town,
            "code": identity.code, "public_key": identity.public_key, "sequence": sequence,
            "from_month": f"{from_month.year:04d}-{from_month.month:02d}" if from_month else "",
            "created": dt.datetime.now().isoformat(timespec="seconds"),
            "parts": [{"file": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                      for name, data in files.items()],
        }
        manifest_bytes = _json(manifest)
        files = {MANIFEST: manifest_bytes, SIGNATURE: signing.sign(key, manifest_bytes), **files}
        final = to / _safe(f"{PREFIX}-{identity.town}-第{sequence}号-{today.isoformat()}.zip")
        return write_signed_zip(to, final, files, read_policy_package, "政策更新包")  # read back as a town will


def _damaged(path: Path) -> PackageRefused:
    return PackageRefused(f"政策更新包 {path.name} 已损坏或不完整（文件被截断或改动过）：未导入，请县残联重新生成。")


def read_policy_package(path: Path) -> PolicyPackage:
    """Open a 政策更新包 and check it against itself (PackageRefused in one sentence otherwise). Whether the
    key is the county's registered one is the town's question (policy_package.importing)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise PackageRefused(f"找不到政策更新包：{path}")
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
    if manifest.get("kind") != KIND:
        raise PackageRefused(f"{path.name} 不是政策更新包（是乡镇的上报包或其他文件）："
                             "未导入，请选县残联发来的政策更新包。")
    if not signing.verify(public, raw[SIGNATURE], raw[MANIFEST]):
        raise PackageRefused(f"政策更新包 {path.name} 的签名与内容不符（生成后被改动过）：未导入，请县残联重新生成。")
    for name, (size, digest) in entries.items():
        data = raw.get(name)
        if data is None or len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            raise PackageRefused(f"政策更新包 {path.name} 中的 {name} 与清单不符：未导入，请县残联重新生成。")
    if sorted(set(raw) - {MANIFEST, SIGNATURE}) != sorted(entries) or set(entries) != {POLICIES, CATALOGUE}:
        raise _damaged(path)
    schema = str(manifest.get("schema") or "")
    if int(manifest.get("format", 0)) > FORMAT or not known_revision(schema):
        raise PackageRefused(f"政策更新包 {path.name} 由更新版本的残联工作台生成（数据结构 {schema}）："
                             "请先安装新版本再导入，未作任何改动。")
    return PolicyPackage(path, manifest, hashlib.sha256(raw[MANIFEST]).hexdigest(),
                         json.loads(raw[POLICIES]), json.loads(raw[CATALOGUE]))
