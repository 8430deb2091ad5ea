"""A clerk's password for the county's server, kept by the operating system's credential store (Windows'
Credential Manager, macOS' Keychain, the Secret Service of a Linux desktop) through keyring: never in a file
of this program, in the URL of a shortcut, or in plain text anywhere on the PC. `canlian --db URL sign-in`
asks it once and keeps it there; opening the server then takes it from there when the URL has none. Where
no credential store works (a bare server, a locked keychain), nothing is kept: libpq's own ways remain
(PGPASSWORD, ~/.pgpass, a password in the URL) and sign-in says so in one sentence."""

from __future__ import annotations

import logging

from sqlalchemy.engine import URL

from app.errors import DatabaseError

log = logging.getLogger("canlian.db")

SERVICE = "残联工作台"


def account(url: URL) -> str:
    """Whose password on which server: one login may have a password on each server and database."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def stored_password(url: URL) -> str | None:
    """The password kept for this login on this server, if any (a credential store that fails is no store)."""
    if not url.username:
        return None
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(SERVICE, account(url))
        except KeyringError as exc:
            log.info("no credential store for %s: %s", account(url), exc)
            return None
    except ImportError:  # a build without keyring: libpq's own ways remain
        return None


def keep_password(url: URL, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, account(url), password)
    except KeyringError as exc:
        log.info("cannot keep the password of %s: %s", account(url), exc)
        raise DatabaseError("这台电脑没有可用的密码保管处（凭据管理器）：密码未保存，"
                            "请每次连接时由管理员设置 PGPASSWORD，或在 ~/.pgpass 中填写。") from None


def forget_password(url: URL) -> bool:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, account(url))
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        log.info("cannot reach the credential store for %s: %s", account(url), exc)
        return False
    return True


def sign_in(text: str, password: str) -> str:
    """`canlian --db URL sign-in`: check the password by connecting with it, then keep it in the credential
    store. Returns the line the command prints."""
    from sqlalchemy.exc import OperationalError

    from app.db.server import make_server_engine, server_url, shown

    url = server_url(text)
    if not url.username:
        raise DatabaseError(f"地址 {shown(url)} 没有写登录名：应写成 postgresql://登录名@服务器:5432/数据库名。")
    engine = make_server_engine(url.set(password=password))
    try:
        engine.connect().close()
    except OperationalError as exc:
        log.warning("sign-in to %s refused: %s", shown(url), str(getattr(exc, "orig", exc)).strip())
        raise DatabaseError(
            f"无法以 {url.username} 登录 {shown(url)}：请核对密码（或网络、服务器地址），再运行一次。") from None
    finally:
        engine.dispose()
    keep_password(url, password)
    return f"已把 {url.username} 的密码存入本机的凭据管理器：以后连接 {shown(url)} 不再需要输入"
