#!/usr/bin/python3
"""indep_session.py - a second, independent generator of messy bridge
sessions, written in numpy apart from the C simulator (host/core/bm_sim.c)
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

    indep_session.py SEED RATE_HZ OUT.csv [epoch]   (writes OUT.csv.truth.json)
"""
import json
import sys

import numpy as np

def session(seed, rate=80.0, epoch=False):
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
    def ramp(x):  # 0..1 smooth
        return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0, 1))
    while cur < T - 90:
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
                truth.append(dict(kind="hold", leg=int(leg), lo=i0, hi=i1, single=bool(single)))
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
                    truth.append(dict(kind="rep", leg=int(leg), lo=i_start + j0, hi=i_start + j1, single=bool(single), tag=bool(tag)))
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
    for leg in range(2):
        for i in rng.integers(1, n - 1, int(n / 1500)):
            data[leg][i] = 4190.0 if rng.random() < 0.5 else 0.0
    t0 = 1764091234.25 if epoch else 0.0
    return t + t0, data, keep, out_truth, t0

def write(seed, rate, out, epoch=False):
    t, data, keep, truth, t0 = session(seed, rate, epoch)
    with open(out, "w") as f:
        f.write("t_s,left_n,right_n\n")
        for i in np.nonzero(keep)[0]:
            f.write(f"{t[i]:.6f},{data[0][i]:.3f},{data[1][i]:.3f}\n")
    for e in truth:
        e["start_s"] += t0
        e["end_s"] += t0
    with open(out + ".truth.json", "w") as f:
        json.dump(truth, f)
    return truth


if __name__ == "__main__":
    write(int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], len(sys.argv) > 4)
