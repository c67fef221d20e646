"""Output activations and losses, computed from the output pre-activation ``z``.

Every loss here is paired with its *canonical* output activation (the inverse of
its link function):

=================  =================  ===============================
loss               output activation  used by
=================  =================  ===============================
``squared_error``  identity           regressor (default)
``poisson``        exp                regressor, ``loss="poisson"``
``binary_log_loss``  logistic          classifier, binary / multilabel
``log_loss``       softmax            classifier, multiclass
=================  =================  ===============================

For these pairs the derivative of the loss with respect to ``z`` collapses to
``a - y`` (prediction minus target), which is why the network's backward pass
starts from that difference whatever the loss. The losses are evaluated from
``z`` (or, for the log-loss, from the largest probability, which cannot
underflow) rather than from the probability of the target, so that a confident
wrong prediction gives a large finite loss instead of ``log(0)``. Each loss is
given ``a``, the canonical output activation of ``z``, as the network computes
it.

Scaling follows scikit-learn's MLP: each function returns the loss of each
sample summed over the outputs; the caller averages over samples with the sample
weights. scikit-learn additionally reports the squared error averaged over the
outputs (see :data:`REPORT_OVER_OUTPUTS`).
"""

import numpy as np
from scipy.special import expit, xlogy


def _identity(z, out):
    out[...] = z
    return out


def _logistic(z, out):
    return expit(z, out=out)


def _exp(z, out):
    # Clip so that a diverging Poisson model gives a huge but finite
    # prediction instead of an overflow warning.
    np.minimum(z, np.log(np.finfo(z.dtype).max) - 1, out=out)
    return np.exp(out, out=out)


def _softmax(z, out):
    # Subtracting the row maximum leaves the result unchanged and keeps exp()
    # from overflowing.
    np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


OUTPUT_ACTIVATIONS = {
    "identity": _identity,
    "logistic": _logistic,
    "exp": _exp,
    "softmax": _softmax,
}
"""Output activations by the name scikit-learn stores in ``out_activation_``.
Each is called as ``f(z, out)`` and writes its result into ``out``."""


def squared_error(y, z, a):
    """Half the squared error of each sample, summed over outputs."""
    diff = a - y
    return 0.5 * np.einsum("ij,ij->i", diff, diff)


def poisson(y, z, a):
    """Half the Poisson deviance of each sample, summed over outputs.

    ``y * log(y / a) - y + a`` with ``log(a) = z``: the ``y log y`` term is
    kept, as scikit-learn keeps it, so that a perfect fit has zero loss.
    """
    return (xlogy(y, y) - y * z - y + a).sum(axis=1)


def binary_log_loss(y, z, a):
    """Logistic loss of each sample, summed over the (independent) outputs.

    ``-y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z))`` simplifies to
    ``log(1 + exp(z)) - y z``, which ``logaddexp`` evaluates without overflow.
    """
    return (np.logaddexp(0, z) - y * z).sum(axis=1)


def log_loss(y, z, a):
    """Cross-entropy of each sample with softmax outputs ``a``.

    ``-sum_k y_k log(a_k) = sum_k y_k (logsumexp(z) - z_k)``. The
    log-sum-exp comes from the row's largest probability, which never
    underflows: ``log(max(a)) = max(z) - logsumexp(z)``. So the loss of a
    confident wrong prediction is large but finite, where ``log(a_k)`` would
    be ``log(0)``.
    """
    logsumexp = z.max(axis=1) - np.log(a.max(axis=1))
    return np.einsum("ij,ij->i", y, logsumexp[:, np.newaxis] - z)


LOSSES = {
    "squared_error": squared_error,
    "poisson": poisson,
    "binary_log_loss": binary_log_loss,
    "log_loss": log_loss,
}
"""Per-sample losses, called as ``loss(y, z, a)`` with ``a`` the output
activation of ``z``; each returns an array of shape (n_samples,)."""

OUTPUT_ACTIVATION_OF = {
    "squared_error": "identity",
    "poisson": "exp",
    "binary_log_loss": "logistic",
    "log_loss": "softmax",
}
"""The canonical output activation of each loss."""

REPORT_OVER_OUTPUTS = {"squared_error"}
"""Losses that scikit-learn reports averaged, not summed, over the outputs.

scikit-learn's gradient is the one of the *summed* loss for every loss; only
the reported ``loss_`` divides the squared error by ``n_outputs``. skact
optimises the summed loss (whose gradient it computes) and reports like
scikit-learn, so that ``loss_curve_`` reads the same."""


def target_mean(Y, sample_weight=None):
    """The (weighted) mean of each column of the targets, in float64.

    Without a float64 copy of ``Y``: a classifier's targets are booleans,
    and a copy of them as floats would be larger than a fit's buffers.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_outputs)
        The targets (0/1 indicators for a classifier).
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the samples.

    Returns
    -------
    mean : ndarray of shape (n_outputs,)
    """
    if sample_weight is None:
        return Y.mean(axis=0, dtype=np.float64)
    weights = np.asarray(sample_weight, dtype=np.float64)
    total = np.einsum("i,ij->j", weights, Y, dtype=np.float64, casting="safe")
    return total / weights.sum()
