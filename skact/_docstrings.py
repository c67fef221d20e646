"""The estimators' shared documentation, substituted into their docstrings.

Both estimators take the same parameters and set the same fitted attributes:
their docstrings are templates with ``{name}`` placeholders that
`Substitution` fills from here. The activation and initialisation names
come from their registries, so the documentation lists exactly what is accepted.
"""

import textwrap

from ._init import WEIGHT_INITS
from ._progress import HISTORY
from .activations import ACTIVATIONS


class Substitution:
    """Decorator that fills ``{name}`` placeholders of a docstring.

    Only the given names are replaced, so the rest of the docstring needs no
    escaped braces. Each given name must occur: a misspelt placeholder is an
    error at import rather than a hole in the documentation.

    Parameters
    ----------
    **blocks : str
        The text of each placeholder.
    """

    def __init__(self, **blocks):
        self.blocks = blocks

    def __call__(self, obj):
        """Fill the placeholders of ``obj``'s docstring.

        Parameters
        ----------
        obj : class or function
            The documented object.

        Returns
        -------
        obj : class or function
            The same object, its ``__doc__`` filled.
        """
        if obj.__doc__ is not None:  # python -OO strips docstrings
            obj.__doc__ = substitute(obj.__doc__, **self.blocks)
        return obj


def substitute(template, **blocks):
    """``template`` with each ``{name}`` replaced by ``blocks[name]``.

    Parameters
    ----------
    template : str
        Text with placeholders.
    **blocks : str
        The text of each placeholder.

    Returns
    -------
    text : str
    """
    for name, text in blocks.items():
        placeholder = "{" + name + "}"
        if placeholder not in template:
            raise ValueError(f"No {placeholder} to substitute in {template[:60]!r}")
        template = template.replace(placeholder, text)
    return template


def _activation_doc():
    """The ``activation`` parameter, listing the registry's names."""
    by_class = {}
    for name, cls in ACTIVATIONS.items():
        by_class.setdefault(cls, []).append(f'"{name}"')
    names = ", ".join(" or ".join(aliases) for aliases in by_class.values())
    description = (
        "Activation of the hidden layers: a name of "
        f"`skact.activations.ACTIVATIONS` ({names}), an "
        "`~skact.activations.Activation` instance such as "
        "``LeakyReLU(negative_slope=0.1)`` (whose parameters are tunable as "
        "``activation__negative_slope``), or a list or tuple with one of those "
        "per hidden layer."
    )
    indent = " " * 8
    return 'activation : str, Activation or list of them, default="relu"\n' + (
        textwrap.fill(description, 79, initial_indent=indent, subsequent_indent=indent)
    )


def _history_doc():
    """The ``history_`` attribute, listing the entries of its layout."""

    def listed(entries):
        return [f'"{entry.key}" ({entry.doc})' for entry in entries]

    always = listed(e for e in HISTORY if not e.validation)
    validation = listed(e for e in HISTORY if e.validation)
    description = (
        "One entry per epoch (per iteration for lbfgs): "
        + ", ".join(always)
        + ", and with ``early_stopping=True`` "
        + " and ".join(validation)
        + ". `skact.history_table` gives it as a table, one column per layer "
        "for the per-layer entries."
    )
    indent = " " * 8
    return "history_ : dict of list\n" + textwrap.fill(
        description, 79, initial_indent=indent, subsequent_indent=indent,
        break_on_hyphens=False,
    )  # fmt: skip


