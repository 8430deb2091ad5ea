"""`canlian --selfcheck`: proves a build can do the clerk's work on this machine — migrations, the demo
town, every report written and read back (Chinese text in an embedded font), the window opened
offscreen, and Qt's own standard buttons and file dialog reading in Chinese (ui.language). Runs the same
way from source and frozen; exits 0 only if every step worked."""

from __future__ import annotations

import base64
import datetime as dt
import re
import tempfile
import traceback
import zlib
from collections.abc import Callable
from pathlib import Path

from app.errors import InputError

REPORT_KINDS = ("registry", "subsidy-roster", "visit-roster", "equipment", "yearly", "overpayment")


def _decode_stream(header: bytes, raw: bytes) -> bytes:
    """A PDF stream's bytes after its filters (reportlab uses ASCII85 then Flate)."""
    for name in re.findall(rb"/(ASCII85Decode|FlateDecode)", header):
        try:
            if name == b"ASCII85Decode":
                raw = base64.a85decode(raw.strip().removesuffix(b"~>").removeprefix(b"<~"))
            else:
                raw = zlib.decompress(raw)
        except (ValueError, zlib.error):
            return b""
    return raw


def pdf_has_embedded_chinese(data: bytes) -> str:
    """'' if the PDF embeds a TrueType font whose ToUnicode map covers CJK characters, else what is wrong."""
    if b"/FontFile2" not in data:
        return "没有嵌入TrueType字体"
    for match in re.finditer(rb"obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S):
        length = re.search(rb"/Length (\d+)", match.group(1))
        if not length:
            continue
        body = data[match.end() : match.end() + int(length.group(1))]
        text = _decode_stream(match.group(1), body)
        if b"beginbfchar" not in text and b"beginbfrange" not in text:
            continue
        codes = [int(h, 16) for h in re.findall(rb"<([0-9A-Fa-f]{4})>", text)]
        if any(0x4E00 <= c <= 0x9FFF for c in codes):
            return ""
    return "字体的Unicode映射中没有中文字符"


def _step(name: str, func: Callable[[], str], failures: list[str]) -> None:
    try:
        detail = func()
    except Exception as exc:  # the self-check reports every failure instead of stopping at the first
        failures.append(name)
        print(f"失败  {name}：{exc}")
        traceback.print_exc()
        return
    print(f"通过  {name}{'：' + detail if detail else ''}")


def check_server(server: str, folder: Path, year: int) -> str:
    """The county's server as this build reaches it: connected through the driver inside the build, its
    schema brought to this version (an empty database is made into a register), its register counted and
    its 花名册 printed into folder and read back."""
    from app.db.engine import head_revision, open_database
    from app.db.server import server_url, shown
    from app.reports import ReportRequest, print_report
    from app.services.summary.current import persons_by_status

    out = folder / "server-registry.pdf"
    with open_database(server) as db:
        counts = persons_by_status(db)
        print_report(db, ReportRequest(kind="registry", out=out, year=year))
    problem = pdf_has_embedded_chinese(out.read_bytes())
    if problem:
        raise RuntimeError(f"服务器上的花名册 {problem}")
    listed = "、".join(f"{status}{count}人" for status, count in counts.items())
    return f"已连接 {shown(server_url(server))}，数据结构版本 {head_revision()}，{listed}，花名册已生成并读回"


def run_selfcheck(year: int | None = None, server: str | None = None) -> int:
    """Every step on a new file in a temporary folder; with server (a postgresql:// URL: `--selfcheck --db
    URL`) also the county's server: connected through the driver inside the build, its schema brought to
    this version (an empty database is made into a register), its register counted and printed."""
    from app.db.engine import head_revision, open_database

    year = year or dt.date.today().year
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="canlian-selfcheck-") as tmp:
        folder = Path(tmp)
        db_path = folder / "canlian.db"

        def migrate() -> str:
            open_database(db_path).close()
            return f"数据结构版本 {head_revision()}"

        def demo() -> str:
            from app.demo import load_demo

            with open_database(db_path) as db:
                return load_demo(db, year=year, persons=345, seed=1).line()

        def reports() -> str:
            from app.reports import ReportRequest, print_report

            written, missing = [], []
            with open_database(db_path) as db:
                for kind in REPORT_KINDS:
                    out = folder / f"{kind}.pdf"
                    request = ReportRequest(kind=kind, out=out, year=year, since=year - 4,
                                            month=f"{year}-01", campaign=f"{year}年春节慰问")
                    try:
                        print_report(db, request)
                    except InputError as exc:
                        if "尚未" in str(exc):
                            missing.append(kind)
                            continue
                        raise
                    problem = pdf_has_embedded_chinese(out.read_bytes())
                    if problem:
                        raise RuntimeError(f"{kind}.pdf {problem}")
                    written.append(kind)
            note = f"已生成并读回 {', '.join(written)}"
            return note + (f"；本版本尚无 {', '.join(missing)}" if missing else "")

        def window() -> str:
            import os

            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from app.paths import window_entry

            run_gui = window_entry()

            shots = folder / "shots"
            code = run_gui(db_path, screenshots=shots)
            pictures = sorted(shots.rglob("*.png"))  # one folder per screen size and text size
            if code != 0 or not pictures:
                raise RuntimeError(f"窗口未能正常打开（返回 {code}）")
            if not any(p.name.endswith("-manual.png") for p in pictures):  # the shots press F1 (ui.manual)
                raise RuntimeError("按F1没有打开使用说明")
            return f"窗口已打开并关闭，按F1打开了使用说明，截图 {len(pictures)} 张"

        def chinese_buttons() -> str:
            import os

            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from app.paths import CHINESE_CHECK_ENTRY, ui_entry

            english = ui_entry(CHINESE_CHECK_ENTRY)()
            if english:
                raise RuntimeError(f"标准按钮或文件对话框仍是英文：{'、'.join(english)}（Qt的中文翻译未能载入）")
            return "标准按钮（是、否、确定、取消……）和文件对话框均为中文"

        steps: list[tuple[str, Callable[[], str]]] = [
            ("建立数据文件", migrate), ("演示乡镇", demo), ("报表", reports), ("窗口", window),
            ("中文按钮", chinese_buttons)]
        if server is not None:
            steps.append(("服务器数据库", lambda: check_server(server, folder, year)))
        for name, func in steps:
            _step(name, func, failures)
    if failures:
        print(f"自检未通过：{'、'.join(failures)}")
        return 1
    print("自检通过")
    return 0
