"""The package's imports form layers: no module imports one above it, and no circle.

Data flows one way: workbook → validated tables → scenario → instance → model → solver →
solution → analyses → presentation (words, tables, figures, files) → the command line and
the app. Every import is read from the source (function-level ones too), so a cycle cannot
hide inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "optimizer"

# Lowest first. A module may import modules of its own layer or of a layer below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_files", "schema", "precision", "limits", "batch"),
    ("loader",),
    ("template", "sample"),
    ("scenario",),
    ("controls", "session"),  # the app's controls and session: plain Python, no Streamlit
    ("instance",),
    ("model",),
    ("solver",),
    ("relaxation",),
    ("submip",),
    ("blocks",),
    ("strategies",),
    ("matching",),
    ("solution",),
    ("diagnosis",),
    ("pipeline",),
    ("baseline", "tradeoffs", "background", "limit_values", "conclusions"),
    ("present", "present.labels"),
    ("present.explain",),
    # What turns results into files, words, tables, figures, a map and comparisons; views
    # gathers the last five for the app and a notebook, console prints them.
    ("present.export", "present.formats", "present.figures", "present.tables"),
    ("present.maps", "present.compare"),
    ("present.views", "present.console"),
    ("cli", "ui"),
    ("ui.sidebar", "ui.tabs"),
    ("__init__", "__main__"),
)
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """The package's modules this file imports (relative or absolute), by name."""
    name = module_name(path)
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    if name == "__init__":
        package = []
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "optimizer":
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                # `from . import views` names a module; `from .x import f` names x.
                candidate = ".".join([*target, alias.name])
                found.add(candidate if candidate in LEVEL else ".".join(target) or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "optimizer":
                    found.add(".".join(alias.name.split(".")[1:]) or "__init__")
    found.discard(name)
    return found


MODULES = {module_name(p): imported(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer() -> None:
    assert sorted(set(MODULES) - set(LEVEL)) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_one_above_it(name: str) -> None:
    above = sorted(m for m in MODULES[name] if LEVEL.get(m, -1) > LEVEL[name])
    assert above == [], f"optimizer.{name} imports {above}, above it"


def test_the_imports_have_no_cycle() -> None:
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> None:
        if name in path:
            cycle = path[path.index(name) :] + [name]
            raise AssertionError("import cycle: " + " → ".join(cycle))
        if name in done:
            return
        path.append(name)
        for other in sorted(MODULES.get(name, ())):
            visit(other)
        path.pop()
        done.add(name)

    for name in sorted(MODULES):
        visit(name)


def test_the_domain_has_no_words_and_no_app() -> None:
    """Below the presentation layer no module imports it or the app's package."""
    top = LEVEL["present"]
    for name, imports in MODULES.items():
        if LEVEL[name] < top:
            assert not {m for m in imports if m.startswith(("present", "ui"))}, name


def test_the_app_package_is_streamlit_code_only() -> None:
    """optimizer.ui holds what draws with Streamlit; plain Python (the controls, the session)
    lives below it, where a notebook or a test takes it without the app."""
    for path in sorted((PACKAGE / "ui").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and not node.level
        }
        assert "streamlit" in names, f"optimizer/ui/{path.name} does not use Streamlit"
