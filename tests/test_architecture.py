"""The layout holds: arrows point `api → brokerage → matching` and `frontend → brokerage →
matching`, the import graph has no cycle, the domain builds no paths and speaks no HTTP, and
an import inside a function says why it is there.

Read from the source with `ast` (nothing is imported), so a broken rule names its file.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("brokerage", "api", "frontend", "matching")
# The Django project's wiring (settings, URLs, ASGI/WSGI, health, the admin): it joins the edge
# to the domain, so it may name the edge; nothing in the domain imports it.
PROJECT = "brokerage.config"
EDGE_LIBRARIES = ("rest_framework", "knox", "drf_spectacular", "django.http", "channels.generic")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


SOURCES = _sources()


def _imports(module: str) -> list[tuple[str, ast.AST, bool]]:
    """(imported module, node, inside a function) for each import in `module`. `from a import
    b` counts as importing `a.b` when that is one of ours, else `a`."""
    path = SOURCES[module]
    tree = ast.parse(path.read_text(), filename=str(path))
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function |= {id(inner) for inner in ast.walk(node) if inner is not node}
    found = []
    for node in ast.walk(tree):
        nested = id(node) in in_function
        if isinstance(node, ast.Import):
            found += [(alias.name, node, nested) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.append((child if child in SOURCES else node.module, node, nested))
    return found


GRAPH = {module: {name for name, _, _ in _imports(module) if name in SOURCES} for module in SOURCES}


def _in_project(module: str) -> bool:
    return module == PROJECT or module.startswith(PROJECT + ".")


def _layer(module: str) -> str:
    return module.split(".")[0]


def test_the_import_graph_has_no_cycle():
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            pytest.fail("import cycle: " + " → ".join(cycle))
        if module in done:
            return
        for imported in sorted(GRAPH[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])


ALLOWED = {
    "matching": {"matching"},
    "brokerage": {"brokerage", "matching"},
    "api": {"api", "brokerage", "matching"},
    "frontend": {"frontend", "brokerage", "matching"},
}


def test_arrows_point_from_the_edge_to_the_domain_to_the_engine():
    wrong = [
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        for imported in imports
        if not _in_project(module) and _layer(imported) not in ALLOWED[_layer(module)]
    ]
    assert wrong == []


def test_the_engine_is_plain_python():
    wrong = [
        f"{module} imports {name}"
        for module in SOURCES
        if _layer(module) == "matching"
        for name, _, _ in _imports(module)
        if name.split(".")[0] in ("django", "brokerage", "api", "frontend")
    ]
    assert wrong == []


def test_the_domain_speaks_no_http():
    wrong = [
        f"{module} imports {name}"
        for module in SOURCES
        if _layer(module) == "brokerage" and not _in_project(module)
        for name, _, _ in _imports(module)
        if name.startswith(EDGE_LIBRARIES)
    ]
    assert wrong == []


def test_services_write_no_paths():
    """Links are built in `brokerage.messaging.links` from what a notification is about."""
    wrong = []
    for module, path in SOURCES.items():
        if not module.startswith("brokerage.services"):
            continue
        tree = ast.parse(path.read_text())
        f_strings = [node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)]
        inside = {id(part) for node in f_strings for part in node.values}
        texts = [node.values[0] for node in f_strings if node.values] + [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and id(node) not in inside
        ]
        for text in texts:
            if isinstance(text, ast.Constant) and str(text.value).startswith("/"):
                wrong.append(f"{path.name}:{text.lineno}")
    assert wrong == []


def test_an_import_inside_a_function_says_why():
    unexplained = []
    for module, path in SOURCES.items():
        lines = path.read_text().splitlines()
        for _, node, nested in _imports(module):
            if nested and "#" not in lines[node.lineno - 1]:
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unexplained == []


def test_no_domain_module_imports_the_project_wiring():
    wrong = [
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        if _layer(module) == "brokerage" and not _in_project(module)
        for imported in imports
        if _in_project(imported)
    ]
    assert wrong == []


# Rooms below the services: what the services build on. They never import a service, so a
# service may import any of them without a cycle (the job queue above all: `messaging.jobs`).
BELOW_THE_SERVICES = ("brokerage.access", "brokerage.infra", "brokerage.messaging")


def test_rooms_below_the_services_import_no_service():
    wrong = [
        f"{module} imports {imported}"
        for module, imports in GRAPH.items()
        if module.startswith(BELOW_THE_SERVICES)
        for imported in imports
        if imported.startswith("brokerage.services")
    ]
    assert wrong == []


def test_the_domain_root_holds_no_loose_module_beyond_its_index():
    """Modules at `brokerage/`'s root are the few a newcomer meets first; the rest live in a
    room (access, config, datasets, infra, messaging, models, reports, selectors, services)."""
    loose = sorted(
        path.stem for path in (ROOT / "brokerage").glob("*.py") if path.stem != "__init__"
    )
    assert loose == sorted(ROOT_MODULES)


ROOT_MODULES = (
    "apps",  # Django's app config
    "errors",  # the domain's error vocabulary
    "filters",  # one filterset per list, for the API and the pages
    "matchmaking",  # the bridge to the engine (`matching/`)
    "response_times",  # how long people have to answer (the answer-by moment)
    "search",  # finding skills and listings by what people type
    "tasks",  # the worker's schedule (huey loads each app's `tasks`)
    "tokens",  # the signed secret in an invitation's link
    "wording",  # how amounts read in what people are told (1 day, 7.5 hours)
    "working_days",  # England and Wales' working days
)
