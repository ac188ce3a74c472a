"""Template matching: zero-mean normalised cross-correlation, and the best matches in a score map.

`match_template` scores every placement of a template in an image by the
correlation coefficient of the template and the image window under it (what
``skimage.feature.match_template``, OpenCV's ``TM_CCOEFF_NORMED`` and MATLAB's
``normxcorr2`` compute). The template is correlated as it is, never flipped::

               sum_j (x[p + j] - mean_p x) (t[j] - mean t)
    score[p] = -------------------------------------------      in [-1, 1]
                 sqrt(sum_j (x[p + j] - mean_p x)**2) ||t - mean t||

    mean_p x: the mean of the image window that starts at p (one window per score)

Where the score sits (``m`` template samples, ``n`` image samples on an axis)::

    pad_input=False   n - m + 1 scores; score[p] has the template's first sample on x[p]
                      (the top-left corner in 2-D)
    pad_input=True    n scores; score[q] has the template's sample m // 2 on x[q]
                      (its centre); the image is extended by `mode` where the template
                      hangs over its edges

Every window's mean and variance come from box sums computed once for the
whole image (sums of 1, 2, 4, ... samples, doubled and combined, so a
window's sums add only its own samples), and the correlation with the template from FFTs or TensorFlow's
direct correlation, whichever is cheaper for the sizes (`choose_method`).
`best_matches` takes the ``k`` best scores of a map, at least
``min_distance`` apart.

The computation lives in `filterbank.backend.match_numpy` (numpy in, small or large)
and `filterbank.backend.match_tf` (tensors, inside ``tf.function`` too, with
gradients); arguments are checked here, before TensorFlow is imported.
"""

from __future__ import annotations

import math
from typing import Any, Literal, NamedTuple

import numpy as np

from filterbank.backend.convert import is_tensor
from filterbank.backend.match_numpy import check_finite
from filterbank.backend.tiers import execution_options, in_graph
from filterbank.errors import FilterBankTypeError, InputError, check_option, normalize_axes

__all__ = [
    "FFT_CROSSOVER",
    "MATCH_METHODS",
    "PAD_MODES",
    "Matches",
    "MatchPlan",
    "best_matches",
    "choose_method",
    "match_template",
]

PadMode = Literal["constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect", "symmetric", "wrap"]
MatchMethod = Literal["auto", "direct", "fft"]

#: ``numpy.pad`` modes accepted by `match_template` (all of numpy's but ``'empty'``, whose values are undefined).
PAD_MODES: tuple[str, ...] = (
    "constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect", "symmetric", "wrap",
)
#: Values of ``method``: ``'auto'`` chooses by `choose_method`.
MATCH_METHODS: tuple[str, ...] = ("auto", "direct", "fft")
#: Direct correlation is chosen while ``template samples <= FFT_CROSSOVER * log2(FFT size per image)``
#: (measured on a 2-core AMD EPYC, TensorFlow 2.21 and scipy 1.16: see docs/concepts.md).
FFT_CROSSOVER = 0.75


class MatchPlan(NamedTuple):
    """Everything static about one `match_template` call, decided before any computation."""

    axes: tuple[int, ...]  # matched axes of the image, in template order
    template_shape: tuple[int, ...]
    image_sizes: tuple[int, ...]  # image sizes on the matched axes
    extended: tuple[int, ...]  # sizes of the (padded) image the valid correlation runs over
    out: tuple[int, ...]  # score sizes on the matched axes
    pad_input: bool
    mode: str
    constant_values: np.ndarray  # (d, 2) before/after values for mode='constant'
    method: str  # 'direct' or 'fft'
    fft_shape: tuple[int, ...]
    dtype: str  # computed in: 'float32' or 'float64'

    @property
    def flat_tolerance(self) -> float:
        """Windows whose sum of squared deviations is at most this fraction of their sum of squares score 0.

        ``(3 D + 8) eps`` with ``D = sum(floor(log2 m) + popcount(m))`` over
        the template axes bounds the rounding of ``V`` computed from the box
        sums (trees of depth ``D`` over the window's own samples), so a window
        of equal values is always found flat.
        """
        depth = sum(m.bit_length() - 1 + bin(m).count("1") for m in self.template_shape)
        return (3 * depth + 8) * float(np.finfo(self.dtype).eps)


