"""The log file never holds a full ID number, whatever the message: the filter on the log's handler masks
any 15- or 18-character ID (and the 20-character certificate number that contains one) in every record."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli, paths
from app.logmask import mask_ids
from tests.factories import make_id

ID18 = make_id("19800101", "123")
ID_X = "11010519491231002X"
ID15 = "620921800101123"


@pytest.fixture
def log_file() -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers)
    cli._setup_logging()
    yield paths.log_path()
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_no_full_id_reaches_the_log_file(log_file: Path) -> None:
    log = logging.getLogger("canlian.test")
    log.info("导入时身份证号%s重复", ID18)  # an ID in the arguments, between Chinese characters
    log.warning(f"残疾证号 {ID18}42 与 {ID_X} 不符；旧证 {ID15}")  # already formatted into the message
    try:
        raise ValueError(f"UNIQUE constraint failed: person.id_number = '{ID18}'")
    except ValueError:
        log.exception("保存失败")  # in a traceback
    logging.getLogger("sqlalchemy.engine").warning("params (%r,)", (ID_X,))  # another library's record
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    for whole in (ID18, ID_X, ID15, ID18[6:14] + ID18[14:17]):
        assert whole not in text
    assert "导入时身份证号6209**********" in text and "保存失败" in text and "ValueError" in text
    assert text.count("**********") >= 5


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"号码{ID18}。", f"号码{ID18[:4]}{'*' * 10}{ID18[-4:]}。"),
        (f"{ID_X}", f"1101{'*' * 10}002X"),
        (f"[{ID15}]", f"[6209{'*' * 7}1123]"),
        ("备份 canlian-备份-20261129-101010.db，第12345678901234行",
         "备份 canlian-备份-20261129-101010.db，第12345678901234行"),
        ("6209211980010112345678901", "6209211980010112345678901"),  # 25 digits: not an ID, left as it is
    ],
)
def test_mask_ids(text: str, masked: str) -> None:
    assert mask_ids(text) == masked
