"""导出到U盘: the year's results in one dated folder the clerk carries to the county, and the check the
county runs on it (`canlian export bundle`, `canlian export verify`).

The database itself goes in only when the clerk asks, and then encrypted (app.services.backup.bundle_database):
a lost stick must not hand over the whole register. 说明.txt says what the folder holds and how the
county opens the encrypted copy.

The folder is written under a hidden temporary name (.<name>.部分), every file is read back and compared
with the manifest (size and SHA-256), flushed to the stick, and only then renamed to its final name: a
folder named 残联工作台导出-… is always complete. A stick pulled out or full half-way leaves no such
folder, only the temporary one (removed here when possible, and swept away by the next export)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import __version__
from app.db.engine import Database, current_revision
from app.errors import CanlianError, InputError, cannot_write, is_write_protected
from app.io.persons_export import export_persons
from app.reports import KINDS, ReportRequest, write_report
from app.services.actions import Progress, job
from app.services.backup import bundle_database
from app.services.settings import unit_info

PREFIX = "残联工作台导出"
PARTIAL = ".部分"
MANIFEST = "manifest.json"
LISTING = "清单.txt"
NOTE = "说明.txt"
STICK_FAILED = "U盘空间不足或已拔出：导出未完成，请换一个U盘或清理空间后重试。"
_CHUNK = 1 << 20

@dataclass
class _Contents:
    """What went into the folder and what could not (a report this version does not have yet)."""

    missing: list[dict[str, str]] = field(default_factory=list)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _months_paid(session: Session, year: int) -> list[str]:
    """The months of the year with subsidy payments, as YYYY-MM: each gets its roster."""
    from app.db.models import SubsidyPayment

    stmt = (select(SubsidyPayment.month).where(SubsidyPayment.month.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .group_by(SubsidyPayment.month).order_by(SubsidyPayment.month))
    return [f"{m:%Y-%m}" for m in session.scalars(stmt)]


def _campaigns(session: Session, year: int) -> list[str]:
    from app.db.models import VisitCampaign

    # a range of dates, not SQLite's strftime: the same on PostgreSQL, and the date index serves it
    stmt = (select(VisitCampaign.name).where(VisitCampaign.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .order_by(VisitCampaign.date, VisitCampaign.id))
    return list(session.scalars(stmt))


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


@dataclass(frozen=True)
class _Form:
    """One printed form of the folder: its kind, its file name and what the request says beyond them."""

    kind: str
    file: str
    fields: dict[str, Any] = field(default_factory=dict)


def _plan(session: Session, year: int) -> list[_Form]:
    """Every form the folder holds for the year, in the order written (the 登记表 workbook among them)."""
    forms = [_Form("yearly", f"{year}年度工作统计.pdf", {"year": year}),
             _Form("yearly", f"{year}年度工作统计.xlsx", {"year": year}),
             _Form("registry", "残疾人花名册.pdf"), _Form(PERSONS, "残疾人登记表（可导入）.xlsx")]
    months = _months_paid(session, year) if KINDS["subsidy-roster"].module else [f"{year}-12"]
    forms += [_Form("subsidy-roster", f"两项补贴发放花名册-{month}.pdf", {"month": month}) for month in months]
    if KINDS["visit-roster"].module is None:
        forms.append(_Form("visit-roster", "节日慰问花名册.pdf"))
    forms += [_Form("visit-roster", f"节日慰问花名册-{name}.pdf", {"campaign": name})
              for name in _campaigns(session, year)]
    forms.append(_Form("equipment", f"辅助器具发放登记表-{year}.pdf", {"year": year}))
    return forms


PERSONS = "persons"  # the register as a workbook that imports back (app.io.persons_export), not a printed form


def _write_form(session: Session, folder: Path, contents: _Contents, form: _Form) -> None:
    """Write one form into the folder; a form this version does not have yet is listed as missing."""
    if form.kind == PERSONS:
        export_persons(session, folder / form.file)
        return
    label = KINDS[form.kind].label
    if KINDS[form.kind].module is None:
        contents.missing.append({"report": label, "reason": "本版本尚未提供"})
        return
    try:
        write_report(session, ReportRequest(kind=form.kind, out=folder / _safe(form.file), **form.fields))
    except InputError as exc:  # e.g. nothing to print for that month: say so in the manifest
        contents.missing.append({"report": f"{label}（{form.file}）", "reason": str(exc)})


def _write_reports(session: Session, folder: Path, year: int, contents: _Contents, progress: Progress) -> None:
    forms = _plan(session, year)
    for done, form in enumerate(forms):
        progress.check()
        progress(done, len(forms), f"正在写{Path(form.file).stem}……")
        _write_form(session, folder, contents, form)


class _Quiet:
    """The progress of an export nobody watches (the command line prints only the folder)."""

    def __call__(self, done: int, total: int, text: str = "") -> None:
        return None

    def check(self) -> None:
        return None


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)


def _fsync(path: Path) -> None:
    """Push a file (or, on POSIX, a folder entry) out of the cache onto the stick."""
    if path.is_dir() and os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_manifest(folder: Path, db: Database, town: str, year: int, contents: _Contents) -> dict[str, Any]:
    listing = [f"{PREFIX}：{town} {year}年", f"导出时间：{dt.datetime.now():%Y-%m-%d %H:%M:%S}",
               f"程序版本：{__version__}", "", "文件："]
    listing += [f"  {p.relative_to(folder).as_posix()}（{p.stat().st_size}字节）" for p in _files(folder)]
    if contents.missing:
        listing += ["", "未包含："] + [f"  {m['report']}：{m['reason']}" for m in contents.missing]
    listing += ["", "核对方法：在残联工作台中选择“文件 → 校验U盘导出”，或运行 canlian export verify 本文件夹。"]
    (folder / LISTING).write_text("\n".join(listing) + "\n", encoding="utf-8")
    manifest = {
        "program": "残联工作台", "version": __version__, "schema": current_revision(db.engine), "town": town,
        "year": year, "created": dt.datetime.now().isoformat(timespec="seconds"),
        "files": [{"file": p.relative_to(folder).as_posix(), "size": p.stat().st_size, "sha256": sha256(p)}
                  for p in _files(folder)],
        "not_available": contents.missing,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _sweep_partials(to: Path) -> None:
    """Temporary folders left by an export that was cut off (a kill, a power cut)."""
    for stale in to.glob(f".{PREFIX}-*{PARTIAL}"):
        shutil.rmtree(stale, ignore_errors=True)


def _free_name(to: Path, name: str) -> Path:
    path, n = to / name, 2
    while path.exists() or (to / f".{path.name}{PARTIAL}").exists():
        path, n = to / f"{name}-{n}", n + 1
    return path


def _write_note(folder: Path, town: str, year: int, with_database: bool) -> None:
    lines = [f"{PREFIX}：{town} {year}年", "",
             "本文件夹包含：年度工作统计（PDF和Excel）、残疾人花名册、可导入的残疾人登记表、各月两项补贴发放花名册、"
             "节日慰问花名册、辅助器具发放登记表，以及文件清单（清单.txt、manifest.json）。", ""]
    lines += bundle_database.note_lines(with_database)
    lines += ["", "核对方法：在残联工作台中选择“文件 → 校验U盘导出”，或运行 canlian export verify 本文件夹。"]
    (folder / NOTE).write_text("\n".join(lines) + "\n", encoding="utf-8")


@job()
def export_bundle(db: Database, to: Path, year: int, *, database_password: str | None = None,
                  progress: Progress | None = None) -> Path:
    """导出到U盘: write the year's export folder into `to` and verify it; returns the folder. With
    database_password, a copy of the database goes in, AES-256 encrypted with it; without, none.
    InputError with one sentence when the stick is full, removed or cannot be written. progress is told
    each form as it is written."""
    progress = progress or _Quiet()
    to = Path(to).expanduser()
    if database_password is not None and db.on_server:  # refused before anything is written on the stick
        raise InputError(
            "单位数据库在服务器上，U盘文件夹不能附带数据库副本：请不选“附带数据库”，服务器的备份由管理员做。")
    with db.session() as session:
        town = unit_info(session).town or "本镇"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        to.mkdir(parents=True, exist_ok=True)
        _sweep_partials(to)
        final = _free_name(to, _safe(f"{PREFIX}-{town}-{year}-{stamp}"))
        partial = to / f".{final.name}{PARTIAL}"
        partial.mkdir()
    except OSError as exc:
        raise (cannot_write(to, exc) if is_write_protected(exc) else InputError(STICK_FAILED)) from None
    try:
        contents = _Contents()
        if database_password is not None:
            progress(0, 0, "正在写加密的数据库副本……")
            bundle_database.write_encrypted_copy(db, partial, database_password)
        with db.session() as session:
            _write_reports(session, partial, year, contents, progress)
        progress(0, 0, "正在写清单并逐个读回核对……")
        _write_note(partial, town, year, database_password is not None)
        _write_manifest(partial, db, town, year, contents)
        for path in [*_files(partial), partial / MANIFEST]:
            _fsync(path)
        problems = verify_bundle(partial, partial_ok=True)
        if problems:
            raise InputError(f"导出的文件读回核对不一致（{problems[0]}）：请换一个U盘后重试。")
        _fsync(partial)
        os.replace(partial, final)
        _fsync(to)
    except (OSError, CanlianError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if isinstance(exc, InputError):
            raise
        if isinstance(exc, OSError) and is_write_protected(exc):
            raise cannot_write(to, exc) from None
        raise InputError(STICK_FAILED) from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def verify_bundle(folder: Path, *, partial_ok: bool = False) -> list[str]:
    """Check an export folder against its manifest: one line per problem, [] when every file is there,
    whole and unchanged, and nothing was added."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return [f"找不到文件夹：{folder}"]
    if folder.name.endswith(PARTIAL) and not partial_ok:
        return [f"导出未完成：{folder.name}（请重新导出）"]
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        entries = {str(e["file"]): (int(e["size"]), str(e["sha256"])) for e in manifest["files"]}
    except FileNotFoundError:
        return [f"缺少清单文件：{MANIFEST}"]
    except (OSError, ValueError, KeyError, TypeError):
        return [f"清单文件已损坏：{MANIFEST}"]
    problems: list[str] = []
    present = {p.relative_to(folder).as_posix(): p for p in _files(folder)}
    for name, (size, digest) in entries.items():
        path = present.get(name)
        if path is None:
            problems.append(f"缺少文件：{name}")
            continue
        with contextlib.suppress(OSError):
            if path.stat().st_size == size and sha256(path) == digest:
                continue
        problems.append(f"文件内容不一致：{name}")
    for name, path in present.items():
        if name.startswith(bundle_database.NAME_PREFIX) and name in entries:
            problems += bundle_database.aes256_problems(path)
    problems += [f"多出文件：{name}" for name in sorted(set(present) - set(entries))]
    return problems