_PARAMETERS = """
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element is the number of neurons in the ith hidden layer.

    {activation}

    solver : {"lbfgs", "sgd", "adam"}, default="adam"
        The solver for weight optimization: L-BFGS-B from SciPy, stochastic
        gradient descent, or Adam.

    alpha : float, default=0.0001
        Strength of the L2 penalty ``0.5 * alpha * ||W||^2 / n_samples`` on the
        weights (not on the intercepts).

    batch_size : int or "auto", default="auto"
        Size of minibatches for the stochastic solvers; "auto" is
        ``min(200, n_samples)``.

    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning rate schedule for ``solver="sgd"``: constant, divided by
        ``(t + 1) ** power_t`` after each epoch (t the number of samples seen),
        or divided by 5 each time ``n_iter_no_change`` epochs bring no
        improvement of ``tol``.

    learning_rate_init : float, default=0.001
        The initial learning rate of the stochastic solvers.

    power_t : float, default=0.5
        Exponent of the "invscaling" schedule.

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations (lbfgs).

    shuffle : bool, default=True
        Shuffle the samples in each epoch (stochastic solvers).

    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the shuffling and the early-stopping
        split. Pass an int for reproducible results.

    tol : float, default=1e-4
        Tolerance: training stops when the loss or validation score does not
        improve by at least ``tol`` for ``n_iter_no_change`` epochs; for lbfgs,
        the gradient tolerance.

    verbose : bool, default=False
        Print the loss at each iteration.

    warm_start : bool, default=False
        Start from the previous solution when fit is called again.

    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, in [0, 1].

    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver="sgd"`` and ``momentum > 0``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data and stop when the
        validation score stops improving; the best weights are kept. The
        validation rows are chosen from each row's content (hashed with a key
        drawn from ``random_state``), stratified by class for single-label
        classification, so that identical rows always fall on the same side
        and a sample weight of k acts exactly as k copies of a row. Applies to
        ``fit`` only; ``partial_fit`` learns from all the data it is given.

    validation_fraction : float, default=0.1
        Share of the training data (by sample weight) set aside for early
        stopping, in [0, 1).

    beta_1 : float, default=0.9
        Decay rate of Adam's first moment estimate, in [0, 1).

    beta_2 : float, default=0.999
        Decay rate of Adam's second moment estimate, in [0, 1).

    epsilon : float, default=1e-8
        Adam's numerical-stability constant.

    n_iter_no_change : int, default=10
        Number of epochs without an improvement of ``tol`` before stopping.

    max_fun : int, default=15000
        Maximum number of loss evaluations of ``solver="lbfgs"``.

    weight_init : {weight_init_names}, default="auto"
        How the weights start. ``"auto"``: a start fitted to (up to 500
        distinct rows of) the training data. Glorot uniform weights (LeCun
        normal for SELU), each hidden layer's scaled so that its
        pre-activations spread about 1 over the rows, whatever the inputs'
        scale; intercepts that put each unit's boundary through a random
        quantile of the rows (ReLU-family units start active on 25% to 90% of
        them, so none starts dead; tanh and logistic units cross the data
        between its 25% and 75% quantiles); and an output that starts near the
        targets' prior (mean, log mean, log-odds or log class priors). A row
        of weight k counts as k copies of it.
        ``"sklearn"``: scikit-learn's own scheme, drawing the same numbers as
        its MLP. The others name their scheme, with zero intercepts (He's gain
        includes a leaky slope).

    dropout : float, default=0.0
        Rate of inverted dropout on the hidden units during training with
        ``solver="sgd"`` or ``"adam"``, in [0, 1); prediction never drops.

    l1_ratio : float, default=0.0
        Elastic-net mixing of the ``alpha`` penalty, in [0, 1]: the penalty
        is ``alpha * ((1 - l1_ratio) * 0.5 * ||W||^2 + l1_ratio * |W|_1) /
        n_samples``; 0 is scikit-learn's L2 penalty, 1 makes weights exactly
        zero (a proximal step for sgd and adam, bounds for lbfgs)."""

_ATTRIBUTES = """
    loss_ : float
        The loss at the end of training, scaled as scikit-learn scales it.

    best_loss_ : float or None
        The smallest training loss reached; None with ``early_stopping=True``.

    loss_curve_ : list of float
        The loss after each epoch (each iteration for lbfgs).

    validation_scores_ : list of float or None
        The validation score after each epoch with ``early_stopping=True``,
        else None.

    best_validation_score_ : float or None
        The best validation score with ``early_stopping=True``, else None.

    t_ : int
        Number of training samples seen by the stochastic solver.

    coefs_ : list of ndarray of shape (n_in, n_out)
        The weight matrix of each layer. ``predict`` reads it as it is, so
        edits are honoured.

    intercepts_ : list of ndarray of shape (n_out,)
        The intercepts of each layer.

    activation_params_ : list of ndarray or None
        For each hidden layer, the learned parameters of its activation (the
        per-unit slopes of PReLU), or None for an activation without any.

    activations_ : list of Activation
        The activation of each hidden layer, as used in the fit.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of features seen during fit, when X has string column names.

    n_iter_ : int
        Number of epochs (iterations for lbfgs) run by the last fit.

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of outputs.

    {history}"""

PARAMETERS = substitute(
    _PARAMETERS.strip(),
    activation=_activation_doc(),
    weight_init_names="{" + ", ".join(f'"{name}"' for name in WEIGHT_INITS) + "}",
)
"""The parameters that both estimators share, in their signatures' order; the
first line is meant to follow an indentation in the template."""

ATTRIBUTES = substitute(_ATTRIBUTES.strip(), history=_history_doc())
"""The fitted attributes that both estimators share (as `PARAMETERS`)."""
