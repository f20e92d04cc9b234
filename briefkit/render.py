"""Pass 2: each document from template to checked PDF bytes, in parallel, skipping what is fresh."""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .checks import Check, Expectation, check_pdf
from .errors import BriefkitError, CheckFailed
from .incremental import Cache, code_and_fonts, content_inputs, file_key
from .markup import DocumentMarkup
from .output import Output
from .pipeline import Built, Job, template_context

_environments: dict = {}  # per process: one Jinja environment per audience
_frozen = False  # whether warm_up has frozen what it loaded out of garbage collection


def forget_environments() -> None:
    """Start a build with new Jinja environments. Each caches templates by name and would not see
    an override added since an earlier build in this process (--watch); compiled code stays
    shared (templating's bytecode cache), so new environments cost little."""
    _environments.clear()


def environment(project: Path, job: Job):  # type: ignore[no-untyped-def]
    from .templating import make_environment

    language = job.audience.profile.language
    key = (str(project), job.audience.name, tuple(job.audience.template_folders), language)
    if key not in _environments:
        _environments[key] = make_environment(project, job.audience.template_folders, language)
    return _environments[key]


def document_markup(project: Path, job: Job, extra: dict | None = None) -> tuple[DocumentMarkup, Expectation]:
    """Template → parsed markup, and what its PDF must then satisfy."""
    from .markup import parse
    from .paper import PageSetup
    from .templating import render_template

    context = template_context(project, job, extra)
    text = render_template(environment(project, job), job.kind.template, context)
    document = parse(text, job.kind.template)
    document.digest = hashlib.sha256(text.encode()).hexdigest()
    setup = PageSetup(paper=job.audience.profile.paper, orientation=job.orientation)
    required = tuple(job.kind.required_texts(context["content"]))
    document.content_read = tuple(sorted(context["content"].read))
    min_pages = job.max_pages if job.kind.exact_pages else 1
    return document, Expectation(min_pages, job.max_pages, setup, tuple(document.headings), required,
                                 job.kind.required_what, document.decor.marking)


def output_key(document: DocumentMarkup, expected: Expectation, job: Job) -> str:
    """Everything a document's PDF and checks are made from once its template has run: the markup,
    what the checks expect, the look, the page limit, and the code, fonts and libraries."""
    import pypdf
    import reportlab

    parts = [document.digest, repr(expected), repr(job.theme), str(job.max_pages), job.kind.name,
             code_and_fonts(), reportlab.Version, pypdf.__version__]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def render_job(project: Path, job: Job, last: dict | None = None) -> Built:
    """One document: markup, fit to its pages, checks, previews. `last` is what the cache recorded
    of it last time: its scale starts the fit, and when the template made exactly what it made
    then (same output key) and that PDF is still on disk, the PDF is kept as it is (`reused`):
    an edit the document does not show costs a template run, not a layout."""
    from .layout import fit_to_pages

    document, expected = document_markup(project, job)
    key = output_key(document, expected, job)
    if last and last.get("output") == key:
        data = _read(project / job.path)
        if data is not None and hashlib.sha256(data).hexdigest() == last.get("sha256"):
            return dataclasses.replace(_reuse(project, job, last, data), content_read=document.content_read,
                                       output_key=key)
    rendered = fit_to_pages(document, expected.setup, job.theme, job.max_pages, job.label,
                            last.get("scale") if last else None)
    checks = check_pdf(rendered.pdf, expected)
    entry = {"title": document.meta.get("title", ""), "content_set": job.content.name,
             "audience": job.audience.name, "kind": job.kind.name,
             "pages": rendered.pages, "paper": job.audience.profile.paper, "orientation": job.orientation,
             "checks": [c.as_json() for c in checks]}
    from .previews import render_pages

    return Built(job, Output(job.path, rendered.pdf, entry), checks, rendered.pages, rendered.scale,
                 rendered.headings, document.meta.get("title", ""), previews=render_pages(rendered.pdf),
                 content_read=document.content_read, output_key=key)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


_pool_jobs: list[Job] = []  # in a worker process: the build's jobs, received once when it starts


def _receive_jobs(jobs: list[Job]) -> None:
    global _pool_jobs
    _pool_jobs = jobs


def render_in_worker(project: Path, index: int, last: dict | None = None) -> Built | tuple[int, str]:
    """The job at `index` of those the pool was started with. A job carries its whole content set
    (about 130 kB pickled), so jobs cross to the worker once, not per task, and the result comes
    back without its job, which the caller puts back. Errors cross as (exit code, report):
    exception classes may not."""
    try:
        built = render_job(project, _pool_jobs[index], last)
    except BriefkitError as exc:
        return exc.exit_code, exc.report()
    return dataclasses.replace(built, job=None)  # type: ignore[arg-type]


