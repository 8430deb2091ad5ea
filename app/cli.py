"""The command line (docs/cli.md): names, printed lines and exit codes are a contract.
Every command calls the same app/ functions as the window; none has logic of its own."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app import paths
from app.domain.months import Month
from app.domain.words import PersonStatus
from app.errors import CanlianError, DamagedDatabase, DatabaseError, InputError
from app.logmask import MaskIdNumbers

if TYPE_CHECKING:
    from app.db.engine import Database

log = logging.getLogger("canlian")


_ARGPARSE_MESSAGES = (  # argparse's own English, said in one Chinese line
    (r"the following arguments are required: (.+)", "缺少参数 {0}：请补上后再运行（canlian -h 查看用法）。"),
    (r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)", "参数 {0} 的值“{1}”不对：应为 {2} 之一。"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面缺少值：请补上。"),
    (r"argument (\S+): invalid int value: '([^']*)'", "参数 {0} 应为整数，现为“{1}”：请改正。"),
    (r"unrecognized arguments: (.+)", "无法识别的参数 {0}：请核对拼写（canlian -h 查看用法）。"),
    (r"argument (\S+): (.+)", "参数 {0}：{1}"),
)


def translate_argparse(message: str) -> str:
    for pattern, chinese in _ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message)
        if match:
            groups = [g.replace("'", "") for g in match.groups()]
            return chinese.format(*groups)
    return f"命令参数有误：{message}"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 as argparse does, with one Chinese line
        print(translate_argparse(message), file=sys.stderr)
        raise SystemExit(2)


def _db_path(args: argparse.Namespace) -> Path:
    """The database FILE of a command that works on the file itself (the window, restore, backup)."""
    where = _db_where(args)
    if isinstance(where, str):
        raise InputError(f"这个命令只用于本机的数据文件，而 {_shown(where)} 是服务器上的数据库：请由服务器管理员处理。")
    return where


def _db_where(args: argparse.Namespace) -> Path | str:
    """--db, else $CANLIAN_DB, else the default file: a file's path, or a PostgreSQL server's URL as given."""
    return paths.database_location(args.db)


def _shown(url: str) -> str:
    from app.db.server import server_url, shown

    return shown(server_url(url))


def _open(args: argparse.Namespace, *, reading: bool = False, check_meanwhile: bool = False) -> Database:
    """The database for a command; a command that only reads (reading=True) works on a read-only file
    too. A damaged file is refused, naming the newest good backup to restore. check_meanwhile: a command
    whose work can start before SQLite's quick check ends (Database.check_meanwhile; an import, a report)."""
    from app.db.engine import open_database

    try:
        db = open_database(_db_where(args), read_only_ok=reading, quick_check=not check_meanwhile)
    except DamagedDatabase as exc:
        raise _damaged(exc) from None
    if check_meanwhile and not db.on_server:
        db.check_meanwhile()
    return db


def _damaged(exc: DamagedDatabase) -> DatabaseError:
    from app.services.backup.automatic import damaged_advice

    return DatabaseError(damaged_advice(Path(str(exc.path))))


def _year(text: str) -> int:
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"年份“{text}”不对，应为四位数字，如2026")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”不对，应写成2026-10-03的样子") from None


def cmd_gui(args: argparse.Namespace) -> int:
    where = _db_where(args)
    if isinstance(where, str):
        _shown(where)  # an address written wrong is refused here, in one line, before Qt starts
    run_gui = paths.window_entry()
    # neither --db nor $CANLIAN_DB: the window may open the server the clerk chose last (连接单位数据库)
    remembered = not (args.db or os.environ.get("CANLIAN_DB"))
    return run_gui(where, screenshots=Path(args.screenshots) if args.screenshots else None, remembered=remembered)


def cmd_init(args: argparse.Namespace) -> int:
    with _open(args) as db:
        print(db.where)
    return 0


def cmd_move_to(args: argparse.Namespace) -> int:
    from app.services.backup.move_to import move_to_server

    with _open(args, reading=True) as db:
        checks = move_to_server(db, args.url)
    for check in checks:
        print(check.line())
    print("ok")
    return 0


