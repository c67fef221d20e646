"""How a network's parameters start: weight schemes and data-aware intercepts.

:func:`initialize` fills a :class:`skact._network.Network`'s parameters in
place, drawing from a ``numpy.random.RandomState``; with ``"auto"`` it then
places the hidden intercepts from the training rows (:func:`start_intercepts`,
running the network's own forward step, :class:`skact._network.Layer`) and
starts the output intercepts at the targets' prior (:func:`start_output`).
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

PRIOR_CLIP = 1e-6
"""The least probability (and Poisson mean) whose link starts an output: a
class, or a label value, that the training rows lack starts unlikely, not at
minus infinity."""

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
      output layer), times the activation's ``init_scale`` (4 for the
      logistic, whose slope at 0 is 1/4); then, given ``X``,
      :func:`start_intercepts` places the hidden intercepts from (a sample
      of) the training rows, and given ``Y``, :func:`start_output` starts
      the output intercepts at the targets' prior.

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
        Their targets (0/1 indicators for a classifier), for ``"auto"``'s
        output intercepts; None leaves them at zero.
    """
    for i, layer in enumerate(net.layers):
        if scheme == "sklearn":
            _init_sklearn(net, i, rng)
            continue
        act = layer.activation if i < net.n_layers - 1 else None
        layer_scheme, scale = scheme, 1.0
        if scheme == "auto" and act is not None:
            layer_scheme, scale = act.default_init, act.init_scale
        elif scheme == "auto":
            layer_scheme = "glorot_uniform"
        leak = 0.0 if act is None else act.init_leak()
        layer.coef[...] = _draw_weights(layer_scheme, *layer.coef.shape, leak, rng)
        if scale != 1.0:
            layer.coef *= scale
        layer.intercept[...] = 0
    for act, units, view in zip(
        net.hidden_activations, net.hidden_units, net.act_params
    ):
        if view is not None:
            view[...] = act.init_params(units, net.dtype)
    if scheme == "auto" and X is not None:
        rows = _start_rows(X.shape[0], sample_weight, rng)
        start_intercepts(
            net, X[rows], None if sample_weight is None else sample_weight[rows], rng
        )
    if scheme == "auto" and Y is not None:
        start_output(net, Y, sample_weight)


def start_intercepts(net, X, sample_weight=None, rng=None):
    """Set hidden intercepts from data: units spread out, and none dead.

    Layers are set in order, each from the output of the ones before; each
    follows its activation's attributes:

    - ``start_spread = (low, high)``: the intercept of unit j puts the unit's
      boundary (z = 0) through the ``q_j`` quantile of its pre-activation
      ``z[:, j]`` over the rows of X, ``q_j`` drawn uniformly from
      ``[low, high]``. The units' hyperplanes then cross the data at
      different places, instead of all through its centre (where zero
      intercepts put them on centred data), which would start the network
      on a plateau: tanh and the logistic, (0.05, 0.95).
    - else ``start_active = share``: the intercept is raised where needed,
      by minus the ``1 - share`` quantile of ``z[:, j]``: every unit then
      starts active (z > 0) on at least that share of the samples, and none
      starts dead (the ReLU family, 0.5). With ``start_active_max`` too, it
      is also lowered where needed, so that no unit starts active on more
      than that share either, linear on nearly all the data (ReLU, leaky
      ReLU and PReLU, 0.75).
    - else the intercepts stay at zero.

    The weighted quantile is the "inverted CDF" one, for which a row of
    weight k counts exactly as k copies.

    Parameters
    ----------
    net : Network
        The network.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training rows.
    sample_weight : ndarray of shape (n_samples,) or None
        Their weights.
    rng : numpy.random.RandomState, default=None
        Draws the quantiles of ``start_spread``; needed if an activation has
        one.
    """
    a = X
    for layer in net.layers[:-1]:
        z = layer.pre_activation(a)
        shift = _intercept_shift(layer.activation, z, sample_weight, rng)
        if shift is not None:
            layer.intercept += shift
            z += shift
        a = layer.activate(z, np.empty_like(z))


