"""No error is dropped without a trace: ``except Exception: pass`` hides bugs from the log."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "readerapp"


def _swallowing_handlers(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ExceptHandler) or node.type is None:
            continue
        caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
        broad = {ast.unparse(c) for c in caught} & {"Exception", "BaseException"}
        if broad and len(node.body) == 1 and isinstance(node.body[0], ast.Pass):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_a_swallowed_exception() -> None:
    source = "try:\n    f()\nexcept (OSError, Exception):\n    pass\n"
    assert _swallowing_handlers(source) == [3]


def test_no_module_swallows_every_exception_silently() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in _swallowing_handlers(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "log the error (log.exception / exc_info=True) instead of passing"
