"""Checks of a meeting's outputs: the packet's pages, outline and labels, every copy's stamp and
identifier, the handout's sheets. A copy only adds a stamp to the packet, checked as documents."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

from ..errors import CheckFailed
from ..render.checks import Check, check_pdf, dictionary, part_titles, spoken_text
from ..render.tagged_reading import page_text
from .copies import CopySpec
from .pages import PacketDocument, PacketPlan, PacketWords


def check_packet(packet: bytes, cover: bytes, documents: list[PacketDocument], plan: PacketPlan,
                 words: PacketWords) -> list[Check]:
    """The packet's pages, outline, labels and right-hand starts, and its structure: one Part per
    document, titled as the outline, reading the cover's words and then each document's."""
    reader = PdfReader(io.BytesIO(packet))
    pages = len(reader.pages)
    expected = 1 + sum(d.pages for d in documents) + len(plan.blanks)
    outline = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in outline]
    labels = [reader.page_labels[i] for i in range(pages)]
    wanted = [words.label(plan, i) for i in range(pages)]
    spoken = tuple(text for pdf in (cover, *(d.pdf for d in documents)) for text in spoken_text(pdf))
    fonts = check_pdf(packet, None, spoken)
    parts = part_titles(packet)
    wanted_parts = [words.cover, *(d.label for d in documents)]
    checks = [
        Check("page-count", pages == expected, f"{pages} pages: cover + {sum(d.pages for d in documents)} "
              f"document pages + {len(plan.blanks)} blank"),
        Check("outline", titles == [d.label for d in documents], f"{len(titles)} document entries"),
        Check("page-labels", labels == wanted, f"{', '.join(wanted[:plan.front])}, 1 to {plan.numbered}"
              if labels == wanted else f"labels {labels}, not {wanted}"),
        Check("structure-parts", parts == wanted_parts, f"{len(parts)} parts, as the outline" if parts == wanted_parts
              else f"parts {parts}, not {wanted_parts}"),
    ]
    if plan.right_hand_starts:
        odd = [plan.number(start) for start in plan.starts]
        right = all(start % 2 == 0 and number is not None and number % 2 == 1 for start, number in zip(plan.starts, odd))
        checks.append(Check("right-hand-starts", right, f"documents start on right-hand pages {odd}"))
    return [*checks, *fonts]


_STAMP = re.compile(rb"^/Artifact <<[^>]*>> BDC q [\d. ]+ rg BT /BKStamp\d* [\d.]+ Tf [\d.]+ [\d.]+ Td <[0-9A-F]+> Tj.* ET Q EMC$", re.MULTILINE)


def check_copy(data: bytes, spec: CopySpec, pages: int, full: bool, identifiers: set[str],
               packet: bytes) -> list[Check]:
    """Every copy: its pages, its stamp on every page, marked as an artifact, a unique identifier,
    and the packet's tagged structure kept: the copy is the packet's bytes and an update that
    leaves its catalog as it was. The stamp is found in each page's own content stream; on the
    first copy, PDFium also extracts the first page's text, which must read as the stamp, and all
    the checks of a PDF run, the tagged ones included."""
    reader = PdfReader(io.BytesIO(data))
    catalog = dictionary(reader.trailer["/Root"])
    kept = (data.startswith(packet.rstrip(b"\n")) and "/StructTreeRoot" in catalog
            and bool(dictionary(catalog.get("/MarkInfo")).get("/Marked", False)))
    identifier = str(dict(reader.metadata or {}).get("/CopyIdentifier", ""))
    unique = identifier == spec.identifier and identifier not in identifiers
    identifiers.add(identifier)
    contents = [page.get_contents() for page in reader.pages]
    stamped = [stream is not None and bool(_STAMP.search(stream.get_data())) for stream in contents]
    if full and stamped:
        stamped[0] = stamped[0] and spec.text in " ".join(page_text(data, 0).split())
    checks = [
        Check("page-count", len(reader.pages) == pages, f"{len(reader.pages)} pages, as the packet"),
        Check("stamp", all(stamped), f"\u201c{spec.text}\u201d on every page" if all(stamped)
              else f"stamp missing, or not an artifact, on pages {[i + 1 for i, ok in enumerate(stamped) if not ok]}"),
        Check("identifier", unique, identifier if unique else f"identifier {identifier!r} missing or repeated"),
        Check("tagged", kept, "the packet's tagged structure, unchanged" if kept
              else "not the packet's bytes with the stamp added, or its structure tree is gone"),
    ]
    if full:
        checks = checks[:-1] + check_pdf(data, None)  # fonts, metadata, all the tags: the stamp broke none
    return checks


def check_handout(handout: bytes, packet_pages: int) -> list[Check]:
    reader = PdfReader(io.BytesIO(handout))
    sheets = (packet_pages + 1) // 2
    landscape = all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    return [Check("page-count", len(reader.pages) == sheets, f"{len(reader.pages)} sheets for {packet_pages} pages"),
            Check("paper", landscape, "landscape sheets" if landscape else "a sheet is not landscape"),
            *[c for c in check_pdf(handout, None, tagged=False) if c.name in ("fonts-embedded", "metadata")]]


def raise_failures(failures: list[str]) -> None:
    """A meeting can fail the same check on hundreds of copies: list the first twenty."""
    CheckFailed.raise_if_any(failures, most=20)
