"""Data and fitted models that several test modules share.

The fixtures are session-scoped: each is built once, and no test may change
what it is given (a test that fits copies it, e.g. with ``sklearn.clone``).
"""

import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "slow: a test that takes seconds; deselect with -m 'not slow'.",
    )


@pytest.fixture(scope="session")
def iris():
    """Iris as it comes: ``(X, y)``, 150 rows, 4 features, 3 classes."""
    return load_iris(return_X_y=True)


@pytest.fixture(scope="session")
def iris_scaled():
    """Iris with standardised features."""
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="session")
def early_stopping_clf():
    """Two hidden layers, early stopping, every one of its 8 epochs run (iris)."""
    clf = ScratchMLPClassifier(
        (8, 6), early_stopping=True, n_iter_no_change=100, max_iter=8, random_state=0
    )
    return clf.fit(*load_iris(return_X_y=True))


@pytest.fixture(scope="session")
def lbfgs_clf():
    """Six L-BFGS iterations of one hidden layer (iris)."""
    clf = ScratchMLPClassifier((5,), solver="lbfgs", max_iter=6, random_state=0)
    return clf.fit(*load_iris(return_X_y=True))
