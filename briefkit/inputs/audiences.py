"""Audience profiles: loading, inheritance and the merged result.

A profile is templates/audiences/<name>.yaml. It may name a parent with `extends:`; every chain
ends at `base`, which holds the defaults. Merge rule: mappings merge key by key, and anything
else (text, numbers, lists) is replaced whole by the child's value. `extends` and `build` belong
to their own file and are never inherited. Every merged value keeps the file and line it came
from, so errors point at the right file and `--explain` can say where each value came from.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Location, Problem, UsageError, did_you_mean
from ..paths import NAME_RULE, Project, is_name
from .profile import HEX_COLOUR, Profile
from .schema import LANGUAGE_CODE, Validator
from .model import ContentSet
from .vocabulary import load_vocabulary
from .yamlfile import Node, read_yaml

ROOT = "base"
FILE_KEYS = ("extends", "build")  # per file, never inherited


@dataclass
class Audience:
    name: str
    profile: Profile
    chain: list[str]                      # this profile, its parent, ..., base
    merged: Node                          # the merged values, each with its origin
    files: list[Path] = field(default_factory=list)             # the chain's profile files (and a set's overrides)
    template_folders: list[str] = field(default_factory=list)   # override folders, most specific first
    content_set: str | None = None        # the set whose audiences.yaml was merged last, if any
    warnings: list[Problem] = field(default_factory=list)       # deprecated keys and the like

    @property
    def file(self) -> Path:
        return self.files[0]


def discover_audiences(project: Project) -> list[str]:
    """Every profile: the project's and the shipped ones (a project file replaces a shipped one)."""
    return sorted({p.stem for root in project.template_roots() for p in (root / "audiences").glob("*.yaml")})


def buildable_audiences(project: Project) -> list[str]:
    """Audiences built by default: the project's own profiles, or, when it defines none, the shipped
    ones; either way every profile but those that say `build: false` (base)."""
    own = [path for path in sorted((project.templates / "audiences").glob("*.yaml")) if _buildable(project, path)]
    if own:
        return [path.stem for path in own]
    return [name for name in discover_audiences(project) if _buildable(project, project.profile(name))]


def shipped_left_out(project: Project) -> list[str]:
    """The shipped audiences a default build leaves out because the project has profiles of its
    own (see buildable_audiences): said by the build, never silent."""
    built = set(buildable_audiences(project))
    own = {path.stem for path in (project.templates / "audiences").glob("*.yaml")}
    return [name for name in discover_audiences(project)
            if name not in built and name not in own and _buildable(project, project.profile(name))]


def _buildable(project: Project, path: Path) -> bool:
    node, _ = read_yaml(path, project.shown(path), project.input_roots())
    build = node.value.get("build") if node is not None and isinstance(node.value, dict) else None
    return build is None or build.value is not False


def load_audience(project: Project, name: str, content_set: str | None = None,
                  set_tags: Collection[str] = ()) -> Audience:
    """An audience's merged profile; with `content_set`, what that set's audiences.yaml says for
    this audience is merged last, for that set alone (`set_tags`: the tags that set declares)."""
    known = discover_audiences(project)
    if name not in known:
        raise UsageError(f"no audience '{name}' in templates/audiences/{did_you_mean(name, known, 'known')}")
    if not is_name(name):
        raise InputError([Problem(Location(project.shown(project.profile(name))), "",
                                  f"profile file names use {NAME_RULE} only: rename it")])
    chain, nodes = _chain(project, name, known)
    merged = nodes[-1]
    for node in reversed(nodes[:-1]):
        merged = _merge(merged, node)
    files = [project.profile(link) for link in chain]
    overrides = set_overrides(project, content_set).get(name) if content_set else None
    if overrides is not None:
        merged = _merge(merged, overrides)
        files.append(set_overrides_file(project, content_set or ""))
    validator = Validator(default_language="en")
    profile = validator.record(Profile, merged, "")
    tags = set(load_vocabulary(project).labels) | (set(set_tags) if overrides is not None else set())
    problems = validator.problems + (validator.place(_check(profile, tags)) if profile is not None else [])
    if problems or profile is None:
        raise InputError(problems)
    folders = [root / "audiences" / link for link in chain for root in project.template_roots()]
    return Audience(name, profile, chain, merged, files, [str(folder) for folder in folders if folder.is_dir()],
                    content_set if overrides is not None else None, _deprecated(project, merged))


def audience_for(project: Project, content: ContentSet, name: str, profile: Audience | None = None) -> Audience:
    """An audience as one content set sees it: the profile, with the set's audiences.yaml merged in
    (`profile`: the audience as loaded without it, when at hand)."""
    if name in set_overrides(project, content.name):
        return load_audience(project, name, content.name, content.tags)
    return profile or load_audience(project, name)


OVERRIDES = "audiences.yaml"


def set_overrides_file(project: Project, content_set: str) -> Path:
    return project.set_folder(content_set) / OVERRIDES


def set_overrides(project: Project, content_set: str) -> dict[str, Node]:
    """content/<set>/audiences.yaml: for each audience, profile values for this set alone."""
    path = set_overrides_file(project, content_set)
    if not path.is_file():
        return {}
    node, problems = read_yaml(path, project.shown(path), project.input_roots())
    if node is not None and not isinstance(node.value, dict):
        problems.append(Problem(node.location, "", "expected a mapping of audience names to profile values"))
    if problems or node is None or not isinstance(node.value, dict):
        raise InputError(problems)
    known = discover_audiences(project)
    unknown = [Problem(value.key_location or value.location, name, f"no audience '{name}'"
                       f"{did_you_mean(name, known, 'known')}") for name, value in node.value.items() if name not in known]
    unknown += [Problem(value.key_location or value.location, name, "expected a mapping of profile keys")
                for name, value in node.value.items() if not isinstance(value.value, dict)]
    if unknown:
        raise InputError(unknown)
    return {name: Node({k: v for k, v in value.value.items() if k not in FILE_KEYS}, value.location)
            for name, value in node.value.items() if isinstance(value.value, dict)}


