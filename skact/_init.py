"""How a network's parameters start: weight schemes and data-aware intercepts.

:func:`initialize` fills a :class:`skact._network.Network`'s parameters in
place, drawing from a ``numpy.random.RandomState``; with ``"auto"`` it then
raises the hidden intercepts from the training rows (:func:`start_intercepts`),
running the network's own forward step, :class:`skact._network.Layer`.
"""

import math

import numpy as np

from .activations import Sigmoid

WEIGHT_INITS = (
    "auto",
    "sklearn",
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_normal",
)
"""The names accepted by :func:`initialize`."""

START_ROWS = 500
"""Rows that the data-aware start of the intercepts looks at, at most: a few
hundred place them about as well as all rows, at a fraction of the cost."""


def initialize(net, rng, scheme="sklearn", X=None, sample_weight=None, Y=None):
    """Draw a network's initial parameters.

    ``"sklearn"`` draws the weights and the intercepts of each layer, in
    that order, from ``U(-b, b)`` with ``b = sqrt(6 / (fan_in + fan_out))``
    (``sqrt(2 / ...)`` for a logistic network), exactly as scikit-learn's
    MLP does: the same random stream gives the same starting point.

    The other schemes draw the weights only and start the intercepts at
    zero, so no unit starts switched off by a negative intercept:

    - ``"glorot_uniform"``: ``U(-b, b)``, ``b = sqrt(6 / (fan_in + fan_out))``;
    - ``"glorot_normal"``: ``N(0, 2 / (fan_in + fan_out))``;
    - ``"he_uniform"``: ``U(-b, b)``, ``b = gain * sqrt(3 / fan_in)``;
    - ``"he_normal"``: ``N(0, gain**2 / fan_in)``;
    - ``"lecun_normal"``: ``N(0, 1 / fan_in)``;
    - ``"auto"``: per layer, the ``default_init`` of the activation of the
      layer's units (LeCun for SELU, Glorot for the others and for the
      output layer); then, given ``X``, :func:`start_intercepts` sets the
      intercepts of the ReLU family from (a sample of) the training rows.

    He's ``gain = sqrt(2 / (1 + leak**2))``, with the layer activation's
    ``init_leak()`` (the negative slope of leaky ReLU and PReLU).
    Learnable activation parameters start at their ``init`` value.

    Parameters
    ----------
    net : Network
        The network, whose parameters are overwritten.
    rng : numpy.random.RandomState
        Source of randomness.
    scheme : str, default="sklearn"
        One of :data:`WEIGHT_INITS`.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features), default=None
        Training rows, for ``"auto"``.
    sample_weight : ndarray of shape (n_samples,), default=None
        Their weights.
    Y : ndarray of shape (n_samples, n_outputs), default=None
        Their targets (booleans for a classifier).
    """
    for i, layer in enumerate(net.layers):
        if scheme == "sklearn":
            _init_sklearn(net, i, rng)
            continue
        act = layer.activation if i < net.n_layers - 1 else None
        layer_scheme = scheme
        if scheme == "auto":
            layer_scheme = "glorot_uniform" if act is None else act.default_init
        leak = 0.0 if act is None else act.init_leak()
        layer.coef[...] = _draw_weights(layer_scheme, *layer.coef.shape, leak, rng)
        layer.intercept[...] = 0
    for act, units, view in zip(
        net.hidden_activations, net.hidden_units, net.act_params
    ):
        if view is not None:
            view[...] = act.init_params(units, net.dtype)
    if scheme == "auto" and X is not None:
        rows = _start_rows(X.shape[0], rng)
        start_intercepts(
            net, X[rows], None if sample_weight is None else sample_weight[rows]
        )


