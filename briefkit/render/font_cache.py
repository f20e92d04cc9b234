"""TrueType files parsed once per machine: what ReportLab reads from a font file, kept on disk.

ReportLab parses a TrueType file in pure Python (its character map, every glyph's width and
position), about 0.1 s for each Latin file and 0.2 s for each Korean one, at every build. What it
keeps is plain data: numbers, strings, lists, tuples and mappings. That data is written with
`marshal` (plain values only, never code) to the user's cache folder ($XDG_CACHE_HOME/briefkit/fonts,
by default ~/.cache/briefkit/fonts), named after the SHA-256 of the font file's bytes and the
ReportLab version, and prefixed with the SHA-256 of the data itself: a file torn or damaged on
disk is ignored (and written again), never handed to marshal, which in any case only builds
values and runs nothing. BRIEFKIT_FONT_CACHE=off turns the cache off.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

FORMAT = "1"  # bump when what is stored changes
_PLAIN = (type(None), bool, int, float, str, bytes)


def cache_folder() -> Path | None:
    if os.environ.get("BRIEFKIT_FONT_CACHE", "").lower() in ("off", "0", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefkit" / "fonts"


def load_font(name: str, path: Path) -> Any:
    """A ReportLab TTFont for the file, from the cache when it holds this very file's data."""
    from reportlab import Version
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

    data = path.read_bytes()
    folder = cache_folder()
    entry = folder / f"{hashlib.sha256(data).hexdigest()}-rl{Version}-{FORMAT}.marshal" if folder else None
    state = _read(entry) if entry else None
    if state is None:
        font = TTFont(name, str(path))
        if entry is not None:
            _write(entry, font.face)
        return font
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(_restore(state))
    face._ttf_data, face.filename = data, str(path)
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)  # as ReportLab sets it
    return _font(name, face)


def _font(name: str, face: Any) -> Any:
    """A TTFont around a face already parsed: what TTFont.__init__ does besides parsing (a test
    compares the result with a font ReportLab parsed itself)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, unShapedFontGlob

    font = TTFont.__new__(TTFont)
    font.fontName, font.face, font.encoding, font.state = name, face, TTEncoding(), WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font


def _snapshot(face: Any) -> dict[str, Any] | None:
    """The face's parsed data as plain values (names as bytes), or None if it holds anything else."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    state: dict[str, Any] = {}
    for key, value in face.__dict__.items():
        if key in ("_ttf_data", "filename", "_pdfScale"):
            continue
        if isinstance(value, TTFNameBytes):
            state[key] = ("name", bytes(value))
        elif _plain(value):
            state[key] = value
        else:
            return None  # something this cache does not know how to keep: parse every time
    return state


def _restore(state: dict[str, Any]) -> dict[str, Any]:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    return {key: TTFNameBytes(value[1]) if isinstance(value, tuple) and value[:1] == ("name",) else value
            for key, value in state.items()}


def _plain(value: Any, depth: int = 0) -> bool:
    if type(value) in _PLAIN:
        return True
    if depth > 4:
        return False
    if type(value) in (list, tuple):
        return all(_plain(item, depth + 1) for item in value)
    if type(value) is dict:
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _read(entry: Path) -> dict[str, Any] | None:
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    digest, payload = blob[:32], blob[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None  # torn or not ours: never handed to marshal
    try:
        state = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return state if isinstance(state, dict) and "unitsPerEm" in state and "charWidths" in state else None


def _write(entry: Path, face: Any) -> None:
    """Best effort: a cache that cannot be written only means parsing again next time."""
    state = _snapshot(face)
    if state is None:
        return
    payload = marshal.dumps(state)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        temporary.write_bytes(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, entry)
    except OSError:
        pass
