"""The stopping rule, and early stopping's content-based validation split and score."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import r2_score

from skact._stopping import StoppingRule, validation_r2, validation_split


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


def test_rule_counts_epochs_without_improvement_of_the_training_loss():
    rule = StoppingRule(tol=0.1, n_iter_no_change=2, validation=False)
    params = np.zeros(3)
    assert rule.best_loss == np.inf and rule.validation_scores is None
    # 1.0 improves on inf; 0.95 is better, but not by more than tol.
    answers = [rule.update(loss, params) for loss in [1.0, 0.95, 0.92, 0.91]]
    assert answers == [False, False, False, True]
    assert rule.count == 3
    assert rule.best_loss == 0.91
    assert rule.message.startswith("Training loss did not improve more than tol=")
    rule.restart()  # e.g. adaptive SGD chose to go on with a smaller step
    assert rule.count == 0
    assert not rule.update(0.5, params) and rule.count == 0


def test_rule_keeps_the_best_validated_weights():
    rule = StoppingRule(tol=0.01, n_iter_no_change=1, validation=True)
    assert rule.best_loss is None and rule.validation
    params = np.array([1.0, 2.0])
    rule.fall_back_on(params)
    start = rule.best_params
    np.testing.assert_array_equal(start, params)
    assert not np.shares_memory(start, params)

    params += 1
    assert not rule.update(loss=0.5, params=params, score=0.8, val_loss=0.6)
    np.testing.assert_array_equal(rule.best_params, [2.0, 3.0])
    params += 1  # the rule keeps a copy, not a view
    np.testing.assert_array_equal(rule.best_params, [2.0, 3.0])
    # A near tie (within tol) with a validation loss lower by more than a
    # fraction tol is an improvement...
    assert not rule.update(0.4, params, score=0.795, val_loss=0.5)
    assert rule.count == 0 and rule.best_score == 0.795
    np.testing.assert_array_equal(rule.best_params, [3.0, 4.0])
    # ...an equal score with a higher loss is not, and two such epochs stop.
    assert not rule.update(0.3, params + 1, score=0.795, val_loss=0.7)
    assert rule.update(0.2, params + 2, score=0.79, val_loss=0.6)
    np.testing.assert_array_equal(rule.best_params, [3.0, 4.0])
    assert rule.validation_scores == [0.8, 0.795, 0.795, 0.79]
    assert rule.message.startswith("Validation score did not improve")
    # The kept weights survive a later fall_back_on, unless the layout changed.
    rule.fall_back_on(np.zeros(2))
    np.testing.assert_array_equal(rule.best_params, [3.0, 4.0])
    rule.fall_back_on(np.zeros(5))
    np.testing.assert_array_equal(rule.best_params, np.zeros(5))


def test_rule_continued_without_validation_judges_the_training_loss():
    # A warm start without early stopping after one with it: the rule goes on
    # with the training loss, from no best loss yet.
    rule = StoppingRule(tol=0.0, n_iter_no_change=5, validation=True)
    rule.update(1.0, np.zeros(1), score=0.5, val_loss=1.0)
    rule.configure(tol=0.1, n_iter_no_change=0)
    assert rule.update(1.0, np.zeros(1)) is False
    assert rule.best_loss == 1.0
    assert rule.update(0.95, np.zeros(1)) is True


def test_a_score_that_never_moves_breaks_no_tie():
    # A single class scores 1.0 at every epoch while the loss keeps shrinking:
    # with nothing to tell the models apart, scikit-learn's rule stops it.
    rule = StoppingRule(tol=1e-4, n_iter_no_change=3, validation=True)
    losses = 0.7 * 0.99 ** np.arange(10)
    stops = [rule.update(0.5, np.zeros(1), 1.0, loss) for loss in losses]
    assert stops.index(True) == 4  # the first epoch, then 4 without improvement
    # Once the score has moved, a near tie with a loss lower by tol times the
    # first loss is an improvement again.
    rule = StoppingRule(tol=0.01, n_iter_no_change=3, validation=True)
    rule.update(0.5, np.zeros(1), 0.5, 1.0)
    assert not rule.update(0.5, np.zeros(1), 0.9, 0.9)
    assert not rule.update(0.5, np.zeros(1), 0.9, 0.885) and rule.count == 0
    assert not rule.update(0.5, np.zeros(1), 0.9, 0.880) and rule.count == 1
