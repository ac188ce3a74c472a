"""Hypothesis fuzzer over coefficient archives (issue 11, "Ship the catalogue").

Two valid archives are written once per module by ``filterbank decompose``
(in-process): a 1-D ``.npy`` signal (db2, level 2) and a PNG image (db2,
level 2, 2-D). Each example derives a hostile archive from one of them:

* bytes: flipped, inserted or deleted anywhere (after an optional re-pack with
  stored, deflate, bzip2 or lzma members), or the file truncated;
* members: rewritten with random bytes, a random ``.npy`` (any dtype, order and
  shape, pickles included) or a hand-made ``.npy`` header; dropped,
  duplicated, renamed (``../``, absolute, odd characters, no ``.npy``);
* the JSON record: random JSON values (and plausible ones) set in random
  fields (format, input shape and dtype, mode, axes, subband keys, shapes,
  spec) or deleted, or the whole record replaced;
* whole archives written by `write_coefficients` from random, consistent
  metadata, subbands and taps, so that they pass the reader and reach the
  inverse transform.

``filterbank --debug reconstruct`` then runs in-process (``--debug`` lets every
exception through with its own type) from inside the example's folder, and
the test asserts: it either succeeds, writing exactly one output whose array
(recomputed with `read_coefficients` + `reconstruct_file`) has the recorded
input shape and dtype and is finite when the coefficients and taps are
finite and moderate (NaN and inf spread, as documented); or it raises a
`filterbank.FilterBankError`. Nothing else may be raised (``BadZipFile``,
``KeyError``, a foreign ``ValueError``, ``MemoryError``, a warning made an
error by ``filterwarnings = error``...), nothing may be written anywhere but
the output folder, the archive must be left unchanged and no ``.fbtmp``
temporary may remain. Every example gets ``TIME_LIMIT`` seconds.

The default ``ci`` profile draws its bounded count per test (the module takes
seconds); ``HYPOTHESIS_PROFILE=dev`` draws ``DEEP`` times the dev profile's count.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import shutil
import signal
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import filterbank as fb
from filterbank.cli import main
from filterbank.cli._archive import INPUT_DTYPES, input_record, read_coefficients, write_coefficients
from filterbank.cli._inputs import write_image
from filterbank.cli._write import TEMP_SUFFIX
from filterbank.cli.reconstruct import reconstruct_file
from filterbank.modes import MODES

DEEP = 10
TIME_LIMIT = 30.0
BUDGET = "64M"
BUDGET_BYTES = 64 << 20
FUZZ = settings(max_examples=settings().max_examples * (DEEP if settings.get_current_profile_name() == "dev" else 1))
TAP_NAMES = ("dec_lo", "dec_hi", "rec_lo", "rec_hi")
#: Member compressions the fuzzers re-pack with (every one zipfile can read).
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


# ---------------------------------------------------------------- the valid archives and the harness

@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Decompose a signal and an image once; return their archives' bytes and the work folder."""
    root = tmp_path_factory.mktemp("fuzz_archives")
    src = root / "src"
    src.mkdir()
    np.save(src / "signal.npy", np.sin(np.arange(37) * 0.3) * 3.0)
    image = (np.add.outer(np.arange(16) * 17, np.arange(12) * 23) % 256).astype(np.uint8)
    write_image(src / "image.png", image, force=False)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["decompose", "db2", str(src / "signal.npy"), "-o", str(src / "signal.npz"), "-q", "--level", "2"]) == 0
        assert main(["decompose", "db2", str(src / "image.png"), "-o", str(src / "image.npz"), "-q", "--level", "2",
                     "--mode", "periodization"]) == 0
    (root / "victim.npy").write_bytes(b"precious")
    blobs = {name: (src / f"{name}.npz").read_bytes() for name in ("signal", "image")}
    for name, blob in blobs.items():  # the starting points really are valid
        c = read_coefficients(src / f"{name}.npz")
        assert reconstruct_file(c).shape == input_record(c.meta)[0]
    return Archives({"root": root, "blobs": blobs, "before": snapshot(root)})


