"""The adversarial catalogue (issue 11): hostile specs, files and command lines.

Each case asserts the error type, the words of its message and, for files and
the command line, the state of the folder afterwards: nothing written unless
the case says so, nothing outside the output folder, no temporary file left.
The command line runs in-process through ``filterbank.cli.main`` (the exit
code and stderr are what a shell sees). How outputs are written (full disks,
races, signals) is tested in ``test_cli_writes.py``.
"""

from __future__ import annotations

import errno
import json
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

import filterbank as fb
from filterbank.cli import main
from filterbank.cli._archive import read_coefficients, write_coefficients
from filterbank.cli._inputs import read_items
from filterbank.cli._write import TEMP_SUFFIX

ROOT = Path(__file__).resolve().parents[1]
TAPS = {k: np.array([0.5, 0.5]) for k in ("dec_lo", "dec_hi", "rec_lo", "rec_hi")}
META = {"level": 1, "mode": "symmetric", "axes": [0], "spec": {"name": "haar"},
        "input": {"shape": [4], "dtype": "float64", "image": False}}


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name -> content), asserting no temporary is among them."""
    out = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert not [n for n in out if n.endswith(TEMP_SUFFIX)], f"temporary files left: {sorted(out)}"
    return out


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``filterbank ARGS`` in-process; return the exit code and stderr, asserting an error is one line."""
    code = main(list(args))
    err = capsys.readouterr().err
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return code, err


# ---------------------------------------------------------------- specs

def kaiser(**kw: object) -> str:
    params = {"ripple": 60, "width": 0.1, "cutoff": 0.5, **kw}
    inner = ", ".join(f"{k}: {v}" for k, v in params.items())
    return f"filterbank: 1\nfilters:\n  dec_lo: {{design: kaiser, {inner}}}\nperfect_reconstruction: false\n"


def firwin(**kw: object) -> str:
    params = {"numtaps": 8, "cutoff": 0.5, **kw}
    inner = ", ".join(f"{k}: {v}" for k, v in params.items())
    return f"filterbank: 1\nfilters:\n  dec_lo: {{design: firwin, {inner}}}\nperfect_reconstruction: false\n"


BAD_YAML = {
    "kaiser ripple 5": (kaiser(ripple=5), r"filters\.dec_lo\.ripple: must be a number of dB in \[8, 300\].*; got 5$"),
    "400-digit cutoff": (firwin(cutoff="1" * 400), r"filters\.dec_lo\.cutoff: must be a finite number .*; got 1111"),
    "5000-digit numtaps": (firwin(numtaps="7" * 5000), r"yaml: an integer of 5000 digits \(line 3\) is longer than 1000"),
    "chebwin -1e308": (firwin(window="[chebwin, -1e308]"),
                       r"filters\.dec_lo: scipy\.signal\.firwin refused the parameters: OverflowError"),
    "kaiser width 1e-320": (kaiser(width="1e-320"),
                            r"filters\.dec_lo\.width: with this ripple needs an unbounded number of taps.*; got 1e-320$"),
    "kaiser width too narrow": (kaiser(ripple=120, width="1e-9"),
                                r"filters\.dec_lo\.width: with this ripple needs \d+ taps, more than the limit 16384"),
    "NUL byte": ("filterbank: 1\nwavelet: db2\x00\n", r"holds the control character #x0000 at position 26"),
    "other control character": ("filterbank: 1\nname: a\x07b\nwavelet: db2\n", r"control character #x0007"),
    "duplicate top key": ("filterbank: 1\nwavelet: db2\nwavelet: db4\n",
                          r"yaml: key 'wavelet' appears twice in one mapping \(lines 2 and 3\)"),
    "duplicate nested key": (firwin(numtaps="8, numtaps: 16"), r"key 'numtaps' appears twice .*\(lines 3 and 3\)"),
    "duplicate version": ("filterbank: 1\nfilterbank: 1\nwavelet: db2\n", r"key 'filterbank' appears twice"),
    "base-60 numtaps": (firwin(numtaps="1:30"), r"filters\.dec_lo\.numtaps: must be an integer in \[1, 16384\]; got '1:30'$"),
    "base-60 level": ("filterbank: 1\nwavelet: db2\nlevel: 1:00\n", r"^level: must be an integer in \[1, 64\]; got '1:00'$"),
    "base-60 float cutoff": (firwin(cutoff="0:30.5"), r"filters\.dec_lo\.cutoff: must be a list .*; got '0:30\.5'$"),
    "octal numtaps": (firwin(numtaps="010"), r"numtaps: must be an integer in \[1, 16384\]; got '010'$"),
    "version 1.0": ("filterbank: 1.0\nwavelet: db2\n", r"^filterbank: must be 1, .*written as an integer; got 1\.0$"),
    "version '1'": ("filterbank: '1'\nwavelet: db2\n", r"^filterbank: must be 1, .*written as an integer; got '1'$"),
    "merge key": ("filterbank: 1\n<<: {wavelet: db2}\n", r"yaml: merge keys \(<<\) are not allowed in a spec \(line 2\)"),
    "tolerance 400 digits": ("filterbank: 1\nwavelet: db2\ntolerance: " + "9" * 400 + "\n",
                             r"^tolerance: must be a finite number in \(0, 1\]; got 9999"),
    "fs infinite": (firwin(fs="1e999"), r"filters\.dec_lo\.fs: must be a finite number in \(0, inf\); got inf$"),
}


