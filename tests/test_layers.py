"""core/, storage/, net/, pdf/ and services/ never import Qt or the Qt layers, and gui/, qt/ and
the CLI's commands/ reach the library only through services/, never storage/ (architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "readerapp"
QT_FREE = ("core", "storage", "net", "pdf", "services", "commands")
BEHIND_SERVICES = ("gui", "qt", "commands")  # the GUI and the CLI: every read and write through a service
FORBIDDEN = ("PySide6", "shiboken6", "readerapp.qt", "readerapp.gui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)  # and what it names: `from readerapp import storage`
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def _imports_in(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    """Every import in ``layer`` of a module named by (or below) one of ``forbidden``."""
    return [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in _imports(path)
        if name in forbidden or name.startswith(tuple(f"{f}." for f in forbidden))
    ]


@pytest.mark.parametrize("layer", QT_FREE)
def test_layer_never_imports_qt(layer: str) -> None:
    assert _imports_in(layer, FORBIDDEN) == []


@pytest.mark.parametrize("layer", BEHIND_SERVICES)
def test_layer_never_imports_storage(layer: str) -> None:
    assert _imports_in(layer, ("readerapp.storage",)) == []


@pytest.mark.parametrize("layer", BEHIND_SERVICES)
def test_layer_never_reaches_behind_a_service(layer: str) -> None:
    """``Services.repository`` and ``FeedService.store`` are for services/ only."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.attr}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in ("repository", "store")
    ]
    assert offenders == []


def test_the_walk_would_see_a_storage_import(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("if True:\n    from readerapp.storage.library import ALL_ITEMS\n")
    assert "readerapp.storage.library" in _imports(sample)
    sample.write_text("from readerapp import storage\n")
    assert "readerapp.storage" in _imports(sample)


def test_the_walk_would_see_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from PySide6.QtCore import QTimer\n")
    assert any(n.startswith(FORBIDDEN) for n in _imports(sample))


def _window_attribute_writes(path: Path) -> list[str]:
    """``window.x = ...`` (or ``self.window.x``, ``self.main.x``) outside the window's own module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if not isinstance(target, ast.Attribute):
                continue
            owner = target.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if name in ("window", "main"):
                found.append(f"{path.name}:{node.lineno} sets {name}.{target.attr}")
    return found


def test_feature_modules_attach_nothing_to_the_window() -> None:
    """The window declares every feature it holds; a feature module only uses them."""
    offenders = [
        hit
        for path in sorted((PACKAGE / "gui").rglob("*.py"))
        if path.name != "main_window.py"
        for hit in _window_attribute_writes(path)
    ]
    assert offenders == []


def test_the_walk_would_see_an_attribute_set_on_the_window(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("def f(window):\n    window.shortcuts_dialog = None\n")
    assert _window_attribute_writes(sample) == ["m.py:2 sets window.shortcuts_dialog"]


def test_feature_modules_take_the_window_by_its_type() -> None:
    """Each ``install_*`` feature module names the window's type, so the type checker sees every
    use it makes of the window (a misspelt menu or action is an error, not a crash at launch)."""
    untyped = [
        f"{path.relative_to(PACKAGE)}: {node.name}({arg.arg})"
        for path in sorted((PACKAGE / "gui").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("install_")
        for arg in node.args.args + node.args.kwonlyargs
        if arg.arg != "self" and arg.annotation is None
    ]
    assert untyped == []
