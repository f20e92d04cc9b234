"""A document's logical structure, for tagged PDF: the tree a screen reader walks.

The markup builders make one node per element that carries meaning (a heading, a paragraph, a
list item, a table cell, a figure), in markup order, which is the reading order. Drawing then
adds marks: each piece of a node's content on a page is one marked-content sequence with its own
id (MCID), so a paragraph split across two columns or pages stays one node with two marks. What
is not content (rules, backgrounds, running heads) is drawn as an artifact and has no node.
tagging.py draws the marks; pdf_structure.py writes the tree into the PDF.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4) that documents use: PDF/UA-1
# readers know these without a role map.
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
STANDARD = frozenset({"Document", "Part", "Sect", "Div", "BlockQuote", "Caption", "P", *HEADINGS, "L", "LI", "Lbl",
                      "LBody", "Table", "TR", "TH", "TD", "Span", "Quote", "Note", "Reference", "Figure", "Link"})


@dataclass(frozen=True)
class Mark:
    """One marked-content sequence: the page it is on (1 for the first) and its id there."""

    page: int
    mcid: int


@dataclass(eq=False)
class Node:
    """A structure element. `kids` holds, in reading order, its child nodes and its own marks."""

    role: str
    parent: Node | None = None
    kids: list[Node | Mark] = field(default_factory=list)
    alt: str = ""          # Figure: what it shows, for readers who cannot see it
    actual_text: str = ""  # what its content reads as, when the glyphs alone say it badly
    lang: str = ""         # when it is in another language than the document
    scope: str = ""        # TH: Column or Row
    title: str = ""        # a name for the element (/T)

    def __post_init__(self) -> None:
        if self.role not in STANDARD:
            raise ValueError(f"{self.role} is not a standard structure type")

    def add(self, role: str, *, alt: str = "", actual_text: str = "", lang: str = "", scope: str = "",
            title: str = "") -> Node:
        """A new child node, after the kids it has so far."""
        child = Node(role, self, alt=alt, actual_text=actual_text, lang=lang, scope=scope, title=title)
        self.kids.append(child)
        return child

    def nodes(self) -> Iterator[Node]:
        """This node and every node under it, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.nodes()

    def marked_nodes(self) -> list[Node]:
        """This node and every node under it that anything was drawn for, in reading order: a
        node with no marks anywhere under it is left out. One walk, however deep the tree."""
        found: list[Node] = []

        def visit(node: Node) -> bool:
            at, drawn = len(found), False
            found.append(node)
            for kid in node.kids:
                drawn = (visit(kid) if isinstance(kid, Node) else True) or drawn
            if not drawn:
                del found[at:]  # nothing under it was drawn either
            return drawn

        visit(self)
        return found


def document_root() -> Node:
    return Node("Document")
