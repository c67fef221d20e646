"""What the Displays' tests share: Matplotlib's Agg backend, a fresh figure per
test, and the fitted estimators that more than one Display draws.

Without matplotlib, the folder is skipped. A helper of a line or two is repeated
in the modules that use it: under ``--import-mode=importlib`` a test module
imports no other.
"""

import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def adam_clf(iris):
    return ScratchMLPClassifier((5,), max_iter=4, random_state=0).fit(*iris)


@pytest.fixture(scope="module")
def no_hidden_clf(iris):
    return ScratchMLPClassifier((), max_iter=3, random_state=0).fit(*iris)