class Archives(dict):
    """The fixture's record, with a short repr (hypothesis prints the arguments of a failing example)."""

    def __repr__(self) -> str:
        return f"<archives in {self['root']}>"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name -> content)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


@contextlib.contextmanager
def within(seconds: float, folder: Path) -> Iterator[None]:
    """Run the body in ``folder``; fail (TimeoutError, not a FilterBankError) if it takes longer than ``seconds``."""
    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    cwd = os.getcwd()
    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def members(blob: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def pack(items: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names, which some examples want
        with zipfile.ZipFile(buf, "w", compression=compression) as z:
            for name, data in items:
                z.writestr(name, data)
    return buf.getvalue()


def npy_bytes(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=True)
    return buf.getvalue()


def record_of(blob: bytes) -> dict[str, Any]:
    data = dict(members(blob))["__filterbank__.npy"]
    return json.loads(str(np.load(io.BytesIO(data))))


def moderate(a: np.ndarray, limit: float = 1e30) -> bool:
    """Finite, and small enough that a few levels of filtering cannot overflow float64."""
    return a.dtype.kind in "biu" or (np.all(np.isfinite(a)) and (a.size == 0 or float(np.max(np.abs(a))) < limit))


def check_archive(env: dict[str, Any], blob: bytes, output: str) -> None:
    """Reconstruct ``blob`` in a fresh folder; assert success with a sound result or a FilterBankError only."""
    root: Path = env["root"]
    work = Path(tempfile.mkdtemp(dir=root, prefix="ex-"))
    try:
        (work / "c.npz").write_bytes(blob)
        (work / "out").mkdir()
        argv = ["--debug", "reconstruct", "c.npz", "-o", output, "-q", "--max-bytes", BUDGET]
        error: BaseException | None = None
        with within(TIME_LIMIT, work), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(argv)
            except fb.FilterBankError as exc:
                error = exc
        after = snapshot(work)
        temps = [n for n in snapshot(root) if n.endswith(TEMP_SUFFIX)]
        assert not temps, f"temporary files left: {temps}"
        assert after.pop("c.npz") == blob, "the archive was changed"
        outside = {n: c for n, c in snapshot(root).items() if not n.startswith(work.name + "/")}
        assert outside == env["before"], f"written outside the example folder: {sorted(set(outside) ^ set(env['before']))}"
        event("refused" if error is not None else "reconstructed")
        if error is not None:
            assert str(error).strip(), f"{type(error).__name__} with an empty message"
            assert not after, f"{sorted(after)} written although reconstruct failed: {error}"
            return
        assert code == 0
        assert len(after) == 1 and next(iter(after)).startswith("out/"), f"expected one output, found {sorted(after)}"
        name, content = next(iter(after.items()))
        with within(TIME_LIMIT, work):
            c = read_coefficients(work / "c.npz", BUDGET_BYTES)
            x = reconstruct_file(c)
        shape, dtype = input_record(c.meta)
        assert x.shape == shape and x.dtype == dtype, f"reconstructed {x.dtype} {x.shape}, recorded {dtype} {shape}"
        arrays = [c.coeffs[0], *(d for level in c.coeffs[1:] for d in level.values()), *c.taps.values()]
        if all(moderate(np.asarray(a)) for a in arrays):
            assert moderate(x, np.inf), "finite coefficients and taps gave a non-finite reconstruction"
        if name.endswith(".npy"):
            assert np.array_equal(np.load(io.BytesIO(content)), x, equal_nan=True)
        else:
            assert name.endswith(".png") and content.startswith(b"\x89PNG"), name
    finally:
        shutil.rmtree(work, ignore_errors=True)


sources = st.sampled_from(["signal", "image"])
outputs = st.sampled_from(["out/back.npy", "out/back", "out"])


# ---------------------------------------------------------------- bytes

byte_ops = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), st.floats(0, 1, exclude_max=True), st.integers(1, 255)),
        st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("delete"), st.floats(0, 1, exclude_max=True), st.integers(1, 64)),
    ),
    min_size=1, max_size=6,
)


