"""The Displays of ``skact.plotting`` on Matplotlib's Agg backend: the artists,
labels and data of ``HistoryDisplay``, ``ActivationDisplay`` and
``SearchHeatmapDisplay``, their errors, and matplotlib staying optional."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skact import (
    ActivationDisplay,
    HistoryDisplay,
    ScratchMLPClassifier,
    ScratchMLPRegressor,
    SearchHeatmapDisplay,
    history_table,
)
from skact.activations import Activation, LeakyReLU, ReLU

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

MLP = "scratchmlpclassifier__"
ACTIVATION, LEARNING_RATE, ALPHA = (
    MLP + "activation",
    MLP + "learning_rate_init",
    MLP + "alpha",
)


@pytest.fixture(scope="module", autouse=True)
def fresh_import():
    """A new interpreter that imports skact and says whether matplotlib came too.

    Started with the module's first test so that it runs alongside the others:
    importing scikit-learn alone takes seconds.
    """
    code = "import sys, skact, skact.plotting; print('matplotlib' in sys.modules)"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=Path(__file__).parents[1],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labels_of(lines):
    return [line.get_label() for line in lines]


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def tick_labels(ticks):
    return [tick.get_text() for tick in ticks]


# ----------------------------------------------------------------------
# Fitted estimators and searches, shared by the tests


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def early_stopping_clf(iris):
    """Two hidden layers, early stopping, all 8 epochs run."""
    clf = ScratchMLPClassifier(
        (8, 6), early_stopping=True, n_iter_no_change=100, max_iter=8, random_state=0
    )
    return clf.fit(*iris)


@pytest.fixture(scope="module")
def adam_clf(iris):
    return ScratchMLPClassifier((5,), max_iter=4, random_state=0).fit(*iris)


@pytest.fixture(scope="module")
def lbfgs_clf(iris):
    clf = ScratchMLPClassifier((5,), solver="lbfgs", max_iter=6, random_state=0)
    return clf.fit(*iris)


@pytest.fixture(scope="module")
def no_hidden_clf(iris):
    return ScratchMLPClassifier((), max_iter=3, random_state=0).fit(*iris)


@pytest.fixture(scope="module")
def layered_clf(iris):
    """Layers 1 and 2 ReLU, layer 3 PReLU with slopes learned per unit."""
    clf = ScratchMLPClassifier(
        (6, 6, 6), activation=["relu", "relu", "prelu"], learning_rate_init=0.01,
        max_iter=30, random_state=0,
    )  # fmt: skip
    return clf.fit(*iris)


def pipeline():
    return make_pipeline(
        StandardScaler(), ScratchMLPClassifier((8,), max_iter=20, random_state=0)
    )


@pytest.fixture(scope="module")
def search(iris):
    """Two varying parameters; log loss, so that no two cells tie."""
    grid = {ACTIVATION: ["relu", "tanh"], LEARNING_RATE: [0.1, 0.001, 0.01]}
    return GridSearchCV(pipeline(), grid, cv=2, scoring="neg_log_loss").fit(*iris)


@pytest.fixture(scope="module")
def multimetric_search(iris):
    """Three varying parameters, two metrics, refit on accuracy."""
    grid = {ACTIVATION: ["relu", "tanh"], LEARNING_RATE: [0.1, 0.01], ALPHA: [1e-4, 1]}
    return GridSearchCV(
        pipeline(), grid, cv=2, scoring=["accuracy", "neg_log_loss"], refit="accuracy"
    ).fit(*iris)


@pytest.fixture(scope="module")
def list_search(iris):
    """A grid as a list of dicts: (tanh, 0.1) is never tried."""
    grid = [
        {ACTIVATION: ["relu"], LEARNING_RATE: [0.1, 0.01]},
        {ACTIVATION: ["tanh"], LEARNING_RATE: [0.01]},
    ]
    return GridSearchCV(pipeline(), grid, cv=2, scoring="neg_log_loss").fit(*iris)


def expected_scores(cv_results, rows, row_values, columns, column_values, key):
    """The best score of each (row, column) pair of values, from ``params``."""
    scores = np.full((len(row_values), len(column_values)), np.nan)
    for params, score in zip(cv_results["params"], cv_results[key]):
        i, j = row_values.index(params[rows]), column_values.index(params[columns])
        scores[i, j] = np.nanmax([scores[i, j], score])
    return scores


# ----------------------------------------------------------------------
# HistoryDisplay


def test_history_default_panels(early_stopping_clf):
    display = HistoryDisplay.from_estimator(early_stopping_clf)
    assert list(display.lines_) == ["loss", "val_score", "grad_norm", "inactive_share"]
    assert len(display.axes_) == 4
    assert display.ax_ is display.axes_[0]
    assert display.figure_ is display.ax_.figure
    assert all(ax.figure is display.figure_ for ax in display.axes_)
    expected = {
        "loss": ["training, with penalty", "validation"],
        "val_score": ["validation"],
        "grad_norm": ["layer 1", "layer 2", "layer 3 (output)"],
        "inactive_share": ["layer 1", "layer 2"],
    }
    for ax, (metric, lines) in zip(display.axes_, display.lines_.items()):
        assert labels_of(lines) == expected[metric]
        assert legend_texts(ax) == expected[metric]
        assert ax.get_ylabel() == HistoryDisplay.METRICS[metric]
        assert all(line.axes is ax for line in lines)
    assert [ax.get_xlabel() for ax in display.axes_] == ["", "", "", "epoch"]
    assert "ScratchMLPClassifier" in display.ax_.get_title()


def test_history_lines_hold_history(early_stopping_clf):
    history = early_stopping_clf.history_
    display = HistoryDisplay.from_estimator(early_stopping_clf)
    epochs = np.arange(1, len(history["loss"]) + 1)
    for lines in display.lines_.values():
        for line in lines:
            np.testing.assert_array_equal(line.get_xdata(), epochs)
    training, validation = display.lines_["loss"]
    np.testing.assert_array_equal(training.get_ydata(), history["loss"])
    np.testing.assert_array_equal(validation.get_ydata(), history["val_loss"])
    (score,) = display.lines_["val_score"]
    np.testing.assert_array_equal(score.get_ydata(), history["val_score"])
    for name in ("grad_norm", "inactive_share"):
        per_layer = np.array(history[name]).T
        assert len(display.lines_[name]) == len(per_layer)
        for line, values in zip(display.lines_[name], per_layer):
            np.testing.assert_array_equal(line.get_ydata(), values)


def test_history_lbfgs_counts_iterations(lbfgs_clf):
    display = HistoryDisplay.from_estimator(lbfgs_clf)
    assert list(display.lines_) == ["loss", "grad_norm", "inactive_share"]
    assert labels_of(display.lines_["loss"]) == ["training, with penalty"]
    assert labels_of(display.lines_["grad_norm"]) == ["layer 1", "layer 2 (output)"]
    assert display.axes_[-1].get_xlabel() == "iteration"
    np.testing.assert_array_equal(
        display.lines_["loss"][0].get_ydata(), lbfgs_clf.history_["loss"]
    )


def test_history_without_hidden_layers(no_hidden_clf):
    display = HistoryDisplay.from_estimator(no_hidden_clf)
    assert list(display.lines_) == ["loss", "grad_norm"]
    assert labels_of(display.lines_["grad_norm"]) == ["layer 1 (output)"]


def test_history_metrics_select_and_order(early_stopping_clf):
    history = early_stopping_clf.history_
    metrics = ["step_size", "loss", "learning_rate"]
    display = HistoryDisplay.from_estimator(early_stopping_clf, metrics=metrics)
    assert list(display.lines_) == metrics
    assert [ax.get_ylabel() for ax in display.axes_] == [
        "step size", "loss", "learning rate",
    ]  # fmt: skip
    assert labels_of(display.lines_["loss"]) == [
        "training, with penalty",
        "validation",
    ]
    (step_size,) = display.lines_["step_size"]
    np.testing.assert_array_equal(step_size.get_ydata(), history["step_size"])
    (learning_rate,) = display.lines_["learning_rate"]
    np.testing.assert_array_equal(learning_rate.get_ydata(), history["learning_rate"])
    assert display.axes_[-1].get_xlabel() == "epoch"


def test_history_plot_from_a_table(adam_clf):
    """The constructor takes history_table's output; plot() draws it."""
    display = HistoryDisplay(history_table(adam_clf)).plot(metrics=["loss"])
    assert len(display.axes_) == 1
    assert display.ax_.get_title() == ""
    np.testing.assert_array_equal(
        display.lines_["loss"][0].get_ydata(), adam_clf.history_["loss"]
    )


