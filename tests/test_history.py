"""``history_table``, the "learning_rate" and "step_size" records of ``history_``
and the per-epoch lines that ``verbose`` prints."""

import math
import re
import sys

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skact import ScratchMLPClassifier, ScratchMLPRegressor, history_table

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SCALARS = ["loss", "learning_rate", "step_size"]
VALIDATION = ["val_loss", "val_score"]


def expected_columns(n_hidden, early_stopping):
    layers = range(1, n_hidden + 2)
    return (
        ["epoch", *SCALARS, *(VALIDATION if early_stopping else [])]
        + [f"grad_norm_{k}" for k in layers]
        + [f"inactive_share_{k}" for k in layers[:-1]]
    )


def test_columns_with_early_stopping(early_stopping_clf):
    """Scalars, then validation, then a column per layer, in that order."""
    assert list(history_table(early_stopping_clf)) == expected_columns(2, True)


@pytest.mark.parametrize("hidden", [(), (5,), (5, 4, 3)])
def test_one_column_per_layer(iris, hidden):
    """grad_norm_1..L for every weight layer, inactive_share_* per hidden layer."""
    clf = ScratchMLPRegressor(hidden_layer_sizes=hidden, max_iter=3, random_state=0)
    X, y = iris
    table = history_table(clf.fit(X, y.astype(float)))
    assert list(table) == expected_columns(len(hidden), False)
    assert len(table["epoch"]) == 3


def test_values_equal_history(early_stopping_clf):
    history = early_stopping_clf.history_
    table = history_table(early_stopping_clf)
    n_epochs = len(history["loss"])
    assert n_epochs == early_stopping_clf.n_iter_ == 8
    np.testing.assert_array_equal(table["epoch"], np.arange(1, n_epochs + 1))
    for name in SCALARS + VALIDATION:
        np.testing.assert_array_equal(table[name], history[name])
    for name in ("grad_norm", "inactive_share"):
        per_epoch = np.array(history[name])
        for k in range(1, per_epoch.shape[1] + 1):
            np.testing.assert_array_equal(table[f"{name}_{k}"], per_epoch[:, k - 1])
    assert all(len(column) == n_epochs for column in table.values())
    assert all(isinstance(column, np.ndarray) for column in table.values())


def test_lbfgs_has_no_learning_rate_nor_step_size(lbfgs_clf):
    table = history_table(lbfgs_clf)
    assert list(table) == expected_columns(1, False)
    assert len(table["epoch"]) == len(lbfgs_clf.history_["loss"]) > 0
    assert np.isnan(table["learning_rate"]).all()
    assert np.isnan(table["step_size"]).all()
    assert np.isfinite(table["loss"]).all()


def test_as_frame(early_stopping_clf):
    pd = pytest.importorskip("pandas")
    frame = history_table(early_stopping_clf, as_frame=True)
    table = history_table(early_stopping_clf)
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "epoch"
    np.testing.assert_array_equal(frame.index, table["epoch"])
    assert list(frame.columns) == list(table)[1:]
    for name in frame.columns:
        np.testing.assert_array_equal(frame[name].to_numpy(), table[name])


def test_as_frame_without_pandas(early_stopping_clf, monkeypatch):
    """A missing pandas gives an ImportError that says so, not a NameError."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pandas"):
        history_table(early_stopping_clf, as_frame=True)


def test_not_fitted():
    with pytest.raises(NotFittedError):
        history_table(ScratchMLPClassifier())


def test_partial_fit_continues_the_epochs(iris):
    X, y = iris
    clf = ScratchMLPClassifier((5,), max_iter=3, random_state=0).fit(X, y)
    clf.partial_fit(X, y).partial_fit(X, y)
    table = history_table(clf)
    np.testing.assert_array_equal(table["epoch"], [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(table["loss"], clf.history_["loss"])
    np.testing.assert_array_equal(table["loss"], clf.loss_curve_)
    assert table["loss"][-1] == clf.loss_


def test_partial_fit_from_scratch_counts_from_one(iris):
    X, y = iris
    clf = ScratchMLPClassifier((5,), random_state=0)
    for n_calls in (1, 2, 3):
        clf.partial_fit(X, y, classes=np.unique(y))
        np.testing.assert_array_equal(
            history_table(clf)["epoch"], np.arange(1, n_calls + 1)
        )


def test_partial_fit_after_early_stopping_keeps_one_row_per_epoch(iris):
    X, y = iris
    clf = ScratchMLPClassifier(
        (5,), early_stopping=True, n_iter_no_change=100, max_iter=3, random_state=0
    )
    clf.fit(X, y).partial_fit(X, y)
    table = history_table(clf)
    assert {len(column) for column in table.values()} == {4}
    pytest.importorskip("pandas")
    assert history_table(clf, as_frame=True).shape[0] == 4


def test_adam_learning_rate_and_bias_corrected_step_size(iris):
    """learning_rate stays learning_rate_init; step_size is Adam's lr_t."""
    X, y = iris
    lr, beta_1, beta_2, batch_size, n_epochs = 0.01, 0.8, 0.99, 32, 6
    clf = ScratchMLPClassifier(
        (6,), learning_rate_init=lr, beta_1=beta_1, beta_2=beta_2,
        batch_size=batch_size, max_iter=n_epochs, random_state=0,
    )  # fmt: skip
    clf.fit(X, y)
    assert clf.n_iter_ == n_epochs
    np.testing.assert_array_equal(clf.history_["learning_rate"], [lr] * n_epochs)
    # Adam's step count t at the last batch of each epoch.
    t = math.ceil(len(X) / batch_size) * np.arange(1, n_epochs + 1)
    expected = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    np.testing.assert_allclose(clf.history_["step_size"], expected, rtol=1e-12)


def test_sgd_invscaling_step_size_is_the_scheduled_learning_rate(iris):
    X, y = iris
    lr, power_t, n_epochs = 0.1, 0.3, 5
    clf = ScratchMLPClassifier(
        (6,), solver="sgd", learning_rate="invscaling", learning_rate_init=lr,
        power_t=power_t, batch_size=50, max_iter=n_epochs, random_state=0,
    )  # fmt: skip
    clf.fit(X, y)
    history = clf.history_
    np.testing.assert_array_equal(history["step_size"], history["learning_rate"])
    # Epoch k trains at the rate set after the (k - 1) * n_samples samples before.
    seen = len(X) * np.arange(n_epochs)
    expected = lr / (seen + 1) ** power_t
    np.testing.assert_allclose(history["learning_rate"], expected, rtol=1e-12)
    assert np.all(np.diff(history["learning_rate"]) < 0)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_verbose_prints_each_epoch_with_its_time(iris, capsys, solver):
    clf = ScratchMLPClassifier(
        (5,), solver=solver, max_iter=4, verbose=True, random_state=0
    )
    clf.fit(*iris)
    lines = [
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("Iteration")
    ]
    pattern = re.compile(r"Iteration (\d+), loss = (\d+\.\d{8}) \((\d+\.\d{3}) s\)")
    matches = [pattern.fullmatch(line) for line in lines]
    assert all(matches), lines
    assert [int(m[1]) for m in matches] == list(range(1, len(clf.loss_curve_) + 1))
    np.testing.assert_allclose(
        [float(m[2]) for m in matches], clf.loss_curve_, atol=1e-8
    )
