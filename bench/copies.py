#!/usr/bin/env python3
"""Benchmark: numbered copies per second, incremental-update stamping against naive pypdf merging.

Builds a six-page packet (cover, brief, fact sheet, timeline) from the shipped content in a
temporary copy of the project, then times, on one core, in one process:
  - briefkit's stamping (CopyStamper: one incremental update per copy), N copies per run;
  - the naive path: pypdf reads the packet, merges a ReportLab stamp onto every page and writes
    the whole file again, per copy (fewer copies: it is slow).
Prints medians of several runs and their ratio, and writes bench/results/copies.json.

    python bench/copies.py [--copies 2000] [--runs 5]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEETING = """title: "Benchmark meeting"
date: 2026-12-01
place: "Room 1"
organiser: "Bench"
audience: analysts
content_set: nk-china
documents: [brief, factsheet, timeline]
recipients:
  - {name: "Reader One", organisation: "Org"}
"""


def six_page_packet() -> bytes:
    from briefkit.cli import main

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for name in ("content", "templates"):
            shutil.copytree(ROOT / name, project / name)
        shutil.rmtree(project / "content" / "meetings")
        (project / "content" / "meetings").mkdir()
        (project / "content" / "meetings" / "bench.yaml").write_text(MEETING)
        if main(["-q", "--meeting", "bench"], project=project) != 0:
            raise SystemExit("could not build the benchmark packet")
        return (project / "briefings/meetings/bench/bench-packet.pdf").read_bytes()


def stamped(packet: bytes, copies: int) -> float:
    from briefkit.meetings.copies import CopySpec, CopyStamper

    specs = [CopySpec(i, copies, f"Recipient {i}", f"bench-{i:05d}", f"Copy {i} of {copies} · Recipient {i}")
             for i in range(1, copies + 1)]
    started = time.perf_counter()
    stamper = CopyStamper(packet, specs, (0.3, 0.3, 0.3))
    for spec in specs:
        stamper.stamp(spec)
    return copies / (time.perf_counter() - started)


def naive(packet: bytes, copies: int) -> float:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    from briefkit.render.fonts import SANS, register_fonts

    register_fonts()
    started = time.perf_counter()
    for number in range(1, copies + 1):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(packet)))
        overlays: dict = {}  # one stamp page per page size and copy, as a careful naive version would
        for page in writer.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            if size not in overlays:
                overlay = io.BytesIO()
                canvas = Canvas(overlay, pagesize=size, initialFontName=SANS.font())
                canvas.setFont(SANS.font(), 7)
                canvas.drawRightString(size[0] - 48, size[1] - 26, f"Copy {number} of {copies} · Recipient {number}")
                canvas.save()
                overlays[size] = PdfReader(overlay).pages[0]
            page.merge_page(overlays[size])
        writer.write(io.BytesIO())
    return copies / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the target says
    packet = six_page_packet()
    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(packet)).pages)
    fast = [stamped(packet, args.copies) for _ in range(args.runs)]
    slow = [naive(packet, max(20, args.copies // 40)) for _ in range(args.runs)]
    result = {
        "packet_pages": pages, "packet_bytes": len(packet), "runs": args.runs,
        "incremental_copies_per_second": round(statistics.median(fast)),
        "naive_copies_per_second": round(statistics.median(slow), 1),
        "speedup": round(statistics.median(fast) / statistics.median(slow), 1),
    }
    print(f"packet: {pages} pages, {len(packet) / 1024:.0f} KiB; medians of {args.runs} runs on one core")
    print(f"  incremental update : {result['incremental_copies_per_second']:>8} copies/s ({args.copies} per run)")
    print(f"  naive pypdf merge  : {result['naive_copies_per_second']:>8} copies/s")
    print(f"  speed-up           : {result['speedup']:>8}x")
    out = ROOT / "bench" / "results" / "copies.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
