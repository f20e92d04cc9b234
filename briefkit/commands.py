"""The commands and their options: one parser per command, made of shared option groups.

Options are never abbreviated; lists may be given as repeated options or comma-separated
(`--audience press,principal`); options that contradict each other are usage errors.
"""
from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from .errors import UsageError
from .paths import NAME_RULE

DESCRIPTION = "Build checked, print-ready briefing PDFs from content/ and templates/ into briefings/."

COMMANDS = {
    "build": "build every briefing that is out of date (the default command)",
    "watch": "build, then rebuild what changed whenever content or templates are saved",
    "serve": "build, serve the outputs on 127.0.0.1, rebuild on save and reload the open page",
    "check": "check the PDFs already built, again, without building",
    "list": "list what would be built, validating every input, and build nothing",
    "explain": "explain an audience's profile, the content or profile keys, or the page-markup vocabulary",
    "new": "start a content set for a new source text: placeholders that build at once, as a draft",
    "locate": "print the paragraphs (pN) of a set's source text that hold some words",
    "version": "print briefkit's version",
}

EPILOG = """exit codes: 0 success; 1 bad input, a document that does not fit, or a failed check;
2 wrong command line; 70 a bug in briefkit (its trace is saved in .briefkit/).

examples:
  briefkit                                   build everything (python build.py does the same)
  briefkit build --set my-essay --kind brief narrow the build
  briefkit build --source-text essay.txt --coverage
  briefkit check                             re-check the PDFs already built
  briefkit serve --open                      a live preview of the overview page in the browser
  briefkit explain press                     where each value of the press profile comes from
  briefkit explain press --set my-essay      the same, with what the set's audiences.yaml changes
  briefkit new my-essay --source essay.txt --title "…" --author "…"
  briefkit locate my-essay "a phrase"        the locator (pN) of a phrase"""


class Parser(argparse.ArgumentParser):
    """Errors are usage errors (exit 2) that say where help is."""

    rules: list[Callable[[argparse.Namespace], str | None]]

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")

    def long_options(self) -> set[str]:
        return {name for action in self._actions for name in action.option_strings if name.startswith("--")}

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        parsed = super().parse_args(args, namespace)
        for rule in self.rules:
            if (message := rule(parsed)) is not None:
                self.error(message)
        return parsed


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected names separated by commas, not {text!r}")
    return names


