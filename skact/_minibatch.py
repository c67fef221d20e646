"""Stochastic training's inner loop: the mini-batches of an epoch, and its steps.

The estimator's epoch loop (in ``_mlp.py``) calls :func:`train_epoch` once per
epoch; everything that happens per batch happens here, in plain NumPy.
"""

import numpy as np
import scipy.sparse as sp

from ._network import Batch


class MiniBatches:
    """The mini-batches of an epoch, reshuffled each time they are iterated.

    `epoch` gives one epoch: the rows in consecutive slices of
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

    def epoch(self, seed):
        """The batches of one epoch, each with whether it is the last.

        Parameters
        ----------
        seed : int
            The seed of the epoch's dropout masks.

        Yields
        ------
        batch : Batch
        is_last : bool
        """
        if self.shuffle:
            self.rng.shuffle(self._order)
        for start in range(0, self.n_samples, self.batch_size):
            stop = min(start + self.batch_size, self.n_samples)
            rows = self._order[start:stop] if self.shuffle else slice(start, stop)
            sample_weight = None
            if self.sample_weight is not None:
                sample_weight = self.sample_weight[rows]
            batch = Batch(
                self._rows_of_X(rows),
                self.Y[rows],
                sample_weight,
                None if self.keys is None else self.keys[rows],
                seed,
            )
            if batch.weight_sum > 0:
                yield batch, stop == self.n_samples

    def _rows_of_X(self, rows):
        if self._buffer is None or isinstance(rows, slice):
            return self.X[rows]
        # mode="clip": the rows are valid, and the default "raise" copies
        # through a temporary buffer.
        return np.take(self.X, rows, axis=0, out=self._buffer[: rows.size], mode="clip")


def train_epoch(net, optimizer, batches, penalty, epoch, active=None):
    """One pass over the mini-batches, an optimizer step on each.

    Parameters
    ----------
    net : Network
        The network, whose parameters the optimizer updates.
    optimizer : SGD or Adam
        The optimizer.
    batches : MiniBatches
        The epoch's batches.
    penalty : Penalty
        The penalty on the weights; its L1 part is a proximal step after
        each update.
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
    for batch, is_last in batches.epoch(epoch):
        _, batch_loss = net.loss_grad(batch, penalty, active)
        if is_last:
            grad_norms = net.layer_grad_norms()
        optimizer.update(net.params, net.grad)
        penalty.shrink(net.params[: net.n_coef], optimizer, batch.weight_sum)
        accumulated_loss += batch_loss * batch.X.shape[0]
    return accumulated_loss / batches.n_samples, grad_norms
