"""Opening an input file: only a regular file, inside the folders it may come from, of bounded size.

Content, profiles, labels, meeting files, templates and source texts are all read through
`read_input`. A FIFO would block the build forever, a device such as /dev/zero would fill the
memory, a link leading out of the project would print a file nobody meant to publish, and a
file of many megabytes is not something a person wrote by hand: each is refused with a reason
that follows the file's name in the message.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import InputError, Location, Problem
from ..paths import Project

MB = 1_000_000
YAML_BYTES = 2 * MB        # the shipped content's largest file is 25 kB; a meeting of 5,000 recipients about 0.5 MB
TEMPLATE_BYTES = 1 * MB
SOURCE_TEXT_BYTES = 10 * MB  # a book; an essay is some tens of kB
LARGEST_INPUT = max(YAML_BYTES, TEMPLATE_BYTES, SOURCE_TEXT_BYTES)  # no input file is read past this


class Unreadable(ValueError):
    """The file may not, or cannot, be read; the message follows its name ("x.yaml: is a FIFO…")."""


def read_input(path: Path, roots: Sequence[str | Path] | None, limit: int, what: str = "a file") -> bytes:
    """The bytes of `path`, which must be a regular file of at most `limit` bytes, lying (once
    links are followed) inside one of `roots` (None: anywhere, for a file named on the command
    line). `what` names the kind of file expected, for messages."""
    real = Path(os.path.realpath(path))
    if roots is not None and not any(real.is_relative_to(os.path.realpath(root)) for root in roots):
        raise Unreadable(f"is a link to {real}, outside the project: copy the file into the project instead")
    try:
        _regular(os.stat(real).st_mode, what)  # a FIFO or a device is refused unopened: opening one may wait, or act
        # O_NONBLOCK: should the file become a FIFO after that check, opening it must not wait for a writer.
        handle = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(handle)
        _regular(info.st_mode, what)
        if info.st_size > limit:
            raise Unreadable(f"is {_size(info.st_size)}, more than the {_size(limit)} {what} may have: "
                             "split it, or check that it is the file you meant")
        chunks, total = [], 0
        while chunk := os.read(handle, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while it was read
                raise Unreadable(f"is more than the {_size(limit)} {what} may have")
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(handle)


def _regular(mode: int, what: str) -> None:
    if stat.S_ISDIR(mode):
        raise Unreadable(f"is a folder, expected {what}")
    if not stat.S_ISREG(mode):
        raise Unreadable(f"is {_kind(mode)}, not a regular file: only ordinary files are read")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _size(count: int) -> str:
    return f"{count / MB:,.1f} MB" if count >= MB // 10 else f"{count:,} bytes"


def undecodable_names(project_root: Path, folders: Sequence[Path]) -> list[tuple[str, str]]:
    """Files and folders under `folders` whose names are not valid UTF-8 (the system hands them
    over with surrogates): each as (its path, shown with the byte escaped; what to do). Such a name cannot be shown, hashed or written
    into a manifest, so it is refused before anything else reads the folder."""
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            name = path.name
            try:
                name.encode("utf-8")
            except UnicodeEncodeError as exc:
                shown = os.fsencode(name).decode("utf-8", errors="backslashreplace")
                byte = ord(name[exc.start]) - 0xDC00  # how the system passes on an undecodable byte
                where = os.fsencode(path.parent.relative_to(project_root).as_posix()).decode("utf-8", "backslashreplace")
                found.append((f"{where}/{shown}", f"the name is not valid UTF-8 (byte 0x{byte:02x}): rename it"))
    return sorted(found)


def source_lines(project: Project) -> Callable[[Location], str | None]:
    """What a located problem quotes (errors.quote): its line of the project's file, or of a
    shipped one ("briefkit:templates/…"); None when the file cannot be read as text."""
    files: dict[str, list[str] | None] = {}

    def line(where: Location) -> str | None:
        if where.file not in files:
            shipped = where.file.removeprefix("briefkit:templates/")
            path = project.builtin / shipped if shipped != where.file else project.root / where.file
            try:
                files[where.file] = read_input(path, project.input_roots(), YAML_BYTES).decode("utf-8-sig").splitlines()
            except (Unreadable, UnicodeDecodeError):
                files[where.file] = None
        lines = files[where.file]
        return lines[where.line - 1] if lines is not None and 0 < where.line <= len(lines) else None

    return line


def names_readable(project: Project) -> None:
    """Refuse a file or folder in content/ or templates/ whose name is not UTF-8, before anything
    lists, shows or hashes them."""
    found = undecodable_names(project.root, [project.content, project.templates])
    if found:
        raise InputError([Problem(Location(where), "", message) for where, message in found])