@pytest.mark.parametrize("case", sorted(BAD_YAML), ids=str)
def test_hostile_yaml_is_a_spec_error_naming_key_rule_and_value(case, tmp_path):
    text, message = BAD_YAML[case]
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    with pytest.raises(fb.SpecError, match=message) as info:
        fb.load(str(path))
    assert isinstance(info.value, fb.FilterBankError)


BAD_DICTS = {
    "ripple 5": ({"design": "kaiser", "ripple": 5, "width": 0.1, "cutoff": 0.5}, r"ripple: must be a number of dB"),
    "cutoff 10**400": ({"design": "firwin", "numtaps": 8, "cutoff": 10**400}, r"cutoff: must be a finite number"),
    "numtaps 10**5000": ({"design": "firwin", "numtaps": 10**5000, "cutoff": 0.5},
                         r"numtaps: must be an integer in \[1, 16384\]; got an integer of about 5001 digits$"),
    "chebwin -1e308": ({"design": "firwin", "numtaps": 8, "cutoff": 0.5, "window": ["chebwin", -1e308]},
                       r"firwin refused the parameters: OverflowError"),
    "width 1e-320": ({"design": "kaiser", "ripple": 60, "width": 1e-320, "cutoff": 0.5}, r"width: with this ripple"),
}


@pytest.mark.parametrize("case", sorted(BAD_DICTS), ids=str)
def test_python_api_raises_spec_errors_not_value_or_overflow_errors(case):
    params, message = BAD_DICTS[case]
    spec = {"filterbank": 1, "filters": {"dec_lo": params}, "perfect_reconstruction": False}
    with pytest.raises(fb.SpecError, match=r"^filters\.dec_lo[.:].*" + message):
        fb.load(spec)


def test_overflowing_taps_fail_the_check_and_the_load():
    bank = fb.FilterBank(name="huge", dec_lo=[1e308, 1e308], dec_hi=[1e308, -1e308], rec_lo=[1, 1], rec_hi=[1, -1])
    report = bank.check()
    assert not report.ok
    assert "PR error" in report.non_finite and "aliasing error" in report.non_finite
    assert "figure(s) are not finite" in report.problem() and "scale them down" in report.problem()
    with pytest.raises(fb.PerfectReconstructionError, match=r"bank 'custom' cannot be checked: \d+ figure\(s\) are not finite"):
        fb.load({"filterbank": 1, "filters": {"dec_lo": [1e308, 1e308]}})


CHECK_CLI = ["kaiser ripple 5", "400-digit cutoff", "5000-digit numtaps", "chebwin -1e308", "kaiser width 1e-320",
             "NUL byte", "duplicate top key", "base-60 numtaps", "version 1.0"]


