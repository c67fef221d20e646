"""Stochastic training's inner loop: the mini-batches of an epoch, and its steps.

The estimator's epoch loop (in ``_mlp.py``) calls :func:`train_epoch` once per
epoch; everything that happens per batch happens here, in plain NumPy.
"""

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp


class MiniBatch(NamedTuple):
    """One mini-batch of training rows."""

    X: object
    """Input rows, ndarray or sparse matrix."""
    Y: np.ndarray
    """Their targets."""
    sample_weight: np.ndarray
    """Their weights, or None."""
    weight_sum: float
    """The sum of their weights (their count if unweighted)."""
    keys: np.ndarray
    """Their content keys, for dropout masks, or None."""
    is_last: bool
    """Whether this is the epoch's last batch."""


class MiniBatches:
    """The mini-batches of an epoch, reshuffled each time they are iterated.

    Iterating gives one epoch: the rows in consecutive slices of
    ``batch_size``, in a new random order when ``shuffle`` is set. A
    shuffled dense batch is gathered into one reused buffer, which the next
    batch overwrites. Batches whose weights sum to zero are skipped: there is
    nothing to learn from them.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training input.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    sample_weight : ndarray of shape (n_samples,) or None
        Sample weights.
    keys : ndarray of uint64 of shape (n_samples,) or None
        Content keys of the rows, for dropout.
    batch_size : int
        Rows per batch (the last batch may have fewer).
    shuffle : bool
        Reshuffle the rows at each epoch.
    rng : numpy.random.RandomState
        Source of the shuffles.
    """

    def __init__(self, X, Y, sample_weight, keys, batch_size, shuffle, rng):
        self.X, self.Y, self.sample_weight, self.keys = X, Y, sample_weight, keys
        self.n_samples = X.shape[0]
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.rng = rng
        self._order = np.arange(self.n_samples)
        self._buffer = None
        if shuffle and not sp.issparse(X):
            self._buffer = np.empty((batch_size, X.shape[1]), dtype=X.dtype)

    def __iter__(self):
        if self.shuffle:
            self.rng.shuffle(self._order)
        for start in range(0, self.n_samples, self.batch_size):
            stop = min(start + self.batch_size, self.n_samples)
            rows = self._order[start:stop] if self.shuffle else slice(start, stop)
            if self.sample_weight is None:
                sample_weight, weight_sum = None, stop - start
            else:
                sample_weight = self.sample_weight[rows]
                weight_sum = float(sample_weight.sum())
                if not weight_sum > 0:
                    continue
            yield MiniBatch(
                self._rows_of_X(rows),
                self.Y[rows],
                sample_weight,
                weight_sum,
                None if self.keys is None else self.keys[rows],
                stop == self.n_samples,
            )

    def _rows_of_X(self, rows):
        if self._buffer is None or isinstance(rows, slice):
            return self.X[rows]
        # mode="clip": the rows are valid, and the default "raise" copies
        # through a temporary buffer.
        return np.take(self.X, rows, axis=0, out=self._buffer[: rows.size], mode="clip")


def train_epoch(net, optimizer, batches, alpha, l1_ratio, epoch, active=None):
    """One pass over the mini-batches, an optimizer step on each.

    Parameters
    ----------
    net : Network
        The network, whose parameters the optimizer updates.
    optimizer : SGD or Adam
        The optimizer.
    batches : MiniBatches
        The epoch's batches.
    alpha, l1_ratio : float
        The elastic-net penalty; its L1 part is the optimizer's proximal step.
    epoch : int
        Number of the epoch, which varies the dropout masks.
    active : list of (ndarray of bool or None), default=None
        A record of active units (``Network.new_activity``) to fill.

    Returns
    -------
    loss : float
        The batches' losses times their sizes, summed, over all rows (a
        skipped weightless batch counts as zero).
    grad_norms : list of float
        The gradient norm of each layer at the epoch's last batch, before its
        step (one reading per epoch keeps the record cheap); NaN if that batch
        was skipped.
    """
    accumulated_loss = 0.0
    grad_norms = [np.nan] * net.n_layers
    for batch in batches:
        _, batch_loss = net.loss_grad(
            batch.X, batch.Y, batch.sample_weight, alpha, l1_ratio, batch.keys,
            epoch, active,
        )  # fmt: skip
        if batch.is_last:
            grad_norms = net.layer_grad_norms()
        optimizer.update(
            net.params,
            net.grad,
            l1=float(alpha * l1_ratio / batch.weight_sum),
            n_l1=net.n_coef,
        )
        accumulated_loss += batch_loss * batch.X.shape[0]
    return accumulated_loss / batches.n_samples, grad_norms
