"""A build session: what one build shares between its documents, computed once.

It owns the project's paths, the hash of the code and fonts, the last build's cache, a Jinja
environment per audience (new for every session, so a template override added since the last
build in a watching process is seen), and the labels of each language.
"""
from __future__ import annotations

import gc
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .. import reads
from ..paths import Project
from .cache import Cache, code_and_fonts

if TYPE_CHECKING:
    from ..render.context import Localized
    from ..render.checks import Expectation
    from ..render.job import Job
    from ..render.templating import Environment
    from ..render.vocabulary import DocumentMarkup

_frozen = False  # whether this process has frozen what its first warm-up loaded (see warm_up)


class BuildSession:
    def __init__(self, project: Project) -> None:
        reads.start()  # keys cover the bytes this build reads, from here on
        self.project = project
        self._environments: dict[tuple[str, ...], Environment] = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._texts: dict[tuple[str, str], Localized] = {}

    def __getstate__(self) -> dict[str, Any]:
        """For a worker process: Jinja environments are made again there, on first use."""
        state = dict(self.__dict__)
        state["_environments"], state["_texts"] = {}, {}
        return state

    @cached_property
    def code(self) -> str:
        return code_and_fonts(self.project)

    @cached_property
    def cache(self) -> Cache:
        return Cache.load(self.project)

    def labels(self, language: str) -> dict[str, str]:
        from ..inputs.labels import load_labels  # a build with nothing to do reads no YAML

        if language not in self._labels:
            self._labels[language] = load_labels(self.project, language)
        return self._labels[language]

    def environment(self, job: Job) -> Environment:
        from ..locales import Dates
        from ..render.templating import make_environment

        language = job.language
        key = (job.audience.name, *job.audience.template_folders, language)
        if key not in self._environments:
            self._environments[key] = make_environment(self.project.template_roots(), job.audience.template_folders,
                                                       Dates.from_labels(self.labels(language)), self.project.shown)
        return self._environments[key]

    def texts(self, job: Job) -> Localized:
        """The job's content and profile in its language, localized once per set and audience
        (when the build is planned; forked workers inherit them)."""
        from ..render.context import localized

        key = (job.content.name, job.audience.name)
        if key not in self._texts:
            self._texts[key] = localized(job, self.labels(job.language))
        return self._texts[key]

    def markup(self, job: Job, extra: dict[str, Any] | None = None) -> tuple[DocumentMarkup, Expectation]:
        """A job's page markup, and what its PDF must satisfy."""
        from ..render.document import document_markup

        return document_markup(self.environment(job), job, self.labels(job.language), extra, self.texts(job))

    def warm_up(self, jobs: list[Job]) -> None:
        """Load fonts, labels and templates once, before forking, so no worker repeats the work.

        All of it lives as long as the process, so the first warm-up freezes it out of garbage
        collection: the collector stops re-scanning the font tables at every full collection, and
        forked workers stop copying every memory page a scan would touch.
        """
        from jinja2 import TemplateError

        from ..errors import BriefkitError
        from ..inputs.kinds import COVER, REGISTER
        from ..render.fonts import fonts_for, missing_glyphs

        for language in {job.language for job in jobs}:
            missing_glyphs("", fonts_for(language))
        for job in jobs:
            try:
                env = self.environment(job)
            except BriefkitError:
                continue  # bad labels: rendering reports them, located, as for any build
            for name in (job.kind.template, COVER.template, REGISTER.template):
                try:
                    env.get_template(name)
                except TemplateError:
                    pass  # rendering reports it, located
        global _frozen
        if not _frozen:  # once per process: a watching process must still collect each build's garbage
            gc.collect()
            gc.freeze()
            _frozen = True
