"""Fast in-place NumPy kernels behind the activations' network hooks.

This module has one job: the arithmetic that :mod:`skact.activations` runs on
the training and prediction hot path, written for speed rather than for
reading. The readable definitions (the formulas, ``__call__`` and
``derivative``) stay in :mod:`skact.activations`; the hooks there (``forward``,
``backward``, ``forward_with_derivative``, ...) call the kernels here, which
write into the buffers they are given (``out=``), use arithmetic instead of
masks or ``np.where``, and replace SciPy's special functions by rational
approximations where NumPy has no vectorised equivalent.

Reordering a kernel's operations changes its rounding, and so the fitted
networks. This module imports nothing from skact (activations import kernels,
never the reverse). The timings behind these choices are in docs/benchmarks.md,
"Where the speed comes from".
"""

import math

import numpy as np

# -- max(z, 0) and min(z, 0) -------------------------------------------------

_ROWS = {}


def constant_row(z, value):
    """A read-only row filled with ``value`` that broadcasts against ``z``.

    NumPy's maximum and minimum have vectorised loops for two arrays but not
    for an array and a scalar, so ``np.maximum(z, zeros)`` beats
    ``np.maximum(z, 0)``. One row per dtype and value, as long as the widest
    layer seen, serves every call.

    Parameters
    ----------
    z : ndarray
        The array the row is to broadcast against (its last axis, its dtype).
    value : float
        The constant.

    Returns
    -------
    row : ndarray of shape (z.shape[-1],), or a scalar for 0-d ``z``
        A read-only view of a cached row.
    """
    n_units = z.shape[-1] if z.ndim else 1
    key = (z.dtype, value)
    row = _ROWS.get(key)
    if row is None or row.size < n_units:
        row = np.full(max(n_units, 256), value, dtype=z.dtype)
        row.flags.writeable = False
        _ROWS[key] = row
    return row[:n_units] if z.ndim else row[0]


def positive_part(z, out=None):
    """``max(z, 0)`` elementwise (see :func:`constant_row` for why not a 0).

    Written into ``out`` if given (which may be ``z``), else a new array.
    """
    return np.maximum(z, constant_row(z, 0.0), out=out)


def negative_part(z, out=None):
    """``min(z, 0)`` elementwise, into ``out`` if given, else a new array."""
    return np.minimum(z, constant_row(z, 0.0), out=out)


# -- Piecewise-linear and sigmoid-based kernels ------------------------------
# Arithmetic rather than masks or np.where: whole-array passes that write into
# a given buffer, with no boolean indexing.


def leaky_forward(z, slope, out):
    """``out = z if z > 0 else slope * z``, with a scalar or per-unit slope.

    Writes into ``out`` (which may be ``z``) and returns it.
    """
    if np.isscalar(slope) and 0 <= slope <= 1:
        # For slopes in [0, 1], max(z, slope * z) picks the right branch.
        return np.maximum(z, np.multiply(z, slope, out=out), out=out)
    return np.multiply(z, leaky_derivative(z, slope), out=out)


def leaky_derivative(z, slope):
    """``1 if z > 0 else slope``, as a new array of the dtype of ``z``."""
    d = np.greater(z, 0).astype(z.dtype)
    d *= 1 - np.asarray(slope, dtype=z.dtype)
    d += np.asarray(slope, dtype=z.dtype)
    return d


def sigmoid_into(z, out):
    """``out = sigmoid(z)`` as ``(1 + tanh(z / 2)) / 2``; returns ``out``.

    The same function through NumPy's vectorised ``tanh`` rather than SciPy's
    ``expit``; exact to within rounding of 1e-16 (absolute), which is all a
    hidden unit needs. (The output layer keeps ``expit``, whose tiny
    probabilities stay accurate in relative terms.)
    """
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def elu_into(z, alpha, scale, out):
    """``out = scale * (z if z > 0 else alpha * (exp(z) - 1))``, arithmetically.

    Writes into ``out`` (distinct from ``z``) and returns it.
    """
    negative_part(z, out=out)
    np.expm1(out, out=out)  # only ever sees z <= 0: no overflow
    out *= alpha
    out += positive_part(z)
    if scale != 1:
        out *= scale
    return out


