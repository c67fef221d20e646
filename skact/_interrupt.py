"""Ctrl-C during training: held until the end of the epoch, so the model stays whole.

Python turns SIGINT (Ctrl-C, a notebook's stop button) into a KeyboardInterrupt
wherever the main thread happens to be: in the middle of an optimizer's update,
say. :class:`DeferredInterrupt` holds the signal instead, and training asks it
after each epoch whether to stop: the model it returns is that of its completed
epochs. A second Ctrl-C is not held: it raises KeyboardInterrupt at once.

Two Ctrl-C that arrive while the main thread is inside one long call into C
(a large matrix product of an L-BFGS evaluation, say) reach the Python handler
as one call: CPython only records that SIGINT came. Its C handler, though,
writes one byte per delivery to the wakeup file descriptor
(:func:`signal.set_wakeup_fd`), so the deliveries are counted from a socket
pair set as that descriptor while training runs.
"""

import atexit
import os
import signal
import socket
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
        self._count = 0  # SIGINTs delivered since the context was entered
        self._wakeup = None  # (reader, writer) of the pair counting them, or None
        self._previous_fd = -1

    def __enter__(self):
        self.requested = False
        self._count = 0
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if callable(previous):
                self._previous = previous
                self._start_counting()
                signal.signal(signal.SIGINT, self._hold)
        return self

    def __exit__(self, *exc_info):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
        self._stop_counting()
        return False

    def _hold(self, signum, frame):
        # One call may stand for several deliveries (see the module's notes);
        # without the socket pair, each call counts one.
        self._count += max(1, self._drain())
        if self._count > 1:
            raise KeyboardInterrupt
        self.requested = True
        print(
            "Interrupted: training stops at the end of this epoch; "
            "interrupt again to abandon it.",
            file=sys.stderr,
            flush=True,
        )

    def _start_counting(self):
        """Set this process's socket pair as the wakeup descriptor, if it can be."""
        try:
            pair = _socket_pair()
            self._previous_fd = signal.set_wakeup_fd(
                pair[1].fileno(), warn_on_full_buffer=False
            )
        except (OSError, ValueError):
            return
        self._wakeup = pair

    def _stop_counting(self):
        """Put the previous wakeup descriptor back, and hand it what came."""
        if self._wakeup is None:
            return
        signal.set_wakeup_fd(self._previous_fd)
        self._drain()
        self._wakeup = None

    def _drain(self):
        """Read the bytes the C handler wrote; answer how many were SIGINTs.

        Every byte read is written on to the previous wakeup descriptor (an
        asyncio event loop's, say), which would have received it; not when it
        is this pair's own (a fit inside a fit): that would count them twice.
        """
        if self._wakeup is None:
            return 0
        reader, writer = self._wakeup
        data = b""
        while True:
            try:
                chunk = reader.recv(4096)
            except OSError:  # empty (BlockingIOError), or closed by someone
                break
            if not chunk:
                break
            data += chunk
        if data and self._previous_fd not in (-1, writer.fileno()):
            try:
                os.write(self._previous_fd, data)
            except OSError:
                pass  # full, closed, or a socket os.write cannot reach
        return data.count(signal.SIGINT)


_PAIR = None
"""``(pid, reader, writer)``: the process's socket pair that counts SIGINTs."""


def _socket_pair():
    """This process's non-blocking socket pair, made on first use.

    One per process, kept open: making one per fit would cost a short
    ``partial_fit`` more than the rest of this module. A forked child makes
    its own, so that its deliveries never mix with its parent's.
    """
    global _PAIR
    if _PAIR is None or _PAIR[0] != os.getpid():
        _close_pair()  # a parent's, inherited: its copies stay open there
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        _PAIR = (os.getpid(), reader, writer)
    return _PAIR[1:]


@atexit.register
def _close_pair():
    """Close the pair (left open at exit, it is a ResourceWarning)."""
    global _PAIR
    if _PAIR is not None:
        for end in _PAIR[1:]:
            end.close()
        _PAIR = None