def test_history_unknown_metric(adam_clf):
    with pytest.raises(ValueError, match="Unknown metric 'accuracy'.*'grad_norm'"):
        HistoryDisplay.from_estimator(adam_clf, metrics=["loss", "accuracy"])


@pytest.mark.parametrize(
    "fitted, metric, why",
    [
        ("adam_clf", "val_score", "early_stopping=True"),
        ("lbfgs_clf", "learning_rate", "lbfgs"),
        ("lbfgs_clf", "step_size", "lbfgs"),
        ("no_hidden_clf", "inactive_share", "no hidden layer"),
    ],
)
def test_history_metric_not_recorded(request, fitted, metric, why):
    estimator = request.getfixturevalue(fitted)
    with pytest.raises(ValueError, match=f"no '{metric}'.*{why}"):
        HistoryDisplay.from_estimator(estimator, metrics=[metric])


def test_history_draws_on_given_axes(adam_clf):
    fig, axes = plt.subplots(1, 2)
    display = HistoryDisplay.from_estimator(
        adam_clf, metrics=["loss", "grad_norm"], ax=axes
    )
    assert list(display.axes_) == list(axes)
    assert display.figure_ is fig
    assert display.lines_["loss"][0].axes is axes[0]
    assert display.lines_["grad_norm"][0].axes is axes[1]
    assert axes[-1].get_xlabel() == "epoch"


