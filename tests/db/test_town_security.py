"""A county's shared server (app/db/town_security.py, revision 0011): a town clerk connecting with plain
psycopg, as they could with psql, reads and writes only their own town's rows; county staff read every
town's; the audit's actor is the server's current_user whatever the program claims; every table of the
schema is classified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from app.db.engine import open_database
from app.db.models import AuditEntry, DeviceType, Person, Village
from app.db.schema import Base
from app.db.town_security import ADMINISTERED, APPEND_ONLY, COUNTY_ONLY, SHARED, TOWN_ROWS
from app.services.clerks import add_clerk
from app.services.devices.issue import IssueItem, issue
from app.services.devices.stock import receive
from app.services.register import people
from tests.conftest import _admin, pg_copy
from tests.factories import make_id
from tests.pg_cluster import Cluster

A, B = "金塔镇", "东坝镇"
PASSWORD = "jinta-2026"


@dataclass(frozen=True)
class Server:
    url: str  # the administrator's (the cluster's superuser)
    dbname: str
    port: int
    town_a: str  # a login of town A's clerk
    town_b: str
    county: str


def _connect(server: Server, login: str) -> psycopg.Connection[tuple[object, ...]]:
    # the cluster trusts local connections: who connects is the login named, as with psql -U login
    return psycopg.connect(host="127.0.0.1", port=server.port, user=login, dbname=server.dbname)


def _sql_admin(server: Server, statement: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres", dbname=server.dbname,
                         autocommit=True) as conn:
        cur = conn.execute(statement, params)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


@pytest.fixture
def server(pg_cluster: Cluster, pg_demo_template: str) -> Iterator[Server]:
    """The 345-person demo town on a server, its villages split between two towns, with a clerk of each and
    one of the county."""
    with pg_copy(pg_cluster, pg_demo_template) as url:
        with open_database(url) as db:
            with db.transaction("管理员") as session:
                ids = list(session.scalars(select(Village.id).order_by(Village.id)))
                session.execute(update(Village).where(Village.id.in_(ids[:5])).values(town=A))
                session.execute(update(Village).where(Village.id.in_(ids[5:])).values(town=B))
            logins = [pg_cluster.new_name(stem) for stem in ("jinta", "dongba", "county")]
            add_clerk(db, logins[0], A, PASSWORD)
            add_clerk(db, logins[1], B, PASSWORD)
            add_clerk(db, logins[2], None, PASSWORD)
        yield Server(url, str(make_url(url).database), pg_cluster.port, *logins)


def _one(server: Server, login: str, statement: str, *params: object) -> object:
    with _connect(server, login) as conn:
        return conn.execute(statement, params).fetchone()[0]  # type: ignore[arg-type, index]


def _person_of(server: Server, town: str) -> int:
    found = _sql_admin(server, "select p.id from person p join village v on v.id = p.village_id where v.town = %s"
                       " and p.status = '在册' order by p.id limit 1", town)
    return int(found[0][0])  # type: ignore[call-overload]


def test_every_table_is_a_towns_or_shared_or_said_otherwise() -> None:
    classified = set(TOWN_ROWS) | set(SHARED) | set(APPEND_ONLY) | set(ADMINISTERED) | set(COUNTY_ONLY)
    assert set(Base.metadata.tables) | {"alembic_version"} == classified


def test_every_towns_table_is_forced_under_row_level_security(server: Server) -> None:
    rows = dict(_sql_admin(server, "select relname, relrowsecurity and relforcerowsecurity from pg_class "
                                   "where relname = any(%s)", [*TOWN_ROWS, *APPEND_ONLY, *ADMINISTERED]))
    assert rows == {table: True for table in [*TOWN_ROWS, *APPEND_ONLY, *ADMINISTERED]}


def test_a_town_clerk_sees_only_their_towns_rows_in_every_table(server: Server) -> None:
    """In each table of a town's rows, what A's clerk sees and what B's clerk sees add up to what county
    staff see (stock received or written off, which has no person, is both towns'); the persons each sees
    are those an independent SQL join gives for their town."""
    for table in TOWN_ROWS:
        county = _one(server, server.county, f"select count(*) from {table}")
        seen_a = _one(server, server.town_a, f"select count(*) from {table}")
        seen_b = _one(server, server.town_b, f"select count(*) from {table}")
        shared = _one(server, server.county, "select count(*) from stock_movement where person_id is null"
                      ) if table == "stock_movement" else 0
        assert seen_a + seen_b - shared == county, table  # type: ignore[operator]
        if county:
            assert seen_a < county and seen_b < county, table  # type: ignore[operator]
    for town, login in ((A, server.town_a), (B, server.town_b)):
        joined = _sql_admin(server, "select count(*) from person p join village v on v.id = p.village_id "
                                    "where v.town = %s", town)[0][0]
        assert _one(server, login, "select count(*) from person") == joined > 0


def test_a_town_clerk_cannot_read_the_countys_summary_of_every_town(server: Server) -> None:
    for table in COUNTY_ONLY:
        with _connect(server, server.town_a) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"select count(*) from {table}")
        assert _one(server, server.county, f"select count(*) from {table}") == 0  # county staff read it


def test_another_towns_person_cannot_be_read_changed_or_deleted(server: Server) -> None:
    theirs = _person_of(server, B)
    name = _sql_admin(server, "select name from person where id = %s", theirs)[0][0]
    with _connect(server, server.town_a) as conn:
        assert conn.execute("select * from person where id = %s", (theirs,)).fetchall() == []
        assert conn.execute("select * from status_change where person_id = %s", (theirs,)).fetchall() == []
        assert conn.execute("update person set name = '改掉' where id = %s", (theirs,)).rowcount == 0
        assert conn.execute("update status_change set reason = '改掉' where person_id = %s",
                            (theirs,)).rowcount == 0
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nobody deletes: not even their own town's
            conn.execute("delete from person where id = %s", (theirs,))
    assert _sql_admin(server, "select name from person where id = %s", theirs)[0][0] == name
    assert _sql_admin(server, "select count(*) from status_change where reason = '改掉'")[0][0] == 0


def test_a_delete_granted_by_mistake_still_reaches_only_the_own_town(server: Server) -> None:
    _sql_admin(server, "grant delete on status_change to canlian_town")  # this test database's grant only
    theirs = _person_of(server, B)
    before = _sql_admin(server, "select count(*) from status_change where person_id = %s", theirs)[0][0]
    with _connect(server, server.town_a) as conn:
        assert conn.execute("delete from status_change where person_id = %s", (theirs,)).rowcount == 0
        conn.commit()
    assert _sql_admin(server, "select count(*) from status_change where person_id = %s", theirs)[0][0] == before > 0


def test_inserting_into_another_town_is_refused(server: Server) -> None:
    theirs = _person_of(server, B)
    their_village, their_household = _sql_admin(
        server, "select village_id, household_id from person where id = %s", theirs)[0]
    my_village = _sql_admin(server, "select id from village where town = %s limit 1", A)[0][0]
    person = ("insert into person (name, id_number, sex, birth_date, category, components, grade, status,"
              " village_id, household_id) values ('王五', '620921198001019999', '男', '1980-01-01', 4, '', 2,"
              " '在册', %s, %s)")
    attempts = [
        (person, (their_village, None)),  # a person in town B's village
        (person, (my_village, their_household)),  # into town B's household
        ("insert into status_change (person_id, status, date, reason) values (%s, '死亡', '2026-01-01', '')",
         (theirs,)),
        # a village of town B: the server makes it A's (below)
        ("insert into village (name, sort_order, town) values ('新村', 99, %s)", (B,)),
    ]
    with _connect(server, server.town_a) as conn:
        for statement, params in attempts[:3]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(statement, params)
            conn.rollback()
        conn.execute(*attempts[3])
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("update person set village_id = %s where village_id = %s", (their_village, my_village))
    assert _sql_admin(server, "select town from village where name = '新村'") == [(A,)]
    assert _sql_admin(server, "select count(*) from person where name = '王五'")[0][0] == 0


def test_county_staff_see_and_change_every_town(server: Server) -> None:
    mine, theirs = _person_of(server, A), _person_of(server, B)
    with _connect(server, server.county) as conn:
        assert conn.execute("select count(*) from person where id in (%s, %s)", (mine, theirs)).fetchone() == (2,)
        assert conn.execute("update person set phone = '13900000000' where id in (%s, %s)",
                            (mine, theirs)).rowcount == 2
    assert _sql_admin(server, "select count(*) from person where phone = '13900000000'")[0][0] == 2


def test_the_audits_actor_is_the_login_whatever_the_program_claims(server: Server) -> None:
    mine = _person_of(server, A)
    clerk_url = make_url(server.url).set(username=server.town_a).render_as_string(hide_password=False)
    with open_database(clerk_url) as db:
        db.actor = "县长本人"  # what the program claims
        with db.transaction() as session:
            person = session.get(Person, mine)
            assert person is not None
            people.update_person(session, person, {"phone": "13811112222"})
    with _connect(server, server.town_a) as conn:
        conn.execute("insert into audit_log (at, actor, entity, entity_id, action, field, town) values "
                     "(now(), '别人', 'person', %s, '修改', 'phone', %s)", (mine, B))
        conn.commit()
        rows = conn.execute("select actor, town from audit_log where entity = 'person' and entity_id = %s "
                            "and field = 'phone'", (mine,)).fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the audit is appended to, never changed
            conn.execute("update audit_log set actor = '别人'")
    assert rows == [(server.town_a, A), (server.town_a, A)]
    with _connect(server, server.town_b) as conn:  # B's clerk does not read A's history
        assert conn.execute("select count(*) from audit_log where entity_id = %s and entity = 'person'",
                            (mine,)).fetchone() == (0,)
    assert _sql_admin(server, "select count(*) from audit_log where actor in ('县长本人', '别人')")[0][0] == 0
    # the administrator is no clerk: their rows stay as written (move-to copies a file's audit as it is)
    _sql_admin(server, "insert into audit_log (at, actor, entity, entity_id, action, field) values "
                       "(now(), '迁移', 'person', %s, '新增', '')", mine)
    assert _sql_admin(server, "select actor, town from audit_log where actor = '迁移'") == [("迁移", None)]


def test_the_program_works_as_a_town_clerk(server: Server) -> None:
    """A town clerk's program: opening the register, the search, a new person in a village of the town."""
    clerk_url = make_url(server.url).set(username=server.town_a).render_as_string(hide_password=False)
    with open_database(clerk_url) as db, db.transaction() as session:
        added = people.save_checked(session, {"name": "赵六", "id_number": make_id(seq="901"),
                                              "category": "肢体", "grade": "二级", "village": "新建村",
                                              "group": "1组"}).person
        village = added.village
        assert village is not None and village.town == A
        seen = set(session.scalars(select(Village.town).distinct()))
        assert seen == {A}
        assert session.scalar(select(AuditEntry.actor).where(AuditEntry.entity == "person",
                                                             AuditEntry.entity_id == added.id)) == server.town_a
    with _connect(server, server.town_b) as conn:
        assert conn.execute("select count(*) from person where name = '赵六'").fetchone() == (0,)


def test_a_town_clerks_receipt_number_follows_every_towns(server: Server) -> None:
    """领取单编号 run through the county: a town clerk, who sees only their town's receipts, still takes the
    number after town B's latest (found by scripts/load.py as two receipts with one number, refused)."""
    today = dt.date.today()
    with open_database(server.url) as db:
        with db.session() as s:
            kind = s.scalar(select(DeviceType.id).where(
                DeviceType.has_serial.is_(False), DeviceType.needs_assessment.is_(False)).order_by(DeviceType.id))
        assert kind is not None
        receive(db, kind, today, 5, "县残联调拨")
        theirs = issue(db, _person_of(server, B), [IssueItem(kind)], today, reason="测试")
    clerk_url = make_url(server.url).set(username=server.town_a).render_as_string(hide_password=False)
    with open_database(clerk_url) as db:
        mine = issue(db, _person_of(server, A), [IssueItem(kind)], today, reason="测试")
    year, number = theirs.number.split("-")
    assert mine.number == f"{year}-{int(number) + 1:04d}"


def test_an_owner_who_is_no_superuser_builds_the_register_and_sees_every_town(pg_cluster: Cluster) -> None:
    """As the README sets a server up: the database's owner has CREATEROLE, not superuser. The migrations
    run as them, they join canlian_county, so the FORCEd policies hide nothing from them, and their
    add-clerk makes a town clerk held to the town."""
    owner, name = pg_cluster.new_name("owner"), pg_cluster.new_name("canlian_owned")
    _admin(pg_cluster, f"create role {owner} login createrole", f"create database {name} owner {owner}")
    url = f"postgresql+psycopg://{owner}@127.0.0.1:{pg_cluster.port}/{name}"
    try:
        with open_database(url) as db:
            with db.transaction("管理员") as session:
                people.save_checked(session, {"name": "张三", "id_number": make_id(seq="111"), "category": "肢体",
                                              "grade": "二级", "village": "金塔村", "group": "1组"})
                people.save_checked(session, {"name": "李四", "id_number": make_id(seq="113"), "category": "肢体",
                                              "grade": "二级", "village": "东坝村", "group": "1组"})
                session.execute(update(Village).where(Village.name == "金塔村").values(town=A))
                session.execute(update(Village).where(Village.name == "东坝村").values(town=B))
            clerk = pg_cluster.new_name("jinta")
            add_clerk(db, clerk, A, PASSWORD)
            with db.session() as session:
                assert set(session.scalars(select(Person.name))) == {"张三", "李四"}
        with psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user=clerk, dbname=name) as conn:
            assert conn.execute("select name from person").fetchall() == [("张三",)]
    finally:
        _admin(pg_cluster, f"drop database if exists {name} with (force)")


