"""Early stopping's validation set and score, chosen so that weights act as repetitions.

scikit-learn's estimator checks require that a sample weight of k gives the same
model as k copies of the row. A random split breaks that: copies of a row may land
on both sides. Here the split depends on the rows' content instead, and the
regressor's validation score is defined for any number of rows.
"""

import hashlib

import numpy as np
import scipy.sparse as sp


def validation_r2(y_true, y_pred, sample_weight=None):
    """R² as ``r2_score`` defines it, averaged over outputs, for any number of rows.

    ``r2_score`` returns NaN for a single row, while the same row repeated
    gets a finite score; early stopping needs a score in which a row of weight
    k counts as k copies of it, so a constant target scores 1.0 when predicted
    exactly and 0.0 otherwise, as ``r2_score`` does for constant targets.
    """
    y_true = np.asarray(y_true, dtype=float).reshape(len(y_true), -1)
    y_pred = np.asarray(y_pred, dtype=float).reshape(len(y_pred), -1)
    w = np.ones(len(y_true)) if sample_weight is None else sample_weight
    w = np.asarray(w, dtype=float)[:, np.newaxis]
    mean = (w * y_true).sum(axis=0) / w.sum()
    ss_res = (w * (y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = (w * (y_true - mean) ** 2).sum(axis=0)
    constant = ss_tot == 0
    r2 = np.where(constant, (ss_res == 0).astype(float), 0.0)
    r2[~constant] = 1 - ss_res[~constant] / ss_tot[~constant]
    return float(r2.mean())


def _row_contents(X):
    """Each row as bytes: its non-zero column indices, then their values.

    The same for a dense array and any sparse format of the same data, so the
    split does not depend on how the data is stored.
    """
    if sp.issparse(X):
        X = sp.csr_matrix(X, copy=True)
        X.sum_duplicates()  # also sorts the indices
        X.eliminate_zeros()
        for start, stop in zip(X.indptr[:-1], X.indptr[1:]):
            columns = X.indices[start:stop].astype(np.int64)
            yield columns.tobytes() + X.data[start:stop].tobytes()
    else:
        for row in X:
            columns = np.flatnonzero(row)
            yield columns.astype(np.int64).tobytes() + row[columns].tobytes()


def row_keys(X, Y, key):
    """A keyed 64-bit hash of each row's content (features and target)."""
    Y = np.ascontiguousarray(Y)
    return np.fromiter(
        (
            int.from_bytes(
                hashlib.blake2b(row + y.tobytes(), digest_size=8, key=key).digest(),
                "little",
            )
            for row, y in zip(_row_contents(X), Y)
        ),
        dtype=np.uint64,
        count=X.shape[0],
    )


def validation_split(X, Y, sample_weight, fraction, strata, rng):
    """Choose the early-stopping validation rows by their content.

    Rows are ordered by a keyed hash of their content (the key drawn from
    ``rng``); within each stratum, groups of identical rows are taken in that
    order while the weight taken so far is below ``fraction`` of the stratum's
    weight, always leaving at least one group for training. Identical rows
    thus land on the same side, and a row of weight k is treated exactly as k
    copies of it, which keeps sample weights and repetitions equivalent.
    Rows of zero weight stay in the training set, where they do nothing.

    Returns
    -------
    train, val : ndarray of int
        Row indices of the two sets.
    """
    n_samples = X.shape[0]
    keys = row_keys(X, Y, rng.bytes(16))
    weight = np.ones(n_samples) if sample_weight is None else sample_weight
    strata = np.zeros(n_samples) if strata is None else strata
    in_val = np.zeros(n_samples, dtype=bool)
    for stratum in np.unique(strata):
        rows = np.flatnonzero((strata == stratum) & (weight > 0))
        if rows.size == 0:
            continue
        rows = rows[np.argsort(keys[rows], kind="stable")]
        sorted_keys = keys[rows]
        group = np.cumsum(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) - 1
        group_weight = np.bincount(group, weights=weight[rows])
        weight_before = np.cumsum(group_weight) - group_weight
        take = weight_before < fraction * group_weight.sum()
        take[-1] = False
        in_val[rows[take[group]]] = True
    if not in_val.any():
        raise ValueError(
            f"early_stopping=True could not set aside a validation set: "
            f"validation_fraction={fraction} of n_samples={n_samples} (in groups "
            "of identical rows, per class) is empty. Use more data, a larger "
            "validation_fraction, or early_stopping=False."
        )
    return np.flatnonzero(~in_val), np.flatnonzero(in_val)
