"""Backpropagation against finite differences, and the network's plumbing."""

import pickle

import numpy as np
import pytest

from skact._gradcheck import network_loss, numerical_gradient
from skact._init import initialize
from skact._network import Batch, Network, make_layers, predict
from skact._penalty import Penalty
from skact.activations import ACTIVATIONS, get_activation

# Targets for each loss: (loss, n_outputs, target maker).
TASKS = {
    "binary": ("binary_log_loss", 1, lambda rng, n: rng.randint(0, 2, (n, 1))),
    "multilabel": ("binary_log_loss", 3, lambda rng, n: rng.randint(0, 2, (n, 3))),
    "multiclass": ("log_loss", 3, lambda rng, n: np.eye(3)[rng.randint(0, 3, n)]),
    "squared_error": ("squared_error", 2, lambda rng, n: rng.normal(size=(n, 2))),
    "poisson": ("poisson", 2, lambda rng, n: rng.poisson(2.0, size=(n, 2))),
}


def _network(activations, task, n_features=4, hidden=(5, 4), seed=0):
    loss, n_outputs, make_y = TASKS[task]
    rng = np.random.RandomState(seed)
    units = [n_features, *hidden, n_outputs]
    net = Network(units, activations, loss, np.float64)
    initialize(net, rng)
    # Move learnable activation parameters off their initial value, so their
    # gradient is checked at a generic point.
    for p in net.act_params:
        if p is not None:
            p += rng.uniform(-0.1, 0.1, p.shape)
    X = rng.normal(size=(13, n_features))
    Y = make_y(rng, 13).astype(np.float64)
    sample_weight = rng.uniform(0.1, 2.0, 13)
    return net, X, Y, sample_weight


def _loss_grad(net, X, Y, sample_weight=None, alpha=0.0):
    return net.loss_grad(Batch(X, Y, sample_weight), Penalty(alpha))


def _numerical_gradient(net, X, Y, sample_weight, alpha):
    """Central differences of the loss, one parameter at a time."""
    theta = net.params.copy()
    loss = network_loss(net, Batch(X, Y, sample_weight), Penalty(alpha))
    grad = numerical_gradient(loss, theta)
    net.params[...] = theta
    return grad


@pytest.mark.parametrize("task", sorted(TASKS))
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_backprop_matches_finite_differences(name, task):
    act = get_activation(name)
    net, X, Y, sample_weight = _network([act, act], task)
    alpha = 0.3
    _loss_grad(net, X, Y, sample_weight, alpha)
    analytic = net.grad.copy()
    numeric = _numerical_gradient(net, X, Y, sample_weight, alpha)
    scale = np.maximum(np.abs(numeric), 1e-3)
    assert np.max(np.abs(analytic - numeric) / scale) < 1e-5


@pytest.mark.parametrize("task", sorted(TASKS))
def test_backprop_per_layer_activations_and_unweighted(task):
    acts = [get_activation("prelu"), get_activation("gelu"), get_activation("tanh")]
    net, X, Y, _ = _network(acts, task, hidden=(5, 4, 3))
    _loss_grad(net, X, Y, None, 0.1)
    analytic = net.grad.copy()
    numeric = _numerical_gradient(net, X, Y, None, 0.1)
    scale = np.maximum(np.abs(numeric), 1e-3)
    assert np.max(np.abs(analytic - numeric) / scale) < 1e-5
    # The PReLU slopes are part of the vector and do get a gradient.
    assert net.act_params[0] is not None and net.act_params[1] is None
    assert np.any(net.act_param_grads[0] != 0)


def test_sparse_input_gives_the_same_loss_and_gradient():
    scipy_sparse = pytest.importorskip("scipy.sparse")
    net, X, Y, sw = _network([get_activation("elu")] * 2, "multiclass")
    X[X < 0] = 0
    dense_loss = _loss_grad(net, X, Y, sw, 0.1)
    dense_grad = net.grad.copy()
    for fmt in (scipy_sparse.csr_matrix, scipy_sparse.csc_array):
        assert np.allclose(_loss_grad(net, fmt(X), Y, sw, 0.1), dense_loss)
        assert np.allclose(net.grad, dense_grad)


