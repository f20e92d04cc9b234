"""The page-markup registry: every element's role, content model, typed attributes and builder.

Templates render a small XML vocabulary. Each element is declared once, with `define`: its
structural role (heading, list, figure, artifact…), what it may contain, its typed attributes
(attributes.py) and the builder that turns it into ReportLab flowables. After parsing, the whole
document is checked against the registry: an unknown element, an element where it cannot go, text
that would be dropped, or an attribute that is unknown or cannot be read is a template error
located at its rendered line, never a traceback and never silently lost text. The registry is
also the reference (`briefkit explain --markup`, docs/markup.md). The builders live in
elements.py and data_elements.py; vocabulary.py puts the complete vocabulary together.

Text is always literal: element text is XML-escaped again before it reaches ReportLab's paragraph
mini-language, so content can never become markup, open a file or make a link.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat
from xml.sax.saxutils import escape

from ..errors import TemplateProblem, did_you_mean
from ..locales import language_spans, smart_quotes
from .attributes import Attribute
from .fonts import font_in, runs
from .structure import Node, document_root
from .styles import Styles

LINE = "{briefkit}line"  # where an element starts in the rendered markup (set by the parser)

# Content models: what an element may hold.
EMPTY = "nothing"
INLINE = "text and inline elements"
BLOCKS = "block elements"
DOCUMENT = "blocks, page elements and one <flow>"

TEXT = "text"  # in `reads`: the element's own text and its children's

# Levels: where an element may stand.
BLOCK, PART, PAGE, INLINE_LEVEL, TOP, ROOT = "block", "part", "page", "inline", "top", "root"


@dataclass(frozen=True)
class Element:
    name: str
    role: str                       # the PDF structure role it takes (H1, P, L, Table, Artifact…)
    doc: str
    level: str                      # block; inline; part (inside its parent only); page or top (in the document only)
    content: str | tuple[str, ...]  # EMPTY, INLINE, BLOCKS, or the names of the parts it holds
    attributes: dict[str, Attribute] = field(default_factory=dict)
    build: Callable[[ElementTree.Element, Context], list[Any]] | None = None
    check: Callable[[ElementTree.Element], str | None] | None = None  # rules beyond the types
    reads: tuple[str, ...] = (TEXT,)  # what a screen reader reads of it, in order: TEXT or attributes

    def value(self, element: ElementTree.Element, name: str) -> Any:
        """An attribute's typed value, or its default. Checking the document replaced each
        attribute's text by its value, so nothing is read twice, however often it is laid out."""
        given = element.get(name)
        return self.attributes[name].default if given is None else given


TAGS: dict[str, Element] = {}


def define(name: str, role: str, doc: str, level: str, content: str | tuple[str, ...],
           build: Callable[[ElementTree.Element, Context], list[Any]] | None = None,
           check: Callable[[ElementTree.Element], str | None] | None = None, reads: tuple[str, ...] = (TEXT,),
           **attributes: Attribute) -> None:
    """Declare an element: the one way into the registry. `reads`: what of it a screen reader
    reads, in order: TEXT (its text and its children's) and the names of attributes printed
    with it; () for what prints nothing or is an artifact."""
    TAGS[name] = Element(name, role, doc, level, content, attributes, build, check, reads)


def value(element: ElementTree.Element, name: str) -> Any:
    return TAGS[element.tag].value(element, name)


@dataclass
class PageDecor:
    """Running header, footer and marking: page artifacts drawn on every page, not flowables."""

    header_left: str = ""
    header_right: str = ""
    footer_left: str = ""
    footer_right: str = ""
    marking: str = ""
    watermark: str = ""
    colophon: ElementTree.Element | None = None


@dataclass
class DocumentMarkup:
    """A parsed and checked document: metadata, page artifacts and the top-level elements."""

    meta: dict[str, str]
    decor: PageDecor
    body: list[ElementTree.Element]
    headings: list[str] = field(default_factory=list)
    content_read: tuple[str, ...] = ()  # the content files (stems) the template read to make it
    digest: str = ""  # SHA-256 of the markup text the template produced
    notes: list[str] = field(default_factory=list)  # what the audience asked for that the content lacks