def test_history_wrong_number_of_axes(adam_clf):
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="2 panel.*got 3"):
        HistoryDisplay.from_estimator(adam_clf, metrics=["loss", "grad_norm"], ax=axes)
    with pytest.raises(ValueError, match="got 1"):
        HistoryDisplay.from_estimator(adam_clf, ax=axes[0])


# ----------------------------------------------------------------------
# ActivationDisplay


class Softsign(Activation):
    """z / (1 + |z|), a custom activation."""

    def __call__(self, z):
        return np.asarray(z) / (1 + np.abs(z))

    def derivative(self, z, a=None):
        return 1 / (1 + np.abs(np.asarray(z))) ** 2


@pytest.mark.parametrize(
    "activations",
    [["relu", "leaky_relu"], [ReLU(), LeakyReLU()]],
    ids=["names", "objects"],
)
def test_activations_curves(activations):
    display = ActivationDisplay.from_activations(activations)
    labels = ["ReLU", "LeakyReLU(negative_slope=0.01)"]
    assert display.lines_.shape == (2, 2)
    assert display.bands_.shape == (2, 2)
    assert all(band is None for band in display.bands_.ravel())
    assert labels_of(display.lines_[:, 0]) == labels
    assert legend_texts(display.ax_) == labels
    assert [ax.get_title() for ax in display.axes_] == [
        "activation f(z)", "derivative f'(z)",
    ]  # fmt: skip
    assert [ax.get_xlabel() for ax in display.axes_] == ["z", "z"]
    for activation, (value, derivative) in zip([ReLU(), LeakyReLU()], display.lines_):
        assert value.axes is display.axes_[0]
        assert derivative.axes is display.axes_[1]
        z = value.get_xdata()
        assert z.min() == -4 and z.max() == 4
        np.testing.assert_allclose(value.get_ydata(), activation(z))
        np.testing.assert_array_equal(derivative.get_xdata(), z)
        np.testing.assert_allclose(derivative.get_ydata(), activation.derivative(z))


def test_single_activation_and_z_range():
    display = ActivationDisplay.from_activations("elu", z_range=(-2.0, 1.0))
    assert display.lines_.shape == (1, 2)
    value, derivative = display.lines_[0]
    z = value.get_xdata()
    assert z.min() == -2 and z.max() == 1
    np.testing.assert_allclose(value.get_ydata(), np.where(z > 0, z, np.expm1(z)))
    np.testing.assert_allclose(derivative.get_ydata(), np.where(z > 0, 1, np.exp(z)))
    assert legend_texts(display.ax_) == ["ELU(alpha=1.0)"]


def test_activation_bad_z_range():
    with pytest.raises(ValueError, match="z_range"):
        ActivationDisplay.from_activations("relu", z_range=(1.0, -1.0))


def test_custom_activation(iris):
    display = ActivationDisplay.from_activations([Softsign(), "tanh"])
    assert labels_of(display.lines_[:, 0]) == ["Softsign", "Tanh"]
    value, derivative = display.lines_[0]
    z = value.get_xdata()
    np.testing.assert_allclose(value.get_ydata(), z / (1 + np.abs(z)))
    np.testing.assert_allclose(derivative.get_ydata(), 1 / (1 + np.abs(z)) ** 2)

    clf = ScratchMLPClassifier(
        (4, 4), activation=Softsign(), max_iter=2, random_state=0
    )
    display = ActivationDisplay.from_estimator(clf.fit(*iris))
    assert labels_of(display.lines_[:, 0]) == ["layers 1, 2: Softsign"]
    np.testing.assert_allclose(display.lines_[0, 1].get_ydata(), derivative.get_ydata())


