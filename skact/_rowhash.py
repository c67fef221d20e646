"""Keyed hashes of rows' content, so that identical rows are always treated alike.

scikit-learn's estimator checks require that a sample weight of k gives the same
model as k copies of a row. Anything random that is drawn per row would break
that (copies of a row would get different draws), so skact draws from a hash of
the row's content instead: the early-stopping validation split
(:mod:`skact._stopping`) and the dropout masks (:mod:`skact._network`) both do.
"""

import hashlib

import numpy as np
import scipy.sparse as sp


def _row_contents(X):
    """Each row as bytes: its non-zero column indices, then their values.

    The same for a dense array and any sparse format of the same data, so the
    hashes do not depend on how the data is stored.
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
    """A keyed 64-bit hash of each row's content (features and target).

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Features.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    key : bytes
        Up to 64 bytes that select the hash function (drawn from the
        estimator's ``random_state``).

    Returns
    -------
    keys : ndarray of uint64 of shape (n_samples,)
        Equal for identical rows with identical targets.
    """
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


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)

_BLOCK_VALUES = 2**16
"""Values of X that :func:`content_keys` copies at a time."""


def content_keys(X, Y, rng):
    """A fast 64-bit hash of each row's content (features and targets).

    Like :func:`row_keys`, equal for identical rows (dense or sparse alike,
    ``-0.0`` counted as ``0``) and different, but for a chance of about
    ``2**-64`` per pair, for different ones; vectorised, it costs a few passes
    over X instead of one cryptographic hash per row. The hash is a sum over
    the non-zero entries of the entry's bits times a random odd multiplier of
    its column, mixed: the order of the entries does not matter, and sums of
    integers are exact.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Features.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    rng : numpy.random.RandomState
        Draws the multipliers.

    Returns
    -------
    keys : ndarray of uint64 of shape (n_samples,)
    """
    n_features = X.shape[1]
    multipliers = rng.randint(0, 2**62, n_features + Y.shape[1], dtype=np.uint64)
    multipliers = multipliers * np.uint64(2) + np.uint64(1)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        keys = _dense_sum(Y, X.dtype, multipliers[n_features:])
        if sp.issparse(X):
            X = sp.csr_matrix(X, copy=True)
            X.sum_duplicates()
            X.eliminate_zeros()
            terms = _bits(X.data) * multipliers[X.indices]
            # Row sums from a running sum: differences modulo 2**64 are exact.
            running = np.concatenate([[np.uint64(0)], np.cumsum(terms)])
            keys += running[X.indptr[1:]] - running[X.indptr[:-1]]
        else:
            keys += _dense_sum(X, X.dtype, multipliers[:n_features])
        return _mix64(keys)


def _bits(values):
    """The bits of float values as unsigned integers, with -0.0 made 0.0.

    uint64 for float64, uint32 for float32, of a copy: adding 0.0 makes
    -0.0 into 0.0 (it equals 0.0, so it must hash as one).
    """
    values = values + 0.0
    return values.view(np.uint32 if values.dtype == np.float32 else np.uint64)


def _dense_sum(A, dtype, multipliers):
    """Each row's sum of its entries' bits (as ``dtype``) times the multipliers.

    In blocks of rows, so that the copies (to ``dtype``, and the one that
    makes -0.0 into 0.0) stay small: a fit's memory is otherwise its
    batches' buffers.
    """
    sums = np.zeros(A.shape[0], dtype=np.uint64)
    step = max(1, _BLOCK_VALUES // max(A.shape[1], 1))
    for start in range(0, A.shape[0], step):
        block = _bits(np.asarray(A[start : start + step], dtype=dtype))
        # einsum sums float32's uint32 bits in uint64 without another copy.
        sums[start : start + step] = np.einsum("ij,j->i", block, multipliers)
    return sums


def _mix64(x):
    """SplitMix64's finaliser, in place on a uint64 array: a fast 64-bit hash."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def dropout_mask(keys, seed, layer, rate, out):
    """Inverted-dropout mask ``keep / (1 - rate)`` for one layer, into ``out``.

    Unit ``j`` of a row is kept when a hash of (row key, seed, layer, j) is at
    least ``rate * 2**64``: a deterministic function of the row's content, so
    that k identical rows get the mask of one row of weight k.

    Parameters
    ----------
    keys : ndarray of uint64 of shape (n_samples,)
        The rows' keys, from :func:`row_keys`.
    seed : int
        Varies the masks, e.g. from epoch to epoch.
    layer : int
        Index of the hidden layer.
    rate : float
        Share of units dropped, in [0, 1).
    out : ndarray of shape (n_samples, n_units)
        Receives the mask.

    Returns
    -------
    out : ndarray of shape (n_samples, n_units)
        0 for a dropped unit, ``1 / (1 - rate)`` for a kept one.
    """
    n_units = out.shape[1]
    salt = _mix64(np.array([seed * 1_000_003 + layer], dtype=np.uint64))[0]
    h = (keys ^ salt)[:, np.newaxis] + np.arange(n_units, dtype=np.uint64) * _GOLDEN
    keep = _mix64(h) >= np.uint64(min(rate * 2.0**64, 2.0**64 - 2048))
    return np.multiply(keep, 1.0 / (1.0 - rate), out=out)