def test_a_town_clerks_first_confirmation_finds_the_standards_already_saved(
        pg_cluster: Cluster, pg_template: str) -> None:
    """A payment names the saved standard it was paid under, and the first 确认发放 saves the shipped
    standards; a town clerk may not write the county's standards, so adding the first clerk saves them."""
    from app.domain.months import Month
    from app.services.subsidies.payments import confirm_month

    with pg_copy(pg_cluster, pg_template) as url:
        with open_database(url) as db:
            with db.transaction("管理员") as session:
                session.add(Village(name="金塔村", town=A))
            login = pg_cluster.new_name("jinta")
            add_clerk(db, login, A, PASSWORD)
        clerk = make_url(url).set(username=login, password=None)
        with open_database(clerk.render_as_string(hide_password=False)) as town_db:
            assert confirm_month(town_db, Month(2026, 6), dt.date(2026, 11, 30)) == 0


def test_two_towns_each_have_a_village_of_the_same_name_but_one_town_not_two(server: Server) -> None:
    """Two towns of a county often both have a 中心村: B's clerk makes theirs though A has one (the server
    gives it B's town); a second of the same name in one town is refused, as on a town's own file."""
    a_village = str(_sql_admin(server, "select name from village where town = %s order by id limit 1", A)[0][0])
    with _connect(server, server.town_b) as conn:
        conn.execute("insert into village (name, sort_order) values (%s, 99)", (a_village,))
    towns = _sql_admin(server, "select town from village where name = %s order by town", a_village)
    assert sorted(str(t[0]) for t in towns) == sorted([A, B])
    with _connect(server, server.town_a) as conn, pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute("insert into village (name, sort_order) values (%s, 99)", (a_village,))
    from app.errors import InputError
    from app.services.register.villages import village_named

    with open_database(make_url(server.url).set(username=server.town_b).render_as_string(False)) as town_b, \
            town_b.transaction() as session:
        assert village_named(session, a_village).town == B  # B's clerk sees their own only
    both = f"“{a_village}”不止一个乡镇有（{B}、{A}）"
    with open_database(make_url(server.url).set(username=server.county).render_as_string(False)) as county, \
            county.transaction() as session, pytest.raises(InputError, match=both):
        village_named(session, a_village)  # county staff see both: the person's town must decide
    with open_database(make_url(server.url).set(username=server.county).render_as_string(False)) as county:
        person_id = int(str(_sql_admin(server, "select p.id from person p join village v on v.id = p.village_id "
                                               "where v.name = %s and p.status = '在册' limit 1", a_village)[0][0]))
        form = people.person_form(county, person_id)
        saved = people.save_form(county, person_id, {**form.fields, "phone": "13800138000"}, version=form.version)
        assert saved.changed == ("phone",)  # a person of that village is still changed by county staff
