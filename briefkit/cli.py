"""Command line: `briefkit [COMMAND] [OPTIONS]`, also `python -m briefkit` and `python build.py`.

Arguments become calls into the build; what comes back becomes a report and an exit code: 0 on
success, 1 for bad input, a document that does not fit or a failed check, 2 for a wrong command
line, 70 for a bug (crash.py). Errors are messages, never tracebacks.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .commands import COMMANDS, DESCRIPTION, parser_for, top_help
from .environment import check_environment
from .errors import BriefkitError, InputError, UsageError, did_you_mean
from .inputs.files import names_readable, source_lines
from .paths import Project
from .progress import Progress


class Console:
    """Where reports go. A reader that goes away (`briefkit list | head -1`) ends the printing,
    quietly; the command itself still finishes and returns its own exit code."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.closed = False

    def say(self, line: str = "") -> None:
        if not self.quiet:
            self.out(line)

    def out(self, line: str = "") -> None:
        self._write(sys.stdout, line)

    def err(self, line: str) -> None:
        self._write(sys.stderr, line)

    def _write(self, stream: Any, line: str) -> None:
        if self.closed and stream is sys.stdout:
            return
        try:
            print(line, file=stream, flush=True)
        except BrokenPipeError:
            if stream is sys.stdout:
                self.closed = True
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit either


def run() -> NoReturn:
    """The `briefkit` console script."""
    sys.exit(main(sys.argv[1:]))


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    """Run one command; `project` is the project folder when the caller knows it (build.py)."""
    console, argv, root = Console(), list(sys.argv[1:] if argv is None else argv), project
    try:
        command, args = parse(argv)
        if command is None:
            return 0
        console.quiet = bool(getattr(args, "quiet", False))
        chosen = _project(args, project)
        root = chosen.root
        if command in ("build", "watch", "new"):  # the commands that date what they write
            check_environment()
        if command in ("check", "list"):  # a build checks before each run (watch runs many)
            names_readable(chosen)
        with _progress(console.quiet):
            return COMMAND_RUNNERS[command](args, chosen, console)
    except BriefkitError as exc:
        console.err(exc.report(source_lines(Project.at(root)) if root is not None else None))
        return exc.exit_code
    except KeyboardInterrupt:
        console.err("interrupted: previous outputs are unchanged")
        return 130
    except BrokenPipeError:  # help or a list read by a reader that left early (| head): a quiet end
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - anything else is a bug: one line, the trace kept in a file
        from . import crash  # only now: every run would pay for what a report needs (platform, traceback…)

        console.err(crash.report(exc, root, argv))
        return crash.EXIT


def parse(argv: list[str]) -> tuple[str | None, argparse.Namespace]:
    """The command and its options. With no command, `build` is meant; help and the version
    are printed here (and the command is None)."""
    for token in argv[:argv.index("--")] if "--" in argv else argv:
        name = token.split("=", 1)[0]
        if name in _RETIRED and name not in _every_option():
            raise _retired(name)
        if name.startswith("--") and name not in _every_option() and name not in ("--help", "--version"):
            raise UsageError(f"unknown option {name}{did_you_mean(name, sorted(_every_option()), otherwise=None)} "
                             "(see briefkit --help)")
    command, rest = _split_command(argv)
    if command is None:
        if any(token in ("-h", "--help") for token in rest):
            print(top_help())
            return None, argparse.Namespace()
        if "--version" in rest:
            print(f"briefkit {__version__}")
            return None, argparse.Namespace()
        command = "build"
    _refuse_unknown_options(command, rest)
    try:
        return command, parser_for(command).parse_args(rest)
    except SystemExit as exc:  # --help of a command
        if exc.code in (0, None):
            return None, argparse.Namespace()
        raise


@functools.cache
def _every_option() -> frozenset[str]:
    return frozenset(name for command in COMMANDS for name in parser_for(command).long_options())


def _split_command(argv: list[str]) -> tuple[str | None, list[str]]:
    """The command named anywhere among the arguments (the first word that is not an option or
    an option's value), and the rest."""
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            break
        if token.startswith("-"):
            takes_value = token in _VALUE_OPTIONS and "=" not in token
            index += 2 if takes_value else 1
            continue
        if token in COMMANDS:
            return token, argv[:index] + argv[index + 1:]
        raise UsageError(f"unknown command '{token}'{did_you_mean(token, COMMANDS)} (see briefkit --help)")
    return None, argv


_VALUE_OPTIONS = {"--project", "--output", "--set", "--audience", "--kind", "--meeting", "--jobs", "-j",
                  "--source-text", "--source", "--title", "--author", "--publisher", "--url", "--published",
                  "--language", "--port"}
_RETIRED = {"--list": "list", "--check": "check", "--watch": "watch", "--explain": "explain AUDIENCE",
            "--tags": "explain --markup", "--profile-keys": "explain --profile-keys"}


