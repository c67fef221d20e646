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
float64. Then it shows how a custom activation takes part, through its
``onnx`` hook.

Run it with ``python examples/plot_serving_onnx.py`` (a few seconds; needs
``pip install "skact[onnx]"``).
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
def onnx_predict(model, X):
    onx = to_onnx(model, X[:1], options={"zipmap": False})
    session = ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    labels, probabilities = session.run(None, {session.get_inputs()[0].name: X})
    return labels, probabilities, len(onx.SerializeToString())


for dtype in (np.float32, np.float64):
    X_rows = X_test.astype(dtype)
    labels, probabilities, size = onnx_predict(best, X_rows)
    worst = np.max(np.abs(probabilities - best.predict_proba(X_rows)))
    same = np.array_equal(labels, best.predict(X_rows))
    print(
        f"{np.dtype(dtype).name}: {size / 1024:.0f} KiB, largest absolute "
        f"difference from predict_proba {worst:.1e}, same labels: {same}"
    )


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