def test_loss_scaling_is_scikit_learns():
    """Weighted mean over samples; squared error reported per output."""
    net, X, Y, sw = _network([get_activation("relu")] * 2, "squared_error")
    objective, reported = _loss_grad(net, X, Y, sw, 0.0)
    out = predict(X, make_layers(net.coefs, net.intercepts, net.hidden_activations,
                                 net.act_params, "identity"))  # fmt: skip
    per_sample = 0.5 * ((out - Y) ** 2).sum(axis=1)
    assert objective == pytest.approx(np.average(per_sample, weights=sw))
    assert reported == pytest.approx(objective / Y.shape[1])
    w2 = sum((c**2).sum() for c in net.coefs)
    objective_l2, _ = _loss_grad(net, X, Y, sw, 2.0)
    assert objective_l2 == pytest.approx(objective + 0.5 * 2.0 * w2 / sw.sum())


def test_views_share_memory_with_the_flat_vector():
    net, *_ = _network([get_activation("prelu")] * 2, "binary")
    for view in [*net.coefs, *net.intercepts, net.act_params[0]]:
        assert np.shares_memory(view, net.params)
    net.params[...] = 0
    assert all(not c.any() for c in net.coefs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_predict_in_blocks_equals_one_pass(monkeypatch, dtype):
    # Large inputs are predicted block by block of rows; the output is the
    # one of a single pass over all rows, in the input's dtype.
    net = _network([get_activation("gelu"), get_activation("relu")], "multiclass")[0]
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1000, 4)).astype(dtype)
    coefs = [c.astype(dtype) for c in net.coefs]
    intercepts = [b.astype(dtype) for b in net.intercepts]
    layers = make_layers(
        coefs, intercepts, net.hidden_activations, net.act_params, "softmax"
    )
    whole = predict(X, layers)
    # Blocks of 256 rows (the smallest block), the last one partial.
    monkeypatch.setattr("skact._network.PREDICT_BLOCK_VALUES", 1)
    blocked = predict(X, layers)
    assert blocked.dtype == whole.dtype == dtype
    np.testing.assert_allclose(
        blocked, whole, rtol=1e-6 if dtype == np.float32 else 1e-13
    )


def test_pickle_leaves_out_the_batch_buffers():
    # The buffers of the last batch are scratch space: a pickled network (and
    # so a pickled estimator) is as small after training as before, and
    # computes the same loss and gradient once unpickled.
    net, X, Y, sample_weight = _network([get_activation("relu")] * 2, "multiclass")
    size_before = len(pickle.dumps(net))
    big = np.repeat(X, 50, axis=0)
    _loss_grad(net, big, np.repeat(Y, 50, axis=0))
    assert len(pickle.dumps(net)) == size_before
    loss = _loss_grad(net, X, Y, sample_weight, alpha=0.1)
    grad = net.grad.copy()
    clone = pickle.loads(pickle.dumps(net))
    assert _loss_grad(clone, X, Y, sample_weight, alpha=0.1) == loss
    np.testing.assert_array_equal(clone.grad, grad)


def test_buffers_serve_batches_of_any_size_in_any_order():
    # One network sees batches that grow and shrink (more sizes than it keeps
    # views for): each loss and gradient must be those of a fresh network.
    acts = [get_activation("relu"), get_activation("gelu")]
    net, X, Y, sample_weight = _network(acts, "multiclass")
    rng = np.random.RandomState(1)
    X = rng.normal(size=(40, X.shape[1]))
    Y = np.eye(3)[rng.randint(0, 3, 40)]
    for n in [5, 40, 7, 13, 1, 40, 22, 5, 9, 3, 31, 40, 2]:
        loss = _loss_grad(net, X[:n], Y[:n], alpha=0.01)
        fresh, *_ = _network(acts, "multiclass")
        fresh.params[...] = net.params
        assert _loss_grad(fresh, X[:n], Y[:n], alpha=0.01) == loss
        np.testing.assert_array_equal(fresh.grad, net.grad)


def test_unpickling_a_state_with_scratch_space_rebuilds_it():
    # A state saved with its batch buffers and views (as pickles made before
    # Network had __getstate__ hold them) is cleaned on loading.
    net, X, Y, sample_weight = _network([get_activation("relu")] * 2, "multiclass")
    loss = _loss_grad(net, X, Y, sample_weight)
    # Pickling the plain dict stores every view as a detached copy, as it did.
    old_state = pickle.loads(
        pickle.dumps({k: v for k, v in vars(net).items() if k != "_views"})
    )
    clone = Network.__new__(Network)
    clone.__setstate__(old_state)
    assert np.shares_memory(clone.coefs[0], clone.params)
    assert np.shares_memory(clone.coef_grads[0], clone.grad)
    assert _loss_grad(clone, X, Y, sample_weight) == loss
    np.testing.assert_array_equal(clone.grad, net.grad)