def test_activation_from_estimator_groups_layers_and_bands_slopes(layered_clf):
    display = ActivationDisplay.from_estimator(layered_clf)
    slopes = layered_clf.activation_params_[2]
    assert slopes.min() < slopes.max()  # the slopes were learned apart
    assert display.lines_.shape == (2, 2)
    assert legend_texts(display.ax_) == [
        "layers 1, 2: ReLU", "layer 3: PReLU(init=0.25), learned per unit",
    ]  # fmt: skip
    assert display.bands_[0, 0] is None and display.bands_[0, 1] is None
    value_band, derivative_band = display.bands_[1]
    assert value_band is not None and derivative_band is not None

    value, derivative = display.lines_[1]
    z = derivative.get_xdata()
    negative = z <= 0  # PReLU'(0) is the slope, as at z < 0
    # The line is the median unit, the band spans the least and greatest slope.
    np.testing.assert_allclose(derivative.get_ydata()[negative], np.median(slopes))
    np.testing.assert_allclose(derivative.get_ydata()[~negative], 1)
    np.testing.assert_allclose(
        value.get_ydata(), np.where(negative, np.median(slopes) * z, z)
    )
    vertices = derivative_band.get_paths()[0].vertices
    left = vertices[vertices[:, 0] < 0, 1]
    np.testing.assert_allclose([left.min(), left.max()], [slopes.min(), slopes.max()])
    vertices = value_band.get_paths()[0].vertices
    at_low_end = vertices[vertices[:, 0] == z.min(), 1]
    np.testing.assert_allclose(
        [at_low_end.min(), at_low_end.max()],
        z.min() * slopes[[slopes.argmax(), slopes.argmin()]],
    )
    # The ReLU curve, shared by layers 1 and 2.
    np.testing.assert_allclose(display.lines_[0, 0].get_ydata(), np.maximum(z, 0))


def test_activation_from_estimator_without_hidden_layer(no_hidden_clf):
    with pytest.raises(ValueError, match="no hidden layer"):
        ActivationDisplay.from_estimator(no_hidden_clf)


def test_activation_axes():
    fig, axes = plt.subplots(2, 1)
    display = ActivationDisplay.from_activations("relu", ax=axes)
    assert list(display.axes_) == list(axes) and display.figure_ is fig
    with pytest.raises(ValueError, match="2 panel.*got 1"):
        ActivationDisplay.from_activations("relu", ax=axes[0])


# ----------------------------------------------------------------------
# SearchHeatmapDisplay


def test_heatmap_of_two_parameters(search):
    display = SearchHeatmapDisplay.from_estimator(search)
    # Rows: the parameter with more values, sorted ascending as it is numeric.
    row_values, column_values = [0.001, 0.01, 0.1], ["relu", "tanh"]
    assert (display.row_param, display.column_param) == (LEARNING_RATE, ACTIVATION)
    expected = expected_scores(
        search.cv_results_, LEARNING_RATE, row_values, ACTIVATION, column_values,
        "mean_test_score",
    )  # fmt: skip
    assert not np.isnan(expected).any()
    np.testing.assert_array_equal(display.im_.get_array(), expected)
    np.testing.assert_array_equal(display.scores, expected)

    ax = display.ax_
    assert tick_labels(ax.get_yticklabels()) == ["0.001", "0.01", "0.1"]
    assert tick_labels(ax.get_xticklabels()) == column_values
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("learning_rate_init", "activation")
    assert display.colorbar_.ax.get_ylabel() == "mean CV neg_log_loss"
    assert display.figure_ is ax.figure

    best = search.best_params_
    i, j = row_values.index(best[LEARNING_RATE]), column_values.index(best[ACTIVATION])
    marker = display.best_marker_
    assert marker in ax.patches
    assert marker.get_xy() == (j - 0.5, i - 0.5)
    assert (marker.get_width(), marker.get_height()) == (1, 1)

    assert display.text_.shape == expected.shape
    # Every cell with the same decimals: three significant digits for the
    # largest score.
    decimals = 2 - int(np.floor(np.log10(np.abs(expected).max())))
    for (r, c), text in np.ndenumerate(display.text_):
        assert text.get_text() == f"{expected[r, c]:.{decimals}f}"
        assert text.get_position() == (c, r)
        assert text.get_fontweight() == ("bold" if (r, c) == (i, j) else "normal")


@pytest.mark.parametrize(
    "rows, columns",
    [
        ("activation", "learning_rate_init"),
        (ACTIVATION, LEARNING_RATE),
        (ACTIVATION, None),
    ],
)
def test_heatmap_rows_and_columns_by_name(search, rows, columns):
    display = SearchHeatmapDisplay.from_estimator(
        search, rows=rows, columns=columns, include_values=False, colorbar=False
    )
    assert (display.row_param, display.column_param) == (ACTIVATION, LEARNING_RATE)
    expected = expected_scores(
        search.cv_results_, ACTIVATION, ["relu", "tanh"], LEARNING_RATE,
        [0.001, 0.01, 0.1], "mean_test_score",
    )  # fmt: skip
    np.testing.assert_array_equal(display.im_.get_array(), expected)
    assert tick_labels(display.ax_.get_xticklabels()) == ["0.001", "0.01", "0.1"]
    assert tick_labels(display.ax_.get_yticklabels()) == ["relu", "tanh"]


