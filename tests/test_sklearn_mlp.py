"""scikit-learn's own MLP tests, run against skact's estimators.

The test module ``sklearn/neural_network/tests/test_mlp.py`` of the installed
scikit-learn is loaded under a private name, with its import of
``MLPClassifier`` and ``MLPRegressor`` answered by ``ScratchMLPClassifier``
and ``ScratchMLPRegressor``, and its tests are re-exported here for pytest to
collect. No line of scikit-learn's tests is copied: a new scikit-learn brings
its new tests.

Tests that meet one of skact's deliberate differences (docs/compatibility.md)
are strict expected failures; tests that read scikit-learn's private internals
are skipped. Every other test must pass.
"""

import builtins
import importlib.util
import os
import types

import pytest
import sklearn.neural_network
from sklearn.utils import check_random_state

from skact import ScratchMLPClassifier, ScratchMLPRegressor

# -- loading scikit-learn's test module with the estimators swapped ------------

_SKLEARN_TESTS = os.path.join(
    os.path.dirname(sklearn.neural_network.__file__), "tests", "test_mlp.py"
)

# What the loaded module gets for ``from <module> import <names>``. Only these
# names: a new import of scikit-learn's MLP internals then fails loudly here
# instead of testing scikit-learn's code under skact's name.
_SWAPPED = {
    "sklearn.neural_network": types.SimpleNamespace(
        MLPClassifier=ScratchMLPClassifier, MLPRegressor=ScratchMLPRegressor
    ),
}


def _swapping_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and fromlist and name in _SWAPPED:
        substitute = _SWAPPED[name]
        missing = [n for n in fromlist if not hasattr(substitute, n)]
        if missing:
            raise ImportError(f"test_sklearn_mlp.py has no skact for {name}.{missing}")
        return substitute
    return builtins.__import__(name, globals, locals, fromlist, level)


def _load_swapped():
    """scikit-learn's test module, executed with the swapping import.

    The swap must happen while the module runs, not after: its parametrize
    marks hold the estimator classes from import time. A module of its own
    (not ``sklearn.neural_network.tests.test_mlp``) is executed, whose
    builtins differ only in ``__import__``, so that scikit-learn's modules are
    never changed, not even for a moment.
    """
    spec = importlib.util.spec_from_file_location("_sklearn_test_mlp", _SKLEARN_TESTS)
    module = importlib.util.module_from_spec(spec)
    module.__builtins__ = {**vars(builtins), "__import__": _swapping_import}
    spec.loader.exec_module(module)
    return module


swapped = _load_swapped()
SKLEARN_TESTS = {
    name: obj
    for name, obj in vars(swapped).items()
    if name.startswith("test_") and callable(obj)
}


# -- what scikit-learn's conftest.py provides -----------------------------------


def _random_seeds():
    """The seeds of SKLEARN_TESTS_GLOBAL_RANDOM_SEED, read as sklearn's conftest does.

    Unset: 42; ``"all"``: 0 to 99; ``"a-b"``: a to b; else the one seed given.
    """
    value = os.environ.get("SKLEARN_TESTS_GLOBAL_RANDOM_SEED")
    if value is None:
        return [42]
    if value == "all":
        return list(range(100))
    if "-" in value:
        start, stop = value.split("-")
        seeds = list(range(int(start), int(stop) + 1))
    else:
        seeds = [int(value)]
    if min(seeds) < 0 or max(seeds) > 99:
        raise ValueError(
            "SKLEARN_TESTS_GLOBAL_RANDOM_SEED must be in the range [0, 99] (or "
            f"'all'), got: {value}"
        )
    return seeds


@pytest.fixture(params=_random_seeds())
def global_random_seed(request):
    """A seed each test must pass with, as in scikit-learn's conftest.py."""
    return request.param


@pytest.fixture(autouse=True)
def _seeded_global_rng():
    """Seed NumPy's global random generator for each test, then restore it.

    Many of scikit-learn's tests leave ``random_state=None``; seeded, their
    outcome is reproducible, so an expected failure can be strict (unseeded,
    test_early_stopping's classifier case fails on about half of the seeds).
    """
    # The very generator that random_state=None draws from.
    rng = check_random_state(None)
    state = rng.get_state()
    rng.seed(0)
    yield
    rng.set_state(state)


# -- deliberate differences and scikit-learn's private API ----------------------

_DOC = "docs/compatibility.md, Deliberate differences: "