def cmd_admin_add_clerk(args: argparse.Namespace) -> int:
    from app.services.clerks import add_clerk, check_login

    if not isinstance(_db_where(args), str):  # refused before a password is asked
        raise InputError("添加经办人只用于县里服务器上的数据库（--db postgresql://…）：本机数据文件只有一位经办人，不需要添加。")
    check_login(args.name)
    password = _new_clerk_password(args.password_stdin)
    with _open(args) as db:
        print(add_clerk(db, args.name, None if args.county else args.town, password))
    return 0


def _new_clerk_password(from_stdin: bool) -> str:
    """The new clerk's password: one line of stdin (--password-stdin, for scripts), else typed twice."""
    import getpass

    from app.services.clerks import check_password

    if from_stdin:
        typed = sys.stdin.readline().rstrip("\r\n")
        return check_password(typed, typed)
    first = getpass.getpass("新经办人的密码：")
    return check_password(first, getpass.getpass("再输入一次密码："))


def cmd_sign_in(args: argparse.Namespace) -> int:
    from app.db import credentials
    from app.db.server import server_url, shown

    where = _db_where(args)
    if not isinstance(where, str):
        raise InputError("登录只用于县里服务器上的数据库（--db postgresql://登录名@服务器/数据库名）：本机数据文件不需要密码。")
    if args.forget:
        url = server_url(where)
        kept = credentials.forget_password(url)
        print(f"已删除本机保存的 {url.username} 在 {shown(url)} 的密码" if kept
              else f"本机没有保存 {shown(url)} 的密码")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass("密码：")
    print(credentials.sign_in(where, password))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import load_demo

    with _open(args) as db:
        counts = load_demo(db, year=args.year, persons=args.persons, seed=args.seed, town_name=args.town)
    print(counts.line())
    return 0


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except InputError:
        raise argparse.ArgumentTypeError(f"月份“{text}”不对，应写成2027-01的样子") from None


def _confirmed(question: str) -> bool:
    """A yes typed (or piped) on stdin to a question printed without its line's end."""
    print(question, end="", flush=True)
    try:
        answer = input().strip().lower()
    except EOFError:
        answer = ""
    if not sys.stdin.isatty():
        print()  # the answer came from a pipe, not typed: end the question's line
    return answer in ("y", "yes", "是")


def cmd_import_policy_package(args: argparse.Namespace) -> int:
    """import policy-package: what it would change printed, the county's first key and the change confirmed
    on stdin (one answer), then written."""
    from app.services.policy_package.importing import accept_policy_package, preview_policy_package

    with _open(args) as db:
        preview = preview_policy_package(db, Path(args.file))
        if not preview.already:
            for line in preview.lines():
                print(line)
            question = "按以上内容更新政策设置和器具目录？输入 y 采用，否则直接回车："
            if preview.first_package:
                print(f"首次收到{preview.county}的政策更新包，县残联的核对码：{preview.fingerprint}")
                question = "请先电话向县残联核对这个核对码。一致并采用以上内容请输入 y，否则直接回车："
            if not _confirmed(question):
                raise InputError("政策更新包未导入，政策设置没有改动。")
        result = accept_policy_package(db, Path(args.file), register_key=preview.first_package)
    print(result.lines()[0] if result.already else f"已采用{result.county}第{result.sequence}号政策更新包："
          f"补贴标准{len(result.taken)}项，器具目录{len(result.items)}项")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    if args.what == "policy-package":
        return cmd_import_policy_package(args)
    from app.collection import without_automatic_gc

    # From the first import on: loading SQLAlchemy and the models makes objects by the hundred thousand, and
    # each automatic collection walks them all again (a fifth of their loading time); collected as usual after.
    with without_automatic_gc():
        from app.io.roster_import import import_roster, read_roster

        roster = read_roster(Path(args.file))  # a file that cannot be read is refused before the database opens
        with _open(args, check_meanwhile=True) as db:
            try:
                result = import_roster(db, roster, report=Path(args.report) if args.report else None)
            except DamagedDatabase as exc:
                raise _damaged(exc) from None
    for warning in result.messages():
        print(warning)
    print(result.line())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.what == "persons":
        from app.io.persons_export import export_register

        with _open(args, reading=True) as db:
            print(export_register(db, Path(args.file)))
        return 0
    if args.what == "report-package":
        from app.services.report_package.package import export_report_package

        if not args.to:
            raise InputError("生成上报包需要 --to 文件夹。")
        with _open(args) as db:
            print(export_report_package(db, Path(args.to), as_of=args.as_of))
        return 0
    if args.what == "bundle":
        from app.services.backup.bundle import export_bundle

        if not args.to or not args.year:
            raise InputError("导出到U盘需要 --to 文件夹 和 --year 年份。")
        password = _bundle_password() if args.with_database else None
        with _open(args, reading=True) as db:
            print(export_bundle(db, Path(args.to), args.year, database_password=password))
        return 0
    from app.services.backup.bundle import verify_bundle

    problems = verify_bundle(Path(args.file))
    for line in problems or ["ok"]:
        print(line)
    return 2 if problems else 0


