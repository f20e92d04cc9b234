#!/usr/bin/env python3
"""Build every briefing PDF into briefings/ (see README.md, or run with --help)."""
import sys
from pathlib import Path

from briefkit.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], project=Path(__file__).resolve().parent))
