"""The database copy in the USB export, only when the clerk asks for it: the whole register (every ID,
disability, bank account) must not travel on a stick that can be lost as a plain file. It goes in as a
zip file encrypted with AES-256 under a password the clerk chooses, which the county opens with common
tools: 7-Zip (free) or WinRAR. Windows' own Explorer cannot open AES-encrypted zips.

The plain copy is made beside the database (never on the stick, where a deleted file can be read back),
packed, read back with the password, and removed."""

from __future__ import annotations

import shutil
import struct
import tempfile
from pathlib import Path

import pyzipper

from app.db.engine import Database
from app.errors import InputError
from app.services.backup.copies import backup_database, check_backup

MIN_PASSWORD = 8
NAME_PREFIX = "数据库副本（加密）-"
_TEMP_PREFIX = ".导出临时-"
_AES_EXTRA = 0x9901  # WinZip AES extra field; strength 3 means AES-256


def check_password(first: str, second: str) -> str:
    """The password typed twice: the same, and long enough. InputError in one sentence otherwise."""
    if first != second:
        raise InputError("两次输入的密码不一致：请重新输入。")
    if len(first) < MIN_PASSWORD:
        raise InputError(f"密码至少要{MIN_PASSWORD}个字符：请换一个长一些的密码。")
    return first


def sweep_temporary(db: Database) -> None:
    """Plain copies left beside the database by an export that was killed while packing."""
    for stale in Path(db.path).parent.glob(f"{_TEMP_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def write_encrypted_copy(db: Database, folder: Path, password: str) -> Path:
    """A verified backup of the database, AES-256 encrypted in a zip in folder; returns the zip."""
    sweep_temporary(db)
    work = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=Path(db.path).parent if not db.read_only else None))
    try:
        plain = backup_database(db, work)
        stamp = plain.stem.removeprefix("canlian-备份-")
        target = folder / f"{NAME_PREFIX}{stamp}.zip"
        # The name inside is plain ASCII: every unzip tool shows it the same way.
        inside = f"canlian-backup-{stamp}.db"
        with pyzipper.AESZipFile(target, "w", compression=pyzipper.ZIP_DEFLATED,
                                 encryption=pyzipper.WZ_AES) as packed:
            packed.setpassword(password.encode("utf-8"))
            packed.setencryption(pyzipper.WZ_AES, nbits=256)
            packed.write(plain, inside)
        _read_back(target, password, inside, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _read_back(target: Path, password: str, inside: str, work: Path) -> None:
    """Decrypt what was written and check it is a whole backup this program can restore."""
    with pyzipper.AESZipFile(target) as packed:
        packed.setpassword(password.encode("utf-8"))
        if packed.testzip() is not None:
            raise InputError("加密的数据库副本读回核对不一致：请换一个U盘后重试。")
        packed.extract(inside, work / "读回")
    check_backup(work / "读回" / inside)


def aes256_problems(path: Path) -> list[str]:
    """What `export verify` says about an encrypted copy without its password: [] when it is a zip whose
    every entry is AES-256 encrypted."""
    try:
        with pyzipper.AESZipFile(path) as packed:
            entries = packed.infolist()
    except (OSError, pyzipper.BadZipFile):
        return [f"加密的数据库副本已损坏：{path.name}"]
    if not entries or not all(entry.flag_bits & 1 and _aes_strength(entry.extra) == 3 for entry in entries):
        return [f"数据库副本没有用AES-256加密：{path.name}"]
    return []


def _aes_strength(extra: bytes) -> int:
    """The AES strength in a zip entry's extra fields (1, 2, 3 = 128, 192, 256 bits), 0 when none."""
    at = 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        if kind == _AES_EXTRA and size >= 5:
            return extra[at + 4 + 4]
        at += 4 + size
    return 0


def note_lines(password_used: bool) -> list[str]:
    """The 说明 about the database copy, for the folder's 说明.txt."""
    if not password_used:
        return ["本文件夹中没有数据库副本：导出时没有选择放入。各报表和登记表已包含上报所需的内容。"]
    return [
        f"数据库副本：{NAME_PREFIX}….zip，是用AES-256加密的压缩文件，打开时需要经办人设定的密码"
        "（密码请另行告知，不要写在U盘上）。",
        "打开方法：用 7-Zip（免费，https://www.7-zip.org）或 WinRAR 打开这个 zip 文件，输入密码后解压；"
        "Windows 自带的“资源管理器”不能打开这种加密的压缩文件。",
        "解压出的 .db 文件可在残联工作台中用“文件 → 从备份恢复”打开，或运行 canlian restore 该文件。",
    ]