def _intercept_shift(act, z, sample_weight, rng):
    """How far :func:`start_intercepts` moves a layer's intercepts, or None.

    Parameters
    ----------
    act : Activation
        The layer's activation, whose ``start_*`` attributes say how.
    z : ndarray of shape (n_samples, n_units)
        The layer's pre-activation over the rows, at zero intercepts.
    sample_weight : ndarray of shape (n_samples,) or None
        The rows' weights.
    rng : numpy.random.RandomState
        Draws the quantiles of ``start_spread``.

    Returns
    -------
    shift : ndarray of shape (n_units,) or None
        None when the intercepts stay at zero.
    """
    if act.start_spread is None and act.start_active is None:
        return None
    spread = np.ptp(z, axis=0)
    if act.start_spread is not None:
        q = rng.uniform(*act.start_spread, z.shape[1])
        return _boundary_through(column_quantiles(z, q, sample_weight), spread)
    # Raise an intercept only where the unit would start active on too few
    # samples; on centred data most stay where they are.
    least = column_quantiles(z, 1 - act.start_active, sample_weight)
    shift = np.maximum(_boundary_through(least, spread), 0)
    if act.start_active_max is None:
        return shift
    most = column_quantiles(z, 1 - act.start_active_max, sample_weight)
    lower = _boundary_through(most, spread)
    return np.where(lower < 0, lower, shift)


def _boundary_through(quantile, spread):
    """The shifts that put each column's z = 0 at its ``quantile``.

    ``spread`` is each column's range, ``np.ptp(z, axis=0)``.

    A margin of 0.1% (of the quantile and of the column's range) puts the
    quantile's own sample, and its ties, just on the active side, off the
    kink at z = 0, where rounding would decide the derivative (and a single
    row would start every unit dead). The range, unlike the standard
    deviation, is the same for a row of weight k as for k copies of it.
    """
    return -quantile + 0.001 * (np.abs(quantile) + spread)


def start_output(net, Y, sample_weight=None):
    """Start the output intercepts at the link of the targets' weighted mean.

    With the hidden layers' contribution still small, the network then
    predicts the prior from the first epoch instead of spending its first
    epochs learning it: the mean for squared error, its log for Poisson
    (``exp`` output), the log-odds of each label's rate for sigmoid outputs
    and the log class priors for softmax. Probabilities (and the Poisson
    mean) are clipped at :data:`PRIOR_CLIP`.

    Parameters
    ----------
    net : Network
        The network.
    Y : ndarray of shape (n_samples, n_outputs)
        Training targets (0/1 indicators for a classifier).
    sample_weight : ndarray of shape (n_samples,) or None
        Their weights.
    """
    mean = np.average(Y, axis=0, weights=sample_weight)
    if net.out_activation == "identity":
        start = mean
    elif net.out_activation == "exp":
        start = np.log(np.maximum(mean, PRIOR_CLIP))
    else:
        p = np.clip(mean, PRIOR_CLIP, 1 - PRIOR_CLIP)
        start = np.log(p)
        if net.out_activation == "logistic":
            start -= np.log1p(-p)
    net.layers[-1].intercept[...] = start


def _start_rows(n_samples, sample_weight, rng):
    """The rows :func:`start_intercepts` looks at: all, or a sorted sample.

    Only rows of positive weight: the others are not part of the data the
    network is fitted to (and a sample of only those would have no quantile).
    """
    if sample_weight is None:
        if n_samples <= START_ROWS:
            return slice(None)
        return np.sort(rng.choice(n_samples, START_ROWS, replace=False))
    weighted = np.flatnonzero(sample_weight > 0)
    if len(weighted) <= START_ROWS:
        return weighted
    return np.sort(rng.choice(weighted, START_ROWS, replace=False))


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
    """The "inverted CDF" quantile of each column of ``z``.

    The same as ``np.quantile(z[:, j], q[j], method="inverted_cdf",
    weights=sample_weight)`` for each column j, for finite ``z``. Without
    weights, that quantile is the k-th smallest value with ``k = ceil(n q)``
    (at least the first), which a sort (one partial sort for a single ``q``)
    finds faster than ``np.quantile`` does.

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_columns)
        Values.
    q : float or ndarray of shape (n_columns,)
        The quantile, in [0, 1]: one for all columns, or one per column.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the rows.

    Returns
    -------
    quantiles : ndarray of shape (n_columns,)
    """
    n_samples, n_columns = z.shape
    if np.ndim(q) == 0:
        if sample_weight is not None:
            return np.quantile(
                z, q, axis=0, method="inverted_cdf", weights=sample_weight
            )
        k = min(max(math.ceil(n_samples * q) - 1, 0), n_samples - 1)
        # A copy of the row, so that the partitioned array is freed on return
        # rather than kept alive by a view (it is as large as z).
        return np.partition(z, k, axis=0)[k].copy()
    if sample_weight is not None:
        return np.array(
            [
                column_quantiles(z[:, [j]], q[j], sample_weight)[0]
                for j in range(n_columns)
            ],
            dtype=z.dtype,
        )
    k = np.clip(
        np.ceil(n_samples * np.asarray(q)).astype(np.intp) - 1, 0, n_samples - 1
    )
    return np.sort(z, axis=0)[k, np.arange(n_columns)]
