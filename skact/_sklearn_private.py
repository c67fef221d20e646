"""The private scikit-learn names skact uses, imported in this one place.

scikit-learn's parameter-validation vocabulary and its sample-weight checker
are not public API. Importing them only here keeps a rename in a future
scikit-learn to a one-line fix.
"""

from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import _check_sample_weight as check_sample_weight

__all__ = [
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "check_sample_weight",
    "validate_parameter_constraints",
]
