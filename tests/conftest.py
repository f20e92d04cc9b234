"""Shared fixtures: a throw-away copy of the project, an in-process CLI runner, PDF helpers.

Every test works on a copy of content/, templates/ and build.py under tmp_path; the real
repository (and its briefings/) is never touched.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit.build.plan import plan
from briefkit.build.session import BuildSession
from briefkit.cli import main
from briefkit.inputs.labels import load_labels
from briefkit.locales import Dates
from briefkit.paths import Project

REPO = Path(__file__).resolve().parents[1]
ESSAY = Path(__file__).resolve().parents[2] / "shared" / "source" / "essay.txt"
SET = "nk-china"
AUDIENCE = "analysts"
AUDIENCE_FILE = f"templates/audiences/{AUDIENCE}.yaml"
PDF = f"briefings/nk-china/{AUDIENCE}/nk-china-brief-{AUDIENCE}.pdf"
TIMELINE_PDF = f"briefings/nk-china/{AUDIENCE}/nk-china-timeline-{AUDIENCE}.pdf"
FACTSHEET_PDF = f"briefings/nk-china/{AUDIENCE}/nk-china-factsheet-{AUDIENCE}.pdf"
ALL_PDFS = {PDF, TIMELINE_PDF, FACTSHEET_PDF}
MANIFEST = "briefings/manifest.json"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def copy_project(dest: Path, audiences: tuple[str, ...] | None = ("base", AUDIENCE)) -> Path:
    """Copy content/, templates/ and build.py; keep only the named audience profiles (None: all).

    Most tests need one audience: building the four shipped ones every time would only slow them.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copy2(REPO / "build.py", dest / "build.py")
    if audiences is not None:  # meetings name other audiences: they come with the full project only
        shutil.rmtree(dest / "content" / "meetings", ignore_errors=True)
        if not any(name == "rok-officials" for name in audiences):
            for path in (dest / "content").rglob("*.yaml"):
                path.write_text(english_only(path.read_text(encoding="utf-8")), encoding="utf-8")
        for profile in (dest / "templates" / "audiences").glob("*.yaml"):
            if profile.stem not in audiences:
                profile.unlink()
                shutil.rmtree(profile.with_suffix(""), ignore_errors=True)
    return dest


_KEY = re.compile(r"^(\s*(?:- )?[A-Za-z_]+):\s*$")
_LANGUAGE = re.compile(r"^\s+([a-z]{2}): (.*)$")


def english_only(text: str) -> str:
    """Content written in English alone: each {en, ko} text becomes its plain English string,
    and translations of quotations go. Projects with no Korean audience are tested in this form,
    the form a single-language content set takes."""
    lines, out, index = text.splitlines(), [], 0
    while index < len(lines):
        key = _KEY.match(lines[index])
        values = []
        look = index + 1
        while key and look < len(lines) and (language := _LANGUAGE.match(lines[look])):
            values.append(language.groups())
            look += 1
        if key and values:
            english = dict(values).get("en")
            if english is not None:
                out.append(f"{key[1]}: {english}")
            elif key[1].strip().lstrip("- ") != "translation":
                out.append(lines[index])
                out.extend(lines[index + 1:look])
            index = look
            continue
        out.append(lines[index])
        index += 1
    return "\n".join(out) + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, unbuilt copy of the project with one audience (analysts)."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def full_project(tmp_path: Path) -> Path:
    """A fresh, unbuilt copy of the project with every shipped audience."""
    return copy_project(tmp_path / "project", audiences=None)


@pytest.fixture(scope="session")
def _pristine_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("pristine") / "project")
    code = main(["-q"], project=root)
    assert code == 0, "the shipped content must build"
    return root


TWO_SETS = "river"  # the second content set of the `two_sets` build (tests/essays.py)


def set_documents(project: Path, content_set: str) -> dict[str, bytes]:
    return dict(snapshot(project / "briefings" / content_set))


