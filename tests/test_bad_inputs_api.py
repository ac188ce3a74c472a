"""The adversarial catalogue (issue 11) through the Python API: malformed coefficients, plans, levels.

Each case asserts the error class (a :class:`filterbank.FilterBankError`) and the
words of its message: the function, the position in the coefficient list, the
rule and what was received. ``test_a_fresh_process_refuses_without_tensorflow``
checks that the refusals come before TensorFlow is imported. What malformed
input *is* still accepted (None for zeros, PyWavelets' layouts) is asserted at
the end. The hypothesis fuzzer over the same functions is ``test_fuzz_api.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import pywt

import filterbank as fb

ROOT = Path(__file__).resolve().parents[1]

X4, X8, X16 = np.ones(4), np.ones(8), np.arange(16.0)
A2, A3 = np.ones((4, 4)), np.ones((4, 4, 4))
CE, TE, IE = fb.CoefficientsError, fb.FilterBankTypeError, fb.InputError
DWT_LIST = r"\[cA_n, details_n, \.\.\., details_1\]"
NESTING = r" \(one level of nesting too many\?\)$"
KEYS = r"subband keys are strings of 'a' and 'd', one letter per axis; got "
RANKS = r"every coefficient array must have the same number of dimensions; "
SWT_SHAPE = r"every coefficient array must have the input's shape, "
APPROX_KEY = r"holds the approximation 'aa'; a detail dict holds only detail subbands \(the approximation is coeffs\[0\]\)$"
INPUT_LEN = r"^input_len must be a positive integer or a sequence of them; got "
PLAN_SHAPE = r"^shape must be a non-empty sequence of positive integers; got "


def generator(*items):
    yield from items


# name: (call, error class, message regex)
CASES = {
    # waverec: the list, its leaves, their ranks
    "waverec str": (lambda: fb.waverec("abc", "haar"), CE, rf"^waverec: coeffs must be a list {DWT_LIST}; got str 'abc'$"),
    "waverec None": (lambda: fb.waverec(None, "haar"), CE, rf"^waverec: coeffs must be a list {DWT_LIST}; got None$"),
    "waverec generator": (lambda: fb.waverec(generator(X4, X4), "haar"), CE, rf"coeffs must be a list {DWT_LIST}; got generator$"),
    "waverec dict": (lambda: fb.waverec({"a": X4}, "haar"), CE, r"coeffs must be a list .*; got a dict with keys \['a'\]$"),
    "waverec int": (lambda: fb.waverec(5, "haar"), CE, rf"^waverec: coeffs must be a list {DWT_LIST}; got 5$"),
    "waverec array": (lambda: fb.waverec(np.ones((2, 4)), "haar"), CE, r"coeffs must be a list .*; got an array of shape \(2, 4\)$"),
    "waverec empty": (lambda: fb.waverec([], "haar"), CE, rf"^waverec: coeffs must be a non-empty list {DWT_LIST}; got an empty list$"),
    "waverec only None": (lambda: fb.waverec([None], "haar"), CE, r"^waverec: coeffs\[0\] must be an array; got None$"),
    "waverec lone str": (lambda: fb.waverec(["abc"], "haar"), TE, r"^waverec: coeffs\[0\] must be an array; got str 'abc'$"),
    "waverec str leaf": (lambda: fb.waverec([X4, "abcd"], "haar"), TE, r"^waverec: coeffs\[1\] must be an array; got str 'abcd'$"),
    "waverec object leaf": (lambda: fb.waverec([X4, object()], "haar"), TE, r"^waverec: coeffs\[1\] must be an array; got object$"),
    "waverec unicode array": (lambda: fb.waverec([X4, np.array(list("abcd"))], "haar"), TE,
                              r"^waverec: coeffs\[1\] must be numeric \(bool, int, float or complex\); got dtype <U1$"),
    "waverec ranks": (lambda: fb.waverec([X4, A2], "haar"), CE, rf"^waverec: {RANKS}coeffs\[0\] has 1, coeffs\[1\] has 2$"),
    "waverec nested detail": (lambda: fb.waverec([X4, [X4]], "haar"), CE,
                              r"^waverec: coeffs\[1\] must be an array \(cD\); got a list of 1 item\(s\)$"),
    "waverec 0-d": (lambda: fb.waverec([np.float64(1), np.float64(2)], "haar"), IE,
                    r"^waverec: coeffs\[0\] must have at least one dimension; got a 0-d \(scalar\) value$"),
    "waverec empty leaf": (lambda: fb.waverec([np.ones(0), X4], "haar"), IE, r"^waverec: coeffs\[0\] must not be empty; got shape \(0,\)$"),
    "waverec ragged approx": (lambda: fb.waverec([[[1.0, 2.0], [3.0]], X4], "haar"), TE, r"^waverec: coeffs\[0\] must be array-like; got list"),
    "waverec tuple approx": (lambda: fb.waverec([(X4, X4), X4], "haar"), CE,
                             r"^waverec: coeffs\[0\] must be an array; got a tuple of 2 item\(s\)" + NESTING),
    # waverec2: a level tuple of 2 (or 4), strings and dicts for levels
    "waverec2 level of 2": (lambda: fb.waverec2([A2, (A2, A2)], "haar"), CE,
                            r"^waverec2: coeffs\[1\] must be a \(cH, cV, cD\) tuple; got a tuple of 2 item\(s\)$"),
    "waverec2 level of 4": (lambda: fb.waverec2([A2, (A2,) * 4], "haar"), CE, r"coeffs\[1\] must be a \(cH, cV, cD\) tuple; got a tuple of 4 item\(s\)$"),
    "waverec2 str level": (lambda: fb.waverec2([A2, "abc"], "haar"), CE, r"^waverec2: coeffs\[1\] must be a \(cH, cV, cD\) tuple; got str 'abc'$"),
    "waverec2 dict level": (lambda: fb.waverec2([A2, {"da": A2}], "haar"), CE, r"tuple; got a dict with keys \['da'\]$"),
    "waverec2 generator level": (lambda: fb.waverec2([A2, generator(A2, A2, A2)], "haar"), CE, r"coeffs\[1\] must be a \(cH, cV, cD\) tuple; got generator$"),
    "waverec2 str leaf": (lambda: fb.waverec2([A2, ("a", A2, A2)], "haar"), TE, r"^waverec2: coeffs\[1\]\[0\] must be an array; got str 'a'$"),
    "waverec2 nested leaf": (lambda: fb.waverec2([A2, (A2, (A2, A2), A2)], "haar"), CE,
                             r"^waverec2: coeffs\[1\]\[1\] must be an array; got a tuple of 2 item\(s\)" + NESTING),
    "waverec2 ranks": (lambda: fb.waverec2([A2, (A2, A2, A3)], "haar"), CE, rf"^waverec2: {RANKS}coeffs\[0\] has 2, coeffs\[1\]\[2\] has 3$"),
    "waverec2 all None": (lambda: fb.waverec2([None, (None, None, None)], "haar"), CE,
                          r"^waverec2: at least one coefficient must be an array; all are None$"),
    # waverecn: unknown, mixed and approximation keys; empty dicts
    "waverecn key xx": (lambda: fb.waverecn([A2, {"xx": A2, "ad": A2}], "haar"), CE, rf"^waverecn: coeffs\[1\]: {KEYS}'xx'$"),
    "waverecn empty key": (lambda: fb.waverecn([A2, {"": A2}], "haar"), CE, rf"^waverecn: coeffs\[1\]: {KEYS}''$"),
    "waverecn int key": (lambda: fb.waverecn([A2, {1: A2}], "haar"), CE, rf"^waverecn: coeffs\[1\]: {KEYS}1$"),
    "waverecn mixed keys": (lambda: fb.waverecn([A2, {"a": A2, "ad": A2}], "haar"), CE,
                            r"^waverecn: coeffs\[1\]: subband keys must all have one length \(one letter per axis\); got \['a', 'ad'\]$"),
    "waverecn keys across levels": (lambda: fb.waverecn([A2, {"ad": A2}, {"aad": A2}], "haar"), CE,
                                    r"^waverecn: subband keys must have one length at every level \(one letter per axis\); got lengths \[2, 3\]$"),
    "waverecn approximation key": (lambda: fb.waverecn([A2, {"aa": A2, "ad": A2}], "haar"), CE, rf"^waverecn: coeffs\[1\] {APPROX_KEY}"),
    "waverecn empty dicts, no approximation": (lambda: fb.waverecn([None, {}, {}], "haar"), CE,
                                               r"^waverecn: at least one coefficient must be an array; all are None$"),
    "wavedec2 integer axes": (lambda: fb.wavedec2(A2, "haar", axes=1), TE, r"^axes must be a pair of integers; got 1$"),
    "waverec2 integer axes": (lambda: fb.waverec2(fb.wavedec2(A2, "haar"), "haar", axes=1), TE,
                              r"^axes must be a pair of integers; got 1$"),
    "waverecn None subband": (lambda: fb.waverecn([A2, {}, {"ad": None, "dd": A2}], "haar"), CE,
                              r"^waverecn: coeffs\[2\] sets subbands \['ad'\] to None; a multi-level inverse needs "
                              r"every given subband as an array \(use zeros of its shape, or leave the key out\)$"),
    "waverecn all None": (lambda: fb.waverecn([None, {"ad": None}], "haar"), CE,
                          r"^waverecn: at least one coefficient must be an array; all are None$"),
    "waverecn tuple level": (lambda: fb.waverecn([A2, (A2, A2, A2)], "haar"), CE,
                             r"^waverecn: coeffs\[1\] must be a dict of detail subbands; got a tuple of 3 item\(s\)$"),
    "waverecn str leaf": (lambda: fb.waverecn([A2, {"ad": "abc"}], "haar"), TE, r"^waverecn: coeffs\[1\]\['ad'\] must be an array; got str 'abc'$"),
    "waverecn object approx": (lambda: fb.waverecn([object(), {"ad": A2}], "haar"), TE, r"^waverecn: coeffs\[0\] must be an array; got object$"),
    "waverecn ranks": (lambda: fb.waverecn([A2, {"ad": A3, "da": A2}], "haar"), CE, rf"^waverecn: {RANKS}coeffs\[0\] has 2, coeffs\[1\]\['ad'\] has 3$"),
    "waverecn letters vs axes": (lambda: fb.waverecn([A2, {"d": A2}], "haar"), CE,
                                 r"^waverecn: subband keys have 1 letter\(s\) but axes has 2 entries: \(0, 1\)$"),
    "waverecn axes object": (lambda: fb.waverecn([A2, {"ad": A2}], "haar", axes=object()), IE,
                             r"^axes must be an integer, a sequence of integers or None; got <object object"),
    # idwt, idwt2, idwtn
    "idwt str cA": (lambda: fb.idwt("abc", X4, "haar"), TE, r"^idwt: cA must be an array; got str 'abc'$"),
    "idwt dict cD": (lambda: fb.idwt(X4, {"d": X4}, "haar"), CE, r"^idwt: cD must be an array; got a dict with keys \['d'\]" + NESTING),
    "idwt tuple cA": (lambda: fb.idwt((X4, X4), X4, "haar"), CE, r"^idwt: cA must be an array; got a tuple of 2 item\(s\)" + NESTING),
    "idwt shapes": (lambda: fb.idwt(X8, A2, "haar"), CE, r"^idwt: cA and cD must have the same shape; got \(8,\) and \(4, 4\)$"),
    "idwt2 str": (lambda: fb.idwt2("abc", "haar"), CE, r"^idwt2: coeffs must be a pair \(cA, \(cH, cV, cD\)\); got str 'abc'$"),
    "idwt2 None": (lambda: fb.idwt2(None, "haar"), CE, r"^idwt2: coeffs must be a pair \(cA, \(cH, cV, cD\)\); got None$"),
    "idwt2 flat triple": (lambda: fb.idwt2((A2, A2, A2), "haar"), CE, r"^idwt2: coeffs must be a pair .*; got a tuple of 3 item\(s\)$"),
    "idwt2 level of 2": (lambda: fb.idwt2((A2, (A2, A2)), "haar"), CE,
                         r"^idwt2: coeffs\[1\] must be a \(cH, cV, cD\) tuple; got a tuple of 2 item\(s\)$"),
    "idwt2 object approx": (lambda: fb.idwt2((object(), (A2, A2, A2)), "haar"), TE, r"^idwt2: coeffs\[0\] must be an array; got object$"),
    "idwt2 all None": (lambda: fb.idwt2((None, (None, None, None)), "haar"), CE, r"^idwt2: at least one coefficient must be an array; all are None$"),
    "idwtn list": (lambda: fb.idwtn([A2], "haar"), CE,
                   r"^idwtn: coeffs must be a non-empty dict of subbands \('aa', 'ad', \.\.\.\); got a list of 1 item\(s\)$"),
    "idwtn empty": (lambda: fb.idwtn({}, "haar"), CE, r"^idwtn: coeffs must be a non-empty dict of subbands .*; got an empty dict$"),
    "idwtn key xx": (lambda: fb.idwtn({"aa": A2, "xx": A2}, "haar"), CE, rf"^idwtn: coeffs: {KEYS}'xx'$"),
    "idwtn str leaf": (lambda: fb.idwtn({"aa": "abc"}, "haar"), TE, r"^idwtn: coeffs\['aa'\] must be an array; got str 'abc'$"),
    "idwtn ranks": (lambda: fb.idwtn({"aa": A2, "ad": A3}, "haar"), CE, rf"^idwtn: {RANKS}coeffs\['aa'\] has 2, coeffs\['ad'\] has 3$"),
    "idwtn all None": (lambda: fb.idwtn({"aa": None, "dd": None}, "haar"), CE, r"^idwtn: at least one coefficient must be an array; all are None$"),
    # iswt: extra arrays, mixed layouts, a missing approximation, shapes
    "iswt extra array": (lambda: fb.iswt([(X16, X16, X16)], "haar"), CE, r"^iswt: coeffs\[0\] must be a \(cA, cD\) pair; got a tuple of 3 item\(s\)$"),
    "iswt lone array in pair": (lambda: fb.iswt([(X16,)], "haar"), CE, r"^iswt: coeffs\[0\] must be a \(cA, cD\) pair; got a tuple of 1 item\(s\)$"),
    "iswt mixed layouts": (lambda: fb.iswt([(X16, X16), X16], "haar"), CE,
                           r"^iswt: coeffs\[1\] must be a \(cA, cD\) pair; got an array of shape \(16,\)$"),
    "iswt pair after trim": (lambda: fb.iswt([X16, (X16, X16)], "haar"), CE,
                             r"^iswt: coeffs\[1\] must be an array \(cD\); got a tuple of 2 item\(s\)$"),
    "iswt None approx": (lambda: fb.iswt([None, X16], "haar"), CE, r"^iswt: coeffs\[0\] must be an array; got None$"),
    "iswt None approx in pair": (lambda: fb.iswt([(None, X16)], "haar"), CE,
                                 r"^iswt: coeffs\[0\] must hold the approximation array; got a tuple of 2 item\(s\) whose approximation is None or missing$"),
    "iswt str": (lambda: fb.iswt("abc", "haar"), CE, r"^iswt: coeffs must be a list made by the forward transform; got str 'abc'$"),
    "iswt generator": (lambda: fb.iswt(generator((X16, X16)), "haar"), CE, r"^iswt: coeffs must be a list made by the forward transform; got generator$"),
    "iswt empty": (lambda: fb.iswt([], "haar"), CE, r"^iswt: coeffs must be a non-empty list made by the forward transform; got an empty list$"),
    "iswt shapes": (lambda: fb.iswt([X16, X8], "haar"), CE, rf"^iswt: {SWT_SHAPE}\(16,\) \(that of coeffs\[0\]\); coeffs\[1\] has \(8,\)$"),
    "iswt unused approx shape": (lambda: fb.iswt([(X16, X16), (X8, X16)], "haar"), CE, rf"^iswt: {SWT_SHAPE}\(16,\) .*; coeffs\[1\]\[0\] has \(8,\)$"),
    "iswt str leaf": (lambda: fb.iswt([X16, "abc"], "haar"), TE, r"^iswt: coeffs\[1\] must be an array; got str 'abc'$"),
    "iswt dict detail": (lambda: fb.iswt([X16, {"d": X16}], "haar"), CE, r"^iswt: coeffs\[1\] must be an array \(cD\); got a dict with keys \['d'\]$"),
    # iswt2
    "iswt2 extra array": (lambda: fb.iswt2([(A2, (A2, A2, A2), A2)], "haar"), CE,
                          r"^iswt2: coeffs\[0\] must be a \(cA, \(cH, cV, cD\)\) pair; got a tuple of 3 item\(s\)$"),
    "iswt2 level of 2": (lambda: fb.iswt2([(A2, (A2, A2))], "haar"), CE,
                         r"^iswt2: coeffs\[0\]\[1\] must be a \(cH, cV, cD\) tuple; got a tuple of 2 item\(s\)$"),
    "iswt2 dict level": (lambda: fb.iswt2([A2, {"da": A2}], "haar"), CE, r"^iswt2: coeffs\[1\] must be a \(cH, cV, cD\) tuple; got a dict with keys \['da'\]$"),
    "iswt2 None": (lambda: fb.iswt2([None], "haar"), CE, r"^iswt2: coeffs\[0\] must be an array; got None$"),
    "iswt2 shapes": (lambda: fb.iswt2([(A2, (A3, A2, A2))], "haar"), CE, rf"^iswt2: {SWT_SHAPE}\(4, 4\) .*; coeffs\[0\]\[1\]\[0\] has \(4, 4, 4\)$"),
    # iswtn
    "iswtn key xx": (lambda: fb.iswtn([{"aa": A2, "xx": A2}], "haar"), CE, rf"^iswtn: coeffs\[0\]: {KEYS}'xx'$"),
    "iswtn key xx after trim": (lambda: fb.iswtn([A2, {"ad": A2, "xx": A2}], "haar"), CE, rf"^iswtn: coeffs\[1\]: {KEYS}'xx'$"),
    "iswtn empty dict": (lambda: fb.iswtn([{}], "haar"), CE,
                         r"^iswtn: coeffs\[0\] must hold the approximation array; got an empty dict whose approximation is None or missing$"),
    "iswtn mixed keys": (lambda: fb.iswtn([{"aa": A2, "a": A2}], "haar"), CE, r"^iswtn: coeffs\[0\]: subband keys must all have one length"),
    "iswtn int key": (lambda: fb.iswtn([{1: A2}], "haar"), CE, rf"^iswtn: coeffs\[0\]: {KEYS}1$"),
    "iswtn tuple approx": (lambda: fb.iswtn([(A2, A2)], "haar"), CE, r"^iswtn: coeffs\[0\] must be an array; got a tuple of 2 item\(s\)" + NESTING),
    "iswtn mixed layouts": (lambda: fb.iswtn([{"aa": A2, "ad": A2}, A2], "haar"), CE,
                            r"^iswtn: coeffs\[1\] must be a dict of subbands like coeffs\[0\]; got an array of shape \(4, 4\)$"),
    "iswtn approximation key after trim": (lambda: fb.iswtn([A2, {"aa": A2}], "haar"), CE, rf"^iswtn: coeffs\[1\] {APPROX_KEY}"),
    "iswtn keys across levels": (lambda: fb.iswtn([{"aa": A2, "ad": A2}, {"a": A2, "d": A2}], "haar"), CE,
                                 r"^iswtn: subband keys must have one length at every level .*; got lengths \[1, 2\]$"),
    "iswtn None": (lambda: fb.iswtn(None, "haar"), CE, r"^iswtn: coeffs must be a list made by the forward transform; got None$"),
    # swt_max_level
    "swt_max_level None": (lambda: fb.swt_max_level(None), IE, INPUT_LEN + r"None$"),
    "swt_max_level float": (lambda: fb.swt_max_level(3.5), IE, INPUT_LEN + r"3\.5$"),
    "swt_max_level generator": (lambda: fb.swt_max_level(generator(4, 8)), IE, INPUT_LEN + r"generator$"),
    "swt_max_level str": (lambda: fb.swt_max_level("16"), IE, INPUT_LEN + r"str '16'$"),
    "swt_max_level nested": (lambda: fb.swt_max_level([[4]]), IE, INPUT_LEN + r"\[\[4\]\]$"),
    "swt_max_level zero inside": (lambda: fb.swt_max_level((8, 0)), IE, INPUT_LEN + r"\(8, 0\)$"),
    "swt_max_level empty": (lambda: fb.swt_max_level([]), IE, INPUT_LEN + r"an empty sequence$"),
    # plan: level, dtype, shape, axes
    "plan level -1": (lambda: fb.plan((16,), "haar", level=-1), IE, r"^level must be a non-negative integer; got -1$"),
    "plan level 1.5": (lambda: fb.plan((16,), "haar", level=1.5), IE, r"^level must be a non-negative integer; got 1\.5$"),
    "plan level str": (lambda: fb.plan((16,), "haar", level="2"), IE, r"^level must be a non-negative integer; got '2'$"),
    "plan level bool": (lambda: fb.plan((16,), "haar", level=True), IE, r"^level must be a non-negative integer; got True$"),
    "plan level None": (lambda: fb.plan((16,), "haar", level=None), IE, r"^level must be a non-negative integer; got None$"),
    "plan dtype int8": (lambda: fb.plan((16,), "haar", dtype="int8"), IE, r"^dtype must be one of 'float32', 'float64'; got 'int8'$"),
    "plan dtype numpy int8": (lambda: fb.plan((16,), "haar", dtype=np.int8), IE, r"^dtype must be one of 'float32', 'float64'; got 'int8'$"),
    "plan dtype complex": (lambda: fb.plan((16,), "haar", dtype="complex64"), IE, r"got 'complex64'$"),
    "plan dtype object": (lambda: fb.plan((16,), "haar", dtype=object), IE, r"^dtype must be one of 'float32', 'float64'; got 'object'$"),
    "plan dtype typo": (lambda: fb.plan((16,), "haar", dtype="float23"), IE, r"got 'float23' \(did you mean 'float32'\?\)$"),
    "plan dtype None": (lambda: fb.plan((16,), "haar", dtype=None), IE, r"^dtype must be one of 'float32', 'float64'; got None$"),
    "plan shape str": (lambda: fb.plan("abc", "haar"), IE, PLAN_SHAPE + r"'abc'$"),
    "plan shape int": (lambda: fb.plan(16, "haar"), IE, PLAN_SHAPE + r"16$"),
    "plan shape None": (lambda: fb.plan(None, "haar"), IE, PLAN_SHAPE + r"None$"),
    "plan shape empty": (lambda: fb.plan((), "haar"), IE, PLAN_SHAPE + r"\(\)$"),
    "plan shape zero": (lambda: fb.plan((16, 0), "haar"), IE, PLAN_SHAPE + r"\(16, 0\)$"),
    "plan shape float": (lambda: fb.plan((16.5,), "haar"), IE, PLAN_SHAPE + r"\(16\.5,\)$"),
    "plan shape bool": (lambda: fb.plan((True,), "haar"), IE, PLAN_SHAPE + r"\(True,\)$"),
    "plan axes None": (lambda: fb.plan((16,), "haar", axes=None), IE, r"^axes must be an integer or a sequence of integers; got None$"),
    # forward n-D transforms default their axes from the data, checked first
    "wavedecn str": (lambda: fb.wavedecn("abc", "haar"), TE, r"^data must be numeric \(bool, int, float or complex\); got dtype <U3$"),
    "swtn ragged": (lambda: fb.swtn([[1.0, 2.0], [3.0]], "haar", 1), TE, r"^data must be array-like; got list"),
    "dwtn 0-d": (lambda: fb.dwtn(3.0, "haar"), IE, r"^data must have at least one dimension; got a 0-d \(scalar\) value$"),
}


@pytest.mark.parametrize("case", sorted(CASES), ids=str)
def test_bad_call_raises_a_filterbank_error_that_says_why(case):
    call, error, message = CASES[case]
    with pytest.raises(error, match=message) as info:
        call()
    assert isinstance(info.value, fb.FilterBankError)


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 50


def refusal(call: Callable[[], object]) -> str:
    """The name of the FilterBankError class ``call`` raises, or ``'accepted'``."""
    try:
        call()
    except fb.FilterBankError as exc:
        return type(exc).__name__
    return "accepted"


def large_cases() -> dict[str, tuple[Callable[[], object], str]]:
    """Bad calls on arrays large enough that any conversion would go to TensorFlow."""
    big, sq = np.zeros(1 << 18), np.zeros((512, 512))
    return {
        "waverecn key xx": (lambda: fb.waverecn([sq, {"xx": sq, "ad": sq}], "db4"), "CoefficientsError"),
        "waverecn approximation key": (lambda: fb.waverecn([sq, {"aa": sq, "ad": sq}], "db4"), "CoefficientsError"),
        "waverecn all None": (lambda: fb.waverecn([None, {"ad": None}], "db4"), "CoefficientsError"),
        "waverec ranks": (lambda: fb.waverec([big, big.reshape(512, 512)], "db4"), "CoefficientsError"),
        "waverec str leaf": (lambda: fb.waverec([big, "abc"], "db4"), "FilterBankTypeError"),
        "waverec2 level of 2": (lambda: fb.waverec2([sq, (sq, sq)], "db4"), "CoefficientsError"),
        "idwt2 level of 2": (lambda: fb.idwt2((sq, (sq, sq)), "db4"), "CoefficientsError"),
        "idwtn key xx": (lambda: fb.idwtn({"aa": sq, "xx": sq}, "db4"), "CoefficientsError"),
        "iswt extra array": (lambda: fb.iswt([(big, big, big)], "db4"), "CoefficientsError"),
        "iswt2 extra array": (lambda: fb.iswt2([(sq, (sq, sq, sq), sq)], "db4"), "CoefficientsError"),
        "iswtn empty dict": (lambda: fb.iswtn([{}], "db4"), "CoefficientsError"),
        "iswtn key xx": (lambda: fb.iswtn([{"aa": sq, "xx": sq}], "db4"), "CoefficientsError"),
        "swt_max_level None": (lambda: fb.swt_max_level(None), "InputError"),
        "plan level -1": (lambda: fb.plan((1 << 18,), "db4", level=-1), "InputError"),
        "plan dtype int8": (lambda: fb.plan((1 << 18,), "db4", dtype="int8"), "InputError"),
    }


def test_a_fresh_process_refuses_without_tensorflow():
    script = (
        "import json, sys; sys.path.insert(0, 'tests'); "
        "from test_bad_inputs_api import large_cases, refusal; "
        "print(json.dumps([refusal(call) for call, _ in large_cases().values()]), 'tensorflow' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    names, loaded = proc.stdout.rsplit(" ", 1)
    assert json.loads(names) == [error for _, error in large_cases().values()]
    assert loaded.strip() == "False", "a bad call imported TensorFlow"


# ---------------------------------------------------------------- what stays accepted


def test_none_stands_for_zeros_as_in_pywavelets():
    x = np.arange(16.0)
    cA, cD2, cD1 = pywt.wavedec(x, "db2", level=2)
    np.testing.assert_allclose(fb.waverec([cA, None, cD1], "db2"), pywt.waverec([cA, np.zeros_like(cD2), cD1], "db2"), atol=1e-12)
    np.testing.assert_allclose(fb.waverec([None, cD2, cD1], "db2"), pywt.waverec([None, cD2, cD1], "db2"), atol=1e-12)
    img = np.arange(64.0).reshape(8, 8)
    c2 = pywt.wavedec2(img, "haar", level=2)
    zeros = tuple(np.zeros_like(d) for d in c2[1])
    np.testing.assert_allclose(fb.waverec2([c2[0], None, c2[2]], "haar"), pywt.waverec2([c2[0], zeros, c2[2]], "haar"), atol=1e-12)
    cn = pywt.wavedecn(img, "haar", level=1)
    np.testing.assert_allclose(fb.waverecn([cn[0], {"ad": cn[1]["ad"]}], "haar"),
                               pywt.waverecn([cn[0], {"ad": cn[1]["ad"]}], "haar"), atol=1e-12)
    s = fb.swt(x, "haar", level=2)
    np.testing.assert_allclose(fb.iswt([s[0], (s[1][0], None)], "haar"),
                               pywt.iswt([s[0], (s[1][0], np.zeros(16))], "haar"), atol=1e-12)


def test_waverecn_empty_detail_dicts_are_zeros_as_in_pywavelets():
    # PyWavelets: an empty dict is a level of zero details; the axes are those of the approximation
    rng = np.random.default_rng(3)
    cases = [
        ([rng.standard_normal((2, 2, 2)), {}, {}], "db1", None),
        ([rng.standard_normal((2, 2, 2)), {}, {}, {"daa": rng.standard_normal((8, 8, 8))}], "db1", None),
        ([rng.standard_normal((3, 3)), {}, {"ad": rng.standard_normal((5, 5))}], "db1", None),
        ([rng.standard_normal((3, 3)), {}, {"ad": rng.standard_normal((4, 4))}], "db2", None),
        ([rng.standard_normal((5, 3, 3)), {}, {}], "db2", (1, 2)),
    ]
    for coeffs, wavelet, axes in cases:
        ours, theirs = fb.waverecn(coeffs, wavelet, axes=axes), pywt.waverecn(coeffs, wavelet, axes=axes)
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_both_swt_layouts_and_plain_sequences_still_invert():
    x = np.arange(64.0).reshape(8, 8)
    for trim in (False, True):
        np.testing.assert_allclose(fb.iswt(fb.swt(x[0], "db2", level=2, trim_approx=trim), "db2"), x[0], atol=1e-12)
        np.testing.assert_allclose(fb.iswt2(fb.swt2(x, "db2", level=2, trim_approx=trim), "db2"), x, atol=1e-12)
        np.testing.assert_allclose(fb.iswtn(fb.swtn(x, "db2", level=2, trim_approx=trim), "db2"), x, atol=1e-12)
    c = fb.wavedec(x[0], "haar", level=2)
    np.testing.assert_allclose(fb.waverec(tuple(c), "haar"), x[0], atol=1e-12)
    np.testing.assert_allclose(fb.waverec([c[0].tolist(), c[1], c[2]], "haar"), x[0], atol=1e-12)


def test_plan_and_swt_max_level_take_numpy_forms():
    assert fb.plan((16,), "haar", dtype=np.float32).dtype == "float32"
    assert fb.plan(np.array([16, 8]), "haar", level=np.int64(0), axes=0).dtype == "float64"
    assert fb.swt_max_level(np.array([8, 48])) == 3
    assert fb.swt_max_level(np.int32(24)) == 3