def test_heatmap_marks_the_searchs_best_on_a_tie(iris):
    """All candidates tie: the search's best is its first, not the first cell."""

    def constant(estimator, X, y):
        return 0.5

    clf = ScratchMLPClassifier((2,), max_iter=1, random_state=0)
    grid = {"activation": ["relu", "tanh"], "learning_rate_init": [0.1, 0.01]}
    search = GridSearchCV(clf, grid, cv=2, scoring=constant).fit(*iris)
    assert search.best_params_ == {"activation": "relu", "learning_rate_init": 0.1}
    display = SearchHeatmapDisplay.from_estimator(
        search, rows="activation", columns="learning_rate_init"
    )
    np.testing.assert_array_equal(display.scores, np.full((2, 2), 0.5))
    assert tick_labels(display.ax_.get_xticklabels()) == ["0.01", "0.1"]
    assert display.best_marker_.get_xy() == (0.5, -0.5)
    assert display.text_[0, 1].get_fontweight() == "bold"
    assert display.text_[0, 0].get_fontweight() == "normal"


def test_heatmap_plot_options(search):
    fig, ax = plt.subplots()
    display = SearchHeatmapDisplay.from_estimator(
        search, ax=ax, values_format=".1f", colorbar=False, cmap="magma"
    )
    assert display.ax_ is ax and display.figure_ is fig
    assert display.colorbar_ is None
    assert display.im_.get_cmap().name == "magma"
    assert {t.get_text() for t in display.text_.ravel()} == {
        f"{score:.1f}" for score in display.scores.ravel()
    }
    display = SearchHeatmapDisplay.from_estimator(search, include_values=False)
    assert display.text_ is None
    assert display.best_marker_ in display.ax_.patches


def test_heatmap_wrong_axes(search):
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="got 2"):
        SearchHeatmapDisplay.from_estimator(search, ax=axes)


@pytest.mark.parametrize(
    "rows, columns, message",
    [
        ("solver", None, "'solver' is not one of the search's hyperparameters"),
        ("activation", "activation", "both"),
        (ACTIVATION, "activation", "both"),
    ],
)
def test_heatmap_bad_names(search, rows, columns, message):
    with pytest.raises(ValueError, match=message):
        SearchHeatmapDisplay.from_estimator(search, rows=rows, columns=columns)


def test_heatmap_ambiguous_name():
    def column(values):
        return np.ma.MaskedArray(values, mask=False, dtype=object)

    cv_results = {
        "param_first__alpha": column([0.1, 0.1, 1.0, 1.0]),
        "param_second__alpha": column([0.1, 1.0, 0.1, 1.0]),
        "mean_test_score": np.array([0.1, 0.2, 0.3, 0.4]),
    }
    with pytest.raises(ValueError, match="'alpha' matches several.*first__alpha"):
        SearchHeatmapDisplay.from_cv_results(cv_results, rows="alpha")
    display = SearchHeatmapDisplay.from_cv_results(
        cv_results, rows="first__alpha", columns="second__alpha"
    )
    np.testing.assert_array_equal(display.scores, [[0.1, 0.2], [0.3, 0.4]])


def test_heatmap_needs_rows_and_columns_beyond_two_parameters(multimetric_search):
    with pytest.raises(ValueError, match="varies 3 hyperparameter.*rows= and columns="):
        SearchHeatmapDisplay.from_estimator(multimetric_search)
    with pytest.raises(ValueError, match="varies 3"):
        SearchHeatmapDisplay.from_estimator(multimetric_search, rows="activation")


@pytest.mark.parametrize("scoring", [None, "accuracy", "neg_log_loss"])
def test_heatmap_best_over_other_parameters(multimetric_search, scoring):
    display = SearchHeatmapDisplay.from_estimator(
        multimetric_search, rows="activation", columns="learning_rate_init",
        scoring=scoring,
    )  # fmt: skip
    metric = scoring or "accuracy"  # what refit names
    expected = expected_scores(
        multimetric_search.cv_results_, ACTIVATION, ["relu", "tanh"],
        LEARNING_RATE, [0.01, 0.1], f"mean_test_{metric}",
    )  # fmt: skip
    np.testing.assert_array_equal(display.im_.get_array(), expected)
    assert display.colorbar_.ax.get_ylabel() == f"mean CV {metric}"
    i, j = np.unravel_index(np.argmax(expected), expected.shape)
    assert display.best_marker_.get_xy() == (j - 0.5, i - 0.5)


def test_heatmap_missing_scoring(multimetric_search):
    with pytest.raises(
        ValueError, match=r"'mean_test_score'.*\['accuracy', 'neg_log_loss'\]"
    ):
        SearchHeatmapDisplay.from_cv_results(
            multimetric_search.cv_results_, rows="activation", columns="alpha"
        )
    with pytest.raises(ValueError, match="'mean_test_f1'"):
        SearchHeatmapDisplay.from_estimator(
            multimetric_search, rows="activation", columns="alpha", scoring="f1"
        )


