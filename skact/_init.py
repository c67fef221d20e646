"""How a network's parameters start: weight schemes and data-aware intercepts.

:func:`initialize` fills a :class:`skact._network.Network`'s parameters in
place, drawing from a ``numpy.random.RandomState``; with ``"auto"`` it then
fits the start to (a sample of) the training rows (:func:`start_from_data`,
running the network's own forward step, :class:`skact._network.Layer`): each
hidden layer's weights scaled to a set spread of its pre-activations, its
intercepts placed so that the units cross the data at different places, and
the output started near the targets' prior (:func:`start_output`).
"""

import math

import numpy as np

from ._losses import target_mean
from ._rowhash import content_keys
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
"""Distinct rows that the data-aware start looks at, at most: a few hundred
place the units about as well as all rows, at a fraction of the cost."""

SCALE_LIMIT = 1e6
"""The most that the data-aware start scales drawn weights by, up or down:
inputs beyond a million times their usual scale (1e200, say) are to be
preprocessed, and a network fitted to them diverges, with that advice,
rather than train on weights near the smallest normal number."""

OUTPUT_SPREAD = 0.2
"""The spread (:func:`spread`) of the output's pre-activations at the start,
in the output's own units (for squared error too: weights scaled to targets
of spread 100 would make sgd's first steps diverge). Small, so that the
network starts near the prior; not zero, so that the hidden layers' signal
reaches the output from the first step (each hidden layer's gradient is a
product with the output's weights). Measured (benchmarks/bench_start.py):
0.3 trains breast cancer faster in the first 10 epochs (0.02 below
scikit-learn's start rather than 0.03) but small multiclass problems slower,
and leaves the 14 Pong rows unfitted for 5 random states in 100 (0.2: none,
as scikit-learn's start)."""


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
      output layer); then, given ``X``, :func:`start_from_data` fits the
      start to the training rows.

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
        output start; None centres the output on zero instead of the prior.
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
        start_from_data(net, X, sample_weight, Y, rng)


def start_from_data(net, X, sample_weight, Y, rng):
    """Fit a network's start to its training rows (``weight_init="auto"``).

    Layer by layer, on a sample of the rows (:func:`start_sample`), each
    from the output of the ones before:

    - each hidden layer's weights are scaled so that the spread of its
      pre-activations (:func:`spread`, the median over its units) is its
      activation's ``init_scale`` (1, the logistic 0.5), whatever the
      inputs' scale and number;
    - each unit's intercept puts its boundary z = 0 through a random
      quantile of its pre-activation, drawn from the activation's
      ``start_spread``: the units' hyperplanes cross the data at different
      places instead of all through its centre (where zero intercepts put
      them on centred data, a plateau), and no ReLU unit starts dead;
    - the output starts near the targets' prior (:func:`start_output`).

    Every statistic is a weighted quantile, in which a row of weight k counts
    exactly as k copies of it.

    Parameters
    ----------
    net : Network
        The network, its weights drawn.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training rows.
    sample_weight : ndarray of shape (n_samples,) or None
        Their weights.
    Y : ndarray of shape (n_samples, n_outputs) or None
        Their targets (0/1 indicators for a classifier); None (the first call
        of ``partial_fit``, which may not see every class) centres the output
        on zero instead of the prior.
    rng : numpy.random.RandomState
        Draws the sample and the quantiles.
    """
    rows, weights = start_sample(X, Y, sample_weight, rng)
    a = X[rows]
    for layer in net.layers[:-1]:
        z = layer.pre_activation(a)
        _scale_weights(layer, z, layer.activation.init_scale, weights)
        if layer.activation.start_spread is not None:
            q = rng.uniform(*layer.activation.start_spread, z.shape[1])
            quantiles = column_quantiles(z, q, weights)
            layer.intercept[...] = _boundary_through(
                quantiles, np.ptp(z, axis=0), layer.activation.init_scale
            )
            z += layer.intercept
        a = layer.activate(z, np.empty_like(z))
    start_output(net, a, weights, Y, sample_weight)


def start_sample(X, Y, sample_weight, rng):
    """The rows the data-aware start looks at, and their weights.

    All rows of positive weight, up to :data:`START_ROWS`; beyond, the
    :data:`START_ROWS` distinct rows whose content hashes lowest
    (:func:`skact._rowhash.content_keys`), each weighted by the total weight
    of its copies. Identical rows are one row either way, so a row of weight
    k and k copies of it give the same sample, at any number of rows; rows of
    weight zero are not part of the data the network is fitted to.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training rows.
    Y : ndarray of shape (n_samples, n_outputs) or None
        Their targets, hashed with them.
    sample_weight : ndarray of shape (n_samples,) or None
        Their weights.
    rng : numpy.random.RandomState
        Draws the hash.

    Returns
    -------
    rows : slice or ndarray of int
        Indices into X.
    weights : ndarray of shape (n_rows,) or None
        Their weights; None for all ones.
    """
    n_samples = X.shape[0]
    if sample_weight is None and n_samples <= START_ROWS:
        return slice(None), None
    Y = np.zeros((n_samples, 0)) if Y is None else Y
    rows = None  # the rows of positive weight, if not all
    if sample_weight is not None:
        rows = np.flatnonzero(sample_weight > 0)
        if len(rows) <= START_ROWS:
            return rows, sample_weight[rows]
        if len(rows) < n_samples:
            X, Y = X[rows], Y[rows]
    keys = content_keys(X, Y, rng)
    # The rows whose key is among the START_ROWS lowest distinct keys; the
    # rest need no sorting (a fit's memory is otherwise its buffers).
    distinct = np.unique(keys)
    chosen = np.flatnonzero(keys <= distinct[min(START_ROWS, len(distinct)) - 1])
    _, first, group = np.unique(keys[chosen], return_index=True, return_inverse=True)
    rows = chosen if rows is None else rows[chosen]
    weight = None if sample_weight is None else sample_weight[rows]
    totals = np.bincount(group, weights=weight)
    # Weights of one (distinct rows, unweighted) are no weights: the faster
    # unweighted quantiles give the same values.
    if (totals == 1).all():
        totals = None
    return rows[first], totals


