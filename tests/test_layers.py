"""The layers of data_access, checked from the import graph (ast over the files, nothing imported).

An import never runs back up: domain ← db ← auth ← queries ← analytics ← views, ingest, registry
← documents ← schema, seed, cli. Modules of one layer may import each other as long as there is no cycle;
data_access never imports Streamlit, the app (ui, pages) or the developer tooling (devtools)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "data_access"

# Dotted prefix → rank; the longest matching prefix wins. Migrations are Alembic's scripts,
# run by the engine layer's own tooling, and keep to the db layer like the models they mirror.
LAYERS: dict[str, int] = {
    "data_access.domain": 0,
    "data_access.db": 1,
    "data_access.auth": 2,
    "data_access.queries": 3,
    "data_access.analytics": 4,
    "data_access.views": 5,
    "data_access.ingest": 5,
    "data_access.registry": 5,
    "data_access.reporting": 5,
    "data_access.documents": 6,
    "data_access": 7,
}
LAYER_NAMES = {
    0: "domain",
    1: "db",
    2: "auth",
    3: "queries",
    4: "analytics",
    5: "service",
    6: "documents",
    7: "top",
}
FORBIDDEN = ("streamlit", "devtools", "ui", "pages", "app", "scripts", "tests")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path, package: str = PACKAGE) -> dict[str, set[str]]:
    """Every module of `package` under `root` → the modules it imports (any depth in the file)."""
    files = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    targets.add(candidate if candidate in files else base)
        graph[name] = targets
    return graph


def rank(module: str) -> int | None:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    return None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            own, other = rank(module), rank(target)
            if own is not None and other is not None and other > own:
                found.append(
                    f"{module} ({LAYER_NAMES[own]}) imports {target} ({LAYER_NAMES[other]})"
                )
    return found


def forbidden_imports(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} imports {target}"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if target.split(".")[0] in FORBIDDEN
    ]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module, or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT)


def test_every_module_has_a_layer(graph: dict[str, set[str]]) -> None:
    assert [m for m in graph if rank(m) is None] == []


def test_no_import_runs_back_up(graph: dict[str, set[str]]) -> None:
    assert upward_imports(graph) == []


def test_no_streamlit_app_or_devtools_in_data_access(graph: dict[str, set[str]]) -> None:
    assert forbidden_imports(graph) == []


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


BASE_TREE = {
    "data_access/__init__.py": "",
    "data_access/domain/__init__.py": "",
    "data_access/domain/periods.py": "import datetime\n",
    "data_access/db/__init__.py": "",
    "data_access/db/models.py": "from data_access.domain.periods import x\n",
    "data_access/queries/__init__.py": "",
    "data_access/queries/aggregate.py": "from data_access.db import models\n",
}


@pytest.mark.parametrize(
    ("extra", "check", "expected"),
    [
        (
            {"data_access/domain/catalogue.py": "from data_access.db.models import Indicator\n"},
            upward_imports,
            ["data_access.domain.catalogue (domain) imports data_access.db.models (db)"],
        ),
        (
            {"data_access/db/bulk.py": "def f():\n    from data_access.queries import aggregate\n"},
            upward_imports,
            ["data_access.db.bulk (db) imports data_access.queries.aggregate (queries)"],
        ),
        (
            {"data_access/queries/tracking.py": "from . import aggregate\n"},
            upward_imports,
            [],
        ),
        (
            {"data_access/queries/plots.py": "import streamlit as st\n"},
            forbidden_imports,
            ["data_access.queries.plots imports streamlit"],
        ),
        (
            {"data_access/db/seed.py": "from devtools.sample_generator import generate\n"},
            forbidden_imports,
            ["data_access.db.seed imports devtools.sample_generator"],
        ),
        (
            {
                "data_access/queries/a.py": "from data_access.queries import b\n",
                "data_access/queries/b.py": "from data_access.queries.a import f\n",
            },
            cycles,
            [["data_access.queries.a", "data_access.queries.b"]],
        ),
    ],
    ids=[
        "domain-imports-db",
        "lazy-upward",
        "relative-same-layer",
        "streamlit",
        "devtools",
        "cycle",
    ],
)
def test_the_checks_catch_a_bad_import(
    tmp_path: Path, extra: dict[str, str], check, expected: list
) -> None:
    _write(tmp_path, BASE_TREE | extra)
    assert check(import_graph(tmp_path)) == expected
