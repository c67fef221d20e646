"""The network: its parameters in one flat vector, and the forward and backward pass.

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
activation (see ``_losses.py``). Every forward pass (training, prediction, the
data-aware initialisation) is a loop over the same step, :class:`Layer`.
"""

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from ._losses import (
    LOSSES,
    OUTPUT_ACTIVATION_OF,
    OUTPUT_ACTIVATIONS,
    REPORT_OVER_OUTPUTS,
)
from ._penalty import Penalty
from ._rowhash import dropout_mask

NO_PENALTY = Penalty()
"""The penalty of a loss without one."""


class Batch:
    """Rows that the network computes a loss on.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Input, of the network's dtype.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weights of the samples, with a positive sum.
    keys : ndarray of uint64 of shape (n_samples,) or None, default=None
        Content keys of the rows, for dropout (training only).
    seed : int, default=0
        Varies the dropout masks, e.g. from epoch to epoch.

    Attributes
    ----------
    weight_sum : float or int
        The sum of the sample weights, or the number of rows if unweighted.
    """

    __slots__ = ("X", "Y", "sample_weight", "keys", "seed", "weight_sum")

    def __init__(self, X, Y, sample_weight=None, keys=None, seed=0):
        self.X, self.Y, self.sample_weight = X, Y, sample_weight
        self.keys, self.seed = keys, seed
        if sample_weight is None:
            self.weight_sum = X.shape[0]
        else:
            self.weight_sum = float(sample_weight.sum())


class OutputActivation:
    """An output activation of ``_losses.py``, called as a hidden one is.

    Parameters
    ----------
    name : str
        A key of ``OUTPUT_ACTIVATIONS``.
    """

    forward_in_place = True

    def __init__(self, name):
        self.name = name
        self._function = OUTPUT_ACTIVATIONS[name]

    def forward(self, z, out, params=None):
        """Write the output activation of ``z`` into ``out`` (may be ``z``)."""
        return self._function(z, out=out)


_OUTPUTS = {name: OutputActivation(name) for name in OUTPUT_ACTIVATIONS}


class Layer:
    """One step of the forward pass: an affine map, then an activation.

    Parameters
    ----------
    coef : ndarray of shape (n_in, n_out)
        Weights.
    intercept : ndarray of shape (n_out,)
        Intercepts.
    activation : Activation or OutputActivation
        The activation of the layer's units.
    params : ndarray of shape (n_out,) or None
        The activation's learnable parameters (PReLU slopes), if any.
    """

    __slots__ = ("coef", "intercept", "activation", "params")

    def __init__(self, coef, intercept, activation, params=None):
        self.coef = coef
        self.intercept = intercept
        self.activation = activation
        self.params = params

    def pre_activation(self, x, out=None):
        """``z = x @ coef + intercept``, into ``out`` if given.

        Parameters
        ----------
        x : {ndarray, sparse matrix} of shape (n_samples, n_in)
            The layer's input.
        out : ndarray of shape (n_samples, n_out), default=None
            Receives z; allocated if None.

        Returns
        -------
        z : ndarray of shape (n_samples, n_out)
        """
        z = x @ self.coef if out is None else _dot(x, self.coef, out)
        z += self.intercept
        return z

    def activate(self, z, out, derivative=None):
        """``a = f(z)`` into ``out``; given ``derivative``, ``f'(z)`` there too.

        Parameters
        ----------
        z : ndarray of shape (n_samples, n_out)
            Pre-activations.
        out : ndarray of shape (n_samples, n_out)
            Receives a; may be ``z`` if the activation's ``forward_in_place``.
        derivative : ndarray of shape (n_samples, n_out), default=None
            Receives f'(z), for activations with ``derivative_in_forward``.

        Returns
        -------
        a : ndarray of shape (n_samples, n_out)
        """
        if derivative is None:
            return self.activation.forward(z, out, self.params)
        return self.activation.forward_with_derivative(z, out, derivative, self.params)