def _retired(name: str) -> UsageError:
    return UsageError(f"{name} is a command now: briefkit {_RETIRED[name]} (or python build.py {_RETIRED[name]})")


def _refuse_unknown_options(command: str, argv: list[str]) -> None:
    """Every option spelled out in full: a misspelt one gets a suggestion, an abbreviation is not
    guessed at, and an option of another command says which command has it."""
    known = parser_for(command).long_options()
    for token in argv:
        if token == "--":
            break
        if not token.startswith("--"):
            continue
        name = token.split("=", 1)[0]
        if name in known:
            continue
        if name in _RETIRED:
            raise _retired(name)
        elsewhere = [other for other in COMMANDS if name in parser_for(other).long_options()]
        if elsewhere:
            raise UsageError(f"{command} has no option {name}: it belongs to {' and '.join(elsewhere)}")
        raise UsageError(f"unknown option {name} for {command}{did_you_mean(name, sorted(known), otherwise=None)} "
                         f"(see briefkit {command} --help)")


def _project(args: argparse.Namespace, default: Path | None) -> Project:
    root = Path(getattr(args, "project", None) or default or Path.cwd())
    if not root.is_dir():
        raise UsageError(f"--project {root}: no such folder")
    output = getattr(args, "output", None)
    project = Project.at(root, Path(output) if output else None)
    if output:
        out, inside = project.output.resolve(), project.root.resolve()
        protected = [inside, inside / "content", inside / "templates"]
        if out in protected or any(p.is_relative_to(out) for p in protected) or \
                out.is_relative_to(inside / "content") or out.is_relative_to(inside / "templates"):
            raise UsageError(f"--output {output}: the output folder must not hold the project, its content or "
                             "its templates (it is pruned and replaced)")
    return project


@contextmanager
def _progress(quiet: bool) -> Iterator[None]:
    before = Progress.quiet
    Progress.quiet = quiet
    try:
        yield
    finally:
        Progress.quiet = before


def available_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _build(args: argparse.Namespace, project: Project, console: Console) -> int:
    from .progress import announcing

    def lines(item: Any) -> list[str]:
        from .build.report import finished_lines  # only once something was built: a no-op build imports no PDF library

        return finished_lines(item, args.verbose)

    with announcing(console.say, lines):  # each document and meeting is said as it is done
        report = _build_once(args, project, console)
    if report is not None:
        for line in report.lines(args.verbose, said=True):
            console.say(line)
        for warning in report.document_warnings():
            console.err(f"warning: {warning}")
        console.say(report.summary())
        for problem in report.problems:
            console.err(f"error: {problem}")
    if not args.no_previews:  # after the report line: previews never hold up or fail a build
        from .publish.site import draw_previews

        draw_previews(project, args.jobs or available_cores(), console.say, console.err)
    return 1 if report is not None and report.problems else 0


def _build_once(args: argparse.Namespace, project: Project, console: Console) -> Any:
    """One build; its report, or None when nothing needed rebuilding (said as much)."""
    from .build.cache import world_fingerprint
    from .build.scope import Selection
    from .build.session import BuildSession

    started = time.perf_counter()
    names_readable(project)
    session = BuildSession(project)
    selection = Selection.of_args(args)
    world = None
    if not args.source_text and not args.coverage:  # a set's own source.txt is among the inputs fingerprinted
        world = world_fingerprint(project, session.code)
        if not args.force and session.cache.is_noop(world, selection.key):
            console.say(f"nothing to rebuild: {len(session.cache.outputs)} outputs are up to date "
                        "(--force rebuilds them)")
            return None
    planned = _plan(args, session, console)
    from .build.sources import verify_sources

    verify_sources(project, planned.jobs, args.source_text, args.coverage, console.say)
    if not planned.jobs and not planned.meetings:
        console.say("nothing to build")
        return None
    from .build.run import run_build

    report = run_build(session, planned.jobs, planned.meetings, use_cache=not args.force,
                       workers=args.jobs or available_cores(), world=world, started=started,
                       skipped=[skip.record() for skip in planned.skipped], selection=selection)
    report.skipped, report.warnings = [skip.line() for skip in planned.skipped], planned.warnings
    return report


def _watch(args: argparse.Namespace, project: Project, console: Console) -> int:
    from .build.watch import watch_project

    return watch_project(project, lambda: _build_once(args, project, Console(quiet=True)), workers=args.jobs)


