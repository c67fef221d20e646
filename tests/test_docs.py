"""Documentation: the activation tables and the public docstrings.

The activation tables of README.md and docs/activations.md must list exactly
the names of the registry, each with its class (and, in the README, each
class's parameters with their defaults), and the README must list every
example, in the gallery's order. Every public name must document
exactly its parameters, as numpydoc's validation sees the final ``__doc__``
(the estimators' docstrings are assembled at import time).
"""

import inspect
import re
import sys
from pathlib import Path

import numpydoc.validate
import pytest

import skact
import skact.activations
from skact.activations import ACTIVATIONS, Activation

ROOT = Path(__file__).resolve().parent.parent

# -- activation tables ---------------------------------------------------------

# (file, heading of the section holding the table, whether names are quoted)
TABLES = [
    ("README.md", "## Activations", True),
    ("docs/activations.md", "# Activations", False),
]

_SEPARATOR_ROW = re.compile(r"\|(\s*:?-+:?\s*\|)+")
_BACKTICKED = re.compile(r"`([^`]*)`")


def _section(text, heading):
    """The lines after ``heading`` up to the next heading of its level or above.

    Lines inside fenced code blocks are never taken for headings.
    """
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    assert lines.count(heading) == 1, f"expected one {heading!r} heading"
    section = []
    in_fence = False
    for line in lines[lines.index(heading) + 1 :]:
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and re.match(rf"#{{1,{level}}} ", line):
            break
        section.append(line)
    return section