def elu_backward(z, a, alpha, scale, grad):
    """Multiply ``grad`` in place by the ELU derivative, read off the output ``a``.

    For z <= 0, ``a = scale * alpha * (exp(z) - 1)``, so the derivative
    ``scale * alpha * exp(z)`` is ``a + scale * alpha``; for z > 0 it is
    ``scale``. The blend below picks one or the other without a mask, from
    ``min(a, 0)``, so that a large positive ``a`` cannot cancel it to 0 (and a
    masked copy is several times slower than the arithmetic). Returns
    ``grad``.
    """
    d = np.minimum(a, 0)
    negative_slope_at_0 = scale * alpha
    d += negative_slope_at_0
    # In d's dtype: a boolean times a Python float would be float64.
    d += np.greater(z, 0) * d.dtype.type(scale - negative_slope_at_0)
    grad *= d
    return grad


def silu_backward(z, a, grad):
    """Multiply ``grad`` in place by SiLU's derivative; returns ``grad``.

    ``s (1 + z (1 - s))`` with ``s = sigmoid(z)`` is ``s + a (1 - s)``, with
    the output ``a = z s``.
    """
    s = sigmoid_into(z, np.empty_like(z))
    d = np.subtract(1, s)
    d *= a
    d += s
    grad *= d
    return grad


def softplus_into(z, beta, out):
    """``out = log(1 + exp(beta * z)) / beta``; returns ``out`` (may be ``z``).

    Computed as ``max(x, 0) + log1p(exp(-|x|))`` with ``x = beta * z``.
    """
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exp never sees a positive
    # argument, and whole-array passes with out= replace np.logaddexp.
    x = z * beta
    np.abs(x, out=out)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += positive_part(x, out=x)
    out *= 1 / beta
    return out


def active_right_of(z, threshold):
    """Units with some sample right of ``threshold``, as a bool array per unit.

    For activations whose derivative only vanishes in the left tail, where
    ``threshold`` is the point left of which it is below the inactivity
    threshold: a cheap comparison instead of the derivative itself (and
    faster than ``z.max(axis=0) > threshold``).
    """
    return (z > threshold).any(axis=0)


# -- GELU: the normal tail ---------------------------------------------------

# Hart's rational approximation of the normal tail (Hart et al., "Computer
# Approximations", 1968, algorithm 5666, as given by G. West, "Better
# approximations to cumulative normal functions", Wilmott, 2005): for x >= 0,
# Phi(-x) = exp(-x**2 / 2) * P(x) / Q(x), highest degree first below. GELU's
# value from it is within 1e-15 (absolute) of z * ndtr(z) in float64, in a few
# vectorised passes where SciPy's erf evaluates one value at a time, and all
# the coefficients are positive: the polynomials add positive terms, with no
# cancellation.
HART_P = (
    3.52624965998911e-02, 0.700383064443688, 6.37396220353165, 33.912866078383,
    112.079291497871, 221.213596169931, 220.206867912376,
)  # fmt: skip
HART_Q = (
    8.83883476483184e-02, 1.75566716318264, 16.064177579207, 86.7807322029461,
    296.564248779674, 637.333633378831, 793.826512519948, 440.413735824752,
)  # fmt: skip

# The same form with degrees 4 and 5, for float32: fitted (minimax in relative
# error over 0 <= x <= 40, with P(0) / Q(0) = 1/2 exactly) to within 2.2e-8 of
# Phi(-x) exp(x**2 / 2), below float32's resolution (evaluated in float32, the
# value is within a few ulp): Hart's further accuracy would be rounded away, and
# the lower degrees take eight fewer passes.
FLOAT32_P = (
    0.004936789312705151, 0.04600078729075629, 0.19886943875721266,
    0.4589041285785137, 0.5,
)  # fmt: skip
FLOAT32_Q = (
    0.012374677530203528, 0.11530852035470589, 0.5108089790942625,
    1.2666530001704508, 1.7156937258716283, 1.0,
)  # fmt: skip


