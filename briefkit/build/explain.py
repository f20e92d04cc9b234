"""`explain`: an audience's merged profile, where each value came from, and the templates it uses.

The reference tables `explain` also prints (every key of a profile or of a content file) are
made in reference.py."""
from __future__ import annotations

import dataclasses
from typing import Any

from jinja2 import nodes

from ..errors import UsageError, did_you_mean
from ..inputs.audiences import Audience, audience_for, load_audience, orientation, page_limit
from ..inputs.content import discover_sets, load_set
from ..inputs.kinds import KINDS
from ..inputs.yamlfile import Node
from ..paths import Project
from ..render.templating import Environment, make_environment, template_source
from .reference import show as _show


def explanation(project: Project, audience: str | None, content_set: str | None, markup: bool = False,
                profile_keys: bool = False, content_keys: bool = False) -> str:
    """What `explain` prints: the page-markup vocabulary, every profile or content key, or one
    audience's profile (as one content set sees it, with `content_set`)."""
    if markup:
        from ..render.vocabulary import reference

        return reference()
    if profile_keys:
        from .reference import profile_reference

        return profile_reference()
    if content_keys:
        from .reference import content_reference

        return content_reference()
    return explain(project, explained(project, audience or "", content_set))


def explained(project: Project, name: str, content_set: str | None) -> Audience:
    """The audience to explain: as loaded, or as one content set sees it (its audiences.yaml merged)."""
    if content_set is None:
        return load_audience(project, name)
    sets = discover_sets(project)
    if content_set not in sets:
        raise UsageError(f"--set: no content set '{content_set}'{did_you_mean(content_set, sets)}")
    return audience_for(project, load_set(project, content_set), name)


def explain(project: Project, audience: Audience) -> str:
    lines = [f"audience: {audience.name}  ({project.shown(audience.file)})",
             f"inherits: {' → '.join(audience.chain)}   (mappings merge key by key; lists and values replace)"]
    if audience.content_set is not None:
        lines.append(f"for content set {audience.content_set}: {project.shown(audience.files[-1])} merged last")
    lines += ["", "merged profile (value  ← where it was set):"]
    lines += _values(audience.profile, audience.merged, "  ")
    lines += ["", "documents:"]
    env = make_environment(project.template_roots(), audience.template_folders, shown=project.shown)
    profile = audience.profile
    for kind_name in profile.documents:
        kind = KINDS[kind_name]
        pages = page_limit(profile, kind_name, kind.default_pages)
        turn = orientation(profile, kind_name, kind.orientation)
        lines.append(f"  {kind_name}: {profile.paper} {turn}, at most {pages} page{'s' if pages > 1 else ''}")
        lines.append(f"    template: {' → extends '.join(_template_chain(env, kind.template))}")
    return "\n".join(lines)


def _values(record: Any, node: Node | None, indent: str) -> list[str]:
    lines = []
    for spec in dataclasses.fields(record):
        if spec.metadata.get("internal"):
            continue
        value = getattr(record, spec.name)
        child = node.value.get(spec.name) if node is not None and isinstance(node.value, dict) else None
        if dataclasses.is_dataclass(value) and not _is_scalar(value):
            lines.append(f"{indent}{spec.name}:")
            lines += _values(value, child, indent + "  ")
            continue
        origin = str(child.location) if child is not None else "default"
        lines.append(f"{indent}{spec.name}: {_show(value)}  ← {origin}")
    return lines


def _is_scalar(value: Any) -> bool:
    return type(value).__name__ in ("Text", "Refs", "EventDate")


def _template_chain(env: Environment, name: str) -> list[str]:
    """The file a template name resolves to, then each template it extends, by file."""
    chain, seen = [], set()
    current: str | None = name
    while current and current not in seen:
        seen.add(current)
        found = template_source(env, current)
        if found is None:
            chain.append(f"{current} (not found)")
            break
        source, filename = found
        chain.append(env.shown(filename))
        parents = [n.template.value for n in env.parse(source).find_all(nodes.Extends)
                   if isinstance(n.template, nodes.Const)]
        current = parents[0] if parents else None
    return chain
