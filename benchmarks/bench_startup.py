"""How often does a small ReLU network end up dead? skact against scikit-learn.

A ReLU unit whose input is negative for every sample outputs 0 and gets no
gradient: it is dead. When every unit of a hidden layer is dead, the network
predicts a constant and training is stuck for good. Small networks on tiny or
unscaled data (the situations of the questions skact grew from) hit this
often, depending on the random seed.

For each problem and architecture, this script fits scikit-learn's
``MLPClassifier`` and skact's ``ScratchMLPClassifier`` (default
``weight_init="auto"``, and ``"sklearn"``, scikit-learn's own scheme, for
reference) with the same settings over many seeds, and counts the runs that
end with a whole hidden layer dead on the training data.

Usage::

    python benchmarks/bench_startup.py            # 100 seeds, about 3 minutes
    python benchmarks/bench_startup.py --seeds 20 # quicker, noisier
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skact import ScratchMLPClassifier


def problems():
    """Tiny binary problems, as in the questions skact answers."""
    # The six rows of "ReLU performs worse than sigmoid".
    six_X = np.array(
        [[0, 0, 1], [0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 0, 0], [0, 1, 0]], float
    )
    six_y = np.array([0, 1, 0, 0, 1, 1])
    # The Pong paddle's raw inputs: is value_1 > value_2, from
    # [value_1, value_2, value_1 - value_2] in [0, 100], unscaled.
    rng = np.random.RandomState(0)
    values = rng.uniform(0, 100, (60, 2))
    pong_X = np.column_stack([values, values[:, 0] - values[:, 1]])
    pong_y = (pong_X[:, 2] > 0).astype(int)
    # XOR, the smallest problem a linear model cannot solve.
    xor_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    xor_y = np.array([0, 1, 1, 0])
    return {
        "six rows": (six_X, six_y),
        "raw pong": (pong_X, pong_y),
        "xor": (xor_X, xor_y),
    }


def dead_network(coefs, intercepts, X):
    """True when some hidden ReLU layer outputs 0 for every sample of X."""
    a = X
    for w, b in zip(coefs[:-1], intercepts[:-1]):
        a = np.maximum(a @ w + b, 0)
        if not (a > 0).any():
            return True
    return False


def count_dead(make, X, y, seeds):
    """Number of seeds whose fitted network ends dead, and mean accuracy."""
    dead, accuracy = 0, 0.0
    for seed in range(seeds):
        model = make(seed).fit(X, y)
        dead += dead_network(model.coefs_, model.intercepts_, X)
        accuracy += model.score(X, y)
    return dead, accuracy / seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    args = parser.parse_args()
    settings = dict(
        activation="relu", solver="adam", learning_rate_init=0.01, max_iter=500
    )
    contenders = {
        "scikit-learn": lambda hidden, seed: MLPClassifier(
            hidden, random_state=seed, **settings
        ),
        "skact auto": lambda hidden, seed: ScratchMLPClassifier(
            hidden, random_state=seed, **settings
        ),
        "skact sklearn-init": lambda hidden, seed: ScratchMLPClassifier(
            hidden, random_state=seed, weight_init="sklearn", **settings
        ),
    }
    print(
        f"Runs ending with a whole hidden layer dead, out of {args.seeds} seeds "
        f"(ReLU, adam, learning_rate_init=0.01, max_iter=500); mean training "
        "accuracy in brackets\n"
    )
    header = f"{'problem':<10}{'hidden':<9}" + "".join(
        f"{name:>22}" for name in contenders
    )
    print(header)
    print("-" * len(header))
    totals = dict.fromkeys(contenders, 0)
    runs = 0
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, (X, y) in problems().items():
            for hidden in [(2,), (4,), (4, 4)]:
                row = f"{name:<10}{str(hidden):<9}"
                for label, make in contenders.items():
                    dead, acc = count_dead(
                        lambda seed, make=make, hidden=hidden: make(hidden, seed),
                        X,
                        y,
                        args.seeds,
                    )
                    totals[label] += dead
                    row += f"{dead:>14} ({acc:.2f})"
                runs += args.seeds
                print(row, flush=True)
    print("-" * len(header))
    print(
        f"{'total':<19}"
        + "".join(f"{totals[label]:>14} / {runs:<5}" for label in contenders)
    )
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
