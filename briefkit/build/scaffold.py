"""`new`: a content set started from a source text, as a draft that builds at once.

Nine files of commented placeholders; the source text kept with the set, one paragraph a line;
and the same text with its paragraph numbers, to read while writing locators. Nothing half-made
is left: the set is written in a hidden folder of content/, checked, then moved into place in one
step."""
from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import string
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, UsageError
from ..inputs.content import RESERVED_FOLDERS, discover_sets, load_set
from ..inputs.files import SOURCE_TEXT_BYTES, Unreadable, read_input
from ..inputs.model import CONTENT_FILES
from ..inputs.provenance import verify
from ..inputs.schema import LANGUAGE_CODE
from ..inputs.sourcetext import SourceText
from ..paths import NAME_RULE, NUMBERED, SOURCE_TEXT, Project, is_name

SCAFFOLD = "scaffold"  # templates/scaffold/<file>.yaml: the files a new set starts from


@dataclass(frozen=True)
class Citation:
    """The source as the command line describes it; what is not given becomes a placeholder."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    language: str = "en"


# source.yaml key → the option that fills it
_OPTIONS = {"title": "--title", "author.name": "--author", "institution": "--publisher", "url": "--url",
            "published": "--published", "language": "--language"}


def new_set(project: Project, name: str, source: Path, citation: Citation) -> list[str]:
    """Write content/<name>/ and return what to tell the user."""
    folder = project.set_folder(name)
    _check_name(project, name)
    if not LANGUAGE_CODE.match(citation.language):
        raise UsageError(f"--language '{citation.language}' is not a language code such as en or ko")
    text, unwrapped = _read(source)
    files = {f"{stem}.yaml": _fill(project, stem, name, citation) for stem in CONTENT_FILES}
    files[SOURCE_TEXT] = "\n\n".join(text.shown) + "\n"
    files[NUMBERED] = numbered(text)
    try:
        project.content.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".new-{name}-", dir=project.content))
    except OSError as exc:
        raise UsageError(f"cannot write in {project.shown(project.content)}/: {exc.strerror}") from None
    try:
        made = staging / "content" / name
        made.mkdir(parents=True)
        for file, body in files.items():
            (made / file).write_text(body, encoding="utf-8")
        _check(Project.at(staging), name)
        if folder.exists():
            raise UsageError(f"{project.shown(folder)}/ was created meanwhile: it is left as it is")
        os.rename(made, folder)
    except OSError as exc:
        raise UsageError(f"cannot write {project.shown(folder)}/: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report = _report(project, name, source, len(text))
    if unwrapped:
        report.insert(1, f"  (the lines of each paragraph of {source}, separated by blank lines, are joined into one)")
    if citation.author is None:
        report.insert(report.index("next:"), f"  {'(no --author)':<20} cited by its publisher alone, as an unsigned "
                                             "source is; for a signed one, fill in `author` in source.yaml")
    return report


def numbered(text: SourceText) -> str:
    """The source text with each paragraph's locator in front of it."""
    head = (f"# {SOURCE_TEXT} with its paragraph numbers: a locator pN names paragraph [pN].\n"
            f"# Made by `briefkit new` to read while writing refs; briefkit itself reads {SOURCE_TEXT} only.\n")
    return head + "".join(f"\n[p{number}] {paragraph}\n" for number, paragraph in enumerate(text.shown, 1))


def _check_name(project: Project, name: str) -> None:
    if not is_name(name) or name in RESERVED_FOLDERS:
        rule = f"'{name}' is reserved" if name in RESERVED_FOLDERS else f"names use {NAME_RULE} only"
        raise UsageError(f"new: '{name}' cannot be a content set: {rule}")
    folder = project.set_folder(name)
    if folder.exists() or folder.is_symlink():
        what = "a content set" if name in discover_sets(project) else "something"
        raise UsageError(f"{project.shown(folder)}/ already holds {what}: choose another name, or move the "
                         "folder away first (briefkit new never overwrites)")


