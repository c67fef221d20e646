"""skact: scikit-learn compatible multi-layer perceptrons written in NumPy.

The hidden activation is a hyperparameter among many (leaky ReLU, PReLU, ELU,
SELU, GELU, SiLU, softplus, ... and your own), tunable with ``GridSearchCV``.
"""

from ._gradcheck import check_gradients
from ._mlp import ScratchMLPClassifier, ScratchMLPRegressor

__version__ = "0.1.0"

__all__ = [
    "ScratchMLPClassifier",
    "ScratchMLPRegressor",
    "__version__",
    "check_gradients",
]
