"""Activations: values, derivatives, stability, dtypes and hyperparameter protocol."""

import math
import pickle
import re
import warnings

import numpy as np
import pytest
from scipy.special import erf
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import GridSearchCV

from skact import ScratchMLPClassifier, check_gradients
from skact.activations import (
    ACTIVATIONS,
    ELU,
    GELU,
    SELU,
    Activation,
    LeakyReLU,
    PReLU,
    Softplus,
    get_activation,
)

NAMES = sorted(ACTIVATIONS)
# The registry's activations at their defaults, by name, and the other forms
# of built-ins that the registry tests below also run on, as objects.
SPECS = [*NAMES, GELU(approximate="tanh")]
# Points away from every kink, where central differences are accurate.
POINTS = np.array([-7.5, -3.1, -1.2, -0.4, -0.03, 0.02, 0.3, 0.9, 2.2, 6.4])


def _fresh(spec):
    """A new activation object: from a name of SPECS, or a copy of an object."""
    return get_activation(spec) if isinstance(spec, str) else clone(spec)


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_derivative_matches_central_differences(spec):
    act = _fresh(spec)
    h = 1e-6
    numeric = (act(POINTS + h) - act(POINTS - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(POINTS), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(
    "act", [LeakyReLU(0.3), ELU(0.5), ELU(2.0), Softplus(3.0), PReLU(0.1)], ids=repr
)
def test_derivative_of_parametrised_activations(act):
    h = 1e-6
    numeric = (act(POINTS + h) - act(POINTS - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(POINTS), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_derivative_reuses_the_output(spec):
    act = _fresh(spec)
    np.testing.assert_allclose(
        act.derivative(POINTS, act(POINTS)), act.derivative(POINTS), rtol=1e-12
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_network_hooks_agree_and_work_in_place(spec, dtype):
    act = _fresh(spec)
    z = np.linspace(-5, 5, 24, dtype=dtype).reshape(4, 6)
    params = act.init_params(6, dtype)
    # The hooks may compute the same function another way (sigmoid through
    # tanh, say): equal up to rounding in the dtype.
    tol = (
        dict(rtol=1e-12, atol=1e-15)
        if dtype == np.float64
        else dict(rtol=1e-5, atol=1e-7)
    )
    out = np.empty_like(z)
    assert act.forward(z, out, params) is out
    np.testing.assert_allclose(out, act(z), **tol)
    grad = np.ones_like(z)
    assert act.backward(z, out, grad, params) is grad
    np.testing.assert_allclose(grad, act.derivative(z), **tol)
    assert out.dtype == grad.dtype == dtype
    if act.forward_in_place:  # prediction writes the output over z
        z_copy = z.copy()
        np.testing.assert_array_equal(act.forward(z_copy, z_copy, params), out)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_stable_at_extreme_inputs(spec, dtype):
    act = _fresh(spec)
    # Huge but with a representable result (SELU scales by 1.05).
    big = np.finfo(dtype).max / 4
    z = np.array(
        [-big, -1e4, -1e3, -50, -1e-30, 0, 1e-30, 50, 1e3, 1e4, big], dtype=dtype
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = act(z)
        d = act.derivative(z)
        d_from_a = act.derivative(z, a)
        out, grad = np.empty_like(z), np.ones_like(z)
        act.forward(z, out, act.init_params(z.size, dtype))
        act.backward(z, out, grad, act.init_params(z.size, dtype))
    for result in (a, d, d_from_a, out, grad):
        assert result.dtype == dtype
        assert np.all(np.isfinite(result))
    # The training loop's derivative is the derivative there too (a blend of
    # the two sides of ELU's once cancelled to 0 at large z).
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(grad, d, rtol=rtol, atol=1e-20)


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_float32_kept_with_numpy_scalar_hyperparameters(spec):
    # Grids built with np.logspace hold np.float64 values, which NumPy 2 does
    # not treat as weak Python floats: they must not upcast float32 data.
    act = _fresh(spec)
    params = act.get_params()
    # Real-valued parameters only (GELU's approximate is a str).
    act.set_params(
        **{k: np.float64(v) for k, v in params.items() if isinstance(v, float)}
    )
    z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(2, 6)
    params = act.init_params(6, np.float32)
    out, grad = np.empty_like(z), np.ones_like(z)
    act.forward(z, out, params)
    act.backward(z, out, grad, params)
    for result in (act(z), act.derivative(z), act.derivative(z, act(z)), out, grad):
        assert result.dtype == np.float32
    assert act(np.float32(0.5)).dtype == np.float32


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_scalars_in_scalars_out(spec):
    act = _fresh(spec)
    assert isinstance(act(0.5), float)
    assert isinstance(act.derivative(-0.5), float)
    assert isinstance(act(1), float)  # integers are computed in float
    assert act(np.float32(0.5)).dtype == np.float32


def test_documented_examples():
    assert get_activation("leaky_relu")(-10.0) == -0.1
    assert get_activation("sigmoid")(0.0) == 0.5
    assert get_activation("softplus")(0.0) == pytest.approx(np.log(2))
    assert get_activation("elu")(-1e4) == -1.0
    assert ELU(alpha=0.5)(-1e4) == -0.5
    assert get_activation("relu")(-3.0) == 0.0 and get_activation("relu")(3.0) == 3.0
    selu = SELU()
    assert selu.scale == pytest.approx(1.0507009873554805)
    assert selu.alpha == pytest.approx(1.6732632423543772)
    assert selu(-1e4) == pytest.approx(-selu.scale * selu.alpha)
    z = np.linspace(-4, 4, 17)
    np.testing.assert_allclose(
        get_activation("gelu")(z), 0.5 * z * (1 + erf(z / np.sqrt(2))), rtol=1e-12
    )
    np.testing.assert_allclose(get_activation("swish")(z), z / (1 + np.exp(-z)))
    assert get_activation("identity")(2.5) == 2.5
    assert get_activation("tanh").derivative(0.0) == 1.0


def test_kink_convention_takes_the_left_branch():
    assert get_activation("relu").derivative(0.0) == 0.0
    assert LeakyReLU(0.2).derivative(0.0) == 0.2
    assert PReLU(0.3).derivative(0.0) == 0.3
    assert ELU(0.5).derivative(0.0) == 0.5
    assert SELU().derivative(0.0) == pytest.approx(SELU.scale * SELU.alpha)
    # The in-place hook follows the same convention.
    grad = np.ones((1, 1))
    LeakyReLU(0.2).backward(np.zeros((1, 1)), np.zeros((1, 1)), grad)
    assert grad[0, 0] == 0.2


def test_prelu_learnable_slopes():
    act = PReLU(init=0.25)
    slopes = act.init_params(3, np.float32)
    assert slopes.dtype == np.float32 and np.all(slopes == 0.25)
    rng = np.random.RandomState(0)
    z = rng.normal(size=(5, 3))
    slopes = np.array([0.1, 0.2, 0.3])
    out = act.forward(z, np.empty_like(z), slopes)
    np.testing.assert_allclose(out, np.where(z > 0, z, z * slopes))
    # d(sum(w * f(z; s)))/ds against central differences.
    w = rng.normal(size=z.shape)
    analytic = act.params_gradient(z, out, w, slopes)
    numeric = np.empty(3)
    for j in range(3):
        step = np.zeros(3)
        step[j] = 1e-6
        up = (w * act.forward(z, np.empty_like(z), slopes + step)).sum()
        down = (w * act.forward(z, np.empty_like(z), slopes - step)).sum()
        numeric[j] = (up - down) / 2e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6)


def test_hyperparameter_protocol():
    act = LeakyReLU(negative_slope=0.2)
    assert act.get_params() == {"negative_slope": 0.2}
    assert repr(act) == "LeakyReLU(negative_slope=0.2)"
    assert repr(get_activation("relu")) == "ReLU()"
    assert act.set_params(negative_slope=0.3) is act and act.negative_slope == 0.3
    cloned = clone(act)
    assert cloned == act and cloned is not act
    assert pickle.loads(pickle.dumps(act)) == act
    assert LeakyReLU(0.1) != LeakyReLU(0.2) and LeakyReLU(0.1) != ELU(0.1)
    assert len({LeakyReLU(0.1), LeakyReLU(0.1), ELU()}) == 2
    with pytest.raises(ValueError, match=r"'slope'.*\['negative_slope'\]"):
        act.set_params(slope=1.0)
    with pytest.raises(ValueError, match="beta"):
        get_activation("relu").set_params(beta=1.0)


def test_nested_parameters_of_an_estimator():
    """scikit-learn's ``activation__param`` mechanism, as GridSearchCV uses it."""

    class Holder(BaseEstimator):
        def __init__(self, activation="relu"):
            self.activation = activation

    est = Holder(activation=LeakyReLU())
    params = est.get_params(deep=True)
    assert params["activation__negative_slope"] == 0.01
    est.set_params(activation__negative_slope=0.1)
    assert est.activation == LeakyReLU(0.1)
    cloned = clone(est)
    assert cloned.activation == est.activation
    assert cloned.activation is not est.activation
    assert "activation__negative_slope" not in Holder().get_params(deep=True)


def test_get_activation_errors():
    with pytest.raises(ValueError, match=r"leaky_relu.*relu|relu.*leaky_relu"):
        get_activation("rleu")
    with pytest.raises(TypeError, match="str or an Activation"):
        get_activation(3)
    with pytest.raises(TypeError, match="no parameters"):
        get_activation(ELU(), alpha=2.0)
    act = ELU()
    assert get_activation(act) is act
    assert get_activation("elu", alpha=0.5) == ELU(0.5)
    assert isinstance(get_activation("swish"), type(get_activation("silu")))


def test_a_user_subclass_needs_only_value_and_derivative():
    class Cube(Activation):
        def __init__(self, scale=1.0):
            self.scale = scale

        def __call__(self, z):
            return self.scale * np.asarray(z) ** 3

        def derivative(self, z, a=None):
            return 3 * self.scale * np.asarray(z) ** 2

    act = Cube(2.0)
    assert repr(act) == "Cube(scale=2.0)"
    assert clone(act) == act
    z = np.array([[-1.0, 0.5, 2.0]])
    out = act.forward(z, np.empty_like(z))
    np.testing.assert_allclose(out, 2 * z**3)
    grad = np.ones_like(z)
    act.backward(z, out, grad)
    np.testing.assert_allclose(grad, 6 * z**2)
    assert act.init_params(3, np.float64) is None


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_active_units_follow_the_derivative(spec):
    """The fast per-activation rule agrees with |f'(z)| > INACTIVE_BELOW."""
    from skact.activations import INACTIVE_BELOW

    act = _fresh(spec)
    rng = np.random.RandomState(0)
    # Units centred from far left (dead or saturated) to far right.
    centres = np.linspace(-60, 60, 41)
    z = rng.normal(size=(30, centres.size)) * 0.5 + centres
    a = act(z)
    fast = act.active_units(z, a)
    if fast is None:  # the derivative never vanishes
        assert np.all(np.abs(act.derivative(z)) > INACTIVE_BELOW)
        return
    expected = (np.abs(act.derivative(z, a)) > INACTIVE_BELOW).any(axis=0)
    np.testing.assert_array_equal(fast, expected)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gelu_network_hooks_are_exact_to_rounding_everywhere(dtype):
    # The hooks compute Phi with a rational approximation (Hart's in float64,
    # a fitted one in float32), __call__ and derivative with SciPy's ndtr: they
    # must agree to rounding in the dtype, from the far tails (and beyond the
    # cap at |z| = 40) to z = 0 exactly. Both training paths are checked:
    # forward then backward, and the value with its derivative at once.
    gelu = get_activation("gelu")
    tiny = np.finfo(dtype).tiny
    edges = [0.0, -0.0, tiny, -tiny, 1e-30, -1e-30, 39.9, -39.9, 41.0, -41.0]
    edges += [
        1e6,
        -1e6,
        float(np.finfo(dtype).max) / 2,
        -float(np.finfo(dtype).max) / 2,
    ]
    z = np.concatenate([np.linspace(-12, 12, 4801), edges]).astype(dtype)[np.newaxis]
    out, grad = np.empty_like(z), np.ones_like(z)
    out_at_once, derivative = np.empty_like(z), np.empty_like(z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gelu.forward(z, out)
        gelu.backward(z, out, grad)
        gelu.forward_with_derivative(z, out_at_once, derivative)
    for value, slope in [(out, grad), (out_at_once, derivative)]:
        assert np.isfinite(value).all() and np.isfinite(slope).all()
        if dtype == np.float64:
            # Within 1e-15 of z * ndtr(z) in absolute terms (the values reach
            # 1e308 here: relative to them the error is rounding).
            np.testing.assert_allclose(value, gelu(z), rtol=1e-15, atol=1e-15)
            np.testing.assert_allclose(
                slope, gelu.derivative(z), rtol=1e-13, atol=1e-15
            )
        else:
            np.testing.assert_allclose(value, gelu(z), rtol=2e-6, atol=1e-7)
            np.testing.assert_allclose(slope, gelu.derivative(z), rtol=2e-6, atol=1e-7)
        assert value.dtype == slope.dtype == dtype
        # At z = 0 the derivative is Phi(0) = 1/2 exactly, from either side.
        assert slope[0, 4801] == slope[0, 4802] == 0.5


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_forward_with_derivative_gives_value_and_derivative(spec, dtype):
    # Training uses it for activations with derivative_in_forward (GELU);
    # every activation has it, from forward and backward by default.
    act = _fresh(spec)
    z = np.concatenate([np.linspace(-12, 12, 47), [0.0, -0.0, 41.0, -41.0]])
    z = z.astype(dtype).reshape(3, 17)
    params = act.init_params(17, dtype)
    out, derivative = np.empty_like(z), np.empty_like(z)
    assert act.forward_with_derivative(z, out, derivative, params) is out
    # float32: ELU and SELU read their derivative off the output, whose
    # rounding (of values near -1.76 for SELU) is about 2e-7.
    tol = (
        dict(rtol=1e-13, atol=1e-15)
        if dtype == np.float64
        else dict(rtol=2e-6, atol=3e-7)
    )
    np.testing.assert_allclose(out, act(z), **tol)
    np.testing.assert_allclose(derivative, act.derivative(z), **tol)
    assert out.dtype == derivative.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_normal_tail_approximations_are_as_accurate_as_stated(dtype):
    # The training hooks of GELU compute L = Phi(-x) = exp(-x**2 / 2) P(x) /
    # Q(x), x = |z|, with one rational function per dtype, and subtract x * L
    # from max(z, 0). Checked here in float64 against SciPy's log_ndtr, over
    # the range the hooks use (|z| capped at 40).
    from scipy.special import log_ndtr

    from skact._kernels import NORMAL_TAIL

    p_coefs, q_coefs = NORMAL_TAIL[np.dtype(dtype)]
    x = np.linspace(0, 40, 40001)
    approx = np.polyval(p_coefs, x) / np.polyval(q_coefs, x)
    exact = np.exp(log_ndtr(-x) + x * x / 2)
    if dtype == np.float64:
        # Hart's: x * L within 2e-16, absolute (it is relatively less exact
        # far in the tail, where L itself is below 1e-12).
        error = np.abs(x * (approx - exact) * np.exp(-x * x / 2))
        assert error.max() < 2e-16
    else:
        # Fitted for float32: L within 2.5e-8, relative, everywhere.
        assert np.max(np.abs(approx / exact - 1)) < 2.5e-8
    # Phi(0) = 1/2 exactly, so that f'(0) = 1/2 exactly.
    assert np.polyval(p_coefs, 0.0) / np.polyval(q_coefs, 0.0) == 0.5


# -- GELU's tanh form ----------------------------------------------------------


def _gelu_tanh_formula(z):
    """The tanh form's value and derivative at a Python float, as PyTorch writes it."""
    c, k = math.sqrt(2 / math.pi), 0.044715
    t = math.tanh(c * (z + k * z**3))
    value = 0.5 * z * (1 + t)
    slope = 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * c * (1 + 3 * k * z * z)
    return value, slope


def test_gelu_tanh_matches_its_formula():
    # Every way of computing it, against the formula evaluated one value at a
    # time with math.tanh. The formula itself loses accuracy to 1 + tanh u
    # cancelling for z << 0, to about |z| * 1e-16 in the value and 5e-15 in the
    # derivative: the absolute tolerances.
    act = GELU(approximate="tanh")
    z = np.linspace(-10, 10, 2001)[np.newaxis]
    value, slope = np.vectorize(_gelu_tanh_formula)(z)
    out, grad = np.empty_like(z), np.ones_like(z)
    out_at_once, derivative = np.empty_like(z), np.empty_like(z)
    act.forward(z, out)
    act.backward(z, out, grad)
    act.forward_with_derivative(z, out_at_once, derivative)
    for computed in (act(z), out, out_at_once):
        np.testing.assert_allclose(computed, value, rtol=1e-14, atol=2e-15)
    for computed in (act.derivative(z), grad, derivative):
        np.testing.assert_allclose(computed, slope, rtol=1e-13, atol=1e-14)
    # Known values, and the kink-free origin.
    assert act(1.0) == pytest.approx(0.8411919906082768, rel=1e-15)
    assert act(0.0) == 0.0 and act.derivative(0.0) == 0.5


def test_gelu_tanh_is_close_to_exact_gelu():
    # Measured on [-6, 6]: the values differ by 4.73e-4 at most (at |z| = 2.70),
    # the derivatives by 8.68e-4 (at z = 2.02); the lower bound checks that the
    # tanh form is indeed another function.
    exact, approximate = GELU(), GELU(approximate="tanh")
    z = np.linspace(-6, 6, 12001)
    difference = np.abs(approximate(z) - exact(z)).max()
    assert 4.5e-4 < difference < 5e-4
    slope_difference = np.abs(approximate.derivative(z) - exact.derivative(z)).max()
    assert 8e-4 < slope_difference < 1e-3


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gelu_tanh_network_hooks_are_exact_to_rounding_everywhere(dtype):
    # As for the exact form: both training paths agree with __call__ and
    # derivative from the far tails (and beyond the cap at |z| = 40) to z = 0,
    # without warnings, in the input's dtype.
    act = GELU(approximate="tanh")
    big = float(np.finfo(dtype).max) / 2
    edges = [0.0, -0.0, 1e-30, -1e-30, 39.9, -39.9, 41.0, -41.0, 1e6, -1e6, big, -big]
    z = np.concatenate([np.linspace(-12, 12, 4801), edges]).astype(dtype)[np.newaxis]
    out, grad = np.empty_like(z), np.ones_like(z)
    out_at_once, derivative = np.empty_like(z), np.empty_like(z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        act.forward(z, out)
        act.backward(z, out, grad)
        act.forward_with_derivative(z, out_at_once, derivative)
        value, slope = act(z), act.derivative(z)
    tol = (
        dict(rtol=1e-13, atol=1e-15)
        if dtype == np.float64
        else dict(rtol=2e-6, atol=1e-7)
    )
    for computed_value, computed_slope in [(out, grad), (out_at_once, derivative)]:
        assert computed_value.dtype == computed_slope.dtype == dtype
        assert np.isfinite(computed_value).all() and np.isfinite(computed_slope).all()
        np.testing.assert_allclose(computed_value, value, **tol)
        np.testing.assert_allclose(computed_slope, slope, **tol)
        # f'(0) = 1/2 exactly, from either side.
        assert computed_slope[0, 4801] == computed_slope[0, 4802] == 0.5


def test_gelu_approximate_is_a_hyperparameter():
    act = GELU(approximate="tanh")
    assert repr(act) == "GELU(approximate='tanh')"
    assert repr(GELU()) == "GELU(approximate='none')"
    assert act.get_params() == {"approximate": "tanh"}
    assert GELU().set_params(approximate="tanh") == act
    assert clone(act) == act and clone(act) is not act
    assert pickle.loads(pickle.dumps(act)) == act
    assert act != GELU() and get_activation("gelu", approximate="tanh") == act
    # Nested in an estimator, by name or object, as GridSearchCV sets it.
    clf = ScratchMLPClassifier(activation="gelu")
    assert clf.set_params(activation__approximate="tanh").activation == act
    assert clf.get_params()["activation__approximate"] == "tanh"


def _small_classification():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4))
    return X, (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_gelu_approximate_in_grid_search():
    X, y = _small_classification()
    search = GridSearchCV(
        ScratchMLPClassifier((6,), max_iter=5, random_state=0),
        {"activation": [GELU()], "activation__approximate": ["none", "tanh"]},
        cv=2,
    ).fit(X, y)
    forms = [p["activation__approximate"] for p in search.cv_results_["params"]]
    assert forms == ["none", "tanh"]
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.param_grid["activation"][0] == GELU()  # the user's object


@pytest.mark.parametrize("approximate", ["exact", "Tanh", "", None, True, 1.0])
def test_invalid_gelu_approximate_fails_at_fit(approximate):
    X, y = _small_classification()
    act = GELU(approximate=approximate)  # stored unchanged, as scikit-learn does
    clf = ScratchMLPClassifier((4,), activation=act, max_iter=2)
    message = (
        r"The 'approximate' parameter of GELU must be a str among "
        rf"\{{'none', 'tanh'\}}. Got {re.escape(repr(approximate))} instead."
    )
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    assert not hasattr(clf, "coefs_")
    with pytest.raises(ValueError, match=message):
        act(0.5)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_gelu_tanh_fit_passes_the_gradient_check():
    X, y = _small_classification()
    clf = ScratchMLPClassifier(
        (6, 5), activation=GELU(approximate="tanh"), alpha=0.1, random_state=0
    )
    assert check_gradients(clf, X, y) < 1e-5  # at the initial weights
    clf.set_params(max_iter=30, learning_rate_init=0.01).fit(X, y)
    assert check_gradients(clf, X, y) < 1e-5  # at the fitted ones
    assert clf.activations_[0] == GELU(approximate="tanh")
    X32 = X.astype(np.float32)
    fitted32 = clone(clf).fit(X32, y)
    assert fitted32.coefs_[0].dtype == np.float32
    assert fitted32.predict_proba(X32).dtype == np.float32
