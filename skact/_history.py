"""``history_`` as a tidy table: a row per epoch, a column per metric and layer.

``history_`` is a dict of lists whose per-layer entries hold one list per
epoch; ``pandas.DataFrame(est.history_)`` keeps those as Python lists, and a
plot of it drops them. `history_table` spreads them into one column per
layer, which a DataFrame, a CSV file or `skact.plotting.HistoryDisplay`
read directly.
"""

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._mlp import _BaseScratchMLP
from ._progress import HISTORY, n_epochs

# The per-layer entries of history_, and the layer their first item is about:
# gradient norms exist for every layer of weights, inactive shares for every
# hidden layer; either way the k-th item is about the k-th layer of units
# after the input, so columns count layers from 1.
PER_LAYER = tuple(entry.key for entry in HISTORY if entry.per_layer)


def history_table(estimator, *, as_frame=False):
    """A fitted estimator's ``history_`` as a table, one column per layer.

    Parameters
    ----------
    estimator : ScratchMLPClassifier, ScratchMLPRegressor or Pipeline
        A fitted estimator, or a fitted pipeline ending in one.
    as_frame : bool, default=False
        Return a `pandas.DataFrame` indexed by epoch (pandas needed)
        instead of a dict of arrays.

    Returns
    -------
    table : dict of ndarray or pandas.DataFrame
        One row per epoch (per iteration for lbfgs). The columns: ``"epoch"``
        (counted from 1; the DataFrame's index), then each entry of
        ``history_`` that holds one number per epoch (``"loss"``,
        ``"learning_rate"``, ``"step_size"``, and with early stopping
        ``"val_loss"`` and ``"val_score"``), then the per-layer entries spread
        into ``"grad_norm_1"`` ... ``"grad_norm_L"`` (layer ``L`` is the
        output layer) and ``"inactive_share_1"`` ...
        ``"inactive_share_<L-1>"`` (the hidden layers). Layer ``k`` is the
        ``k``-th layer of units after the input, fed by ``coefs_[k - 1]``.

    Raises
    ------
    TypeError
        If the estimator is not one of skact's.
    NotFittedError
        If it is not fitted.

    Examples
    --------
    >>> import warnings
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.exceptions import ConvergenceWarning
    >>> from skact import ScratchMLPClassifier, history_table
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = ScratchMLPClassifier((8,), max_iter=5, random_state=0)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", ConvergenceWarning)  # 5 epochs: too few
    ...     clf = clf.fit(X, y)
    >>> table = history_table(clf)
    >>> list(table)  # doctest: +NORMALIZE_WHITESPACE
    ['epoch', 'loss', 'learning_rate', 'step_size', 'grad_norm_1', 'grad_norm_2',
     'inactive_share_1']
    >>> table["epoch"]
    array([1, 2, 3, 4, 5])
    """
    history = fitted_network(estimator, "history_table").history_
    table = {"epoch": np.arange(1, n_epochs(history) + 1)}
    for name, entries in history.items():
        if name not in PER_LAYER:
            table[name] = np.asarray(entries, dtype=float)
    for name in PER_LAYER:
        # Absent (empty) when the fit did not record it.
        per_layer = np.asarray(history.get(name, []), dtype=float)
        if per_layer.size:
            for k, column in enumerate(per_layer.T, start=1):
                table[f"{name}_{k}"] = column
    if as_frame:
        return _as_frame(table)
    return table


def fitted_network(estimator, caller):
    """The fitted skact estimator that ``estimator`` is, or that ends it.

    Parameters
    ----------
    estimator : object
        A skact estimator, or a pipeline whose last step is one.
    caller : str
        The function asking, named in the errors.

    Returns
    -------
    estimator : ScratchMLPClassifier or ScratchMLPRegressor
    """
    network = estimator[-1] if isinstance(estimator, Pipeline) else estimator
    if not isinstance(network, _BaseScratchMLP):
        raise TypeError(
            f"{caller} takes a ScratchMLPClassifier or ScratchMLPRegressor, or a "
            f"Pipeline ending in one; got {type(network).__name__}."
        )
    check_is_fitted(network, "history_")
    return network


def _as_frame(table):
    try:
        import pandas as pd
    except ImportError as error:
        raise ImportError(
            "history_table(..., as_frame=True) needs pandas, which is not "
            "installed: pip install pandas, or use as_frame=False for a dict "
            "of arrays."
        ) from error
    return pd.DataFrame(table).set_index("epoch")
