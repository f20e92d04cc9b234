"""A source text, paragraph by paragraph, and words looked up in it forgivingly.

A paragraph is a non-empty line of the text, stripped; locator pN names the Nth. Words compare
equal across typography: straight and typographic quotation marks and apostrophes, hyphens and
dashes, and runs of white space (a no-break space included). Nothing else is forgiven: letters,
case and punctuation must be the source's. When words are not there, `mismatch` shows them above
the closest source passage with a caret under the first character that differs.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .files import SOURCE_TEXT_BYTES, read_input

# One character for one: a folded text is as long as the text, so positions carry over.
_FOLD = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2039\u203a", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
})
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u2019\u201d)\]\u300d\u300f]*$")
BODY_WORDS = 12          # a body paragraph has at least this many words …
BODY_CHARACTERS = 40     # … or, in a script written without spaces, this many characters
CLOSE = 0.5              # likeness (0 to 1) from which a passage is shown as the closest
LABEL = "    yours:  "   # both lines of a mismatch start with labels this wide
SOURCE = "    source: "


def collapse(text: str) -> str:
    """Runs of white space (any kind) as one space, none at the ends."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """The text as it is compared: white space collapsed, quotation marks and dashes folded."""
    return collapse(text).translate(_FOLD)


@dataclass(frozen=True)
class Match:
    paragraph: int  # 1-based: the N of pN
    start: int      # where the words start and end in the paragraph as shown (white space collapsed)
    end: int


class SourceText:
    """The paragraphs of a source text, as shown (white space collapsed) and as compared."""

    def __init__(self, paragraphs: list[str], name: str) -> None:
        self.name = name
        self.shown = [collapse(text) for text in paragraphs]
        self.folded = [text.translate(_FOLD) for text in self.shown]

    @classmethod
    def read(cls, path: Path, name: str, roots: Sequence[Path] | None = None) -> SourceText:
        """The text of a file (inside `roots`, when given); Unreadable (files.py) or
        UnicodeDecodeError when it cannot be read as UTF-8 text."""
        return cls.parse(read_input(path, roots, SOURCE_TEXT_BYTES, "a source text").decode("utf-8-sig"), name)

    @classmethod
    def parse(cls, text: str, name: str) -> SourceText:
        return cls([line.strip() for line in text.splitlines() if line.strip()], name)

    def __len__(self) -> int:
        return len(self.shown)

    def contains(self, number: int, words: str) -> bool:
        return 1 <= number <= len(self) and bool(fold(words)) and fold(words) in self.folded[number - 1]

    def find(self, words: str, any_case: bool = False) -> list[Match]:
        """The first place in each paragraph that holds the words; `any_case`: capitals or not
        (finding a passage: "in 1913" finds "In 1913"), never for checking a quotation."""
        wanted = _lower(fold(words)) if any_case else fold(words)
        found = []
        for index, text in enumerate(self.folded):
            text = _lower(text) if any_case else text
            start = text.find(wanted) if wanted else -1
            if start >= 0:
                found.append(Match(index + 1, start, start + len(wanted)))
        return found

    def context(self, match: Match, width: int = 50) -> str:
        """The words with some of the paragraph around them, cut at spaces, marked … where cut."""
        text = self.shown[match.paragraph - 1]
        left = max(0, match.start - width)
        right = min(len(text), match.end + width)
        if left:
            left = text.find(" ", left, match.start) + 1 or left
        if right < len(text):
            space = text.rfind(" ", match.end, right)
            right = space if space > 0 else right
        return f"{'…' if left else ''}{text[left:right]}{'…' if right < len(text) else ''}"

    def is_body(self, number: int) -> bool:
        """A body paragraph ends like a sentence and is not short; headings, bylines and captions
        are not body paragraphs (see docs/content-schema.md, coverage)."""
        text = self.shown[number - 1]
        if not _SENTENCE_END.search(text):
            return False
        words = len(text.split())
        return words >= BODY_WORDS or (len(text) >= BODY_CHARACTERS and len(text) > 15 * words)

    def closest(self, words: str, among: list[int] | None = None) -> tuple[int, int, float]:
        """(paragraph, start, likeness from 0 to 1) of the passage most like the words, among
        some paragraphs (all by default)."""
        wanted = fold(words)
        best = (0, 0, -1.0)
        for number in among or range(1, len(self) + 1):
            start, share = _align(wanted, self.folded[number - 1])
            if share > best[2]:
                best = (number, start, share)
        return best

    def mismatch(self, words: str, number: int, start: int) -> str:
        """The words above the source passage at `start` of paragraph `number`, and a caret
        under the first character that differs (both lines are cut at the same places)."""
        yours, theirs = collapse(words), self.shown[number - 1][start:]
        same = _common_prefix(yours.translate(_FOLD), theirs.translate(_FOLD))
        end = len(yours)
        while end < min(len(theirs), len(yours) + 15) and theirs[end] != " ":
            end += 1  # to the end of the source's word
        theirs = theirs[:end]
        left = max(0, same - 40) if same > 60 else 0
        right = same + 50

        def cut(text: str) -> str:
            return f"{'…' if left else ''}{text[left:right]}{'…' if len(text) > right else ''}"

        column = len(SOURCE) + same - left + (1 if left else 0)
        ending = " (the paragraph ends here)" if same >= len(theirs) else ""
        return (f"{LABEL}{cut(yours)}\n{SOURCE}{cut(theirs)}\n{' ' * column}^ first difference{ending}")


def _lower(text: str) -> str:
    """Lower case, character for character, so positions in the result are positions in `text`."""
    return "".join(lower if len(lower := character.lower()) == 1 else character for character in text)


def _common_prefix(first: str, second: str) -> int:
    for index, (a, b) in enumerate(zip(first, second)):
        if a != b:
            return index
    return min(len(first), len(second))


def _align(words: str, text: str) -> tuple[int, float]:
    """Where in `text` the folded `words` line up best, and how alike they are there (0 to 1):
    of the offsets at which runs of characters agree, the one where they agree longest from the
    start, then the one with most characters in agreement."""
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, words, text, autojunk=False).get_matching_blocks()
    by_offset: dict[int, int] = {}
    for a, b, size in blocks:
        if size >= 3:
            by_offset[max(0, b - a)] = by_offset.get(max(0, b - a), 0) + size
    if not by_offset:
        return 0, 0.0
    offset = max(by_offset, key=lambda at: (_common_prefix(words, text[at:]), by_offset[at], -at))
    offset += 1 if text[offset:offset + 1] == " " else 0  # a passage starts with a word
    return offset, SequenceMatcher(None, words, text[offset:offset + len(words)], autojunk=False).ratio()
