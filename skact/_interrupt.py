"""Ctrl-C during training: held until the end of the epoch, so the model stays whole.

Python turns SIGINT (Ctrl-C, a notebook's stop button) into a KeyboardInterrupt
wherever the main thread happens to be: in the middle of an optimizer's update,
say. :class:`DeferredInterrupt` holds the signal instead, and training asks it
after each epoch whether to stop: the model it returns is that of its completed
epochs. A second Ctrl-C is not held: it raises KeyboardInterrupt at once.
"""

import signal
import sys
import threading


class DeferredInterrupt:
    """Context in which a first SIGINT is held for the caller to act on.

    Python delivers signals to the main thread only, and only a handler set
    from Python can be put back afterwards; elsewhere, or when SIGINT is
    ignored or handled outside Python, this does nothing (and ``requested``
    stays False).

    Attributes
    ----------
    requested : bool
        Whether a SIGINT came since the context was entered.
    """

    def __init__(self):
        self.requested = False
        self._previous = None

    def __enter__(self):
        self.requested = False
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if callable(previous):
                self._previous = previous
                signal.signal(signal.SIGINT, self._hold)
        return self

    def __exit__(self, *exc_info):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
        return False

    def _hold(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print(
            "Interrupted: training stops at the end of this epoch; "
            "interrupt again to abandon it.",
            file=sys.stderr,
            flush=True,
        )
