"""The package's layout: one job per module, short functions, imports flowing one way.

docs/network.md draws the same house; a change to one belongs in the other.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "skact"

# Each module, by floor: a module imports only from floors below its own.
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
    ["onnx_export", "plotting"],
    ["__init__"],
]  # fmt: skip
# The scikit-learn shell: the only floor that may import scikit-learn.
SHELL = {
    "_activation_checks", "_callbacks", "_gradcheck", "_history", "_mlp",
    "_sklearn_private", "_training", "onnx_export", "plotting", "__init__",
}  # fmt: skip
MAX_LINES = 60
MAX_CLASS_LINES = 400

FLOOR_OF = {name: level for level, names in enumerate(FLOORS) for name in names}
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))


def _tree(module):
    return ast.parse((PACKAGE / f"{module}.py").read_text())


def _imports(tree):
    """The top-level packages and the skact modules a module imports."""
    external, internal = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                external.add(node.module.split(".")[0])
            elif node.module is None:  # from . import _init
                internal.update(alias.name for alias in node.names)
            else:
                internal.add(node.module.split(".")[0])
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
    external, internal = _imports(_tree(module))
    for other in internal:
        assert FLOOR_OF[other] < FLOOR_OF[module], f"{module} imports {other}"
    if module not in SHELL:
        assert "sklearn" not in external, f"{module} imports scikit-learn"


@pytest.mark.parametrize("module", MODULES)
def test_functions_are_short(module):
    source = (PACKAGE / f"{module}.py").read_text()
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
    source = (PACKAGE / f"{module}.py").read_text()
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
