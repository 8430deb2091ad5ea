import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import Person
from app.domain.words import PersonStatus
from app.services.register import search
from app.services.register.search import PersonFilter, list_text


def test_the_list_waits_for_a_fourth_digit_of_an_id() -> None:
    assert list_text("62") == ""
    assert list_text(" 620 ") == ""
    assert list_text("6209") == "6209"
    assert list_text("zs") == "zs"
    assert list_text("张") == "张"


def test_the_lists_reads_on_the_demo_town(demo_db: Database) -> None:
    """A list's count and first page, further pages and their rows: as the register list reads them."""
    on_register = PersonFilter(status=PersonStatus.ON_REGISTER)
    start = search.list_start(demo_db, on_register, limit=50)
    with demo_db.session() as s:
        total = s.scalar(select(func.count()).select_from(Person).where(Person.status == "在册"))
    assert start.total is None and total == search.count_persons(demo_db, on_register) and len(start.ids) == 50
    assert search.list_start(demo_db, on_register, limit=total + 1).total == total  # a list shorter than a page
    everyone = search.list_ids(demo_db, on_register)
    assert everyone[:50] == start.ids and len(everyone) == total
    assert search.list_ids(demo_db, on_register, limit=50, offset=50) == everyone[50:100]
    rows = search.list_rows(demo_db, everyone[50:53])
    assert [r.id for r in rows] == list(everyone[50:53]) and all(r.status == "在册" for r in rows)
    found = search.find_persons(demo_db, rows[0].name, limit=5)
    assert rows[0].id in [r.id for r in found] and len(found) <= 5


def test_pages_of_a_search_of_everyone_follow_on_across_statuses(demo_db: Database) -> None:
    """Those 在册 first, then the others: a page may start in either part or straddle both."""
    straddled = 0
    for text in ("z", "l", "w", "明", "张", "王"):
        everyone = search.list_ids(demo_db, PersonFilter(text=text))
        with demo_db.session() as s:
            statuses = [s.get(Person, i).status for i in everyone]  # type: ignore[union-attr]
        assert "在册" in statuses and statuses == sorted(statuses, key=lambda x: x != "在册")
        straddled += statuses[-1] != "在册"
        pages = [search.list_ids(demo_db, PersonFilter(text=text), limit=7, offset=k)
                 for k in range(0, len(everyone), 7)]
        assert [i for page in pages for i in page] == list(everyone)
        assert search.count_persons(demo_db, PersonFilter(text=text)) == len(everyone)
    assert straddled  # some searches find persons no longer 在册 too


def test_digits_many_ids_hold_are_read_in_the_lists_order_with_the_same_result(
        demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """At county size, digits like a region code are in thousands of IDs and the list is read in its order
    checking each ID instead of sorting them all: the same persons in the same order as sorting."""
    from app.services.register import finders

    texts = ("6209", "1985", "0921", "2019")
    filters = [PersonFilter(text=t, status=s) for t in texts for s in (None, "在册")]
    sorted_all = [search.list_ids(demo_db, f) for f in filters]
    pages = [search.list_ids(demo_db, f, limit=9, offset=18) for f in filters]
    counts = [search.count_persons(demo_db, f) for f in filters]
    monkeypatch.setattr(finders, "_MANY", 3)
    assert [search.list_ids(demo_db, f) for f in filters] == sorted_all
    assert [search.list_ids(demo_db, f, limit=9, offset=18) for f in filters] == pages
    assert [search.count_persons(demo_db, f) for f in filters] == counts
    assert sum(len(ids) > 20 for ids in sorted_all) >= 4  # the lists are long enough to hold pages


def test_the_rows_of_a_page_are_what_sqlalchemy_reads_with_every_type(demo_db: Database) -> None:
    """SQLite reads a page's rows on the driver's own connection (the keystroke's path); PostgreSQL through
    SQLAlchemy. Either way each row is what the plain SQLAlchemy statement gives, typed: a date, booleans, in
    the order asked (a page of every status, a missing id left out)."""
    import datetime as dt

    from app.services.register.search import PersonRow, _rows_statement, rows_by_ids

    ids = list(search.list_ids(demo_db, PersonFilter()))
    page = ids[::-2][:150] + [10**9]  # out of order, several statuses, one id not on file
    with demo_db.session() as s:
        rows = rows_by_ids(s, page)
        plain = s.connection().execute(_rows_statement(), {"ids": page}).all()
    expected = {row[0]: PersonRow(*row[:12], bool(row[12]), row[13], bool(row[14]), bool(row[15])) for row in plain}
    assert rows == [expected[i] for i in page[:-1]] and len(rows) == 150
    assert all(isinstance(r.birth_date, dt.date) for r in rows)
    assert all(type(flag) is bool for r in rows for flag in (r.dibao, r.tekun, r.low_income))  # 1 == True
    assert {r.status for r in rows} > {"在册"} and any(r.dibao for r in rows) and any(not r.dibao for r in rows)


def test_the_lists_village_filter_offers_the_villages_the_choices_give(demo_db: Database) -> None:
    """The register tab's village filter reads (id, name) only: the same villages in the same order as
    village_choices, which loads each village's groups too."""
    from app.services.register.villages import village_choices

    offered = search.village_filter(demo_db)
    assert len(offered) > 5
    assert offered == tuple((v.id, v.name) for v in village_choices(demo_db))
