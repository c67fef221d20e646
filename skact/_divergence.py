"""Whether a fit diverged: weights or output that overflow, or a loss blown up.

A learning rate far too large need not overflow: the weights can swing to
huge but finite values, and the loss settle a million times above where it
started while every number stays finite. A finished fit is therefore judged
twice. :func:`overflowed` asks whether the parameters, or the output they give
on the training rows (in float32 too, the dtype an ONNX export runs in), are
not finite. :class:`LossCheck` compares the loss the fit ended at with the
*scale* of the problem on the rows it was given: the largest of

- the loss of the best constant prediction (the class priors, each label's
  rate, the targets' weighted mean): what any model can reach by ignoring X;
- the loss of the weights the fit started from;
- for a continued fit (``warm_start``, ``partial_fit``), the first loss the
  model ever recorded: a small batch (one row, say) can start well predicted
  and end an ordinary step of a stream a thousand times worse, yet far below
  where the model began;
- :func:`loss_floor`, below which a loss counts as zero (a share of the loss
  of an output of zero: a yardstick in the targets' units).

A loss above :data:`FAR` times that scale is a diverged fit, reported as one
whose weights overflowed. A ``fit`` that ends above ``1 + WORSE`` times it
ended worse than where it started and than predicting a constant: training
went uphill, the mark of a learning rate too large, which is warned of
(unless a constant is all but perfect on these rows: one row, constant
targets, where there is nothing to learn from X and an ordinary fit ends
within noise of it).

No scikit-learn here, as nowhere below ``_mlp.py``: this module says what
happened, and the estimator raises or warns.
"""

import numpy as np
from scipy.special import xlogy

from ._losses import REPORT_OVER_OUTPUTS, target_mean
from ._network import Batch, make_layers, predict

FAR = 1e3
"""How many times the scale a loss may reach before the fit counts as diverged.

Far beyond noise: a fit that ends a thousand times worse than both its start
and a constant prediction has learned nothing but its learning rate."""

WORSE = 0.1
"""How far above the scale (as a share of it) a fit's loss ends to be warned of.

Above the noise of a stochastic fit that learns nothing (its loss hovers
about the constant prediction's); a fit that goes uphill from a good start
ends far above it."""

NEGLIGIBLE = 1e-3
"""The share of :func:`zero_loss` below which a loss counts as zero: on one
row, or constant targets, a start at the prior can be all but perfect, and a
step of an ordinary fit a thousand times worse and still negligible."""

LARGE_PARAMETER = 1e8
"""Beyond this, a trained parameter is suspect: the output is checked."""

_FLOAT32_MAX = float(np.finfo(np.float32).max)


def zero_loss(loss, Y, sample_weight=None):
    """The loss of an output of 0 (z = 0), scaled as ``loss_`` reports it.

    A yardstick in the targets' own units: the loss of a network that has
    learned nothing, not even the targets' level.

    Parameters
    ----------
    loss : {"squared_error", "poisson", "binary_log_loss", "log_loss"}
        The network's loss.
    Y : ndarray of shape (n_samples, n_outputs)
        The targets (0/1 indicators for a classifier).
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the samples.

    Returns
    -------
    loss : float
        ``log(n_classes)``, ``log(2)`` per label, half the weighted mean of
        the squared targets (averaged over outputs), or half the deviance of
        predicting 1.
    """
    n_outputs = Y.shape[1]
    if loss == "log_loss":
        return float(np.log(n_outputs))
    if loss == "binary_log_loss":
        return float(n_outputs * np.log(2))
    Y = np.asarray(Y, dtype=np.float64)
    if loss == "squared_error":
        return float(0.5 * np.average(Y**2, axis=0, weights=sample_weight).mean())
    deviance = xlogy(Y, Y) - Y + 1
    return float(np.average(deviance, axis=0, weights=sample_weight).sum())


def loss_floor(loss, Y, sample_weight, dtype):
    """The loss below which a loss counts as zero.

    :data:`NEGLIGIBLE` times :func:`zero_loss`, and at least the square root
    of the dtype's machine epsilon.

    Parameters
    ----------
    loss : {"squared_error", "poisson", "binary_log_loss", "log_loss"}
        The network's loss.
    Y : ndarray of shape (n_samples, n_outputs)
        The targets.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the samples.
    dtype : numpy.dtype
        The dtype of the fit.

    Returns
    -------
    floor : float
    """
    floor = NEGLIGIBLE * zero_loss(loss, Y, sample_weight)
    return max(floor, float(np.sqrt(np.finfo(dtype).eps)))


