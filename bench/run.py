#!/usr/bin/env python3
"""The build benchmark: whole builds, per-document rendering against two references, rebuilds,
copies, and scaling. Every figure is a median of several runs; ratios are taken within one run,
against the direct-ReportLab floor measured in that same run.

    python bench/run.py [--runs 5] [--quick] [--documents 1,10,100] [--only copies]

Writes bench/results/bench.json (with the date, the machine and its load average) and the plot
docs/images/performance-scaling.png. Typst (PyPI `typst`) is an optional reference: without it
that row is skipped.
"""
from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
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


LAST = {"report_s": 0.0, "cpu_s": 0.0}  # of the last timed process: until its report line, and CPU seconds


def timed_process(project: Path, *argv: str) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one `python build.py` process; LAST gets
    the seconds until its report line (the line naming the manifest: previews come after it) and
    its CPU seconds, its worker processes included."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "build.py", *argv], cwd=project, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    LAST["report_s"] = 0.0
    for line in process.stdout:
        if "; manifest: " in line or line.startswith("nothing to rebuild"):
            LAST["report_s"] = time.perf_counter() - started
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build.py {' '.join(argv)} failed in {project}")
    LAST["report_s"] = LAST["report_s"] or wall
    LAST["cpu_s"] = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024


def import_floor(runs: int) -> float:
    """A Python process that imports ReportLab's layout engine and stops: what any build pays."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import reportlab.platypus, reportlab.pdfgen.canvas"], check=True)
        times.append(time.perf_counter() - started)
    return median(times)


def median(values: list[float]) -> float:
    return statistics.median(values)


def whole_builds(runs: int) -> dict:
    """Whole `python build.py` processes. Cold: no briefings/ folder at all, as after a fresh clone."""
    with tempfile.TemporaryDirectory() as folder:
        project = project_copy(Path(folder))

        def cold(*argv: str) -> tuple[float, float]:
            shutil.rmtree(project / "briefings", ignore_errors=True)
            return timed_process(project, *argv)

        default, until_report, cpu = [], [], []
        for _ in range(runs):
            default.append(cold())
            until_report.append(LAST["report_s"])
            cpu.append(LAST["cpu_s"])
        documents = sum(1 for e in json.loads((project / "briefings/manifest.json").read_text())["outputs"]
                        if not e.get("meeting"))
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
        "cold_build_until_report_s": round(median(until_report), 3),
        "cold_build_cpu_s": round(median(cpu), 2),
        "documents_in_default_set": documents,
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
        "previews": sample(lambda: list(render_pages(built.output.data))),
        "whole_document_cold": sample(lambda: render_job(session, job)),
        "whole_document_last_scale": sample(lambda: render_job(session, job, last)),
        "reportlab_floor": sample(lambda: reportlab_floor(text)),
    }
    if have_typst:
        timings["typst"] = sample(lambda: typst_reference(text))
    result = {f"{name}_ms": round(value * 1000, 1) for name, value in timings.items()}
    for name in ("render_cold", "render_with_last_scale", "one_layout_written", "whole_document_cold",
                 "whole_document_last_scale", "checks", "previews"):
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
    document should stay flat, and two processes should pay off once there is enough work. Each
    also times its report line (previews are drawn after it)."""
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
                row[f"jobs{jobs}_until_report_s"] = round(LAST["report_s"], 2)
                row[f"jobs{jobs}_per_document_ms"] = round(seconds / count * 1000, 1)
                row[f"jobs{jobs}_peak_mb"] = round(memory, 1)
            row["jobs2_speedup"] = round(row["jobs1_s"] / row["jobs2_s"], 2)
            rows[str(count)] = row
    return rows


def machine() -> dict:
    """Where and when: the figures mean little without them."""
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": model or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "load_average_before": list(os.getloadavg())}


