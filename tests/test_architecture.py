"""One direction of dependency: no app imports one above it, and no import circle (docs/architecture.md).

The layers are read from the ```layers block of docs/architecture.md, so the document and the check can
never disagree. Every import counts, at the top of a module or inside a function, absolute or relative.
"""

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine_independent  # reads source files only, never the database

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "reciprocity"
DOC = ROOT / "docs" / "architecture.md"


@dataclass(frozen=True)
class Import:
    importer: str  # the module that imports, e.g. reciprocity.therapy.views
    imported: str  # the module it names, e.g. reciprocity.insights.alerts
    line: int
    at_load: bool  # at the top of the module (so it runs when the module loads), not inside a function


def read_layers(text: str) -> dict[str, int]:
    """Each name of the ```layers block with its height: the top line is the highest layer."""
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no ```layers block"
    lines = [line.split(":", 1)[1].split() for line in block.group(1).strip().splitlines()]
    return {name: len(lines) - 1 - row for row, names in enumerate(lines) for name in names}


def _module_name(path: Path, package_root: Path) -> str:
    parts = list(path.relative_to(package_root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def modules_of(package_root: Path) -> set[str]:
    """The package's own modules, outside the tests."""
    return {
        _module_name(path, package_root)
        for path in package_root.rglob("*.py")
        if "tests" not in path.relative_to(package_root).parts
    }


def imports_of(package_root: Path, modules: set[str]) -> Iterator[Import]:
    """Every import of one of the package's own modules, outside the tests, resolved to the module it loads."""
    for path in sorted(package_root.rglob("*.py")):
        if "tests" in path.relative_to(package_root).parts:
            continue
        module = _module_name(path, package_root)
        tree = ast.parse(path.read_text(), str(path))
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, module, path.name == "__init__.py")
                # `from pkg.app import views` loads pkg.app.views; `from pkg.app.views import f` loads it too
                names = {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
            else:
                continue
            for name in sorted(names):
                if name == package_root.name or name.startswith(package_root.name + "."):
                    yield Import(module, name, node.lineno, id(node) in top)


def unit_of(module: str, layers: dict[str, int]) -> str:
    """The layered name a module belongs to: a module named in the layers itself, or its app."""
    parts = module.split(".")[1:]
    for length in range(len(parts), 0, -1):
        if ".".join(parts[:length]) in layers:
            return ".".join(parts[:length])
    return parts[0] if parts else ""


def config_imports(imports: list[Import], layers: dict[str, int]) -> list[str]:
    """Each import of `config` by an app: Django reads the settings, and what apps share lives in `lib`."""
    wiring = {"config", "config.urls", "config.api", "cli", "__main__"}
    return sorted(
        f"{i.importer}:{i.line} imports {i.imported}: no app imports config"
        for i in imports
        if unit_of(i.imported, layers).startswith("config") and unit_of(i.importer, layers) not in wiring
    )


def upward_imports(imports: list[Import], layers: dict[str, int]) -> list[str]:
    """Each import from a lower layer to a higher one, and each module whose app is in no layer."""
    problems = []
    for i in imports:
        source, target = unit_of(i.importer, layers), unit_of(i.imported, layers)
        for unit in (source, target):
            if unit not in layers:
                problems.append(f"{i.importer}: '{unit}' is in no layer of docs/architecture.md")
        if source in layers and target in layers and layers[target] > layers[source]:
            problems.append(f"{i.importer}:{i.line} imports {i.imported}, a layer above ({source} < {target})")
    return sorted(set(problems))


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan): each holds an import circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while group[-1:] != [node]:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def app_circles(imports: list[Import], layers: dict[str, int]) -> list[list[str]]:
    """Apps that import each other, directly or round a longer circle (any import, at load or later)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for i in imports:
        source, target = unit_of(i.importer, layers), unit_of(i.imported, layers)
        if source != target:
            edges[source].add(target)
    return circles(edges)


def load_circles(imports: list[Import], modules: set[str]) -> list[list[str]]:
    """Modules that import each other when they load (imports at the top of a module)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for i in imports:
        if i.at_load and i.imported in modules and i.imported != i.importer:
            edges[i.importer].add(i.imported)
    return circles(edges)


def check(package_root: Path, layers: dict[str, int]) -> list[str]:
    """Everything wrong with the package's imports, as sentences; empty when it reads from the ground up."""
    modules = modules_of(package_root)
    imports = list(imports_of(package_root, modules))
    problems = upward_imports(imports, layers) + config_imports(imports, layers)
    problems += [f"apps import each other: {' ↔ '.join(group)}" for group in app_circles(imports, layers)]
    problems += [f"modules import each other as they load: {' ↔ '.join(g)}" for g in load_circles(imports, modules)]
    return problems


def test_the_package_reads_from_the_ground_up():
    problems = check(ROOT / PACKAGE, read_layers(DOC.read_text()))
    assert not problems, "\n".join(problems)


def test_every_app_is_in_a_layer():
    layers = read_layers(DOC.read_text())
    apps = {p.parent.name for p in (ROOT / PACKAGE).glob("*/__init__.py")}
    assert apps - set(layers) == set(), "put each app in a layer of docs/architecture.md"


def test_installed_apps_are_listed_layer_by_layer():
    from django.conf import settings

    layers = read_layers(DOC.read_text())
    ours = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith(f"{PACKAGE}.")]
    heights = [layers[app] for app in ours]
    assert heights == sorted(heights), list(zip(ours, heights, strict=True))


# The check itself, on small packages written for it: each kind of problem is found and named.
LAYERS = {"lib": 0, "config": 0, "clients": 1, "therapy": 2, "today": 3}


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text)
    return root


def test_a_clean_package_has_no_problem(tmp_path):
    root = _package(tmp_path, {
        "lib/dates.py": "import datetime\n",
        "clients/models.py": "from pkg.lib import dates\n",
        "therapy/views.py": "from pkg.clients.models import x\nfrom . import forms\n",
        "therapy/forms.py": "",
        "therapy/tests/test_x.py": "from pkg.today import views\n",  # tests may import anything
    })  # fmt: skip
    assert check(root, LAYERS) == []


def test_an_import_from_below_to_above_is_named_even_inside_a_function(tmp_path):
    root = _package(tmp_path, {
        "clients/views.py": "def page():\n    from pkg.therapy.selectors import sessions\n",
        "therapy/selectors.py": "",
    })  # fmt: skip
    assert check(root, LAYERS) == [
        "pkg.clients.views:2 imports pkg.therapy.selectors, a layer above (clients < therapy)"
    ]


def test_a_relative_import_upward_is_named(tmp_path):
    root = _package(tmp_path, {"lib/api.py": "from ..today import views\n", "today/views.py": ""})
    assert check(root, LAYERS) == ["pkg.lib.api:1 imports pkg.today.views, a layer above (lib < today)"]


def test_two_apps_of_one_layer_importing_each_other_are_a_circle(tmp_path):
    layers = {"lib": 0, "therapy": 1, "measures": 1}
    root = _package(tmp_path, {
        "therapy/services.py": "def later():\n    from pkg.measures import models\n",
        "measures/models.py": "from pkg.therapy import services\n",
    })  # fmt: skip
    assert check(root, layers) == ["apps import each other: measures ↔ therapy"]


def test_modules_importing_each_other_as_they_load_are_a_circle(tmp_path):
    root = _package(tmp_path, {
        "therapy/models.py": "from pkg.therapy.selectors import recent\n",
        "therapy/selectors.py": "from pkg.therapy import models\n",
    })  # fmt: skip
    assert check(root, LAYERS) == ["modules import each other as they load: pkg.therapy.models ↔ pkg.therapy.selectors"]


def test_an_app_importing_config_is_named(tmp_path):
    root = _package(tmp_path, {"therapy/views.py": "from pkg.config.settings import DEBUG\n", "config/settings.py": ""})
    assert check(root, LAYERS) == ["pkg.therapy.views:1 imports pkg.config.settings: no app imports config"]


def test_an_app_in_no_layer_is_named(tmp_path):
    root = _package(tmp_path, {"billing/models.py": "from pkg.lib import dates\n", "lib/dates.py": ""})
    assert check(root, LAYERS) == ["pkg.billing.models: 'billing' is in no layer of docs/architecture.md"]


def test_the_layers_block_reads_top_down():
    layers = read_layers("```layers\ntop:    today\nmiddle: therapy measures\nbottom: lib\n```\n")
    assert layers == {"today": 2, "therapy": 1, "measures": 1, "lib": 0}
