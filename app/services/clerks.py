"""The clerks of a county's shared PostgreSQL server (`canlian admin add-clerk`, run by the county's
administrator): each clerk signs in with a login of their own, a member of canlian_town (one town's rows)
or canlian_county (县残联 staff, every town), and has a row in the clerk table naming their town, which the
server's row-level security reads (app/db/town_security.py). A town's own file has one clerk at one PC:
there the command is refused.

The password reaches the server only as its SCRAM verifier, computed here by libpq: the plain password is
in no statement, so in no server log."""

from __future__ import annotations

import re

from sqlalchemy import exists, select, text
from sqlalchemy.orm import Session

from app.db.models import Clerk, Village
from app.db.town_security import COUNTY, TOWN
from app.errors import InputError
from app.services.actions import Changes, action
from app.services.subsidies.policies import install_defaults

_LOGIN = re.compile(r"[a-z][a-z0-9_]{0,39}")
_RESERVED = ("canlian_", "pg_", "postgres")
SHORTEST_PASSWORD = 8


def check_login(login: str) -> str:
    login = login.strip()
    if not _LOGIN.fullmatch(login) or login.startswith(_RESERVED):
        raise InputError(f"登录名“{login}”不能用：请用小写字母开头、只含小写字母、数字和下划线的名字，如 lihong。")
    return login


def check_password(first: str, second: str) -> str:
    if first != second:
        raise InputError("两次输入的密码不一样：请重新运行并输入同一个密码。")
    if len(first) < SHORTEST_PASSWORD:
        raise InputError(f"密码太短：至少要 {SHORTEST_PASSWORD} 位，请重新运行。")
    return first


@action(Changes.SETTINGS)
def add_clerk(session: Session, login: str, town: str | None, password: str) -> str:
    """Make the login (LOGIN, in canlian_town for a town, canlian_county for county staff when town is None)
    and its clerk row, in one transaction (PostgreSQL's CREATE ROLE is transactional too). Returns the line
    the command prints."""
    if session.get_bind().dialect.name != "postgresql":
        raise InputError("添加经办人只用于县里服务器上的数据库（--db postgresql://…）：本机数据文件只有一位经办人，不需要添加。")
    login = check_login(login)
    town = town.strip() if town is not None else None
    if town is not None and not session.scalar(select(exists().where(Village.town == town))):
        raise InputError(f"服务器上没有属于“{town}”的村（社区）：请核对镇名，"
                         "或先把该镇的登记册迁到服务器上（canlian move-to）。")
    if session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}):
        raise InputError(f"服务器上已有登录名“{login}”：请换一个登录名。")
    raw = session.connection().connection.driver_connection
    assert raw is not None
    verifier = raw.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode()
    if "'" in verifier:  # libpq's verifier is base64 and $:+/=; never a quote, checked all the same
        raise InputError("密码无法使用：请换一个密码。")
    group = TOWN if town is not None else COUNTY
    # login is checked against _LOGIN above (no quoting needed); CREATE ROLE takes no bound parameters
    # (the driver's own execute: the verifier's colons are no bound parameters)
    session.connection().exec_driver_sql(f"CREATE ROLE {login} LOGIN PASSWORD '{verifier}' IN ROLE {group}")
    session.add(Clerk(login=login, town=town))
    session.flush()
    # a payment names the saved standard it was paid under, and a town clerk may not write the county's
    # standards (town_security): the shipped ones are saved now, before any clerk's first 确认发放
    install_defaults(session)
    if town is None:
        return f"已添加县残联经办人 {login}：可查看和修改全部乡镇"
    return f"已添加{town}经办人 {login}：只能查看和修改{town}的人员、家庭和记录"
