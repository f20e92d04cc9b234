"""Command line: arguments → pipeline calls → a short report and an exit code."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable

from .errors import BriefkitError, UsageError

DESCRIPTION = """Build checked, print-ready briefing PDFs from content/ and templates/ into briefings/.

With no options every content set is built for every audience and document kind. A build either
writes all its PDFs and the manifest, or (on any error) changes nothing."""

EPILOG = """exit codes: 0 success; 1 bad input, a document that does not fit, or a failed check;
2 wrong command line.

examples:
  python build.py                                   build everything
  python build.py --set nk-china --kind brief       narrow the build
  python build.py --source-text ../shared/source/essay.txt --coverage
  python build.py --check                           re-check the PDFs already built"""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("use 1 to 64")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2 with usage; keep that, say what to do
        self.print_usage(sys.stderr)
        raise UsageError(f"{message} (see python build.py --help)")


def available_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="build.py", description=DESCRIPTION, epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", action="append", metavar="NAME", help="build only this content set (repeatable)")
    p.add_argument("--audience", action="append", metavar="NAME", help="build only for this audience (repeatable)")
    p.add_argument("--kind", action="append", metavar="KIND", help="build only this document kind (repeatable)")
    p.add_argument("--meeting", action="append", metavar="NAME",
                   help="build this meeting from content/meetings/ (repeatable); by default every meeting "
                        "is built unless --set, --audience or --kind narrow the build")
    p.add_argument("--force", action="store_true", help="rebuild everything, even outputs that are up to date")
    p.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                   help="render documents in N parallel processes (default: one per available core)")
    p.add_argument("--strict", action="store_true",
                   help="fail instead of skipping an audience whose fonts are not installed")
    p.add_argument("--watch", action="store_true",
                   help="keep running: rebuild what changed whenever content or templates are saved")
    p.add_argument("--list", action="store_true", help="list what would be built, and build nothing")
    p.add_argument("--check", action="store_true", help="re-check the existing outputs without rebuilding")
    p.add_argument("--source-text", type=Path, metavar="PATH",
                   help="verify every quotation verbatim and every locator against this source text")
    p.add_argument("--coverage", action="store_true",
                   help="with --source-text: list the source paragraphs no item cites")
    p.add_argument("--explain", metavar="AUDIENCE",
                   help="print the audience's merged profile, where each value came from, and its templates")
    p.add_argument("--tags", action="store_true", help="print the page-markup vocabulary templates can use")
    p.add_argument("--profile-keys", action="store_true", help="print every key an audience profile may set")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print every check of every document")
    return p


def main(argv: list[str], project: Path | None = None) -> int:
    from .progress import Progress

    project = project or Path.cwd()
    loud = Progress.quiet
    try:
        args = parser().parse_args(argv)
        Progress.quiet = args.quiet
        return _run(args, project)
    except BriefkitError as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: previous outputs are unchanged", file=sys.stderr)
        return 130
    finally:
        Progress.quiet = loud


def _run(args: argparse.Namespace, project: Path, say: Callable[..., None] | None = None) -> int:
    started = time.perf_counter()
    if say is None:
        say = (lambda *_: None) if args.quiet else print

    if args.watch:
        from .watch import watch_project
        if args.list or args.check:
            raise UsageError("--watch builds: it cannot be combined with --list or --check")
        args.watch = False
        return watch_project(project, lambda collect: _run(args, project, collect))
    if args.tags:
        from .markup import reference
        print(reference())
        return 0
    if args.profile_keys:
        from .explain import profile_reference
        print(profile_reference())
        return 0
    if args.explain:
        from .audiences import load_audience
        from .explain import explain
        print(explain(project, load_audience(project, args.explain)))
        return 0
    if args.coverage and not args.source_text:
        raise UsageError("--coverage needs --source-text PATH")
    if args.check and args.list:
        raise UsageError("--check and --list cannot be combined")
    world = None
    if not (args.list or args.check or args.source_text):
        from .incremental import Cache, world_fingerprint
        world = world_fingerprint(project, [args.set, args.audience, args.kind, args.meeting])
        cache = Cache.load(project)
        if not args.force and cache.is_noop(world):
            say(f"nothing to rebuild: {len(cache.data['outputs'])} outputs are up to date (--force rebuilds them)")
            return 0
    from .pipeline import plan

    narrowed = bool(args.set or args.audience or args.kind)
    jobs = [] if args.meeting and not narrowed else plan(project, args.set, args.audience, args.kind)
    meetings = []
    if args.meeting or not narrowed:
        from .meeting_pipeline import plan_meetings
        meetings, extra = plan_meetings(project, args.meeting, jobs)
        jobs += extra
    jobs, meetings = _skip_missing_fonts(jobs, meetings, args.strict)
    if args.source_text:
        _verify_sources(jobs, args.source_text, args.coverage, say)
    if args.list:
        for job in jobs:
            print(f"{job.path}  ({job.kind.description}, {job.audience.profile.paper} {job.orientation}, "
                  f"at most {job.max_pages} page{'s' if job.max_pages > 1 else ''})")
        for meeting in meetings:
            count = len(meeting.loaded.meeting.recipients)
            print(f"briefings/meetings/{meeting.slug}/  (packet, {count} numbered copies, register, handout)")
        return 0
    if args.check:
        return _recheck(project, jobs, args.verbose, say)

    from .runner import run_build

    return run_build(project, jobs, meetings, cache=not args.force, workers=args.jobs or available_cores(), verbose=args.verbose,
                     say=say, started=started, world=world)


def _skip_missing_fonts(jobs: list, meetings: list, strict: bool) -> tuple[list, list]:
    """Audiences whose language's fonts are not installed are skipped with the command that
    installs them (the rest of the build goes on); with --strict that is an error."""
    from .fonts import fonts_for, fonts_installed

    missing = sorted({job.audience.name: job.audience.profile.language for job in jobs
                      if not fonts_installed(fonts_for(job.audience.profile.language))}.items())
    if not missing:
        return jobs, meetings
    for name, language in missing:
        message = (f"audience {name} ({language}): its fonts are not installed; "
                   f"install them with: {fonts_for(language).install}")
        if strict:
            raise BriefkitError(message)
        print(f"skipped {message}", file=sys.stderr)
    names = {name for name, _ in missing}
    return ([job for job in jobs if job.audience.name not in names],
            [m for m in meetings if m.audience.name not in names])


def _verify_sources(jobs: list, source: Path, coverage: bool, say) -> None:  # type: ignore[no-untyped-def]
    from .errors import InputError
    from .provenance import coverage_report, read_paragraphs, verify

    paragraphs = read_paragraphs(source)
    sets = list({job.content.name: job.content for job in jobs}.values())
    problems = [p for content in sets for p in verify(content, paragraphs, str(source))]
    if problems:
        raise InputError(problems)
    quotes = sum(len(c.quotes.quotes) for c in sets)
    say(f"source text: {quotes} quotations verbatim and every locator within {len(paragraphs)} paragraphs of {source}")
    if coverage:
        print(coverage_report(sets, paragraphs))


def _recheck(project: Path, jobs: list, verbose: bool, say) -> int:  # type: ignore[no-untyped-def]
    from .output import read_manifest, recover_under_lock
    from .render import recheck

    recover_under_lock(project)
    failed = 0
    for path, checks in recheck(project, jobs, read_manifest(project)):
        bad = [c for c in checks if not c.ok]
        failed += bool(bad)
        summary = f"{path}  {len(checks) - len(bad)}/{len(checks)} checks passed"
        if bad:
            print(f"FAIL {summary}", file=sys.stderr)
        else:
            say(f"ok   {summary}")
        for check in checks if verbose else bad:
            print(f"    {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}", file=sys.stderr if not check.ok else sys.stdout)
    return 1 if failed else 0
