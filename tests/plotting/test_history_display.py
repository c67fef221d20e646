"""``HistoryDisplay`` on Matplotlib's Agg backend: its panels, lines and labels
for each solver, the metrics it is asked for, and its errors."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from skact import HistoryDisplay, history_table

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def labels_of(lines):
    return [line.get_label() for line in lines]


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


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


def test_history_from_a_data_frame(adam_clf):
    pytest.importorskip("pandas")
    display = HistoryDisplay(history_table(adam_clf, as_frame=True)).plot()
    np.testing.assert_array_equal(
        display.lines_["loss"][0].get_xdata(), np.arange(1, adam_clf.n_iter_ + 1)
    )
