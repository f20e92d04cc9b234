"""What a build was asked to build (its selection), and so which outputs it answers for: those it
may remove when they are no longer planned.

A plain build answers for every output but those of draft content sets it was not asked for. A
build narrowed by --set, --audience or --kind answers for the documents inside that narrowing,
and --meeting for the meetings it names; a build narrowed to documents answers for no meeting,
and one narrowed to meetings for no document (it makes their documents, but removes none).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import Project


@dataclass(frozen=True)
class Selection:
    sets: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()

    @classmethod
    def of(cls, sets: list[str] | None, audiences: list[str] | None, kinds: list[str] | None,
           meetings: list[str] | None) -> Selection:
        return cls(*(tuple(sorted(set(names or []))) for names in (sets, audiences, kinds, meetings)))

    @classmethod
    def of_args(cls, args: Any) -> Selection:
        """The selection a command line's --set, --audience, --kind and --meeting make."""
        return cls.of(args.set, args.audience, args.kind, getattr(args, "meeting", None))

    @property
    def key(self) -> str:
        """The selection as the build cache names it."""
        return json.dumps([self.sets, self.audiences, self.kinds, self.meetings])

    @property
    def narrowed(self) -> bool:
        return bool(self.sets or self.audiences or self.kinds)


@dataclass(frozen=True)
class Scope:
    """The outputs a build answers for."""

    selection: Selection
    drafts: frozenset[str]  # draft content sets: answered for only when named

    @classmethod
    def of(cls, project: Project, selection: Selection) -> Scope:
        from ..inputs.content import discover_sets, is_draft

        return cls(selection, frozenset(name for name in discover_sets(project) if is_draft(project, name)))

    def covers(self, entry: dict[str, Any]) -> bool:
        """Whether this build answers for the output a manifest entry describes."""
        chosen = self.selection
        meeting, content_set = entry.get("meeting"), entry.get("content_set")
        if meeting:
            if chosen.meetings:
                return meeting in chosen.meetings
            return not chosen.narrowed and content_set not in self.drafts
        if chosen.meetings and not chosen.narrowed:
            return False
        if content_set in self.drafts and content_set not in chosen.sets:
            return False
        return all(not names or entry.get(field) in names
                   for field, names in (("content_set", chosen.sets), ("audience", chosen.audiences),
                                        ("kind", chosen.kinds)))

    def covers_meeting(self, slug: str, content_set: str | None) -> bool:
        return self.covers({"meeting": slug, "content_set": content_set})


def meeting_files(project: Project, scope: Scope, known: dict[str, str | None]) -> list[str]:
    """The PDF and CSV files under the meeting folders this build answers for (its copies/ too),
    whether or not a manifest lists them: an old copy no entry names is still a copy. `known`
    gives the content set of each meeting slug the manifest or cache mentions."""
    base = project.file(project.meeting("x")).parent
    found: list[str] = []
    if not base.is_dir():
        return found
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.is_symlink()):
        if not scope.covers_meeting(folder.name, known.get(folder.name)):
            continue
        for place in (folder, folder / "copies"):
            if place.is_dir() and not place.is_symlink():
                found += [project.relative(path) for path in sorted(place.iterdir())
                          if path.suffix in (".pdf", ".csv") and path.is_file() and not path.is_symlink()]
    return found


def slug_of(path: str, project: Project) -> str | None:
    """The meeting a path under the meetings output folder belongs to."""
    parts = Path(path).parts
    base = Path(project.meeting("x")).parent.parts
    return parts[len(base)] if parts[:len(base)] == base and len(parts) > len(base) else None
