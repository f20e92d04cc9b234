"""The overview page, index.html in the output folder: every output at a glance, with page
previews, checks and links, rendered from the template overview.html.j2.

The template is looked up like every other (the project's templates/ first, then the shipped
one), autoescaped and sandboxed. The page is static: its style inline, no script, nothing fetched
from the network; `serve` adds its reload script as it sends the page, never to the file.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..paths import Project
from .previews import Drawn, update_previews

TEMPLATE = "overview.html.j2"


def render_index(project: Project, manifest: dict[str, Any]) -> str:
    """The page's HTML; a broken template raises a TemplateProblem naming its file and line."""
    from ..render.templating import make_environment, render_template
    from .overview import overview  # here: a build whose previews are all drawn writes no page

    environment = make_environment(project.template_roots(), [], shown=project.shown)
    return render_template(environment, TEMPLATE, overview(project, manifest))


def write_index(project: Project, manifest: dict[str, Any]) -> Path:
    """Write index.html (atomically, and only when it changes); its path."""
    page = render_index(project, manifest)
    target = project.index
    if target.is_file() and target.read_text(encoding="utf-8") == page:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(page, encoding="utf-8")
    os.replace(temporary, target)
    return target


def draw_previews(project: Project, workers: int, say: Callable[[str], None], warn: Callable[[str], None]) -> Drawn:
    """After a build has published and reported: draw the previews of the PDFs whose bytes changed,
    then write the overview page again so it shows them; `say` what was drawn. Never raises: a
    preview that could not be drawn, or a previews folder or overview page that could not be
    written, is a warning (the PDFs stand, checked)."""
    from ..errors import BriefkitError
    from .manifest import read_manifest

    if not project.manifest.is_file():
        return Drawn()
    try:
        drawn = update_previews(project, read_manifest(project), workers)
    except OSError as exc:
        warn(f"warning: the page previews could not be written ({exc.filename or project.previews}: "
             f"{exc.strerror or exc}); the PDFs are published and checked")
        return Drawn()
    for path, why in drawn.failed:
        warn(f"warning: no preview of {path}: {why} (the PDF is published and checked)")
    if not drawn.count:
        return drawn
    from .atomic import build_lock  # here: a build whose previews are all drawn takes no lock

    try:
        with build_lock(project):  # the manifest read with the lock held is the one in place
            write_index(project, read_manifest(project))
    except (OSError, BriefkitError) as exc:
        warn(f"warning: {drawn.count} PDF{'s' if drawn.count != 1 else ''} previewed, but the overview page "
             f"could not be written again to show them: {exc}")
        return drawn
    say(f"previews: {drawn.count} PDF{'s' if drawn.count != 1 else ''} rendered; "
        f"overview: {project.relative(project.index)}")
    return drawn