def test_heatmap_of_a_list_of_grids(list_search):
    display = SearchHeatmapDisplay.from_estimator(
        list_search, rows="activation", columns="learning_rate_init"
    )
    expected = expected_scores(
        list_search.cv_results_, ACTIVATION, ["relu", "tanh"], LEARNING_RATE,
        [0.01, 0.1], "mean_test_score",
    )  # fmt: skip
    assert np.isnan(expected[1, 1]) and np.isfinite(expected).sum() == 3
    np.testing.assert_array_equal(display.scores, expected)
    np.testing.assert_array_equal(
        np.ma.filled(display.im_.get_array(), np.nan), expected
    )
    assert tick_labels(display.ax_.get_xticklabels()) == ["0.01", "0.1"]
    assert display.text_[1, 1] is None
    assert [t.get_text() for t in display.text_.ravel() if t is not None] == [
        f"{s:.3f}" for s in expected.ravel() if not np.isnan(s)
    ]
    i, j = np.unravel_index(np.nanargmax(expected), expected.shape)
    assert display.best_marker_.get_xy() == (j - 0.5, i - 0.5)


def test_heatmap_sorts_numbers_beside_not_set():
    # As scikit-learn writes it for [{"activation": ["relu"],
    # "learning_rate_init": [0.1, 0.01]}, {"activation": ["tanh"]}].
    cv_results = {
        "param_activation": np.ma.MaskedArray(["relu", "relu", "tanh"], dtype=object),
        "param_learning_rate_init": np.ma.MaskedArray(
            [0.1, 0.01, 0.0], mask=[False, False, True]
        ),
        "mean_test_score": np.array([0.9, 0.8, 0.7]),
    }
    display = SearchHeatmapDisplay.from_cv_results(
        cv_results, rows="activation", columns="learning_rate_init"
    )
    assert display.column_labels == ["0.01", "0.1", "not set"]


# ----------------------------------------------------------------------
# Matplotlib stays optional


@pytest.mark.parametrize("display", ["history", "activation", "heatmap"])
def test_without_matplotlib(monkeypatch, adam_clf, display):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"matplotlib.*skact\[plot\]"):
        if display == "history":
            HistoryDisplay.from_estimator(adam_clf)
        elif display == "activation":
            ActivationDisplay.from_activations("relu")
        else:
            SearchHeatmapDisplay(
                np.eye(2), row_labels=["a", "b"], column_labels=["c", "d"],
                row_param="row", column_param="column",
            ).plot()  # fmt: skip


def test_importing_skact_does_not_import_matplotlib(fresh_import):
    out, err = fresh_import.communicate(timeout=120)
    assert fresh_import.returncode == 0, err
    assert out.strip() == "False"


def test_heatmap_of_failed_fits():
    cv_results = {
        "param_activation": ["relu", "tanh"],
        "param_learning_rate_init": [0.1, 0.01],
        "mean_test_score": np.array([np.nan, np.nan]),
    }
    with pytest.raises(ValueError, match="no fit succeeded"):
        SearchHeatmapDisplay.from_cv_results(cv_results)


# ----------------------------------------------------------------------
# After review


def test_displays_take_a_fitted_pipeline(iris):
    pipe = make_pipeline(StandardScaler(), ScratchMLPClassifier((4,), max_iter=3))
    pipe.fit(*iris)
    display = HistoryDisplay.from_estimator(pipe, metrics=["loss"], name="pipe")
    assert display.ax_.get_title() == "pipe: training history"
    np.testing.assert_array_equal(
        display.lines_["loss"][0].get_ydata(), pipe[-1].history_["loss"]
    )
    assert len(ActivationDisplay.from_estimator(pipe).labels) == 1
    assert list(history_table(pipe)["loss"]) == pipe[-1].history_["loss"]
    with pytest.raises(TypeError, match="ScratchMLPClassifier.*got StandardScaler"):
        HistoryDisplay.from_estimator(make_pipeline(StandardScaler()).fit(iris[0]))


def test_history_from_a_data_frame(adam_clf):
    pytest.importorskip("pandas")
    display = HistoryDisplay(history_table(adam_clf, as_frame=True)).plot()
    np.testing.assert_array_equal(
        display.lines_["loss"][0].get_xdata(), np.arange(1, adam_clf.n_iter_ + 1)
    )


def test_unclear_inputs_get_clear_errors(adam_clf):
    with pytest.raises(ValueError, match="at least one metric"):
        HistoryDisplay.from_estimator(adam_clf, metrics=[])
    with pytest.raises(ValueError, match="z_range"):
        ActivationDisplay.from_activations("relu", z_range=4)
    with pytest.raises(ValueError, match="activations is empty"):
        ActivationDisplay.from_activations([])
    display = SearchHeatmapDisplay(
        np.array([[0.5, np.nan]]), row_labels=["a"], column_labels=["b", "c"],
        row_param="row", column_param="column", best_cell=np.array([0, 1]),
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"best_cell \(0, 1\) has no score"):
        display.plot()