class Matches(NamedTuple):
    """The best matches of one score map, best first."""

    positions: np.ndarray  # (n, d) int64 indices into the score map (the input's frame: see match_template)
    scores: np.ndarray  # (n,) the scores there


def choose_method(out: tuple[int, ...], template_shape: tuple[int, ...], fft_shape: tuple[int, ...]) -> str:
    """``'direct'`` or ``'fft'``: the cheaper correlation for these sizes.

    A direct correlation costs one multiply-add per template sample and
    score; an FFT correlation costs about ``log2(F)`` operations per sample of
    the FFT size ``F`` (one forward and one inverse real FFT per image). The
    constant `FFT_CROSSOVER` was measured on this project's benchmark machine.

    Examples
    --------
    >>> choose_method((1018, 1018), (7, 7), (1024, 1024))
    'fft'
    >>> choose_method((1022, 1022), (3, 3), (1024, 1024))
    'direct'
    """
    k = math.prod(template_shape)
    direct = math.prod(out) * k
    fsize = math.prod(fft_shape)
    fft = FFT_CROSSOVER * fsize * math.log2(max(fsize, 2))
    return "direct" if direct <= fft else "fft"


def _fft_size(n: int) -> int:
    import scipy.fft

    return int(scipy.fft.next_fast_len(n, real=True))


# --------------------------------------------------------------------------- checks


def _is_tensor(value: Any) -> bool:
    return is_tensor(value)


def _as_array(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise FilterBankTypeError(f"{name} must be a real numeric array; got {type(value).__name__} ({exc})") from None
    if arr.dtype.kind not in "biuf":
        raise FilterBankTypeError(f"{name} must hold real numbers (bool, int or float); got dtype {arr.dtype}")
    return arr


def _dtype_name(value: Any) -> str:
    return value.dtype.name if _is_tensor(value) else np.dtype(value.dtype).name


def _compute_dtype(image_dtype: str, name: str = "image") -> str:
    """skimage's rule: float16 and float32 computed in float32, everything else in float64."""
    if image_dtype in ("float16", "bfloat16", "float32"):
        return "float32"
    if image_dtype == "bool" or image_dtype.startswith(("int", "uint", "float")):
        return "float64"
    raise FilterBankTypeError(f"{name} must hold real numbers (bool, int or float); got dtype {image_dtype}")


def _check_template_values(t: np.ndarray) -> None:
    if not np.all(np.isfinite(t)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(t))[0])
        raise InputError(f"template must be finite; got {float(t[bad])!r} at index {bad}")
    if t.max() == t.min():
        raise InputError(
            "template must not be constant (a flat template has no correlation coefficient: "
            f"its values must vary); got every sample equal to {t.flat[0].item()!r}, shape {t.shape}"
        )


def _constant_values(value: Any, d: int) -> np.ndarray:
    try:
        cv = np.asarray(value, dtype=np.float64)
        cv = np.broadcast_to(cv, (d, 2)).copy()
    except (TypeError, ValueError):
        raise InputError(
            "constant_values must be a number or broadcast to (template axes, 2) before/after pairs "
            f"as in numpy.pad; got {value!r}"
        ) from None
    if not np.all(np.isfinite(cv)):
        raise InputError(f"constant_values must be finite; got {value!r}")
    return cv