def document_key(project: Path, job: Job, code: str, content_read: list[str] | None = None) -> tuple[str, list[str]]:
    """What a document depends on, hashed; and the template files it uses.

    Its content is the files its template read when it was last rendered (`content_read`, stems),
    or every file of the set when that is not known.
    """
    from .templating import template_files

    templates = template_files(environment(project, job), job.kind.template)
    content, names = content_inputs(project / job.content.folder, content_read)
    profiles = [project / f"templates/audiences/{name}.yaml" for name in job.audience.chain]
    profiles += [project / f"templates/labels/{lang}.yaml" for lang in {"en", job.audience.profile.language}]
    # templates are resolved through the audience's override folders now: a new override changes
    # the resolved file, so the key, for exactly the documents that use that template name
    key = file_key(project, [*content, *profiles, *(Path(t) for t in templates)], code, job.kind.name, job.path, *names)
    return key, templates


def prepare(project: Path, jobs: list[Job], cache: Cache | None, code: str) -> tuple[dict[str, Built], list[Job]]:
    """Split the jobs into fresh ones (read back from disk, marked `reused`) and those to render.
    A job's key covers the content files it read last time, so a change elsewhere in its set
    leaves it fresh. Returns the fresh results by path, and the jobs to render."""
    fresh: dict[str, Built] = {}
    todo: list[Job] = []
    for job in jobs:
        last = cache.last(job.path) if cache else None
        read = last.get("content_read") if last else None
        key = document_key(project, job, code, read if isinstance(read, list) else None)[0]
        entry = cache.document(job.path, key) if cache else None
        if entry is not None:
            fresh[job.path] = _reuse(project, job, entry)
        else:
            todo.append(job)
    return fresh, todo


def record(project: Path, built: Built, code: str) -> dict:
    """What the cache remembers of a document built now, keyed over the content it read this time
    (as the next build will compute its key)."""
    key, templates = document_key(project, built.job, code, list(built.content_read))
    return {"key": key, "templates": templates, "content_read": list(built.content_read),
                 "output": built.output_key, "sha256": built.output.sha256,
                 "headings": built.headings, "title": built.title, "pages": built.pages, "scale": built.scale,
                 "entry": built.output.entry}


def raise_failed_checks(built: list[Built]) -> None:
    CheckFailed.raise_if_any([f"{b.job.path}: {c.name}: {c.detail}"
                              for b in built if not b.reused for c in b.checks if not c.ok])


def _reuse(project: Path, job: Job, entry: dict, data: bytes | None = None) -> Built:
    data = (project / job.path).read_bytes() if data is None else data
    output = Output(job.path, data, entry["entry"])
    checks = [Check(c["name"], c["ok"], c["detail"]) for c in entry["entry"]["checks"]]
    headings = tuple(tuple(h) for h in entry["headings"])
    return Built(job, output, checks, entry["pages"], entry["scale"], headings, entry["title"], reused=True)  # type: ignore[arg-type]


def warm_up(project: Path, jobs: list[Job]) -> None:
    """Load fonts and compile templates once, before forking, so no worker repeats the work.

    All of it lives as long as the process, so the first warm-up freezes it out of garbage
    collection: the collector stops re-scanning the font tables at every full collection, and
    forked workers stop copying every memory page a scan would touch (about 6% of a parallel
    build's time).
    """
    from .fonts import first_missing_glyph, fonts_for
    from .kinds import COVER, REGISTER

    for language in {job.audience.profile.language for job in jobs}:
        first_missing_glyph("", fonts_for(language))
    from jinja2 import TemplateError

    for job in jobs:
        env = environment(project, job)
        for name in (job.kind.template, COVER.template, REGISTER.template):
            try:
                env.get_template(name)
            except TemplateError:
                pass  # rendering reports it, located, as for any build
    global _frozen
    if not _frozen:  # once per process: a watching process must still collect each build's garbage
        gc.collect()
        gc.freeze()
        _frozen = True


def pool(workers: int, jobs: list[Job]) -> ProcessPoolExecutor:
    """Worker processes, forked where possible so they start with everything already imported,
    each holding `jobs` for render_in_worker."""
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_receive_jobs, initargs=(jobs,))


def raise_reported(outcomes: list) -> list:
    """Workers return (exit code, report) for user errors; raise the first one here."""
    for outcome in outcomes:
        if isinstance(outcome, tuple):
            error = BriefkitError(outcome[1].removeprefix("error: "))
            error.exit_code = outcome[0]
            raise error
    return outcomes


def recheck(project: Path, jobs: list[Job], manifest: dict) -> list[tuple[str, list[Check]]]:
    """Check the PDFs already in briefings/ against what the current input expects."""
    forget_environments()
    entries = {e.get("path"): e for e in manifest["outputs"] if isinstance(e, dict)}
    results = []
    for job in jobs:
        path = project / job.path
        if not path.is_file():
            results.append((job.path, [Check("exists", False, "not built yet: run python build.py")]))
            continue
        data = path.read_bytes()
        _, expected = document_markup(project, job)
        same = entries.get(job.path, {}).get("sha256") == hashlib.sha256(data).hexdigest()
        checks = [Check("manifest", same, "sha256 matches the manifest" if same else "file differs from the manifest")]
        results.append((job.path, checks + check_pdf(data, expected)))
    return results