def make_layers(coefs, intercepts, hidden_activations, act_params, out_activation):
    """The :class:`Layer` steps of a network given by its per-layer arrays.

    Parameters
    ----------
    coefs, intercepts : list of ndarray
        Weights and intercepts of each layer.
    hidden_activations : list of Activation
        One per hidden layer.
    act_params : list of (ndarray or None)
        Learnable activation parameters of each hidden layer.
    out_activation : str
        Name of the output activation, a key of ``OUTPUT_ACTIVATIONS``.

    Returns
    -------
    layers : list of Layer
    """
    activations = [*hidden_activations, _OUTPUTS[out_activation]]
    params = [*act_params, None]
    return [Layer(*layer) for layer in zip(coefs, intercepts, activations, params)]


class Network:
    """A multi-layer perceptron whose parameters live in one flat vector.

    ``params`` holds every trainable number: the weight matrices first (layer
    by layer, each in C order), then the intercepts, then any learnable
    activation parameters (PReLU slopes). ``coefs``, ``intercepts`` and
    ``act_params`` are views into it, and ``coef_grads``, ``intercept_grads``
    and ``act_param_grads`` the matching views into ``grad``. Optimizers and
    L-BFGS therefore update one array, and the L2 penalty is one dot product
    over ``params[:n_coef]``.

    ``layers`` holds the :class:`Layer` steps of the forward pass, over the
    same views. A network pickles as its constructor's arguments and its
    parameters; the gradient, the views and the per-batch buffers are rebuilt.

    Parameters
    ----------
    layer_units : list of int
        Units per layer, input and output included.
    hidden_activations : list of Activation
        One activation per hidden layer.
    loss : {"squared_error", "poisson", "binary_log_loss", "log_loss"}
        The loss; it fixes the output activation.
    dtype : numpy.dtype
        float64 or float32, the dtype of the parameters and of every buffer.
    dropout : float, default=0.0
        Rate of inverted dropout on the hidden units in :meth:`loss_grad`
        when it is given row keys (training); 0 disables it.
    """

    def __init__(self, layer_units, hidden_activations, loss, dtype, dropout=0.0):
        self.layer_units = list(layer_units)
        self.hidden_activations = list(hidden_activations)
        self.loss = loss
        self.out_activation = OUTPUT_ACTIVATION_OF[loss]
        self.dtype = np.dtype(dtype)
        self.dropout = dropout
        self.n_layers = len(self.layer_units) - 1  # layers of weights
        self.n_outputs = self.layer_units[-1]

        self.coef_shapes = list(zip(self.layer_units[:-1], self.layer_units[1:]))
        self.n_coef = sum(n_in * n_out for n_in, n_out in self.coef_shapes)
        self.n_intercept = sum(self.layer_units[1:])
        # Only learnable activations (PReLU) own parameters: n_units per layer.
        self.act_param_units = [
            units if act.init_params(units, self.dtype) is not None else 0
            for act, units in zip(self.hidden_activations, self.hidden_units)
        ]
        self.size = self.n_coef + self.n_intercept + sum(self.act_param_units)

        self.params = np.zeros(self.size, dtype=self.dtype)
        self.grad = np.zeros(self.size, dtype=self.dtype)
        self.coefs, self.intercepts, self.act_params = self.unpack(self.params)
        self.coef_grads, self.intercept_grads, self.act_param_grads = self.unpack(
            self.grad
        )
        self.layers = make_layers(
            self.coefs, self.intercepts, self.hidden_activations, self.act_params,
            self.out_activation,
        )  # fmt: skip
        # Which hidden layers can have inactive units: an activation whose
        # derivative never vanishes answers None, whatever its input.
        probes = [np.zeros((1, units), self.dtype) for units in self.hidden_units]
        self._tracked = [
            act.active_units(probe, probe) is not None
            for act, probe in zip(self.hidden_activations, probes)
        ]
        self._workspace = Workspace(self)

    @property
    def hidden_units(self):
        """Units of each hidden layer."""
        return self.layer_units[1:-1]

    def __reduce__(self):
        arguments = (
            self.layer_units, self.hidden_activations, self.loss, self.dtype,
            self.dropout,
        )  # fmt: skip
        return type(self), arguments, {"params": self.params}

    def __setstate__(self, state):
        if "layer_units" in state:
            # A network pickled with all its attributes, as skact once did.
            self.__init__(
                state["layer_units"], state["hidden_activations"], state["loss"],
                state["dtype"], state.get("dropout", 0.0),
            )  # fmt: skip
        self.params[...] = state["params"]

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

        A layer whose activation has learnable parameters but none given (its
        activation became learnable since the arrays were saved) starts them at
        the activation's initial value.

        Parameters
        ----------
        coefs, intercepts : lists of array-like
            Arrays shaped as returned by :meth:`unpack`.
        act_params : list of (array-like or None)
            Activation parameters; may be shorter than the hidden layers.
        """
        for views, arrays in ((self.coefs, coefs), (self.intercepts, intercepts)):
            for view, array in zip(views, arrays):
                view[...] = array
        act_params = list(act_params)
        act_params += [None] * (len(self.act_params) - len(act_params))
        for view, given, act, units in zip(
            self.act_params, act_params, self.hidden_activations, self.hidden_units
        ):
            if view is not None:
                view[...] = (
                    act.init_params(units, self.dtype) if given is None else given
                )

    def new_activity(self):
        """Fresh per-layer records of active units, for :meth:`loss_grad`.

        Returns
        -------
        active : list of (ndarray of bool of shape (n_units,) or None)
            All False, or None where the activation never goes inactive.
        """
        return [
            np.zeros(units, dtype=bool) if tracked else None
            for tracked, units in zip(self._tracked, self.hidden_units)
        ]

    def loss_grad(self, batch, penalty=NO_PENALTY, active=None):
        """Forward and backward pass: the loss, with its gradient in ``grad``.

        The loss is scaled as scikit-learn's MLP scales it: the (weighted) mean
        over samples of each sample's loss, plus the penalty on the weights
        (see ``_penalty.py``). ``grad`` receives the gradient of the smooth
        part only: the L1 term has no derivative at zero, and the solvers
        handle it themselves (a proximal step, or L-BFGS-B on the positive and
        negative parts).

        Parameters
        ----------
        batch : Batch
            The rows: input of the network's dtype, targets (a classifier's
            booleans are converted to the network's dtype), sample weights,
            and for dropout their content keys and the seed of the masks.
        penalty : Penalty, default=NO_PENALTY
            The penalty on the weights.
        active : list of (ndarray of bool or None), default=None
            A record from :meth:`new_activity`: the units active on some
            sample of this batch are set True in it.

        Returns
        -------
        objective : float
            The loss (penalty included).
        reported : float
            The same loss scaled as scikit-learn reports it in ``loss_``
            (the squared error averaged over the outputs).
        """
        X, sample_weight = batch.X, batch.sample_weight
        # Targets in the network's dtype (a classifier's are booleans), so
        # that float32 stays float32 throughout.
        Y = batch.Y.astype(self.dtype, copy=False)
        work = self._workspace.buffers(X.shape[0])
        masks = self._dropout_masks(work, batch)
        inputs = self._forward(X, work, masks, active)
        z, a = work.z[-1], work.a[-1]
        sw_sum = batch.weight_sum
        if sample_weight is None:
            data_loss = LOSSES[self.loss](Y, z, a).sum() / sw_sum
        else:
            data_loss = LOSSES[self.loss](Y, z, a) @ sample_weight / sw_sum
        weights = self.params[: self.n_coef]
        penalty_value = penalty.value(weights, sw_sum)
        reported = self._as_reported(data_loss)

        # Output layer: the canonical-link shortcut, then weighting and the
        # 1 / sum(weights) of the mean folded into delta once, so that every
        # gradient below comes out already scaled.
        out_delta = np.subtract(a, Y, out=work.delta[-1])
        if sample_weight is not None:
            out_delta *= sample_weight[:, np.newaxis]
        out_delta *= 1.0 / sw_sum
        self._backward(inputs, work, masks)
        penalty.add_gradient(self.grad[: self.n_coef], weights, sw_sum)
        return float(data_loss + penalty_value), float(reported + penalty_value)

    def _dropout_masks(self, work, batch):
        """The batch's dropout masks (training only, with row keys), or None.

        Each unit of each row is dropped according to a hash of its row's
        key, the batch's seed, its layer and its index, so identical rows get
        identical masks.
        """
        if self.dropout == 0 or batch.keys is None:
            return None
        for i, mask in enumerate(work.masks):
            dropout_mask(batch.keys, batch.seed, i, self.dropout, out=mask)
        return work.masks

    def evaluate(self, batch):
        """The data loss and the output on held-out data, without dropout.

        Parameters
        ----------
        batch : Batch
            The rows.

        Returns
        -------
        loss : float
            Weighted mean loss, scaled as ``loss_`` (no penalty).
        output : ndarray of shape (n_samples, n_outputs)
            The network's output.
        """
        # The output layer's pre-activation z, which the losses need as well.
        X, Y, sample_weight = batch.X, batch.Y, batch.sample_weight
        out = self.layers[-1]
        z = predict(
            X,
            [*self.layers[:-1], Layer(out.coef, out.intercept, _OUTPUTS["identity"])],
        )
        a = out.activate(z, np.empty_like(z))
        Y = Y.astype(z.dtype, copy=False)
        loss = float(np.average(LOSSES[self.loss](Y, z, a), weights=sample_weight))
        return self._as_reported(loss), a

    def layer_grad_norms(self):
        """The L2 norm of each layer's gradient (weights and intercepts together).

        Returns
        -------
        norms : list of float
            One per layer, from the last :meth:`loss_grad`.
        """
        return [
            float(np.sqrt(np.dot(gw.ravel(), gw.ravel()) + np.dot(gb, gb)))
            for gw, gb in zip(self.coef_grads, self.intercept_grads)
        ]

    def _as_reported(self, data_loss):
        """A mean data loss scaled as scikit-learn reports it in ``loss_``."""
        if self.loss in REPORT_OVER_OUTPUTS:
            return data_loss / self.n_outputs
        return data_loss

    def _forward(self, X, work, masks=None, active=None):
        """Fill the z and a buffers layer by layer; return each layer's input.

        Where ``work.derivative[i]`` is an array, the activation also writes its
        derivative there. With dropout ``masks``, a hidden layer's output
        ``a[i]`` is kept as is (its derivative needs it) and the next layer
        gets ``a[i] * mask``.
        """
        inputs = [X]
        last = self.n_layers - 1
        for i, layer in enumerate(self.layers):
            z = layer.pre_activation(inputs[i], out=work.z[i])
            a = layer.activate(z, work.a[i], work.derivative[i])
            if i == last:
                break
            if active is not None and active[i] is not None:
                active[i] |= layer.activation.active_units(z, a)
            if masks is not None:
                a = np.multiply(a, masks[i], out=work.dropped[i])
            inputs.append(a)
        return inputs

    def _backward(self, inputs, work, masks=None):
        """Fill ``grad`` from the output delta, layer by layer downwards."""
        z, a, delta, derivative = work.z, work.a, work.delta, work.derivative
        for i in range(self.n_layers - 1, -1, -1):
            _dot(inputs[i].T, delta[i], out=self.coef_grads[i])
            # Column sums as a product with ones, which BLAS does faster than
            # np.sum(axis=0).
            np.matmul(work.ones, delta[i], out=self.intercept_grads[i])
            if i == 0:
                break  # no delta is needed for the input
            # dLoss/da of the layer below, then through its dropout mask and
            # its activation.
            grad_a = np.matmul(delta[i], self.coefs[i].T, out=delta[i - 1])
            if masks is not None:
                grad_a *= masks[i - 1]
            below = self.layers[i - 1]
            act, act_params = below.activation, below.params
            if act_params is not None:
                self.act_param_grads[i - 1][...] = act.params_gradient(
                    z[i - 1], a[i - 1], grad_a, act_params
                )
            if derivative[i - 1] is None:
                act.backward(z[i - 1], a[i - 1], grad_a, act_params)
            else:
                grad_a *= derivative[i - 1]


class Buffers(NamedTuple):
    """Views of a :class:`Workspace`'s buffers for one batch size.

    Every array has ``n_samples`` rows; lists have one entry per layer.
    """

    z: list
    """Pre-activations."""
    a: list
    """Activations."""
    delta: list
    """dLoss/dz."""
    derivative: list
    """f'(z) where the activation computes it in the forward pass, else None."""
    ones: np.ndarray
    """Ones, to sum a batch's deltas by a product."""
    masks: list
    """With dropout, per hidden layer, the dropout mask; else None."""
    dropped: list
    """With dropout, per hidden layer, the masked activations; else None."""


