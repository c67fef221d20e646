"""The package's layout: one job per module, short functions, imports flowing one way.

docs/network.md draws the same house; a change to one belongs in the other.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "skact"

# Each module, by floor: a module imports only from floors below its own. A
# subpackage's modules are named by dotted path, its __init__ by the package.
FLOORS = [
    [
        "_interrupt", "_kernels", "_losses", "_optimizers", "_penalty", "_rowhash",
        "_sklearn_private",
    ],
    ["activations"],
    ["_activation_checks", "_init", "_network", "_onnx_activations", "_stopping"],
    ["_callbacks", "_divergence", "_lbfgs", "_minibatch", "_progress"],
    ["_docstrings", "_persistence", "_training"],
    ["_mlp"],
    ["_gradcheck", "_history"],
    ["onnx_export", "plotting._base"],
    [
        "plotting._activation_display", "plotting._history_display",
        "plotting._search_heatmap",
    ],
    ["plotting"],
    ["__init__"],
]  # fmt: skip
# The scikit-learn shell: the only floor that may import scikit-learn; and
# _sklearn_private, the one place that imports its private names.
SHELL = {
    "_activation_checks", "_callbacks", "_gradcheck", "_history", "_mlp",
    "_sklearn_private", "_training", "onnx_export", "plotting",
    "plotting._activation_display", "plotting._history_display",
    "plotting._search_heatmap", "__init__",
}  # fmt: skip
MAX_LINES = 60
MAX_CLASS_LINES = 400

FLOOR_OF = {name: level for level, names in enumerate(FLOORS) for name in names}


def _name(path):
    """A module's dotted name inside skact: "_mlp", "plotting._base", "plotting"."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and parts[:-1] else parts)


PATHS = {_name(path): path for path in PACKAGE.rglob("*.py")}
MODULES = sorted(PATHS)


def _tree(module):
    return ast.parse(PATHS[module].read_text())


def _package(module):
    """The dotted package a module's relative imports start from ("" for skact)."""
    if PATHS[module].name == "__init__.py":
        return "" if module == "__init__" else module
    return module.rpartition(".")[0]


def _imports(module):
    """The top-level packages and the skact modules a module imports.

    An skact module is named as in ``FLOORS``: ``from .._history import ...`` in
    ``plotting._base`` is "_history", ``from ._base import ...`` "plotting._base".
    """
    external, internal = set(), set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                external.add(node.module.split(".")[0])
                continue
            base = _package(module).split(".")[: 1 - node.level or None]
            # A name imported from a package may be one of its modules.
            prefix = f"{node.module}." if node.module else ""
            names = [prefix + alias.name for alias in node.names]
            internal.update(_owner([*base, *name.split(".")]) for name in names)
    return external, internal


def _docstring_lines(tree):
    """The line numbers of every docstring in a module."""
    lines = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for stmt in body:
            # A docstring, or an attribute's string just after it.
            if (
                isinstance(stmt, ast.Expr)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                lines.update(range(stmt.lineno, stmt.end_lineno + 1))
    return lines


def _owner(parts):
    """The longest skact module name that the dotted ``parts`` start with."""
    parts = [part for part in parts if part]
    for k in range(len(parts), 0, -1):
        if ".".join(parts[:k]) in PATHS:
            return ".".join(parts[:k])
    raise AssertionError(f"no skact module {'.'.join(parts)}")


def _code_lines(function, source_lines):
    """Lines of a function's body that hold code (no docstring, comment or blank)."""
    body = function.body
    if (
        isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:] or body
    first, last = body[0].lineno, function.end_lineno
    return sum(
        1
        for line in source_lines[first - 1 : last]
        if line.strip() and not line.strip().startswith("#")
    )


def test_every_module_has_a_floor():
    assert sorted(FLOOR_OF) == MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_opens_with_a_docstring(module):
    docstring = ast.get_docstring(_tree(module))
    assert docstring and len(docstring.splitlines()[0]) > 20, module


@pytest.mark.parametrize("module", MODULES)
def test_imports_flow_down(module):
    external, internal = _imports(module)
    for other in internal:
        assert FLOOR_OF[other] < FLOOR_OF[module], f"{module} imports {other}"
    if module not in SHELL:
        assert "sklearn" not in external, f"{module} imports scikit-learn"


@pytest.mark.parametrize("module", MODULES)
def test_functions_are_short(module):
    source = PATHS[module].read_text()
    lines = source.splitlines()
    long = {
        node.name: n
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (n := _code_lines(node, lines)) > MAX_LINES
    }
    assert not long, f"{module}: functions over {MAX_LINES} lines of code: {long}"


@pytest.mark.parametrize("module", MODULES)
def test_classes_are_small(module):
    source = PATHS[module].read_text()
    tree = ast.parse(source)
    lines, docstrings = source.splitlines(), _docstring_lines(tree)
    large = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            n = sum(
                1
                for number in range(node.lineno, node.end_lineno + 1)
                if number not in docstrings
                and lines[number - 1].strip()
                and not lines[number - 1].strip().startswith("#")
            )
            if n > MAX_CLASS_LINES:
                large[node.name] = n
    assert not large, f"{module}: classes over {MAX_CLASS_LINES} lines of code: {large}"


def test_search_heatmap_needs_no_network():
    """It draws any search's cv_results_: nothing of skact's estimators in it."""
    external, internal = _imports("plotting._search_heatmap")
    assert internal == {"plotting._base"}
    assert external <= {"numpy", "sklearn", "matplotlib"}
