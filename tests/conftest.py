"""Data and fitted models that several test modules share.

The fixtures are session-scoped: each is built once, and no test may change
what it is given (a test that fits copies it, e.g. with ``sklearn.clone``).
"""

import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler


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