@pytest.mark.parametrize("case", CHECK_CLI)
def test_check_command_answers_hostile_specs_in_one_line(case, tmp_path, capsys):
    text, message = BAD_YAML[case]
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    code, err = run(capsys, "check", str(path))
    assert code == 2
    assert err.startswith(f"filterbank check: error: {path}: ")
    assert re.search(message.lstrip("^"), err.strip()), err


def test_check_command_fails_a_bank_with_overflowing_taps(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("filterbank: 1\nfilters:\n  dec_lo: [1e308, 1e308]\n")
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "filterbank check: bank 'huge' cannot be checked" in captured.err and "not finite" in captured.err
    assert "EXCEEDS tolerance" in captured.out


# ---------------------------------------------------------------- input files

def npy_header(path: Path, shape: tuple[int, ...], descr: str = "<f8", data: bytes = b"") -> Path:
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": descr, "fortran_order": False, "shape": shape})
        f.write(data)
    return path


def png_header(path: Path, width: int, height: int, colour: int = 2) -> Path:
    """A PNG whose header declares ``width x height`` (colour type 2: RGB, 0: grey) and holds almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    return path


def make_input(kind: str, d: Path) -> Path:
    """One hostile input file of the given kind in ``d``."""
    if kind == "npy 2**40 elements":
        return npy_header(d / "x.npy", (1 << 40,))
    if kind == "npy pickled objects":
        np.save(d / "x.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    elif kind == "npy strings":
        np.save(d / "x.npy", np.array(["hello", "world"]))
    elif kind == "npy datetime64":
        np.save(d / "x.npy", np.array(["2024-01-01"], dtype="datetime64[D]"))
    elif kind == "npy complex":
        np.save(d / "x.npy", np.ones(4, dtype=complex))
    elif kind == "npy truncated data":
        npy_header(d / "x.npy", (100,), data=b"\0" * 80)
    elif kind == "npy corrupt header":
        (d / "x.npy").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': <f8, !!}\n")
    elif kind == "npy format 3":
        (d / "x.npy").write_bytes(b"\x93NUMPY\x03\x00" + b"\0" * 64)
    elif kind == "npy foreign":
        (d / "x.npy").write_bytes(b"just some text\n")
    elif kind == "npz truncated":
        np.savez(d / "x.npz", a=np.ones(100), b=np.zeros(100))
        (d / "x.npz").write_bytes((d / "x.npz").read_bytes()[:300])
    elif kind == "npz foreign":
        (d / "x.npz").write_bytes(b"not a zip file at all")
    elif kind == "npz empty":
        zipfile.ZipFile(d / "x.npz", "w").close()
    elif kind == "npz other member":
        with zipfile.ZipFile(d / "x.npz", "w") as z:
            z.writestr("notes.txt", "hello")
    elif kind == "npz member 2**40 elements":
        with zipfile.ZipFile(d / "x.npz", "w") as z:
            z.writestr("a.npy", npy_header(d / "h.bin", (1 << 40,)).read_bytes())
        (d / "h.bin").unlink()
    elif kind == "npz pickled member":
        np.savez(d / "x.npz", a=np.array([None, 1], dtype=object))
    elif kind == "png 20000x20000":
        return png_header(d / "x.png", 20000, 20000)
    elif kind == "png corrupt":
        (d / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    return next(p for p in d.iterdir() if p.name.startswith("x."))


BAD_INPUTS = {
    "npy 2**40 elements": r"declares shape \(1099511627776,\): 8\.0 TiB at 8 bytes per element, more than the memory budget of 2\.0 GiB",
    "npy pickled objects": r"holds Python objects \(a pickle\), which filterbank never loads",
    "npy strings": r"must hold bool, signed integer, unsigned integer or float values; got dtype <U5",
    "npy datetime64": r"must hold .* values; got dtype datetime64\[D\]",
    "npy complex": r"must hold .* values; got dtype complex128",
    "npy truncated data": r"is truncated: its header declares shape \(100,\) float64 \(800 bytes\), the file holds 80",
    "npy corrupt header": r"has a corrupt \.npy header",
    "npy format 3": r"uses \.npy format version 3\.0; this filterbank reads 1\.0 and 2\.0",
    "npy foreign": r"is not a \.npy array \(it starts with b'just s', not b'\\x93NUMPY'\)",
    "npz truncated": r"is a truncated or corrupt \.npz archive \(BadZipFile",
    "npz foreign": r"is not a \.npz archive \(it starts with b'not ', not a zip header\)",
    "npz empty": r"holds no arrays",
    "npz other member": r"holds 'notes\.txt', which is not a \.npy array",
    "npz member 2**40 elements": r"x\.npz:a' declares shape \(1099511627776,\)",
    "npz pickled member": r"x\.npz:a' holds Python objects",
    "png 20000x20000": r"declares shape \(20000, 20000, 3\): 8\.9 GiB at 8 bytes per element, more than the memory budget",
    "png corrupt": r"is not a readable image",
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS), ids=str)
def test_hostile_input_files_are_refused_before_allocation(kind, tmp_path, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    path = make_input(kind, src)
    before = files(tmp_path)
    with pytest.raises(fb.InputError, match=BAD_INPUTS[kind]):
        list(read_items([path], 2 << 30))
    code, err = run(capsys, "decompose", "haar", str(path), "-o", str(out / "c.npz"), "-q")
    assert code == 2 and err.startswith("filterbank decompose: error: input ")
    assert files(tmp_path) == before, "a refused input must not write anything"


def test_zip_bomb_member_is_refused_by_its_declared_size(tmp_path, capsys):
    np.savez_compressed(tmp_path / "bomb.npz", x=np.zeros(8 << 20))  # 64 MiB of zeros in about 65 KiB
    assert (tmp_path / "bomb.npz").stat().st_size < 1 << 20
    code, err = run(capsys, "decompose", "haar", str(tmp_path / "bomb.npz"), "-o", str(tmp_path / "o"),
                    "--max-bytes", "16M")
    assert code == 2
    assert "bomb.npz:x' declares an uncompressed size of 64.0 MiB, more than the memory budget of 16.0 MiB" in err
    assert sorted(files(tmp_path)) == ["bomb.npz"]


def test_memory_budget_comes_from_the_environment(tmp_path, monkeypatch, capsys):
    png_header(tmp_path / "big.png", 11000, 11000, colour=0)  # 121 M grey pixels: 968 MB in float64
    monkeypatch.setenv("FILTERBANK_MAX_BYTES", "512M")
    code, err = run(capsys, "decompose", "haar", str(tmp_path / "big.png"), "-o", str(tmp_path / "o.npz"))
    assert code == 2 and "declares shape (11000, 11000): 923.2 MiB" in err and "budget of 512.0 MiB" in err
    monkeypatch.setenv("FILTERBANK_MAX_BYTES", "lots")
    code, err = run(capsys, "decompose", "haar", str(tmp_path / "big.png"), "-o", str(tmp_path / "o.npz"))
    assert code == 2 and "FILTERBANK_MAX_BYTES must be a positive size such as 4096, 512M or 2G; got 'lots'" in err
    assert sorted(files(tmp_path)) == ["big.png"]


@pytest.fixture
def signal_npy(tmp_path: Path) -> Path:
    np.save(tmp_path / "s.npy", np.arange(16.0))
    return tmp_path / "s.npy"


def test_running_out_of_memory_is_one_line(signal_npy, tmp_path, capsys, monkeypatch):
    import filterbank.cli._batch as decompose

    def exhausted(*args, **kw):
        raise MemoryError("Unable to allocate 8.00 TiB")

    monkeypatch.setattr(decompose, "decompose_items", exhausted)
    code, err = run(capsys, "decompose", "haar", str(signal_npy), "-o", str(tmp_path / "o.npz"))
    assert code == 2
    assert "out of memory decomposing 1 array(s) of shape (16,) (MemoryError: Unable to allocate 8.00 TiB)" in err
    assert "use a smaller --batch-size or --max-bytes" in err
    assert sorted(files(tmp_path)) == ["s.npy"]


def test_an_unexpected_exception_is_still_one_line(signal_npy, tmp_path, capsys, monkeypatch):
    import filterbank.cli._batch as decompose

    def broken(*args, **kw):
        raise TypeError("'NoneType' object is not subscriptable\nsecond line")

    monkeypatch.setattr(decompose, "decompose_items", broken)
    code, err = run(capsys, "decompose", "haar", str(signal_npy), "-o", str(tmp_path / "o.npz"))
    assert code == 70 and len(err.strip().splitlines()) == 1
    assert err.startswith("filterbank decompose: internal error: TypeError: 'NoneType' object is not subscriptable (rerun")
    with pytest.raises(TypeError, match="not subscriptable"):
        main(["--debug", "decompose", "haar", str(signal_npy), "-o", str(tmp_path / "o.npz")])
    assert sorted(files(tmp_path)) == ["s.npy"]


# ---------------------------------------------------------------- outputs

@pytest.mark.parametrize("member", ["../../../victim", "/tmp/abs", "a/../../b", "C:\\x\\y", ".hidden", "new\nline"])
def test_npz_member_names_never_write_outside_the_output_folder(member, tmp_path, capsys):
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    np.savez(work / "x.npz", **{member: np.arange(8.0), "ok": np.ones(8)})
    (tmp_path / "victim.npz").write_bytes(b"precious")
    code, _ = run(capsys, "decompose", "haar", str(work / "x.npz"), "-o", str(work / "out"), "-q", "--force")
    assert code == 0
    outside = {n: c for n, c in files(tmp_path).items() if not n.startswith("a/b/c/out/")}
    assert outside == {"a/b/c/x.npz": (work / "x.npz").read_bytes(), "victim.npz": b"precious"}
    written = sorted(p.name for p in (work / "out").iterdir())
    assert len(written) == 2 and "x-ok.npz" in written
    assert all(n.startswith("x-") and "/" not in n and "\\" not in n for n in written)


@pytest.mark.parametrize("member", ["..", "...", "", "x" * 121])
def test_unusable_member_name_is_refused_before_any_work(member, tmp_path, capsys):
    np.savez(tmp_path / "x.npz", **{member: np.ones(4), "ok": np.ones(4)})
    code, err = run(capsys, "decompose", "haar", str(tmp_path / "x.npz"), "-o", str(tmp_path / "out"))
    assert code == 2 and f"holds an array named {member[:60]!r}, which cannot name an output file" in err
    assert sorted(files(tmp_path)) == ["x.npz"]


def test_output_whose_parent_is_a_file(signal_npy, tmp_path, capsys):
    (tmp_path / "plain").write_bytes(b"x")
    code, err = run(capsys, "decompose", "haar", str(signal_npy), "-o", str(tmp_path / "plain" / "deeper" / "o.npz"))
    assert code == 2 and f"{str(tmp_path / 'plain')!r} is a file, not a folder" in err
    assert sorted(files(tmp_path)) == ["plain", "s.npy"]


@pytest.mark.parametrize("code_name", ["EROFS", "ENOSPC", "EACCES"])
def test_unwritable_file_systems_give_one_line_and_leave_nothing(code_name, signal_npy, tmp_path, capsys, monkeypatch):
    import filterbank.cli._write as w

    real = os.open

    def refuse(path, *args, **kw):
        if str(path).endswith(TEMP_SUFFIX):
            raise OSError(getattr(errno, code_name), os.strerror(getattr(errno, code_name)), str(path))
        return real(path, *args, **kw)

    monkeypatch.setattr(w.os, "open", refuse)
    (tmp_path / "o.npz").write_bytes(b"old")
    code, err = run(capsys, "decompose", "haar", str(signal_npy), "-o", str(tmp_path / "o.npz"), "--force")
    assert code == 2 and f"cannot write output {str(tmp_path / 'o.npz')!r}: {os.strerror(getattr(errno, code_name))} ({code_name})" in err
    assert files(tmp_path)["o.npz"] == b"old"


# ---------------------------------------------------------------- coefficient files

def tampered(tmp_path: Path, *, meta: dict | None = None, arrays: dict | None = None, raw: str | None = None) -> Path:
    good = write_coefficients(tmp_path / "good.npz", [np.ones(2), {"d": np.zeros(2)}], META, TAPS, force=False)
    with np.load(good) as z:
        content = dict(z)
    good.unlink()
    record = json.loads(str(content["__filterbank__"]))
    for key, value in (meta or {}).items():
        record[key] = value
    content["__filterbank__"] = np.array(raw if raw is not None else json.dumps(record))
    content.update(arrays or {})
    np.savez(tmp_path / "c.npz", **content)
    return tmp_path / "c.npz"


TAMPERED = {
    "negative shape": ({"meta": {"input": {"shape": [-4], "dtype": "float64"}}},
                       r"input\.shape must be a list of 1 to 32 integers >= 1; got \[-4\]"),
    "object dtype": ({"meta": {"input": {"shape": [4], "dtype": "object"}}}, r"input\.dtype must be one of bool, .*; got 'object'"),
    "datetime dtype": ({"meta": {"input": {"shape": [4], "dtype": "datetime64"}}}, r"input\.dtype must be one of .*; got 'datetime64'"),
    "string dtype": ({"meta": {"input": {"shape": [4], "dtype": "<U5"}}}, r"input\.dtype must be one of .*; got '<U5'"),
    "huge shape": ({"meta": {"input": {"shape": [1 << 40], "dtype": "float64"}}}, r"input\.shape declares shape \(1099511627776,\)"),
    "bool in shape": ({"meta": {"input": {"shape": [True], "dtype": "float64"}}}, r"input\.shape must be a list .*; got \[True\]"),
    "unknown mode": ({"meta": {"mode": "wrap"}}, r"mode must be one of .*; got 'wrap'"),
    "axis out of range": ({"meta": {"axes": [3]}}, r"axes must be distinct integers in \[0, 0\]; got \[3\]"),
    "newer format": ({"meta": {"format_version": 99}}, r"format_version 99 is not one this filterbank reads"),
    "bad subband keys": ({"meta": {"subbands": [["x"]]}}, r"subbands\[0\] must list keys of 1 letters a/d with a d; got \['x'\]"),
    "not JSON": ({"raw": "{not json"}, r"'__filterbank__' record is not valid JSON \(JSONDecodeError\)"),
    "deep JSON": ({"raw": "[" * 100000 + "]" * 100000}, r"record is not valid JSON \(RecursionError\)"),
    "string taps": ({"arrays": {"bank_dec_lo": np.array(["0.5", "0.5"])}}, r"c\.npz:bank_dec_lo' must hold float values; got dtype <U3"),
    "pickled subband": ({"arrays": {"a": np.array([None, 1.0], dtype=object)}}, r"c\.npz:a' holds Python objects"),
    "non-finite taps": ({"arrays": {"bank_rec_hi": np.array([np.nan, 1.0])}}, r"bank_rec_hi must be a non-empty 1-D array of finite taps"),
    "2-D taps": ({"arrays": {"bank_rec_hi": np.ones((2, 2))}}, r"bank_rec_hi must be a non-empty 1-D array .*got shape \(2, 2\)"),
}


@pytest.mark.parametrize("case", sorted(TAMPERED), ids=str)
def test_tampered_coefficient_files_are_refused_clearly(case, tmp_path, capsys):
    changes, message = TAMPERED[case]
    path = tampered(tmp_path, **changes)
    with pytest.raises(fb.CoefficientsError, match=message):
        read_coefficients(path)
    before = files(tmp_path)
    code, err = run(capsys, "reconstruct", str(path), "-o", str(tmp_path / "back.npy"))
    assert code == 2 and err.startswith("filterbank reconstruct: error: ") and "c.npz" in err
    assert files(tmp_path) == before
