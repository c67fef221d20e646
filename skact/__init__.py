"""skact: scikit-learn compatible multi-layer perceptrons written in NumPy.

The hidden activation is a hyperparameter among many (leaky ReLU, PReLU, ELU,
SELU, GELU, SiLU, softplus, ... and your own), tunable with ``GridSearchCV``.
"""

from ._gradcheck import check_gradients
from ._history import history_table
from ._mlp import (
    MLPClassifier,
    MLPRegressor,
    ScratchMLPClassifier,
    ScratchMLPRegressor,
)
from .plotting import ActivationDisplay, HistoryDisplay, SearchHeatmapDisplay

__version__ = "0.1.0"

__all__ = [
    "ActivationDisplay",
    "HistoryDisplay",
    "MLPClassifier",
    "MLPRegressor",
    "ScratchMLPClassifier",
    "ScratchMLPRegressor",
    "SearchHeatmapDisplay",
    "__version__",
    "check_gradients",
    "history_table",
]
