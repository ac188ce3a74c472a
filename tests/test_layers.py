"""The package's layering, read from the source: stages, import direction, cycles, the TensorFlow seam.

Every module's imports are read from its AST, function-level imports
included and ``if TYPE_CHECKING:`` blocks excluded, so an import that only
runs later still counts.
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "filterbank"

#: The stages, earliest first. A module may import its own stage and earlier ones only.
STAGES: tuple[tuple[str, ...], ...] = (
    ("filterbank.errors",),
    ("filterbank.cache", "filterbank.dtypes", "filterbank.modes"),
    ("filterbank.spec",),
    ("filterbank.design",),
    ("filterbank.plans",),
    ("filterbank.backend",),
    ("filterbank.transforms", "filterbank.ops", "filterbank.match"),
    ("filterbank",),  # the curated API
    (
        "filterbank.keras",
        "filterbank.keras_cwt",
        "filterbank.keras_mchannel",
        "filterbank.plot",
        "filterbank.plot_cwt",
        "filterbank.bench",
        "filterbank.chunked",
        "filterbank.datasets",
        "filterbank.testing",
        "filterbank.cli",
        "filterbank.__main__",
    ),
)

#: Modules that may import TensorFlow (or the backend's lazy door to it).
TF_ALLOWED = ("filterbank.backend", "filterbank.datasets", "filterbank.keras", "filterbank.keras_cwt", "filterbank.keras_mchannel",
              "filterbank.bench")


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


class _Imports(ast.NodeVisitor):
    def __init__(self, name: str, is_package: bool):
        self.name, self.is_package = name, is_package
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parts = self.name.split(".") if self.is_package else self.name.split(".")[:-1]
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join(parts + ([node.module] if node.module else []))
        for alias in node.names:
            full = f"{base}.{alias.name}"
            self.found.add(full if full in MODULES else base)


def _imports(name: str) -> set[str]:
    path = MODULES[name]
    visitor = _Imports(name, path.name == "__init__.py")
    visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    return visitor.found


GRAPH = {name: {m for m in _imports(name) if m in MODULES and m != name} for name in MODULES}


def _stage(name: str) -> int:
    best, best_len = -1, -1
    for i, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    return best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_stage():
    assert [m for m in MODULES if _stage(m) < 0] == []


def test_the_import_graph_has_no_cycle():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_a_later_stage():
    upward = sorted(
        f"{m} -> {d}" for m, deps in GRAPH.items() for d in deps if _stage(d) > _stage(m) and m != "filterbank"
    )
    assert upward == []


def test_the_root_package_is_imported_only_by_the_last_stage():
    importers = sorted(m for m, deps in GRAPH.items() if "filterbank" in deps)
    assert all(_stage(m) == len(STAGES) - 1 for m in importers), importers


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_backend_touches_tensorflow(name):
    imports = _imports(name)
    touches = sorted(i for i in imports if i == "tensorflow" or i.startswith(("tensorflow.", "filterbank.backend._tf")))
    if any(name == a or name.startswith(a + ".") for a in TF_ALLOWED):
        return
    assert touches == [], f"{name} imports TensorFlow directly; go through filterbank.backend"
    source = MODULES[name].read_text(encoding="utf-8")
    assert not re.search(r"\btf\(\)", source), f"{name} calls tf(); go through filterbank.backend"


def test_the_one_declared_door_upward():
    """Only `design._methods` looks a later stage up by name (FilterBank's transform methods)."""
    dynamic = sorted(
        name for name, path in MODULES.items() if "import_module(" in path.read_text(encoding="utf-8")
    )
    # the CLI loads its own command modules by name: the same stage, not a door upward
    assert dynamic == ["filterbank.cli", "filterbank.design._methods"]
    assert 'import_module(f"filterbank.cli.{' in MODULES["filterbank.cli"].read_text(encoding="utf-8")
    from filterbank.design import _methods

    assert _methods.TRANSFORMS == "filterbank.transforms" and _stage(_methods.TRANSFORMS) > _stage("filterbank.design")


def test_plans_carry_no_tensorflow_names():
    """No name, attribute, argument or field of a plan module mentions TensorFlow or an executor."""
    banned = {"tf", "tensorflow", "executor", "executors", "jit_compile"}
    for name in (m for m in MODULES if m.startswith("filterbank.plans")):
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        used |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
        assert used & banned == set(), name


def test_modules_stay_readable():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert max(sizes.values()) <= 560, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
