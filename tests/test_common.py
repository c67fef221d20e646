"""scikit-learn's estimator checks, for both estimators in several configurations.

Every check must pass: no configuration is marked as an expected failure.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skact import (
    MLPClassifier,
    MLPRegressor,
    ScratchMLPClassifier,
    ScratchMLPRegressor,
)
from skact.activations import ELU, LeakyReLU

# Most configurations run fewer epochs than the default, to keep the suite fast
# (scikit-learn tests its own MLP with max_iter=100); each configuration runs
# every check scikit-learn has.
_SMALL = dict(max_iter=100)
CONFIGURATIONS = [
    # At the default max_iter, as users meet them.
    {},
    dict(solver="lbfgs"),
    dict(solver="sgd", activation="tanh"),
    dict(early_stopping=True),
    # The rest with fewer epochs.
    dict(solver="lbfgs", **_SMALL),
    dict(solver="sgd", **_SMALL),
    dict(solver="adam", **_SMALL),
    dict(activation="leaky_relu", **_SMALL),
    dict(activation="prelu", **_SMALL),
    dict(activation="selu", **_SMALL),
    dict(activation="gelu", **_SMALL),
    dict(early_stopping=True, **_SMALL),
    # Activation objects, and one activation per hidden layer.
    dict(activation=ELU(alpha=0.5), **_SMALL),
    dict(hidden_layer_sizes=(20, 10), activation=[LeakyReLU(0.2), "tanh"], **_SMALL),
    # skact's own modelling parameters.
    dict(weight_init="he_uniform", **_SMALL),
    dict(weight_init="sklearn", **_SMALL),
    dict(dropout=0.2, **_SMALL),
    # (With solver="lbfgs", l1_ratio > 0 passes every check but the
    # sample-weight equivalence: L-BFGS-B's bounded path depends on rounding,
    # and the non-convex problem then ends in a different local minimum.)
    dict(l1_ratio=0.5, alpha=0.01, **_SMALL),
]
# class_weight is the classifier's alone.
CLASSIFIER_ONLY = [dict(class_weight="balanced", **_SMALL)]


# Few epochs on the checks' tiny data sets do not converge; that is expected.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    [
        Estimator(**params)
        for params in CONFIGURATIONS
        for Estimator in (ScratchMLPClassifier, ScratchMLPRegressor)
    ]
    + [ScratchMLPClassifier(**params) for params in CLASSIFIER_ONLY]
    # The same estimators under scikit-learn's names.
    + [MLPClassifier(**_SMALL), MLPRegressor(**_SMALL)]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
