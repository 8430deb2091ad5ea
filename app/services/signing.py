"""The office's own Ed25519 key pair, which signs its 上报包 (a town) or its 政策更新包 (the county).

The private key is a file in the user's data folder, named by the register's identity
(data_dir/签名密钥/<identity>.pem, readable by the user only), and never in the database: every setting's
change is written with its value into the audit log, and the database travels in backups and on the USB
stick, where a key would let anyone who holds the stick sign as the office. The public key is a setting
(unit.public_key): it is no secret, and its fingerprint is what the county confirms by telephone once."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from app import paths
from app.errors import InputError

PUBLIC_KEY = "unit.public_key"  # the setting holding the raw public key in hex
IDENTITY = "register.identity"  # app.db.engine.IDENTITY_KEY: the register's own random identity


def key_path(identity: str) -> Path:
    return paths.data_dir() / "签名密钥" / f"{identity}.pem"


def fingerprint(public_hex: str) -> str:
    """SHA-256 of the raw public key, its first 128 bits in groups of 4 hex digits (8 groups, short
    enough to read aloud on the telephone, far too many to forge)."""
    digest = hashlib.sha256(bytes.fromhex(public_hex)).hexdigest().upper()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _write_key(path: Path, key: Ed25519PrivateKey) -> None:
    """The key file written whole under a temporary name and renamed, readable by the user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    partial = path.with_name(path.name + ".部分")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def load_key(identity: str) -> Ed25519PrivateKey | None:
    path = key_path(identity)
    if not path.exists():
        return None
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"签名密钥文件 {path} 不是本程序生成的：请移走它后重新保存单位信息。")
    return key


def ensure_key(session: Session) -> str:
    """The office's public key (hex), making the key pair the first time (the unit information's first
    save): a key file left from before (the same register on this computer) is used again."""
    from app.services.settings import get_setting, set_setting

    identity = get_setting(session, IDENTITY)
    key = load_key(identity)
    if key is None:
        key = Ed25519PrivateKey.generate()
        _write_key(key_path(identity), key)
    public = public_hex(key)
    set_setting(session, PUBLIC_KEY, public)
    return public


def signing_key(session: Session) -> Ed25519PrivateKey:
    """The private key to sign with; InputError when this computer does not hold it."""
    from app.services.settings import get_setting

    identity = get_setting(session, IDENTITY)
    key = load_key(identity)
    if key is None or public_hex(key) != get_setting(session, PUBLIC_KEY):
        raise InputError("本机没有这个单位的签名密钥：请在“设置 → 单位信息”中保存一次以生成新密钥，"
                         "并把新的核对码电话告知县残联。")
    return key


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(public: str, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