def spread(z, sample_weight=None):
    """Half the width of the central 68% of each column: a robust std.

    ``(q84 - q16) / 2``, the standard deviation of normal data, from
    weighted quantiles, which treat a row of weight k exactly as k copies of
    it (a weighted standard deviation rounds differently for the two).

    Parameters
    ----------
    z : ndarray of shape (n_samples, n_columns)
        Values.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the rows.

    Returns
    -------
    spread : ndarray of shape (n_columns,)
    """
    low = column_quantiles(z, 0.16, sample_weight)
    high = column_quantiles(z, 0.84, sample_weight)
    return (high - low) / 2


def _scale_weights(layer, z, target, sample_weight):
    """Scale a layer's weights, and its ``z`` with them, to a spread.

    The median spread of the layer's units becomes ``target``. Where most
    rows are alike (sparse or binary data), the largest range of a unit sets
    the scale instead; where z is constant, nothing does.
    """
    scale = float(np.median(spread(z, sample_weight)))
    if not scale > 0:
        scale = float(np.ptp(z, axis=0).max(initial=0.0))
    if scale > 0 and np.isfinite(scale):
        factor = float(np.clip(target / scale, 1 / SCALE_LIMIT, SCALE_LIMIT))
        layer.coef *= factor
        z *= factor


def _boundary_through(quantile, spread, scale):
    """The shifts that put each column's z = 0 at its ``quantile``.

    ``spread`` is each column's range, ``np.ptp(z, axis=0)``, and ``scale``
    the spread the layer's z were scaled to.

    A margin of 0.1% (of the quantile and of the column's range) puts the
    quantile's own sample, and its ties, just on the active side, off the
    kink at z = 0, where rounding would decide the derivative (and a single
    row would start every unit dead). The range, unlike the standard
    deviation, is the same for a row of weight k as for k copies of it.
    Where a column has no range (a single distinct row), its z starts at
    ``scale``, active, rather than at the kink.
    """
    margin = np.where(spread > 0, 0.001 * (np.abs(quantile) + spread), scale)
    return -quantile + margin


def start_output(net, a, weights, Y, sample_weight):
    """Start the output near the targets' prior.

    With the output's pre-activations ``z = a @ coef`` on the start's rows,
    the output weights are scaled to the spread :data:`OUTPUT_SPREAD`, and
    the intercepts then put the weighted median of z at the link of the
    targets' weighted mean: the mean for squared error, its log for Poisson
    (``exp`` output), the log-odds of each label's rate for sigmoid outputs
    and the log class priors for softmax. The network then predicts about
    the prior from the first epoch, instead of spending its first epochs
    learning it. Probabilities (and the Poisson mean) are clipped at
    :data:`PRIOR_CLIP`.

    Parameters
    ----------
    net : Network
        The network.
    a : ndarray of shape (n_rows, width)
        The last hidden layer's output on the start's rows.
    weights : ndarray of shape (n_rows,) or None
        The weights of the start's rows.
    Y : ndarray of shape (n_samples, n_outputs) or None
        All the training targets (0/1 indicators for a classifier); None
        centres z on zero.
    sample_weight : ndarray of shape (n_samples,) or None
        Their weights.
    """
    layer = net.layers[-1]
    z = a @ layer.coef
    _scale_weights(layer, z, OUTPUT_SPREAD, weights)
    prior = 0.0
    if Y is not None:
        mean = target_mean(Y, sample_weight)
        prior = _prior_link(net.out_activation, mean)
    layer.intercept[...] = prior - column_quantiles(z, 0.5, weights)


def _prior_link(out_activation, mean):
    """The link of the targets' weighted mean, per output."""
    if out_activation == "identity":
        return mean
    if out_activation == "exp":
        return np.log(np.maximum(mean, PRIOR_CLIP))
    p = np.clip(mean, PRIOR_CLIP, 1 - PRIOR_CLIP)
    if out_activation == "logistic":
        return np.log(p) - np.log1p(-p)
    return np.log(p)


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
    if sample_weight is not None:
        return _weighted_column_quantiles(z, q, sample_weight)
    if np.ndim(q) == 0:
        k = min(max(math.ceil(n_samples * q) - 1, 0), n_samples - 1)
        # A copy of the row, so that the partitioned array is freed on return
        # rather than kept alive by a view (it is as large as z).
        return np.partition(z, k, axis=0)[k].copy()
    k = np.clip(
        np.ceil(n_samples * np.asarray(q)).astype(np.intp) - 1, 0, n_samples - 1
    )
    return np.sort(z, axis=0)[k, np.arange(n_columns)]


def _weighted_column_quantiles(z, q, sample_weight):
    """:func:`column_quantiles` with weights, every column in one sort.

    NumPy's rule, column by column: the first sorted value whose share of
    the cumulative weight reaches ``q`` (leading rows of weight zero never
    chosen).
    """
    order = np.argsort(z, axis=0)
    cdf = np.cumsum(sample_weight[order], axis=0, dtype=np.float64)
    cdf /= cdf[-1]
    below = (cdf < np.asarray(q, dtype=np.float64)) | (cdf == 0)
    k = np.minimum(below.sum(axis=0), z.shape[0] - 1)
    columns = np.arange(z.shape[1])
    return z[order[k, columns], columns]
