#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""peer_pandas.py - the benchmark's peer: the work of `bridgemon analyze`,
done the straightforward pandas + scipy way.

    /usr/bin/python3 bench/peer_pandas.py [--stages] SESSION.csv

Prints one JSON object (rows, sample rate, segments, and per leg the number
of holds and reps with their total time) on stdout; with --stages, also the
CPU time of each stage on stderr (for BENCHMARKS.md).  Run it with Debian's
/usr/bin/python3: python3-pandas, python3-scipy and python3-numpy import
there (see shared/PLATFORM.md).

The same work as bridgemon, step by step, each done the way a pandas user
would do it, vectorised, with no deliberate slowness:

1. read: pandas.read_csv with the C parser, '#' lines skipped, only the
   columns the analysis needs (t_s, left_n, right_n and the two flag
   columns; bridgemon also parses left_raw, right_raw and seq to validate
   them, which the peer does not);
2. per leg, drop missing and flagged samples (flags NOT_READY, SAT_HIGH,
   SAT_LOW, as bridgemon does), and split the leg's samples into segments
   where more than 0.5 s of data is missing (bridgemon's gap rule; bridgemon
   also fills shorter holes by interpolation, the peer just closes them up);
3. despike each segment with a median of three (the numpy min/max form: the
   same values as scipy.signal.medfilt(x, 3) inside the segment, about ten
   times faster; the end samples are kept, as bridgemon keeps them);
4. zero-phase low-pass each segment with scipy.signal.sosfiltfilt and the
   design bridgemon uses, butter(4, 5, fs=80, output='sos') at 80 SPS;
5. detect: a sample below 15 N is a lifted foot; the resting level is the
   lowest one-second median of the unlifted samples within +-35 s (a rolling
   minimum: it follows drift and heel repositioning, and reaches past the
   longest hold of a simulated session); a loaded period is a run of samples
   above rest + 20 N inside one segment; one lasting at least 10 s is a
   hold, one of 0.3-6 s a rep; per event the peak and the mean are taken.

