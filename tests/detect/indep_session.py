#!/usr/bin/python3
"""indep_session.py - a second, independent generator of messy bridge
sessions, written in numpy apart from the C simulator (host/core/sim/bm_sim.c)
and from other assumptions, so that the detector is not only ever scored
against the model it was tuned on.

Differences from the C simulator, on purpose: holds of 12-70 s with 0-3
dips of 10-50 % and 0.15-0.7 s, wander as a random walk, tremor 6-12 Hz;
reps as sin^1.5 pulses of 0.6-4.5 s, or touch-and-go with valleys 35-75 %
down; light holds 30-60 N above rest (sagging with fatigue); rest 25-90 N
with slow drift and 8-18 N repositioning; lifted foot 0-6 N; sensor noise
0.3-3 N; glitches (4190 N or 0) about 1 in 1500 samples, unflagged; dropped
rows anywhere (up to 0.25 s) and 1-4 s gaps in rests; optional epoch times.

Truth: per leg and effort, the first and last sample of the noise-free
force above rest + 20 N.

That session (no `conditions`) is made exactly as it always was: the same
seed gives the same CSV and the same truth list, byte for byte.

Conditions.  With `conditions` (a list of the names in CONDITIONS, alone or
mixed) a session is made to show one way real recordings differ from the
sessions the detector was tuned on: other tares (rest near 0 with a lifted
foot reading negative, or light rests of 0-10 N, or unequal rests), other
efforts (short maximal efforts, 7 s on / 3 s off repeaters, deep sags
inside holds, 30 ms step edges, light efforts), other files (starting
mid-hold, 10 / 87.7 uneven / 200 / 1000 samples per second, a chip that
stops answering mid-hold, glitches, gaps, epoch times).  Without any of the
effort conditions the programme is plain: bilateral and single-leg holds
(12-45 s) and sets of rise-and-fall reps, rest 30-80 N, noise 0.3-1 N,
80 samples/s, nothing missing.  "default" is the messy session above
(with "epoch", "rate10" or "rate80" only), scored with the richer truth.

The truth of a conditions session is a dict:
  efforts: [{id, kind ("hold" for plateau-shaped efforts of 2 s and more -
             holds, maximal efforts, repeater reps; "rep" for rise-and-fall;
             "either" for the few shapes in between), type (what was made),
             leg, start_s, end_s (first and last row whose noise-free force
             is above rest + 20 N), peak_above_rest_n (noise-free, over the
             rows in the file), single_leg, started_loaded (the file's first
             row is inside it)}]
  pairs:   [{left, right (effort ids), kind, asymmetry_pct (on force above
             rest: plateau mean for holds, peak for reps), flagged (above 10 %;
             null when within 1.5 points of it: not scored)}]
  stuck:   [{leg, start_s, end_s}] one leg's cells empty inside a hold
  and conditions, seed, rate_hz, t0_s, noise_n, rest_n {left, right},
  asym_threshold_pct.

    indep_session.py SEED RATE_HZ OUT.csv [epoch] [--conditions A,B,...]
                                                  (writes OUT.csv.truth.json)
"""
import json
import sys

import numpy as np

# Every condition a session can be made with, and what it does.
CONDITIONS = {
    "default": "the original messy session (with epoch/rate10/rate80 only)",
    "plain": "no condition: the plain programme",
    "rest0": "tared with the heel resting: rest 0 +- 2 N, a lifted foot reads -(leg weight), -25...-90 N",
    "rest_low": "heels resting lightly: rest 0-10 N",
    "unequal_rest": "rests 20-35 N apart (e.g. 50 and 75 N), the weaker leg mostly on the higher one",
    "max": "sets of 3-9 s maximal efforts (350-700 N) with 0.15-0.5 s ramps",
    "repeaters": "7 s on / 3 s off repeaters, 6-24 reps",
    "sags": "holds with 1-2 sags of 20-60 % of the force above rest, 0.8-3 s wide, above rest + 40 N",
    "steps": "30 ms step edges on holds, maximal efforts and repeaters",
    "midstart": "the file starts inside the first hold",
    "rate10": "10 samples/s",
    "rate80": "80 samples/s",
    "rate87": "87.7 samples/s with about one row in 16 missing (uneven steps, like a Tindeq)",
    "rate200": "200 samples/s",
    "rate1000": "1000 samples/s (a shorter session)",
    "stuck": "a chip stops answering inside bilateral holds: one leg's cells empty for 2-5 s",
    "light": "light holds and reps, 30-60 N above rest",
    "glitches": "single-sample glitches: 4190 N, 0 N, or 150-600 N above the signal",
    "gaps": "dropped rows anywhere (to 0.25 s), 1-4 s gaps and one-leg empty cells in rests",
    "epoch": "times in seconds since 1970",
}
RATES = {"rate10": 10.0, "rate80": 80.0, "rate87": 87.7, "rate200": 200.0, "rate1000": 1000.0}
EPOCH_T0 = 1764091234.25
ASYM_THRESHOLD_PCT = 10.0
ASYM_AMBIGUOUS_PCT = 1.5    # |asymmetry - threshold| below this: the flag is not scored
ONSET_N = 20.0


