"""The network itself: parameter layout, initialisation, forward and backward pass.

Pure NumPy (and SciPy for sparse input); nothing here knows about
scikit-learn. Notation, for hidden layer ``i`` with weights ``W[i]`` and
intercepts ``b[i]``::

    z[i] = a[i - 1] @ W[i] + b[i]     pre-activation, a[-1] being the input X
    a[i] = f_i(z[i])                  activation
    delta[i] = dLoss / dz[i]

Backpropagation is the chain rule applied layer by layer from the output down::

    delta[last] = (a[last] - y) * sample_weight / sum(sample_weight)
    dLoss/dW[i] = a[i - 1].T @ delta[i]  (+ the L2 penalty's alpha * W[i] / n)
    dLoss/db[i] = sum over samples of delta[i]
    delta[i - 1] = (delta[i] @ W[i].T) * f_{i-1}'(z[i - 1])

The first line holds because every loss is paired with its canonical output
activation (see ``_losses.py``).
"""

import numpy as np
import scipy.sparse as sp

from ._losses import (
    LOSSES,
    OUTPUT_ACTIVATION_OF,
    OUTPUT_ACTIVATIONS,
    REPORT_OVER_OUTPUTS,
)
from .activations import Sigmoid


class Network:
    """A multi-layer perceptron whose parameters live in one flat vector.

    ``params`` holds every trainable number: the weight matrices first (layer
    by layer, each in C order), then the intercepts, then any learnable
    activation parameters (PReLU slopes). ``coefs``, ``intercepts`` and
    ``act_params`` are views into it, and ``coef_grads``, ``intercept_grads``
    and ``act_param_grads`` the matching views into ``grad``. Optimizers and
    L-BFGS therefore update one array, and the L2 penalty is one dot product
    over ``params[:n_coef]``.

    Parameters
    ----------
    layer_units : list of int
        Units per layer, input and output included.
    hidden_activations : list of Activation
        One activation per hidden layer.
    loss : {"squared_error", "poisson", "binary_log_loss", "log_loss"}
        The loss; it fixes the output activation.
    dtype : numpy dtype
        float64 or float32, the dtype of the parameters and of every buffer.
    """

    def __init__(self, layer_units, hidden_activations, loss, dtype):
        self.layer_units = list(layer_units)
        self.hidden_activations = list(hidden_activations)
        self.loss = loss
        self.out_activation = OUTPUT_ACTIVATION_OF[loss]
        self.dtype = np.dtype(dtype)
        self.n_layers = len(self.layer_units) - 1  # layers of weights
        self.n_outputs = self.layer_units[-1]

        self.coef_shapes = list(zip(self.layer_units[:-1], self.layer_units[1:]))
        self.n_coef = sum(n_in * n_out for n_in, n_out in self.coef_shapes)
        self.n_intercept = sum(self.layer_units[1:])
        # Only learnable activations (PReLU) own parameters: n_units per layer.
        self.act_param_units = [
            units if act.init_params(units, self.dtype) is not None else 0
            for act, units in zip(self.hidden_activations, self.layer_units[1:-1])
        ]
        self.size = self.n_coef + self.n_intercept + sum(self.act_param_units)

        self.params = np.zeros(self.size, dtype=self.dtype)
        self.grad = np.zeros(self.size, dtype=self.dtype)
        self.coefs, self.intercepts, self.act_params = self.unpack(self.params)
        self.coef_grads, self.intercept_grads, self.act_param_grads = self.unpack(
            self.grad
        )
        self._capacity = 0

    def unpack(self, flat):
        """Split a flat vector into per-layer views.

        Parameters
        ----------
        flat : ndarray of shape (size,)
            A vector laid out like ``params``.

        Returns
        -------
        coefs : list of ndarray of shape (n_in, n_out)
        intercepts : list of ndarray of shape (n_out,)
        act_params : list of ndarray of shape (n_units,) or None
            One entry per hidden layer, None where the activation has no
            learnable parameter.
        """
        coefs, intercepts, act_params = [], [], []
        start = 0
        for n_in, n_out in self.coef_shapes:
            coefs.append(flat[start : start + n_in * n_out].reshape(n_in, n_out))
            start += n_in * n_out
        for n_out in self.layer_units[1:]:
            intercepts.append(flat[start : start + n_out])
            start += n_out
        for n_units in self.act_param_units:
            act_params.append(flat[start : start + n_units] if n_units else None)
            start += n_units
        return coefs, intercepts, act_params

    def load(self, coefs, intercepts, act_params):
        """Copy per-layer arrays into ``params`` (the inverse of :meth:`unpack`).

        Parameters
        ----------
        coefs, intercepts, act_params : lists of array-like
            Arrays shaped as returned by :meth:`unpack`.
        """
        for views, arrays in (
            (self.coefs, coefs),
            (self.intercepts, intercepts),
            (self.act_params, act_params),
        ):
            for view, array in zip(views, arrays):
                if view is not None:
                    view[...] = array

    def initialize(self, rng):
        """Draw initial parameters as scikit-learn's MLP does.

        Weights and intercepts of each layer are drawn, in that order, from
        ``U(-b, b)`` with Glorot's bound ``b = sqrt(6 / (fan_in + fan_out))``,
        or ``sqrt(2 / (fan_in + fan_out))`` for a logistic layer; the same
        random stream thus gives the same starting point as scikit-learn.
        Learnable activation parameters start at their ``init`` value.

        Parameters
        ----------
        rng : numpy.random.RandomState
            Source of randomness.
        """
        for i, (n_in, n_out) in enumerate(self.coef_shapes):
            # The output layer takes the factor of the last hidden layer, as
            # scikit-learn uses its one hidden activation for every layer.
            act = self.hidden_activations[min(i, len(self.hidden_activations) - 1)]
            factor = 2.0 if isinstance(act, Sigmoid) else 6.0
            bound = np.sqrt(factor / (n_in + n_out))
            self.coefs[i][...] = rng.uniform(-bound, bound, (n_in, n_out))
            self.intercepts[i][...] = rng.uniform(-bound, bound, n_out)
        for act, units, view in zip(
            self.hidden_activations, self.layer_units[1:-1], self.act_params
        ):
            if view is not None:
                view[...] = act.init_params(units, self.dtype)

    def _buffers(self, n_samples):
        """Per-layer z, a and delta buffers for ``n_samples`` rows.

        Allocated once for the largest batch seen, then reused through views,
        so that a training loop allocates nothing per batch.
        """
        if n_samples > self._capacity:
            self._capacity = n_samples
            shape = [(n_samples, units) for units in self.layer_units[1:]]
            self._z = [np.empty(s, dtype=self.dtype) for s in shape]
            self._a = [np.empty(s, dtype=self.dtype) for s in shape]
            self._delta = [np.empty(s, dtype=self.dtype) for s in shape]
        return (
            [z[:n_samples] for z in self._z],
            [a[:n_samples] for a in self._a],
            [d[:n_samples] for d in self._delta],
        )

    def loss_grad(self, X, Y, sample_weight=None, alpha=0.0):
        """Forward and backward pass: the loss, with its gradient in ``grad``.

        The loss is scaled as scikit-learn's MLP scales it: the (weighted) mean
        over samples of each sample's loss, plus the L2 penalty
        ``0.5 * alpha * ||W||^2 / sum(sample_weight)`` on the weights (not the
        intercepts, nor the activation parameters).

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Input, of the network's dtype.
        Y : ndarray of shape (n_samples, n_outputs)
            Targets, of the network's dtype.
        sample_weight : ndarray of shape (n_samples,) or None
            Weights of the samples, with a positive sum.
        alpha : float
            Strength of the L2 penalty.

        Returns
        -------
        objective : float
            The loss whose gradient is now in ``grad``.
        reported : float
            The same loss scaled as scikit-learn reports it in ``loss_``
            (the squared error averaged over the outputs).
        """
        n_samples = X.shape[0]
        z, a, delta = self._buffers(n_samples)
        self._forward(X, z, a)
        if sample_weight is None:
            sw_sum = n_samples
            data_loss = LOSSES[self.loss](Y, z[-1], a[-1]).sum() / sw_sum
        else:
            sw_sum = float(sample_weight.sum())
            data_loss = LOSSES[self.loss](Y, z[-1], a[-1]) @ sample_weight / sw_sum
        w = self.params[: self.n_coef]
        penalty = 0.5 * alpha * float(w @ w) / sw_sum
        reported = data_loss
        if self.loss in REPORT_OVER_OUTPUTS:
            reported = data_loss / self.n_outputs

        # Output layer: the canonical-link shortcut, then weighting and the
        # 1 / sum(weights) of the mean folded into delta once, so that every
        # gradient below comes out already scaled.
        out_delta = np.subtract(a[-1], Y, out=delta[-1])
        if sample_weight is not None:
            out_delta *= sample_weight[:, np.newaxis]
        out_delta *= 1.0 / sw_sum
        self._backward(X, z, a, delta)
        self.grad[: self.n_coef] += (alpha / sw_sum) * w
        return float(data_loss + penalty), float(reported + penalty)

    def _forward(self, X, z, a):
        """Fill the z and a buffers layer by layer."""
        layer_input = X
        for i in range(self.n_layers):
            _dot(layer_input, self.coefs[i], out=z[i])
            z[i] += self.intercepts[i]
            if i < self.n_layers - 1:
                act = self.hidden_activations[i]
                act.forward(z[i], a[i], self.act_params[i])
            else:
                OUTPUT_ACTIVATIONS[self.out_activation](z[i], out=a[i])
            layer_input = a[i]

    def _backward(self, X, z, a, delta):
        """Fill ``grad`` from the output delta, layer by layer downwards."""
        for i in range(self.n_layers - 1, -1, -1):
            layer_input = X if i == 0 else a[i - 1]
            _dot(layer_input.T, delta[i], out=self.coef_grads[i])
            np.sum(delta[i], axis=0, out=self.intercept_grads[i])
            if i == 0:
                break  # no delta is needed for the input
            # dLoss/da of the layer below, then through its activation.
            grad_a = np.matmul(delta[i], self.coefs[i].T, out=delta[i - 1])
            act, act_params = self.hidden_activations[i - 1], self.act_params[i - 1]
            if act_params is not None:
                self.act_param_grads[i - 1][...] = act.params_gradient(
                    z[i - 1], a[i - 1], grad_a, act_params
                )
            act.backward(z[i - 1], a[i - 1], grad_a, act_params)


def _dot(x, w, out):
    """``x @ w`` into ``out``, for a dense or sparse ``x``."""
    if sp.issparse(x):
        out[...] = x @ w
        return out
    return np.matmul(x, w, out=out)


def predict(X, coefs, intercepts, hidden_activations, act_params, out_activation):
    """Forward pass from given parameters, keeping nothing but the output.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Input.
    coefs, intercepts : list of ndarray
        Weights and intercepts of each layer (the estimator's ``coefs_`` and
        ``intercepts_``, read as they are now).
    hidden_activations : list of Activation
        One per hidden layer.
    act_params : list of ndarray or None
        Learnable activation parameters of each hidden layer.
    out_activation : str
        Name of the output activation, a key of ``OUTPUT_ACTIVATIONS``.

    Returns
    -------
    output : ndarray of shape (n_samples, n_outputs)
        The network's output.
    """
    a = X
    last = len(coefs) - 1
    for i, (w, b) in enumerate(zip(coefs, intercepts)):
        z = a @ w
        z += b
        if i < last:
            a = hidden_activations[i].forward(z, np.empty_like(z), act_params[i])
        else:
            # The output activations may work in place: z is not needed after.
            a = OUTPUT_ACTIVATIONS[out_activation](z, out=z)
    return a
