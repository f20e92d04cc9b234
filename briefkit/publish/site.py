"""The overview page, index.html in the output folder: every output at a glance, with page
thumbnails, checks and links.

One static page with its style inline: no network, no JavaScript. Outputs are grouped by content
set and audience, then by meeting; a failed check is shown in red at the top of its card.
"""
from __future__ import annotations

import html
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..paths import Project
from .previews import preview_paths, wanted

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1a1a1a;margin:0;background:#f4f6f8}
header{background:#1f4e79;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;opacity:.85}main{padding:8px 32px 40px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #1f4e79;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 8px;color:#1f4e79}
.grid{display:flex;flex-wrap:wrap;gap:14px}
.card{background:#fff;border:1px solid #d5dbe1;border-radius:6px;padding:12px;width:360px}
.card.failed{border:2px solid #b00020}
.card h4{margin:0 0 4px;font-size:14px}.card h4 a{color:#1a1a1a}
.meta{font-size:12.5px;color:#5a5f66;margin:0 0 8px}
.pages{display:flex;gap:6px;flex-wrap:wrap}.pages img{width:80px;border:1px solid #c9d1d9;background:#fff}
.checks{font-size:12px;margin:8px 0 0;color:#2e6b3a}.checks.bad{color:#b00020;font-weight:600}
.kind{display:inline-block;font-size:11px;text-transform:uppercase;letter-spacing:.04em;background:#e9eff5;
color:#1f4e79;border-radius:3px;padding:1px 6px;margin-right:6px}
"""


def _human(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _card(project: Project, entry: dict[str, Any]) -> str:
    path = entry["path"]
    href = html.escape(os.path.relpath(path, project.out))
    failed = [c for c in entry.get("checks", []) if not c["ok"]]
    size = project.file(path).stat().st_size if project.file(path).is_file() else 0
    title = html.escape(entry.get("title") or Path(path).name)
    pages = ""
    if wanted(entry):
        images = []
        for number, preview in enumerate(preview_paths(project, path, entry["pages"]), start=1):
            thumb = html.escape(os.path.relpath(preview["thumb"], project.out))
            large = html.escape(os.path.relpath(preview["page"], project.out))
            images.append(f'<a href="{large}"><img src="{thumb}" alt="page {number} of {title}"></a>')
        pages = f'<div class="pages">{"".join(images)}</div>'
    paper = " ".join(filter(None, [entry.get("paper"), entry.get("orientation")]))
    facts = [f'{entry["pages"]} page{"s" if entry["pages"] != 1 else ""}' if entry.get("pages") else "",
             paper, _human(size)]
    if entry.get("recipient"):
        facts.insert(0, f'copy {entry.get("copy")}: {html.escape(entry["recipient"])}')
    if failed:
        checks = '<p class="checks bad">FAILED: ' + "; ".join(
            html.escape(f'{c["name"]}: {c["detail"]}') for c in failed) + "</p>"
    elif entry.get("checks"):
        checks = f'<p class="checks">all {len(entry["checks"])} checks passed</p>'
    else:
        checks = ""
    return (f'<div class="card{" failed" if failed else ""}"><h4><span class="kind">{html.escape(entry["kind"])}'
            f'</span><a href="{href}">{title}</a></h4><p class="meta">{" · ".join(f for f in facts if f)}</p>'
            f"{pages}{checks}</div>")


def write_index(project: Project, manifest: dict[str, Any]) -> Path:
    documents: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    meetings: dict[str, list[dict]] = defaultdict(list)
    for entry in manifest["outputs"]:
        if entry.get("meeting"):
            meetings[entry["meeting"]].append(entry)
        else:
            documents[entry["content_set"]][entry["audience"]].append(entry)
    failed = sum(1 for e in manifest["outputs"] for c in e.get("checks", []) if not c["ok"])
    parts = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Briefings</title>"
             f"<meta name=\"viewport\" content=\"width=device-width\"><style>{STYLE}</style></head><body>",
             f"<header><h1>Briefings</h1><p>{len(manifest['outputs'])} outputs · "
             f"{'all checks passed' if not failed else f'{failed} failed checks'} · click a title for the PDF, "
             f"a page for a larger picture</p></header><main>"]
    for content_set in sorted(documents):
        parts.append(f"<h2>Content set: {html.escape(content_set)}</h2>")
        for audience in sorted(documents[content_set]):
            entries = sorted(documents[content_set][audience], key=lambda e: e["kind"])
            parts.append(f"<h3>Audience: {html.escape(audience)}</h3><div class=\"grid\">")
            parts += [_card(project, entry) for entry in entries]
            parts.append("</div>")
    for meeting in sorted(meetings):
        entries = sorted(meetings[meeting], key=lambda e: (e["kind"] == "copy", e.get("copy", 0), e["path"]))
        parts.append(f"<h2>Meeting: {html.escape(meeting)}</h2><div class=\"grid\">")
        parts += [_card(project, entry) for entry in entries]
        parts.append("</div>")
    parts.append("</main></body></html>\n")
    target = project.index
    temporary = target.with_name("index.html.tmp")
    temporary.write_text("".join(parts), encoding="utf-8")
    os.replace(temporary, target)
    return target
