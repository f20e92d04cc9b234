"""What a build did, as an object: the command line prints it, watch mode summarises it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .documents import Built, Status

if TYPE_CHECKING:
    from ..meetings.assemble import MeetingBuild
    from ..meetings.jobs import MeetingJob


@dataclass(frozen=True)
class MeetingOutcome:
    slug: str
    folder: str
    status: Status          # BUILT or UP_TO_DATE
    packet_pages: int = 0
    copies: int = 0
    checks: int = 0

    @classmethod
    def built(cls, meeting: MeetingJob, result: MeetingBuild) -> MeetingOutcome:
        outputs = result.outputs
        return cls(meeting.slug, meeting.folder, Status.BUILT, outputs[0].entry["pages"],
                   sum(1 for o in outputs if o.entry["kind"] == "copy"), sum(len(o.entry["checks"]) for o in outputs))

    def line(self) -> str:
        return (f"built {self.folder}/  packet {self.packet_pages} pages, {self.copies} numbered copies, register, "
                f"handout; {self.checks} checks passed")


def document_lines(item: Built, verbose: bool = False) -> list[str]:
    """What the report says of one document made or kept (nothing when it was up to date)."""
    if item.status is Status.KEPT:
        return [f"kept  {item.output.path}  its inputs changed but not its page markup: the PDF stands"]
    if item.status is not Status.BUILT:
        return []
    passed = sum(c.ok for c in item.checks)
    shrink = f", type at {item.scale:.0%}" if item.scale < 1 else ""
    lines = [f"built {item.output.path}  {item.pages} page{'s' if item.pages > 1 else ''}, "
             f"{item.job.audience.profile.paper} {item.job.orientation}, "
             f"checks {passed}/{len(item.checks)} passed{shrink}"]
    if verbose:
        lines += [f"    {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}" for check in item.checks]
    return lines


def finished_lines(item: Built | MeetingOutcome, verbose: bool = False) -> list[str]:
    """The lines for a document or meeting as it finishes."""
    return [item.line()] if isinstance(item, MeetingOutcome) else document_lines(item, verbose)


@dataclass
class BuildReport:
    documents: list[Built]
    meetings: list[MeetingOutcome]
    seconds: float                      # until everything was published (previews come after)
    manifest: str
    skipped: list[str] = field(default_factory=list)    # content sets not built for an audience, and why
    warnings: list[str] = field(default_factory=list)   # what an audience asked for that a set lacks
    removed: list[str] = field(default_factory=list)    # outputs no longer planned, removed by the publish
    problems: list[str] = field(default_factory=list)   # what failed once the outputs were published
    manifest_rebuilt: bool = False                      # the manifest could not be read and was written anew

    def count(self, status: Status) -> int:
        return sum(item.status is status for item in self.documents)

    @property
    def built(self) -> list[Built]:
        return [item for item in self.documents if item.status is Status.BUILT]

    @property
    def meetings_built(self) -> list[MeetingOutcome]:
        return [m for m in self.meetings if m.status is Status.BUILT]

    def lines(self, verbose: bool = False, said: bool = False) -> list[str]:
        """A line per output made or kept (unless they were `said` as they finished, see
        progress.finished); with `verbose`, every check of every document made."""
        lines = []
        if not said:
            lines += [line for item in self.documents for line in document_lines(item, verbose)]
            lines += [meeting.line() for meeting in self.meetings_built]
        lines += [f"removed {path}  no longer planned" for path in self.removed]
        if self.manifest_rebuilt:
            lines.append(f"rebuilt {self.manifest}  it could not be read: written again from the outputs and the "
                         "build cache")
        return lines

    def document_warnings(self) -> list[str]:
        """What the layout of the documents made showed wrong, each after its document's path."""
        return [f"{item.output.path}: {warning}" for item in self.built for warning in item.warnings]

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
        if self.removed:
            summary += f", {len(self.removed)} removed"
        if self.skipped:
            summary += f", {len(self.skipped)} skipped"
        warnings = len(self.warnings) + len(self.document_warnings())
        if warnings:
            summary += f"; {warnings} warning{'s' if warnings != 1 else ''} (above)"
        return summary + f"; manifest: {self.manifest}"