def ratios(results: dict, floor_import_s: float) -> dict:
    """The targets, as ratios to the ReportLab floor of the same run."""
    per, whole = results["per_document"], results["whole"]
    floor_build = per["reportlab_floor_ms"] / 1000 * whole["documents_in_default_set"] + floor_import_s
    return {
        "whole_document_cold_to_floor (target <= 2.5)": per["whole_document_cold_to_floor"],
        "whole_document_last_scale_to_floor (target <= 1.5)": per["whole_document_last_scale_to_floor"],
        "checks_to_floor (target <= 0.3)": per["checks_to_floor"],
        "cold_build_until_report_to_floor (target <= 3)": round(whole["cold_build_until_report_s"] / floor_build, 2),
        "jobs2_speedup_default_set (target >= 1.6 on 20+ documents)": whole["jobs2_speedup"],
        "jobs2_speedup_100_documents": results["scaling"].get("100", {}).get("jobs2_speedup"),
        "noop_rebuild_s (target <= 0.15)": whole["noop_rebuild_s"],
        "cold_build_peak_mb (target <= 150)": whole["cold_build_peak_mb"],
        "copies_per_second (target >= 4000)": results["copies"]["copies_per_second"],
    }


def plot(rows: dict, out: Path, caption: str) -> None:
    """Seconds against documents, both on log scales, one line per process count (Pillow, which
    ReportLab already needs)."""
    import math

    from PIL import Image, ImageDraw

    width, height, left, bottom, top, right = 640, 400, 70, 50, 30, 150
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    counts = sorted(int(c) for c in rows)
    values = [rows[str(c)][f"jobs{j}_s"] for c in counts for j in (1, 2)]
    low_x, high_x = math.log10(max(counts[0], 1)), math.log10(counts[-1]) or 1
    low_y, high_y = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))

    def xy(count: float, seconds: float) -> tuple[float, float]:
        x = left + (math.log10(count) - low_x) / ((high_x - low_x) or 1) * (width - left - right)
        y = height - bottom - (math.log10(seconds) - low_y) / ((high_y - low_y) or 1) * (height - top - bottom)
        return x, y

    ink, grid = (40, 40, 40), (220, 220, 220)
    for power in range(low_y, high_y + 1):
        _, y = xy(counts[0], 10 ** power)
        draw.line([(left, y), (width - right, y)], fill=grid)
        draw.text((8, y - 6), f"{10 ** power:g} s", fill=ink)
    for count in counts:
        x, _ = xy(count, 10 ** low_y)
        draw.line([(x, top), (x, height - bottom)], fill=grid)
        draw.text((x - 8, height - bottom + 8), f"{count:,}", fill=ink)
    draw.text((left, height - 20), "documents (briefs, one audience each), cold build; both axes logarithmic", fill=ink)
    draw.text((left, 8), f"wall seconds of a whole build ({caption})", fill=ink)
    for jobs, colour in ((1, (31, 95, 170)), (2, (200, 90, 20))):
        points = [xy(c, rows[str(c)][f"jobs{jobs}_s"]) for c in counts]
        draw.line(points, fill=colour, width=3)
        for x, y in points:
            draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=colour)
        draw.text((points[-1][0] + 10, points[-1][1] - 6), f"--jobs {jobs}", fill=colour)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, optimize=True)