def _deprecated(project: Project, merged: Node) -> list[Problem]:
    """A profile that names a content set's argument groups by id: still honoured for the sets that
    have them, but a profile is about readers and should choose by role."""
    emphasis = merged.value.get("emphasis") if isinstance(merged.value, dict) else None
    groups = emphasis.value.get("argument_groups") if emphasis is not None and isinstance(emphasis.value, dict) else None
    if groups is None or groups.value is None or groups.location.file.endswith(f"/{OVERRIDES}"):
        return []
    return [Problem(groups.key_location or groups.location, "emphasis.argument_groups",
                    "deprecated: a profile names no content ids; choose groups by role (argument_roles), "
                    f"or set argument_groups for one set in content/<set>/{OVERRIDES}")]


def _chain(project: Project, name: str, known: list[str]) -> tuple[list[str], list[Node]]:
    """Read the profile and its ancestors, child first; every file's own keys removed."""
    chain: list[str] = []
    nodes: list[Node] = []
    current: str | None = name
    while current is not None:
        path = project.profile(current)
        node, problems = read_yaml(path, project.shown(path), project.input_roots())
        if node is not None and not isinstance(node.value, dict):
            problems.append(Problem(node.location, "", "a profile is a mapping of keys"))
        if problems or node is None or not isinstance(node.value, dict):
            raise InputError(problems)
        chain.append(current)
        own = {key: value for key, value in node.value.items() if key not in FILE_KEYS}
        nodes.append(Node(own, node.location))
        current = _parent(node.value, current, chain, known)
    return chain, nodes


def _parent(keys: dict[str, Node], name: str, chain: list[str], known: list[str]) -> str | None:
    extends = keys.get("extends")
    if extends is None:
        return None if name == ROOT else ROOT
    where = extends.key_location or extends.location
    parent = extends.value
    if not isinstance(parent, str):
        raise InputError([Problem(where, "extends", "expected the name of another profile")])
    if parent in chain:
        loop = " → ".join([*chain, parent])
        raise InputError([Problem(where, "extends", f"profiles extend each other in a circle: {loop}")])
    if parent not in known:
        more = did_you_mean(parent, known, "known")
        loop = " → ".join([*chain, parent])
        raise InputError([Problem(where, "extends", f"'{parent}' does not exist{more}; chain: {loop}")])
    return parent


def _merge(parent: Node, child: Node) -> Node:
    """Mappings merge key by key; any other value is replaced whole."""
    if isinstance(parent.value, dict) and isinstance(child.value, dict):
        merged = dict(parent.value)
        for key, value in child.value.items():
            merged[key] = _merge(merged[key], value) if key in merged else value
        return Node(merged, child.location, child.key_location)
    return child


def _check(profile: Profile, known_tags: Collection[str]) -> list[Problem]:
    from .kinds import KINDS

    problems = []
    for key in ("language", "fallback_language"):  # a code names label files: never a path
        code = getattr(profile, key)
        if code is not None and not LANGUAGE_CODE.match(code):
            problems.append(Problem(profile.where, key, f"'{code}' is not a language code such as en or ko"))
    tags = sorted(known_tags)
    for index, tag in enumerate(profile.emphasis.implication_tags or []):
        if tag not in known_tags:
            problems.append(Problem(profile.emphasis.where, f"emphasis.implication_tags[{index}]",
                                    f"unknown tag '{tag}'{did_you_mean(tag, tags, otherwise=None)}: tags are declared "
                                    "in templates/tags.yaml (or, for one set's audiences.yaml, in that set)"))
    for kind in KINDS.values():
        limit = getattr(profile.page_limits, kind.name)
        if limit is not None and not 1 <= limit <= kind.most_pages:
            problems.append(Problem(profile.page_limits.where, f"page_limits.{kind.name}",
                                    f"must be between 1 and {kind.most_pages}, not {limit}"))
    presentation = profile.presentation
    if not HEX_COLOUR.match(presentation.accent):
        problems.append(Problem(presentation.where, "presentation.accent",
                                f"'{presentation.accent}' is not a colour: write it as #RRGGBB"))
    if not 0.8 <= presentation.type_scale <= 1.4:
        problems.append(Problem(presentation.where, "presentation.type_scale",
                                f"{presentation.type_scale} is out of range: use 0.8 to 1.4"))
    emphasis = profile.emphasis
    for key in ("key_judgments", "implications", "talking_points"):
        if getattr(emphasis, key) < 0:
            problems.append(Problem(emphasis.where, f"emphasis.{key}", "must not be negative"))
    return problems


def page_limit(profile: Profile, kind: str, default: int) -> int:
    """The profile's limit for a document kind; kinds a profile cannot set keep their default."""
    limit = getattr(profile.page_limits, kind, None)
    return default if limit is None else limit


def orientation(profile: Profile, kind: str, default: str) -> str:
    return getattr(profile.orientation, kind, None) or default


def origin(audience: Audience, *keys: str) -> Node | None:
    """The merged node of a profile value, which knows the file and line it came from."""
    node: Node | None = audience.merged
    for key in keys:
        node = node.value.get(key) if node is not None and isinstance(node.value, dict) else None
    return node

