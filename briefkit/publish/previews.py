"""PNG previews of every output page, rendered with PDFium (PyPI `pypdfium2`, which bundles it).

Each PDF gets, per page, a thumbnail (160 px wide) and a reading-size image (900 px wide) under
the output folder's .previews/, named after the PDF. A preview is rendered again only when its PDF's
SHA-256 changed. Numbered copies differ from their packet only by the stamp, so only the first
copy of a meeting is previewed. Images of PDFs the manifest no longer lists (a removed output,
a recipient dropped from a meeting, a page a document no longer has) are deleted.
"""
from __future__ import annotations

import json
import os
import struct
import zlib
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


def render_pages(pdf: bytes) -> list[dict[str, bytes]]:
    """Thumbnail and reading-size PNGs of every page of a PDF (done where the PDF was rendered,
    so that with --jobs the previews are drawn in parallel too)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            width = page.get_width()
            images = {}
            for key, pixels in (("thumb", THUMB_WIDTH), ("page", READING_WIDTH)):
                bitmap = page.render(scale=pixels / width, rev_byteorder=True, may_draw_forms=False)
                images[key] = png(bitmap.width, bitmap.height, bytes(bitmap.buffer), bitmap.stride)
            pages.append(images)
        return pages
    finally:
        document.close()


def update_previews(project: Project, manifest: dict[str, Any],
                    drawn: dict[str, list[dict[str, bytes]]] | None = None) -> int:
    """Write previews whose PDF changed since the last run, using those already `drawn` (by PDF
    path) and drawing the rest; returns how many PDFs got new previews."""
    index_path = project.file(project.previews) / "index.json"
    try:
        rendered = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rendered = {}
    count = 0
    for entry in manifest["outputs"]:
        if not wanted(entry):
            continue
        paths = preview_paths(project, entry["path"], entry["pages"])
        if rendered.get(entry["path"]) == entry["sha256"] and all(project.file(p["page"]).is_file() for p in paths):
            continue
        images = (drawn or {}).get(entry["path"]) or render_pages(project.file(entry["path"]).read_bytes())
        for target, image in zip(paths, images):
            for key in ("thumb", "page"):
                _write(project.file(target[key]), image[key])
        rendered[entry["path"]] = entry["sha256"]
        count += 1
    listed = {entry["path"] for entry in manifest["outputs"] if wanted(entry)}
    rendered = {path: digest for path, digest in rendered.items() if path in listed}
    index_path.parent.mkdir(parents=True, exist_ok=True)
    _write(index_path, json.dumps(rendered, indent=1).encode())
    _remove_unlisted(project, manifest)
    return count


def _remove_unlisted(project: Project, manifest: dict[str, Any]) -> None:
    """Delete the images of pages no listed PDF has (the names of removed recipients among them)."""
    expected = {project.file(preview[key]) for entry in manifest["outputs"] if wanted(entry)
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