def start_intercepts(net, X, sample_weight=None):
    """Set hidden intercepts from data so that units start active.

    For each hidden layer whose activation has a ``start_active`` share
    (the ReLU family), the intercept of unit j is raised where needed, by
    minus the ``1 - start_active`` quantile of its pre-activation ``z[:, j]``
    over the rows of X: every unit then starts active (z > 0) on at least
    that share of the samples, and none starts dead. Layers are set in order,
    each from the output of the ones before. The weighted quantile is the
    "inverted CDF" one, for which a row of weight k counts exactly as k
    copies.

    Parameters
    ----------
    net : Network
        The network.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training rows.
    sample_weight : ndarray of shape (n_samples,) or None
        Their weights.
    """
    a = X
    for layer in net.layers[:-1]:
        z = layer.pre_activation(a)
        share = layer.activation.start_active
        if share is not None:
            quantile = column_quantiles(z, 1 - share, sample_weight)
            # Raise an intercept only where the unit would start active on
            # too few samples; on centred data most stay where they are. The
            # 0.1% margin keeps the quantile's own sample off the kink at
            # z = 0, where rounding would decide its derivative.
            raise_by = np.maximum(-quantile * 1.001, 0)
            layer.intercept += raise_by
            z += raise_by
        a = layer.activate(z, np.empty_like(z))


def _start_rows(n_samples, rng):
    """The rows :func:`start_intercepts` looks at: all, or a sorted sample."""
    if n_samples <= START_ROWS:
        return slice(None)
    return np.sort(rng.choice(n_samples, START_ROWS, replace=False))


def _init_sklearn(net, i, rng):
    """scikit-learn's initialisation of layer ``i`` (see :func:`initialize`)."""
    layer = net.layers[i]
    n_in, n_out = layer.coef.shape
    # scikit-learn uses its one hidden activation for every layer's factor,
    # the output layer's included: here the last hidden layer's.
    acts = net.hidden_activations
    act = acts[min(i, len(acts) - 1)] if acts else None
    factor = 2.0 if isinstance(act, Sigmoid) else 6.0
    bound = np.sqrt(factor / (n_in + n_out))
    layer.coef[...] = rng.uniform(-bound, bound, (n_in, n_out))
    layer.intercept[...] = rng.uniform(-bound, bound, n_out)


def _draw_weights(scheme, n_in, n_out, leak, rng):
    """Weights of shape (n_in, n_out) drawn by one of the named schemes."""
    gain = np.sqrt(2.0 / (1.0 + leak**2))
    if scheme == "glorot_uniform":
        bound = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-bound, bound, (n_in, n_out))
    if scheme == "glorot_normal":
        return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), (n_in, n_out))
    if scheme == "he_uniform":
        bound = gain * np.sqrt(3.0 / n_in)
        return rng.uniform(-bound, bound, (n_in, n_out))
    if scheme == "he_normal":
        return rng.normal(0.0, gain / np.sqrt(n_in), (n_in, n_out))
    if scheme == "lecun_normal":
        return rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_in, n_out))
    raise ValueError(f"Unknown weight initialisation {scheme!r}.")


def column_quantiles(z, q, sample_weight=None):
    """The "inverted CDF" ``q``-quantile of each column of ``z``.

    The same as ``np.quantile(z, q, axis=0, method="inverted_cdf",
    weights=sample_weight)`` for finite ``z``. Without weights, that quantile
    is the k-th smallest value with ``k = ceil(n q)`` (at least the first),
    which one partial sort finds faster than ``np.quantile`` does.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_columns)
        Values.
    q : float
        The quantile, in [0, 1].
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the rows.

    Returns
    -------
    quantiles : ndarray of shape (n_columns,)
    """
    if sample_weight is not None:
        return np.quantile(z, q, axis=0, method="inverted_cdf", weights=sample_weight)
    n_samples = z.shape[0]
    k = min(max(math.ceil(n_samples * q) - 1, 0), n_samples - 1)
    # A copy of the row, so that the partitioned array is freed on return
    # rather than kept alive by a view (it is as large as z).
    return np.partition(z, k, axis=0)[k].copy()
