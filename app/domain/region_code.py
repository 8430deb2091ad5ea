"""统计用区划代码: the 12-digit statistical division code of a town (国家统计局), e.g. 620902100000 for a
town of 酒泉市肃州区. The county knows its towns by it, so a package names its town by code, not by name."""

from __future__ import annotations

from app.errors import InputError


def check_region_code(text: str) -> str:
    """The code trimmed, or InputError in one sentence: empty (not entered yet) or exactly 12 digits."""
    code = text.strip()
    if code and (len(code) != 12 or not code.isascii() or not code.isdigit()):
        raise InputError(f"统计用区划代码“{code}”不对：应为12位数字（乡镇级，如620902100000），请核对后再保存。")
    return code
