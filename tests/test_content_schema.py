"""docs/content-schema.md keeps the content schema's key tables, generated from
briefkit/inputs/model.py, in step with it; every content key a shipped template reads is among them.

`python tests/test_content_schema.py` rewrites the tables in docs/content-schema.md.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DOC = REPO / "docs" / "content-schema.md"

from briefkit.build.reference import content_reference, content_table  # noqa: E402
from briefkit.inputs.model import CONTENT_FILES  # noqa: E402


def _begin(stem: str) -> str:
    return f"<!-- keys of {stem}.yaml: generated from briefkit/inputs/model.py by python tests/test_content_schema.py -->"


END = "<!-- end of keys -->"


def _region(stem: str) -> re.Pattern[str]:
    return re.compile(re.escape(_begin(stem)) + r"\n(.*?)\n" + re.escape(END), re.DOTALL)


def rewrite(text: str) -> str:
    """The document with each file's table replaced by the generated one."""
    for stem in CONTENT_FILES:
        text = _region(stem).sub(lambda _: f"{_begin(stem)}\n{content_table(stem)}\n{END}", text, count=1)
    return text


def test_docs_hold_the_generated_table_of_every_content_file():
    text = DOC.read_text(encoding="utf-8")
    for stem in CONTENT_FILES:
        found = _region(stem).search(text)
        assert found, f"docs/content-schema.md has no generated table for {stem}.yaml"
        assert found[1] == content_table(stem), "run: python tests/test_content_schema.py (rewrites the tables)"


def test_explain_content_keys_prints_the_tables(project, cli):
    result = cli(project, "explain", "--content-keys")
    assert result.code == 0, result.output
    assert result.out.strip() == content_reference()
    for stem in CONTENT_FILES:
        assert f"## {stem}.yaml" in result.out


def _documented() -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for stem in CONTENT_FILES:
        keys[stem] = {row.split("`")[1] for row in content_table(stem).splitlines()[2:]}
    return keys


def _is_documented(path: str, documented: dict[str, set[str]]) -> bool:
    """summary.key_judgments[].lead is documented as key_judgments[].lead of summary.yaml; a
    value's own parts (timeline.events[].date.start) belong to the key that holds the value."""
    stem, _, rest = path.partition(".")
    keys = documented.get(stem, set())
    return not rest or any(rest == key or rest.startswith(key + ".") for key in keys)


class _Recorded(dict):
    """Localized content that notes the key path of every value a template reads."""

    def __init__(self, data: dict, path: str, seen: set[str]) -> None:
        super().__init__(data)
        self.path, self.seen = path, seen
        self.read: set[str] = set()

    def __getitem__(self, key: Any) -> Any:
        path = f"{self.path}.{key}" if self.path else key
        self.seen.add(path)
        return _wrap(super().__getitem__(key), path, self.seen)

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if key in self else default


class _RecordedList(list):
    def __init__(self, data: list, path: str, seen: set[str]) -> None:
        super().__init__(data)
        self.path, self.seen = path, seen

    def __getitem__(self, index: Any) -> Any:
        value = super().__getitem__(index)
        if isinstance(index, slice):
            return _RecordedList(value, self.path, self.seen)
        return _wrap(value, f"{self.path}[]", self.seen)

    def __iter__(self) -> Iterator[Any]:
        return (_wrap(item, f"{self.path}[]", self.seen) for item in super().__iter__())


def _wrap(value: Any, path: str, seen: set[str]) -> Any:
    if isinstance(value, dict):
        return _Recorded(value, path, seen)
    if isinstance(value, list):
        return _RecordedList(value, path, seen)
    return value


def test_every_content_key_a_shipped_template_reads_is_documented(full_project, monkeypatch):
    """Every document of every shipped audience is made (as page markup) with content that notes
    what the templates read; and every `content.…` chain written in any shipped template."""
    import briefkit.render.document as document
    from briefkit.build.session import BuildSession
    from briefkit.paths import Project
    from conftest import jobs

    seen: set[str] = set()
    original = document.template_context

    def recording(*args: Any, **kwargs: Any) -> dict[str, Any]:
        context = original(*args, **kwargs)
        reads = context["content"]
        recorded = _Recorded(dict(reads), "", seen)
        recorded.read = reads.read  # what the key of a document covers, noted as before
        context["content"] = context["selection"].content = recorded  # what the brief's choices read too
        return context

    monkeypatch.setattr(document, "template_context", recording)
    session = BuildSession(Project.at(full_project))
    for job in jobs(full_project):
        session.markup(job)
    for template in (REPO / "templates").rglob("*.j2"):
        seen.update(re.findall(r"\bcontent\.([a-z_]+(?:\.[a-z_]+)*)", template.read_text(encoding="utf-8")))
    documented = _documented()
    assert {"implications.talking_points", "summary.key_terms", "timeline.events[].date.start"} <= seen, sorted(seen)
    undocumented = sorted(path for path in seen if not _is_documented(path, documented))
    assert not undocumented, undocumented


if __name__ == "__main__":
    DOC.write_text(rewrite(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the key tables in {DOC.relative_to(REPO)}")