What it does not do (bridgemon does): hysteresis and a release time,
splitting touch-and-go reps at their valleys, plateau means without the
ramps, CV and impulse, left/right pairing and asymmetry.  Those cost little
next to reading and filtering, but they make bridgemon's counts the better
ones: BENCHMARKS.md compares the two.
"""
import time

_T0 = time.process_time()  # before the imports: they are part of the cost

import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import signal  # noqa: E402

COLUMNS = ["t_s", "left_n", "right_n", "left_flags", "right_flags"]
# bm_protocol.h: BM_CH_NOT_READY | BM_CH_SAT_HIGH | BM_CH_SAT_LOW
BAD_FLAGS = 1 | 2 | 4
GAP_SPLIT_S = 0.5   # missing data longer than this splits (bridgemon's default)
LIFTED_N = 15.0     # below this the foot is in the air
ONSET_N = 20.0      # loaded: above rest + this
REST_WINDOW_S = 35  # rest: lowest 1-s median within +- this
MIN_HOLD_S = 10.0
MIN_REP_S = 0.3
MAX_REP_S = 6.0


def sample_rate_hz(t):
    """Rate from the median step of the first rows, as bridgemon estimates it."""
    return 1.0 / float(np.median(np.diff(t[:256])))


def median3(x):
    """Median of three neighbours; the two end samples stay as they are."""
    y = x.copy()
    if len(x) >= 3:
        a, b, c = x[:-2], x[1:-1], x[2:]
        y[1:-1] = np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))
    return y


def rest_level(y, rate_hz):
    """Resting level per sample: rolling minimum of one-second medians of the
    samples where the foot is down."""
    spb = max(1, int(round(rate_hz)))
    down = np.where(y < LIFTED_N, np.inf, y)  # a lifted second never wins a min
    nblk = -(-len(y) // spb)
    padded = np.full(nblk * spb, np.inf)
    padded[: len(y)] = down
    med = np.median(padded.reshape(nblk, spb), axis=1)
    med[np.isinf(med)] = np.nan
    rest = pd.Series(med).rolling(2 * REST_WINDOW_S + 1, center=True, min_periods=1).min()
    return np.repeat(rest.to_numpy(), spb)[: len(y)]


def leg_events(t, x, ok, rate_hz, sos, padlen):
    """Counts and times of the holds and reps of one leg."""
    t = t[ok]
    x = x[ok]
    dt = 1.0 / rate_hz
    # New segment where the missing time (step less one sample) exceeds the
    # gap rule, with bridgemon's quarter step of slack.
    cut = np.flatnonzero(np.diff(t) - dt > GAP_SPLIT_S + 0.25 * dt) + 1
    bounds = np.concatenate(([0], cut, [len(x)]))
    y = np.empty_like(x)
    for a, b in zip(bounds[:-1], bounds[1:]):
        seg = median3(x[a:b])
        y[a:b] = signal.sosfiltfilt(sos, seg) if b - a > padlen else seg

    rest = rest_level(y, rate_hz)
    loaded = y > rest + ONSET_N  # NaN rest: not loaded
    # A run starts at a loaded sample after an unloaded one or at the start
    # of a segment, and ends likewise: runs never cross a gap.
    first = np.zeros(len(y), dtype=bool)
    first[bounds[:-1]] = True
    prev_off = np.concatenate(([True], ~loaded[:-1])) | first
    next_off = np.concatenate((~loaded[1:] | first[1:], [True]))
    starts = np.flatnonzero(loaded & prev_off)
    ends = np.flatnonzero(loaded & next_off) + 1  # one past the last loaded sample
    dur = t[ends - 1] - t[starts] + dt
    peak = np.maximum.reduceat(y, starts) if len(starts) else np.empty(0)
    csum = np.concatenate(([0.0], np.cumsum(y)))
    mean = (csum[ends] - csum[starts]) / np.maximum(ends - starts, 1)

    hold = dur >= MIN_HOLD_S
    rep = (dur >= MIN_REP_S) & (dur <= MAX_REP_S)
    return {
        "holds": int(hold.sum()),
        "reps": int(rep.sum()),
        "hold_time_s": round(float(dur[hold].sum()), 1),
        "hold_mean_n": round(float(mean[hold].mean()), 1) if hold.any() else None,
        "rep_peak_n": round(float(peak[rep].mean()), 1) if rep.any() else None,
        "segments": len(bounds) - 1,
    }


def main(argv):
    args = argv[1:]
    stages = "--stages" in args
    if stages:
        args.remove("--stages")
    if len(args) != 1:
        print("usage: peer_pandas.py [--stages] SESSION.csv", file=sys.stderr)
        return 1
    marks = [("import pandas, scipy", time.process_time())]
    df = pd.read_csv(args[0], comment="#", usecols=COLUMNS, dtype="float64")
    marks.append(("read_csv", time.process_time()))
    t = df["t_s"].to_numpy()
    rate = sample_rate_hz(t)
    sos = signal.butter(4, min(5.0, 0.3 * rate), fs=rate, output="sos")
    # sosfiltfilt's default pad length; shorter segments are left unfiltered.
    padlen = 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum()))
    out = {"rows": len(df), "sample_rate_hz": round(rate, 3), "legs": {}}
    for leg in ("left", "right"):
        x = df[leg + "_n"].to_numpy()
        flags = df[leg + "_flags"].fillna(0).to_numpy().astype(np.int64)
        ok = ~np.isnan(x) & ((flags & BAD_FLAGS) == 0)
        out["legs"][leg] = leg_events(t, x, ok, rate, sos, padlen)
        marks.append(("%s leg: despike, filter, detect" % leg, time.process_time()))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    if stages:
        prev = _T0
        for name, at in marks:
            print("stage %-34s %6.2f s CPU" % (name, at - prev), file=sys.stderr)
            prev = at
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
