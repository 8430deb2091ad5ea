"""The generated part of docs/cli.md: every command's usage as the parser gives it, so the reference cannot
drift from the program. `python -m app.cli_reference` rewrites that part; tests/test_cli_reference.py fails
when the file and the parser disagree."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
BEGIN = "<!-- usage: written by `python -m app.cli_reference`; do not edit by hand -->"
END = "<!-- end of usage -->"
WIDTH = 110  # the usage lines are wrapped the same on every machine, whatever its terminal


class _FixedWidth(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=WIDTH, max_help_position=40)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # noqa: SLF001 - argparse keeps its subparsers here and nowhere public
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return dict(action.choices)
    return {}


def _usage(parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = _FixedWidth
    for sub in _subcommands(parser).values():
        sub.formatter_class = _FixedWidth
    return parser.format_usage().removeprefix("usage: ").strip()


def command_names() -> list[str]:
    """The commands the parser knows, in its order."""
    from app.cli import build_parser

    return list(_subcommands(build_parser()))


def usage_block() -> str:
    """The usage of `canlian` and of each command, one fenced block, as the parser prints it."""
    from app.cli import build_parser

    parser = build_parser()
    lines = [_usage(parser), ""]
    for name, sub in _subcommands(parser).items():
        _describe(lines, parser, f"canlian {name}", name, sub)
    return "```\n" + "\n".join(lines).rstrip() + "\n```"


def _describe(lines: list[str], parent: argparse.ArgumentParser, title: str, name: str,
              sub: argparse.ArgumentParser) -> None:
    """One command's usage and options' help; a command of commands (admin) then each of its own."""
    sub.formatter_class = _FixedWidth
    lines.append(f"{title}: {sub.description or _help_of(parent, name)}")
    lines.append("  " + sub.format_usage().removeprefix("usage: ").strip().replace("\n", "\n  "))
    for action in sub._actions:  # noqa: SLF001 - the options' own help, where they have one
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001 - its commands follow, each described
            continue
        if action.help and action.help != argparse.SUPPRESS and action.option_strings != ["-h", "--help"]:
            lines.append(f"    {', '.join(action.option_strings) or action.dest}: {action.help}")
    lines.append("")
    for inner, nested in _subcommands(sub).items():
        _describe(lines, sub, f"{title} {inner}", inner, nested)


def _help_of(parser: argparse.ArgumentParser, name: str) -> str:
    for action in parser._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for choice in action._choices_actions:  # noqa: SLF001
                if choice.dest == name:
                    return choice.help or ""
    return ""


def rewritten(text: str) -> str:
    """The document with its usage part replaced by what the parser gives now."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{usage_block()}\n{END}{tail}"


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{DOC} 中缺少用法部分的标记。", file=sys.stderr)  # noqa: T201
        return 2
    DOC.write_text(rewritten(text), encoding="utf-8")
    print(DOC)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
