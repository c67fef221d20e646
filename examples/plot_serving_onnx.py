"""
====================================================
Serving with ONNX: the activation you tuned, shipped
====================================================

A model tuned in a notebook often has to run somewhere else: a web service, a
browser, a phone, a database. ONNX is the format those places read, and
onnxruntime runs it without Python's scientific stack. scikit-learn's own MLP
converts (skl2onnx) for its four activations; skact's estimators convert for
all of theirs, learned PReLU slopes and custom activations included, once
``skact.onnx_export`` is imported.

The script tunes a pipeline on the breast-cancer data over three activations,
exports the winner to ONNX, and checks that onnxruntime gives the same
probabilities and labels as skact on the held-out rows, in float32 and
float64, draws how far apart the two are row by row and how long each takes to
answer, and then shows how a custom activation takes part, through its ``onnx``
hook.

Run it with ``python examples/plot_serving_onnx.py`` (about 4 s on the 2-core
development machine; needs ``pip install "skact[plot,onnx]"``).
"""

# %%
# Tune: a scaler and a network, three activations, two learning rates.
import warnings

import numpy as np
import onnxruntime as ort
from skl2onnx import to_onnx
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skact.onnx_export  # noqa: F401  (registers skact's converters with skl2onnx)
from skact import ScratchMLPClassifier
from skact.activations import Activation, LeakyReLU

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
search = GridSearchCV(
    make_pipeline(
        StandardScaler(),
        ScratchMLPClassifier(hidden_layer_sizes=(32,), max_iter=200, random_state=0),
    ),
    {
        "scratchmlpclassifier__activation": ["prelu", LeakyReLU(0.1), "selu"],
        "scratchmlpclassifier__learning_rate_init": [1e-3, 1e-2],
    },
    cv=3,
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)
best = search.best_estimator_
print("best:", search.best_params_)


# %%
# Export and run. ``to_onnx`` reads the input's type from a sample row: float32
# rows give a float32 graph (the weights rounded to float32: differences of the
# order of float32's resolution), float64 rows a float64 one (the same numbers
# as skact to rounding). ``zipmap=False`` returns the probabilities as a plain
# array rather than a dict per row.
def onnx_session(model, X):
    """An onnxruntime session of ``model``, its graph typed like ``X``."""
    onx = to_onnx(model, X[:1], options={"zipmap": False})
    session = ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session, len(onx.SerializeToString())


def onnx_predict(model, X):
    session, size = onnx_session(model, X)
    labels, probabilities = session.run(None, {session.get_inputs()[0].name: X})
    return labels, probabilities, size


differences = {}  # per dtype, |onnxruntime - skact| for each row's P(class 1)
for dtype in (np.float32, np.float64):
    X_rows = X_test.astype(dtype)
    labels, probabilities, size = onnx_predict(best, X_rows)
    gap = np.abs(probabilities - best.predict_proba(X_rows))
    differences[np.dtype(dtype).name] = gap[:, 1]
    same = np.array_equal(labels, best.predict(X_rows))
    print(
        f"{np.dtype(dtype).name}: {size / 1024:.0f} KiB, largest absolute "
        f"difference from predict_proba {gap.max():.1e}, same labels: {same}"
    )


# %%
# Latency: the median time to answer one row (a request to a service) and all
# the held-out rows at once, skact's ``predict_proba`` against onnxruntime's
# float32 session, each call repeated. Single rows are where a runtime without
# Python's input validation gains most.
import time

import matplotlib.pyplot as plt


def median_time(function, repeats):
    """The median wall time of ``function()`` over ``repeats`` calls, in ms."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return 1e3 * np.median(times)


session, _ = onnx_session(best, X_test.astype(np.float32))
name = session.get_inputs()[0].name
latency = {}
for label, rows, repeats in [
    ("1 row", X_test[:1].astype(np.float32), 300),
    (f"{len(X_test)} rows", X_test.astype(np.float32), 50),
]:
    latency[label] = (
        median_time(lambda rows=rows: best.predict_proba(rows), repeats),
        median_time(lambda rows=rows: session.run(None, {name: rows}), repeats),
    )
    print(
        f"{label}: skact {latency[label][0]:.3f} ms, "
        f"onnxruntime {latency[label][1]:.3f} ms"
    )

fig, (ax_gap, ax_time) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
# Exact agreement has no logarithm: it is drawn in the first bin, labelled 0.
floor = 1e-17
for dtype, gap in differences.items():
    ax_gap.hist(
        np.maximum(gap, floor),
        bins=np.logspace(-17, -4, 27),
        alpha=0.7,
        label=f"{dtype} graph (max {gap.max():.0e})",
    )
ax_gap.set_xscale("log")
ax_gap.set_xticks(
    [floor, 1e-14, 1e-11, 1e-8, 1e-5], ["0", "1e-14", "1e-11", "1e-8", "1e-5"]
)
ax_gap.set_xlabel("|onnxruntime - skact| of P(benign), per held-out row")
ax_gap.set_ylabel("rows")
ax_gap.set_title("Agreement: same probabilities to rounding")
ax_gap.legend()
x = np.arange(len(latency))
for offset, k, runtime in [(-0.2, 0, "skact"), (0.2, 1, "onnxruntime")]:
    bars = ax_time.bar(x + offset, [v[k] for v in latency.values()], 0.4, label=runtime)
    ax_time.bar_label(bars, fmt="%.3f")
ax_time.set_xticks(x, list(latency))
ax_time.set_yscale("log")
ax_time.set_ylim(top=10 * max(max(v) for v in latency.values()))  # the legend's room
ax_time.set_ylabel("median time per call (ms)")
ax_time.set_title("Latency of predict_proba (float32 graph)")
ax_time.legend()
# sphinx_gallery_thumbnail_number = 1
plt.show()


# %%
# A custom activation converts when its class says how: a method
# ``onnx(self, graph, z, params)`` that adds ONNX nodes through ``graph`` and
# returns the name of its output. Without it, ``to_onnx`` raises a TypeError
# that names the activation and the hook.
class Softsign(Activation):
    """``z / (1 + |z|)``."""

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return z / (1 + np.abs(z))

    def derivative(self, z, a=None):
        z = np.asarray(z, dtype=float)
        return 1 / (1 + np.abs(z)) ** 2

    def onnx(self, graph, z, params):
        one_plus_abs = graph.node("Add", graph.node("Abs", z), graph.constant(1.0))
        return graph.node("Div", z, one_plus_abs)


custom = make_pipeline(
    StandardScaler(),
    ScratchMLPClassifier((32,), activation=Softsign(), max_iter=200, random_state=0),
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    custom.fit(X_train, y_train)
rows = X_test.astype(np.float32)
labels, probabilities, _ = onnx_predict(custom, rows)
worst = np.max(np.abs(probabilities - custom.predict_proba(rows)))
print(f"Softsign: largest absolute difference {worst:.1e}")