def _table_rows(path, heading):
    """The data rows of the first Markdown table in a section, as lists of cells.

    The table's header row and separator row are checked and left out.
    """
    rows = []
    for line in _section((ROOT / path).read_text(encoding="utf-8"), heading):
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            break  # the end of the first table
    assert len(rows) > 2, f"no table found in {path} under {heading!r}"
    assert _SEPARATOR_ROW.fullmatch(rows[1].strip()), (path, rows[1])
    return [
        [cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows[2:]
    ]


def _activation_table(path, heading, quoted):
    """``{name: class name}`` from the activation table of a section.

    The first column lists one or more backticked names (``"name"`` inside the
    backticks if ``quoted``), the second the backticked class name.
    """
    name = r'"(\w+)"' if quoted else r"(\w+)"
    names_cell = re.compile(rf"`{name}`(, `{name}`)*")
    table = {}
    for row in _table_rows(path, heading):
        assert names_cell.fullmatch(row[0]), f"{path}: malformed names in {row}"
        class_name = re.fullmatch(r"`(\w+)`", row[1])
        assert class_name, f"{path}: malformed class in {row}"
        for backticked in _BACKTICKED.findall(row[0]):
            key = backticked.strip('"')
            assert key not in table, f"{path}: {key!r} listed twice"
            table[key] = class_name.group(1)
    return table


def _constructor_parameters(cls):
    """``name=default`` for each parameter of the class's constructor."""
    return {
        f"{p.name}={p.default!r}"
        for p in inspect.signature(cls).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


@pytest.mark.parametrize(
    "path, heading, quoted", TABLES, ids=[path for path, _, _ in TABLES]
)
def test_activation_table_matches_registry(path, heading, quoted):
    expected = {name: cls.__name__ for name, cls in ACTIVATIONS.items()}
    assert _activation_table(path, heading, quoted) == expected


def test_readme_activation_parameters_match_constructors():
    classes = {cls.__name__: cls for cls in ACTIVATIONS.values()}
    rows = _table_rows("README.md", "## Activations")
    assert {len(row) for row in rows} == {3}, "expected name | class | parameters"
    listed = {}
    for _, class_cell, params_cell in rows:
        class_name = class_cell.strip("`")
        assert class_name in classes, f"README lists unknown class {class_name}"
        assert class_name not in listed, f"README lists {class_name} twice"
        listed[class_name] = set(_BACKTICKED.findall(params_cell))
    expected = {name: _constructor_parameters(cls) for name, cls in classes.items()}
    assert listed == expected


# -- numpydoc validation -------------------------------------------------------

# Asserted on every object: the docstring exists, has a summary, and documents
# exactly the signature's parameters, in order, each with a type and a
# description. RT01 (no Returns section) applies to functions and methods that
# return a value; numpydoc never reports it for a class. A class's docstring is
# checked against its constructor's signature.
CHECKED_CODES = {
    "GL08",  # no docstring
    "SS01",  # no summary
    "PR01",  # parameters not documented
    "PR02",  # unknown parameters documented
    "PR03",  # wrong parameter order
    "PR04",  # parameter without a type
    "PR07",  # parameter without a description
    "PR10",  # no space before the colon of "name : type"
    "RT01",  # no Returns section
}


def _public_objects():
    """Import paths of the public callables of ``skact`` and ``skact.activations``.

    Those named in their ``__all__``: ``__version__`` and the ``ACTIVATIONS``
    dict are not callables, so left out.
    """
    return [
        f"{module.__name__}.{name}"
        for module in (skact, skact.activations)
        for name in module.__all__
        if callable(getattr(module, name))
    ]


def _own_public_methods(cls):
    """Public methods that skact defines (not those inherited from scikit-learn)."""
    return [
        name
        for name in dir(cls)
        if not name.startswith("_")
        and callable(getattr(cls, name))
        and getattr(getattr(cls, name), "__module__", "").startswith("skact.")
    ]


METHOD_OWNERS = {
    "skact.ScratchMLPClassifier": skact.ScratchMLPClassifier,
    "skact.ScratchMLPRegressor": skact.ScratchMLPRegressor,
    "skact.activations.Activation": Activation,
    "skact.ActivationDisplay": skact.ActivationDisplay,
    "skact.HistoryDisplay": skact.HistoryDisplay,
    "skact.SearchHeatmapDisplay": skact.SearchHeatmapDisplay,
}
EXTRA_METHODS = {Activation: ["__call__"]}


def _public_methods():
    return [
        f"{path}.{name}"
        for path, cls in METHOD_OWNERS.items()
        for name in _own_public_methods(cls) + EXTRA_METHODS.get(cls, [])
    ]


def test_validated_names_are_collected():
    # Guards the discovery above: at least these must be validated.
    objects = {
        "skact.ScratchMLPClassifier",
        "skact.ScratchMLPRegressor",
        "skact.check_gradients",
        "skact.activations.Activation",
        "skact.activations.get_activation",
        "skact.history_table",
        "skact.ActivationDisplay",
        "skact.HistoryDisplay",
        "skact.SearchHeatmapDisplay",
    }
    objects |= {f"skact.activations.{c.__name__}" for c in ACTIVATIONS.values()}
    methods = {
        "ScratchMLPClassifier": "fit partial_fit predict predict_proba "
        "predict_log_proba",
        "ScratchMLPRegressor": "fit partial_fit predict",
        "activations.Activation": "get_params set_params __call__ derivative "
        "forward backward forward_with_derivative init_params init_leak "
        "active_units params_gradient",
        "ActivationDisplay": "from_activations from_estimator plot",
        "HistoryDisplay": "from_estimator plot",
        "SearchHeatmapDisplay": "from_estimator from_cv_results plot",
    }
    methods = {f"skact.{c}.{m}" for c, names in methods.items() for m in names.split()}
    assert objects <= set(_public_objects())
    assert methods <= set(_public_methods())


@pytest.mark.parametrize("import_path", _public_objects() + _public_methods())
def test_numpydoc_validation(import_path):
    errors = [
        f"{code}: {message}"
        for code, message in numpydoc.validate.validate(import_path)["errors"]
        if code in CHECKED_CODES
    ]
    assert not errors, "\n".join(errors)


# -- help() --------------------------------------------------------------------

_ROLE = re.compile(r":(class|func|meth|attr|mod|data|obj|math|ref):`")


@pytest.mark.parametrize("import_path", _public_objects() + ["skact.activations"])
def test_help_shows_no_raw_roles(import_path):
    # The site links `name` by its default role (docs/conf.py), so skact's
    # docstrings need no :class: roles, which help() would show raw. (The
    # methods inherited from scikit-learn keep theirs.)
    module, _, name = import_path.rpartition(".")
    obj = getattr(__import__(module, fromlist=[name]), name)
    docs = [inspect.getdoc(obj)]
    if inspect.isclass(obj):
        docs += [inspect.getdoc(getattr(obj, m)) for m in _own_public_methods(obj)]
    for doc in docs:
        assert not _ROLE.findall(doc or ""), f"raw roles in help({import_path})"


# -- the README's list of examples -----------------------------------------------


def test_readme_lists_every_example_in_gallery_order():
    # The gallery's order is docs/_gallery_order.py's STORY; every script of
    # examples/ must be in it (else the gallery puts it last) and in the README.
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from _gallery_order import STORY
    finally:
        sys.path.remove(str(ROOT / "docs"))
    scripts = sorted(path.name for path in (ROOT / "examples").glob("plot_*.py"))
    assert sorted(STORY) == scripts
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `examples/(plot_\w+\.py)`", readme, flags=re.MULTILINE)
    assert listed == STORY