@FUZZ
@given(source=sources, compression=st.sampled_from(COMPRESSIONS), ops=byte_ops, output=outputs)
def test_byte_level_damage_is_a_filterbank_error_or_a_sound_result(archives, source, compression, ops, output):
    data = bytearray(pack(members(archives["blobs"][source]), compression))
    for op, where, arg in ops:
        i = int(where * len(data))
        if op == "flip" and data:
            data[min(i, len(data) - 1)] ^= arg
        elif op == "insert":
            data[i:i] = arg
        elif op == "delete":
            del data[i:i + arg]
    check_archive(archives, bytes(data), output)


def test_corrupt_lzma_member_is_a_coefficients_error(archives, tmp_path):
    """Found by the byte fuzzer: the signal archive re-packed with ZIP_LZMA, byte len // 2 XOR 1."""
    data = bytearray(pack(members(archives["blobs"]["signal"]), zipfile.ZIP_LZMA))
    data[len(data) // 2] ^= 1
    (tmp_path / "c.npz").write_bytes(bytes(data))
    with pytest.raises(fb.CoefficientsError, match=r"c\.npz:.*' is truncated or corrupt"):
        read_coefficients(tmp_path / "c.npz")


@FUZZ
@given(source=sources, compression=st.sampled_from(COMPRESSIONS), where=st.floats(0, 1, exclude_max=True), output=outputs)
def test_truncated_archives_are_a_filterbank_error(archives, source, compression, where, output):
    data = pack(members(archives["blobs"][source]), compression)
    check_archive(archives, data[: int(where * len(data))], output)


# ---------------------------------------------------------------- members

DTYPES = ["<f8", ">f8", "<f4", "<f2", "<i4", "|u1", "|b1", "<c16", "<U3", "|S3", "<M8[s]", "<m8[ms]", "|V4", "O",
          [("x", "<f8")], [("x", "<f8", (2,))]]
member_names = st.one_of(
    st.sampled_from(["../../victim.npy", "../victim.npy", "/tmp/abs.npy", "a/../../b.npy", "C:\\x\\y.npy", ".npy",
                     "out/back.npy", "dir/", "a.npy", "__filterbank__.npy", "bank_dec_lo.npy", "d1_d.npy", "a",
                     "new\nline.npy", "nul\x00.npy", "é漢字.npy", "x" * 300 + ".npy", "a.NPY", "a.npy/"]),
    st.text(max_size=12).map(lambda s: s + ".npy"),
    st.text(min_size=1, max_size=12),
)


@st.composite
def random_npy(draw: st.DrawFn) -> bytes:
    """A ``.npy`` of any dtype, order and small shape (zero sizes included), its bytes random."""
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    shape = tuple(draw(st.lists(st.integers(0, 5), max_size=3)))
    if dtype.hasobject:
        a = np.array(draw(st.lists(st.one_of(st.none(), st.floats(), st.text(max_size=3)), max_size=4)) or [None], dtype=object)
    else:
        a = np.frombuffer(draw(st.binary(min_size=int(np.prod(shape)) * dtype.itemsize,
                                         max_size=int(np.prod(shape)) * dtype.itemsize)), dtype=dtype).reshape(shape)
    if draw(st.booleans()):
        a = np.asfortranarray(a)
    return npy_bytes(a)


literals = st.one_of(st.sampled_from(["'<f8'", "'|O'", "'<U3'", "[('x', '<f8')]", "True", "False", "()", "(3,)",
                                      "(-1,)", "(2**62, 2**62)", "(99999999999999999999,)", "None", "'" + "a" * 70000 + "'",
                                      "[" * 200 + "]" * 200, "1e999", "{}", "__import__('os')"]),
                     st.text(max_size=10))


@st.composite
def hand_npy(draw: st.DrawFn) -> bytes:
    """A ``.npy`` whose header text is put together from random (or hostile) Python literals."""
    header = "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (draw(literals), draw(literals), draw(literals))
    version = draw(st.sampled_from([(1, 0), (2, 0), (3, 0), (0, 0), (1, 1)]))
    text = header.encode("utf-8", "surrogatepass")
    width = 2 if version[0] == 1 else 4
    size = (len(text) % (1 << (8 * width))).to_bytes(width, "little")  # a 70000-byte header wraps in 1.0
    if draw(st.booleans()):  # sometimes lie about the header length
        size = draw(st.binary(min_size=len(size), max_size=len(size)))
    return b"\x93NUMPY" + bytes(version) + size + text + draw(st.binary(max_size=64))


member_ops = st.lists(
    st.one_of(
        st.tuples(st.just("bytes"), st.integers(0, 20), st.binary(max_size=300)),
        st.tuples(st.just("npy"), st.integers(0, 20), random_npy()),
        st.tuples(st.just("header"), st.integers(0, 20), hand_npy()),
        st.tuples(st.just("drop"), st.integers(0, 20), st.none()),
        st.tuples(st.just("duplicate"), st.integers(0, 20), st.one_of(st.none(), random_npy())),
        st.tuples(st.just("rename"), st.integers(0, 20), member_names),
    ),
    min_size=1, max_size=4,
)


@FUZZ
@given(source=sources, compression=st.sampled_from(COMPRESSIONS), ops=member_ops, output=outputs)
def test_member_level_damage_is_a_filterbank_error_or_a_sound_result(archives, source, compression, ops, output):
    items = members(archives["blobs"][source])
    for op, index, arg in ops:
        if not items:
            break
        i = index % len(items)
        name, data = items[i]
        if op in ("bytes", "npy", "header"):
            items[i] = (name, arg)
        elif op == "drop":
            del items[i]
        elif op == "duplicate":
            items.append((name, data if arg is None else arg))
        elif op == "rename":
            items[i] = (arg, data)
    check_archive(archives, pack(items, compression), output)


# ---------------------------------------------------------------- the JSON record

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=8)),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
    max_leaves=12,
)
small_ints = st.lists(st.integers(-2, 40), max_size=4)
plausible = st.one_of(
    small_ints,
    st.sampled_from([*MODES, *INPUT_DTYPES, "object", "<U5", "float128", "complex128", "db2", "haar", "nonesuch",
                     "filterbank-coefficients", 0, 1, 2, 99, True, [True], [1.0], [2**62], [0], [], {}, "", None]),
    st.lists(st.lists(st.sampled_from(["a", "d", "ad", "da", "dd", "aa", "ddd", "x", ""]), max_size=4), max_size=3),
    st.dictionaries(st.sampled_from(["a", "d1_d", "d2_d", "d1_ad", "d1_da", "d1_dd", "d2_dd", "bank_dec_lo", "zz"]),
                    small_ints, max_size=4),
)
FIELDS = ["format", "format_version", "level", "mode", "axes", "dtype", "input", "input.shape", "input.dtype",
          "input.image", "spec", "spec.name", "spec.yaml", "subbands", "subbands.0", "subbands.1", "shapes",
          "shapes.a", "shapes.d1_d", "shapes.d2_dd", "shapes.bank_dec_lo", "shapes.__filterbank__", "shapes.zz"]
