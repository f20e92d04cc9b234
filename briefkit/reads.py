"""What a build read: the SHA-256 of each input file's bytes, taken when the file was first read.

The YAML reader notes every file it parses; a key is then taken over the bytes the build used,
not over the file as it is when the key is computed. A file saved while a build runs therefore
no longer matches its recorded key, and the next build (or the watch's next round) makes it
again. Files never parsed (templates) are noted the first time a key reads them, before rendering.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

_read: dict[Path, bytes] = {}  # absolute path → SHA-256 of the bytes first read this build


def start() -> None:
    """Forget the last build's reads (a watching process runs many builds)."""
    _read.clear()


def note(path: Path, data: bytes) -> None:
    """Remember a file's bytes as read, unless an earlier read this build is already noted."""
    _read.setdefault(Path(path).absolute(), hashlib.sha256(data).digest())


def digest(path: Path) -> bytes | None:
    """The SHA-256 of the file as this build first read it: noted now if it was not yet read,
    None when it cannot be read."""
    key = Path(path).absolute()
    if key not in _read:
        try:
            note(key, key.read_bytes())
        except OSError:
            return None
    return _read[key]
