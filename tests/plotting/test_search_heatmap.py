"""``SearchHeatmapDisplay`` on Matplotlib's Agg backend: the scores, ticks,
labels and best cell of a search over one, two or more hyperparameters, from a
fitted search or its ``cv_results_``, and its errors."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier, ScratchMLPRegressor, SearchHeatmapDisplay

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

MLP = "scratchmlpclassifier__"
ACTIVATION, LEARNING_RATE, ALPHA = (
    MLP + "activation",
    MLP + "learning_rate_init",
    MLP + "alpha",
)


def tick_labels(ticks):
    return [tick.get_text() for tick in ticks]


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


@pytest.fixture(scope="module")
def one_parameter_search(iris):
    """Only the activation varies; alpha is in the grid with one value."""
    grid = {ACTIVATION: ["relu", "tanh", "logistic"], ALPHA: [1e-4]}
    clf = ScratchMLPClassifier((2,), max_iter=1, random_state=0)
    return GridSearchCV(make_pipeline(clf), grid, cv=2).fit(*iris)


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


def test_heatmap_of_failed_fits():
    cv_results = {
        "param_activation": ["relu", "tanh"],
        "param_learning_rate_init": [0.1, 0.01],
        "mean_test_score": np.array([np.nan, np.nan]),
    }
    with pytest.raises(ValueError, match="no fit succeeded"):
        SearchHeatmapDisplay.from_cv_results(cv_results)


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