class Workspace:
    """The per-batch buffers of a network: its scratch space.

    Allocated once for the largest batch seen, then reused through views, so
    that a training loop allocates nothing per batch. Views are kept per row
    count: a fit asks for one batch size (and the last, smaller batch)
    hundreds of times.

    Parameters
    ----------
    net : Network
        The network whose layers the buffers serve.
    """

    def __init__(self, net):
        self._layer_units = net.layer_units[1:]
        self._derivative_in_forward = [
            act.derivative_in_forward for act in net.hidden_activations
        ] + [False]
        self._dtype = net.dtype
        self._dropout = net.dropout
        self._capacity = 0
        self._batches = {}

    def buffers(self, n_samples):
        """The buffers for a batch of ``n_samples`` rows.

        Parameters
        ----------
        n_samples : int
            Rows in the batch.

        Returns
        -------
        buffers : Buffers
        """
        if n_samples > self._capacity:
            self._allocate(n_samples)
        buffers = self._batches.get(n_samples)
        if buffers is None:
            if len(self._batches) > 3:  # a caller with batches of many sizes
                self._batches.clear()
            buffers = self._batches[n_samples] = self._views(n_samples)
        return buffers

    def _views(self, n_samples):
        def rows(buffers):
            if buffers is None:
                return None
            return [None if b is None else b[:n_samples] for b in buffers]

        return Buffers(
            rows(self.z), rows(self.a), rows(self.delta), rows(self.derivative),
            self.ones[:n_samples], rows(self.masks), rows(self.dropped),
        )  # fmt: skip

    def _allocate(self, n_samples):
        self._capacity = n_samples
        shapes = [(n_samples, units) for units in self._layer_units]
        # The output layer's buffers are column-major: the softmax and the
        # loss reduce along its few columns, which NumPy does faster when
        # each column is contiguous.
        orders = ["C"] * (len(shapes) - 1) + ["F"]
        self.z, self.a, self.delta = (
            [np.empty(s, self._dtype, order=o) for s, o in zip(shapes, orders)]
            for _ in range(3)
        )
        self.derivative = [
            np.empty(s, self._dtype) if in_forward else None
            for s, in_forward in zip(shapes, self._derivative_in_forward)
        ]
        self.ones = np.ones(n_samples, dtype=self._dtype)
        self.masks = self.dropped = None
        if self._dropout > 0:
            # Dropout keeps a[i] = f(z[i]) for the derivative and feeds the
            # next layer the masked copy.
            self.masks = [np.empty(s, self._dtype) for s in shapes[:-1]]
            self.dropped = [np.empty(s, self._dtype) for s in shapes[:-1]]
        self._batches = {}


