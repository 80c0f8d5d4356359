"""Import layering: renderers read only the model; the model imports nothing of xlingo; no stage imports the CLI.

A small AST scan of the package: every ``import xlingo...`` / ``from xlingo... import`` (also inside
functions), with relative imports resolved.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "xlingo"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def xlingo_imports(path: Path) -> set[str]:
    """The xlingo modules a file imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "xlingo")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[:len(here) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] == "xlingo":
                out.add(base)
    return out


def modules() -> dict[str, set[str]]:
    return {module_name(p): xlingo_imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_scan_sees_imports() -> None:
    graph = modules()
    assert "xlingo.model" in graph["xlingo.report.sarif"]
    assert "xlingo.cli.app" in graph["xlingo.cli.diff"]


def test_renderers_import_only_the_model() -> None:
    bad = {m: sorted(i for i in imps if i != "xlingo.model" and not i.startswith("xlingo.report"))
           for m, imps in modules().items() if m.startswith("xlingo.report")}
    assert {m: i for m, i in bad.items() if i} == {}


def test_the_model_imports_no_other_xlingo_module() -> None:
    assert modules()["xlingo.model"] == set()


def test_no_stage_imports_the_cli() -> None:
    """(``python -m xlingo`` is the command itself.)"""
    bad = {m: sorted(i for i in imps if i.startswith("xlingo.cli"))
           for m, imps in modules().items() if not m.startswith(("xlingo.cli", "xlingo.__main__"))}
    assert {m: i for m, i in bad.items() if i} == {}


def test_importing_a_renderer_loads_no_stage() -> None:
    import subprocess
    import sys

    code = ("import sys, xlingo.report.sarif, xlingo.report.junit, xlingo.report.github, xlingo.report.html; "
            "print(sorted(m for m in sys.modules if m.startswith(('xlingo.check', 'xlingo.feed', 'feedparser'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PACKAGE.parent).stdout
    assert out.strip() == "[]"