def _bundle_password() -> str:
    """The database copy's password: $CANLIAN_BUNDLE_PASSWORD for scripts, else typed twice (not shown)."""
    import getpass

    from app.services.backup.bundle_database import check_password

    scripted = os.environ.get("CANLIAN_BUNDLE_PASSWORD")
    if scripted is not None:
        return check_password(scripted, scripted)
    try:
        first = getpass.getpass("数据库副本的密码（县里打开时要用）：")
        second = getpass.getpass("再输入一次密码：")
    except EOFError:
        raise InputError("没有读到密码：请在终端中运行，或用 CANLIAN_BUNDLE_PASSWORD 给出密码。") from None
    return check_password(first, second)


def cmd_status(args: argparse.Namespace) -> int:
    from app.services.register import people, status_changes

    with _open(args) as db:
        person = people.find_by_number(db, args.id)
        if person is None:
            raise InputError(f"登记册中没有身份证号或残疾证号为 {args.id} 的人：请核对号码。")
        recorded = status_changes.record_status(db, person.id, args.status, args.date, args.reason or "")
    print(f"{recorded.name}\t{recorded.status}\t{recorded.on.isoformat()}")
    if recorded.notice.money:  # the line the window shows before saving: 应追回 and the amount
        print(recorded.notice.text)
    if recorded.take_back:
        print(recorded.take_back)  # after the status line, which scripts read first
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    from app.domain.disability import category_label, grade_label
    from app.services.register.search import PersonFilter, count_persons, find_persons

    with _open(args, reading=True) as db:
        rows = find_persons(db, args.text, limit=args.limit)
        for row in rows:
            print("\t".join([row.id_number, row.name, row.village, category_label(row.category),
                             grade_label(row.grade)]))
        if not rows:
            print(f"没有找到与“{args.text}”相符的人员。", file=sys.stderr)
        elif len(rows) == args.limit:
            total = count_persons(db, PersonFilter(text=args.text))
            if total > len(rows):
                print(f"只列出前{len(rows)}人，共{total}人：用 --limit {total} 列出全部。", file=sys.stderr)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from app.services.summary.figures import format_table, yearly_summary

    if args.county:
        from app.services.county.figures import county_summary

        if args.since:
            raise InputError("县级汇总只按单一年份统计：请去掉 --since。")
        with _open(args, reading=True) as db:
            figures = county_summary(db, year=args.year)
        print(json.dumps(figures, ensure_ascii=False) if args.json else format_table(figures))
        return 0
    with _open(args, reading=True) as db:
        figures = yearly_summary(db, year=args.year, since=args.since)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(format_table(figures))
    return 0


