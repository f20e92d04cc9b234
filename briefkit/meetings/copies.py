"""Numbered recipient copies by incremental update: render once, then stamp in microseconds.

A copy is the packet's bytes unchanged, followed by a small PDF incremental update that adds a
stamp ("Copy 3 of 12 · Jane Smith"), marked as an artifact so the packet's tags hold, to every page and a copy identifier to the metadata. The
update adds one content stream per page size, re-states each page dictionary with that stream
appended to its contents, adds a TrueType subset holding exactly the characters the stamps use,
and writes a new Info dictionary, cross-reference section and trailer. Copies are therefore
byte-identical up to the end of the packet, and differ only in the stamp, identifier and trailer.
Nothing is parsed or re-rendered per copy; that is what makes thousands of copies a second.
"""
from __future__ import annotations

import functools
import hashlib
import io
import zlib
from dataclasses import dataclass

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, TextStringObject
from reportlab.pdfbase.ttfonts import TTFontFace

from ..errors import BriefkitError
from ..render.checks import dictionary
from ..render.fonts import FONT_SETS, LATIN, Family, font_path
from ..render.tagging import ARTIFACTS

STAMP_SIZE = 7.0
MARGIN = 17 * 72 / 25.4  # the stamp ends this far from the page's right edge (points)
STAMP_FONT = "/BKStamp"
STAMP_ARTIFACT = ARTIFACTS["header"]  # a mark of this copy, not the document's content: screen readers skip it


@dataclass(frozen=True)
class CopySpec:
    number: int
    total: int
    recipient: str
    identifier: str
    text: str  # the stamp as printed: "Copy 3 of 12 · Jane Smith", worded by the labels


@functools.lru_cache(maxsize=4)
def _face(family_name: str) -> TTFontFace:
    from reportlab.pdfbase.ttfonts import TTFont

    family: Family = next(fs.sans for fs in FONT_SETS.values() if fs.sans.name == family_name)
    path = font_path(family, family.files["regular"])
    if path is None:
        raise BriefkitError(f"the stamp font {family.name} is not installed")
    return TTFont(f"briefkit-stamp-{family.name}", str(path)).face


def _installed_faces() -> list[TTFontFace]:
    faces = []
    for fonts in FONT_SETS.values():
        try:
            faces.append(_face(fonts.sans.name))
        except BriefkitError:
            continue
    return faces or [_face(LATIN.sans.name)]


def stamp_faces(characters: set[str]) -> list[tuple[TTFontFace, set[str]]]:
    """The faces the stamps are set in, each with the characters it sets: the house sans when it
    has every character, else the first sans that does, else each character from the first sans
    that has it (a Korean stamp naming Élodie takes é from the Latin sans)."""
    faces = _installed_faces()
    for face in faces:
        if all(ord(c) in face.charToGlyph for c in characters):
            return [(face, characters)]
    groups: list[tuple[TTFontFace, set[str]]] = []
    missing = []
    for character in sorted(characters):
        face = next((f for f in faces if ord(character) in f.charToGlyph), None)
        if face is None:
            missing.append(character)
            continue
        group = next((g for g in groups if g[0] is face), None)
        if group is None:
            groups.append((face, {character}))
        else:
            group[1].add(character)
    if missing:
        raise BriefkitError(f"no stamp font has a glyph for {''.join(missing)!r}: change the recipient names")
    return groups


