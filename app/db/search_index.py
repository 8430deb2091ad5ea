"""SQLite's search index of the register: what finds a person by a character of the name, the start of the
name's initials or digits of the ID number without reading every person, in the list's order. Made by
revision 0007 and kept up to date by triggers on `person`, so every way a person is written (the form, an
import, the demo town, a restore) keeps it right.

- person_search_key: a row per key of a person, ordered as the register lists persons (those 在册 first,
  then by pinyin, then id), carrying the name. Keys: each character of the name (kind 'c': 张小明 -> 张, 小,
  明) and each start of the initials (kind 'i': zxm -> z, zx, zxm). The first 200 persons whose name holds
  张 are then the first 200 rows of one index range; a name containing 小明 is among the rows of 明, and
  the name carried alongside decides.
- person_id_digits: an FTS5 trigram index of the ID numbers: MATCH '"1985"' finds every ID containing 1985.

On PostgreSQL none of this: pg_trgm and prefix indexes of its own (PG_INDEXES) serve LIKE '%…%' and
LIKE 'zs%'. The tables are not mapped classes (nothing but the triggers writes them), so the schema
comparison leaves them out (include_name). A later revision that rebuilds `person` in batch mode (copy,
drop, rename) drops its triggers with it: such a revision runs drop_statements and create_statements again."""

from __future__ import annotations

SEARCH_KEYS = "person_search_key"
ID_DIGITS = "person_id_digits"
LONGEST = 40  # Person.name and Person.initials are String(40)
ON_REGISTER = "在册"  # PersonStatus.ON_REGISTER, as the list orders by it (0 first, then the others)
_FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
_TRIGGERS = ("person_search_insert", "person_search_update", "person_search_delete")


# PostgreSQL's own: pg_trgm GIN indexes serve LIKE '%…%' on names and ID numbers (a name's characters are
# trigrams when the database's LC_CTYPE is UTF-8, README), and text_pattern_ops indexes serve LIKE 'zs%' on
# the initials and the pinyin whatever the database's collation.
PG_INDEXES = {
    "ix_person_name_trgm": "person using gin (name gin_trgm_ops)",
    "ix_person_id_number_trgm": "person using gin (id_number gin_trgm_ops)",
    "ix_person_initials_prefix": "person (initials text_pattern_ops)",
    "ix_person_pinyin_prefix": "person (pinyin text_pattern_ops)",
    # a village's persons, so that "name LIKE … OR village_id = ANY(…)" is two index scans ORed, not a scan
    "ix_person_village": "person (village_id)",
}


# Revision 0012: each character of a name as an array, in a GIN index, so that one or two characters (no
# trigram to look up) find their holders without reading every person: 张 is held by 12,000 of 100,000.
PG_NAME_CHARACTERS = {"ix_person_name_chars": "person using gin (string_to_array(name, NULL))"}


def postgresql_create_statements() -> list[str]:
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it, no superuser needed
    return ["create extension if not exists pg_trgm",
            *(f"create index {name} on {what}" for name, what in PG_INDEXES.items())]


def postgresql_drop_statements() -> list[str]:
    return [f"drop index if exists {name}" for name in PG_INDEXES]


def is_search_index(name: str | None) -> bool:
    """A table of the search index (FTS5 keeps its own shadow tables beside the virtual one)."""
    return name == SEARCH_KEYS or (name is not None and name.startswith(ID_DIGITS)
                                   and name[len(ID_DIGITS):] in ("", *_FTS_SHADOWS))


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's filter for autogenerate and the schema comparison: the search index is not in the models."""
    return not (type_ == "table" and is_search_index(name)) and not (
        type_ == "index" and (name in PG_INDEXES or name in PG_NAME_CHARACTERS))


def _keys_of(person: str, only: str = "", longest: int = LONGEST) -> str:
    """The keys of `person` (new in a trigger, person for everyone, or those `only` names) as rows of
    person_search_key; longest: no name or initials among them is longer (fewer positions to try)."""
    positions = "[" + ",".join(str(i) for i in range(1, min(longest, LONGEST) + 1)) + "]"
    persons = "" if person == "new" else "person, "
    rest = (f"{person}.status <> '{ON_REGISTER}', {person}.pinyin, {person}.id, {person}.name "
            f"from {persons}json_each('{positions}') p")
    return (f"select 'c', substr({person}.name, p.value, 1), {rest} where p.value <= length({person}.name){only} "
            f"union all select 'i', substr({person}.initials, 1, p.value), {rest} "
            f"where p.value <= length({person}.initials){only}")


_INSERT_KEYS = f"insert or ignore into {SEARCH_KEYS} (kind, key, listed, pinyin, person_id, name) "


def create_statements() -> list[str]:
    """The tables, the triggers that keep them, and the filling of both from the persons already on file."""
    return [
        f"create table {SEARCH_KEYS} (kind varchar(1) not null, key varchar(40) not null, listed boolean not null, "
        f"pinyin varchar(120) not null, person_id integer not null, name varchar(40) not null, "
        f"primary key (kind, key, listed, pinyin, person_id)) without rowid",
        f"create index ix_{SEARCH_KEYS}_person on {SEARCH_KEYS} (person_id)",
        f"create virtual table {ID_DIGITS} using fts5(id_number, content='person', content_rowid='id', "
        f"tokenize='trigram')",
        f"create trigger person_search_insert after insert on person begin {_INSERT_KEYS}{_keys_of('new')}; "
        f"insert into {ID_DIGITS} (rowid, id_number) values (new.id, new.id_number); end",
        f"create trigger person_search_update after update of name, initials, pinyin, status, id_number on person "
        f"begin delete from {SEARCH_KEYS} where person_id = old.id; {_INSERT_KEYS}{_keys_of('new')}; "
        f"insert into {ID_DIGITS} ({ID_DIGITS}, rowid, id_number) values ('delete', old.id, old.id_number); "
        f"insert into {ID_DIGITS} (rowid, id_number) values (new.id, new.id_number); end",
        f"create trigger person_search_delete after delete on person begin "
        f"delete from {SEARCH_KEYS} where person_id = old.id; "
        f"insert into {ID_DIGITS} ({ID_DIGITS}, rowid, id_number) values ('delete', old.id, old.id_number); end",
        f"{_INSERT_KEYS}{_keys_of('person')}",
        f"insert into {ID_DIGITS} ({ID_DIGITS}) values ('rebuild')",
    ]


INSERT_TRIGGER = _TRIGGERS[0]


def fill_statements(after: int, longest: int = LONGEST) -> list[str]:
    """The index rows of every person numbered above `after`, as the insert trigger makes them one person
    at a time: for a bulk insert made without that trigger (app.services.register.bulk), which fills the
    index with one statement per table instead of a trigger run per person. longest: the longest name or
    initials among those persons. The keys go in in the index's order (half the time of going in as made;
    a duplicate key is the same row whichever comes first)."""
    only = f" and person.id > {int(after)}"
    return [f"{_INSERT_KEYS}{_keys_of('person', only, longest)} order by 1, 2, 3, 4, 5",
            f"insert into {ID_DIGITS} (rowid, id_number) select id, id_number from person where id > {int(after)}"]


def drop_statements() -> list[str]:
    return [*(f"drop trigger if exists {name}" for name in _TRIGGERS),
            f"drop table if exists {ID_DIGITS}", f"drop table if exists {SEARCH_KEYS}"]
