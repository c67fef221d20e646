"""The content-based validation split and score used by early stopping."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import r2_score

from skact._early_stopping import validation_r2, validation_split


def _data(n=200, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 4))
    labels = rng.randint(0, 3, n)
    return X, np.eye(3)[labels], labels


def test_split_is_stratified_and_near_the_fraction():
    X, Y, labels = _data()
    train, val = validation_split(X, Y, None, 0.2, labels, np.random.RandomState(0))
    assert np.intersect1d(train, val).size == 0
    assert np.union1d(train, val).size == len(X)
    for c in range(3):
        share = np.mean(labels[val] == c) - np.mean(labels == c)
        assert abs(share) < 0.02
    assert abs(len(val) / len(X) - 0.2) < 0.02


def test_identical_rows_land_on_the_same_side():
    X, Y, labels = _data(60)
    X, Y, labels = (np.repeat(a, 3, axis=0) for a in (X, Y, labels))
    train, val = validation_split(X, Y, None, 0.3, labels, np.random.RandomState(1))
    in_val = np.isin(np.arange(len(X)), val).reshape(-1, 3)
    assert np.all(in_val.all(axis=1) | ~in_val.any(axis=1))


def test_weights_act_as_repetitions_and_zero_weights_train():
    X, Y, labels = _data(40)
    w = np.random.RandomState(2).randint(0, 4, len(X)).astype(float)
    _, val_w = validation_split(X, Y, w, 0.25, labels, np.random.RandomState(3))
    rows = np.repeat(np.arange(len(X)), w.astype(int))
    _, val_r = validation_split(
        X[rows], Y[rows], None, 0.25, labels[rows], np.random.RandomState(3)
    )
    np.testing.assert_array_equal(np.unique(rows[val_r]), val_w)
    assert np.all(w[val_w] > 0)


def test_random_state_and_sparse_input():
    X, Y, labels = _data()
    a = validation_split(X, Y, None, 0.1, labels, np.random.RandomState(0))[1]
    b = validation_split(X, Y, None, 0.1, labels, np.random.RandomState(0))[1]
    c = validation_split(X, Y, None, 0.1, labels, np.random.RandomState(1))[1]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    X[X < 0] = 0
    dense = validation_split(X, Y, None, 0.1, labels, np.random.RandomState(0))[1]
    for fmt in (sp.csr_matrix, sp.csc_array):
        split = validation_split(fmt(X), Y, None, 0.1, labels, np.random.RandomState(0))
        np.testing.assert_array_equal(split[1], dense)


def test_too_little_data_is_a_clear_error():
    X, Y, labels = _data(1)
    with pytest.raises(ValueError, match="n_samples=1"):
        validation_split(X, Y, None, 0.1, labels, np.random.RandomState(0))


def test_validation_r2():
    rng = np.random.RandomState(0)
    y, pred, w = rng.normal(size=(20, 2)), rng.normal(size=(20, 2)), rng.rand(20)
    expected = r2_score(y, pred, sample_weight=w)
    assert validation_r2(y, pred, w) == pytest.approx(expected)
    expected = r2_score(y[:, 0], pred[:, 0])
    assert validation_r2(y[:, 0], pred[:, 0]) == pytest.approx(expected)
    # One row: perfect prediction 1.0, anything else 0.0 (r2_score gives NaN).
    assert validation_r2(np.array([2.0]), np.array([2.0])) == 1.0
    assert validation_r2(np.array([2.0]), np.array([1.0])) == 0.0