def cmd_county(args: argparse.Namespace) -> int:
    """county import: the package checked, a town's first key confirmed on stdin, then merged;
    county policy-package: the county's signed 政策更新包 written for the towns."""
    if args.what == "policy-package":
        from app.services.policy_package.package import export_policy_package

        if not args.to or args.package:
            raise InputError("生成政策更新包要用 --to 指定文件夹（如 canlian county policy-package --to /media/U盘）。")
        with _open(args) as db:
            print(export_policy_package(db, Path(args.to), from_month=args.from_month))
        return 0
    from app.services.county.importing import accept_package, preview_package

    if not args.package:
        raise InputError("请给出要导入的上报包文件（如 canlian county import 上报包-….zip）。")
    with _open(args) as db:
        preview = preview_package(db, Path(args.package), force=args.force)
        register = False
        if preview.first_package and not preview.already:
            print(f"首次收到{preview.town}（区划代码 {preview.code}）的上报包，核对码：{preview.fingerprint}")
            print("请先电话向乡镇残联核对这个指纹。一致请输入 y 登记并导入，否则直接回车：", end="", flush=True)
            try:
                answer = input().strip().lower()
            except EOFError:
                answer = ""
            if not sys.stdin.isatty():
                print()  # the answer came from a pipe, not typed: end the question's line
            if answer not in ("y", "yes", "是"):
                raise InputError(f"未登记{preview.town}的公钥，上报包未导入。")
            register = True
        result = accept_package(db, Path(args.package), register_key=register, force=args.force)
    for line in result.lines():
        print(line)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from app.reports import ReportRequest, print_report

    request = ReportRequest(kind=args.kind, out=Path(args.out), year=args.year, since=args.since,
                            month=args.month, campaign=args.campaign)
    # SQLite's quick check of the file runs meanwhile (a second for a county's register, of a report's ten):
    # a report read from a file that fails it is deleted, not handed out, and the backup to restore named
    with _open(args, reading=True, check_meanwhile=True) as db:
        try:
            try:
                written = print_report(db, request)
            except Exception:
                db.confirm_whole()  # a damaged page read meanwhile is said as the damage it is
                raise
            try:
                db.confirm_whole()
            except DamagedDatabase:
                written.unlink(missing_ok=True)
                raise
        except DamagedDatabase as exc:
            raise _damaged(exc) from None
        print(written)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from app.services.backup.copies import backup_database
    from app.services.backup.server_copies import backup_server

    with _open(args, reading=True) as db:
        print((backup_server if db.on_server else backup_database)(db, Path(args.to)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.services.backup.copies import restore_database
    from app.services.backup.facts import AnotherRegister

    where = _db_where(args)
    if isinstance(where, str):  # a server: pg_restore into its empty database (nothing there to keep aside)
        from app.services.backup.server_copies import restore_server

        print(restore_server(where, Path(args.file)))
        return 0
    try:
        print(restore_database(_db_path(args), Path(args.file), another_register=args.another_register))
    except AnotherRegister as exc:
        raise InputError(f"{exc}确实要用它替换时，加 --another-register 再运行一次。") from None
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="canlian", description="残联工作台")
    parser.add_argument("--db", help="数据文件路径，或服务器上的数据库 postgresql://用户名@服务器:5432/数据库名")
    parser.add_argument("--selfcheck", action="store_true", help="自检（打包后的程序也可用）")
    parser.set_defaults(func=cmd_gui, screenshots=None)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("gui", help="打开窗口")
    p.add_argument("--screenshots", metavar="DIR")
    p.set_defaults(func=cmd_gui)
    sub.add_parser("init", help="创建或升级数据文件").set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="在空数据文件中生成演示乡镇")
    p.add_argument("--year", type=_year, default=dt.date.today().year)
    p.add_argument("--persons", type=int, default=345)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--town", default="金塔镇", help="乡镇名称：另一个名称生成另一个演示乡镇（自己的区划代码和密钥）")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="导入花名册，或县残联发来的政策更新包")
    p.add_argument("what", choices=["persons", "policy-package"])
    p.add_argument("file")
    p.add_argument("--report", metavar="OUT.xlsx")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="导出")
    p.add_argument("what", choices=["persons", "bundle", "verify", "report-package"])
    p.add_argument("file", nargs="?", default="")
    p.add_argument("--to")
    p.add_argument("--year", type=_year)
    p.add_argument("--as-of", type=_date, help="上报包的截止日期（默认今天）")
    p.add_argument("--with-database", action="store_true",
                   help="放入加密的数据库副本（密码输入两次，或取自 CANLIAN_BUNDLE_PASSWORD）")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("status", help="变更人员状态")
    p.add_argument("id")
    p.add_argument("status", choices=[s.value for s in PersonStatus])
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--reason")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("find", help="查找人员")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_find)

    p = sub.add_parser("summary", help="年度统计")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--since", type=_year)
    p.add_argument("--json", action="store_true")
    p.add_argument("--county", action="store_true", help="县级汇总：各乡镇上报包中的统计之和，另附 by_town")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("county", help="县级汇总：导入乡镇的上报包，生成发给乡镇的政策更新包")
    p.add_argument("what", choices=["import", "policy-package"])
    p.add_argument("package", nargs="?", default="", help="上报包文件（.zip），import 时必填")
    p.add_argument("--force", action="store_true", help="导入比已导入的更旧的上报包")
    p.add_argument("--to", help="policy-package：政策更新包写到这个文件夹")
    p.add_argument("--from-month", type=_month, help="policy-package：只发从这个月（如 2027-01）起执行的补贴标准")
    p.set_defaults(func=cmd_county)

    p = sub.add_parser("report", help="打印报表")
    p.add_argument("kind")
    p.add_argument("--out", required=True)
    p.add_argument("--year", type=_year)
    p.add_argument("--since", type=_year)
    p.add_argument("--month")
    p.add_argument("--campaign")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("backup", help="备份数据文件")
    p.add_argument("--to", required=True)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("move-to", help="把整个登记册迁到服务器上的空数据库，并逐表核对")
    p.add_argument("url", metavar="URL", help="postgresql://用户名@服务器:5432/数据库名")
    p.set_defaults(func=cmd_move_to)

    p = sub.add_parser("sign-in", help="把自己在县里服务器上的密码存入本机的凭据管理器（不存明文）")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（不提示）")
    p.add_argument("--forget", action="store_true", help="删除本机保存的密码")
    p.set_defaults(func=cmd_sign_in)

    p = sub.add_parser("admin", help="县里服务器的管理（由管理员运行）")
    admin = p.add_subparsers(dest="admin_command", required=True, parser_class=_Parser)
    p = admin.add_parser("add-clerk", help="添加经办人：建立其登录名，乡镇经办人只能看到本镇的数据")
    p.add_argument("name", metavar="NAME", help="登录名，如 lihong")
    whose = p.add_mutually_exclusive_group(required=True)
    whose.add_argument("--town", help="所属乡镇，如 金塔镇")
    whose.add_argument("--county", action="store_true", help="县残联工作人员：可查看全部乡镇")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（不提示）")
    p.set_defaults(func=cmd_admin_add_clerk)

    p = sub.add_parser("restore", help="从备份恢复")
    p.add_argument("file")
    p.add_argument("--another-register", action="store_true", help="备份属于另一个登记册时，确认仍要恢复")
    p.set_defaults(func=cmd_restore)
    return parser


def _setup_logging() -> None:
    try:
        handler: logging.Handler = logging.FileHandler(paths.log_path(), encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskIdNumbers())  # privacy: no full ID number in the log, whatever the record says
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # not twenty lines a command


def main(argv: Sequence[str] | None = None) -> int:
    _setup_logging()
    args = build_parser().parse_args(argv)
    if args.selfcheck:
        from app.selfcheck import run_selfcheck

        where = _db_where(args) if args.db else None  # --selfcheck --db postgresql://…: the server too
        return run_selfcheck(server=where if isinstance(where, str) else None)
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_gui)
    try:
        return func(args)
    except (InputError, DatabaseError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except CanlianError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped early (`canlian find 张 | head`): nothing went wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("已中断，未完成的修改没有保存。", file=sys.stderr)
        return 1
    except Exception:
        log.exception("unexpected error in %s", getattr(args, "command", "gui"))
        print(f"程序出错，操作未完成，数据未改动：详情见日志 {paths.log_path()}", file=sys.stderr)
        return 1
