"""Source texts: every quotation and locator checked on every build and list, coverage, `locate`.

A content set is checked against content/<set>/source.txt when it keeps one, or against the file
--source-text names (which wins). `--coverage` lists the body paragraphs no item cites; `locate`
finds words in a set's source text."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import BriefkitError, InputError, Location, Problem, UsageError, did_you_mean
from ..inputs.content import discover_sets
from ..inputs.files import Unreadable
from ..inputs.model import ContentSet
from ..inputs.sourcetext import CLOSE, SourceText, fold
from ..paths import SOURCE_TEXT, Project
from ..render.job import Job


def read_source(path: Path, shown: str, option: str | None, roots: Sequence[Path] | None = None) -> SourceText:
    """A source text; an unreadable one is the command line's fault when an option named it
    (`option`), the content set's otherwise (then it must lie inside `roots`)."""
    try:
        text = SourceText.read(path, shown, roots)
    except (Unreadable, UnicodeDecodeError) as exc:
        message = str(exc) if isinstance(exc, Unreadable) else f"cannot be read as UTF-8 text ({exc})"
        if option:
            raise UsageError(f"{option} {path}: {message}") from None
        raise InputError([Problem(Location(shown), "", message)]) from None
    if not len(text):
        if option:
            raise UsageError(f"{option} {path}: holds no text")
        raise InputError([Problem(Location(shown), "", "holds no text: one paragraph a line, or delete the file")])
    return text


def source_of(project: Project, name: str, override: Path | None) -> SourceText | None:
    """The text a set is checked against: --source-text's, else its own source.txt, else none."""
    if override is not None:
        return read_source(override, str(override), "--source-text")
    path = project.source_text(name)
    return read_source(path, project.shown(path), None, project.input_roots()) if path.exists() else None


def verify_sources(project: Project, jobs: list[Job], override: Path | None, coverage: bool,
                   say: Callable[[str], None]) -> None:
    """Every quotation verbatim where it says and every locator within the source, for each set
    that has a source text; or InputError with every problem."""
    from ..inputs.provenance import coverage_report, verify

    sets = list({job.content.name: job.content for job in jobs}.values())
    given = read_source(override, str(override), "--source-text") if override is not None else None
    checked: list[tuple[ContentSet, SourceText]] = []
    for content in sets:
        source = given or source_of(project, content.name, None)
        if source is not None:
            checked.append((content, source))
    if coverage and sets and not checked:
        raise UsageError("--coverage needs a source text: keep it as content/<set>/source.txt, or give "
                         "--source-text PATH")
    problems = [problem for content, source in checked for problem in verify(content, source)]
    if problems:
        raise InputError(problems)
    for content, source in checked:
        quotes = len(content.quotes.quotes)
        say(f"source text: {content.folder}/: {quotes} quotation{'s' if quotes != 1 else ''} verbatim and every "
            f"locator within the {len(source)} paragraphs of {source.name}")
        if coverage:
            say(coverage_report(content, source))


def locate(project: Project, name: str, words: str, override: Path | None) -> list[str]:
    """`p14: …context…` for each paragraph that holds the words; an error naming the closest
    passage when none does."""
    sets = discover_sets(project)
    if name not in sets:
        raise UsageError(f"locate: no content set '{name}'{did_you_mean(name, sets)}")
    if not fold(words):
        raise UsageError("locate: give the words to look for, e.g. briefkit locate SET \"a phrase\"")
    source = source_of(project, name, override)
    if source is None:
        raise UsageError(f"{project.shown(project.set_folder(name))}/ keeps no {SOURCE_TEXT}: give --source-text "
                         f"PATH (or keep the source's text there, if its licence allows)")
    found = source.find(words, any_case=True)
    if found:
        return [f"p{match.paragraph}: {source.context(match)}" for match in found]
    number, start, likeness = source.closest(words)
    closest = "the closest passage" if likeness >= CLOSE else "nothing comes close; the least unlike passage"
    raise BriefkitError(f"the words are not in {source.name}; {closest} is in p{number}:\n"
                        f"{source.mismatch(words, number, start)}")
