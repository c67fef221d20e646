"""The optimizers against their textbook formulas, on a flat parameter vector."""

import numpy as np
import pytest

from skact._optimizers import SGD, Adam
from skact._penalty import Penalty


def test_adam_step_is_the_textbook_formula():
    rng = np.random.RandomState(0)
    params = rng.normal(size=7)
    expected = params.copy()
    opt = Adam(params, 0.01, 0.9, 0.999, 1e-8)
    m = v = np.zeros(7)
    for t in range(1, 4):
        grad = rng.normal(size=7)
        opt.update(params, grad.copy())  # the optimizer may overwrite it
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        # scikit-learn's (and Kingma and Ba's "efficient") form: epsilon is
        # added to sqrt(v) before the bias correction of the step size.
        lr_t = 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        expected -= lr_t * m / (np.sqrt(v) + 1e-8)
        np.testing.assert_allclose(params, expected, rtol=1e-12)
        # The stored (rescaled) state still gives the textbook moments.
        np.testing.assert_allclose(opt.moments[0], m, rtol=1e-12)
        np.testing.assert_allclose(opt.moments[1], v, rtol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum(nesterov):
    params = np.array([1.0, -2.0])
    opt = SGD(params, 0.1, "constant", 0.9, nesterov, 0.5)
    velocity = np.zeros(2)
    expected = params.copy()
    for grad in ([0.5, 1.0], [0.2, -0.3]):
        grad = np.array(grad)
        opt.update(params, grad.copy())
        velocity = 0.9 * velocity - 0.1 * grad
        expected += 0.9 * velocity - 0.1 * grad if nesterov else velocity
        np.testing.assert_allclose(params, expected)


def test_learning_rate_schedules():
    params = np.zeros(3)
    inv = SGD(params, 0.1, "invscaling", 0.9, True, 0.5)
    inv.iteration_ends(99)
    assert inv.learning_rate == pytest.approx(0.1 / 100**0.5)
    adaptive = SGD(params, 0.1, "adaptive", 0.9, True, 0.5)
    assert adaptive.trigger_stopping("stalled", verbose=False) is False
    assert adaptive.learning_rate == pytest.approx(0.02)
    adaptive.learning_rate = 1e-7
    assert adaptive.trigger_stopping("stalled", verbose=False) is True
    constant = SGD(params, 0.1, "constant", 0.9, True, 0.5)
    assert constant.trigger_stopping("stalled", verbose=False) is True


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_float32_state_stays_float32(solver):
    params = np.ones(4, dtype=np.float32)
    # NumPy float64 hyperparameters, as a parameter grid gives them.
    if solver == "adam":
        opt = Adam(params, np.float64(0.01), np.float64(0.9), 0.999, 1e-8)
    else:
        opt = SGD(params, np.float64(0.01), "constant", np.float64(0.9), True, 0.5)
    for _ in range(2):
        opt.update(params, np.full(4, 0.5, dtype=np.float32))
        Penalty(np.float64(0.1), 1.0).shrink(params[:2], opt, 1.0)
    state = vars(opt).values()
    arrays = [x for x in state if isinstance(x, np.ndarray)]
    assert arrays and all(x.dtype == np.float32 for x in arrays)
    assert params.dtype == np.float32


@pytest.mark.parametrize("make", [
    lambda p: Adam(p, 0.01, 0.9, 0.999, 1e-8),
    lambda p: SGD(p, 0.01, "constant", 0.9, True, 0.5),
], ids=["adam", "sgd"])  # fmt: skip
def test_a_copy_takes_the_same_steps_from_state_of_its_own(make):
    # Fits save copies of the optimizer, to put it back if they fail.
    rng = np.random.RandomState(0)
    params = rng.normal(size=5)
    opt = make(params)
    opt.update(params, rng.normal(size=5))
    saved, saved_params = opt.copy(), params.copy()
    for name, value in vars(opt).items():
        if isinstance(value, np.ndarray):
            assert not np.shares_memory(value, getattr(saved, name))
    grad = rng.normal(size=5)
    opt.update(params, grad.copy())
    saved.update(saved_params, grad.copy())
    np.testing.assert_array_equal(saved_params, params)