def markdown(results: dict) -> str:
    """The figures as the table in docs/performance.md, so the page can be brought up to date."""
    where, whole, per, scale, r = (results[k] for k in ("machine", "whole", "per_document", "scaling", "ratios"))
    load = "/".join(f"{v:.1f}" for v in where["load_average_before"])
    rows = [
        ("measured", f"{where['date']}; {where['cores']} × {where['cpu']}; Python {where['python']}; "
                     f"load average {load} (1/5/15 min) before the run"),
        ("cold `python build.py`, default set, until its report line",
         f"{whole['cold_build_until_report_s']} s wall, {whole['cold_build_cpu_s']} CPU-s; the whole command "
         f"{whole['cold_build_s']} s (previews drawn after the report)"),
        ("the same with `--jobs 1` / `--jobs 2`", f"{whole['cold_build_jobs1_s']} s / {whole['cold_build_jobs2_s']} s "
                                                  f"({whole['jobs2_speedup']}×)"),
        ("peak memory of the default build", f"{whole['cold_build_peak_mb']} MB (one process: "
                                             f"{whole['cold_build_jobs1_peak_mb']} MB)"),
        ("no-op rebuild", f"{whole['noop_rebuild_s']} s"),
        ("a meeting file edited / a comment in `summary.yaml` / the issue date edited",
         f"{whole['meeting_file_edited_s']} s / {whole['comment_in_summary_s']} s / {whole['issue_date_edited_s']} s"),
        ("one brief: the direct-ReportLab floor / Typst", f"{per['reportlab_floor_ms']} ms / {per.get('typst_ms', '–')} ms"),
        ("one brief, whole document (render + checks), cold / from the last build's scale",
         f"{per['whole_document_cold_ms']} ms ({per['whole_document_cold_to_floor']}× floor) / "
         f"{per['whole_document_last_scale_ms']} ms ({per['whole_document_last_scale_to_floor']}×)"),
        ("its render alone, cold / from the last scale / one layout written",
         f"{per['render_cold_ms']} / {per['render_with_last_scale_ms']} / {per['one_layout_written_ms']} ms"),
        ("its checks / its previews (after the report)", f"{per['checks_ms']} ms ({per['checks_to_floor']}× floor) / "
                                                         f"{per['previews_ms']} ms"),
        ("numbered copies of a 6-page packet, one core", f"{results['copies']['copies_per_second']:,} per second"),
    ]
    for count, row in scale.items():
        rows.append((f"{count} brief{'s' if count != '1' else ''}, cold, `--jobs 1` / `--jobs 2`",
                     f"{row['jobs1_s']} s / {row['jobs2_s']} s ({row['jobs2_speedup']}×); "
                     f"{row['jobs2_per_document_ms']} ms a brief; peak {row['jobs2_peak_mb']} MB"))
    lines = ["| what | figure |", "|---|---|", *(f"| {what} | {figure} |" for what, figure in rows), "",
             "| target (ratios within this run) | measured |", "|---|---|",
             *(f"| {name} | {value} |" for name, value in r.items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer runs, scaling to 10 audiences only")
    parser.add_argument("--documents", default="1,10,100",
                        help="document counts of the scaling rows (default 1,10,100; 1000 takes many minutes)")
    parser.add_argument("--only", choices=["whole", "per_document", "copies", "scaling"], action="append",
                        help="run only this section (repeatable); ratios, tables and the plot need them all")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    counts = [1, 10] if args.quick else [int(n) for n in args.documents.split(",")]
    where = machine()
    sections = {"whole": lambda: whole_builds(runs), "per_document": lambda: per_document(runs),
                "copies": lambda: copies(runs), "scaling": lambda: scaling(counts)}
    results = {name: run() for name, run in sections.items() if not args.only or name in args.only}
    complete = len(results) == len(sections)
    if complete:
        floor_import = import_floor(runs)
        results["per_document"]["import_floor_ms"] = round(floor_import * 1000, 1)
        results["ratios"] = ratios(results, floor_import)
    where["load_average_after"] = list(os.getloadavg())
    results = {"machine": where, **results}
    for section, values in results.items():
        print(section)
        for key, value in values.items():
            print(f"  {key:<58} {value}")
    out = ROOT / "bench" / "results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    if complete:
        (out.parent / "table.md").write_text(markdown(results) + "\n")
        caption = f"{where['date']}, {where['cores']} cores, load average {where['load_average_before'][0]:.1f}"
        plot(results["scaling"], ROOT / "docs" / "images" / "performance-scaling.png", caption)
        print("and bench/results/table.md (for docs/performance.md) and docs/images/performance-scaling.png")


if __name__ == "__main__":
    main()
