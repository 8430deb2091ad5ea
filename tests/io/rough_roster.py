"""A rough roster of a few hundred rows, the same every time: mostly new persons across old and new
villages, and among them every kind of trouble the import knows (bad and duplicate IDs, IDs typed as
numbers, certificates that disagree, cells that are TRUE or NaN or control characters, phones and
accounts that are not, a blank village) and rows for persons already on the register (changes, no
changes, a certificate of someone else). What importing it did before the bulk import is recorded in
data/rough_import_before.json; test_import_same_as_before holds the import to it."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy.orm import Session

from app.io.roster_import import ImportResult, PreviewRow
from app.services.register import people
from tests.factories import make_id
from tests.io import hostile

TODAY = dt.date(2026, 6, 15)
HEADER = (
    "序号", "姓名", "性别", "身份证号", "残疾证号", "残疾类别", "残疾等级", "多重残疾组成", "发证日期", "村", "组",
    "住址", "联系电话", "是否低保", "低保类别", "劳动能力", "生活自理能力", "是否独居", "城乡居民医保", "监护人",
    "监护人电话", "民族", "文化程度", "就业情况", "开户行", "银行账号", "备注",
)
_COLUMN = {name: index for index, name in enumerate(HEADER)}
_SURNAMES = "王李张刘陈杨曾单解朴区"
_GIVEN = "明伟芳秀英强军兰梅平华"
_VILLAGES = ("金塔村", "新华村", "红旗村", "东风村", "团结村", "清泉村")
_CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", 4, "4", "肢体残疾")
_GRADES = ("一级", "二级", "三级", "四级", 2, 3.0, "4级")

TAKEN = make_id("19660606", "899", "620922")  # the ID an old record's certificate begins with

# On the register before the import: (name, id, fields)
ON_FILE = (
    ("张三", make_id("19800101", "123"), {"phone": "13800000001", "village": "金塔村", "group": "1组"}),
    ("李四", make_id("19650302", "224"), {"certificate_number": make_id("19650302", "224") + "11",
                                           "category": "视力", "grade": "一级", "village": "红光村"}),
    ("王五", make_id("19900909", "335"), {"category": "多重", "grade": "一级", "components": "视力、肢体"}),
    ("赵六", make_id("19720305", "100"), {"dibao": "否", "village": "新华村", "group": "2组"}),
    ("钱七", make_id("19550505", "447"), {"certificate_number": make_id("19550505", "447") + "42"}),
)


def register_on_file(session: Session) -> None:
    for name, id_number, fields in ON_FILE:
        raw = {"name": name, "id_number": id_number, "category": "肢体", "grade": "二级", "village": "金塔村",
               "group": "1组", **fields}
        people.save_checked(session, raw, on=TODAY - dt.timedelta(days=400))
    # an old record holding a certificate that begins with another person's ID (typed wrong long ago)
    old = people.save_checked(session, {"name": "孙八", "id_number": make_id("19480808", "663"), "category": "肢体",
                                        "grade": "二级", "village": "金塔村"}, on=TODAY - dt.timedelta(days=900))
    old.person.certificate_number = TAKEN + "42"
    session.flush()


def _cells(**named: object) -> list[object]:
    line: list[object] = [None] * len(HEADER)
    for name, value in named.items():
        line[_COLUMN[name]] = value
    return line


def _new_row(rng: random.Random, number: int) -> list[object]:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 70))
    id18 = make_id(born.strftime("%Y%m%d"), f"{rng.randrange(1000):03d}", rng.choice(("620921", "620902")))
    category = rng.choice(_CATEGORIES)
    grade = rng.choice(_GRADES)
    village = rng.choice(_VILLAGES)
    line = _cells(序号=number, 姓名=rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.randint(1, 2))),
                  身份证号=id18, 残疾类别=category, 残疾等级=grade, 村=village)
    roll = rng.random
    if roll() < 0.7:
        line[_COLUMN["组"]] = rng.choice((1, 2, "3组", "4", 5.0))
    if roll() < 0.5:
        line[_COLUMN["住址"]] = f"{village}{rng.randint(1, 9)}组{rng.randint(1, 80)}号"
    if roll() < 0.6:
        line[_COLUMN["联系电话"]] = rng.choice(("139", "151", "+86 138")) + f"{rng.randrange(10**8):08d}"
    if roll() < 0.3:
        line[_COLUMN["是否低保"]] = rng.choice(("是", "否", "二类", "低保户", "不知道"))
    if roll() < 0.2:
        line[_COLUMN["低保类别"]] = rng.choice(("一类", "3", "四类"))
    for header, choices in (("劳动能力", ("有", "部分", "无", "丧失", "?")),
                            ("生活自理能力", ("自理", "不能自理", "部分自理", "说不清")),
                            ("是否独居", ("是", "否", "TRUE")), ("城乡居民医保", ("参保", "否", "是")),
                            ("民族", ("汉族", "回族", "藏族")), ("文化程度", ("小学", "初中", "文盲")),
                            ("就业情况", ("务农", "外出务工")), ("开户行", ("农商银行", "邮储银行")),
                            ("性别", ("男", "女", "男性"))):
        if roll() < 0.4:
            line[_COLUMN[header]] = rng.choice(choices)
    if roll() < 0.3:
        line[_COLUMN["银行账号"]] = "6228" + f"{rng.randrange(10**15):015d}"
    if roll() < 0.3:
        line[_COLUMN["监护人"]] = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        line[_COLUMN["监护人电话"]] = "0937-44" + f"{rng.randrange(10**5):05d}"
    if roll() < 0.4:
        cat = {"视力": 1, "听力": 2, "言语": 3, "智力": 5, "精神": 6}.get(str(category), 4)
        level = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "2": 2, "3.0": 3, "4级": 4}[str(grade)]
        line[_COLUMN["残疾证号"]] = f"{id18}{cat}{level}"
        line[_COLUMN["发证日期"]] = rng.choice(("2015-03-02", "2019年5月1日", "20210708", "2015/3/2"))
    if roll() < 0.1:
        line[_COLUMN["备注"]] = rng.choice(("低保边缘", "=SUM(A1)", "需复核\n下次走访"))
    return line


def _troubles(rng: random.Random, first_ids: list[str]) -> list[list[object]]:
    """One row of each kind of trouble; first_ids are IDs of new rows earlier in the file."""
    bad_id = first_ids[0][:-1] + ("1" if first_ids[0][-1] == "0" else "0")
    fresh = [make_id("19660606", f"{n:03d}", "620922") for n in range(900, 930)]
    on_file = {name: id18 for name, id18, _ in ON_FILE}
    return [
        _cells(姓名="错号", 身份证号=bad_id, 残疾类别="肢体", 残疾等级="二级", 村="金塔村"),
        _cells(姓名="重复", 身份证号=first_ids[1], 残疾类别="肢体", 残疾等级="二级", 村="金塔村"),
        _cells(姓名="数字号", 身份证号=int(fresh[0]) if fresh[0][-1] != "X" else 620921199009093351,
               残疾类别="肢体", 残疾等级="二级", 村="金塔村"),
        _cells(姓名="老号", 身份证号=int(fresh[1][:6] + fresh[1][8:17]), 残疾类别="肢体", 残疾等级="二级", 村="新华村"),
        _cells(姓名="老号文本", 身份证号=fresh[2][:6] + fresh[2][8:17], 残疾类别="听力", 残疾等级="三级", 村="新华村"),
        _cells(姓名=True, 身份证号=fresh[3], 残疾类别="肢体", 残疾等级="二级", 村="金塔村"),
        _cells(姓名="逻辑类", 身份证号=fresh[4], 残疾类别=True, 残疾等级="二级", 村="金塔村"),
        _cells(姓名="非数", 身份证号=fresh[5], 残疾类别="肢体", 残疾等级=float("nan"), 村="金塔村"),
        _cells(姓名="无村", 身份证号=fresh[6], 残疾类别="肢体", 残疾等级="二级"),
        _cells(姓名="证不符", 身份证号=fresh[7], 残疾证号=fresh[7] + "41", 残疾类别="肢体", 残疾等级="二级",
               村="金塔村"),
        _cells(姓名="证数字", 身份证号=fresh[8], 残疾证号=int(fresh[8][:17] + "042"), 残疾类别="肢体", 残疾等级="二级",
               村="金塔村"),
        _cells(姓名="账号数字", 身份证号=fresh[9], 残疾类别="肢体", 残疾等级="二级", 村="金塔村",
               银行账号=6228480012345678901),
        _cells(姓名="坏电话", 身份证号=fresh[10], 残疾类别="肢体", 残疾等级="二级", 村="金塔村", 联系电话="12345"),
        _cells(姓名="张\a三丰", 身份证号="\u200e" + fresh[11], 残疾类别="肢\x00体", 残疾等级="二级", 村="金\x1b塔村"),
        _cells(姓名="名字3", 身份证号=fresh[12], 残疾类别="肢体", 残疾等级="二级", 村="金塔村"),
        _cells(姓名="非多重", 身份证号=fresh[13], 残疾类别="肢体", 残疾等级="二级", 多重残疾组成="视力、听力",
               村="金塔村"),
        _cells(姓名="多重", 身份证号=fresh[14], 残疾类别="多重", 残疾等级="一级", 多重残疾组成="视力、听力",
               村="五星村", 组="2组"),
        _cells(姓名="空类别", 身份证号=fresh[15], 残疾等级="二级", 村="金塔村"),
        _cells(姓名="未来证", 身份证号=fresh[16], 残疾证号=fresh[16] + "42", 发证日期="2099-01-01", 残疾类别="肢体",
               残疾等级="二级", 村="金塔村"),
        _cells(身份证号=fresh[17]),
        _cells(姓名="证被占", 身份证号=TAKEN, 残疾证号=TAKEN + "42", 残疾类别="肢体", 残疾等级="二级", 村="金塔村"),
        [None] * len(HEADER),
        _cells(序号=999),
        # persons already on the register
        _cells(姓名="张三", 身份证号=on_file["张三"], 联系电话="13912345678"),  # a changed phone
        _cells(姓名="王五", 身份证号=on_file["王五"]),  # nothing to change
        _cells(姓名="李四", 身份证号=on_file["李四"], 残疾等级="三级"),  # against the certificate on file
        _cells(姓名="赵六", 身份证号=on_file["赵六"], 是否低保="二类", 村="三合村", 组=4),  # 低保 given, a new village
        _cells(姓名="钱七", 身份证号=on_file["钱七"], 残疾证号=on_file["李四"] + "11"),  # someone else's certificate
        _cells(身份证号=on_file["钱七"], 组="3组", 民族="回族", 是否独居="是"),  # no name: kept as stored
        _cells(姓名="张三", 身份证号=on_file["张三"], 联系电话="13700000000"),  # the same person again
    ]


def rows(count: int = 300, seed: int = 15) -> list[list[object]]:
    rng = random.Random(seed)
    new = [_new_row(rng, n) for n in range(1, count + 1)]
    ids = [str(line[_COLUMN["身份证号"]]) for line in new]
    troubles = _troubles(rng, ids)
    out = list(new)
    for index, trouble in enumerate(troubles):  # spread through the file
        out.insert(min(len(out), 7 + index * (count // len(troubles))), trouble)
    return out


def write(path: Path, count: int = 300, seed: int = 15) -> Path:
    return hostile.roster(path, rows(count, seed), header=HEADER)


def outcome_lines(result: ImportResult) -> list[list[object]]:
    return [[r.row, r.name, r.id_masked, r.outcome, r.reason, list(r.warnings), r.fingerprint] for r in result.rows]


def preview_lines(rows_: list[PreviewRow]) -> list[list[object]]:
    return [[r.row, r.name, r.id_masked, r.outcome, r.reason, list(r.warnings)] for r in rows_]
