"""Recipients read from a CSV file, as spreadsheet programs export them, instead of typed into YAML.

The file sits beside the meeting file (content/meetings/), is UTF-8 (a byte-order mark, as Excel
writes, is fine) and starts with a header row naming its columns. Every cell is validated as the
same key would be in YAML, and every problem is located at the file, line and column of its cell.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, did_you_mean
from .schema import Validator
from .yamlfile import Node

REQUIRED = ("name", "organisation")
OPTIONAL = ("role", "email")
MAX_BYTES = 10_000_000  # some 100,000 recipients: far beyond any meeting


def read_recipients(path: Path, shown: str, record: type) -> tuple[list[Any], list[Problem]]:
    """The recipients listed in a CSV file, as `record`s (the meeting file's Recipient) each
    located at its row; or the problems found."""
    def problem(line: int, at: int, message: str, where: str = "") -> Problem:
        return Problem(Location(shown, line, at), where, message)

    if not path.is_file():
        what = "does not exist" if not path.exists() else "is not a regular file"
        return [], [problem(0, 0, f"{what}: recipients_file names a CSV file beside the meeting file")]
    if path.stat().st_size > MAX_BYTES:
        return [], [problem(0, 0, f"is {path.stat().st_size:,} bytes; a recipients file holds at most {MAX_BYTES:,}")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return [], [problem(line, column, "is not valid UTF-8: save the file as CSV UTF-8")]
    try:
        rows = _rows(text)
    except csv.Error as exc:
        return [], [problem(0, 0, f"is not readable as CSV: {exc}")]
    rows = [row for row in rows if any(cell.strip() for cell in row[2])]  # blank lines, rows of empty cells
    if not rows:
        return [], [problem(0, 0, "is empty: expected a header row (name, organisation, role, email) and a row per recipient")]
    (header_line, header_columns, header), body = rows[0], rows[1:]
    columns = [cell.strip().casefold() for cell in header]
    problems: list[Problem] = []
    for index, heading in enumerate(columns):
        if heading not in REQUIRED + OPTIONAL:
            problems.append(problem(header_line, header_columns[index], f"unknown column '{header[index]}'"
                                    + did_you_mean(heading, REQUIRED + OPTIONAL, "known columns"), f"row {header_line}"))
        elif columns.index(heading) != index:
            problems.append(problem(header_line, header_columns[index], f"column '{heading}' is given twice",
                                    f"row {header_line}"))
    problems += [problem(header_line, 1, f"no '{name}' column: the header row names the columns "
                         f"({', '.join(REQUIRED + OPTIONAL)})", f"row {header_line}")
                 for name in REQUIRED if name not in columns]
    if problems:
        return [], problems
    recipients = []
    for line, starts, cells in body:
        if len(cells) > len(columns):
            problems.append(problem(line, starts[len(columns)], f"has {len(cells)} cells, the header names "
                                    f"{len(columns)} columns: quote a value that holds a comma", f"row {line}"))
            continue
        fields = {heading: Node(cell, Location(shown, line, starts[index]))
                  for index, (heading, cell) in enumerate(zip(columns, cells)) if cell.strip() or heading in REQUIRED}
        for heading in REQUIRED:  # a short row: its missing cells are empty
            fields.setdefault(heading, Node("", Location(shown, line, starts[-1])))
        validator = Validator(default_language="en")
        recipient = validator.record(record, Node(fields, Location(shown, line, 1)), "")
        problems += [Problem(p.location, f"row {line}, column {p.path}", p.message) for p in validator.problems]
        if recipient is not None:
            recipients.append(recipient)
    if not recipients and not problems:
        problems.append(problem(header_line, 1, "lists no recipients: add a row per recipient under the header"))
    return recipients, problems


def _rows(text: str) -> list[tuple[int, list[int], list[str]]]:
    """Each record of the CSV text: the line it starts on, the column each cell starts at (1-based,
    on that line), and its cells. A quoted cell may hold commas and line breaks."""
    lines = re.split(r"\r\n|\r|\n", text)  # as the CSV reader counts lines
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    starts_at = 1
    for cells in reader:
        first = lines[starts_at - 1] if starts_at <= len(lines) else ""
        rows.append((starts_at, _cell_columns(first, len(cells)), cells))
        starts_at = reader.line_num + 1
    return rows


def _cell_columns(line: str, count: int) -> list[int]:
    """Where each of `count` cells starts on the row's first line (a cell after a line break
    inside quotes gets the column of the last one that starts on that line)."""
    columns, quoted = [1], False
    for position, character in enumerate(line, start=1):
        if character == '"':
            quoted = not quoted
        elif character == "," and not quoted:
            columns.append(position + 1)
    columns += [columns[-1]] * (count - len(columns))
    return columns[:max(count, 1)]