def test_heatmap_labels_of_numpy_scalars_and_close_numbers():
    cv_results = {
        "param_early_stopping": np.ma.MaskedArray([True, False, True, False]),
        "param_alpha": np.ma.MaskedArray([1e-4, 1e-4, 1.0000001e-4, 1.0000001e-4]),
        "param_batch_size": np.ma.MaskedArray([1234567, 1234567, 1234567, 1234567]),
        "mean_test_score": np.array([0.1, 0.2, 0.3, 0.4]),
    }
    display = SearchHeatmapDisplay.from_cv_results(
        cv_results, rows="early_stopping", columns="alpha"
    )
    assert display.row_labels == ["True", "False"]
    # Two values that print alike are two columns, not one cell's maximum.
    np.testing.assert_array_equal(display.scores, [[0.1, 0.3], [0.2, 0.4]])
    display = SearchHeatmapDisplay.from_cv_results(
        cv_results, rows="early_stopping", columns="batch_size"
    )
    assert display.column_labels == ["1234567"]


def test_heatmap_outlines_the_search_choice_of_a_callable_refit(iris):
    def worst(cv_results):
        return int(np.argmin(cv_results["mean_test_score"]))

    grid = {ACTIVATION: ["relu", "tanh"], LEARNING_RATE: [0.1, 0.01]}
    search = GridSearchCV(pipeline(), grid, cv=2, refit=worst).fit(*iris)
    display = SearchHeatmapDisplay.from_estimator(search)
    params = search.cv_results_["params"][search.best_index_]
    i = display.row_labels.index(params[display.row_param])
    j = display.column_labels.index(f"{params[display.column_param]:g}")
    assert display.best_marker_.get_xy() == (j - 0.5, i - 0.5)
    assert display.scores[i, j] == np.nanmin(display.scores)


# ----------------------------------------------------------------------
# Extreme ranges, one-parameter searches, what is not a search, labels


@pytest.mark.parametrize(
    "z_range",
    [
        (-1e308, 1e308),
        (-np.finfo(float).max, np.finfo(float).max),
        (1.79e308, 1.797e308),
    ],
)
def test_activation_extreme_but_finite_z_range(z_range):
    display = ActivationDisplay.from_activations(["relu"], z_range=z_range)
    display.figure_.canvas.draw()  # autoscaling and ticks, where Matplotlib overflows
    z = display.z
    assert (z[0], z[-1]) == z_range and np.all(np.diff(z) > 0)
    np.testing.assert_array_equal(display.values[0][:, 0], np.maximum(z, 0))
    # Drawn in units of 1e308, the axes saying so.
    np.testing.assert_allclose(display.lines_[0, 0].get_xdata(), z / 1e308)
    assert [ax.get_xlabel() for ax in display.axes_] == ["z (× 1e308)"] * 2
    assert display.axes_[0].get_ylabel() == "× 1e308"
    assert display.axes_[1].get_ylabel() == ""  # the derivative is 0 or 1


@pytest.mark.parametrize(
    "z_range, message",
    [
        ((-np.inf, 1.0), r"z_range must be finite, got \(-inf, 1.0\)"),
        ((0.0, np.nan), "z_range must be finite"),
        ((1.0, -1.0), r"low < high, got \(1.0, -1.0\)"),
        ((2.0, 2.0), "low < high"),
    ],
)
def test_activation_non_finite_or_reversed_z_range(z_range, message):
    with pytest.raises(ValueError, match=message):
        ActivationDisplay.from_activations("relu", z_range=z_range)


def test_activation_that_overflows_on_the_range():
    # SELU scales z by 1.0507: past float64's largest number.
    with pytest.raises(ValueError, match=r"SELU overflows on z_range .*narrow"):
        ActivationDisplay.from_activations(["relu", "selu"], z_range=(0, 1.79e308))


@pytest.fixture(scope="module")
def one_parameter_search(iris):
    """Only the activation varies; alpha is in the grid with one value."""
    grid = {ACTIVATION: ["relu", "tanh", "logistic"], ALPHA: [1e-4]}
    clf = ScratchMLPClassifier((2,), max_iter=1, random_state=0)
    return GridSearchCV(make_pipeline(clf), grid, cv=2).fit(*iris)


@pytest.mark.parametrize(
    "rows, columns", [(None, None), ("activation", None), (None, "activation")]
)
def test_heatmap_of_one_parameter(one_parameter_search, rows, columns):
    search = one_parameter_search
    display = SearchHeatmapDisplay.from_estimator(search, rows=rows, columns=columns)
    values = ["relu", "tanh", "logistic"]
    scores = search.cv_results_["mean_test_score"]
    ax, best = display.ax_, values.index(search.best_params_[ACTIVATION])
    if columns is None:  # a column of cells, one row per value
        assert (display.row_param, display.column_param) == (ACTIVATION, None)
        np.testing.assert_array_equal(display.scores, scores[:, None])
        assert tick_labels(ax.get_yticklabels()) == values
        assert (ax.get_ylabel(), ax.get_xlabel(), ax.get_xticks().size) == (
            "activation", "", 0,
        )  # fmt: skip
        assert display.best_marker_.get_xy() == (-0.5, best - 0.5)
    else:
        assert (display.row_param, display.column_param) == (None, ACTIVATION)
        np.testing.assert_array_equal(display.scores, scores[None, :])
        assert tick_labels(ax.get_xticklabels()) == values
        assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_yticks().size) == (
            "activation", "", 0,
        )  # fmt: skip
        assert display.best_marker_.get_xy() == (best - 0.5, -0.5)
    assert display.text_.size == 3


