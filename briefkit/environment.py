"""Settings read from the environment, checked before a command dates what it writes.

SOURCE_DATE_EPOCH fixes the date PDFs carry (for byte-identical builds) and the date `new`
writes. ReportLab would fail on anything but a whole number, so a value that is not one is a
clear error, named, before anything is built.
"""
from __future__ import annotations

import os

from .errors import UsageError

LAST_EPOCH = 253402300799  # the latest time a PDF date can show: 9999-12-31 23:59:59 UTC


def check_environment() -> None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()  # stripped, as ReportLab reads it
    if epoch and not (epoch.isascii() and epoch.isdigit() and int(epoch) <= LAST_EPOCH):
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch[:40]!r}: expected a whole number of seconds since "
                         f"1970-01-01 UTC, from 0 to {LAST_EPOCH} (such as 1764288000), or unset it")
