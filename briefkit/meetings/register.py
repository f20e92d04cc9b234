"""The distribution register's data file: who holds which numbered copy, as CSV.

It is written for spreadsheet programs as much as for scripts: with a byte-order mark, so that
Excel reads it as UTF-8 ("Élodie", not "Ã‰lodie"), and with every cell that a spreadsheet would
take for a formula (one starting with =, +, -, @, a tab or a carriage return) prefixed with an
apostrophe, as OWASP's guidance on CSV injection recommends: a name is shown, never run.
"""
from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ["copy", "recipient", "organisation", "role", "email", "copy_identifier", "sha256", "file"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralised(cell: object) -> str:
    """A cell's text as a spreadsheet shows it literally."""
    text = str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def register_csv(rows: list[dict[str, Any]]) -> bytes:
    """Column names are identifiers for spreadsheets and scripts, the same in every language."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as spreadsheets write it
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralised(row[key]) for key in
                         ("number", "recipient", "organisation", "role", "email", "identifier", "sha256", "file")])
    return buffer.getvalue().encode("utf-8")