def make_plan(
    image_shape: tuple[Any, ...],
    template_shape: tuple[int, ...],
    *,
    dtype: str,
    pad_input: Any = False,
    mode: Any = "constant",
    constant_values: Any = 0,
    axes: Any = None,
    method: Any = "auto",
) -> MatchPlan:
    """Check every argument of `match_template` (no TensorFlow) and return the plan.

    Raises
    ------
    InputError
        Naming the parameter, the rule and the value received.

    Examples
    --------
    >>> p = make_plan((4, 100, 80), (9, 7), dtype="float64")
    >>> p.axes, p.out, p.method
    ((1, 2), (92, 74), 'fft')
    >>> make_plan((100, 80), (9, 7), dtype="float64", mode="refelct")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: mode must be one of 'constant', 'edge', 'linear_ramp', 'maximum', 'mean', 'median', 'minimum', 'reflect', 'symmetric', 'wrap'; got 'refelct' (did you mean 'reflect'?)
    """
    if not isinstance(pad_input, (bool, np.bool_)):
        raise InputError(f"pad_input must be True or False; got {pad_input!r}")
    if mode == "empty":
        raise InputError("mode='empty' leaves the padding undefined, so scores near the edges would be too; "
                         f"choose one of {', '.join(repr(m) for m in PAD_MODES)}")
    check_option("mode", mode, PAD_MODES)
    check_option("method", method, MATCH_METHODS)
    d = len(template_shape)
    if not 1 <= d <= 3:
        raise InputError(f"template must have 1, 2 or 3 axes; got template shape {tuple(template_shape)}")
    ndim = len(image_shape)
    if axes is None:
        if ndim < d:
            raise InputError(
                f"image must have at least as many axes as template; got image shape {tuple(image_shape)}, "
                f"template shape {tuple(template_shape)}"
            )
        axes_t = tuple(range(ndim - d, ndim))
    else:
        axes_t = normalize_axes(axes, ndim)
        if len(axes_t) != d:
            raise InputError(f"axes must name one image axis per template axis ({d}); got axes={axes!r}")
    sizes = tuple(image_shape[a] for a in axes_t)
    if any(s is None for s in sizes):
        raise InputError(f"the matched axes of image must have a static size; got image shape {tuple(image_shape)}")
    if any(s == 0 for s in image_shape if s is not None) or any(s == 0 for s in template_shape):
        raise InputError(f"image and template must not be empty; got image shape {tuple(image_shape)}, "
                         f"template shape {tuple(template_shape)}")
    if any(m > n for m, n in zip(template_shape, sizes)):
        raise InputError(
            "template must fit in the image on every matched axis (template size <= image size); "
            f"got template shape {tuple(template_shape)}, image sizes {sizes} on axes {axes_t}"
        )
    cv = _constant_values(constant_values, d)
    if pad_input:
        extended = tuple(n + m - 1 for n, m in zip(sizes, template_shape))
        out = sizes
    else:
        extended = sizes
        out = tuple(n - m + 1 for n, m in zip(sizes, template_shape))
    fft_shape = tuple(_fft_size(e) for e in extended)  # circular wrap-around never reaches a valid score
    if method == "auto":
        method = choose_method(out, tuple(template_shape), fft_shape)
    return MatchPlan(axes_t, tuple(int(m) for m in template_shape), sizes, extended, out, bool(pad_input),
                     mode, cv, method, fft_shape, dtype)


# --------------------------------------------------------------------------- public


