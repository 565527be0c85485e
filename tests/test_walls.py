"""The architecture walls of DEVELOPERS.md, checked by reading every import of the package
with ``ast`` (imports inside functions included): stages import no other stage, nor the review
store, the pipeline or the CLI; only the CLI and the review UI know typer, rich and textual;
the model (document, ledger) imports nothing else of ours; no module but the stages package
reaches into a stage module; no import cycle."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ocr_clean"
UI = ("typer", "rich", "textual")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each module's imports of ours (by module) and its outside top-level packages."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    ours: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        ext: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != "ocr_clean":
                    ext.add(target.split(".")[0])
                    continue
                # "from X import Y": the module X.Y when Y is one, else X itself
                subs = {f"{target}.{a.name}" for a in node.names} & set(files)
                deps |= subs
                if len(subs) < len(node.names):
                    deps.add(target)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "ocr_clean":
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
    assert "ocr_clean.stages.base" in OURS["ocr_clean.stages.confusion"]
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
        if mod.startswith("ocr_clean.cli") or mod == "ocr_clean.review.tui":
            continue
        assert not ext & set(UI), f"{mod} imports {sorted(ext & set(UI))}"


def test_the_model_imports_nothing_else_of_ours():
    assert OURS["ocr_clean.ledger"] == set()
    assert OURS["ocr_clean.document"] <= {"ocr_clean.ledger"}


def test_only_the_stages_package_reaches_into_a_stage():
    for mod, deps in OURS.items():
        if mod.startswith("ocr_clean.stages"):
            continue
        assert not deps & set(STAGES), f"{mod} imports {sorted(deps & set(STAGES))}"


def test_no_import_cycles():
    # Tarjan's strongly connected components: any of more than one module is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in OURS[v]:
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

    for v in sorted(OURS):
        if v not in index:
            visit(v)
    assert cycles == []