def test_heatmap_of_a_parameter_that_does_not_vary(one_parameter_search):
    # Named, the constant one is the second axis, of one position.
    display = SearchHeatmapDisplay.from_estimator(one_parameter_search, rows="alpha")
    assert (display.row_param, display.column_param) == (ALPHA, ACTIVATION)
    assert display.scores.shape == (1, 3) and display.row_labels == ["0.0001"]
    cv_results = {"param_alpha": [0.1], "mean_test_score": [0.5]}
    with pytest.raises(ValueError, match="varies no hyperparameter.*rows= or columns="):
        SearchHeatmapDisplay.from_cv_results(cv_results)
    display = SearchHeatmapDisplay.from_cv_results(cv_results, columns="alpha")
    assert display.scores.shape == (1, 1) and display.column_labels == ["0.1"]


def test_heatmap_needs_a_fitted_search(adam_clf):
    with pytest.raises(
        TypeError, match=r"needs a fitted search.*cv_results_.*got ScratchMLPClassifier"
    ):
        SearchHeatmapDisplay.from_estimator(adam_clf)
    unfitted = GridSearchCV(pipeline(), {ACTIVATION: ["relu"]})
    with pytest.raises(NotFittedError, match="This GridSearchCV instance is not"):
        SearchHeatmapDisplay.from_estimator(unfitted)


def test_heatmap_labels_name_the_parameters_and_the_scorer(search, multimetric_search):
    display = SearchHeatmapDisplay.from_estimator(search)
    assert (display.ax_.get_ylabel(), display.ax_.get_xlabel()) == (
        "learning_rate_init", "activation",
    )  # fmt: skip
    assert display.colorbar_.ax.get_ylabel() == "mean CV neg_log_loss"
    assert display.ax_.get_title() == "ScratchMLPClassifier: mean CV neg_log_loss"
    display = SearchHeatmapDisplay.from_estimator(
        multimetric_search, rows="alpha", columns="activation", scoring="neg_log_loss"
    )
    assert display.colorbar_.ax.get_ylabel() == "mean CV neg_log_loss"
    assert display.ax_.get_title().endswith(": mean CV neg_log_loss")


def test_heatmap_names_the_default_scorer(one_parameter_search, iris):
    display = SearchHeatmapDisplay.from_estimator(one_parameter_search)
    assert display.colorbar_.ax.get_ylabel() == "mean CV accuracy"
    assert display.ax_.get_title() == "ScratchMLPClassifier: mean CV accuracy"

    X, y = iris[0][:40], iris[0][:40, 0]
    reg = ScratchMLPRegressor(hidden_layer_sizes=(2,), max_iter=1, random_state=0)
    reg_search = GridSearchCV(reg, {"activation": ["relu", "tanh"]}, cv=2).fit(X, y)
    display = SearchHeatmapDisplay.from_estimator(reg_search)
    assert display.colorbar_.ax.get_ylabel() == "mean CV R²"
    assert display.ax_.get_title() == "ScratchMLPRegressor: mean CV R²"
    # A callable scorer, or cv_results alone: the scorer is unknown.
    display = SearchHeatmapDisplay.from_cv_results(reg_search.cv_results_)
    assert display.colorbar_.ax.get_ylabel() == "mean CV score"
    assert display.ax_.get_title() == "mean CV score"


def test_heatmap_axis_labels_disambiguate_short_names():
    cv_results = {
        "param_a__b__alpha": [0.1, 0.1, 1.0, 1.0],
        "param_c__b__alpha": [0.1, 1.0, 0.1, 1.0],
        "param_c__lr": [0.1, 0.1, 0.1, 0.1],
        "param_alpha": [1, 1, 1, 1],
        "mean_test_score": [0.1, 0.2, 0.3, 0.4],
    }
    display = SearchHeatmapDisplay.from_cv_results(
        cv_results, rows="a__b__alpha", columns="lr"
    )
    assert (display.ax_.get_ylabel(), display.ax_.get_xlabel()) == ("a__b__alpha", "lr")
    display = SearchHeatmapDisplay.from_cv_results(
        cv_results, rows="alpha", columns="c__b__alpha"
    )
    assert (display.ax_.get_ylabel(), display.ax_.get_xlabel()) == (
        "alpha", "c__b__alpha",
    )  # fmt: skip
