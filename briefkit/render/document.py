"""One document, from template to checked PDF bytes: the template's page markup, laid out to fit
its pages, then checked. Knows nothing of caches, processes or where the PDF will be written."""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import Any

from .checks import Check, Expectation, check_pdf
from .context import Localized, template_context
from .fonts import fonts_for, missing_glyphs
from .job import Job
from .layout import Rendered, fit_to_pages
from .paper import PageSetup
from .styles import theme_for
from .templating import Environment, render_template
from .vocabulary import DocumentMarkup, parse, spoken


def document_markup(env: Environment, job: Job, labels: dict[str, str], extra: dict[str, Any] | None = None,
                    texts: Localized | None = None) -> tuple[DocumentMarkup, Expectation]:
    """Template → parsed, checked markup, and what its PDF must then satisfy. `texts`: the job's
    content and profile already localized, if at hand."""
    context = template_context(job, labels, extra, texts)
    text = render_template(env, job.kind.template, context)
    fonts = fonts_for(job.audience.profile.language)
    document = parse(text, env.shown(env.get_template(job.kind.template).filename or job.kind.template),
                     lambda words: missing_glyphs(words, fonts))
    if job.content.source.draft:  # whatever the templates say: a draft's every page says so
        document.decor.watermark = labels["draft"]
    document.digest = hashlib.sha256(f"{text}\0{document.decor.watermark}".encode()).hexdigest()
    setup = PageSetup(paper=job.audience.profile.paper, orientation=job.orientation)
    required = tuple(job.kind.required_texts(context["content"]))
    context["content"].read.add("source")  # whether the set is a draft
    document.content_read = tuple(sorted(context["content"].read))
    document.notes = list(context["selection"].notes)
    min_pages = job.max_pages if job.kind.exact_pages else 1
    return document, Expectation(min_pages, job.max_pages, setup, tuple(document.headings), required,
                                 job.kind.required_what, document.decor.marking, document.decor.watermark,
                                 (" ".join(spoken(document)),))  # one string: a register has many thousands


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    pages: int
    scale: float
    headings: tuple[tuple[int, str, int], ...]  # (level, text, page) of H1 and H2, for outlines
    checks: list[Check]
    filled: float = 1.0  # share of the last page's text area filled


def render_document(document: DocumentMarkup, expected: Expectation, job: Job, hint: float | None = None,
                    max_pages: int | None = None, label: str | None = None) -> RenderedDocument:
    """Lay the markup out within its page limit (starting from `hint`, the last build's scale)
    and check the PDF against what the markup promised. `label` names it in errors."""
    limit = job.max_pages if max_pages is None else max_pages
    return checked(fit_to_pages(document, expected.setup, theme_for(job), limit, label or job.label, hint),
                   expected, limit)


def checked(rendered: Rendered, expected: Expectation, max_pages: int) -> RenderedDocument:
    """A laid-out document checked against what its markup promised, within `max_pages`."""
    checks = check_pdf(rendered.pdf, dataclasses.replace(expected, max_pages=max_pages))
    return RenderedDocument(rendered.pdf, rendered.pages, rendered.scale, rendered.headings, checks, rendered.filled)