@dataclass
class Context:
    """What a builder needs: styles, the width it is laying out into, the height of a full
    page's text frame (what an element that cannot split may take at the most), and the
    structure node its elements' nodes go under (structure.py)."""

    styles: Styles
    width: float
    page_height: float = 0.0  # 0: not known
    node: Node = field(default_factory=document_root)

    def inside(self, node: Node | None = None, width: float | None = None) -> Context:
        """The context of an element's children: under `node`, `width` wide."""
        return replace(self, node=self.node if node is None else node, width=self.width if width is None else width)


def role(flowable: Any, name: str, **info: object) -> Any:
    flowable.briefkit_role = (name, info)
    return flowable


def literal(text: str, styles: Styles, font: str, quotes: bool = True) -> str:
    """Text as ReportLab paragraph markup that prints it as it is: escaped, with typographic quotes,
    each run of characters the document's fonts lack set in the fallback font that has them
    (`font`: the font the text is set in), and each stretch in another language's script marked
    as that language for the tagged PDF (zero-width callbacks that change nothing on the page)."""
    text = smart_quotes(text) if quotes else text
    pieces, at = [], 0
    for start, end, language in language_spans(text, styles.theme.language):
        pieces += [_in_fonts(text[at:start], styles, font), LANGUAGE_MARK.format(language),
                   _in_fonts(text[start:end], styles, font), LANGUAGE_MARK.format("")]
        at = end
    return "".join([*pieces, _in_fonts(text[at:], styles, font)])


LANGUAGE_MARK = '<onDraw name="briefkit-language" label="{}"/>'  # see tagging.Tagger.language


def _in_fonts(text: str, styles: Styles, font: str) -> str:
    fonts = styles.fonts
    if fonts.fallback is None:
        return escape(text)
    return "".join(escape(run) if not level else f'<font face="{font_in(fonts, font, level)}">{escape(run)}</font>'
                   for run, level in runs(text, fonts))


def inline(element: ElementTree.Element, styles: Styles, font: str | None = None) -> str:
    """Element content as ReportLab paragraph markup, all text literal (`font`: the font of the
    paragraph it is set in; the body font by default)."""
    font = font or styles["body"].fontName
    parts = [literal(element.text or "", styles, font)]
    for child in element:
        if child.tag in ("b", "i"):
            parts.append(f"<{child.tag}>{inline(child, styles, font)}</{child.tag}>")
        elif child.tag == "br":
            parts.append("<br/>")
        elif child.tag == "ref":
            size = styles["note"].fontSize
            parts.append(f'<font size="{size:.2f}" color="{styles.theme.muted}">{inline(child, styles, font)}</font>')
        parts.append(literal(child.tail or "", styles, font))
    return "".join(parts).strip()


def build_children(element: ElementTree.Element, context: Context) -> list[Any]:
    """The flowables of an element's children, each knowing the element it came from (for errors)."""
    flowables: list[Any] = []
    for child in element:
        builder = TAGS[child.tag].build
        if builder is not None:
            built = builder(child, context)
            for flowable in built:
                if not hasattr(flowable, "briefkit_source"):
                    flowable.briefkit_source = f"<{child.tag}> (rendered line {child.get(LINE, '?')})"
            flowables.extend(built)
    return flowables


