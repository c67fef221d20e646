"""scikit-learn's callback API (``sklearn.callback``, experimental), in one place.

scikit-learn 1.9 lets callbacks (``ProgressBar``, ``ScoringMonitor``, one's
own) watch a fit: the estimator opens a root task per ``fit`` or
``partial_fit`` call and a subtask per epoch (per L-BFGS iteration), and hands
each callback, lazily, the attributes that make the model of that moment
(``coefs_``, ``intercepts_``, ...). A callback can ask training to stop.

The API is experimental: everything skact knows of it is here, so that a
change in scikit-learn touches this module only. :class:`FitTask` is what the
training loops of :mod:`skact._mlp` talk to.
"""

from sklearn.callback import CallbackSupportMixin, with_callbacks

__all__ = ["CallbackSupportMixin", "FitTask", "with_callbacks"]


class FitTask:
    """The callbacks' view of one ``fit`` or ``partial_fit`` call.

    Created inside ``with_callbacks`` (which calls the callbacks' teardown
    when the call ends), itself inside the estimator's all-or-nothing block:
    a failed call is undone after the teardown, a teardown that raises undoes
    the call, and the context the teardown needs is there until it has run.
    It opens the root task; :meth:`step_begins` and :meth:`step_ends` frame
    each epoch (L-BFGS iteration); :meth:`ends` closes the root with the
    final model.

    Parameters
    ----------
    estimator : ScratchMLPClassifier or ScratchMLPRegressor
        The estimator being fitted (its ``fit`` or ``partial_fit`` wrapped by
        ``with_callbacks``).
    task_name : {"fit", "partial_fit"}
        The name of the root task.
    max_steps : int or None
        The most epochs (iterations) the call may train; None if unknown.
    X, y : array-like
        The data as the user gave it: a callback may score the model on it.
    sample_weight : array-like or None
        The user's sample weights, handed to scorers.
    """

    def __init__(self, estimator, task_name, max_steps, X, y, sample_weight):
        # Without callbacks of its own or a meta-estimator's, nothing listens:
        # no context, and every hook below returns at once: a context and a
        # subtask per epoch would slow a tiny network's epochs for no one.
        self.context = None
        if hasattr(estimator, "_skl_callbacks") or hasattr(
            estimator, "_parent_callback_ctx"
        ):
            self.context = estimator._init_callback_context(
                task_name=task_name, max_subtasks=max_steps
            )
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        self._hook_arguments = dict(estimator=estimator, X=X, y=y, metadata=metadata)
        self._step = None
        self._net = None

    def begins(self, net):
        """Open the root task, once the network to train exists.

        Parameters
        ----------
        net : Network
            The network whose parameters the fit trains.
        """
        self._net = net
        if self.context is not None:
            self.context.call_on_fit_task_begin(**self._hook_arguments)

    def step_begins(self):
        """Open the subtask of the next epoch (L-BFGS iteration)."""
        if self.context is None:
            return
        self._step = self.context.subcontext(task_name="epoch")
        self._step.call_on_fit_task_begin(
            **self._hook_arguments, reconstruction_attributes=self._model
        )

    def step_ends(self):
        """Close the current step; answer whether a callback asks to stop.

        Returns
        -------
        stop : bool
            True when a callback asked training to stop here.
        """
        step, self._step = self._step, None
        if step is None:
            return False
        return bool(
            step.call_on_fit_task_end(
                **self._hook_arguments, reconstruction_attributes=self._model
            )
        )

    def ends(self):
        """Close a step left open (L-BFGS's last), then the root task."""
        if self.context is None:
            return
        self._close_step()
        # Empty reconstruction attributes: the estimator itself is the model.
        self.context.call_on_fit_task_end(
            **self._hook_arguments, reconstruction_attributes={}
        )

    def fails(self):
        """Close what is open, without a model: the fit diverged.

        Callbacks then see every task end (a progress bar completes) and are
        shown no model whose weights are not finite.
        """
        if self.context is None:
            return
        self._close_step()
        self.context.call_on_fit_task_end(**self._hook_arguments)

    def _close_step(self):
        """End the open step, if any, without a model."""
        if self._step is not None:
            self._step.call_on_fit_task_end(**self._hook_arguments)
            self._step = None

    def _model(self):
        """The attributes of the model of this moment, copied.

        Called only if a callback wants the model: copies, because the
        network's weights are views that training goes on changing.
        """
        estimator, net = self._hook_arguments["estimator"], self._net
        return {
            "coefs_": [c.copy() for c in net.coefs],
            "intercepts_": [b.copy() for b in net.intercepts],
            "activation_params_": [
                None if p is None else p.copy() for p in net.act_params
            ],
            "n_iter_": estimator.n_iter_,
            "t_": estimator.t_,
            "loss_": getattr(estimator, "loss_", None),
        }
