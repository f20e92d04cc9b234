"""The shape of the code: layers whose imports point down, no import cycle, small modules, and a
module table in docs/architecture.md that says what each module is for, in its own words.

`python tests/test_architecture.py` rewrites the table in docs/architecture.md from the modules'
docstrings.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "briefkit"
DOC = REPO / "docs" / "architecture.md"
MOST_LINES = 410

# Each layer may import from the layers below it, never above; within a layer, from itself.
LAYERS = [
    {"briefkit", "briefkit.errors", "briefkit.paths", "briefkit.locales", "briefkit.progress", "briefkit.crash",
     "briefkit.environment", "briefkit.reads"},
    {"briefkit.inputs"},
    {"briefkit.render"},
    {"briefkit.publish"},
    {"briefkit.meetings"},
    {"briefkit.build"},
    {"briefkit.commands"},
    {"briefkit.cli"},
    {"briefkit.__main__"},
]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """The briefkit modules `name` imports, anywhere in it (functions and TYPE_CHECKING blocks too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    known = modules()
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names if alias.name.startswith("briefkit"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("briefkit"):
                continue
            for alias in node.names:  # `from . import x` may name a module
                candidate = f"{module}.{alias.name}"
                targets.add(candidate if candidate in known else module)
    return {target for target in targets if target in known and target != name}


def layer(module: str) -> int:
    for index, members in enumerate(LAYERS):
        if any(module == member or module.startswith(member + ".") for member in members if member != "briefkit"):
            return index
    if module == "briefkit":
        return 0
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def graph() -> dict[str, set[str]]:
    return {name: imports(name, path) for name, path in modules().items()}


def test_imports_point_down_the_layers():
    upward = [f"{name} imports {target}" for name, targets in graph().items() for target in sorted(targets)
              if layer(target) > layer(name)]
    assert not upward, "\n".join(upward)


def test_there_is_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[str] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append(" → ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(cycles)


def test_the_layers_test_sees_imports():
    """The graph is not empty by accident: known edges are found, relative and lazy ones too."""
    edges = graph()
    assert "briefkit.render.vocabulary" in edges["briefkit.render.layout"]
    assert "briefkit.meetings.assemble" in edges["briefkit.build.schedule"]  # imported inside a function
    assert "briefkit.errors" in edges["briefkit.inputs.schema"]


def test_no_module_is_long():
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > MOST_LINES}
    assert not long, f"split these modules (over {MOST_LINES} lines): {long}"


def test_every_module_says_what_it_is_for():
    missing = [name for name, path in modules().items() if not ast.get_docstring(ast.parse(path.read_text()))]
    assert not missing, missing


def module_table() -> str:
    """The module table: each module with the first sentence of its docstring."""
    lines = ["| module | what it is for |", "|---|---|"]
    for name, path in modules().items():
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = " ".join(docstring.split("\n\n")[0].split())
        shown = name.removeprefix("briefkit.").replace(".", "/") if name != "briefkit" else "briefkit"
        suffix = "/" if path.name == "__init__.py" and name != "briefkit" else ".py" if name != "briefkit" else ""
        lines.append(f"| `{shown}{suffix}` | {first.replace('|', chr(92) + '|')} |")
    return "\n".join(lines)


BEGIN, END = "<!-- module table: generated by tests/test_architecture.py -->", "<!-- end of module table -->"


def test_docs_architecture_lists_every_module_as_its_docstring_says():
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"docs/architecture.md needs the markers {BEGIN} … {END}"
    current = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert current == module_table(), "run: python tests/test_architecture.py (rewrites the table)"


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{BEGIN}\n{module_table()}\n{END}{tail}", encoding="utf-8")
    print(f"rewrote the module table in {DOC.relative_to(REPO)}", file=sys.stderr)
