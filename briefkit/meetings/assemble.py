"""A meeting's outputs from its plan: packet, numbered copies, distribution register (CSV and
PDF) and handout, every one checked; nothing is returned half-made."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, Problem
from ..inputs.kinds import COVER, REGISTER
from ..inputs.meeting_file import Recipient
from ..progress import Progress
from ..publish.manifest import Output
from ..render.checks import Check
from ..render.document import checked, render_document
from ..render.fonts import fonts_for
from ..render.layout import fit_to_pages
from ..render.paper import PAPERS
from ..render.styles import theme_for
from .checks import check_copy, check_handout, check_packet, raise_failures
from .copies import CopySpec, CopyStamper
from .handout import build_handout
from .packet import build_packet
from .pages import plan_packet
from .plan import Markup, MeetingPlan
from .register import register_csv
from .staging import CopyFolder, StagedOutput, discard

PROGRESS_FROM = 300  # copies: above this, show progress


@dataclass(frozen=True)
class MeetingBuild:
    outputs: list[Output]
    staging: str | None = None  # the copies folder: empty once published; discard() after the publish

    def discard(self) -> None:
        """Remove the copies folder and whatever the publish did not take."""
        discard(self.staging)


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
    # a cover and a register are made to fit at full size: their fit to page starts there (one layout, drawn)
    cover = render_document(cover_markup, cover_expected, meeting.page_job(COVER), 1.0, max_pages=1,
                            label=f"{slug}/cover")
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
    raise_too_long(stamper, specs, record.recipients)
    outputs = [output(f"{base}/{slug}-packet.pdf", packet, "packet", layout.total, packet_checks,
                      orientation="portrait")]
    copies = CopyFolder(meeting.output, slug)
    try:
        rows = _stream_copies(plan, stamper, specs, packet, layout.total, copies, outputs, failures, output)
        outputs.append(output(f"{base}/{slug}-register.csv", register_csv(rows), "register", 0, [],
                              orientation=None, paper=None))
        register_job = meeting.page_job(REGISTER)
        register_markup, register_expected = markup(register_job, plan.register_context(rows))
        most_pages = len(rows)  # a row a page at most: never shrunk
        del rows, specs, stamper  # what a meeting of thousands holds is let go as soon as it is used
        laid_out = fit_to_pages(register_markup, register_expected.setup, theme_for(register_job), most_pages,
                                f"{slug}/register", 1.0)
        del register_markup  # nor are the register's rows held while its PDF is checked
        register = checked(laid_out, register_expected, most_pages)
        failures += [f"register: {c.name}: {c.detail}" for c in register.checks if not c.ok]
        outputs.append(output(f"{base}/{slug}-register.pdf", register.pdf, "register",
                              register.pages, register.checks, orientation="portrait"))
        handout = build_handout(packet, PAPERS[meeting.audience.profile.paper], colour)
        handout_checks = check_handout(handout, layout.total)
        failures += [f"handout: {c.name}: {c.detail}" for c in handout_checks if not c.ok]
        outputs.append(output(f"{base}/{slug}-handout.pdf", handout, "handout", (layout.total + 1) // 2,
                              handout_checks, orientation="landscape", tagged=False, print_only=True))
        raise_failures(failures)
        copies.finish()
    except BaseException:
        copies.discard()  # nothing is returned half-made, nor left on disk
        raise
    return MeetingBuild(outputs, str(copies.path))


def _stream_copies(plan: MeetingPlan, stamper: CopyStamper, specs: list[CopySpec], packet: bytes, pages: int,
                   copies: CopyFolder, outputs: list[Output], failures: list[str],
                   output: Callable[..., Output]) -> list[dict[str, Any]]:
    """Stamp, check and write each copy to the copies folder in turn, holding one at a time;
    returns the register's rows."""
    meeting = plan.meeting
    record, slug, base = meeting.loaded.meeting, meeting.slug, meeting.folder
    rows: list[dict[str, Any]] = []
    identifiers: set[str] = set()
    width = len(str(len(specs)))
    progress = Progress(f"stamping copies for {slug}", len(specs), PROGRESS_FROM)
    for spec, recipient in zip(specs, record.recipients):
        data = stamper.stamp(spec)
        checks = check_copy(data, spec, pages, full=spec.number == 1, identifiers=identifiers, packet=packet)
        failures += [f"{recipient.where}: copy {spec.number} for '{spec.recipient}': {c.name}: {c.detail}"
                     for c in checks if not c.ok]
        path = f"{base}/copies/{slug}-copy-{spec.number:0{width}d}-{recipient_slug(recipient.name)}.pdf"
        entry = output(path, b"", "copy", pages, checks, orientation="portrait", recipient=recipient.name,
                       copy=spec.number, identifier=spec.identifier).entry
        sha256 = hashlib.sha256(data).hexdigest()
        outputs.append(StagedOutput(path, copies.write(f"{spec.number}.pdf", data), sha256, entry))
        rows.append({"number": spec.number, "recipient": recipient.name, "organisation": recipient.organisation,
                     "role": recipient.role or "", "email": recipient.email or "", "identifier": spec.identifier,
                     "sha256": sha256, "file": path})
        progress.update(spec.number)
    return rows


def raise_too_long(stamper: CopyStamper, specs: list[CopySpec], recipients: list[Recipient]) -> None:
    """A stamp wider than the page's top margin allows is the recipient's name's fault: say
    which, where it was written, and how much shorter it must be."""
    problems = []
    for spec, recipient in zip(specs, recipients):
        width, room = stamper.width(spec.text), stamper.room
        if width > room:
            keep = max(1, int(len(spec.recipient) * (1 - (width - room) / stamper.width(spec.recipient))) - 1)
            problems.append(Problem(*recipient.located("name"), f"'{_shortened(spec.recipient)}' is too long for the "
                                    f"copy stamp ({width:.0f} pt wide, the page has room for {room:.0f} pt): "
                                    f"shorten it to about {keep} characters"))
    if problems:
        raise InputError(problems)


def _shortened(name: str) -> str:
    return name if len(name) <= 40 else name[:39] + "\u2026"