def monic_denominator(p_coefs, q_coefs):
    """The same ratio ``P / Q`` with Q's leading coefficient 1 (see :func:`horner`).

    Returns the pair of coefficient tuples, highest degree first.
    """
    return tuple(c / q_coefs[0] for c in p_coefs), tuple(
        c / q_coefs[0] for c in q_coefs
    )


NORMAL_TAIL = {
    np.dtype(np.float64): monic_denominator(HART_P, HART_Q),
    np.dtype(np.float32): monic_denominator(FLOAT32_P, FLOAT32_Q),
}
"""The rational approximation of the normal tail used for each dtype."""


def horner(x, coefs, out):
    """The polynomial with ``coefs`` (highest degree first) at ``x``, into ``out``.

    A leading coefficient of 1 saves a pass over ``x``. Returns ``out``.
    """
    if coefs[0] == 1:
        np.add(x, coefs[1], out=out)
    else:
        np.multiply(x, coefs[0], out=out)
        out += coefs[1]
    for c in coefs[2:]:
        out *= x
        out += c
    return out


def cap_at_40(t):
    """Cap the non-negative ``t`` at 40, in place; returns ``t``.

    The normal density and tail at 40 are ``exp(-800)``, already 0 in float64:
    the cap changes no result and keeps squares and powers finite.
    """
    return np.minimum(t, constant_row(t, 40.0), out=t)


def exp_half_square(t, out):
    """``exp(-t**2 / 2)`` into ``out`` (which may be ``t``); returns ``out``."""
    np.multiply(t, t, out=out)
    out *= -0.5
    return np.exp(out, out=out)


def gate_from_tail(z, tail, out, gate):
    """The gate ``G(z)`` into ``gate`` and the value ``z G(z)`` into ``out``.

    For a gated unit ``z G(z)`` whose gate is symmetric, ``G(-t) = 1 - G(t)``
    (GELU's Phi, its tanh form's sigmoid), from ``tail = G(-|z|)``: ``G(z)`` is
    ``|H - tail|`` with ``H = [z > 0]``, the tail on the left, one minus it on
    the right (the tail is at most 1/2) and 1/2 at zero, without a slow
    np.where. Returns ``gate``.
    """
    np.greater(z, 0, out=gate, casting="unsafe")
    gate -= tail
    np.abs(gate, out=gate)
    np.multiply(z, gate, out=out)
    return gate


def gelu_into(z, out, derivative=None):
    """``out = z * Phi(z)`` through a rational approximation of the normal tail.

    With ``t = |z|`` and ``L = Phi(-t)``, ``z * Phi(z)`` is
    ``max(z, 0) - t * L`` on both sides of zero (``Phi(z) = 1 - Phi(-z)``).
    Given ``derivative``, also writes ``f'(z) = Phi(z) + z * phi(z)`` there,
    from the tail and the density already at hand. Returns ``out``.
    """
    p_coefs, q_coefs = NORMAL_TAIL.get(z.dtype, NORMAL_TAIL[np.dtype(np.float64)])
    t = cap_at_40(np.abs(z))
    q = horner(t, q_coefs, np.empty_like(z))
    tail = horner(t, p_coefs, out)
    tail /= q
    density = exp_half_square(t, out=q)  # phi(t) * sqrt(2 pi)
    tail *= density  # L
    if derivative is None:
        tail *= t  # t * Phi(-t)
        return np.subtract(positive_part(z, out=q), tail, out=out)
    phi_cdf = gate_from_tail(z, tail, out, derivative)
    density *= z
    density *= 1 / math.sqrt(2 * math.pi)
    phi_cdf += density
    return out


