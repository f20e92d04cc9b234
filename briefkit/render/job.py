"""A document to build: a content set, for an audience, of a kind, and where its PDF goes."""
from __future__ import annotations

from dataclasses import dataclass

from ..inputs.audiences import Audience, orientation, page_limit
from ..inputs.kinds import DocumentKind
from ..inputs.model import ContentSet


@dataclass
class Job:
    content: ContentSet
    audience: Audience
    kind: DocumentKind
    path: str  # the output path (see paths.Project.document)

    @property
    def label(self) -> str:
        return f"{self.content.name}/{self.audience.name}/{self.kind.name}"

    @property
    def language(self) -> str:
        return self.audience.profile.language

    @property
    def max_pages(self) -> int:
        return page_limit(self.audience.profile, self.kind.name, self.kind.default_pages)

    @property
    def orientation(self) -> str:
        return orientation(self.audience.profile, self.kind.name, self.kind.orientation)
