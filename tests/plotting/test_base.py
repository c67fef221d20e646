"""What the Displays share: matplotlib stays optional, fitted pipelines are
taken, and unclear inputs get clear errors."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skact import (
    ActivationDisplay,
    HistoryDisplay,
    ScratchMLPClassifier,
    SearchHeatmapDisplay,
    history_table,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module", autouse=True)
def fresh_import():
    """A new interpreter that imports skact and says whether matplotlib came too.

    Started with the module's first test so that it runs alongside the others:
    importing scikit-learn alone takes seconds.
    """
    code = "import sys, skact, skact.plotting; print('matplotlib' in sys.modules)"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


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