class StampFont:
    """A TrueType subset with exactly the characters one face sets in the stamps, as raw PDF objects."""

    def __init__(self, characters: set[str], face: TTFontFace):
        from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

        subset = sorted(characters)
        if len(subset) > 256:
            raise BriefkitError("recipient names use more than 256 different characters: the stamp font "
                                "cannot hold them; shorten or simplify the names")
        self.codes = {c: i for i, c in enumerate(subset)}
        self.widths = [face.getCharWidth(ord(c)) for c in subset]
        code_points = [ord(c) for c in subset]
        self.name = "BKSTMP+" + face.name.decode("latin-1")
        self.font_file = face.makeSubset(code_points)
        self.to_unicode = makeToUnicodeCMap(self.name, code_points).encode("ascii")
        flags = (face.flags & ~32) | 4  # symbolic, as ReportLab writes its own subsets
        self.descriptor = (f"<< /Type /FontDescriptor /FontName /{self.name} /Flags {flags} "
                           f"/FontBBox [{' '.join(str(v) for v in face.bbox)}] /ItalicAngle {face.italicAngle} "
                           f"/Ascent {face.ascent} /Descent {face.descent} /CapHeight {face.capHeight} "
                           f"/StemV {face.stemV} /MissingWidth {face.defaultWidth} /FontFile2 {{file}} 0 R >>")

    def encode(self, text: str) -> bytes:
        return b"<" + "".join(f"{self.codes[c]:02X}" for c in text).encode("ascii") + b">"

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[self.codes[c]] for c in text) * size / 1000

    def objects(self, first: int) -> list[tuple[int, bytes]]:
        """(object number, body) for the font, its descriptor, font file and ToUnicode map."""
        font, descriptor, file, cmap = first, first + 1, first + 2, first + 3
        widths = " ".join(str(w) for w in self.widths)
        packed = zlib.compress(self.font_file)
        return [
            (font, (f"<< /Type /Font /Subtype /TrueType /BaseFont /{self.name} /FirstChar 0 "
                    f"/LastChar {len(self.widths) - 1} /Widths [{widths}] /FontDescriptor {descriptor} 0 R "
                    f"/ToUnicode {cmap} 0 R >>").encode("ascii")),
            (descriptor, self.descriptor.format(file=file).encode("ascii")),
            (file, _stream(packed, f"/Length1 {len(self.font_file)} /Filter /FlateDecode")),
            (cmap, _stream(self.to_unicode)),
        ]


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{' ' + extra if extra else ''} >>\nstream\n".encode("ascii") + data + b"\nendstream"


def _serialize(value: PdfObject) -> bytes:
    buffer = io.BytesIO()
    value.write_to_stream(buffer)
    return buffer.getvalue()


