"""The training record: history_'s layout, its one writer, and its rollback."""

import ast
from pathlib import Path

import numpy as np
import pytest

from skact import ScratchMLPClassifier
from skact._progress import HISTORY, PANELS, TrainingLog, entry, n_epochs

PACKAGE = Path(__file__).parent.parent / "skact"


def _string_constants(path):
    """The strings of a module's code, its docstrings left out."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(getattr(node, "body", None), list)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def test_only_the_layout_spells_the_keys_of_history():
    # "loss" and "learning_rate" are also parameter names; the other keys
    # are history_'s alone, and only _progress.py may spell them in code.
    keys = {e.key for e in HISTORY} - {"loss", "learning_rate"}
    spelled = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if keys & _string_constants(path)
    }
    assert spelled == {"_progress.py"}


@pytest.mark.parametrize("early_stopping", [False, True])
def test_a_fit_records_the_layout_in_its_order(early_stopping, iris):
    X, y = iris
    clf = ScratchMLPClassifier(
        (5,), max_iter=3, early_stopping=early_stopping, random_state=0
    )
    with pytest.warns(Warning):
        clf.fit(X, y)
    expected = [e.key for e in HISTORY if early_stopping or not e.validation]
    assert list(clf.history_) == expected
    assert n_epochs(clf.history_) == clf.n_iter_ == 3
    assert all(len(values) == 3 for values in clf.history_.values())
    assert set(PANELS) <= set(expected) | {e.key for e in HISTORY if e.validation}
    assert all(entry(key).panel is None for key in PANELS)


def test_a_snapshot_rolls_back_what_a_continued_fit_appends(iris):
    X, y = iris
    clf = ScratchMLPClassifier((5,), max_iter=4, random_state=0)
    with pytest.warns(Warning):
        clf.fit(X, y)
    before = {k: list(v) for k, v in clf.history_.items()}
    rule = clf._stopping
    snapshot = TrainingLog(clf).snapshot()
    clf.partial_fit(X, y)
    assert n_epochs(clf.history_) == 5
    snapshot.restore(clf)
    assert {k: list(v) for k, v in clf.history_.items()} == before
    assert len(clf.loss_curve_) == 4
    assert clf._stopping is not rule  # the copy saved, not the rule updated
    assert clf.best_loss_ == clf._stopping.best_loss
    np.testing.assert_array_equal(clf.loss_curve_, before["loss"])
