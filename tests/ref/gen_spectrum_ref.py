#!/usr/bin/python3
"""Reference spectra for tests/unit/test_spectrum.c, made by scipy.signal.welch
(Debian's python3-scipy).  Deterministic: rerun to regenerate.

Each case file: line 1 "fs nperseg n", line 2 the n input samples, line 3 the
nperseg/2+1 PSD values (one-sided density, Hann window, 50 % overlap,
constant detrend), all with 17 significant digits.
"""
import os
import numpy as np
from scipy import signal

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spectrum")


def case(name, x, fs, nperseg):
    f, p = signal.welch(x, fs=fs, window="hann", nperseg=nperseg, noverlap=nperseg // 2,
                        detrend="constant", scaling="density")
    with open(os.path.join(OUT, name + ".txt"), "w") as fh:
        fh.write(f"{fs!r} {nperseg} {len(x)}\n")
        fh.write(" ".join(f"{v:.17g}" for v in x) + "\n")
        fh.write(" ".join(f"{v:.17g}" for v in p) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261125)
    t = np.arange(2000) / 80.0
    # A hold: 300 N plateau, 9.5 Hz tremor of 2 N, white noise of 0.8 N.
    case("hold_80hz", 300 + 2 * np.sin(2 * np.pi * 9.5 * t) + rng.normal(0, 0.8, t.size), 80.0, 256)
    # A drifting signal at another rate and segment length.
    case("walk_100hz", 50 + np.cumsum(rng.normal(0, 0.3, 1000)), 100.0, 128)
    # Exactly one segment.
    case("one_segment", rng.normal(0, 1, 64), 10.0, 64)


if __name__ == "__main__":
    main()
