"""When to compile: the execution tiers every transform shares, and the one cache of compiled functions.

A call runs in one of four tiers::

    numpy      small numpy inputs: the plan on numpy, TensorFlow is never touched
    eager      first calls of a shape: TensorFlow ops one by one (conv executor), no compile
    compiled   shapes that came back: one traced (and, on CPU, XLA-compiled) function
    graph      inside a caller's tf.function: traced inline, the caller decides

A shape is *hot* once it has been called ``promote_calls`` times and has spent
``promote_seconds`` in the eager tier; it is then compiled in a background
thread while later calls keep running eagerly, and served compiled once ready.
So no call waits for a compile it did not ask for (``compile="always"`` asks:
it compiles on the first call and waits). ``compile="never"`` stays eager.
The policy is process-wide (:func:`set_execution`, or :func:`execution` for a
block); ``compile=`` on a call overrides it for that call.

Compiled functions live in the bounded ``"compiled"`` cache
(:func:`filterbank.cache_info`), shared by the DWT, the SWT and every later
transform. No TensorFlow at import.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from filterbank.cache import named_cache
from filterbank.errors import InputError, check_option

__all__ = [
    "COMPILE_MODES",
    "Compile",
    "ExecutionOptions",
    "check_compile",
    "execution",
    "execution_options",
    "in_graph",
    "run",
    "set_execution",
    "wait_for_compiles",
]

Compile = Literal["auto", "always", "never"]

#: Values of the ``compile`` option.
COMPILE_MODES: tuple[str, ...] = ("auto", "always", "never")


@dataclass(frozen=True)
class ExecutionOptions:
    """The process-wide tiering policy.

    Attributes
    ----------
    compile : {"auto", "always", "never"}
        ``"auto"``: eager first, compiled when hot (in the background).
        ``"always"``: compile on the first call of a shape (and wait).
        ``"never"``: never compile (eager or numpy only).
    numpy_below : int
        numpy inputs with at most this many elements run on numpy
        (``executor="auto"`` and ``compile`` not ``"always"``); 0 turns the
        numpy tier off.
    promote_calls : int
        A shape is hot after this many calls ...
    promote_seconds : float
        ... that together spent at least this long in the eager tier.
    background : bool
        Compile hot shapes in a background thread (else in the call that
        makes them hot).
    """

    compile: Compile = "auto"
    numpy_below: int = 1 << 15
    promote_calls: int = 2
    promote_seconds: float = 0.05
    background: bool = True


_OPTIONS = ExecutionOptions()
_OPTIONS_LOCK = threading.Lock()


def execution_options() -> ExecutionOptions:
    """The current tiering policy.

    Examples
    --------
    >>> execution_options().compile
    'auto'
    """
    return _OPTIONS


def check_compile(value: Any) -> str:
    """Validate a ``compile`` argument (``None`` means the process-wide policy)."""
    if value is None:
        return _OPTIONS.compile
    return str(check_option("compile", value, COMPILE_MODES))


def set_execution(**changes: Any) -> ExecutionOptions:
    """Change the process-wide tiering policy; return the previous one.

    Parameters
    ----------
    **changes
        Fields of :class:`ExecutionOptions` (``compile``, ``numpy_below``,
        ``promote_calls``, ``promote_seconds``, ``background``).

    Examples
    --------
    >>> old = set_execution(compile="never")
    >>> execution_options().compile, old.compile
    ('never', 'auto')
    >>> _ = set_execution(**dataclasses.asdict(old))
    """
    global _OPTIONS
    fields = {f.name for f in dataclasses.fields(ExecutionOptions)}
    for name in changes:
        check_option("option", name, sorted(fields))
    if "compile" in changes:
        check_option("compile", changes["compile"], COMPILE_MODES)
    for name in ("numpy_below", "promote_calls"):
        v = changes.get(name, 0)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise InputError(f"{name} must be a non-negative integer; got {v!r}")
    v = changes.get("promote_seconds", 0.0)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0:
        raise InputError(f"promote_seconds must be a non-negative number; got {v!r}")
    with _OPTIONS_LOCK:
        old = _OPTIONS
        _OPTIONS = dataclasses.replace(old, **changes)
    return old


@contextlib.contextmanager
def execution(**changes: Any) -> Iterator[ExecutionOptions]:
    """A block with a changed tiering policy (process-wide while it runs).

    Examples
    --------
    >>> with execution(compile="always") as opts:
    ...     opts.compile
    'always'
    >>> execution_options().compile
    'auto'
    """
    old = set_execution(**changes)
    try:
        yield _OPTIONS
    finally:
        set_execution(**dataclasses.asdict(old))


def in_graph() -> bool:
    """Whether we are being traced inside a caller's ``tf.function`` (never before TensorFlow loads)."""
    if "tensorflow" not in sys.modules:
        return False
    from filterbank._tf import tf

    TF = tf()
    return not TF.executing_eagerly()


