"""SQLite's search index of the register: what finds a person by a character of the name or by digits of the
ID number without reading every person. Made by revision 0007 and kept up to date by triggers on `person`,
so every way a person is written (the form, an import, the demo town, a restore) keeps it right.

- person_name_char: each character of each name, with the person's id (张小明 -> 张, 小, 明). A name
  containing 小明 is among the persons having both 小 and 明; the name itself then decides.
- person_id_digits: an FTS5 trigram index of the ID numbers: MATCH '"1985"' finds every ID containing 1985.

SQLite only: another store (PostgreSQL with pg_trgm) serves LIKE '%…%' from its own index and needs
none of this. The tables are not mapped classes (nothing but the triggers writes them), so the schema
comparison leaves them out (include_name). A later revision that rebuilds `person` in batch mode (copy,
drop, rename) drops its triggers with it: such a revision runs drop_statements and create_statements again."""

from __future__ import annotations

NAME_CHARS = "person_name_char"
ID_DIGITS = "person_id_digits"
LONGEST_NAME = 40  # Person.name is String(40)
_FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


def is_search_index(name: str | None) -> bool:
    """A table of the search index (FTS5 keeps its own shadow tables beside the virtual one)."""
    return name == NAME_CHARS or (name is not None and name.startswith(ID_DIGITS)
                                  and name[len(ID_DIGITS):] in ("", *_FTS_SHADOWS))


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's filter for autogenerate and the schema comparison: the search index is not in the models."""
    return not (type_ == "table" and is_search_index(name))


def _chars_of(person: str) -> str:
    """The characters of the names of `person` (new in a trigger, person for all) as rows (ch, person_id)."""
    positions = "[" + ",".join(str(i) for i in range(1, LONGEST_NAME + 1)) + "]"
    persons = "" if person == "new" else "person, "
    return (f"select substr({person}.name, p.value, 1), {person}.id from {persons}json_each('{positions}') p "
            f"where p.value <= length({person}.name)")


def create_statements() -> list[str]:
    """The tables, the triggers that keep them, and the filling of both from the persons already on file."""
    return [
        f"create table {NAME_CHARS} (ch varchar(1) not null, person_id integer not null, "
        f"primary key (ch, person_id)) without rowid",
        f"create virtual table {ID_DIGITS} using fts5(id_number, content='person', content_rowid='id', "
        f"tokenize='trigram')",
        f"create trigger person_search_insert after insert on person begin "
        f"insert or ignore into {NAME_CHARS} (ch, person_id) {_chars_of('new')}; "
        f"insert into {ID_DIGITS} (rowid, id_number) values (new.id, new.id_number); end",
        f"create trigger person_search_update after update of name, id_number on person begin "
        f"delete from {NAME_CHARS} where person_id = old.id; "
        f"insert or ignore into {NAME_CHARS} (ch, person_id) {_chars_of('new')}; "
        f"insert into {ID_DIGITS} ({ID_DIGITS}, rowid, id_number) values ('delete', old.id, old.id_number); "
        f"insert into {ID_DIGITS} (rowid, id_number) values (new.id, new.id_number); end",
        f"create trigger person_search_delete after delete on person begin "
        f"delete from {NAME_CHARS} where person_id = old.id; "
        f"insert into {ID_DIGITS} ({ID_DIGITS}, rowid, id_number) values ('delete', old.id, old.id_number); end",
        f"insert or ignore into {NAME_CHARS} (ch, person_id) {_chars_of('person')}",
        f"insert into {ID_DIGITS} ({ID_DIGITS}) values ('rebuild')",
    ]


def drop_statements() -> list[str]:
    return [
        "drop trigger if exists person_search_insert",
        "drop trigger if exists person_search_update",
        "drop trigger if exists person_search_delete",
        f"drop table if exists {ID_DIGITS}",
        f"drop table if exists {NAME_CHARS}",
    ]
