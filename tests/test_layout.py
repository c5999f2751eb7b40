"""The package is laid out as the pipeline it runs (docs/architecture.md): imports point down the
pipeline only, no module imports itself through a cycle, and no module grows past what one person
reads in a sitting."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "protestwatch"

# Lower ranks come earlier in the pipeline; a module may import its own rank or lower ones only.
RANKS = {
    "__init__": 0, "cache": 0, "errors": 0, "records": 0, "schema": 0, "lang": 0,
    "ingest": 1, "nlp": 2, "learn": 3, "coder": 4, "gate": 5, "extract": 6, "store": 7, "link": 8,
    "export": 9, "run": 10, "eval": 11, "review": 12, "train": 13, "cli": 14, "__main__": 14,
}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(("protestwatch", *parts))] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """protestwatch modules imported anywhere in the file (at the top or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for name in names:
            while name and name not in modules:  # `from a.b import c`: c may be a function of a.b
                name = name.rpartition(".")[0]
            if name.startswith("protestwatch"):
                found.add(name)
    return found


def _rank(module: str) -> int:
    parts = module.split(".")
    return RANKS[parts[1] if len(parts) > 1 else "__init__"]


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def test_every_top_level_part_has_a_rank():
    assert {m.split(".")[1] if "." in m else "__init__" for m in _modules()} <= set(RANKS)


def _upward(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{module} imports {target}" for module, targets in graph.items() for target in targets
                  if target != "protestwatch" and _rank(target) > _rank(module))


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(module, path):
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_imports_point_down_the_pipeline_only():
    assert _upward(_graph()) == []


def test_the_store_imports_nothing_from_linking_or_learning():
    for module, targets in _graph().items():
        if module.startswith("protestwatch.store"):
            assert not {t for t in targets if t.startswith(("protestwatch.link", "protestwatch.learn"))}, module


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_checks_catch_what_they_are_for(tmp_path):
    # a made-up store module that imports the linking stage, and two extract modules importing each other
    fake = tmp_path / "fake.py"
    fake.write_text("from protestwatch.link.merge import merge_block\n\ndef f():\n    import protestwatch.gate.cues\n")
    imported = _imports(fake, _modules())
    assert imported == {"protestwatch.link.merge", "protestwatch.gate.cues"}
    assert _upward({"protestwatch.store.fake": imported}) == [
        "protestwatch.store.fake imports protestwatch.link.merge"]
    assert _cycles({"protestwatch.extract.a": {"protestwatch.extract.b"},
                    "protestwatch.extract.b": {"protestwatch.extract.a"}}) == [
        "protestwatch.extract.a -> protestwatch.extract.b -> protestwatch.extract.a"]


def test_no_module_is_longer_than_one_sitting():
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) >= MAX_LINES}
    assert long == {}