record_ops = st.lists(
    st.tuples(st.sampled_from(FIELDS), st.one_of(st.none(), json_values, plausible), st.booleans()),
    min_size=1, max_size=4,
)


def set_field(record: Any, path: str, value: Any, delete: bool) -> None:
    *parents, last = path.split(".")
    for key in parents:
        if isinstance(record, dict) and key in record:
            record = record[key]
        elif isinstance(record, list) and key.isdigit() and int(key) < len(record):
            record = record[int(key)]
        else:
            return
    if isinstance(record, dict):
        if delete:
            record.pop(last, None)
        else:
            record[last] = value
    elif isinstance(record, list) and last.isdigit() and int(last) < len(record):
        if delete:
            del record[int(last)]
        else:
            record[int(last)] = value


@FUZZ
@given(source=sources, ops=record_ops, whole=st.one_of(st.none(), json_values), output=outputs,
       as_array=st.sampled_from(["0-d", "0-d", "0-d", "1-d", "bytes"]))
def test_random_json_records_are_a_filterbank_error_or_a_sound_result(archives, source, ops, whole, output, as_array):
    blob = archives["blobs"][source]
    record: Any = record_of(blob)
    for path, value, delete in ops:
        set_field(record, path, value, delete)
    if whole is not None and not ops[0][2]:
        record = whole
    text = json.dumps(record)
    meta = {"0-d": np.array(text), "1-d": np.array([text, text]), "bytes": np.array(text.encode("utf-8", "surrogatepass"))}[as_array]
    items = [(n, npy_bytes(meta) if n == "__filterbank__.npy" else d) for n, d in members(blob)]
    check_archive(archives, pack(items), output)


