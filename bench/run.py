#!/usr/bin/env python3
"""The build benchmark: whole builds, per-document rendering against two references, rebuilds,
copies, and scaling. Every figure is a median of several runs; ratios are taken within one run.

    python bench/run.py [--runs 5] [--quick] [--only copies]

Writes bench/results/bench.json for comparison between versions. Typst (PyPI `typst`) is an
optional reference: without it that row is skipped.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def project_copy(folder: Path, meetings: bool = True) -> Path:
    project = folder / "project"
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy2(ROOT / "build.py", project / "build.py")
    if not meetings:
        shutil.rmtree(project / "content" / "meetings")
    return project


def timed_process(project: Path, *argv: str) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one `python build.py` process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "build.py", "-q", *argv], cwd=project)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build.py {' '.join(argv)} failed in {project}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def median(values: list[float]) -> float:
    return statistics.median(values)


def whole_builds(runs: int) -> dict:
    """Whole `python build.py` processes. Cold: no briefings/ folder at all, as after a fresh clone."""
    with tempfile.TemporaryDirectory() as folder:
        project = project_copy(Path(folder))

        def cold(*argv: str) -> tuple[float, float]:
            shutil.rmtree(project / "briefings", ignore_errors=True)
            return timed_process(project, *argv)

        default = [cold() for _ in range(runs)]
        one = [cold("--jobs", "1") for _ in range(runs)]
        two = [cold("--jobs", "2") for _ in range(runs)]
        forced = [timed_process(project, "--force") for _ in range(runs)]
        noop = [timed_process(project) for _ in range(runs)]
        def edits(relative: str, old: str, new: str) -> list[tuple[float, float]]:
            """Rebuilds after each of `runs` edits of one file, alternating `old` and `new` text."""
            path, rows = project / relative, []
            for round_ in range(runs):
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace(*((old, new) if round_ % 2 == 0 else (new, old)), 1), encoding="utf-8")
                rows.append(timed_process(project))
            return rows

        meeting = edits("content/meetings/principals-prebrief.yaml", "title:", "title: ")  # that meeting alone
        comment = edits("content/nk-china/summary.yaml", "issued:", "# a comment\nissued:")  # prints nothing
        date = edits("content/nk-china/summary.yaml", "issued: 2026-11-28", "issued: 2026-11-27")  # printed on every page
        line = edits("content/nk-china/summary.yaml", 'bottom_line:\n  en: "', 'bottom_line:\n  en: "In short: ')
        role = edits("content/nk-china/people.yaml", 'en: "Premier of', 'en: "First Premier of')  # English fact sheets
    seconds = lambda rows: round(median([t for t, _ in rows]), 3)  # noqa: E731
    return {
        "cold_build_s": seconds(default),
        "cold_build_peak_mb": round(max(m for _, m in default), 1),
        "cold_build_jobs1_s": seconds(one),
        "cold_build_jobs1_peak_mb": round(max(m for _, m in one), 1),
        "cold_build_jobs2_s": seconds(two),
        "jobs2_speedup": round(seconds(one) / seconds(two), 2),
        "force_rebuild_s": seconds(forced),
        "noop_rebuild_s": seconds(noop),
        "meeting_file_edited_s": seconds(meeting),
        "comment_in_summary_s": seconds(comment),
        "issue_date_edited_s": seconds(date),
        "bottom_line_edited_s": seconds(line),
        "person_role_edited_s": seconds(role),
    }


def brief_text() -> dict:
    """The English text of the analysts' brief, read from the content files."""
    import yaml

    def en(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            return value["en"]
        if isinstance(value, list):
            return [en(item) for item in value]
        return value

    content = ROOT / "content" / "nk-china"
    summary = yaml.safe_load((content / "summary.yaml").read_text())
    groups = {g["id"]: g for g in yaml.safe_load((content / "arguments.yaml").read_text())["groups"]}
    implications = yaml.safe_load((content / "implications.yaml").read_text())["implications"][:3]
    return {"title": en(summary["headline"]), "subtitle": en(summary["subtitle"]), "bottom": en(summary["bottom_line"]),
            "judgments": [(en(j["lead"]), en(j["text"])) for j in summary["key_judgments"]],
            "sections": [(en(groups[i]["title"]), [(en(p.get("lead", "")), en(p["text"])) for p in groups[i]["points"]])
                         for i in summary["brief_sections"]],
            "implications": [en(i["text"]) for i in implications]}


def reportlab_floor(text: dict) -> bytes:
    """The same brief written directly with ReportLab: one layout, no templates, no checks."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph, Table
    from xml.sax.saxutils import escape

    from briefkit.render.fonts import SANS, SERIF, register_fonts

    register_fonts()
    body = ParagraphStyle("b", fontName=SERIF.font(), fontSize=8.9, leading=11.9, spaceAfter=3)
    head = ParagraphStyle("h", fontName=SANS.font("bold"), fontSize=7.7, leading=9.8, spaceBefore=8, spaceAfter=4)
    buffer = io.BytesIO()
    width, height = A4
    doc = BaseDocTemplate(buffer, pagesize=A4, initialFontName=SANS.font(), invariant=1)
    top = height * 0.36
    column = (width - 34 * mm - 7 * mm) / 2
    frames = [Frame(17 * mm, height - 30 * mm - top, width - 34 * mm, top, id="top"),
              Frame(17 * mm, 26 * mm, column, height - 56 * mm - top, id="c1"),
              Frame(17 * mm + column + 7 * mm, 26 * mm, column, height - 56 * mm - top, id="c2")]
    doc.addPageTemplates([PageTemplate("p", frames)])
    story = [Paragraph(escape(text["title"]), ParagraphStyle("t", fontName=SANS.font("black"), fontSize=19, leading=21)),
             Paragraph(escape(text["subtitle"]), body),
             Table([[Paragraph(escape(text["bottom"]), body)]]), FrameBreak(), Paragraph("Key judgments", head)]
    story += [Paragraph(f"<b>{escape(lead)}.</b> {escape(t)}", body, bulletText=str(n))
              for n, (lead, t) in enumerate(text["judgments"], 1)]
    for title, points in text["sections"]:
        story.append(Paragraph(escape(title), head))
        story += [Paragraph(f"<b>{escape(lead)}</b> {escape(t)}", body, bulletText="•") for lead, t in points]
    story.append(Paragraph("Implications", head))
    story += [Paragraph(escape(t), body, bulletText="•") for t in text["implications"]]
    doc.build(story)
    return buffer.getvalue()


def typst_reference(text: dict) -> bytes | None:
    try:
        import typst
    except ImportError:
        return None
    from briefkit.render.fonts import SANS, SERIF, font_folder

    def esc(value: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]=-+/~\"'" else c for c in value)

    lines = ['#set page(paper: "a4", margin: 17mm)',
             '#set text(font: "Source Serif Pro", size: 8.9pt)',
             f'#text(font: "Source Sans Pro", size: 19pt, weight: "bold")[{esc(text["title"])}]',
             "", esc(text["subtitle"]), "", f"#block(fill: luma(235), inset: 6pt)[{esc(text['bottom'])}]",
             "#columns(2)[", "*Key judgments*", ""]
    lines += [f"+ *{esc(lead)}.* {esc(t)}" for lead, t in text["judgments"]]
    for title, points in text["sections"]:
        lines += ["", f"*{esc(title)}*", ""] + [f"- *{esc(lead)}* {esc(t)}" for lead, t in points]
    lines += ["", "*Implications*", ""] + [f"- {esc(t)}" for t in text["implications"]] + ["]"]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "brief.typ"
        source.write_text("\n".join(lines), encoding="utf-8")
        fonts = [str(font_folder(SERIF.package)), str(font_folder(SANS.package))]
        return typst.compile(str(source), font_paths=fonts, ignore_system_fonts=True)


def per_document(runs: int) -> dict:
    """One brief in one process. `render` is what both references do, source to PDF bytes: our
    template, markup and fit to page (cold, then from the last build's scale), against the same
    text laid out once directly in ReportLab, and in Typst. Checks and previews, which neither
    reference does, are timed on their own."""
    from briefkit.build.cache import DocumentRecord
    from briefkit.build.documents import render_job
    from briefkit.build.plan import plan
    from briefkit.build.session import BuildSession
    from briefkit.paths import Project
    from briefkit.publish.previews import render_pages
    from briefkit.render.checks import check_pdf
    from briefkit.render.layout import fit_to_pages, lay_out
    from briefkit.render.styles import theme_for

    project = Project.at(ROOT)
    [job] = plan(project, None, ["analysts"], ["brief"])
    session = BuildSession(project)
    built = render_job(session, job)  # warm: fonts registered, templates compiled
    last = DocumentRecord("", [], [], "", "", [], "", built.pages, built.scale, {})
    text = brief_text()
    reportlab_floor(text)
    have_typst = typst_reference(text) is not None

    def sample(function) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(runs * 3):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        return median(times)

    def render(hint: float | None):  # type: ignore[no-untyped-def]
        document, expected = session.markup(job)
        return fit_to_pages(document, expected.setup, theme_for(job), job.max_pages, job.label, hint)

    document, expected = session.markup(job)
    timings = {
        "render_cold": sample(lambda: render(None)),
        "render_with_last_scale": sample(lambda: render(built.scale)),
        "one_layout_written": sample(lambda: lay_out(document, expected.setup, theme_for(job), built.scale).rendered()),
        "checks": sample(lambda: check_pdf(built.output.data, expected)),
        "previews": sample(lambda: render_pages(built.output.data)),
        "whole_document": sample(lambda: render_job(session, job, last)),
        "reportlab_floor": sample(lambda: reportlab_floor(text)),
    }
    if have_typst:
        timings["typst"] = sample(lambda: typst_reference(text))
    result = {f"{name}_ms": round(value * 1000, 1) for name, value in timings.items()}
    for name in ("render_cold", "render_with_last_scale", "one_layout_written"):
        result[f"{name}_to_floor"] = round(timings[name] / timings["reportlab_floor"], 2)
        if have_typst:
            result[f"{name}_to_typst"] = round(timings[name] / timings["typst"], 2)
    return result


def copies(runs: int, recipients: int = 5000) -> dict:
    """Stamping alone (in memory, one core), and a whole meeting of `recipients` numbered copies
    built by `python build.py`: every copy stamped, checked, written and published, the register
    of that many rows laid out, with the process's peak memory."""
    sys.path.insert(0, str(ROOT / "bench"))
    from copies import six_page_packet, stamped  # type: ignore[import-not-found]

    packet = six_page_packet()
    result = {"copies_per_second": round(median([stamped(packet, 2000) for _ in range(runs)]))}
    with tempfile.TemporaryDirectory() as folder:
        project = project_copy(Path(folder), meetings=False)
        meetings = project / "content" / "meetings"
        meetings.mkdir()
        (meetings / "bench.csv").write_text("name,organisation\n" + "".join(
            f"Reader {n},Organisation {n % 9}\n" for n in range(recipients)), encoding="utf-8")
        (meetings / "bench.yaml").write_text(
            'title: "Benchmark meeting"\ndate: 2026-12-01\nplace: "Room 1"\norganiser: "Bench"\n'
            "audience: analysts\ncontent_set: nk-china\ndocuments: [brief]\nrecipients_file: bench.csv\n")
        timed_process(project, "--jobs", "1", "--kind", "brief", "--audience", "analysts")  # the brief, built once
        seconds, memory = timed_process(project, "--jobs", "1", "--meeting", "bench")
    result.update({f"meeting_{recipients}_copies_s": round(seconds, 1),
                   f"meeting_{recipients}_copies_per_second": round(recipients / seconds),
                   f"meeting_{recipients}_copies_peak_mb": round(memory, 1)})
    return result


def scaling(counts: list[int]) -> dict:
    """Cold builds of 1, 10, 100 audiences (briefs only), in one process and in two: the cost per
    document should stay flat, and two processes should pay off once there is enough work."""
    rows = {}
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            project = project_copy(Path(folder), meetings=False)
            audiences = project / "templates" / "audiences"
            for path in audiences.glob("*.yaml"):
                if path.stem != "base":
                    path.unlink()
            for index in range(count):
                (audiences / f"reader-{index:03d}.yaml").write_text(
                    f'label: "Reader {index}"\ndescription: "Generated"\ndocuments: [brief]\n'
                    f'presentation: {{accent: "#{(index * 2654435761) % 0xFFFFFF:06X}"}}\n')
            row = {}
            for jobs in ("1", "2"):
                shutil.rmtree(project / "briefings", ignore_errors=True)
                seconds, memory = timed_process(project, "--jobs", jobs)
                row[f"jobs{jobs}_s"] = round(seconds, 2)
                row[f"jobs{jobs}_per_document_ms"] = round(seconds / count * 1000, 1)
                row[f"jobs{jobs}_peak_mb"] = round(memory, 1)
            row["jobs2_speedup"] = round(row["jobs1_s"] / row["jobs2_s"], 2)
            rows[str(count)] = row
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer runs, scaling to 10 audiences only")
    parser.add_argument("--only", choices=["whole", "per_document", "copies", "scaling"], action="append",
                        help="run only this section (repeatable)")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    sections = {"whole": lambda: whole_builds(runs), "per_document": lambda: per_document(runs),
                "copies": lambda: copies(runs), "scaling": lambda: scaling([1, 10] if args.quick else [1, 10, 100])}
    results = {name: run() for name, run in sections.items() if not args.only or name in args.only}
    for section, values in results.items():
        print(section)
        for key, value in values.items():
            print(f"  {key:<32} {value}")
    out = ROOT / "bench" / "results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
