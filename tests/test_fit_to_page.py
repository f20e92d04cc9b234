"""Fit to page: one page always, smaller type when needed, a clear error when hopeless."""
from __future__ import annotations

import json
import re

from pypdf import PdfReader

from conftest import MANIFEST, PDF, SET, edit, pdf_text, type_scale

SUMMARY = f"content/{SET}/summary.yaml"
ARGUMENTS = f"content/{SET}/arguments.yaml"


def test_shipped_brief_is_exactly_one_page(built):
    assert len(PdfReader(str(built / PDF)).pages) == 1
    [entry] = [e for e in json.loads((built / MANIFEST).read_text())["outputs"] if e["kind"] == "brief"]
    assert entry["pages"] == 1


def test_longer_content_still_fits_one_page_with_smaller_type(project, cli):
    # make room first (two featured argument groups instead of three) to have a baseline with slack
    edit(project, SUMMARY, "brief_sections: [shared-objectives, cannot-be-normal, three-fears]",
         "brief_sections: [shared-objectives, three-fears]")
    first = cli(project, "--kind", "brief")
    assert first.code == 0, first.output
    baseline = type_scale(first.out) or 100
    # then lengthen every key judgment by about twenty words
    extra = "This sentence was added for the test, to make every key judgment about twenty words longer than it was. "
    edit(project, SUMMARY, '    text: "', f'    text: "{extra}', count=4)
    second = cli(project, "--kind", "brief")
    assert second.code == 0, second.output
    longer = type_scale(second.out)
    assert longer is not None, second.out
    assert longer < baseline, (baseline, second.out)
    assert re.search(r"built \S+\s+1 page,", second.out), second.out
    assert len(PdfReader(str(project / PDF)).pages) == 1
    assert "make every key judgment about twenty words longer" in pdf_text(project / PDF)


def _six_times_longer_points(project) -> None:
    path = project / ARGUMENTS
    text = path.read_text(encoding="utf-8")
    longer, count = re.subn(r'^(        text: )"(.*)"$', lambda m: f'{m[1]}"{" ".join([m[2]] * 6)}"', text, flags=re.M)
    assert count > 20
    path.write_text(longer, encoding="utf-8")


def test_far_too_long_content_fails_with_how_much_to_cut(project, cli):
    _six_times_longer_points(project)
    result = cli(project, "--kind", "brief")
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert f"{SET}/analysts/brief" in result.err or PDF in result.err, result.err  # names the document
    assert re.search(r"about \d+ lines .* run past page 1", result.err), result.err
    assert re.search(r"\d+ words", result.err), result.err
    assert not list(project.glob("briefings/**/*.pdf"))


def test_the_scale_found_does_not_depend_on_where_the_search_starts(monkeypatch):
    """A hint from the last build (near or far, right or wrong) only changes how fast the scale is
    found: the PDF is byte for byte the one a build without a hint writes."""
    from pathlib import Path

    from briefkit.render.layout import STEP, fit_to_pages
    from briefkit.render.styles import theme_for
    from conftest import jobs, markup

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = Path(__file__).resolve().parents[1]
    [job] = jobs(root, ["principal"], ["brief"])  # at 94%: room for hints on either side
    document, expected = markup(root, job)

    def fit(hint):  # type: ignore[no-untyped-def]
        return fit_to_pages(document, expected.setup, theme_for(job), job.max_pages, job.label, hint)

    cold = fit(None)
    assert cold.scale < 1 and cold.pages == 1
    for steps_away in (-4, -3, -1, 0, 1, 2, 3, 4):
        warm = fit(round(cold.scale + steps_away * STEP, 6))
        assert (warm.scale, warm.pdf) == (cold.scale, cold.pdf), steps_away


def test_a_layout_only_placed_has_the_pages_of_a_drawn_one_and_cannot_be_written():
    """The fit-to-page search places, without drawing, the layouts it expects not to keep: that
    must not move a line, in briefs, fact sheets or timelines (tables, charts, balanced columns)."""
    from pathlib import Path

    import pytest

    from briefkit.render.layout import lay_out
    from briefkit.render.styles import theme_for
    from conftest import jobs, markup

    root = Path(__file__).resolve().parents[1]
    for job in jobs(root, ["analysts"], ["brief", "factsheet", "timeline"]):
        document, expected = markup(root, job)
        for scale in (1.0, 0.91, 0.895):
            for stop_after in (None, job.max_pages):
                drawn, placed = (lay_out(document, expected.setup, theme_for(job), scale, stop_after, draw=draw)
                                 for draw in (True, False))
                assert (placed.pages, placed.complete, placed.used, placed.doc.headings) == \
                       (drawn.pages, drawn.complete, drawn.used, drawn.doc.headings), (job.label, scale, stop_after)
                if placed.complete:
                    with pytest.raises(ValueError):
                        placed.rendered()


def test_from_its_last_scale_a_document_costs_one_drawn_layout_and_one_placed(monkeypatch):
    """The layout kept is drawn; the next size up, which must not fit, is only placed. A document
    that fits at full size, started there (a meeting's cover and register), is not measured: every
    layout it costs is drawn (the first, and any that end its last page's columns level)."""
    from pathlib import Path

    from briefkit.render import layout
    from briefkit.render.styles import theme_for
    from conftest import jobs, markup

    root = Path(__file__).resolve().parents[1]
    [job] = jobs(root, ["principal"], ["brief"])
    document, expected = markup(root, job)
    made: list[bool] = []
    lay_out = layout.lay_out
    monkeypatch.setattr(layout, "lay_out", lambda *a, **k: made.append(k.get("draw", True)) or lay_out(*a, **k))

    def fit(hint, pages=job.max_pages):  # type: ignore[no-untyped-def]
        return layout.fit_to_pages(document, expected.setup, theme_for(job), pages, job.label, hint)

    scale = fit(None).scale
    assert scale < 1
    made.clear()
    assert fit(scale).scale == scale and made == [True, False]
    made.clear()
    assert fit(1.0, pages=job.max_pages + 4).scale == 1.0 and made and all(made)
