"""The distribution register's data file: who holds which numbered copy, as CSV."""
from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ["copy", "recipient", "organisation", "role", "copy_identifier", "sha256", "file"]


def register_csv(rows: list[dict[str, Any]]) -> bytes:
    """Column names are identifiers for spreadsheets and scripts, the same in every language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row["number"], row["recipient"], row["organisation"], row["role"], row["identifier"],
                         row["sha256"], row["file"]])
    return buffer.getvalue().encode("utf-8")