def match_template(
    image: Any,
    template: Any,
    *,
    pad_input: bool = False,
    mode: PadMode = "constant",
    constant_values: Any = 0,
    axes: int | tuple[int, ...] | None = None,
    method: MatchMethod = "auto",
) -> Any:
    """Zero-mean normalised cross-correlation of a template with every window of an image.

    Equal to ``skimage.feature.match_template`` (``1e-10`` in float64), for
    1-D, 2-D and 3-D templates, over any number of leading batch axes.

    Parameters
    ----------
    image : array_like or tf.Tensor
        Real data, ``(batch..., *spatial)``: the last ``template.ndim`` axes
        are searched unless ``axes`` says otherwise; every other axis is an
        independent batch axis.
    template : array_like or tf.Tensor
        What to look for, as it appears in the image (it is *not* flipped):
        1, 2 or 3 axes, no larger than the image on any searched axis, finite,
        and not constant.
    pad_input : bool, default False
        False: one score per placement fully inside the image (``n - m + 1``
        per axis), indexed by the template's first sample. True: one score per
        image sample (``n``), indexed by the template's sample ``m // 2``, the
        image extended by ``mode`` where the template hangs over its edges.
    mode : str, default 'constant'
        How the image is extended when ``pad_input`` is True (``numpy.pad``'s
        modes, with its defaults, applied as skimage does: ``m`` samples on
        each side of each searched axis, axis by axis):
        'constant', 'edge', 'linear_ramp', 'maximum', 'mean', 'median',
        'minimum', 'reflect', 'symmetric', 'wrap'. Ignored otherwise.
    constant_values : scalar or array_like, default 0
        The value for ``mode='constant'``: a number, or before/after values
        per searched axis as ``numpy.pad`` takes them (broadcast to ``(d, 2)``).
    axes : int or tuple of int, optional
        The image axes searched, one per template axis (default: the last ones).
    method : {'auto', 'direct', 'fft'}, default 'auto'
        How the correlation with the template is computed: direct (TensorFlow's
        correlation; on numpy one multiply-add per template sample) or real FFTs. 'auto'
        takes the cheaper for the sizes (`choose_method`); both give the same
        scores to rounding.

    Returns
    -------
    numpy.ndarray or tf.Tensor
        Scores in ``[-1, 1]``, shape ``(batch..., *out)`` with the searched
        axes where they were. float32 for float16 / float32 images, float64
        otherwise (skimage's rule); a tensor (on the image's device) when
        ``image`` or ``template`` is one. A window whose samples are all equal
        (to the precision of the box sums: `MatchPlan.flat_tolerance`) has no
        correlation coefficient and scores 0, never NaN or inf.

    Raises
    ------
    InputError
        For a template with other than 1-3 axes, larger than the image, empty,
        non-finite or constant; an unknown ``mode`` or ``method``; bad
        ``axes`` or ``constant_values``; a numpy image with NaN or inf. Inside
        a ``tf.function`` a constant template tensor fails when the graph
        runs (``tf.errors.InvalidArgumentError``, same message).
    FilterBankTypeError
        For complex or non-numeric data.

    Notes
    -----
    With ``d`` the image window under the template and ``t0 = t - mean(t)``::

        score = sum(d * t0) / sqrt(V * sum(t0**2)),   V = sum(d**2) - sum(d)**2 / m

    The image is first shifted by its mean (per batch item; scores do not
    change), so the box sums hold small numbers. ``V`` is computed from box sums
    of the window only; when ``V <= flat_tolerance * sum(d**2)`` the window is
    flat and scores 0, as skimage scores windows whose variance vanishes.
    skimage's own rounding leaves noise (up to about ``1e-7`` for an image flat
    at 0.1) in such windows, where this function gives exactly 0; and skimage
    zeroes windows whose ``sqrt(V * sum(t0**2))`` is below ``eps`` even when
    they are not flat (tiny images), where this function scores them.

    Rounding: scores are within ``eps * (D q**2 + 4 rho + 4)`` of the exact
    ones, with ``eps`` of the computing dtype, ``D = sum(floor(log2 m) +
    popcount(m))`` over the template axes, ``q**2`` the window's mean square
    about the image mean over its variance and ``rho`` the image's standard
    deviation over the window's (``tests/test_match.py`` holds float32 to it).
    For a 64x64 template on a noise image that is about ``1e-6`` in float32;
    it grows where a window is nearly flat next to much brighter parts.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.zeros((6, 6)); image[1, 1] = 1.0; image[4, 4] = -1.0
    >>> template = np.zeros((3, 3)); template[1, 1] = 1.0
    >>> np.round(match_template(image, template), 3)
    array([[ 1.   , -0.125,  0.   ,  0.   ],
           [-0.125, -0.125,  0.   ,  0.   ],
           [ 0.   ,  0.   ,  0.125,  0.125],
           [ 0.   ,  0.   ,  0.125, -1.   ]])
    >>> np.round(match_template(image, template, pad_input=True)[:3, :3], 3)
    array([[-0.125, -0.125, -0.125],
           [-0.125,  1.   , -0.125],
           [-0.125, -0.125, -0.125]])
    >>> signals = np.array([[0.0, 1, 3, 1, 0, 0], [3, 1, 0, 0, 1, 3]])
    >>> np.round(match_template(signals, [1.0, 3.0, 1.0]), 3)  # a batch of two 1-D signals
    array([[-0.189,  1.   , -0.189, -0.5  ],
           [-0.189, -0.5  , -0.5  , -0.189]])
    """
    tensors = _is_tensor(image) or _is_tensor(template)
    img: Any = image if _is_tensor(image) else _as_array(image, "image")
    tpl: Any = template if _is_tensor(template) else _as_array(template, "template")
    comp = _compute_dtype(_dtype_name(img), "image")
    _compute_dtype(_dtype_name(tpl), "template")
    tshape = tuple(int(s) for s in tpl.shape)
    ishape = tuple(img.shape) if not _is_tensor(img) else tuple(img.shape.as_list() if img.shape.rank is not None else ())
    if _is_tensor(img) and img.shape.rank is None:
        raise InputError("image must have a known rank; got a tensor of unknown rank")
    plan = make_plan(ishape, tshape, dtype=comp, pad_input=pad_input, mode=mode,
                     constant_values=constant_values, axes=axes, method=method)
    if not _is_tensor(tpl):
        _check_template_values(tpl)
    elif not in_graph():
        _check_template_values(tpl.numpy())
    if not tensors and img.size <= execution_options().numpy_below:
        from filterbank.backend.match_numpy import match as match_numpy

        return match_numpy(img, tpl, plan)  # checks that the image is finite as it goes
    from filterbank.backend.match_tf import match as match_tf
    from filterbank.backend.match_tf import match_via_numpy, on_cpu
    from filterbank.ops import correlate

    if not in_graph() and on_cpu(img, tpl):  # the numpy kernel beats TensorFlow's CPU ops (docs/concepts.md)
        if not tensors:
            from filterbank.backend.match_numpy import match as match_numpy

            return match_numpy(img, tpl, plan)
        return match_via_numpy(img, tpl, plan, correlate)  # a tensor out, with the tensor path's gradients
    if not tensors:
        check_finite(img)
    out = match_tf(img, tpl, plan, correlate)
    return out if tensors else out.numpy()