def _whole(low: int, high: int, note: str = "") -> Callable[[str], int]:
    """An option's whole number from `low` to `high`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"use {low} to {high}{note}")
        return value

    return parse


def _project_options(parser: Parser, output: bool = True) -> None:
    group = parser.add_argument_group("project")
    group.add_argument("--project", metavar="DIR", type=Path,
                       help="the project folder, holding content/ and optional templates/ (default: here)")
    if output:
        group.add_argument("--output", metavar="DIR", type=Path,
                           help="where the outputs go (default: the project's briefings/)")


def _selection(parser: Parser) -> None:
    group = parser.add_argument_group("selection (repeat an option or separate names by commas)")
    for option, what in (("--set", "content set"), ("--audience", "audience"), ("--kind", "document kind")):
        group.add_argument(option, action="extend", type=_names, metavar="NAME", help=f"only this {what}")
    group.add_argument("--meeting", action="extend", type=_names, metavar="NAME",
                       help="this meeting from content/meetings/ and the documents it needs; by default every "
                            "meeting is built unless --set, --audience or --kind narrow the build")
    group.add_argument("--strict", action="store_true",
                       help="fail instead of skipping an audience whose fonts are not installed")


def _loudness(parser: Parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    group.add_argument("-v", "--verbose", action="store_true", help="print every check of every document")


def _one_subject(args: argparse.Namespace) -> str | None:
    given = [bool(args.audience), args.markup, args.profile_keys, args.content_keys]
    if sum(given) != 1:
        return "name one audience, or give --markup, --profile-keys or --content-keys"
    if args.content_set and not args.audience:
        return "--set goes with an audience: briefkit explain AUDIENCE --set SET"
    return None


def _citation(parser: Parser) -> None:
    group = parser.add_argument_group("the source (what is not given becomes a placeholder in source.yaml)")
    group.add_argument("--source", type=Path, metavar="PATH", required=True,
                       help="the source's text, UTF-8, one paragraph a line (kept as content/SET/source.txt)")
    for option, what in (("--title", "its title"), ("--author", "its author's name as printed"),
                         ("--publisher", "the publishing institution"), ("--url", "where it can be read"),
                         ("--published", "its date as the source gives it")):
        group.add_argument(option, metavar="TEXT", help=what)
    group.add_argument("--language", metavar="CODE", default="en",
                       help="the language the set will be written in (default: en)")


@functools.cache
def parser_for(command: str) -> Parser:
    parser = Parser(prog=f"briefkit {command}", description=COMMANDS[command], allow_abbrev=False,
                    formatter_class=argparse.RawDescriptionHelpFormatter,
                    epilog=EPILOG if command == "build" else None)
    parser.rules = []
    if command != "version":
        _project_options(parser, output=command not in ("new", "locate"))
    if command in ("build", "watch", "serve", "check", "list"):
        _selection(parser)
    if command in ("build", "watch", "serve"):
        parser.add_argument("--jobs", "-j", type=_whole(1, 64), metavar="N",
                            help="render in N parallel processes (default: one per available core)")
    if command == "build":
        parser.add_argument("--force", action="store_true", help="rebuild everything, even outputs that are up to date")
        parser.add_argument("--no-previews", action="store_true",
                            help="draw no page previews (by default they are drawn after the report, for changed PDFs)")
    if command in ("build", "list"):
        parser.add_argument("--source-text", type=Path, metavar="PATH",
                            help="verify every quotation verbatim and every locator against this source text "
                                 "(by default, each set's own content/SET/source.txt, when it keeps one)")
        parser.add_argument("--coverage", action="store_true",
                            help="list, per content set, the body paragraphs of its source text no item cites")
    if command in ("build", "check"):
        _loudness(parser)
    if command in ("check", "list"):
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    if command == "explain":
        parser.add_argument("audience", nargs="?", metavar="AUDIENCE", help="an audience profile to explain")
        parser.add_argument("--set", dest="content_set", metavar="SET",
                            help="as this content set sees it: with the values of its audiences.yaml merged last")
        parser.add_argument("--markup", action="store_true", help="the page-markup vocabulary templates can use")
        parser.add_argument("--profile-keys", action="store_true", help="every key an audience profile may set")
        parser.add_argument("--content-keys", action="store_true",
                            help="every key of every content file, as tables (docs/content-schema.md)")
        parser.rules.append(_one_subject)
    if command == "new":
        parser.add_argument("set", metavar="SET", help=f"the new content set's name: {NAME_RULE}")
        _citation(parser)
    if command == "locate":
        parser.add_argument("set", metavar="SET", help="the content set whose source text is searched")
        parser.add_argument("words", metavar="WORDS", help="the words to find (quote them)")
        parser.add_argument("--source-text", type=Path, metavar="PATH",
                            help="search this source text instead of content/SET/source.txt")
    if command == "serve":
        parser.add_argument("--port", type=_whole(0, 65535, " (0: any free port)"), default=8000, metavar="N",
                            help="the port on 127.0.0.1 to serve on (default: 8000; 0: any free port)")
        parser.add_argument("--open", action="store_true", help="open the overview page in the web browser")
    if command in ("watch", "serve"):
        parser.set_defaults(force=False, no_previews=False, source_text=None, coverage=False, quiet=False, verbose=False)
    return parser


def top_help() -> str:
    width = max(map(len, COMMANDS))
    commands = "\n".join(f"  {name:<{width}}  {what}" for name, what in COMMANDS.items())
    return (f"usage: briefkit [COMMAND] [OPTIONS]    (python build.py and python -m briefkit are the same)\n\n"
            f"{DESCRIPTION}\n\ncommands:\n{commands}\n\n"
            f"With no command, briefkit builds. `briefkit COMMAND --help` lists a command's options.\n\n{EPILOG}")
