"""Checks of a meeting's outputs: the packet's pages, outline and labels, every copy's stamp and
identifier, the handout's sheets. A copy only adds a stamp to the packet, checked as documents."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

from ..errors import CheckFailed
from ..render.checks import Check, check_pdf
from .copies import CopySpec
from .pages import PacketDocument, PacketPlan, PacketWords


def check_packet(packet: bytes, documents: list[PacketDocument], plan: PacketPlan, words: PacketWords) -> list[Check]:
    reader = PdfReader(io.BytesIO(packet))
    pages = len(reader.pages)
    expected = 1 + sum(d.pages for d in documents) + len(plan.blanks)
    outline = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in outline]
    labels = [reader.page_labels[i] for i in range(pages)]
    wanted = [words.label(plan, i) for i in range(pages)]
    fonts = check_pdf(packet, None)
    checks = [
        Check("page-count", pages == expected, f"{pages} pages: cover + {sum(d.pages for d in documents)} "
              f"document pages + {len(plan.blanks)} blank"),
        Check("outline", titles == [d.label for d in documents], f"{len(titles)} document entries"),
        Check("page-labels", labels == wanted, f"{', '.join(wanted[:plan.front])}, 1 to {plan.numbered}"
              if labels == wanted else f"labels {labels}, not {wanted}"),
    ]
    if plan.right_hand_starts:
        odd = [plan.number(start) for start in plan.starts]
        right = all(start % 2 == 0 and number is not None and number % 2 == 1 for start, number in zip(plan.starts, odd))
        checks.append(Check("right-hand-starts", right, f"documents start on right-hand pages {odd}"))
    return [*checks, *fonts]


_STAMP = re.compile(rb"/BKStamp\d* [\d.]+ Tf [\d.]+ [\d.]+ Td <([0-9A-F]+)> Tj")


def check_copy(data: bytes, spec: CopySpec, pages: int, full: bool, identifiers: set[str]) -> list[Check]:
    """Every copy: its pages, its stamp on every page, a unique identifier. The stamp is found in
    each page's own content stream; on the first copy, pypdf also extracts the first page's text,
    which must read as the stamp, and runs its font and metadata checks."""
    reader = PdfReader(io.BytesIO(data))
    identifier = str(dict(reader.metadata or {}).get("/CopyIdentifier", ""))
    unique = identifier == spec.identifier and identifier not in identifiers
    identifiers.add(identifier)
    contents = [page.get_contents() for page in reader.pages]
    stamped = [stream is not None and bool(_STAMP.search(stream.get_data())) for stream in contents]
    if full and stamped:
        stamped[0] = stamped[0] and spec.text in " ".join((reader.pages[0].extract_text() or "").split())
    checks = [
        Check("page-count", len(reader.pages) == pages, f"{len(reader.pages)} pages, as the packet"),
        Check("stamp", all(stamped), f"\u201c{spec.text}\u201d on every page" if all(stamped)
              else f"stamp missing on pages {[i + 1 for i, ok in enumerate(stamped) if not ok]}"),
        Check("identifier", unique, identifier if unique else f"identifier {identifier!r} missing or repeated"),
    ]
    if full:
        checks += [c for c in check_pdf(data, None) if c.name in ("fonts-embedded", "metadata")]
    return checks


def check_handout(handout: bytes, packet_pages: int) -> list[Check]:
    reader = PdfReader(io.BytesIO(handout))
    sheets = (packet_pages + 1) // 2
    landscape = all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    return [Check("page-count", len(reader.pages) == sheets, f"{len(reader.pages)} sheets for {packet_pages} pages"),
            Check("paper", landscape, "landscape sheets" if landscape else "a sheet is not landscape"),
            *[c for c in check_pdf(handout, None) if c.name in ("fonts-embedded", "metadata")]]


def raise_failures(failures: list[str]) -> None:
    """A meeting can fail the same check on hundreds of copies: list the first twenty."""
    CheckFailed.raise_if_any(failures, most=20)