def functions_run_eagerly() -> bool:
    """``tf.config.run_functions_eagerly(True)`` is on: nothing is compiled."""
    from filterbank._tf import tf

    return bool(tf().config.functions_run_eagerly())


# --------------------------------------------------------------------------- compiled functions

#: One cache for the compiled functions of every transform; sizes are estimates
#: (TensorFlow does not report an executable's size): a fixed overhead per
#: function plus the constants embedded in it.
_COMPILED = named_cache("compiled", max_entries=64, max_bytes=1 << 30)
_HOT = named_cache("hotness", max_entries=8192, max_bytes=1 << 30)
_FUNCTION_BYTES = 8 << 20


class _Background:
    """At most one compile in flight, in a daemon thread joined at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.failed: set[Hashable] = set()

    def busy(self) -> bool:
        with self._lock:
            return self._thread is not None and self._thread.is_alive()

    def submit(self, key: Hashable, build: Callable[[], Any], nbytes: int) -> bool:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            self._thread = threading.Thread(
                target=self._work, args=(key, build, nbytes), name="filterbank-compile", daemon=True
            )
            self._thread.start()
            return True

    def _work(self, key: Hashable, build: Callable[[], Any], nbytes: int) -> None:
        try:
            _COMPILED.put(key, build(), nbytes)
        except Exception:  # noqa: BLE001 - a shape that cannot compile stays eager
            self.failed.add(key)

    def join(self, timeout: float | None = None) -> None:
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)


_BACKGROUND = _Background()
atexit.register(_BACKGROUND.join)  # never let the interpreter finalise under a running compile


def wait_for_compiles(timeout: float | None = None) -> None:
    """Block until the background compile in flight (if any) is done (for tests and benchmarks)."""
    _BACKGROUND.join(timeout)


def run(
    key: Hashable,
    eager: Callable[[], Any],
    build: Callable[[], Callable[..., Any]],
    call: Callable[[Callable[..., Any]], Any],
    compile: str,
    nbytes: int = 0,
) -> Any:
    """Run one call of the signature ``key`` in the right tier.

    Parameters
    ----------
    key : hashable
        Everything the compiled function depends on (plan, signature, executor).
    eager : callable
        Runs the call in the eager tier.
    build : callable
        Makes the compiled function (traced and warmed up, so it is ready).
    call : callable
        Runs the call with a compiled function.
    compile : {"auto", "always", "never"}
        The policy for this call.
    nbytes : int
        Constants the compiled function embeds (added to its size estimate).
    """
    if compile != "never":
        fn = _COMPILED.get(key)
        if fn is not None:
            return call(fn)
    size = _FUNCTION_BYTES + nbytes
    if compile == "always" and key not in _BACKGROUND.failed:
        fn = _COMPILED.put(key, build(), size)
        return call(fn)
    t0 = time.perf_counter()
    out = eager()
    if compile == "auto" and key not in _BACKGROUND.failed:
        _note(key, time.perf_counter() - t0, build, size)
    return out


def _note(key: Hashable, seconds: float, build: Callable[[], Any], size: int) -> None:
    state = _HOT.get_or_create(key, lambda: [0, 0.0], 64)
    state[0] += 1
    state[1] += seconds
    opts = _OPTIONS
    if state[0] < opts.promote_calls or state[1] < opts.promote_seconds:
        return
    if opts.background:
        if _BACKGROUND.submit(key, build, size):
            _HOT.discard(key)
        return
    _HOT.discard(key)
    try:
        _COMPILED.put(key, build(), size)
    except Exception:  # noqa: BLE001 - a shape that cannot compile stays eager
        _BACKGROUND.failed.add(key)