def parse(markup: str, template: str, unprintable: Callable[[str], list[str]] | None = None) -> DocumentMarkup:
    """Parse rendered markup and check it against the registry; `template` names the template
    file in errors, with the line of the rendered markup. `unprintable` (text → the characters
    the document's fonts lack) checks every text the markup prints, the template's own words too."""
    root = _tree(markup, template)
    if root.tag != "document":
        raise TemplateProblem(f"{template}: the root element must be <document>, not <{root.tag}>")
    problems = list(_problems(root, None))
    if unprintable is not None and not problems:
        problems = list(_unprintable(root, unprintable))
    if problems:
        shown = "\n".join(f"  {template} (rendered line {line}): {text}" for line, text in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise TemplateProblem(f"the page markup has {len(problems)} problem{'s' if len(problems) > 1 else ''} "
                              f"(see `briefkit explain --markup`):\n{shown}{more}")
    decor, body = PageDecor(), []
    for child in root:
        if child.tag == "running-header":
            decor.header_left, decor.header_right = value(child, "left"), value(child, "right")
        elif child.tag == "running-footer":
            decor.footer_left, decor.footer_right = value(child, "left"), value(child, "right")
        elif child.tag == "marking":
            decor.marking = value(child, "text")
        elif child.tag == "watermark":
            decor.watermark = value(child, "text")
        elif child.tag == "colophon":
            decor.colophon = child
        else:
            body.append(child)
    headings = [smart_quotes(" ".join("".join(e.itertext()).split()))
                for e in root.iter() if e.tag in ("title", "h2", "h3")]
    meta = {key: smart_quotes(text) if key in ("title", "subject") else text
            for key, text in root.attrib.items() if key != LINE}
    return DocumentMarkup(meta, decor, body, headings)


def _tree(markup: str, template: str) -> ElementTree.Element:
    """The element tree, each element knowing its line (expat reports it; ElementTree does not)."""
    parser = expat.ParserCreate()
    builder = ElementTree.TreeBuilder()

    numbers: dict[int, str] = {}  # one string per line, shared by its elements (a register has thousands)

    def start(tag: str, attributes: dict[str, str]) -> None:
        number = parser.CurrentLineNumber
        builder.start(tag, {**attributes, LINE: numbers.setdefault(number, str(number))})

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(markup, True)
    except expat.ExpatError as error:
        lines = markup.splitlines()
        bad = lines[error.lineno - 1].strip() if 0 < error.lineno <= len(lines) else ""
        raise TemplateProblem(
            f"{template} produced malformed markup at rendered line {error.lineno}, column {error.offset + 1}: "
            f"{expat.ErrorString(error.code)}\n    {bad[:120]}") from None
    return builder.close()


def _problems(element: ElementTree.Element, parent: Element | None) -> Iterator[tuple[str, str]]:
    """(line, message) for everything in `element` that the registry does not allow."""
    line = element.get(LINE, "?")
    spec = TAGS.get(element.tag)
    where = f"<{parent.name}>" if parent else "the document"
    if spec is None:
        yield line, f"unknown element <{element.tag}>{did_you_mean(element.tag, TAGS, otherwise=None, shown='<{}>')}"
        return
    if parent is not None and not _allowed(spec, parent):
        yield line, f"<{spec.name}> cannot appear inside {where}: it holds {_describe(parent)}"
        return
    readable = True
    for name, text in list(element.attrib.items()):
        if name == LINE:
            continue
        attribute = spec.attributes.get(name)
        if attribute is None:
            known = list(spec.attributes)
            more = did_you_mean(name, known, otherwise="it has" if known else None)
            yield line, f"<{spec.name}> has no attribute '{name}'{more or ' (it takes none)'}"
            continue
        try:
            element.set(name, attribute.read(text))  # from here on, the attribute holds its value
        except ValueError as exc:
            readable = False
            yield line, f'<{spec.name} {name}="{text}">: {exc}'
    for name, attribute in spec.attributes.items():
        if attribute.required and element.get(name) is None:
            readable = False
            yield line, f"<{spec.name}> needs the attribute '{name}' ({attribute.doc})"
    if spec.content != INLINE:
        stray = [text for text in (element.text, *(child.tail for child in element)) if text and text.strip()]
        if stray:
            yield line, (f"text directly inside <{spec.name}> would not be printed: '{stray[0].strip()[:40]}' "
                         f"(<{spec.name}> holds {_describe(spec)})")
    if readable and spec.check is not None and (message := spec.check(element)):
        yield line, f"<{spec.name}>: {message}"
    for child in element:
        yield from _problems(child, spec)


def _unprintable(root: ElementTree.Element, unprintable: Callable[[str], list[str]]) -> Iterator[tuple[str, str]]:
    """(line, message) for each element whose text or attributes hold a character no font of
    the document draws (content and labels were checked as they were read; this catches what a
    template writes itself)."""
    for element in root.iter():
        texts = [element.text or "", *(child.tail or "" for child in element),
                 *(text for name, text in element.attrib.items() if name != LINE and isinstance(text, str))]
        missing = unprintable("".join(texts))
        if missing:
            listed = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing)
            yield element.get(LINE, "?"), (f"<{element.tag}>: {listed} {'is' if len(missing) == 1 else 'are'} in "
                                           "none of the document's fonts: replace or remove "
                                           f"{'it' if len(missing) == 1 else 'them'}")


