"""Imports run one way: surfaces → records → advisor → answer → retrieval → index/ingest → policy_core.

Every module of the project is parsed (not imported) and each import it makes,
at module level or inside a function, is checked against the layer table
below: a module may import its own layer or lower ones, never a higher one.
A new module must be given a layer here, so the table stays the map.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from policy_core.settings import PROJECT_ROOT

# Lowest first. A module belongs to the layer of its longest matching prefix.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("text and settings", ("policy_core",)),
    ("index and ingest", ("ingest",)),
    ("retrieval", ("app.retrieval",)),
    ("answer", ("app.answer", "app.schemas", "app.matching")),
    ("advisor", ("app.advisor", "app.conversation")),
    ("records", ("app.records",)),  # the question log and ratings: written by the surfaces, read by maintainers
    ("surfaces", ("app.cli", "app.server", "app.api", "app.web", "eval", "bench")),
]
PACKAGES = ("policy_core", "ingest", "app", "eval", "bench")
ROOTS = ("policy_core", "ingest", "app", "eval")  # first names that are the project's own


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for level, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), level)
    return None if best is None else best[1]


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import of the project's own modules."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.append((node.lineno, base))
            names.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return [(line, name) for line, name in names if name.split(".")[0] in ROOTS]


MODULES = _modules()


def test_every_module_has_a_layer():
    """Only a package root that imports nothing (`app/__init__.py`, a docstring) may go without one."""
    assert [m for m, path in MODULES.items() if _layer(m) is None and _imports(m, path)] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str):
    own = _layer(module)
    if own is None:
        return  # a package root without imports (see above)
    upward = []
    for line, name in _imports(module, MODULES[module]):
        target = _layer(name)
        if target is not None and target > own:
            upward.append(f"{MODULES[module].name}:{line} imports {name} ({LAYERS[target][0]} is above {LAYERS[own][0]})")
    assert upward == []


def test_the_layers_mean_what_they_say():
    """The checker itself: an upward import is caught, a downward one is not."""
    assert _layer("ingest.pipeline") < _layer("app.retrieval.policy_index") < _layer("app.answer.citations")
    assert _layer("app.answer.citations") < _layer("app.advisor") < _layer("app.api.routes.chat")
    assert _layer("policy_core.tokenizer") == 0 and _layer("app") is None


def test_ingest_and_policy_core_never_import_app():
    for module, path in MODULES.items():
        if module.startswith(("ingest", "policy_core")):
            assert [n for _, n in _imports(module, path) if n.split(".")[0] == "app"] == [], module
        if module.startswith("policy_core"):
            assert [n for _, n in _imports(module, path) if n.split(".")[0] in ("ingest", "eval")] == [], module
