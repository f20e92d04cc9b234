"""The overview page, index.html in the output folder: every output at a glance, with page
previews, checks and links, rendered from the template overview.html.j2.

The template is looked up like every other (the project's templates/ first, then the shipped
one), autoescaped and sandboxed. The page is static: its style inline, no script, nothing fetched
from the network; `serve` adds its reload script as it sends the page, never to the file.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..paths import Project
from .overview import overview

TEMPLATE = "overview.html.j2"


def render_index(project: Project, manifest: dict[str, Any]) -> str:
    """The page's HTML; a broken template raises a TemplateProblem naming its file and line."""
    from ..render.templating import make_environment, render_template

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
