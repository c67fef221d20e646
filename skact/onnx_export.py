"""Export skact's estimators to ONNX, through skl2onnx.

Importing this module registers converters for `ScratchMLPClassifier` and
`ScratchMLPRegressor` (and `MLPClassifier` and `MLPRegressor`, the same
estimators under scikit-learn's names) with skl2onnx (an optional dependency:
``pip install "skact[onnx]"``); ``skl2onnx.to_onnx`` then converts them, alone
or inside a `~sklearn.pipeline.Pipeline`, like any scikit-learn model::

    import skact.onnx_export  # registers the converters
    from skl2onnx import to_onnx

    onx = to_onnx(pipe, X[:1].astype(np.float32))

The graph computes in the dtype of the input it is given (float32 or
float64): the weights are cast to it. Every built-in activation converts,
learned PReLU slopes included; the classifier's outputs are skl2onnx's
(labels, then probabilities, as a ZipMap unless ``options={"zipmap": False}``).

A custom activation converts through a hook: a method
``onnx(self, graph, z, params)`` on its class that adds its nodes with
`OnnxGraph` and returns the name of its output. Without one, conversion
fails with an error that names the activation and the hook.

The built-in activations convert through a table by exact class instead,
``BUILT_IN`` in ``skact/_onnx_activations.py``, not through ``onnx`` methods
on their classes, for two reasons. Their nodes are mostly workarounds for
onnxruntime (float64 kernels it lacks, a float32 Sigmoid that approximates):
a hundred-odd lines of graph building that would crowd
``skact/activations.py``, which learners read for the formulas. And a method
would be inherited, so that a subclass changing the function would export
its parent's nodes; the table makes it bring its own hook. That module
imports neither skl2onnx nor onnx, so that ``tests/test_onnx_activations.py``,
which the README's test command runs without the onnx extra, fails as soon as
a class of `skact.activations.ACTIVATIONS` has no entry in the table.
"""

import numpy as np

try:
    from skl2onnx import update_registered_converter
    from skl2onnx.common.data_types import guess_proto_type
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
        calculate_linear_regressor_output_shapes,
    )
    from skl2onnx.proto import onnx_proto
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "skact.onnx_export needs skl2onnx, an optional dependency of skact: "
        'pip install "skact[onnx]" (or pip install skl2onnx onnxruntime).'
    ) from error

from ._mlp import (
    MLPClassifier,
    MLPRegressor,
    ScratchMLPClassifier,
    ScratchMLPRegressor,
)
from ._onnx_activations import convert_activation, sigmoid

__all__ = ["OnnxGraph"]


class OnnxGraph:
    """What an activation's ONNX hook builds its nodes with.

    An activation's ``onnx(self, graph, z, params)`` receives one: it adds
    constants and nodes to the graph being converted and returns the name of
    the tensor that holds the activation's output.

    Parameters
    ----------
    scope : skl2onnx Scope
        skl2onnx's naming scope of the conversion.
    container : skl2onnx ModelComponentContainer
        The graph being built.
    dtype : numpy.dtype
        The dtype the graph computes in (float32 or float64).

    Attributes
    ----------
    dtype : numpy.dtype
        The dtype the graph computes in.
    elem_type : int
        ONNX's element type for it (``TensorProto.FLOAT`` or ``DOUBLE``), for
        a Cast node's ``to``.
    opset : int
        The target opset of ONNX's main domain.

    Examples
    --------
    The hook of a custom softsign activation, ``z / (1 + |z|)``:

    >>> def onnx(self, graph, z, params):
    ...     one_plus = graph.node("Add", graph.node("Abs", z), graph.constant(1.0))
    ...     return graph.node("Div", z, one_plus)
    """

    def __init__(self, scope, container, dtype):
        self._scope = scope
        self._container = container
        self.dtype = np.dtype(dtype)
        self.opset = container.target_opset
        self.elem_type = (
            onnx_proto.TensorProto.DOUBLE
            if self.dtype == np.float64
            else onnx_proto.TensorProto.FLOAT
        )

    def constant(self, value):
        """Add a constant of the graph's dtype; return its name.

        Parameters
        ----------
        value : float or array-like
            The value, cast to the graph's dtype.

        Returns
        -------
        name : str
        """
        value = np.asarray(value, dtype=self.dtype)
        name = self._scope.get_unique_variable_name("const")
        self._container.add_initializer(
            name, self.elem_type, list(value.shape), value.ravel().tolist()
        )
        return name

    def node(self, op_type, *inputs, output=None, **attributes):
        """Add a node of ONNX's main domain; return the name of its output.

        Parameters
        ----------
        op_type : str
            The ONNX operator: "Relu", "Mul", "Exp", ...
        *inputs : str
            The names of its inputs.
        output : str or None, default=None
            The name of its output; None names a new one.
        **attributes : dict
            Its attributes (``alpha=0.1``).

        Returns
        -------
        name : str
        """
        output = output or self._scope.get_unique_variable_name(op_type.lower())
        self._container.add_node(
            op_type, list(inputs), output,
            name=self._scope.get_unique_operator_name(op_type), **attributes,
        )  # fmt: skip
        return output

    @property
    def float32(self):
        """Whether the graph computes in float32.

        onnxruntime runs Elu, Selu, PRelu, Softplus, Erf and Gelu in float32
        only, and their parameters are float32 attributes: a float64 graph
        builds them from operators that run in float64.
        """
        return self.dtype == np.float32