def constant_loss(loss, Y, sample_weight=None):
    """The loss of the best constant prediction, scaled as ``loss_`` reports it.

    Parameters
    ----------
    loss : {"squared_error", "poisson", "binary_log_loss", "log_loss"}
        The network's loss.
    Y : ndarray of shape (n_samples, n_outputs)
        The targets (0/1 indicators for a classifier).
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the samples (class weights included).

    Returns
    -------
    loss : float
        For the log-losses, the (weighted) entropy of the class priors or of
        each label's rate, summed over labels; for the squared error, half
        the weighted variance of each output, averaged over the outputs as
        scikit-learn reports it; for the Poisson loss, half the deviance of
        predicting the weighted mean, summed over outputs.
    """
    mean = target_mean(Y, sample_weight)
    if loss == "log_loss":
        per_output = -xlogy(mean, mean)
    elif loss == "binary_log_loss":
        per_output = -xlogy(mean, mean) - xlogy(1 - mean, 1 - mean)
    elif loss == "squared_error":
        per_output = 0.5 * np.average((Y - mean) ** 2, axis=0, weights=sample_weight)
    else:  # poisson: y log(y / mean) - y + mean, whose last two terms cancel
        deviance = xlogy(Y, Y) - xlogy(Y, mean)
        per_output = np.average(deviance, axis=0, weights=sample_weight)
    total = float(per_output.sum())
    return total / Y.shape[1] if loss in REPORT_OVER_OUTPUTS else total


def overflowed(net, X):
    """Whether the parameters, or the output they give on X, are not finite.

    Parameters so large that the output overflows are a diverged fit too, as
    are those of a float64 fit whose output overflows in float32 (an ONNX
    export's dtype) although it fits in float32's range. Ordinary parameters
    cannot make either overflow, and the passes over the rows are spared.

    Parameters
    ----------
    net : Network
        The trained network.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        The training rows.

    Returns
    -------
    overflowed : bool
    """
    largest = np.abs(net.params).max(initial=0.0)
    if not np.isfinite(largest):
        return True
    if largest < LARGE_PARAMETER:
        return False
    # Overflow is what is asked about, not a warning to give.
    with np.errstate(all="ignore"):
        return _output_overflows(net, X)


def _output_overflows(net, X):
    """:func:`overflowed`'s passes over the rows, for huge parameters."""
    output = predict(X, net.layers)
    if not np.isfinite(output).all():
        return True
    if net.dtype == np.float32 or np.abs(output).max(initial=0.0) > _FLOAT32_MAX:
        return False  # targets beyond float32 cannot be exported anyway
    coefs, intercepts, act_params = net.unpack(net.params.astype(np.float32))
    layers = make_layers(
        coefs, intercepts, net.hidden_activations, act_params, net.out_activation
    )
    return not np.isfinite(predict(X.astype(np.float32), layers)).all()