def _dot(x, w, out):
    """``x @ w`` into ``out``, for a dense or sparse ``x``."""
    if sp.issparse(x):
        out[...] = x @ w
        return out
    return np.matmul(x, w, out=out)


PREDICT_BLOCK_VALUES = 2**18
"""Activation values per block of rows in :func:`predict` (1024 rows of 256
units): a block's activations stay in the CPU's caches from one layer to the
next (docs/benchmarks.md), with far less memory than one pass over all rows."""


def predict(X, layers):
    """Forward pass through ``layers``, keeping nothing but the output.

    Dense input is processed in blocks of rows (see
    :data:`PREDICT_BLOCK_VALUES`).

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Input.
    layers : list of Layer
        The network's steps, e.g. from :func:`make_layers` on the estimator's
        ``coefs_`` and ``intercepts_``, read as they are now.

    Returns
    -------
    output : ndarray of shape (n_samples, n_outputs)
        The network's output.
    """
    n_samples = X.shape[0]
    widest = max(np.shape(layer.coef)[1] for layer in layers)
    block = max(256, PREDICT_BLOCK_VALUES // widest)
    if sp.issparse(X) or n_samples <= block:
        return _predict_block(X, layers)
    first = _predict_block(X[:block], layers)
    output = np.empty((n_samples, first.shape[1]), dtype=first.dtype)
    output[:block] = first
    for start in range(block, n_samples, block):
        output[start : start + block] = _predict_block(X[start : start + block], layers)
    return output


def _predict_block(X, layers):
    """:func:`predict` on rows processed together."""
    a = X
    spare = None  # a freed buffer, reused for the next output of its shape
    for layer in layers:
        z = layer.pre_activation(a)
        if layer.activation.forward_in_place:
            a = layer.activate(z, z)
            continue
        if spare is None or spare.shape != z.shape or spare.dtype != z.dtype:
            spare = np.empty_like(z)
        a = layer.activate(z, spare)
        spare = z  # z is not needed any more
    return a
