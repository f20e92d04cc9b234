"""A meeting's outputs from its plan: packet, numbered copies, distribution register (CSV and
PDF) and handout, every one checked; nothing is returned half-made."""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from ..inputs.kinds import COVER, REGISTER
from ..progress import Progress
from ..publish.manifest import Output
from ..render.checks import Check
from ..render.document import render_document
from ..render.fonts import fonts_for
from ..render.paper import PAPERS
from ..render.styles import theme_for
from .checks import check_copy, check_handout, check_packet, raise_failures
from .copies import CopySpec, CopyStamper
from .handout import build_handout
from .packet import build_packet
from .pages import plan_packet
from .plan import Markup, MeetingPlan
from .register import register_csv

PROGRESS_FROM = 300  # copies: above this, show progress


@dataclass(frozen=True)
class MeetingBuild:
    outputs: list[Output]
    prune: list[str]       # folders whose files not in `outputs` are stale (old copies)


def recipient_slug(name: str) -> str:
    """A file-name-safe form of a name: ASCII letters, digits and hyphens only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "recipient"


def copy_identifier(slug: str, number: int, recipient: str, packet_sha: str) -> str:
    digest = hashlib.sha256(f"{packet_sha}|{number}|{recipient}".encode()).hexdigest()[:10]
    return f"{slug}-{number:03d}-{digest}"


def build_meeting(plan: MeetingPlan, markup: Markup) -> MeetingBuild:
    """Every output of one meeting (page previews are drawn after the build is published)."""
    meeting, words = plan.meeting, plan.words
    record, slug, base = meeting.loaded.meeting, meeting.slug, meeting.folder
    theme = theme_for(meeting.documents[0])
    red, green, blue = (int(theme.accent[i:i + 2], 16) / 255 for i in (1, 3, 5))
    colour = (red, green, blue)
    entry = {"title": plan.text["title"], "content_set": meeting.content.name, "audience": meeting.audience.name,
             "meeting": slug, "paper": meeting.audience.profile.paper}

    def output(path: str, data: bytes, kind: str, pages: int, checks: list[Check], **extra: Any) -> Output:
        tagged = {"tagged": True} if path.endswith(".pdf") else {}  # the handout says otherwise in `extra`
        return Output(path, data, {**entry, "kind": kind, "pages": pages, **tagged, **extra,
                                   "checks": [c.as_json() for c in checks]})

    cover_markup, cover_expected = plan.cover
    cover = render_document(cover_markup, cover_expected, meeting.page_job(COVER), max_pages=1, label=f"{slug}/cover")
    raise_failures([f"{base} cover: {c.name}: {c.detail}" for c in cover.checks if not c.ok])
    layout = plan_packet([d.pages for d in plan.documents], record.print.right_hand_starts)
    packet = build_packet(cover.pdf, plan.documents, layout, plan.metadata, plan.footer, colour,
                          fonts_for(meeting.audience.profile.language), words)
    packet_checks = check_packet(packet, cover.pdf, plan.documents, layout, words)
    failures = [f"{base}/{slug}-packet.pdf: {c.name}: {c.detail}" for c in packet_checks if not c.ok]
    packet_sha = hashlib.sha256(packet).hexdigest()
    total = len(record.recipients)
    specs = [CopySpec(i, total, r.name, copy_identifier(slug, i, r.name, packet_sha),
                      plan.labels["copy_stamp"].format(number=i, total=total, recipient=r.name))
             for i, r in enumerate(record.recipients, start=1)]
    stamper = CopyStamper(packet, specs, colour)
    outputs = [output(f"{base}/{slug}-packet.pdf", packet, "packet", layout.total, packet_checks,
                      orientation="portrait")]
    rows: list[dict[str, Any]] = []
    identifiers: set[str] = set()
    width = len(str(len(specs)))
    progress = Progress(f"stamping copies for {slug}", len(specs), PROGRESS_FROM)
    for spec, recipient in zip(specs, record.recipients):
        progress.update(spec.number)
        data = stamper.stamp(spec)
        checks = check_copy(data, spec, layout.total, full=spec.number == 1, identifiers=identifiers, packet=packet)
        failures += [f"copy {spec.number}: {c.name}: {c.detail}" for c in checks if not c.ok]
        path = f"{base}/copies/{slug}-copy-{spec.number:0{width}d}-{recipient_slug(recipient.name)}.pdf"
        copy = output(path, data, "copy", layout.total, checks, orientation="portrait",
                      recipient=recipient.name, copy=spec.number, identifier=spec.identifier)
        outputs.append(copy)
        rows.append({"number": spec.number, "recipient": recipient.name, "organisation": recipient.organisation,
                     "role": recipient.role or "", "identifier": spec.identifier, "sha256": copy.sha256,
                     "file": path})
    outputs.append(output(f"{base}/{slug}-register.csv", register_csv(rows), "register", 0, [],
                          orientation=None, paper=None))
    register_job = meeting.page_job(REGISTER)
    register_markup, register_expected = markup(register_job, plan.register_context(rows))
    register = render_document(register_markup, register_expected, register_job,
                               max_pages=max(1, -(-len(rows) // 18)), label=f"{slug}/register")  # ~18 rows a page
    failures += [f"register: {c.name}: {c.detail}" for c in register.checks if not c.ok]
    outputs.append(output(f"{base}/{slug}-register.pdf", register.pdf, "register",
                          len(PdfReader(io.BytesIO(register.pdf)).pages), register.checks, orientation="portrait"))
    handout = build_handout(packet, PAPERS[meeting.audience.profile.paper], colour)
    handout_checks = check_handout(handout, layout.total)
    failures += [f"handout: {c.name}: {c.detail}" for c in handout_checks if not c.ok]
    outputs.append(output(f"{base}/{slug}-handout.pdf", handout, "handout", (layout.total + 1) // 2,
                          handout_checks, orientation="landscape", tagged=False, print_only=True))
    raise_failures(failures)
    return MeetingBuild(outputs, [f"{base}/copies"])
