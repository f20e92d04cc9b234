"""The complete page-markup vocabulary: the registry with every element's builder loaded.

Import markup from here: markup.py holds the registry, elements.py and data_elements.py fill it.
"""
from __future__ import annotations

from . import data_elements, elements
from .elements import ColumnFlow
from .markup import TAGS, DocumentMarkup, PageDecor, build_story, inline, parse, reference, spoken

__all__ = ["TAGS", "ColumnFlow", "DocumentMarkup", "PageDecor", "build_story", "data_elements", "elements", "inline",
           "parse", "reference", "spoken"]