# ----------------------------------------------------------------------
# The network


def _network(operator, graph):
    """The output layer's pre-activation, from the operator's input."""
    model = operator.raw_operator
    x = graph.node("Cast", operator.inputs[0].full_name, to=graph.elem_type)
    n_hidden = len(model.coefs_) - 1
    for k, (coef, intercept) in enumerate(zip(model.coefs_, model.intercepts_)):
        z = graph.node(
            "Add", graph.node("MatMul", x, graph.constant(coef)),
            graph.constant(intercept),
        )  # fmt: skip
        if k == n_hidden:
            return z
        x = convert_activation(
            model.activations_[k], graph, z, model.activation_params_[k]
        )


def _sigmoid_output(graph, z):
    """predict_proba's sigmoid, kept strictly inside (0, 1) as skact keeps it."""
    margin = np.finfo(graph.dtype).epsneg
    return graph.node(
        "Clip", sigmoid(graph, z), graph.constant(margin), graph.constant(1 - margin)
    )


def convert_classifier(scope, operator, container):
    """skl2onnx converter of `ScratchMLPClassifier`: labels, probabilities."""
    model = operator.raw_operator
    graph = OnnxGraph(scope, container, _dtype(operator))
    z = _network(operator, graph)
    y_type = model._label_binarizer.y_type_
    label, proba = (out.full_name for out in operator.outputs[:2])
    if model.out_activation_ == "softmax":
        p = graph.node("Softmax", z, axis=1)
    else:
        p = _sigmoid_output(graph, z)
    if y_type == "binary":
        p = graph.node("Concat", graph.node("Sub", graph.constant(1.0), p), p, axis=1)
    graph.node("Identity", p, output=proba)
    if y_type == "multilabel-indicator":
        above = graph.node("Greater", p, graph.constant(0.5))
        graph.node("Cast", above, output=label, to=onnx_proto.TensorProto.INT64)
        return
    # skl2onnx's option nocl: labels as class indices, the classes not stored.
    nocl = container.get_options(model, dict(nocl=False))["nocl"]
    elem_type, classes = _classes(
        np.arange(len(model.classes_)) if nocl else model.classes_
    )
    table = scope.get_unique_variable_name("classes")
    container.add_initializer(table, elem_type, [len(classes)], classes)
    index = graph.node("ArgMax", p, axis=1, keepdims=0)
    graph.node("Gather", table, index, output=label, axis=0)


def _classes(classes):
    """ONNX's element type for the labels, and the labels as it stores them."""
    if classes.dtype.kind in "OUS":
        return onnx_proto.TensorProto.STRING, [str(c).encode() for c in classes]
    return onnx_proto.TensorProto.INT64, [int(c) for c in classes]


def convert_regressor(scope, operator, container):
    """skl2onnx converter of `ScratchMLPRegressor`: the predictions."""
    model = operator.raw_operator
    graph = OnnxGraph(scope, container, _dtype(operator))
    z = _network(operator, graph)
    op_type = "Exp" if model.out_activation_ == "exp" else "Identity"
    graph.node(op_type, z, output=operator.outputs[0].full_name)


def _dtype(operator):
    """float64 for a double input, float32 otherwise."""
    proto = guess_proto_type(operator.inputs[0].type)
    return np.float64 if proto == onnx_proto.TensorProto.DOUBLE else np.float32


def _classifier_shapes(operator):
    """skl2onnx's shapes, with a label per column for multilabel targets."""
    calculate_linear_classifier_output_shapes(operator)
    model = operator.raw_operator
    if model._label_binarizer.y_type_ == "multilabel-indicator":
        n_rows = operator.inputs[0].get_first_dimension()
        operator.outputs[0].type.shape = [n_rows, len(model.classes_)]


# Each class under its own alias: skl2onnx looks converters up by exact type.
for _classifier in (ScratchMLPClassifier, MLPClassifier):
    update_registered_converter(
        _classifier,
        f"Skact{_classifier.__name__}",
        _classifier_shapes,
        convert_classifier,
        options={
            "zipmap": [True, False, "columns"],
            "nocl": [False, True],
            "output_class_labels": [False, True],
        },
    )  # fmt: skip
for _regressor in (ScratchMLPRegressor, MLPRegressor):
    update_registered_converter(
        _regressor,
        f"Skact{_regressor.__name__}",
        calculate_linear_regressor_output_shapes,
        convert_regressor,
    )
