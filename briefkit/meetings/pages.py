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
    """Where each document starts (0-based packet page index), and which pages are blank."""

    starts: tuple[int, ...]
    blanks: tuple[int, ...]
    total: int


def plan_packet(page_counts: list[int], right_hand_starts: bool) -> PacketPlan:
    """The cover is page index 0 (a right-hand page); documents follow, padded when asked."""
    starts, blanks, index = [], [], 1
    for count in page_counts:
        if right_hand_starts and index % 2 == 1:  # index 1 is page 2, a left-hand page
            blanks.append(index)
            index += 1
        starts.append(index)
        index += count
    return PacketPlan(tuple(starts), tuple(blanks), index)


@dataclass(frozen=True)
class PacketWords:
    """What the packet prints around its documents, in the meeting's language."""

    cover: str   # the cover's page label
    page: str    # the running line: {line}, {page}, {pages}
    blank: str   # printed on a blank page

    @classmethod
    def from_labels(cls, labels: dict[str, str]) -> PacketWords:
        return cls(labels["cover_page_label"], labels["packet_page"], labels["blank_page"])

    def label(self, index: int) -> str:
        """The page label of a packet page (0 is the cover)."""
        return self.cover if index == 0 else str(index)
