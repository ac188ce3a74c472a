"""fb.match_template and fb.best_matches, judged by skimage.feature.match_template and by hand."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import filterbank as fb
from filterbank.backend import match_numpy as _match_numpy
from filterbank.match import PAD_MODES, choose_method, make_plan

skimage_feature = pytest.importorskip("skimage.feature")
sk_match = skimage_feature.match_template

RNG = np.random.default_rng(20240521)
SHAPES = [((23, 31), (5, 7)), ((20, 17), (6, 4)), ((9, 11, 10), (3, 4, 5)), ((12, 12), (12, 12)), ((15, 9), (1, 3))]


def _tf():
    from filterbank.backend._tf import tf

    return tf()


def _pair(image_shape, template_shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(image_shape) * 3 + 1, rng.standard_normal(template_shape)


# --------------------------------------------------------------------------- skimage parity, float64


@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: f"{s[0]}-{s[1]}")
@pytest.mark.parametrize("method", ["direct", "fft"])
@pytest.mark.parametrize("pad_input", [False, True])
def test_equals_skimage_every_mode_numpy(shapes, method, pad_input):
    image, template = _pair(*shapes)
    for mode in PAD_MODES:
        ours = fb.match_template(image, template, pad_input=pad_input, mode=mode, method=method, constant_values=0.7)
        ref = sk_match(image, template, pad_input=pad_input, mode=mode, constant_values=0.7)
        assert ours.shape == ref.shape and ours.dtype == np.float64
        np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-10, err_msg=mode)


@pytest.mark.parametrize("shapes", SHAPES[:3], ids=lambda s: f"{s[0]}-{s[1]}")
@pytest.mark.parametrize("method", ["direct", "fft"])
@pytest.mark.parametrize("pad_input", [False, True])
def test_equals_skimage_every_mode_tensor(shapes, method, pad_input):
    tf = _tf()
    image, template = _pair(*shapes, seed=1)
    for mode in PAD_MODES:
        ours = fb.match_template(tf.constant(image), template, pad_input=pad_input, mode=mode, method=method,
                                 constant_values=-2.5)
        assert tf.is_tensor(ours) and ours.dtype == tf.float64
        ref = sk_match(image, template, pad_input=pad_input, mode=mode, constant_values=-2.5)
        np.testing.assert_allclose(ours.numpy(), ref, rtol=0, atol=1e-10, err_msg=mode)


def test_constant_values_per_axis_as_numpy_pad():
    image, template = _pair((14, 16), (5, 4))
    cv = ((1.0, -2.0), (3.0, 0.5))
    ref = sk_match(image, template, pad_input=True, constant_values=cv)
    np.testing.assert_allclose(fb.match_template(image, template, pad_input=True, constant_values=cv), ref, atol=1e-10)
    got = fb.match_template(_tf().constant(image), template, pad_input=True, constant_values=cv).numpy()
    np.testing.assert_allclose(got, ref, atol=1e-10)


def test_integer_and_bool_images_computed_in_float64_like_skimage():
    image = RNG.integers(0, 255, (30, 30)).astype(np.uint8)
    template = image[4:11, 9:15].copy()
    ours = fb.match_template(image, template)
    assert ours.dtype == np.float64
    np.testing.assert_allclose(ours, sk_match(image, template), atol=1e-10)
    assert ours[4, 9] == pytest.approx(1.0, abs=1e-12)


def test_one_dimensional_signals_equal_skimage_on_one_row_images():
    x, t = _pair((3, 40), (6,))
    for pad_input in (False, True):
        for mode in ("constant", "reflect", "linear_ramp", "median"):
            ours = fb.match_template(x, t, pad_input=pad_input, mode=mode)
            ref = np.stack([sk_match(row[None, :], t[None, :], pad_input=pad_input, mode=mode)[0] for row in x])
            np.testing.assert_allclose(ours, ref, atol=1e-10)


def test_batch_axes_anywhere():
    image, template = _pair((3, 19, 2, 22), (5, 6))
    ref = np.stack([np.stack([sk_match(image[i, :, j], template, pad_input=True, mode="symmetric")
                              for j in range(2)], 1) for i in range(3)])
    ours = fb.match_template(image, template, axes=(1, 3), pad_input=True, mode="symmetric")
    assert ours.shape == (3, 19, 2, 22)
    np.testing.assert_allclose(ours, ref, atol=1e-10)
    swapped = fb.match_template(np.swapaxes(image, 1, 3), template, axes=(3, 1), pad_input=True, mode="symmetric")
    np.testing.assert_allclose(np.swapaxes(swapped, 1, 3), ref, atol=1e-10)


def test_docstring_example_by_hand():
    # one bright and one dark sample: where the template's 1 sits on the bright one the score is 1
    image = np.zeros((6, 6)); image[1, 1] = 1.0; image[4, 4] = -1.0
    template = np.zeros((3, 3)); template[1, 1] = 1.0
    s = fb.match_template(image, template)
    assert s[0, 0] == pytest.approx(1.0) and s[3, 3] == pytest.approx(-1.0)
    # a window holding the bright sample off the template's centre: r = -1/8 for 9 samples (worked by hand)
    assert s[0, 1] == pytest.approx(-0.125)


def test_the_template_is_not_flipped():
    image = np.zeros(12); image[3:6] = [1.0, 2.0, 5.0]
    s = fb.match_template(image, np.array([1.0, 2.0, 5.0]))
    assert int(np.argmax(s)) == 3 and s[3] == pytest.approx(1.0)
    flipped = fb.match_template(image, np.array([5.0, 2.0, 1.0]))
    assert flipped[3] < 0 and int(np.argmax(flipped)) != 3


def test_direct_and_fft_agree_and_auto_chooses_by_size():
    image, template = _pair((2, 70, 64), (9, 8))
    direct = fb.match_template(image, template, method="direct")
    np.testing.assert_allclose(fb.match_template(image, template, method="fft"), direct, atol=1e-12)
    assert choose_method((1022, 1022), (3, 3), (1024, 1024)) == "direct"
    assert choose_method((961, 961), (64, 64), (1024, 1024)) == "fft"
    assert make_plan((961, 961), (64, 64), dtype="float64").method == "fft"


# --------------------------------------------------------------------------- float32


def test_float32_within_documented_bound():
    """|score32 - score64| <= eps32 (D q^2 + 4 rho + 4): the bound match_template's docstring states."""
    rng = np.random.default_rng(3)
    eps = float(np.finfo(np.float32).eps)
    worst = 0.0
    for trial in range(6):
        h, w = (int(v) for v in rng.integers(60, 200, 2))
        m = tuple(int(v) for v in rng.integers(3, 30, 2))
        yy, xx = np.mgrid[:h, :w]
        image = 100 + 50 * np.sin(yy / 17.0) + np.exp(rng.uniform(-5, 0) * xx / w) * rng.standard_normal((h, w)) * 10
        template = image[10:10 + m[0], 5:5 + m[1]] + rng.standard_normal(m)
        for pad_input in (False, True):
            s64 = fb.match_template(image, template, pad_input=pad_input)
            s32 = fb.match_template(image.astype(np.float32), template.astype(np.float32), pad_input=pad_input)
            assert s32.dtype == np.float32
            plan = make_plan(image.shape, m, dtype="float64", pad_input=pad_input)
            xc = _match_numpy.extend(image, plan)
            xc = xc - xc.mean()
            box = lambda a: _match_numpy.box_sum(_match_numpy.box_sum(a, 0, m[0]), 1, m[1])  # noqa: E731
            n = m[0] * m[1]
            s1, s2 = box(xc), box(xc * xc)
            var = s2 / n - (s1 / n) ** 2
            depth = sum(k.bit_length() - 1 + bin(k).count("1") for k in m)
            bound = eps * (depth * (s2 / n) / var + 4 * xc.std() / np.sqrt(var) + 4)
            ratio = np.abs(s32.astype(np.float64) - s64) / bound
            worst = max(worst, float(ratio.max()))
    assert worst <= 1.0
    assert worst > 0.01  # the bound is not vacuous


