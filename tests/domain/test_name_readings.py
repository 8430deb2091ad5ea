"""Reading a name character by character where it holds no phrase gives what pypinyin gives for the whole
name: the search keys of every name stay as they were."""

from __future__ import annotations

import random

from pypinyin import lazy_pinyin

from app.demo import people
from app.domain.names import _reading, search_keys

_MIXED = ("张三", "曾超", "单田芳", "长孙无忌", "重庆", "王银行", "李长江", "朴a", "张 三", "阿不都热合曼", "欧阳娜娜",
          "王〇", "", "x", "石家庄", "解放", "乐乐", "朝阳", "覃重阳", "区长", "张行长", "李会计")


def test_every_reading_is_pypinyins() -> None:
    rng = random.Random(7)
    names = [people.full_name(rng, rng.random() < 0.5) for _ in range(20000)]
    pool = "".join({c for n in names for c in n}) + "长行重乐朝阳会计银解放"
    names += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 4))) for _ in range(20000)]
    for name in [*names, *_MIXED]:
        assert _reading(name) == lazy_pinyin(name, errors="ignore"), name


def test_a_name_holding_a_phrase_reads_the_phrase() -> None:
    """行长 is read hang zhang as a phrase, not xing chang as two characters would be."""
    assert search_keys("张行长") == ("zhz", "zhanghangzhang")
    assert [lazy_pinyin(c)[0] for c in "行长"] != ["hang", "zhang"]
    assert search_keys("曾超") == ("zc", "zengchao")