def gelu_backward(z, a, grad):
    """Multiply ``grad`` in place by GELU's derivative ``Phi(z) + z phi(z)``.

    ``Phi(z)`` is read off the output ``a = z Phi(z)``. Returns ``grad``.
    """
    # Phi(z) is recovered from the output as a / z = |a| / |z| rather than
    # computed again. Adding a tiny number to both changes nothing but at
    # z == 0, where the quotient becomes (tiny / 2) / tiny = Phi(0) = 1/2.
    tiny = float(np.finfo(z.dtype).tiny)
    t = np.abs(z)
    phi_cdf = np.add(t, tiny)
    numerator = np.abs(a)
    numerator += tiny / 2
    np.divide(numerator, phi_cdf, out=phi_cdf)
    # z * phi(z), phi being the normal density exp(-z**2 / 2) / sqrt(2 pi).
    z_density = exp_half_square(cap_at_40(t), out=t)
    z_density *= z
    z_density *= 1 / math.sqrt(2 * math.pi)
    z_density += phi_cdf
    grad *= z_density
    return grad


# -- GELU, tanh form: the logistic tail ----------------------------------------

# (1 + tanh u) / 2 = sigmoid(2 u): the tanh form z/2 (1 + tanh(sqrt(2 / pi)
# (z + 0.044715 z**3))) is z * sigmoid(v(z)), v being the odd cubic
# v(z) = z (V1 + V3 z**2), with v'(z) = V1 + 3 V3 z**2.
GELU_TANH_V1 = 2 * math.sqrt(2 / math.pi)
GELU_TANH_V3 = GELU_TANH_V1 * 0.044715


def gelu_tanh_into(z, out, derivative=None):
    """``out = z/2 (1 + tanh(sqrt(2/pi) (z + 0.044715 z**3)))``, GELU's tanh form.

    With ``t = |z|`` and ``L = sigmoid(-v(t))``, ``z * sigmoid(v(z))`` is
    ``max(z, 0) - t * L`` on both sides of zero, as in :func:`gelu_into`.
    ``L = e / (1 + e)`` with ``e = exp(-v(t))``: exp only sees non-positive
    arguments, and L stays accurate relative to itself in the left tail, where
    ``1 + tanh u`` loses it to cancellation. Given ``derivative``, also writes
    ``f'(z) = S + z L (1 - L) v'(t)`` there, ``S = sigmoid(v(z))``. Returns
    ``out``.
    """
    t = cap_at_40(np.abs(z))  # v(40) > 4000: L is 0 there, and beyond
    square = np.multiply(t, t)
    tail = np.multiply(square, -GELU_TANH_V3, out=out)
    tail -= GELU_TANH_V1
    tail *= t
    np.exp(tail, out=tail)  # e
    denominator = np.add(tail, 1, out=square if derivative is None else derivative)
    tail /= denominator  # L
    if derivative is None:
        tail *= t
        return np.subtract(positive_part(z, out=square), tail, out=out)
    slope = np.divide(tail, denominator, out=t)  # L (1 - L) = L / (1 + e)
    square *= 3 * GELU_TANH_V3
    square += GELU_TANH_V1  # v'(t)
    slope *= square
    slope *= z
    logistic = gate_from_tail(z, tail, out, derivative)
    logistic += slope
    return out


def gelu_tanh_backward(z, a, grad):
    """Multiply ``grad`` in place by the tanh form's derivative; returns ``grad``.

    ``f'(z) = S + z S (1 - S) v'(z)``, with ``S = sigmoid(v(z))`` read off the
    output ``a = z S`` as in :func:`gelu_backward` (no exp or tanh again), and
    ``z (1 - S)`` as ``z - a``: exact where S nears 1 (a subtraction of
    numbers within a factor of two), where ``1 - S`` would cancel.
    """
    tiny = float(np.finfo(z.dtype).tiny)
    t = np.abs(z)
    logistic = np.add(t, tiny)
    slope = np.abs(a)
    slope += tiny / 2
    np.divide(slope, logistic, out=logistic)  # S, 1/2 at z == 0
    cap_at_40(t)
    v_prime = np.multiply(t, t, out=t)
    v_prime *= 3 * GELU_TANH_V3
    v_prime += GELU_TANH_V1
    np.subtract(z, a, out=slope)
    slope *= logistic  # S = 0 zeroes a huge z - a before v' could overflow it
    slope *= v_prime
    slope += logistic
    grad *= slope
    return grad
