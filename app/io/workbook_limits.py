"""Limits no real roster reaches, checked on the .xlsx package before the workbook reader sees it.

python-calamine reads a whole sheet into one dense range (every row times every column between the
first and the last cell with a value), and all shared strings, at once: a 3 kB file with one cell at
XFD1048576 asks it for 512 GB, a zip of 1 MB unpacks to gigabytes. Nothing in calamine can be bounded,
so the package is inspected first: the zip directory (entries, declared sizes, packing ratio) before
anything is unpacked, then every part is unpacked in a stream, never more than it declares, and its
XML scanned with a bounded parser (app.io.workbook_scan) for the rows, columns, cell lengths and text
that calamine would build. A workbook past any limit is refused with one sentence, whole."""

from __future__ import annotations

import copy
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from app.errors import InputError

if TYPE_CHECKING:
    from app.io.workbook_scan import WorkbookScan

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Each about ten times what a county's register of 100,000 persons needs."""

    file_mb: int = 100  # the file on disk
    parts: int = 10_000  # files inside the package
    directory_bytes: int = 4 * MB  # the package's table of contents
    unpacked_mb: int = 256  # all parts unpacked (100,000 persons exported by this program: 120 MB)
    ratio: int = 100  # unpacked / packed of a part over 1 MB (real sheets: 8 to 20)
    rows: int = 200_000  # the last row with a value, in any sheet
    columns: int = 256  # the last column with a value (IV, the old Excel's last)
    cells: int = 6_000_000  # rows x columns of every sheet together: what the reader fills
    cell_chars: int = 32_767  # one cell's text: Excel's own limit
    text_chars: int = 50_000_000  # the text of all cells, a shared string counted at each use
    shared_strings: int = 1_000_000
    merged: int = 100_000
    sheets: int = 1_000


LIMITS = Limits()
_CHUNK = 1 << 20
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


class Refused(InputError):
    """A workbook past a limit, or damaged: the message says which, and what to do."""


def damaged(name: str) -> Refused:
    return Refused(f"文件 {name} 已损坏或不是Excel工作簿：请在Excel中打开并另存为.xlsx后再导入。")


def abnormal(name: str, what: str) -> Refused:
    return Refused(f"文件 {name} {what}，不是正常的花名册，已拒绝导入：请在Excel中打开检查，另存为新的.xlsx后再导入。")


def _directory(handle: BinaryIO, size: int) -> tuple[int, int]:
    """(entries, directory bytes) from the end record, read before zipfile builds its list of entries."""
    tail_size = min(size, 22 + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        raise ValueError("no end record")
    entries, directory = struct.unpack_from("<HL", tail, at + 10)[0], struct.unpack_from("<L", tail, at + 12)[0]
    if entries == 0xFFFF or directory == 0xFFFFFFFF:  # zip64: the real counts are in its own record
        locator = tail.rfind(_ZIP64_LOCATOR, 0, at)
        if locator < 0:
            raise ValueError("no zip64 locator")
        (record_at,) = struct.unpack_from("<Q", tail, locator + 8)
        handle.seek(record_at)
        record = handle.read(56)
        if not record.startswith(_ZIP64_EOCD):
            raise ValueError("no zip64 record")
        entries, directory = struct.unpack_from("<QQ", record, 32)
    return entries, directory


def open_package(path: Path, handle: BinaryIO, limits: Limits) -> zipfile.ZipFile:
    """The package, its directory and declared sizes checked before anything is unpacked."""
    size = path.stat().st_size
    if size > limits.file_mb * MB:
        raise Refused(f"文件 {path.name} 有{size // MB}MB，远大于任何花名册（上限{limits.file_mb}MB）："
                      "请确认选对了文件；若表中插有图片，请删去后另存再导入。")
    try:
        entries, directory = _directory(handle, size)
        if entries > limits.parts or directory > limits.directory_bytes:
            raise abnormal(path.name, f"内含{entries}个部件")
        handle.seek(0)
        package = zipfile.ZipFile(handle)
    except (ValueError, struct.error, zipfile.BadZipFile, OSError, EOFError):
        raise damaged(path.name) from None
    infos = package.infolist()
    if len(infos) > limits.parts:
        raise abnormal(path.name, f"内含{len(infos)}个部件")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.unpacked_mb * MB:
        raise abnormal(path.name, f"解开后有{unpacked // MB}MB（上限{limits.unpacked_mb}MB）")
    for info in infos:
        if info.file_size > MB and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise abnormal(path.name, f"中有一部分压缩了{info.file_size // max(info.compress_size, 1)}倍"
                                      f"（正常的表格不过几十倍）")
    return package


def unpack(package: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The part's bytes in chunks, never more than its entry declares (a part that would go on is
    damaged), its checksum verified at the end by zipfile."""
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1  # to see a part that is longer than it says
    seen = 0
    try:
        with package.open(probe) as stream:
            while chunk := stream.read(_CHUNK):
                seen += len(chunk)
                if seen > info.file_size:
                    raise damaged(name)
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise damaged(name) from None  # also an encrypted part, or a packing method zipfile lacks
    if seen != info.file_size:
        raise damaged(name)


def check_workbook(path: Path, limits: Limits = LIMITS) -> None:
    """Refused (one sentence) for a workbook past any limit or damaged; nothing is returned, nothing kept.
    A quick look at the big parts first (app.io.workbook_rough): when it cannot vouch for every part, or
    finds anything wrong, the exact scan reads the workbook again and decides, in its own words."""
    from app.io.workbook_rough import Unsure

    path = Path(path)
    try:
        _scan(path, limits, rough=True)
    except (Unsure, Refused):
        _scan(path, limits, rough=False)


def _scan(path: Path, limits: Limits, rough: bool) -> WorkbookScan:
    from app.io.workbook_scan import WorkbookScan  # the part scanner, apart because it is long

    with path.open("rb") as handle:
        package = open_package(path, handle, limits)
        scan = WorkbookScan(path.name, limits, Refused)
        scan.rough = rough
        with package:
            for info in sorted(package.infolist(), key=lambda i: scan.order(i.filename)):
                chunks = unpack(package, info, path.name)
                if not info.is_dir() and scan.is_xml(info.filename):
                    scan.part(info.filename, chunks, info.file_size)
                else:
                    for _ in chunks:  # unpacked all the same: its size and checksum are checked
                        pass
    return scan