def test_float32_tensor_and_noise_figure():
    image = RNG.standard_normal((2, 256, 256)).astype(np.float32)
    template = image[0, 30:62, 40:72].copy()
    s32 = fb.match_template(_tf().constant(image), template)
    assert s32.dtype == _tf().float32
    s64 = fb.match_template(image.astype(np.float64), template.astype(np.float64))
    assert np.abs(s32.numpy() - s64).max() < 2e-6
    assert np.abs(fb.match_template(image, template) - s64).max() < 2e-6


# --------------------------------------------------------------------------- flat windows, constant templates


@pytest.mark.parametrize("level", [0.0, 0.1, 100.3, -7e5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_flat_windows_score_exactly_zero(level, dtype):
    image = RNG.standard_normal((40, 40)) * 5
    image[:20, :20] = level
    image = image.astype(dtype)
    template = RNG.standard_normal((5, 5)).astype(dtype)
    for pad_input in (False, True):
        for data in (image, _tf().constant(image)):
            s = np.asarray(fb.match_template(data, template, pad_input=pad_input))
            assert np.all(np.isfinite(s)) and np.abs(s).max() <= 1
            flat = s[2:14, 2:14] if pad_input else s[:16, :16]
            assert np.all(flat == 0)
    if dtype == np.float64 and abs(level) < 1e3:  # skimage leaves its rounding noise there; elsewhere we agree
        assert np.abs(sk_match(image, template)[:16, :16]).max() < 1e-6
        np.testing.assert_allclose(fb.match_template(image, template)[20:, 20:],
                                   sk_match(image[20:, 20:], template), atol=1e-10)


def test_constant_image_scores_zero_everywhere():
    s = fb.match_template(np.full((2, 16, 16), 3.25), RNG.standard_normal((4, 4)), pad_input=True, mode="edge")
    assert s.shape == (2, 16, 16) and np.all(s == 0)


@pytest.mark.parametrize("value", [0.0, 0.1, -3.0])
def test_constant_template_refused(value):
    with pytest.raises(fb.InputError, match=r"template must not be constant .* got every sample equal to"):
        fb.match_template(RNG.standard_normal((10, 10)), np.full((3, 3), value))
    with pytest.raises(fb.InputError, match="template must not be constant"):
        fb.match_template(_tf().constant(RNG.standard_normal((10, 10))), _tf().fill([3, 3], value))


def test_constant_template_in_tf_function_fails_when_run():
    tf = _tf()
    f = tf.function(lambda x, t: fb.match_template(x, t))
    x = tf.constant(RNG.standard_normal((10, 10)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="template must not be constant"):
        f(x, tf.ones((3, 3), tf.float64))


# --------------------------------------------------------------------------- TensorFlow: graphs, gradients


def test_tf_function_with_unknown_batch():
    tf = _tf()
    image, template = _pair((3, 30, 28), (7, 5))
    f = tf.function(lambda x: fb.match_template(x, template, pad_input=True, mode="wrap"),
                    input_signature=[tf.TensorSpec([None, 30, 28], tf.float64)])
    np.testing.assert_allclose(f(tf.constant(image)).numpy(),
                               np.stack([sk_match(i, template, pad_input=True, mode="wrap") for i in image]),
                               atol=1e-10)
    assert f(tf.constant(image[:1])).shape == (1, 30, 28)


def test_inside_a_users_xla_function_and_a_saved_model(tmp_path):
    """The scores' own XLA program nests in a jit-compiled caller and survives tf.saved_model."""
    tf = _tf()
    image, template = _pair((2, 40, 37), (9, 6), seed=21)
    ref = np.stack([sk_match(i, template, pad_input=True, mode="reflect") for i in image])
    spec = [tf.TensorSpec([None, 40, 37], tf.float64)]
    jit = tf.function(lambda x: fb.match_template(x, template, pad_input=True, mode="reflect"),
                      jit_compile=True, input_signature=spec)
    np.testing.assert_allclose(jit(tf.constant(image)).numpy(), ref, atol=1e-10)
    module = tf.Module()
    module.scores = tf.function(lambda x: fb.match_template(x, template, pad_input=True, mode="reflect"),
                                input_signature=spec)
    tf.saved_model.save(module, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    np.testing.assert_allclose(loaded.scores(tf.constant(image[:1])).numpy(), ref[:1], atol=1e-10)


def test_eager_scores_keep_their_memory_after_the_kernel_returns():
    """The numpy kernel's output is handed to TensorFlow without a copy; the tensor owns it from then on."""
    import gc

    tf = _tf()
    image, template = _pair((3, 300, 200), (20, 30), seed=22)
    scores = fb.match_template(tf.constant(image), template)
    gc.collect()
    scratch = [np.full((300, 200), float(i)) for i in range(30)]  # reuse of freed memory would show here
    assert len(scratch) == 30
    np.testing.assert_allclose(scores.numpy(), np.stack([sk_match(i, template) for i in image]), atol=1e-10)


@pytest.mark.parametrize("method", ["direct", "fft"])
def test_gradients_match_finite_differences(method):
    tf = _tf()
    image, template = _pair((12, 13), (4, 3), seed=5)
    weights = tf.constant(np.random.default_rng(6).standard_normal((9, 11)))
    x, t = tf.Variable(image), tf.Variable(template)

    def loss(xv, tv):
        return tf.reduce_sum(fb.match_template(xv, tv, method=method) * weights)

    with tf.GradientTape() as tape:
        value = loss(x, t)
    gx, gt = tape.gradient(value, [x, t])
    assert np.all(np.isfinite(gx.numpy())) and np.all(np.isfinite(gt.numpy()))
    h = 1e-6
    for grad, var, other, idx in ((gx, image, template, (5, 7)), (gt, template, image, (1, 2))):
        bumped = var.copy(); bumped[idx] += h
        lowered = var.copy(); lowered[idx] -= h
        args = ((bumped, other), (lowered, other)) if var is image else ((other, bumped), (other, lowered))
        numeric = (loss(*map(tf.constant, args[0])) - loss(*map(tf.constant, args[1]))).numpy() / (2 * h)
        assert grad.numpy()[idx] == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_gradient_finite_on_flat_windows():
    tf = _tf()
    image = np.zeros((12, 12)); image[6:, 6:] = RNG.standard_normal((6, 6))
    x = tf.Variable(image)
    with tf.GradientTape() as tape:
        s = tf.reduce_sum(fb.match_template(x, RNG.standard_normal((3, 3))))
    assert np.all(np.isfinite(tape.gradient(s, x).numpy()))


# --------------------------------------------------------------------------- properties


def _brute_force(image, template, pad_input, mode):
    """Every window's correlation coefficient, one window at a time (two-pass), padded by numpy.pad itself."""
    if pad_input:
        m = template.shape
        padded = np.pad(image, [(k, k) for k in m], mode=mode)
        image = padded[tuple(slice(k - k // 2, k - k // 2 + n + k - 1) for k, n in zip(m, image.shape))]
    windows = np.lib.stride_tricks.sliding_window_view(image, template.shape)
    d = windows - windows.mean(axis=(-2, -1), keepdims=True)
    t0 = template - template.mean()
    ss = np.sum(d * d, axis=(-2, -1))
    rms2 = np.mean(windows * windows, axis=(-2, -1))
    num = np.sum(d * t0, axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(ss > 0, num / np.sqrt(ss * np.sum(t0 * t0)), 0.0)
    return score, ss / template.size / np.maximum(rms2, 1e-300)


@given(
    h=st.integers(4, 24), w=st.integers(4, 24), mh=st.integers(1, 4), mw=st.integers(2, 4),
    pad_input=st.booleans(), mode=st.sampled_from(PAD_MODES), seed=st.integers(0, 2**16),
    scale=st.floats(0.01, 100), shift=st.floats(-1e3, 1e3),
)
def test_property_equals_skimage_and_is_affine_invariant(h, w, mh, mw, pad_input, mode, seed, scale, shift):
    """Equal to a window-by-window reference everywhere, to skimage wherever skimage's own rounding allows it.

    skimage computes ``V`` from uncentred running sums: its error is about
    ``eps / relative variance`` (1.6e-6 seen for a 2-sample window), so it is
    held to 1e-10 on windows whose variance is >= 1e-4 of their mean square.
    """
    image, template = _pair((h, w), (mh, mw), seed)
    ours = fb.match_template(image, template, pad_input=pad_input, mode=mode)
    assert np.all(np.abs(ours) <= 1)
    brute, relative_variance = _brute_force(image, template, pad_input, mode)
    np.testing.assert_allclose(ours, brute, atol=1e-10)
    ref = sk_match(image, template, pad_input=pad_input, mode=mode)
    conditioned = relative_variance >= 1e-4
    np.testing.assert_allclose(ours[conditioned], ref[conditioned], atol=1e-10)
    if mode in ("edge", "reflect", "symmetric", "wrap", "mean", "median", "maximum") or not pad_input:
        moved = fb.match_template(image * scale + shift, template * 2 - 1, pad_input=pad_input, mode=mode)
        np.testing.assert_allclose(moved, ours, atol=1e-8)


@given(
    shape=st.tuples(st.integers(1, 9), st.integers(1, 9)), k=st.integers(1, 6), d=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_property_best_matches_greedy_rule(shape, k, d, seed):
    s = np.round(np.random.default_rng(seed).uniform(-1, 1, shape), 1)  # rounding makes ties
    found = fb.best_matches(s, k=k, min_distance=d)
    n = len(found.scores)
    assert 1 <= n <= k and found.positions.shape == (n, 2)
    assert found.scores[0] == s.max() and np.all(np.diff(found.scores) <= 0)
    assert all(s[tuple(p)] == v for p, v in zip(found.positions, found.scores))
    for i in range(n):
        for j in range(i):
            assert np.abs(found.positions[i] - found.positions[j]).max() >= d
    if n < k:  # nothing left: every position is within reach of a match
        reach = np.zeros(shape, bool)
        for p in found.positions:
            reach[tuple(slice(max(0, c - d + 1), c + d) for c in p)] = True
        assert reach.all()


# --------------------------------------------------------------------------- best_matches by hand


def test_best_matches_by_hand():
    s = np.array([[0.1, 0.9, 0.8, 0.0], [0.0, 0.2, 0.1, 0.7]])
    found = fb.best_matches(s, k=3)
    assert found.positions.tolist() == [[0, 1], [0, 2], [1, 3]]
    assert found.scores.tolist() == [0.9, 0.8, 0.7]
    assert fb.best_matches(s, k=3, min_distance=2).positions.tolist() == [[0, 1], [1, 3]]
    assert fb.best_matches(s, k=5, threshold=0.75).positions.tolist() == [[0, 1], [0, 2]]
    assert fb.best_matches(np.array([np.nan, 0.3, 0.3]), k=5).positions.tolist() == [[1], [2]]
    none = fb.best_matches(s, k=2, threshold=0.95)
    assert none.positions.shape == (0, 2) and none.scores.shape == (0,)


def test_best_matches_finds_three_planted_copies():
    rng = np.random.default_rng(11)
    template = rng.standard_normal((6, 5))
    image = rng.standard_normal((60, 70)) * 0.3
    corners = [(3, 50), (30, 8), (44, 44)]
    for r, c in corners:
        image[r:r + 6, c:c + 5] += template
    found = fb.best_matches(fb.match_template(image, template), k=3, min_distance=5)
    assert sorted(map(tuple, found.positions.tolist())) == corners
    centred = fb.best_matches(fb.match_template(image, template, pad_input=True), k=3, min_distance=5)
    assert sorted(map(tuple, (centred.positions - [3, 2]).tolist())) == corners


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, r"k must be an integer >= 1; got 0"),
        ({"k": 2.5}, r"k must be an integer >= 1; got 2.5"),
        ({"min_distance": 0}, r"min_distance must be an integer >= 1; got 0"),
        ({"threshold": float("nan")}, r"threshold must be a finite number or None; got nan"),
    ],
)
def test_best_matches_refuses(kwargs, message):
    with pytest.raises(fb.InputError, match=message):
        fb.best_matches(np.zeros((3, 3)), **kwargs)


def test_best_matches_refuses_empty_map():
    with pytest.raises(fb.InputError, match=r"scores must be a non-empty score map .* got shape \(0, 3\)"):
        fb.best_matches(np.zeros((0, 3)))


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "refelct"}, r"mode must be one of 'constant', .* got 'refelct' \(did you mean 'reflect'\?\)"),
        ({"mode": "empty"}, r"mode='empty' leaves the padding undefined"),
        ({"method": "ftf"}, r"method must be one of 'auto', 'direct', 'fft'; got 'ftf'"),
        ({"pad_input": "yes"}, r"pad_input must be True or False; got 'yes'"),
        ({"axes": (0,)}, r"axes must name one image axis per template axis \(2\); got axes=\(0,\)"),
        ({"axes": (0, 5)}, r"axes: axis 5 is out of range for data with 2 dimension"),
        ({"constant_values": float("inf")}, r"constant_values must be finite; got inf"),
        ({"constant_values": [1, 2, 3]}, r"constant_values must be a number or broadcast to"),
    ],
)
def test_bad_arguments_refused(kwargs, message):
    with pytest.raises(fb.InputError, match=message):
        fb.match_template(np.zeros((8, 8)) + np.arange(8), np.arange(6.0).reshape(2, 3), **kwargs)


@pytest.mark.parametrize(
    ("image", "template", "message"),
    [
        (np.zeros((8, 8)), np.arange(4.0).reshape(1, 1, 2, 2), r"template must have 1, 2 or 3 axes; got template shape \(1, 1, 2, 2\)"),
        (np.zeros(8), np.arange(4.0).reshape(2, 2), r"image must have at least as many axes as template"),
        (np.zeros((4, 8)), np.arange(10.0).reshape(5, 2), r"template must fit in the image on every matched axis .* got template shape \(5, 2\), image sizes \(4, 8\)"),
        (np.zeros((0, 8)), np.arange(4.0).reshape(2, 2), r"image and template must not be empty"),
        (np.array([[0.0, np.nan, 1.0]]), np.array([[1.0, 2.0]]), r"image must be finite; got nan at index \(0, 1\)"),
        (np.zeros((3, 3)), np.array([[1.0, np.inf]]), r"template must be finite; got inf at index \(0, 1\)"),
    ],
)
def test_bad_shapes_and_values_refused(image, template, message):
    with pytest.raises(fb.InputError, match=message):
        fb.match_template(image, template)


def test_complex_and_text_refused_as_type_errors():
    with pytest.raises(fb.FilterBankTypeError, match=r"image must hold real numbers .* got dtype complex128"):
        fb.match_template(np.zeros((4, 4), complex), np.arange(4.0).reshape(2, 2))
    with pytest.raises(fb.FilterBankTypeError, match=r"template must hold real numbers .* got dtype <U1"):
        fb.match_template(np.zeros((4, 4)), np.array([["a", "b"]]))


def test_numpy_calls_and_refusals_never_import_tensorflow():
    code = (
        "import sys, numpy as np, filterbank as fb\n"
        "x = np.random.default_rng(0).standard_normal((3, 50, 40)); t = x[1, 5:12, 7:13].copy()\n"
        "s = fb.match_template(x, t, pad_input=True, mode='median')\n"
        "assert fb.best_matches(s[1], k=1).positions.tolist() == [[8, 10]], fb.best_matches(s[1], k=1)\n"
        "for bad in ({'mode': 'nope'}, {'axes': (0,)}):\n"
        "    try: fb.match_template(x, t, **bad)\n"
        "    except fb.InputError: pass\n"
        "try: fb.match_template(x, np.ones((2, 2)))\n"
        "except fb.InputError: pass\n"
        "assert 'tensorflow' not in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


# --------------------------------------------------------------------------- the numpy kernel's pieces, the tiers


def test_flat_box_sums_equal_window_sums_bit_for_bit_with_box_sum():
    rng = np.random.default_rng(8)
    for shape, m in [((2, 30, 40), (5, 7)), ((3, 17), (9,)), ((2, 9, 10, 11), (3, 4, 5)), ((8, 8), (8, 8)),
                     ((6, 7), (1, 1)), ((2, 20, 12), (6, 1))]:
        a = rng.standard_normal(shape)
        got = _match_numpy.flat_box_sums(a, m, _match_numpy.Workspace(a.dtype))
        windows = np.lib.stride_tricks.sliding_window_view(a, m, axis=tuple(range(a.ndim - len(m), a.ndim)))
        np.testing.assert_allclose(got, windows.sum(axis=tuple(range(-len(m), 0))), rtol=1e-13, atol=1e-13)
        ref = a
        for i, k in enumerate(m):
            ref = _match_numpy.box_sum(ref, a.ndim - len(m) + i, k)
        assert np.array_equal(got, ref)  # the same additions in the same tree: flat windows stay exactly flat


def test_bands_of_rows_equal_skimage(monkeypatch):
    monkeypatch.setattr(_match_numpy, "BAND_BYTES", 512)  # 64 float64 samples: many bands, the last one short
    image, template = _pair((3, 41, 23), (6, 5), seed=9)
    image[1, 10:25, 4:20] = 2.5  # a flat patch across band boundaries
    for pad_input in (False, True):
        ours = fb.match_template(image, template, pad_input=pad_input, mode="reflect")
        ref = np.stack([sk_match(i, template, pad_input=pad_input, mode="reflect") for i in image])
        flat = ours == 0
        np.testing.assert_allclose(ours[~flat], ref[~flat], atol=1e-10)
        assert flat[1].sum() >= 10 * 12 and np.abs(ref[flat]).max() < 1e-6
    image3, template3 = _pair((2, 12, 9, 8), (4, 3, 2), seed=10)
    np.testing.assert_allclose(fb.match_template(image3, template3),
                               np.stack([sk_match(i, template3) for i in image3]), atol=1e-10)


def test_large_numpy_inputs_use_the_numpy_kernel_without_a_gpu():
    from filterbank.backend.tiers import execution

    image, template = _pair((2, 30, 26), (7, 4), seed=12)
    with execution(numpy_below=0):
        ours = fb.match_template(image, template, pad_input=True, mode="edge")
    assert isinstance(ours, np.ndarray)
    np.testing.assert_allclose(ours, np.stack([sk_match(i, template, pad_input=True, mode="edge") for i in image]),
                               atol=1e-10)


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int32"])
def test_eager_tensors_on_cpu_equal_the_graph_ops(dtype):
    """Eager CPU tensors run the numpy kernel; inside tf.function the TensorFlow ops: the same scores."""
    tf = _tf()
    image, template = _pair((2, 33, 29), (8, 6), seed=13)
    x = tf.cast(tf.constant(image * 10), dtype)
    eager = fb.match_template(x, template.astype(np.float32))
    graph = tf.function(lambda v: fb.match_template(v, template.astype(np.float32)))(x)
    assert tf.is_tensor(eager) and eager.dtype == graph.dtype and "CPU" in eager.device
    atol = 1e-12 if eager.dtype == tf.float64 else 2e-6
    np.testing.assert_allclose(eager.numpy(), graph.numpy(), atol=atol)
    t64 = template.astype(np.float32).astype(np.float64)  # skimage would take a float32 template's mean in float32
    ref = np.stack([sk_match(i, t64) for i in x.numpy().astype(np.float64)])
    np.testing.assert_allclose(eager.numpy(), ref, atol=1e-10 if dtype in ("float64", "int32") else 2e-6)


def test_eager_tensor_gradients_equal_those_of_the_graph_ops():
    tf = _tf()
    image, template = _pair((11, 12), (3, 4), seed=14)
    x, t = tf.constant(image), tf.constant(template)
    weights = tf.constant(np.random.default_rng(15).standard_normal((9, 9)))
    with tf.GradientTape() as tape:
        tape.watch([x, t])
        value = tf.reduce_sum(fb.match_template(x, t) * weights)
    gx, gt = tape.gradient(value, [x, t])

    @tf.function
    def graph_grads(x, t):
        with tf.GradientTape() as inner:
            inner.watch([x, t])
            v = tf.reduce_sum(fb.match_template(x, t) * weights)
        return inner.gradient(v, [x, t])

    rx, rt = graph_grads(x, t)  # the TensorFlow ops differentiated by TensorFlow
    np.testing.assert_allclose(gx.numpy(), rx.numpy(), atol=1e-12)
    np.testing.assert_allclose(gt.numpy(), rt.numpy(), atol=1e-12)
    assert value.numpy() == pytest.approx(float(np.sum(sk_match(image, template) * weights.numpy())), abs=1e-10)


def test_pooled_results_equal_skimage_for_numpy_and_tensors(monkeypatch):
    """Large results come from TensorFlow's pool once it is loaded (forced here for a small one): same scores."""
    import filterbank.backend.convert as convert

    tf = _tf()
    monkeypatch.setattr(convert, "POOLED_BYTES", 1)
    image, template = _pair((2, 50, 41), (6, 7), seed=23)
    ref = np.stack([sk_match(i, template) for i in image])
    out = fb.match_template(image, template)
    assert isinstance(out, np.ndarray) and out.flags.writeable
    np.testing.assert_allclose(out, ref, atol=1e-10)
    np.testing.assert_allclose(fb.match_template(tf.constant(image), template).numpy(), ref, atol=1e-10)


def test_graph_scores_without_xla_equal_those_with_it(monkeypatch):
    """Where the XLA program is not used (a GPU, a TensorFlow without XLA) the op-by-op scores agree to rounding."""
    import filterbank.backend.match_tf as mod

    tf = _tf()
    image, template = _pair((2, 45, 38), (7, 5), seed=24)
    f = tf.function(lambda x: fb.match_template(x, template))
    with_xla = f(tf.constant(image)).numpy()
    monkeypatch.setattr(mod, "_xla_on_cpu", lambda: False)
    plain = tf.function(lambda x: fb.match_template(x, template))(tf.constant(image)).numpy()
    np.testing.assert_allclose(plain, with_xla, rtol=0, atol=1e-15)  # rsqrt and products may round apart
    np.testing.assert_allclose(plain, np.stack([sk_match(i, template) for i in image]), atol=1e-10)