def best_matches(
    scores: Any,
    *,
    k: int = 1,
    min_distance: int = 1,
    threshold: float | None = None,
) -> Matches:
    """The ``k`` highest scores of a score map, each at least ``min_distance`` from the better ones.

    Greedy, as a person would pick them: take the best score, rule out every
    position closer than ``min_distance`` to it on all axes (Chebyshev
    distance), repeat. Ties go to the first position in C order.

    Parameters
    ----------
    scores : array_like or tf.Tensor
        One score map (for a batch, call once per map), e.g. from
        `match_template`. NaN scores are never picked.
    k : int, default 1
        How many matches at most (>= 1).
    min_distance : int, default 1
        Two matches differ by at least this much on some axis (>= 1; 1 only
        keeps them distinct). A template's size keeps matches from overlapping.
    threshold : float, optional
        Only scores >= threshold are matches.

    Returns
    -------
    Matches
        ``positions`` (n, ndim) int64 and ``scores`` (n,), best first, ``n <= k``.
        Positions index the score map, which is the image's frame: with
        `match_template`'s ``pad_input=False`` the template's first sample
        (top-left corner) lies on the image at the position, with ``pad_input=True``
        its sample ``m // 2`` (centre).

    Raises
    ------
    InputError
        For ``k`` or ``min_distance`` below 1, an empty or 0-d map, or a
        non-finite ``threshold``.

    Examples
    --------
    >>> s = np.array([[0.1, 0.9, 0.8, 0.0], [0.0, 0.2, 0.1, 0.7]])
    >>> best_matches(s, k=2)
    Matches(positions=array([[0, 1],
           [0, 2]]), scores=array([0.9, 0.8]))
    >>> best_matches(s, k=2, min_distance=2)
    Matches(positions=array([[0, 1],
           [1, 3]]), scores=array([0.9, 0.7]))
    """
    for name, value in (("k", k), ("min_distance", min_distance)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(f"{name} must be an integer >= 1; got {value!r}")
    if threshold is not None and not (isinstance(threshold, (int, float, np.number)) and np.isfinite(threshold)):
        raise InputError(f"threshold must be a finite number or None; got {threshold!r}")
    if _is_tensor(scores):
        if in_graph():
            raise InputError("best_matches runs on values: call it outside tf.function (on the score tensor it returns)")
        scores = scores.numpy()
    s = _as_array(scores, "scores")
    if s.ndim == 0 or s.size == 0:
        raise InputError(f"scores must be a non-empty score map with at least one axis; got shape {s.shape}")
    work = s.astype(np.float64, copy=True)
    work[np.isnan(work)] = -np.inf
    if threshold is not None:
        work[work < threshold] = -np.inf
    positions: list[tuple[int, ...]] = []
    values: list[float] = []
    r = int(min_distance) - 1
    while len(positions) < k:
        flat = int(np.argmax(work))
        if work.flat[flat] == -np.inf:
            break
        pos = np.unravel_index(flat, work.shape)
        positions.append(tuple(int(i) for i in pos))
        values.append(s[pos])
        work[tuple(slice(max(0, i - r), i + r + 1) for i in pos)] = -np.inf
    return Matches(np.asarray(positions, np.int64).reshape(len(positions), s.ndim),
                   np.asarray(values, s.dtype if s.dtype.kind == "f" else np.float64))
