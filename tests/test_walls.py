"""The architecture walls of DEVELOPERS.md, checked by reading every import of the package
with ``ast`` (imports inside functions included): stages import no other stage, nor the review
store, the pipeline or the CLI; only the CLI and the review UI know typer, rich and textual;
the model (document, offset_map, ledger) imports nothing else of ours; no module but the stages package
reaches into a stage module; no import cycle (imports inside functions count: a cycle hidden in
a function body is still a cycle); no module over 500 lines and no function over 80, but the few
listed below that another branch is still cutting, each with the branch named."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ocr_clean"
UI = ("typer", "rich", "textual")


def _module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(package: Path = PACKAGE) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each module's imports of ours (by module) and its outside top-level packages; every
    import statement counts, at the top of a module or inside a function."""
    root = package.name
    files = {_module_name(p, package): p for p in package.rglob("*.py")}
    ours: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for name, path in files.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        ext: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != root:
                    ext.add(target.split(".")[0])
                    continue
                # "from X import Y": the module X.Y when Y is one, else X itself
                subs = {f"{target}.{a.name}" for a in node.names} & set(files)
                deps |= subs
                if len(subs) < len(node.names):
                    deps.add(target)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == root:
                        deps.add(a.name)
                    else:
                        ext.add(a.name.split(".")[0])
        ours[name] = {d for d in deps if d in files and d != name}
        outside[name] = ext
    return ours, outside


OURS, OUTSIDE = _imports()
STAGES = sorted(m for m in OURS if m.startswith("ocr_clean.stages.") and m != "ocr_clean.stages.base")


def _stage_of(module: str) -> str:
    """The stage a module belongs to: a stage is a module or a package (its parts are one stage)."""
    return ".".join(module.split(".")[:3])


def test_the_reader_finds_the_package():
    assert "ocr_clean.stages.confusion" in STAGES and "ocr_clean.pipeline" in OURS
    assert "ocr_clean.stages.base" in OURS["ocr_clean.stages.confusion.stage"]
    # a stage that is a package: its parts import each other, never another stage
    assert "ocr_clean.stages.footnotes.scanners" in OURS["ocr_clean.stages.footnotes.candidates"]
    assert _stage_of("ocr_clean.stages.footnotes.rules") == "ocr_clean.stages.footnotes"


@pytest.mark.parametrize("stage", STAGES + ["ocr_clean.stages.base"])
def test_a_stage_imports_no_other_stage_nor_the_layers_above(stage):
    above = ("ocr_clean.review", "ocr_clean.pipeline", "ocr_clean.cli", "ocr_clean.batch",
             "ocr_clean.executors", "ocr_clean.config")
    for dep in OURS[stage]:
        assert dep not in STAGES or _stage_of(dep) == _stage_of(stage), f"{stage} imports the stage {dep}"
        assert dep != "ocr_clean" and not dep.startswith(above), f"{stage} imports {dep}"


def test_only_the_cli_and_the_review_ui_know_typer_rich_textual():
    for mod, ext in OUTSIDE.items():
        if mod.startswith("ocr_clean.cli") or mod == "ocr_clean.review.tui" or mod.startswith("ocr_clean.review.tui."):
            continue
        assert not ext & set(UI), f"{mod} imports {sorted(ext & set(UI))}"


def test_the_model_imports_nothing_else_of_ours():
    assert OURS["ocr_clean.ledger"] == set()
    assert OURS["ocr_clean.ledger_batch"] <= {"ocr_clean.ledger"}
    assert OURS["ocr_clean.offset_map"] <= {"ocr_clean.ledger", "ocr_clean.ledger_batch"}
    assert OURS["ocr_clean.document"] <= {"ocr_clean.ledger", "ocr_clean.ledger_batch", "ocr_clean.offset_map"}


def test_only_the_stages_package_reaches_into_a_stage():
    for mod, deps in OURS.items():
        if mod.startswith("ocr_clean.stages"):
            continue
        assert not deps & set(STAGES), f"{mod} imports {sorted(deps & set(STAGES))}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``graph``: Tarjan's strongly connected components of more than one
    module (a module importing itself is not counted: ``_imports`` leaves it out)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_no_import_cycles():
    assert _cycles(OURS) == []


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    # a package whose only cycle goes through an import inside a function body
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import a\n    return a\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    graph, _ = _imports(pkg)
    assert graph["pkg.sub.b"] == {"pkg.a"} and graph["pkg.c"] == {"pkg.a"}
    assert _cycles(graph) == [["pkg.a", "pkg.sub.b"]]
    (pkg / "sub" / "b.py").write_text("def f():\n    return 1\n")
    assert _cycles(_imports(pkg)[0]) == []


# Modules and functions still over the limits, each with the branch cutting it (an entry is
# taken out when its module is cut: a listed one that fits fails, so the list only shrinks).
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
LONG_MODULES: dict[str, str] = {
}
LONG_FUNCTIONS = {
}


def _lengths() -> tuple[dict[str, int], dict[str, int]]:
    """Lines of every module, and of every function (methods and nested ones included) by
    ``path:name`` (the longest of a name, when a module has two)."""
    modules: dict[str, int] = {}
    functions: dict[str, int] = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE.parent).as_posix()
        text = p.read_text(encoding="utf-8")
        modules[rel] = len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key = f"{rel}:{node.name}"
                functions[key] = max(functions.get(key, 0), node.end_lineno - node.lineno + 1)
    return modules, functions


MODULE_LINES, FUNCTION_LINES = _lengths()


def test_no_module_over_500_lines():
    long = {m: n for m, n in MODULE_LINES.items() if n > MAX_MODULE_LINES and m not in LONG_MODULES}
    assert long == {}, "cut these into modules of at most 500 lines"
    fits = [m for m in LONG_MODULES if MODULE_LINES.get(m, 0) <= MAX_MODULE_LINES]
    assert fits == [], "cut (or gone): take these out of LONG_MODULES"


def test_no_function_over_80_lines():
    long = {f: n for f, n in FUNCTION_LINES.items() if n > MAX_FUNCTION_LINES and f not in LONG_FUNCTIONS}
    assert long == {}, "cut these into named steps of at most 80 lines"
    fits = [f for f in LONG_FUNCTIONS if FUNCTION_LINES.get(f, 0) <= MAX_FUNCTION_LINES]
    assert fits == [], "cut (or gone): take these out of LONG_FUNCTIONS"