class CopyStamper:
    """Prepared once per packet; `stamp()` then costs string formatting and one join per copy."""

    def __init__(self, packet: bytes, copies: list[CopySpec], colour: tuple[float, float, float]):
        characters = set("".join(c.text for c in copies) + "0123456789")
        self.packet = packet if packet.endswith(b"\n") else packet + b"\n"
        reader = PdfReader(io.BytesIO(packet))
        trailer = reader.trailer
        self.size = int(str(trailer["/Size"]))
        self.previous = _startxref(packet)
        self.root = trailer.raw_get("/Root")
        identifiers = trailer.get("/ID")
        first_id = identifiers.get_object()[0] if identifiers is not None else hashlib.md5(packet).digest()
        self.original_id = bytes(getattr(first_id, "original_bytes", first_id))
        self.info = DictionaryObject(reader.metadata or {})
        self.colour = colour
        next_number = self.size
        self.fonts: list[tuple[str, StampFont, int]] = []  # resource name, subset, its first object number
        self.font_objects: list[tuple[int, bytes]] = []
        for index, (face, chars) in enumerate(stamp_faces(characters)):
            font = StampFont(chars, face)
            self.fonts.append((STAMP_FONT + (str(index + 1) if index else ""), font, next_number))
            self.font_objects += font.objects(next_number)
            next_number += 4
        # one stamp stream per distinct page size; pages re-stated once, identical for every copy
        self.sizes: dict[tuple[float, float], int] = {}
        self.pages: list[tuple[int, bytes]] = []
        for page in reader.pages:
            box = (float(page.mediabox.width), float(page.mediabox.height))
            if box not in self.sizes:
                self.sizes[box] = next_number
                next_number += 1
            assert page.indirect_reference is not None  # a page read from a file is an indirect object
            self.pages.append((page.indirect_reference.idnum, self._restated(page, self.sizes[box], reader)))
        self.info_number = next_number
        self.new_size = next_number + 1
        self.fixed, self.fixed_offsets = _objects(self.font_objects + self.pages)

    def _restated(self, page: PageObject, stream_number: int, reader: PdfReader) -> bytes:
        page_dict = DictionaryObject({k: v for k, v in page.items()})
        contents = page.raw_get("/Contents")
        target = contents.get_object() if isinstance(contents, IndirectObject) else contents
        if contents is None:
            parts = ArrayObject()
        elif isinstance(target, ArrayObject):
            parts = ArrayObject(target)
        else:
            parts = ArrayObject([contents])
        parts.append(IndirectObject(stream_number, 0, reader))
        page_dict[NameObject("/Contents")] = parts
        resources = DictionaryObject(dictionary(page.get("/Resources")))
        fonts = DictionaryObject(dictionary(resources.get("/Font")))
        for name, _, number in self.fonts:
            fonts[NameObject(name)] = IndirectObject(number, 0, reader)
        resources[NameObject("/Font")] = fonts
        page_dict[NameObject("/Resources")] = resources
        return _serialize(page_dict)

    def _runs(self, text: str) -> list[tuple[str, StampFont, str]]:
        """The stamp cut where its font changes: (resource name, subset, run)."""
        found: list[tuple[str, StampFont, str]] = []
        for character in text:
            name, font, _ = next(f for f in self.fonts if character in f[1].codes)
            if found and found[-1][0] == name:
                found[-1] = (name, font, found[-1][2] + character)
            else:
                found.append((name, font, character))
        return found

    def width(self, text: str) -> float:
        """How wide `text` is in the stamp, in points."""
        return sum(font.width(run, STAMP_SIZE) for _, font, run in self._runs(text))

    @property
    def room(self) -> float:
        """The widest stamp every page has room for, between its side margins."""
        return min(width for width, _ in self.sizes) - 2 * MARGIN

    def stamp(self, copy: CopySpec) -> bytes:
        """The bytes of one numbered copy."""
        runs = self._runs(copy.text)
        width = sum(font.width(run, STAMP_SIZE) for _, font, run in runs)
        shown = b" ".join(f"{name} {STAMP_SIZE} Tf ".encode() * (index > 0) + font.encode(run) + b" Tj"
                          for index, (name, font, run) in enumerate(runs))
        first = runs[0][0] if runs else STAMP_FONT
        r, g, b = self.colour
        objects = []
        for (page_width, page_height), number in self.sizes.items():
            x, y = page_width - MARGIN - width, page_height - 9 * 72 / 25.4
            content = (f"{STAMP_ARTIFACT} q {r:.3f} {g:.3f} {b:.3f} rg BT {first} {STAMP_SIZE} Tf {x:.2f} {y:.2f} Td "
                       .encode() + shown + b" ET Q EMC")
            objects.append((number, _stream(content)))
        info = DictionaryObject(self.info)
        info[NameObject("/CopyIdentifier")] = TextStringObject(copy.identifier)
        info[NameObject("/CopyRecipient")] = TextStringObject(copy.recipient)
        objects.append((self.info_number, _serialize(info)))
        variable, variable_offsets = _objects(objects)
        base = len(self.packet)
        offsets = {n: base + at for n, at in self.fixed_offsets.items()}
        offsets.update({n: base + len(self.fixed) + at for n, at in variable_offsets.items()})
        new_id = hashlib.md5(copy.identifier.encode()).hexdigest()
        trailer = (f"trailer\n<< /Size {self.new_size} /Root {self.root.idnum} 0 R /Info {self.info_number} 0 R "
                   f"/Prev {self.previous} /ID [<{self.original_id.hex()}> <{new_id}>] >>\n"
                   f"startxref\n{base + len(self.fixed) + len(variable)}\n%%EOF\n").encode()
        return b"".join((self.packet, self.fixed, variable, _xref(offsets), trailer))


def _objects(objects: list[tuple[int, bytes]]) -> tuple[bytes, dict[int, int]]:
    """Serialized indirect objects, and where each starts within the result."""
    chunks, offsets, position = [], {}, 0
    for number, body in objects:
        chunk = f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        offsets[number] = position
        chunks.append(chunk)
        position += len(chunk)
    return b"".join(chunks), offsets


def _xref(offsets: dict[int, int]) -> bytes:
    """A cross-reference section with one subsection per run of consecutive object numbers."""
    numbers = sorted(offsets)
    lines, run = [b"xref\n0 1\n0000000000 65535 f\r\n"], [numbers[0]]  # object 0 restated, as readers expect
    for number in numbers[1:]:
        if number == run[-1] + 1:
            run.append(number)
        else:
            lines.append(_subsection(run, offsets))
            run = [number]
    lines.append(_subsection(run, offsets))
    return b"".join(lines)


def _subsection(run: list[int], offsets: dict[int, int]) -> bytes:
    return f"{run[0]} {len(run)}\n".encode() + b"".join(f"{offsets[n]:010d} 00000 n\r\n".encode() for n in run)


def _startxref(pdf: bytes) -> int:
    marker = pdf.rfind(b"startxref")
    return int(pdf[marker + len(b"startxref"):].split()[0])