def ramp(x):
    """0..1, a raised cosine."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0, 1))


def plateau_mean(above):
    """Mean over the plateau of an effort's force above rest: from the first
    to the last sample at 80 % of its median level (the README's rule)."""
    med = np.median(above)
    idx = np.nonzero(above >= 0.8 * med)[0]
    return float(np.mean(above[idx[0]:idx[-1] + 1]))


def asym_pair(kind, a, b):
    """Asymmetry % and flag (None when too close to the threshold to score)."""
    hi, lo = max(a, b), min(a, b)
    pct = (hi - lo) / hi * 100.0 if hi > 0 else 0.0
    flag = None if abs(pct - ASYM_THRESHOLD_PCT) < ASYM_AMBIGUOUS_PCT else bool(pct > ASYM_THRESHOLD_PCT)
    return dict(kind=kind, asymmetry_pct=round(pct, 3), flagged=flag)


def check_conditions(conditions):
    conds = set(conditions)
    bad = conds - set(CONDITIONS)
    if bad:
        raise ValueError(f"unknown condition(s): {', '.join(sorted(bad))}")
    if len(conds & set(RATES)) > 1:
        raise ValueError("at most one rate condition")
    if len(conds & {"rest0", "rest_low", "unequal_rest"}) > 1:
        raise ValueError("rest0, rest_low and unequal_rest exclude each other")
    if "default" in conds and conds - {"default", "epoch", "rate10", "rate80"}:
        raise ValueError("default mixes only with epoch, rate10 and rate80")
    return conds


def session(seed, rate=80.0, epoch=False, conditions=None):
    """(times, [left, right], kept rows, truth, t0).  Without conditions the
    original session (truth: a list, times without t0); with them, missing
    cells are NaN and the truth is the dict described above (times with t0)."""
    if conditions is None:
        return _legacy_session(seed, rate, epoch, False)
    conds = check_conditions(conditions)
    for c in conds & set(RATES):
        rate = RATES[c]
    epoch = epoch or "epoch" in conds
    if "default" in conds:
        return _legacy_session(seed, rate, epoch, True)
    return _cond_session(seed, rate, epoch, conds)


def _legacy_session(seed, rate, epoch, extended):
    # The original generator.  Its draws must stay in this order: the
    # sessions of test_independent.py are these seeds.  `extended` only adds
    # bookkeeping and the richer truth, and draws nothing.
    rng = np.random.default_rng(seed)
    T = 600.0
    n = int(T * rate)
    t = np.arange(n) / rate
    rest = np.array([rng.uniform(25, 90), rng.uniform(25, 90)])
    drift = [rng.uniform(-8, 8) * np.sin(2 * np.pi * t / rng.uniform(200, 900) + rng.uniform(0, 6)) for _ in range(2)]
    base = [np.full(n, rest[i]) + drift[i] for i in range(2)]
    eff = [np.zeros(n), np.zeros(n)]
    lifted = [np.zeros(n, bool), np.zeros(n, bool)]
    truth = []
    cur = rng.uniform(8, 20)
    weak = rng.integers(0, 2)
    asym = rng.uniform(0, 0.3)
    restzones = []
    blk = 0
    while cur < T - 90:
        blk += 1
        kind = rng.choice(["hold", "reps", "tag", "light", "shold", "sreps"])
        single = kind in ("shold", "sreps")
        work = rng.integers(0, 2) if single else -1
        legs = [work] if single else [0, 1]
        level = rng.uniform(150, 450)
        if kind == "light":
            level = None
        start = cur
        if single:
            other = 1 - work
            a = int((start - rng.uniform(1, 2.5)) * rate)
        if kind in ("hold", "shold", "light"):
            dur = rng.uniform(14, 70) if kind != "light" else rng.uniform(12, 35)
            up, down = rng.uniform(0.4, 2.0), rng.uniform(0.4, 1.5)
            i0, i1 = int(start * rate), int((start + dur) * rate)
            tt = t[i0:i1] - start
            env = ramp(tt / up) * ramp((dur - tt) / down)
            fat = 1 - rng.uniform(0, 0.2) * tt / dur
            wander = np.cumsum(rng.normal(0, 1, i1 - i0)); wander = wander - np.linspace(wander[0], wander[-1], i1 - i0)
            wander = 1 + rng.uniform(0.01, 0.04) * wander / (np.std(wander) + 1e-9)
            shape = env * fat * wander
            for _ in range(rng.integers(0, 4)):
                c = rng.uniform(up + 1, dur - down - 1); w = rng.uniform(0.15, 0.7); dep = rng.uniform(0.1, 0.5)
                shape *= 1 - dep * np.exp(-0.5 * ((tt - c) / (w / 3)) ** 2)
            tremf = rng.uniform(6, 12); trema = rng.uniform(0.005, 0.03)
            shape = shape * (1 + trema * np.sin(2 * np.pi * tremf * tt))
            for leg in legs:
                lev = (rng.uniform(30, 60) if kind == "light" else level * (1 - (asym if leg == weak else 0)) * (1.3 if single else 1))
                eff[leg][i0:i1] += lev * shape
                truth.append(dict(kind="hold", leg=int(leg), lo=i0, hi=i1, single=bool(single), blk=blk, k=0))
            end = start + dur
        else:
            nrep = rng.integers(6, 16)
            tag = kind == "tag" or (kind == "sreps" and rng.random() < 0.4)
            i_start = int(start * rate)
            tt0 = start
            reps = []
            for k in range(nrep):
                d = rng.uniform(0.6, 4.5)
                reps.append((tt0, tt0 + d))
                tt0 += d + (0 if tag else rng.uniform(0.4, 3.0))
            i_end = int(tt0 * rate) + 1
            for leg in legs:
                lev = level * (1 - (asym if leg == weak else 0)) * (1.2 if single else 1)
                sig = np.zeros(i_end - i_start)
                vdepth = rng.uniform(0.35, 0.75)
                for k, (a0, a1) in enumerate(reps):
                    j0, j1 = int(a0 * rate) - i_start, int(a1 * rate) - i_start
                    x = (t[i_start + j0:i_start + j1] - a0) / (a1 - a0)
                    pk = lev * rng.uniform(0.9, 1.1)
                    if tag:
                        lo_l = 0 if k == 0 else pk * (1 - vdepth)
                        lo_r = 0 if k == nrep - 1 else pk * (1 - vdepth)
                        y = np.where(x < 0.5, lo_l + (pk - lo_l) * ramp(x * 2), lo_r + (pk - lo_r) * ramp((1 - x) * 2))
                    else:
                        y = pk * np.clip(np.sin(np.pi * x), 0, 1) ** 1.5
                    sig[j0:j1] = np.maximum(sig[j0:j1], y)
                    truth.append(dict(kind="rep", leg=int(leg), lo=i_start + j0, hi=i_start + j1, single=bool(single), tag=bool(tag), blk=blk, k=k))
                eff[leg][i_start:i_end] += sig
            end = tt0
        if single:
            b = int((end + rng.uniform(1, 2.5)) * rate)
            lifted[1 - work][a:b] = True
        gap = rng.uniform(5, 60)
        restzones.append((end + 2, end + gap - 2))
        # reposition during rest
        if rng.random() < 0.35:
            leg = rng.integers(0, 2); at = end + rng.uniform(2, max(2.5, gap - 3))
            step = rng.choice([-1, 1]) * rng.uniform(8, 18)
            # a heel rests with 30-80 N: step the other way at the edges
            if not 30 <= base[leg][int(at * rate)] + step <= 90:
                step = -step
            base[leg][int(at * rate):] += step
        cur = end + gap
    clean = []
    for i in range(2):
        x = base[i] + eff[i]
        x = np.where(lifted[i], rng.uniform(0, 6), x)
        clean.append(x)
    # truth crossing times from the clean signal against rest+20 (rest = base)
    out_truth = []
    kept_truth = []
    for e in truth:
        leg = e["leg"]; lo, hi = e["lo"], e["hi"]
        seg = clean[leg][lo:hi] - base[leg][lo:hi]
        above = np.nonzero(seg > 20)[0]
        if len(above) == 0:
            continue
        if e["kind"] == "rep" and e.get("tag"):
            s0, s1 = lo + above[0], lo + above[-1]
        else:
            s0, s1 = lo + above[0], lo + above[-1]
        out_truth.append(dict(kind=e["kind"], leg=["left", "right"][leg], start_s=float(t[s0]), end_s=float(t[s1]), single=e["single"]))
        kept_truth.append(dict(e, s0=s0, s1=s1))
    noise = rng.uniform(0.3, 3.0)
    data = [clean[i] + rng.normal(0, noise, n) for i in range(2)]
    keep = np.ones(n, bool)
    # dropped runs anywhere
    for _ in range(int(T / 20)):
        i = rng.integers(0, n - 30); keep[i:i + rng.integers(1, max(2, int(0.25 * rate)))] = False
    # long gaps in rests
    for (a, b) in restzones:
        if b - a > 6 and rng.random() < 0.3:
            g0 = rng.uniform(a, b - 4); keep[int(g0 * rate):int((g0 + rng.uniform(1, 4)) * rate)] = False
    # glitches
    glitched = [np.zeros(n, bool), np.zeros(n, bool)]
    for leg in range(2):
        for i in rng.integers(1, n - 1, int(n / 1500)):
            data[leg][i] = 4190.0 if rng.random() < 0.5 else 0.0
            glitched[leg][i] = True
    t0 = EPOCH_T0 if epoch else 0.0
    if not extended:
        return t + t0, data, keep, out_truth, t0
    # The richer truth, on the rows that are in the file.
    above_rest = [clean[i] - base[i] for i in range(2)]
    efforts, ids = [], {}
    for e in kept_truth:
        leg = e["leg"]
        span = np.arange(e["s0"], e["s1"] + 1)
        good = span[keep[span] & ~glitched[leg][span]]
        if len(good) == 0:
            continue
        ids[(e["blk"], e["k"], leg)] = len(efforts)
        efforts.append(dict(id=len(efforts), kind=e["kind"], type=("tag" if e.get("tag") else e["kind"]),
                            leg=["left", "right"][leg], start_s=float(t[e["s0"]] + t0), end_s=float(t[e["s1"]] + t0),
                            peak_above_rest_n=round(float(np.max(above_rest[leg][good])), 3),
                            single_leg=e["single"], started_loaded=False,
                            _metric=_metric(e["kind"], above_rest[leg][good])))
    pairs = _pairs(efforts, ids)
    for e in efforts:
        del e["_metric"]
    truth_d = dict(conditions=["default"] + (["epoch"] if epoch else []), seed=seed, rate_hz=rate, t0_s=t0,
                   noise_n=round(float(noise), 3), rest_n=dict(left=round(float(rest[0]), 3), right=round(float(rest[1]), 3)),
                   asym_threshold_pct=ASYM_THRESHOLD_PCT, efforts=efforts, pairs=pairs, stuck=[])
    return t + t0, data, keep, truth_d, t0


def _metric(kind, above):
    """What asymmetry is computed on: plateau mean (holds), peak (reps)."""
    return plateau_mean(above) if kind == "hold" else float(np.max(above))


def _pairs(efforts, ids):
    """Bilateral truth pairs from efforts keyed (block, index, leg)."""
    pairs = []
    for (blk, k, leg), i in sorted(ids.items()):
        if leg != 0 or (blk, k, 1) not in ids:
            continue
        a, b = efforts[i], efforts[ids[(blk, k, 1)]]
        if a["single_leg"] or b["single_leg"]:
            continue
        kind = "hold" if a["kind"] in ("hold", "either") else "rep"
        pairs.append(dict(left=a["id"], right=b["id"], **asym_pair(kind, a["_metric"], b["_metric"])))
    return pairs


# ---------------------------------------------------------------- conditions

def _cond_session(seed, rate, epoch, conds):
    rng = np.random.default_rng([seed, 0xB41D6E])
    T = 180.0 if rate >= 1000 else 300.0
    steps = "steps" in conds
    special = [c for c in ("max", "repeaters", "light") if c in conds]

    # Rest, lifted foot and asymmetry: what the tare makes of the heel.
    if "rest0" in conds:
        rest = rng.uniform(-2, 2, 2)
        lift = -rng.uniform(25, 90, 2)          # the leg's own weight, below a heel-resting tare
    elif "rest_low" in conds:
        rest = rng.uniform(0, 10, 2)
        lift = rng.uniform(-1, 1, 2)            # tared empty: a foot in the air reads about 0
    elif "unequal_rest" in conds:
        lo = rng.uniform(40, 60)
        rest = np.array([lo, lo + rng.uniform(20, 35)])
        if rng.random() < 0.5:
            rest = rest[::-1].copy()
        lift = rng.uniform(0, 4, 2)
    else:
        rest = rng.uniform(30, 80, 2)
        lift = rng.uniform(0, 4, 2)
    asym = rng.uniform(0.0, 0.07) if rng.random() < 0.4 else rng.uniform(0.13, 0.30)
    if "unequal_rest" in conds and rng.random() < 0.7:
        weak = int(np.argmax(rest))             # the heavier-resting leg is the weaker: absolute force hides it
    else:
        weak = int(rng.integers(0, 2))
    noise = rng.uniform(0.3, 1.0)

    # The programme: blocks of efforts, each effort a shape per leg.
    efforts = []    # dict(leg, lo, hi, shape (array over lo:hi), kind, type, single, blk, k)
    blocks = []     # (start_s, end_s, single, work leg)
    hold_blocks = []
    blk = 0
    cur = rng.uniform(6, 12)
    if "midstart" in conds:
        cur = 20.0  # cropped below: the file starts inside this first hold
    n_max = int((T + 400) * rate)
    t = np.arange(n_max) / rate
    while cur < T - 40:
        blk += 1
        if blk == 1 and ("midstart" in conds or "stuck" in conds):
            kind = "hold"
        elif special and rng.random() < 0.6:
            kind = str(rng.choice(special))
        elif conds & {"sags", "stuck", "steps"} and rng.random() < 0.5:
            kind = "hold"     # the conditions that live inside holds get more of them
        else:
            kind = str(rng.choice(["hold", "reps", "shold", "sreps"], p=[0.35, 0.35, 0.15, 0.15]))
        single = kind in ("shold", "sreps") or (kind in ("max", "repeaters", "light") and rng.random() < 0.3)
        work = int(rng.integers(0, 2))
        legs = [work] if single else [0, 1]
        start = cur
        lev_of = {}
        level = rng.uniform(150, 450)
        for leg in (0, 1):
            lev_of[leg] = level * (1 - (asym if leg == weak else 0)) * (1.3 if single else 1)
        made = []   # (lo, hi, shape, kind, type)
        if kind in ("hold", "shold") or (kind == "light" and rng.random() < 0.5):
            light = kind == "light"
            long_ = "stuck" in conds and not single
            dur = rng.uniform(12, 35) if light else rng.uniform(20 if ("sags" in conds or long_) else 12, 45)
            up, down = (0.03, 0.03) if steps and not light else (rng.uniform(0.4, 1.5), rng.uniform(0.4, 1.2))
            i0, i1 = int(start * rate), int((start + dur) * rate)
            tt = t[i0:i1] - start
            shape = _plateau(rng, tt, dur, up, down, rate)
            if "sags" in conds and not light:
                shape = _sags(rng, shape, tt, dur, up, down, min(lev_of[0], lev_of[1]) if not single else lev_of[work])
            made.append((i0, i1, shape, "hold", "light" if light else ("sag" if "sags" in conds else "hold")))
            if light:
                for leg in (0, 1):
                    lev_of[leg] = rng.uniform(30, 60)
                if not single:   # light efforts keep the session's asymmetry on force above rest
                    lev_of[1 - weak] = rng.uniform(35, 60)
                    lev_of[weak] = max(30.0, lev_of[1 - weak] * (1 - asym))
            end = start + dur
            if not single and not light and dur >= 15:
                hold_blocks.append((blk, i0, i1, up, down))
        elif kind == "max":
            nmax = int(rng.integers(3, 6))
            tt0 = start
            big = rng.uniform(350, 700)
            for leg in (0, 1):
                lev_of[leg] = big * (1 - (asym if leg == weak else 0))
            for k in range(nmax):
                up, down = (0.03, 0.03) if steps else (rng.uniform(0.15, 0.5), rng.uniform(0.15, 0.5))
                either = rng.random() < 0.12
                if either:    # a plateau of about 2 s: hold or rep, both fair
                    dur = up + down + rng.uniform(1.7, 2.3)
                else:
                    dur = max(rng.uniform(3, 9), up + down + 2.6)
                i0, i1 = int(tt0 * rate), int((tt0 + dur) * rate)
                tt = t[i0:i1] - tt0
                shape = _plateau(rng, tt, dur, up, down, rate, fatigue=0.08, wander=0.01)
                made.append((i0, i1, shape, "either" if either else "hold", "max"))
                tt0 += dur + (rng.uniform(15, 40) if k < nmax - 1 else 0)
            end = tt0
        elif kind == "repeaters":
            nrep = int(rng.integers(6, 25))
            tt0 = start
            for k in range(nrep):
                up, down = (0.03, 0.03) if steps else (rng.uniform(0.2, 0.5), rng.uniform(0.2, 0.5))
                i0, i1 = int(tt0 * rate), int((tt0 + 7.0) * rate)
                tt = t[i0:i1] - tt0
                shape = _plateau(rng, tt, 7.0, up, down, rate, fatigue=0.05, wander=0.015)
                shape *= max(0.5, 1 - 0.35 * k / nrep)   # the set tires the athlete
                made.append((i0, i1, shape, "hold", "repeater"))
                tt0 += 10.0
            end = tt0 - 3.0
            for leg in (0, 1):
                lev_of[leg] = max(lev_of[leg], 150.0 * (1 - (asym if leg == weak else 0)))
        else:   # rise-and-fall reps (and light reps)
            light = kind == "light"
            nrep = int(rng.integers(6, 13))
            tt0 = start
            for k in range(nrep):
                d = rng.uniform(0.8, 3.5)
                i0, i1 = int(tt0 * rate), int((tt0 + d) * rate)
                x = (t[i0:i1] - tt0) / d
                made.append((i0, i1, np.clip(np.sin(np.pi * x), 0, 1) ** 1.5, "rep", "light_rep" if light else "rep"))
                tt0 += d + rng.uniform(1.3, 3.0)
            end = tt0
            if light:
                a = rng.uniform(35, 60)
                lev_of = {1 - weak: a, weak: max(32.0, a * (1 - asym))}
                if single:
                    lev_of[work] = rng.uniform(32, 60)
        for k, (i0, i1, shape, ekind, etype) in enumerate(made):
            for leg in legs:
                scale = lev_of[leg] * (rng.uniform(0.97, 1.03) if ekind == "rep" else 1.0)
                efforts.append(dict(leg=leg, lo=i0, hi=i1, shape=scale * shape, kind=ekind, type=etype,
                                    single=bool(single), blk=blk, k=k))
        blocks.append((start, end, bool(single), work))
        cur = end + rng.uniform(8, 25)
    T = cur if cur > T else T
    n = int(T * rate)
    t = t[:n]

    # The signal: rest + drift, efforts, lifted feet.
    base = []
    for i in range(2):
        amp = rng.uniform(0, 0.5) if "rest0" in conds else rng.uniform(0, 2)
        base.append(rest[i] + amp * np.sin(2 * np.pi * t / rng.uniform(300, 900) + rng.uniform(0, 6)))
    eff = [np.zeros(n), np.zeros(n)]
    for e in efforts:
        eff[e["leg"]][e["lo"]:e["hi"]] += e["shape"]
    clean = [base[i] + eff[i] for i in range(2)]
    liftw = [np.zeros(n), np.zeros(n)]   # 0..1: how far the foot is off the plate
    restzones = []
    for bi, (s, e, single, work) in enumerate(blocks):
        nxt = blocks[bi + 1][0] if bi + 1 < len(blocks) else T
        restzones.append((e + 3.0, nxt - 3.0))
        if single:
            a, b = s - rng.uniform(1, 2.5), e + rng.uniform(1, 2.5)
            tt = t
            w = ramp((tt - a) / 0.3) * ramp((b - tt) / 0.3)
            liftw[1 - work] = np.maximum(liftw[1 - work], w)
    for i in range(2):
        clean[i] = clean[i] * (1 - liftw[i]) + (lift[i] + base[i] - rest[i]) * liftw[i]
    first_rest = (0.0, blocks[0][0] - 3.0)
    restzones.insert(0, first_rest)

    # The file: rows, missing cells, noise, glitches.
    keep = np.ones(n, bool)
    miss = [np.zeros(n, bool), np.zeros(n, bool)]
    stuck = []
    if "rate87" in conds:
        # a Tindeq: uneven steps, about one row in 16 never arrives
        t = t + rng.uniform(-0.00015, 0.00015, n)
        i = int(rng.integers(0, 16))
        while i < n:
            keep[i] = False
            i += int(rng.integers(13, 19))
    first = 0
    if "midstart" in conds:
        first = int((blocks[0][0] + rng.uniform(2.0, 8.0)) * rate)
        keep[:first] = False
        restzones = restzones[1:]
    if "stuck" in conds:
        for j, (b, i0, i1, up, down) in enumerate(hold_blocks):
            if j > 0 and rng.random() < 0.5:
                continue
            dur = (i1 - i0) / rate
            w = rng.uniform(2.0, 5.0)
            a = i0 / rate + up + rng.uniform(3.0, max(3.1, dur - up - down - w - 3.0))
            leg = int(rng.integers(0, 2))
            m0, m1 = int(a * rate), int((a + w) * rate)
            if first and m0 < first:
                continue
            miss[leg][m0:m1] = True
            stuck.append((leg, m0, m1))
    if "gaps" in conds:
        for _ in range(int(T / 20)):
            i = int(rng.integers(first, n - 30))
            keep[i:i + int(rng.integers(1, max(2, int(0.25 * rate))))] = False
        for (a, b) in restzones:
            if b - a > 6 and rng.random() < 0.5:
                g0 = rng.uniform(a, b - 4.5)
                keep[int(g0 * rate):int((g0 + rng.uniform(1, 4)) * rate)] = False
            elif b - a > 5 and rng.random() < 0.5:
                g0 = rng.uniform(a, b - 3.5)
                leg = int(rng.integers(0, 2))
                miss[leg][int(g0 * rate):int((g0 + rng.uniform(0.5, 3)) * rate)] = True
    data = [clean[i] + rng.normal(0, noise, n) for i in range(2)]
    glitched = [np.zeros(n, bool), np.zeros(n, bool)]
    if "glitches" in conds:
        for leg in range(2):
            for i in rng.integers(first + 1, n - 1, int((n - first) / 1500)):
                u = rng.random()
                data[leg][i] = 4190.0 if u < 0.4 else (0.0 if u < 0.7 else data[leg][i] + rng.uniform(150, 600))
                glitched[leg][i] = True
    for i in range(2):
        data[i][miss[i]] = np.nan
    t0 = EPOCH_T0 if epoch else 0.0
    first = int(np.nonzero(keep)[0][0])    # the file's first row (a dropped row may have moved it)
    t_out = t - t[first] + t0

    # Truth, on the rows and cells that are in the file.
    has = [keep & ~miss[i] for i in range(2)]
    above_rest = [clean[i] - base[i] for i in range(2)]
    out, ids = [], {}
    for e in efforts:
        leg = e["leg"]
        span = np.arange(e["lo"], e["hi"])
        rows = span[has[leg][span]]
        up = rows[above_rest[leg][rows] > ONSET_N]
        if len(up) == 0:
            continue
        good = up[~glitched[leg][up]]
        s0, s1 = int(up[0]), int(up[-1])
        ids[(e["blk"], e["k"], leg)] = len(out)
        out.append(dict(id=len(out), kind=e["kind"], type=e["type"], leg=["left", "right"][leg],
                        start_s=float(t_out[s0]), end_s=float(t_out[s1]),
                        peak_above_rest_n=round(float(np.max(above_rest[leg][good])), 3),
                        single_leg=e["single"], started_loaded=bool(s0 == first),
                        _metric=_metric("hold" if e["kind"] != "rep" else "rep", above_rest[leg][good])))
    pairs = _pairs(out, ids)
    for e in out:
        del e["_metric"]
    truth_d = dict(conditions=sorted(conds), seed=seed, rate_hz=rate, t0_s=t0, noise_n=round(float(noise), 3),
                   rest_n=dict(left=round(float(rest[0]), 3), right=round(float(rest[1]), 3)),
                   asym_threshold_pct=ASYM_THRESHOLD_PCT, efforts=out, pairs=pairs,
                   stuck=[dict(leg=["left", "right"][leg], start_s=float(t_out[m0]), end_s=float(t_out[m1 - 1]))
                          for leg, m0, m1 in stuck])
    return t_out, data, keep, truth_d, t0


def _plateau(rng, tt, dur, up, down, rate, fatigue=0.15, wander=0.02):
    """A plateau-shaped effort, 0..1 (about): ramps, fatigue, wander, tremor."""
    m = len(tt)
    env = ramp(tt / up) * ramp((dur - tt) / down)
    fat = 1 - rng.uniform(0, fatigue) * tt / dur
    wd = np.cumsum(rng.normal(0, 1, m))
    wd = wd - np.linspace(wd[0], wd[-1], m)
    # wander smoothed to well below the tremor band, faded in after the rise
    k = max(1, int(0.5 * rate))
    wd = np.convolve(wd, np.ones(k) / k, mode="same")
    fade = ramp((tt - up) / 1.0) * ramp((dur - down - tt) / 1.0)
    wd = 1 + rng.uniform(0.3, 1.0) * wander * fade * wd / (np.std(wd) + 1e-9)
    trem = 1 + rng.uniform(0.005, 0.015) * fade * np.sin(2 * np.pi * rng.uniform(6, 12) * tt)
    return env * fat * wd * trem


def _sags(rng, shape, tt, dur, up, down, level_n):
    """1-2 sags of 20-60 % of the force above rest, 0.8-3 s wide, whose
    bottom stays at least 40 N above rest: a hold, not two."""
    nsag = int(rng.integers(1, 3))
    lo_t, hi_t = up + 2.0, dur - down - 2.0
    centres = []
    for _ in range(nsag):
        w = rng.uniform(0.8, 3.0)
        for _try in range(20):
            c = rng.uniform(lo_t + w / 2, hi_t - w / 2)
            if all(abs(c - c2) > w + 1.5 for c2 in centres):
                break
        else:
            continue
        centres.append(c)
        local = level_n * np.min(shape[np.abs(tt - c) <= w / 2]) if np.any(np.abs(tt - c) <= w / 2) else level_n
        depth = min(rng.uniform(0.2, 0.6), max(0.0, 1 - 40.0 / max(local, 1e-9)))
        x = np.clip((tt - c) / w, -0.5, 0.5)
        shape = shape * (1 - depth * (0.5 + 0.5 * np.cos(2 * np.pi * x)))
    return shape


def write(seed, rate, out, epoch=False, conditions=None):
    """Write OUT (the session CSV) and OUT.truth.json; return the truth."""
    t, data, keep, truth, t0 = session(seed, rate, epoch, conditions)
    if conditions is None:
        with open(out, "w") as f:
            f.write("t_s,left_n,right_n\n")
            for i in np.nonzero(keep)[0]:
                f.write(f"{t[i]:.6f},{data[0][i]:.3f},{data[1][i]:.3f}\n")
        for e in truth:
            e["start_s"] += t0
            e["end_s"] += t0
    else:
        idx = np.nonzero(keep)[0]
        cells = [[("" if np.isnan(v) else f"{v:.3f}") for v in d[idx]] for d in data]
        with open(out, "w") as f:
            f.write(f"# indep_session: seed {seed}, conditions {'+'.join(truth['conditions']) or 'plain'}\n")
            f.write("t_s,left_n,right_n\n")
            f.write("".join(f"{tv:.6f},{a},{b}\n" for tv, a, b in zip(t[idx], cells[0], cells[1])))
    with open(out + ".truth.json", "w") as f:
        json.dump(truth, f)
    return truth


def main(argv):
    conds = None
    args = list(argv[1:])
    if "--conditions" in args:
        i = args.index("--conditions")
        conds = [c for c in args[i + 1].split(",") if c and c != "plain"] if i + 1 < len(args) else []
        del args[i:i + 2]
    if len(args) < 3:
        print("usage: indep_session.py SEED RATE_HZ OUT.csv [epoch] [--conditions A,B,...]", file=sys.stderr)
        return 1
    try:
        write(int(args[0]), float(args[1]), args[2], len(args) > 3, conds)
    except ValueError as e:
        print(f"indep_session.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
