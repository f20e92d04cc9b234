"""Document kinds: which template renders each and what its checks demand."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    name: str
    template: str
    min_pages: int
    max_pages: int
    description: str


KINDS: dict[str, DocumentKind] = {
    "brief": DocumentKind("brief", "brief.xml.j2", 1, 1, "one-page policy brief"),
}