# Tests that fail because of a documented difference, on every parameter or,
# as "test[id]", on the case of that pytest id; with the exception each raises
# (pytest.fail's for DID NOT RAISE / DID NOT WARN), so that failing otherwise is
# a failure.
DELIBERATE_DIFFERENCES = {
    "test_lbfgs_classification_maxfun[X1-y1]": (
        pytest.fail.Exception,
        "the default initialisation, weight_init='auto', differs: from its start "
        "the logistic network converges (L-BFGS status 0) within max_fun=10, so "
        "no ConvergenceWarning",
    ),
    "test_alpha": (
        AssertionError,
        "the default initialisation, weight_init='auto', differs: the output "
        "layer starts small, and alpha=1 (which pulls on large weights) leaves "
        "it as alpha=0 does, while it shrinks the hidden layer",
    ),
    "test_early_stopping[ScratchMLPRegressor]": (
        AssertionError,
        "early stopping breaks near ties by the validation loss, so "
        "best_validation_score_ is the kept epoch's and may be below "
        "max(validation_scores_)",
    ),
    "test_early_stopping_stratified": (
        pytest.fail.Exception,
        "early stopping splits by content, always leaving one group of each "
        "class for training: a class of one row does not raise",
    ),
    "test_mlp_partial_fit_after_fit": (
        pytest.fail.Exception,
        "partial_fit with early_stopping=True learns from all the data it is "
        "given instead of raising",
    ),
    "test_mlp_diverging_loss": (
        ValueError,
        "a failed fit changes nothing: divergence raises ValueError instead of "
        "recording a NaN validation score",
    ),
    "test_minimum_input_sample_size": (
        pytest.fail.Exception,
        "early stopping splits by content, with R² defined for a single row: "
        "2 rows give a validation set and do not raise",
    ),
}

# Tests that need scikit-learn's private implementation, which skact does not
# reproduce.
SKLEARN_PRIVATE = {
    "test_gradient": "calls scikit-learn's private MLP method _loss_grad_lbfgs",
    "test_n_iter_no_change": (
        "reads scikit-learn's private MLP attribute _no_improvement_count"
    ),
    "test_n_iter_no_change_inf": (
        "reads scikit-learn's private MLP attribute _no_improvement_count"
    ),
}


def _case_id(names, value, index):
    """pytest's id of one parametrize case: class names, plain values, or
    the argument name and the case's index for anything else ("X1-y1")."""
    values = value if len(names) > 1 else (value,)
    parts = []
    for name, v in zip(names, values):
        if isinstance(v, type):
            parts.append(v.__name__)
        elif isinstance(v, (str, int, float, bool)) or v is None:
            parts.append(str(v))
        else:
            parts.append(f"{name}{index}")
    return "-".join(parts)


def _mark_case(test, case, mark):
    """Mark the parametrized case of ``test`` whose pytest id is ``case``."""
    marks = []
    for old in test.pytestmark:
        if old.name == "parametrize":
            names, values = old.args[:2]
            names = [n.strip() for n in names.split(",")]
            values = [
                pytest.param(*(v if len(names) > 1 else (v,)), marks=mark)
                if _case_id(names, v, i) == case
                else v
                for i, v in enumerate(values)
            ]
            old = pytest.mark.parametrize(",".join(names), values, **old.kwargs).mark
        marks.append(old)
    test.pytestmark = marks


# The loaded module is this file's alone: marking its functions in place
# changes no one else's tests.
for _key, (_raises, _reason) in DELIBERATE_DIFFERENCES.items():
    _name, _, _case = _key.rstrip("]").partition("[")
    _mark = pytest.mark.xfail(strict=True, raises=_raises, reason=_DOC + _reason)
    if _name in SKLEARN_TESTS and _case:
        _mark_case(SKLEARN_TESTS[_name], _case, _mark)
    elif _name in SKLEARN_TESTS:
        _mark(SKLEARN_TESTS[_name])
for _name, _reason in SKLEARN_PRIVATE.items():
    if _name in SKLEARN_TESTS:
        pytest.mark.skip(reason=_reason)(SKLEARN_TESTS[_name])


# -- the tests -------------------------------------------------------------------


def test_the_tests_run_against_skact():
    assert swapped.MLPClassifier is ScratchMLPClassifier
    assert swapped.MLPRegressor is ScratchMLPRegressor
    # ... and scikit-learn's own names are left alone.
    assert sklearn.neural_network.MLPClassifier.__module__.startswith("sklearn")
    assert sklearn.neural_network.MLPRegressor.__module__.startswith("sklearn")
    assert SKLEARN_TESTS, "no test found in scikit-learn's test_mlp.py"
    for test in SKLEARN_TESTS.values():
        assert test.__globals__ is vars(swapped), test.__name__
    # The estimators in parametrize marks were bound when the module ran.
    for test in SKLEARN_TESTS.values():
        for mark in getattr(test, "pytestmark", []):
            if mark.name == "parametrize":
                for value in mark.args[1]:
                    assert not (
                        isinstance(value, type)
                        and value.__module__.startswith("sklearn")
                    ), test.__name__


def test_marked_tests_exist():
    # A test renamed or removed by a new scikit-learn leaves a stale entry.
    marked = {key.partition("[")[0] for key in DELIBERATE_DIFFERENCES}
    assert not (marked | set(SKLEARN_PRIVATE)) - set(SKLEARN_TESTS)


assert not set(SKLEARN_TESTS) & set(globals()), "a test name is taken"
globals().update(SKLEARN_TESTS)
