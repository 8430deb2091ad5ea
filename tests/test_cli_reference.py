"""docs/cli.md, the command line's reference, against the program: its usage part is what the parser
prints, its commands are the parser's, its report kinds are app.reports.KINDS, its JSON keys are those
the summary writes. Editing either side alone fails here."""

from __future__ import annotations

import re

import pytest

from app import cli_reference
from app.cli_reference import BEGIN, DOC, END
from app.db.engine import Database
from app.reports import KINDS
from app.services.summary.figures import yearly_summary

TEXT = DOC.read_text(encoding="utf-8")


def _section(title: str) -> str:
    return TEXT.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def documented_keys() -> list[str]:
    """The keys of the summary's JSON as the page lists them, in order."""
    block = _section("The summary's JSON keys").split("```")[1]
    groups = [m for line in block.splitlines() for m in re.findall(r"^([a-z_]+(?:, [a-z_]+)*)", line)]
    return [key for group in groups for key in group.split(", ")]


def test_the_usage_part_is_what_the_parser_prints() -> None:
    assert cli_reference.rewritten(TEXT) == TEXT, "docs/cli.md 的用法部分已过时：运行 python -m app.cli_reference"
    assert TEXT.index(BEGIN) < TEXT.index("canlian restore [-h]") < TEXT.index(END)


def test_every_command_of_the_parser_has_its_row_and_no_row_names_a_missing_one() -> None:
    table = _section("Commands").split("\n\n")[0]
    in_rows = {m for m in re.findall(r"^\| `canlian (?:or `canlian )?([a-z-]+)", table, flags=re.M)}
    assert in_rows == set(cli_reference.command_names())


def test_the_report_kinds_are_the_programs() -> None:
    listed = re.findall(r"`([a-z-]+)` \(", _section("Commands").split("KIND is one of", 1)[1].split("\n\n")[0])
    assert listed == list(KINDS)


def test_the_summary_keys_are_those_it_writes(db: Database) -> None:
    assert documented_keys() == list(yearly_summary(db, year=2025))


def test_a_drifted_page_is_caught() -> None:
    """The check can fail: a page whose usage lost a line is not what the parser prints."""
    drifted = TEXT.replace("  canlian restore [-h] [--another-register] file\n", "")
    assert drifted != TEXT and cli_reference.rewritten(drifted) != drifted


@pytest.mark.parametrize("flag", ["--with-database", "--another-register"])
def test_the_options_the_program_added_are_documented(flag: str) -> None:
    assert flag in _section("Commands")