class LossCheck:
    """The loss scale of a fit, known from its start; the verdict at its end.

    Created once the network to train exists (its start is copied), before
    training.

    Parameters
    ----------
    net : Network
        The network about to be trained.
    X, Y, sample_weight : arrays
        The rows the fit is given (every one, validation rows included), as
        the network takes them.
    penalty : Penalty
        The penalty, part of the loss compared.
    first_loss : float or None
        The first loss the model recorded, for a continued fit; else None.
    """

    def __init__(self, net, X, Y, sample_weight, penalty, first_loss=None):
        self._net, self._rows = net, Batch(X, Y, sample_weight)
        self._penalty = penalty
        self._start = net.params.copy()
        self.first_loss = first_loss
        # Computed when needed: the constant's and the floor's from the
        # targets, the start's and the final one's from a pass over the rows.
        self.constant = self.floor = self.start_loss = self.final_loss = None

    def verdict(self, loss, exact, warn):
        """Judge the fit: None, "worse", "diverged" or "overflowed".

        Parameters
        ----------
        loss : float
            The fit's ``loss_``.
        exact : bool
            Whether ``loss`` is the loss of the final weights on every row
            (L-BFGS); else (an epoch's running mean, perhaps with dropout, and
            perhaps of weights that early stopping replaced) the final
            weights' loss is computed when ``loss`` looks suspect.
        warn : bool
            Whether a loss merely worse than the scale is to be reported
            (``fit``; a ``partial_fit`` is one noisy step of a stream), if
            predicting a constant is not all but perfect.

        Returns
        -------
        verdict : {None, "worse", "diverged", "overflowed"}
            "overflowed" when the loss, the parameters or the output on the
            rows are not finite (:func:`overflowed`). The losses compared,
            where computed, are then in :attr:`constant`, :attr:`floor`,
            :attr:`start_loss` and :attr:`final_loss`.
        """
        if not np.isfinite(loss) or overflowed(self._net, self._rows.X):
            return "overflowed"
        self.final_loss = loss
        # Each scale below is at most the final one: under its threshold, the
        # fit passes with nothing more computed (the common cases).
        if not warn and self.first_loss is not None and loss <= FAR * self.first_loss:
            return None  # partial_fit: not even the targets' pass
        Y, sample_weight = self._rows.Y, self._rows.sample_weight
        self.constant = constant_loss(self._net.loss, Y, sample_weight)
        self.floor = loss_floor(self._net.loss, Y, sample_weight, self._net.dtype)
        warn = warn and self.constant > self.floor
        known = max(self.constant, self.first_loss or 0, self.floor)
        if loss <= (1 + WORSE if warn else FAR) * known:
            return None
        if not exact:
            self.final_loss = self._loss_at(None)
            if not np.isfinite(self.final_loss):
                return "overflowed"
        self.start_loss = self._loss_at(self._start)
        scale = max(known, self.start_loss)
        if not self.final_loss <= FAR * scale:
            return "diverged"
        if warn and self.final_loss > (1 + WORSE) * scale:
            return "worse"
        return None

    def scale_text(self):
        """The losses the final one was compared with, in words.

        Returns
        -------
        text : str
            Such as "both the loss of predicting the class priors (1.1) and
            that of the weights it started from (1.16)".
        """
        parts = [
            f"the loss of predicting {_CONSTANT[self._net.loss]} ({self.constant:.3g})",
            f"that of the weights it started from ({self.start_loss:.3g})",
        ]
        if self.first_loss is not None:
            parts.append(f"the first loss the model recorded ({self.first_loss:.3g})")
        if len(parts) == 2:
            return f"both {parts[0]} and {parts[1]}"
        return f"each of {parts[0]}, {parts[1]} and {parts[2]}"

    def _loss_at(self, params):
        """The loss (penalty included, scaled as ``loss_``) at ``params`` or now."""
        net = self._net
        current = None
        if params is not None:
            current = net.params.copy()
            net.params[...] = params
        try:
            rows = self._rows
            data_loss, _ = net.evaluate(rows)
            weights = net.params[: net.n_coef]
            return data_loss + self._penalty.value(weights, rows.weight_sum)
        finally:
            if current is not None:
                net.params[...] = current


_CONSTANT = {
    "log_loss": "the class priors",
    "binary_log_loss": "each label's rate",
    "squared_error": "the targets' mean",
    "poisson": "the targets' mean",
}
"""What the best constant prediction predicts, by loss."""


def divergence_message(solver, learning_rate_init, check=None):
    """The error of a diverged fit: scikit-learn's sentence, then what happened.

    Parameters
    ----------
    solver : {"lbfgs", "sgd", "adam"}
        The fit's solver.
    learning_rate_init : float
        Its initial learning rate (named in the hint of SGD and Adam).
    check : LossCheck or None
        The check that found the loss blown up; None if the weights, the loss
        or the output overflowed.

    Returns
    -------
    message : str
    """
    if check is None:
        what = "the weights, the loss or the network's output overflowed"
    else:
        what = (
            f"the loss ended at {check.final_loss:.3g}, more than {FAR:g} times "
            f"{check.scale_text()}"
        )
    # scikit-learn's sentence first: code may match on it.
    return (
        "Solver produced non-finite parameter weights. The input data may contain "
        f"large values and need to be preprocessed. (Training diverged: {what}. "
        f"{_hint(solver, learning_rate_init)})"
    )


def uphill_message(solver, learning_rate_init, check):
    """The warning of a fit that ended worse than its start and a constant.

    Parameters
    ----------
    solver : {"lbfgs", "sgd", "adam"}
        The fit's solver.
    learning_rate_init : float
        Its initial learning rate.
    check : LossCheck
        The check that found the fit gone uphill.

    Returns
    -------
    message : str
    """
    return (
        f"Training went uphill: the loss ended at {check.final_loss:.3g}, above "
        f"{check.scale_text()}; the model is worse than one that ignores X. "
        f"{_hint(solver, learning_rate_init)}"
    )


def _hint(solver, learning_rate_init):
    if solver == "lbfgs":
        return "Scale the input (with StandardScaler, say) and the targets."
    return (
        f"learning_rate_init={learning_rate_init!r} is likely too large for this "
        "data: try a smaller one, or scale the input and the targets."
    )