@pytest.fixture(scope="session")
def two_sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], str, str]:
    """The full project (every audience, the meetings) built, then built again with a second
    content set beside the first: (project, the first set's files after the first build, what the
    second build printed, what it printed as errors and warnings). Read it, never change it."""
    import contextlib
    import io

    from essays import water_set, write_set

    project = copy_project(tmp_path_factory.mktemp("two") / "project", audiences=None)
    assert main(["-q"], project=project) == 0
    first = set_documents(project, "nk-china")
    write_set(project, TWO_SETS, water_set())
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([], project=project)
    assert code == 0, err.getvalue()
    return project, first, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def _pristine_full_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("pristine-full") / "project", audiences=None)
    assert main(["-q"], project=root) == 0, "the shipped project must build"
    return root


@pytest.fixture
def built_full(tmp_path: Path, _pristine_full_build: Path) -> Path:
    """A copy of the full project (every audience, the meetings) already built once."""
    dest = tmp_path / "project"
    shutil.copytree(_pristine_full_build, dest)
    return dest


def assert_consistent(project: Path) -> None:
    """Every PDF opens, the manifest lists exactly the PDFs and CSVs there, every hash matches,
    and no publish is left half-done."""
    import hashlib
    import io
    import json

    briefings = project / "briefings"
    manifest = json.loads((briefings / "manifest.json").read_text())
    listed = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    on_disk = {str(p.relative_to(project)) for p in briefings.rglob("*")
               if p.is_file() and p.suffix in (".pdf", ".csv") and ".previews" not in p.parts
               and not p.relative_to(briefings).parts[0].startswith(".copies-")}  # a killed build's: the next removes it
    assert set(listed) == on_disk, (set(listed) ^ on_disk)
    for path, digest in listed.items():
        data = (project / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, path
        if path.endswith(".pdf"):
            assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    assert not list(briefings.glob(".staging-*")) and not (briefings / ".journal.json").exists()


@pytest.fixture
def built(tmp_path: Path, _pristine_build: Path) -> Path:
    """A copy of the project that has already been built once (briefings/ included)."""
    dest = tmp_path / "project"
    shutil.copytree(_pristine_build, dest)
    return dest


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run briefkit's CLI in-process: cli(project, *argv) -> Result(code, out, err)."""

    def run(project: Path, *argv: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(argv), project=project)
        except SystemExit as exc:  # argparse's --help leaves through sys.exit
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def edit(project: Path, relative: str, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a project file; the old text must be there."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found {count} time(s) in {relative}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(project: Path, relative: str, needle: str) -> int:
    """1-based number of the first line of a project file containing `needle`."""
    for number, line in enumerate((project / relative).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {relative}")


def normalize(text: str) -> str:
    """Extracted PDF text made comparable: straight quotes, single spaces, no soft hyphens."""
    text = text.replace("\u00ad", "")
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        text = text.replace(curly, straight)
    text = " ".join(text.split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a line broken after a hyphen


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    return normalize(" ".join(page.extract_text() or "" for page in reader.pages))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def type_scale(output: str) -> int | None:
    """The NN of 'type at NN%' in a build report, or None when printed at full size."""
    match = re.search(r"type at (\d+)%", output)
    return int(match[1]) if match else None


REQUIRED = os.environ.get("BRIEFKIT_REQUIRE_TOOLS") == "1"  # CI: a missing tool fails, never skips


def tool(name: str) -> str:
    """The path of a system tool the test needs; skips without it, fails without it in CI."""
    path = shutil.which(name)
    if path is None:
        if REQUIRED:
            pytest.fail(f"{name} is required (BRIEFKIT_REQUIRE_TOOLS=1) but not on PATH")
        pytest.skip(f"{name} not on PATH")
    return path


def chromium(user_data: Path):  # type: ignore[no-untyped-def]
    """Headless Chromium through selenium, cut off from the network's background services; the
    caller quits it. Skips (fails in CI) without chromium and chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = tool("chromium"), tool("chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={user_data}", "--window-size=1400,1800"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver), options=options)


def dates(language: str) -> Dates:
    """How the shipped labels write dates in a language."""
    return Dates.from_labels(load_labels(Project.at(REPO), language))


def jobs(root: Path, audiences: list[str] | None = None, kinds: list[str] | None = None) -> list:
    """The documents a build of the project at `root` makes (as `build --audience … --kind …`)."""
    return plan(Project.at(root), None, audiences, kinds)


def markup(root: Path, job):  # type: ignore[no-untyped-def]
    """A job's page markup and what its PDF must satisfy, as a build of `root` makes them."""
    return BuildSession(Project.at(root)).markup(job)