def _read(source: Path) -> tuple[SourceText, bool]:
    """The source's paragraphs, and whether its wrapped lines were joined into them."""
    try:
        raw = read_input(source, None, SOURCE_TEXT_BYTES, "a source text").decode("utf-8-sig")
    except Unreadable as exc:
        raise UsageError(f"--source {source}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"--source {source}: not UTF-8 text (byte {exc.start + 1} is not UTF-8): "
                         "save it as plain UTF-8 text, one paragraph a line") from None
    unwrapped = unwrap(raw)
    text = SourceText.parse(unwrapped or raw, str(source))
    if not len(text):
        raise UsageError(f"--source {source}: holds no text: give the source as plain text, one paragraph a line")
    return text, unwrapped is not None


def unwrap(raw: str) -> str | None:
    """A text whose paragraphs are separated by blank lines and whose lines are wrapped inside
    them, with each paragraph's lines joined into one; None when it is already one paragraph a
    line. Without this every wrapped line would count as a paragraph of its own."""
    blocks = [block.strip() for block in re.split(r"\n[ \t]*\n", raw.replace("\r\n", "\n")) if block.strip()]
    if not any("\n" in block for block in blocks) or len(blocks) < 2:
        return None
    return "\n".join(" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks)


def _fill(project: Project, stem: str, name: str, citation: Citation) -> str:
    path = next(path for root in project.template_roots() if (path := root / SCAFFOLD / f"{stem}.yaml").is_file())
    today = _today()
    values = {"set": name, "today": today.isoformat(), "year": str(today.year), "language": citation.language,
              "title": _quoted(citation.title, "[TODO: the title of the source]"),
              "author": _author(citation.author),
              "publisher": _quoted(citation.publisher, "[TODO: the publishing institution]"),
              "published": (f"published: {_quoted(citation.published)}" if citation.published is not None else
                            '# published: "…"'),
              "url": (f"url: {_quoted(citation.url)}" if citation.url is not None else
                      '# url: "https://…"')}
    try:
        return string.Template(path.read_text(encoding="utf-8")).substitute(values)
    except (KeyError, ValueError) as exc:
        raise UsageError(f"{project.shown(path)}: ${exc} is not a value briefkit new fills in "
                         f"({', '.join(sorted(values))}; write $$ for a dollar sign)") from None


def _author(name: str | None) -> str:
    """The author block: filled in from --author, or left commented out, since a source given
    without an author may well be unsigned."""
    lines = [f"author:\n  name: {_quoted(name)}" if name is not None else
             '# author:\n#   name: "…"                       # the name as printed',
             '  # affiliation: "…"                # the institution the author belongs to',
             '  # description: "…"                # one line on who the author is']
    if name is None:
        lines[1:] = [line.replace("  # ", "#   ", 1) for line in lines[1:]]
    return "\n".join(lines)


def _quoted(value: str | None, otherwise: str = "") -> str:
    return json.dumps(otherwise if value is None else value, ensure_ascii=False)


def _today() -> datetime.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def _check(staged: Project, name: str) -> None:
    """The new set loads and its locators lie in its source text; a value from the command line
    that the schema refuses is named by its option."""
    try:
        content = load_set(staged, name)
    except InputError as exc:
        lines = []
        for problem in exc.problems:
            option = _OPTIONS.get(problem.path) if problem.location.file.endswith("/source.yaml") else None
            lines.append(f"{option}: {problem.message}" if option else str(problem))
        raise UsageError("the new set would not load:\n  " + "\n  ".join(lines)) from None
    problems = verify(content, SourceText.read(staged.source_text(name), SOURCE_TEXT))
    if problems:
        raise InputError(problems)


def _report(project: Project, name: str, source: Path, paragraphs: int) -> list[str]:
    folder = project.shown(project.set_folder(name))
    return [
        f"created {folder}/, a draft, from {source} ({paragraphs} paragraphs):",
        f"  {SOURCE_TEXT:<20} the source text, one paragraph a line: locator pN is its Nth line",
        f"  {NUMBERED:<20} the same with the numbers written in, to read while writing refs",
        f"  {'source.yaml …':<20} the nine content files: replace every [TODO: …] placeholder",
        "next:",
        f"  briefkit build --set {name}              the draft's documents, DRAFT across every page",
        f"  briefkit locate {name} \"some words\"      the paragraph (pN) that holds them",
        f"  briefkit list --set {name} --coverage    the paragraphs no item cites yet",
        "  then delete `draft: true` from source.yaml: the set joins the default build.",
        f"Keep {SOURCE_TEXT} only if the source's licence allows; name the licence as text_licence in source.yaml.",
    ]
