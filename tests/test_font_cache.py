"""TrueType files parsed once per machine: a font from the cache is the font ReportLab parses,
and a cache file that is not exactly what was written is never loaded."""
from __future__ import annotations

import hashlib

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from briefkit.render.font_cache import load_font
from briefkit.render.fonts import LATIN, font_path


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("BRIEFKIT_FONT_CACHE", raising=False)
    return tmp_path / "briefkit" / "fonts"


def _a_font():  # type: ignore[no-untyped-def]
    family = LATIN.families[0]
    return font_path(family, family.files["regular"])


def _same(parsed: TTFont, cached: TTFont) -> None:
    assert set(parsed.__dict__) == set(cached.__dict__) and set(parsed.face.__dict__) == set(cached.face.__dict__)
    for key, value in parsed.face.__dict__.items():
        if key != "_pdfScale":
            assert cached.face.__dict__[key] == value and type(cached.face.__dict__[key]) is type(value), key
    assert cached.face._pdfScale(500) == parsed.face._pdfScale(500) and cached.shapable == parsed.shapable


def test_a_cached_font_is_the_parsed_font_and_is_not_parsed_again(cache, monkeypatch):
    path = _a_font()
    first = load_font("Cached-Test", path)
    [entry] = cache.iterdir()
    assert entry.name.startswith(hashlib.sha256(path.read_bytes()).hexdigest())

    def no_parsing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again")

    monkeypatch.setattr(TTFontFace, "__init__", no_parsing)
    second = load_font("Cached-Test", path)
    monkeypatch.undo()
    _same(TTFont("Cached-Test", str(path)), second)
    _same(first, second)
    assert second.stringWidth("Briefing ©", 10) == first.stringWidth("Briefing ©", 10)


@pytest.mark.parametrize("damage", [lambda b: b[:len(b) // 2], lambda b: b[:40] + b"x" + b[41:], lambda b: b"junk"])
def test_a_damaged_cache_file_is_ignored_and_written_again(cache, damage):
    path = _a_font()
    load_font("Cached-Test", path)
    [entry] = cache.iterdir()
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    _same(TTFont("Cached-Test", str(path)), load_font("Cached-Test", path))
    assert entry.read_bytes() == good


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("BRIEFKIT_FONT_CACHE", "off")
    load_font("Cached-Test", _a_font())
    assert not cache.exists()