def _serve(args: argparse.Namespace, project: Project, console: Console) -> int:
    import webbrowser

    from .build.watch import watch_project
    from .publish.server import start_server

    server = start_server(project.output, args.port)
    console.out(f"serving {project.relative(project.output)}/ at {server.url} (Ctrl-C stops)")
    opened = not args.open

    def rebuilt(report: Any, error: BriefkitError | None) -> None:
        nonlocal opened
        published_but = "\n".join(f"error: {problem}" for problem in getattr(report, "problems", []))
        server.state.rebuilt(error.report() if error else published_but or None, changed=report is not None)
        if not opened:  # once there is a page (or an error) to show
            opened = True
            webbrowser.open(server.url)

    try:
        return watch_project(project, lambda: _build_once(args, project, Console(quiet=True)), rebuilt, args.jobs)
    finally:
        server.stop()
        console.out("stopped serving")


def _plan(args: argparse.Namespace, session: Any, console: Console) -> Any:
    """The documents and meetings asked for, every input validated (all problems at once); what
    is skipped and what falls back is said on stderr, before anything is made."""
    from .build.plan import plan
    from .build.validate import validate
    from .meetings.jobs import plan_meetings

    project = session.project
    narrowed = bool(args.set or args.audience or args.kind)
    problems: list[Any] = []
    notes: list[str] = []
    jobs = [] if args.meeting and not narrowed else plan(project, args.set, args.audience, args.kind, problems, notes)
    meetings: list[Any] = []
    if args.meeting or not narrowed:
        try:
            meetings, extra = plan_meetings(project, args.meeting, jobs, notes)
            jobs += extra
        except InputError as exc:
            problems += exc.problems
    for note in notes:
        (console.err if getattr(args, "json", False) else console.say)(note)
    validated = validate(session, jobs, meetings, args.strict, problems)
    for skip in validated.skipped:
        console.err(skip.line())
    for warning in validated.warnings:
        console.err(f"warning: {warning}")
    return validated


def _list(args: argparse.Namespace, project: Project, console: Console) -> int:
    from .build.session import BuildSession
    from .build.sources import verify_sources

    planned = _plan(args, BuildSession(project), console)
    jobs, meetings = planned.jobs, planned.meetings

    verify_sources(project, jobs, args.source_text, args.coverage, console.err if args.json else console.out)
    if args.json:
        console.out(json.dumps({
            "documents": [{"path": job.path, "content_set": job.content.name, "audience": job.audience.name,
                           "kind": job.kind.name, "paper": job.audience.profile.paper, "orientation": job.orientation,
                           "max_pages": job.max_pages} for job in jobs],
            "meetings": [{"folder": m.folder, "meeting": m.slug, "content_set": m.content.name,
                          "audience": m.audience.name, "documents": [job.path for job in m.documents],
                          "copies": len(m.loaded.meeting.recipients)} for m in meetings],
            "skipped": [skip.record() for skip in planned.skipped],
            "warnings": planned.warnings}, indent=2, ensure_ascii=False))
        return 0
    for job in jobs:
        console.out(f"{job.path}  ({job.kind.description}, {job.audience.profile.paper} {job.orientation}, "
                    f"at most {job.max_pages} page{'s' if job.max_pages > 1 else ''})")
    for meeting in meetings:
        count = len(meeting.loaded.meeting.recipients)
        console.out(f"{meeting.folder}/  (packet, {count} numbered copies, register, handout)")
    return 0


def _check(args: argparse.Namespace, project: Project, console: Console) -> int:
    from .build.check import Selection, as_json, lines, recheck
    from .build.session import BuildSession

    session = BuildSession(project)
    results = recheck(session, _plan(args, session, console).jobs, Selection.of_args(args))
    if args.json:
        console.out(as_json(results))
    for failure, line in [] if args.json else lines(results, args.verbose):
        console.err(line) if failure else console.say(line)
    return 1 if any(not c.ok for _, checks in results for c in checks) else 0


def _explain(args: argparse.Namespace, project: Project, console: Console) -> int:
    from .build.explain import explanation

    console.out(explanation(project, args.audience, args.content_set, markup=args.markup,
                            profile_keys=args.profile_keys, content_keys=args.content_keys))
    return 0


def _new(args: argparse.Namespace, project: Project, console: Console) -> int:
    from .build.scaffold import Citation, new_set

    citation = Citation(args.title, args.author, args.publisher, args.url, args.published, args.language)
    for line in new_set(project, args.set, args.source, citation):
        console.out(line)
    return 0


def _locate(args: argparse.Namespace, project: Project, console: Console) -> int:
    from .build.sources import locate

    for line in locate(project, args.set, args.words, args.source_text):
        console.out(line)
    return 0


def _version(args: argparse.Namespace, project: Project, console: Console) -> int:
    console.out(f"briefkit {__version__}")
    return 0


COMMAND_RUNNERS: dict[str, Callable[[argparse.Namespace, Project, Console], int]] = {
    "build": _build, "watch": _watch, "serve": _serve, "check": _check, "list": _list, "explain": _explain,
    "new": _new, "locate": _locate, "version": _version,
}
assert set(COMMAND_RUNNERS) == set(COMMANDS), "every command has a runner"
__all__ = ["DESCRIPTION", "main", "parse", "run"]
