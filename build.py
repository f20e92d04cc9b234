#!/usr/bin/env python3
"""Build every briefing PDF of this project into briefings/ (see README.md, or run with --help).

The same as `briefkit` run in this folder: `python build.py check`, `python build.py list`, …
"""
import sys
from pathlib import Path

from briefkit.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], project=Path(__file__).resolve().parent))
