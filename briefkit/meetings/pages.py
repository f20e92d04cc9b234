"""A packet's pages: where each document starts, which pages are blank, and what the pages are
called in the meeting's language. Pure data: no PDF library needed to plan a packet."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PacketDocument:
    label: str  # what kind of document, e.g. "Fact sheet": the outline entry
    title: str
    pdf: bytes
    headings: tuple[tuple[int, str, int], ...]  # (level, text, page within the document)
    pages: int


@dataclass(frozen=True)
class PacketPlan:
    """Where each document starts (0-based packet page index), which pages are blank, and how
    many pages come before page 1 (the cover, and its blank back when documents start on
    right-hand pages)."""

    starts: tuple[int, ...]
    blanks: tuple[int, ...]
    total: int
    front: int = 1
    right_hand_starts: bool = False

    def number(self, index: int) -> int | None:
        """The page number printed on a packet page; None for the cover and its back."""
        return index - self.front + 1 if index >= self.front else None

    @property
    def numbered(self) -> int:
        """How many pages carry a number: the "of Y" in "page X of Y"."""
        return self.total - self.front


def plan_packet(page_counts: list[int], right_hand_starts: bool) -> PacketPlan:
    """The packet's pages, numbered as books and briefing books are.

    The cover is the first right-hand page (index 0) and carries no number. Documents are
    numbered from 1. With right-hand starts (printed on both sides), the back of the cover is a
    blank page with no number either, so page 1 is a right-hand page: right-hand pages carry odd
    numbers, left-hand pages even ones, and a blank page before a document puts every document
    on a right-hand page, with an odd number.
    """
    starts, blanks = [], []
    index = 1
    if right_hand_starts:
        blanks.append(index)
        index += 1
    front = index
    for count in page_counts:
        if right_hand_starts and index % 2 == 1:  # an odd index is a left-hand page
            blanks.append(index)
            index += 1
        starts.append(index)
        index += count
    return PacketPlan(tuple(starts), tuple(blanks), index, front, right_hand_starts)


@dataclass(frozen=True)
class PacketWords:
    """What the packet prints around its documents, in the meeting's language."""

    cover: str          # the cover's page label
    inside_cover: str   # the page label of the cover's blank back
    page: str           # the running line: {line}, {page}, {pages}
    blank: str          # printed on a blank page

    @classmethod
    def from_labels(cls, labels: dict[str, str]) -> PacketWords:
        return cls(labels["cover_page_label"], labels["inside_cover_label"], labels["packet_page"],
                   labels["blank_page"])

    def label(self, plan: PacketPlan, index: int) -> str:
        """The page label of a packet page: its printed number, or what the unnumbered page is."""
        number = plan.number(index)
        if number is not None:
            return str(number)
        return self.cover if index == 0 else self.inside_cover
