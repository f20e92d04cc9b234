"""What a build did, as an object: the command line prints it, watch mode summarises it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .documents import Built, Status


@dataclass(frozen=True)
class MeetingOutcome:
    slug: str
    folder: str
    status: Status          # BUILT or UP_TO_DATE
    packet_pages: int = 0
    copies: int = 0
    checks: int = 0


@dataclass
class BuildReport:
    documents: list[Built]
    meetings: list[MeetingOutcome]
    seconds: float                      # until everything was published (previews come after)
    manifest: str
    published: bool = False             # whether any output was written
    skipped: list[str] = field(default_factory=list)    # content sets not built for an audience, and why
    warnings: list[str] = field(default_factory=list)   # what an audience asked for that a set lacks

    def count(self, status: Status) -> int:
        return sum(item.status is status for item in self.documents)

    @property
    def built(self) -> list[Built]:
        return [item for item in self.documents if item.status is Status.BUILT]

    @property
    def meetings_built(self) -> list[MeetingOutcome]:
        return [m for m in self.meetings if m.status is Status.BUILT]

    def lines(self, verbose: bool = False) -> list[str]:
        """A line per output made or kept; with `verbose`, every check of every document made."""
        lines = []
        for item in self.documents:
            if item.status is Status.KEPT:
                lines.append(f"kept  {item.output.path}  its inputs changed but not its page markup: the PDF stands")
            if item.status is not Status.BUILT:
                continue
            passed = sum(c.ok for c in item.checks)
            shrink = f", type at {item.scale:.0%}" if item.scale < 1 else ""
            lines.append(f"built {item.output.path}  {item.pages} page{'s' if item.pages > 1 else ''}, "
                         f"{item.job.audience.profile.paper} {item.job.orientation}, "
                         f"checks {passed}/{len(item.checks)} passed{shrink}")
            if verbose:
                lines += [f"    {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}" for check in item.checks]
        for meeting in self.meetings_built:
            lines.append(f"built {meeting.folder}/  packet {meeting.packet_pages} pages, {meeting.copies} numbered "
                         f"copies, register, handout; {meeting.checks} checks passed")
        return lines

    def summary(self) -> str:
        built, kept = self.count(Status.BUILT), self.count(Status.KEPT)
        fresh = self.count(Status.UP_TO_DATE) + len(self.meetings) - len(self.meetings_built)
        parts = [f"{built} document{'s' if built != 1 else ''}"]
        if self.meetings_built:
            parts.append(f"{len(self.meetings_built)} meeting{'s' if len(self.meetings_built) != 1 else ''}")
        summary = " and ".join(parts) + f" built in {self.seconds:.2f} s"
        if kept:
            summary += f", {kept} kept"
        if fresh:
            summary += f", {fresh} up to date"
        if self.skipped:
            summary += f", {len(self.skipped)} skipped"
        if self.warnings:
            summary += f"; {len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''} (above)"
        return summary + f"; manifest: {self.manifest}"
