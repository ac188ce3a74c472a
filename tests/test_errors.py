"""The exception family: every error is a FilterBankError and the builtin a caller would catch."""

from __future__ import annotations

import numpy as np
import pytest

import filterbank as fb

AXIS_ERROR = getattr(np, "exceptions", np).AxisError


@pytest.mark.parametrize(
    "call",
    [
        lambda: fb.wavedec(np.ones(8), "haar", axis=1),
        lambda: fb.swt(np.ones(8), "haar", level=1, axis=-2),
        lambda: fb.wavedecn(np.ones((4, 4)), "haar", axes=(0, 2)),
    ],
)
def test_an_axis_out_of_range_is_numpys_axis_error_too(call):
    with pytest.raises(fb.AxisError, match=r"^axes: axis -?\d is out of range for data with \d dimension\(s\) \(valid: ") as info:
        call()
    assert isinstance(info.value, (fb.InputError, AXIS_ERROR, IndexError, ValueError))
    assert all(isinstance(info.value, cls) for cls in (fb.InputError, AXIS_ERROR, IndexError, ValueError))


def test_other_axis_errors_stay_input_errors():
    with pytest.raises(fb.InputError, match=r"^axes must be unique; got \(1, 1\)$") as info:
        fb.wavedecn(np.ones((4, 4)), "haar", axes=(1, 1))
    assert not isinstance(info.value, AXIS_ERROR)