# ---------------------------------------------------------------- consistent archives that reach the transform

letters = st.integers(1, 3).flatmap(lambda n: st.lists(st.text("ad", min_size=n, max_size=n), min_size=1, max_size=4))


@st.composite
def consistent_archives(draw: st.DrawFn, tmp: Path) -> bytes:
    """An archive `write_coefficients` writes from random metadata, subbands and taps (all shapes recorded right)."""
    ndim = draw(st.integers(1, 3))
    shape = draw(st.lists(st.integers(1, 12), min_size=ndim, max_size=ndim))
    naxes = draw(st.integers(1, ndim))
    axes = draw(st.permutations(range(ndim)))[:naxes]
    if draw(st.integers(0, 9)) == 0:
        axes = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    keys = ["".join(k) for k in itertools.product("ad", repeat=len(axes)) if "d" in k]
    arrays = st.lists(st.integers(0, 8), min_size=1, max_size=3).flatmap(
        lambda s: st.builds(lambda v: np.full(s, v), st.floats(-1e3, 1e3) | st.sampled_from([0.0, np.nan, np.inf, 1e300])))
    level = draw(st.integers(0, 3))
    base = draw(arrays)
    matching = st.just(base.shape).map(lambda s: np.ones(s)) | arrays
    coeffs: list[Any] = [base]
    for _ in range(level):
        chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=len(keys), unique=True)) if draw(st.booleans()) else keys
        coeffs.append({k: draw(matching) for k in chosen})
    taps = {t: np.asarray(draw(st.lists(st.floats(-2, 2), min_size=1, max_size=8)) if draw(st.integers(0, 3)) == 0
                          else [0.7071067811865476, 0.7071067811865476]) for t in TAP_NAMES}
    meta = {"level": level, "mode": draw(st.sampled_from(MODES)), "axes": list(axes), "spec": {"name": draw(st.sampled_from(["haar", "x"]))},
            "input": {"shape": shape, "dtype": draw(st.sampled_from(INPUT_DTYPES)), "image": draw(st.booleans())}}
    path = tmp / "w.npz"
    path.unlink(missing_ok=True)
    write_coefficients(path, coeffs, meta, taps, force=True)
    return path.read_bytes()


@FUZZ
@given(data=st.data(), output=outputs)
def test_consistent_but_wrong_archives_reach_the_transform_and_fail_cleanly(archives, data, output):
    scratch = Path(tempfile.mkdtemp(dir=archives["root"], prefix="w-"))
    try:
        blob = data.draw(consistent_archives(scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    check_archive(archives, blob, output)
