"""Small typographic fixes applied to all printed text."""
from __future__ import annotations

import re


def smart_quotes(text: str) -> str:
    """Typographic quotes and apostrophes for straight ones typed in content."""
    text = re.sub(r'(^|[\s(\[{\u2014\u2013/-])"', "\\1\u201c", text)
    text = re.sub(r"(^|[\s(\[{\u2014\u2013/-])'", "\\1\u2018", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")