def _allowed(child: Element, parent: Element) -> bool:
    if parent.level == ROOT:
        return child.level in (BLOCK, PAGE, TOP)
    if isinstance(parent.content, tuple):
        return child.name in parent.content
    if parent.content == INLINE:
        return child.level == INLINE_LEVEL
    if parent.content == BLOCKS:
        return child.level == BLOCK
    return False


def _describe(spec: Element) -> str:
    if isinstance(spec.content, tuple):
        return " and ".join(f"<{name}>" for name in spec.content) + " elements"
    return spec.content


def spoken(document: DocumentMarkup) -> list[str]:
    """The text of the document as a screen reader should meet it, in markup order: the
    marking, the body, the colophon. A tagged PDF's structure must read the same words."""
    texts = [document.decor.marking] if document.decor.marking else []
    for element in document.body:
        texts.extend(_spoken(element))
    if document.decor.colophon is not None:
        texts.extend(_spoken(document.decor.colophon))
    return texts


def _spoken(element: ElementTree.Element) -> Iterator[str]:
    for part in TAGS[element.tag].reads:
        if part != TEXT:
            given = value(element, part)
            if given:
                yield str(given)
            continue
        if element.text:
            yield element.text
        for child in element:
            yield from _spoken(child)
            if child.tail:
                yield child.tail


def build_story(document: DocumentMarkup, styles: Styles, width: float, page_height: float = 0.0,
                node: Node | None = None) -> list[Any]:
    """The flowables of the document's body, their structure nodes made under `node` (a
    Document node of their own when not given)."""
    root = ElementTree.Element("document")
    root.extend(document.body)
    return build_children(root, Context(styles, width, page_height, node or document_root()))


def reference() -> str:
    """The vocabulary as Markdown, generated from the registry (docs/markup.md embeds it)."""
    lines = ["| element | in the tagged PDF | holds | what it does | attributes |", "|---|---|---|---|---|"]
    for spec in sorted(TAGS.values(), key=lambda t: t.name):
        attributes = "; ".join(f"`{name}` ({_attribute_type(a)}): {a.doc}" for name, a in spec.attributes.items())
        cells = [f"`<{spec.name}>`", spec.role, _describe(spec), spec.doc, attributes]
        lines.append("| " + " | ".join(_markdown(cell) for cell in cells) + " |")
    return "\n".join(lines)


def _markdown(cell: str) -> str:
    """A table cell: element names as code (not HTML), pipes escaped."""
    return re.sub(r"(?<!`)(<[a-z-]+>)(?!`)", r"`\1`", cell).replace("|", "\\|")


def _attribute_type(attribute: Attribute) -> str:
    described = attribute.kind
    choices = getattr(attribute, "choices", ())
    if choices:
        described = " / ".join(choices)
    if attribute.required:
        return described + ", required"
    if attribute.default not in (None, "", False):
        shown = attribute.default if not isinstance(attribute.default, float) else f"{attribute.default:g}"
        return f"{described}, default {shown}"
    return described
