"""PNG previews of every output page, rendered with PDFium (PyPI `pypdfium2`, which bundles it).

Each PDF gets, per page, a thumbnail (160 px wide) and a reading-size image (900 px wide) under
the output folder's .previews/, named after the PDF. Previews are drawn after a build has published
its checked PDFs and printed its report: they are never on the way to a PDF, and failing to draw
one fails nothing. A preview is drawn again only when its PDF's SHA-256 changed; .previews/index.json
records the SHA-256 each PDF's previews show, so the overview page links only previews that match.
Numbered copies differ from their packet only by the stamp, so only the first copy of a meeting is
previewed. Images of PDFs the manifest no longer lists (a removed output, a recipient dropped from
a meeting, a page a document no longer has) are deleted.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..paths import Project

THUMB_WIDTH = 160
READING_WIDTH = 900


def png(width: int, height: int, rgb: bytes, stride: int) -> bytes:
    """A minimal PNG encoder for 8-bit RGB rows (no Pillow needed)."""
    rows = b"".join(b"\x00" + rgb[y * stride:y * stride + width * 3] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def preview_paths(project: Project, pdf_path: str, pages: int) -> list[dict[str, str]]:
    """For each page: the thumbnail and reading-size PNG paths (output paths, like the PDF's)."""
    stem = pdf_path.removeprefix(f"{project.out}/").removesuffix(".pdf")
    return [{"thumb": f"{project.previews}/{stem}-p{n}-thumb.png", "page": f"{project.previews}/{stem}-p{n}.png"}
            for n in range(1, pages + 1)]


def wanted(entry: dict[str, Any]) -> bool:
    return entry["path"].endswith(".pdf") and not (entry["kind"] == "copy" and entry.get("copy", 1) != 1)


def render_pages(pdf: bytes) -> Iterator[dict[str, bytes]]:
    """Thumbnail and reading-size PNGs of each page of a PDF, one page at a time."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            width = page.get_width()
            images = {}
            for key, pixels in (("thumb", THUMB_WIDTH), ("page", READING_WIDTH)):
                bitmap = page.render(scale=pixels / width, rev_byteorder=True, may_draw_forms=False)
                images[key] = png(bitmap.width, bitmap.height, bytes(bitmap.buffer), bitmap.stride)
            yield images
    finally:
        document.close()


@dataclass
class Drawn:
    """What one round of previews did: PDFs drawn, and those that could not be (path, why)."""

    count: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def drawn_previews(project: Project) -> dict[str, str]:
    """PDF path → the SHA-256 of the PDF its previews on disk were drawn from."""
    try:
        index = json.loads((project.file(project.previews) / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in index.items()} if isinstance(index, dict) else {}


def update_previews(project: Project, manifest: dict[str, Any], workers: int = 1) -> Drawn:
    """Draw the previews of every PDF whose bytes changed since its previews were drawn, in up to
    `workers` processes. A PDF that cannot be drawn is reported in the result, never raised."""
    rendered = drawn_previews(project)
    todo = []
    for entry in manifest.get("outputs", []):
        if not isinstance(entry, dict) or not wanted(entry):
            continue
        paths = preview_paths(project, entry["path"], entry["pages"])
        if rendered.get(entry["path"]) == entry["sha256"] and all(project.file(p["page"]).is_file() for p in paths):
            continue
        todo.append((entry["path"], [{key: project.file(p[key]) for key in p} for p in paths]))
    outcome = Drawn()
    drawing = [(str(project.file(path)), targets) for path, targets in todo]
    if workers > 1 and len(todo) > 1:
        import multiprocessing  # here: a build whose previews are all drawn never needs a pool
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
            results = list(executor.map(_draw, *zip(*drawing)))
    else:
        results = [_draw(file, targets) for file, targets in drawing]
    for (path, _), (sha, problem) in zip(todo, results):
        if problem:
            outcome.failed.append((path, problem))
            continue
        rendered[path] = sha  # of the bytes drawn: a PDF replaced meanwhile by another build shows as stale
        outcome.count += 1
    listed = {entry["path"] for entry in manifest.get("outputs", []) if isinstance(entry, dict) and wanted(entry)}
    if todo or set(rendered) - listed:
        rendered = {path: digest for path, digest in rendered.items() if path in listed}
        _write(project.file(project.previews) / "index.json", json.dumps(rendered, indent=1).encode())
    _remove_unlisted(project, manifest)
    return outcome


def _draw(file: str, targets: list[dict[str, Path]]) -> tuple[str, str]:
    """Draw a PDF's page images into `targets`, a page at a time (a register of hundreds of pages
    is never held as images); returns the SHA-256 of the PDF drawn, or why it could not be drawn."""
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        return "", f"cannot read it: {exc.strerror}"
    try:
        for target, images in zip(targets, render_pages(data)):
            for key in ("thumb", "page"):
                _write(target[key], images[key])
        return hashlib.sha256(data).hexdigest(), ""
    except OSError as exc:
        return "", f"cannot write {exc.filename}: {exc.strerror}"
    except Exception as exc:  # PDFium's own errors: a preview failing must never fail the build
        return "", f"PDFium could not draw it: {exc}"


def _remove_unlisted(project: Project, manifest: dict[str, Any]) -> None:
    """Delete the images of pages no listed PDF has (the names of removed recipients among them)."""
    expected = {project.file(preview[key]) for entry in manifest.get("outputs", [])
                if isinstance(entry, dict) and wanted(entry)
                for preview in preview_paths(project, entry["path"], entry["pages"]) for key in ("thumb", "page")}
    folder = project.file(project.previews)
    for image in folder.rglob("*.png"):
        if image not in expected:
            image.unlink(missing_ok=True)
    for emptied in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        try:
            emptied.rmdir()
        except OSError:
            pass


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
