"""A meeting's outputs: packet, numbered copies, distribution register (CSV and PDF), handout."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field

from pypdf import PdfReader

from .assemble import PacketDocument, build_handout, build_packet, page_label, plan_packet
from .checks import Check, check_pdf
from .errors import CheckFailed
from .fonts import LATIN, FontSet
from .output import Output
from .progress import Progress
from .stamping import CopySpec, CopyStamper

PROGRESS_FROM = 300  # copies: above this, show progress


@dataclass(frozen=True)
class MeetingBuild:
    outputs: list[Output]
    prune: list[str]       # folders whose files not in `outputs` are stale (old copies)
    failures: list[str]
    previews: dict = field(default_factory=dict)  # PDF path → page PNGs, for the PDFs that get previews


def folder(slug: str) -> str:
    return f"briefings/meetings/{slug}"


def recipient_slug(name: str) -> str:
    """A file-name-safe form of a name: ASCII letters, digits and hyphens only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "recipient"


def copy_identifier(slug: str, number: int, recipient: str, packet_sha: str) -> str:
    digest = hashlib.sha256(f"{packet_sha}|{number}|{recipient}".encode()).hexdigest()[:10]
    return f"{slug}-{number:03d}-{digest}"


@dataclass(frozen=True)
class MeetingFacts:
    """What assembly needs to know of a meeting, already in the documents' language."""

    slug: str
    footer: str                 # the running line: meeting, date, marking
    right_hand_starts: bool
    recipients: list            # Recipient records
    fonts: FontSet = LATIN      # for the running line


def assemble_meeting(meeting: MeetingFacts, documents: list[PacketDocument], render_cover, render_register,  # type: ignore[no-untyped-def]
                     entry: dict, colour: tuple[float, float, float], paper: tuple[float, float],
                     draw_previews: bool = True) -> MeetingBuild:
    """Every output of one meeting, checked; nothing is returned half-made."""
    slug = meeting.slug
    base = folder(slug)
    plan = plan_packet([d.pages for d in documents], meeting.right_hand_starts)
    contents = [{"title": d.title, "kind": d.label, "page": page_label(start), "pages": d.pages}
                for d, start in zip(documents, plan.starts)]
    cover = render_cover(contents)
    packet = build_packet(cover, documents, plan, entry["meta"], meeting.footer, colour, meeting.fonts)
    packet_checks = check_packet(packet, documents, plan)
    failures = [f"{base}/{slug}-packet.pdf: {c.name}: {c.detail}" for c in packet_checks if not c.ok]
    packet_sha = hashlib.sha256(packet).hexdigest()
    specs = [CopySpec(i, len(meeting.recipients), r.name, copy_identifier(slug, i, r.name, packet_sha))
             for i, r in enumerate(meeting.recipients, start=1)]
    stamper = CopyStamper(packet, specs, colour)
    outputs = [_output(f"{base}/{slug}-packet.pdf", packet, entry, "packet", plan.total, packet_checks,
                       orientation="portrait")]
    rows, identifiers = [], set()
    width = len(str(len(specs)))
    progress = Progress(f"stamping copies for {slug}", len(specs), PROGRESS_FROM)
    for spec, recipient in zip(specs, meeting.recipients):
        progress.update(spec.number)
        data = stamper.stamp(spec)
        checks = check_copy(data, spec, plan.total, full=spec.number == 1, identifiers=identifiers)
        failures += [f"copy {spec.number}: {c.name}: {c.detail}" for c in checks if not c.ok]
        path = f"{base}/copies/{slug}-copy-{spec.number:0{width}d}-{recipient_slug(recipient.name)}.pdf"
        output = _output(path, data, entry, "copy", plan.total, checks, orientation="portrait",
                         recipient=recipient.name, copy=spec.number, identifier=spec.identifier)
        outputs.append(output)
        rows.append({"number": spec.number, "recipient": recipient.name, "organisation": recipient.organisation,
                     "role": recipient.role or "", "identifier": spec.identifier, "sha256": output.sha256,
                     "file": path})
    outputs.append(_output(f"{base}/{slug}-register.csv", register_csv(rows), entry, "register", 0, [],
                           orientation=None, paper=None))
    register_pdf, register_checks = render_register(rows)
    failures += [f"register: {c.name}: {c.detail}" for c in register_checks if not c.ok]
    outputs.append(_output(f"{base}/{slug}-register.pdf", register_pdf, entry, "register",
                           len(PdfReader(io.BytesIO(register_pdf)).pages), register_checks, orientation="portrait"))
    handout = build_handout(packet, paper, colour)
    handout_checks = check_handout(handout, plan.total)
    failures += [f"handout: {c.name}: {c.detail}" for c in handout_checks if not c.ok]
    outputs.append(_output(f"{base}/{slug}-handout.pdf", handout, entry, "handout", (plan.total + 1) // 2,
                           handout_checks, orientation="landscape"))
    from .previews import render_pages, wanted

    previews = {o.path: render_pages(o.data) for o in outputs
                if draw_previews and wanted({"path": o.path, **o.entry})}
    return MeetingBuild(outputs, [f"{base}/copies"], failures, previews)


def _output(path: str, data: bytes, entry: dict, kind: str, pages: int, checks: list[Check], **extra: object) -> Output:
    fields = {k: v for k, v in entry.items() if k != "meta"}
    return Output(path, data, {**fields, "kind": kind, "pages": pages, **extra,
                               "checks": [c.as_json() for c in checks]})


def register_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["copy", "recipient", "organisation", "role", "copy_identifier", "sha256", "file"])
    for row in rows:
        writer.writerow([row["number"], row["recipient"], row["organisation"], row["role"], row["identifier"],
                         row["sha256"], row["file"]])
    return buffer.getvalue().encode("utf-8")


def check_packet(packet: bytes, documents: list[PacketDocument], plan) -> list[Check]:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(packet))
    pages = len(reader.pages)
    expected = 1 + sum(d.pages for d in documents) + len(plan.blanks)
    outline = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in outline]
    labels = [reader.page_labels[i] for i in range(pages)]
    fonts = check_pdf(packet, None)
    return [
        Check("page-count", pages == expected, f"{pages} pages: cover + {sum(d.pages for d in documents)} "
              f"document pages + {len(plan.blanks)} blank"),
        Check("outline", titles == [d.label for d in documents], f"{len(titles)} document entries"),
        Check("page-labels", labels[0] == "Cover" and labels[1:] == [str(i) for i in range(1, pages)],
              f"Cover, 1 to {pages - 1}"),
        *fonts,
    ]


_STAMP = re.compile(rb"/BKStamp [\d.]+ Tf [\d.]+ [\d.]+ Td <([0-9A-F]+)> Tj")


def check_copy(data: bytes, spec: CopySpec, pages: int, full: bool, identifiers: set[str]) -> list[Check]:
    """Every copy: its pages, its stamp on every page, a unique identifier. The stamp is found in
    each page's own content stream; on the first copy, pypdf also extracts the first page's text,
    which must read as the stamp, and runs its font and metadata checks. (The packet's pages were
    checked as documents: a copy only adds the stamp.)"""
    reader = PdfReader(io.BytesIO(data))
    identifier = str((reader.metadata or {}).get("/CopyIdentifier", ""))
    unique = identifier == spec.identifier and identifier not in identifiers
    identifiers.add(identifier)
    stamped = [bool(_STAMP.search(page.get_contents().get_data())) for page in reader.pages]
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
