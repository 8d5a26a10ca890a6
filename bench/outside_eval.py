#!/usr/bin/python3
"""outside_eval.py - detection on recordings no one on this project made:
Tindeq Progressor exports (one load cell, about 87.7 samples/s with one row
in 16 missing, kg, tared so that rest reads about 0), turned into bridgemon
sessions and run through `bridgemon analyze --json`, against the app's own
reference (info.csv: reps x sets; Avg/Peak where the export has them).

A development script, not a test: the recordings are not part of the
project (no licence was given) and are read from where they lie, by
default ../shared/outside from the repository's root; when they are absent
the script says so in one line and exits 0.  Nothing is written into the
repository.

Each recording becomes one session: kg x 9.80665 = N on the left heel; the
right heel at rest with 0.3 N noise; 10 s of rest before and after, joined
to a file that starts or ends loaded (cropped) by a 0.3 s ramp; the sets of
a folder in order with the app's pause between sets.  Two tares: "0" (rest
about 0, as the app tares) and "+50" (50 N added to both legs, a plate
tared empty with the heel resting on it).

Columns: expected efforts (reps x sets) and kind (hold for work of 2 s and
more, rep for the rate-of-force pull); found on the left (holds/reps) and
false events on the right; kind right; peak and mean errors against the
app's Peak and Avg (per set, where present); the median peak error against
the raw maximum inside each event found (every recording).  Forces are
taken above rest: peak_above_rest_n and mean_above_rest_n, or, from a
program without them (marked *), peak_n and mean_n minus the tare.

    outside_eval.py BRIDGEMON [--outside DIR] [--keep DIR] [--verbose]
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

G = 9.80665
PAD_S = 10.0
JOIN_S = 0.3
OTHER_NOISE_N = 0.3
TARES = (("0", 0.0), ("+50", 50.0))


def read_export(path):
    """(times s, force kg, header dict or {}, per-rep reference {'Avg': [...], 'Peak': [...]})"""
    header, ref, t, w = {}, {}, [], []
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    i = 0
    while i < len(rows) and rows[i][:2] != ["time", "weight"]:
        r = rows[i]
        if r and r[0] == "date" and i + 1 < len(rows):
            header = dict(zip(r, rows[i + 1]))
            i += 1
        elif r and r[0] in ("Avg", "Peak"):
            ref[r[0]] = [float(x) for x in r[1:] if x.strip()]
        i += 1
    for r in rows[i + 1:]:
        if len(r) >= 2 and r[0].strip():
            t.append(float(r[0]))
            w.append(float(r[1]))
    return np.array(t), np.array(w), header, ref


def read_info(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return dict(zip(rows[0], rows[1]))


def recordings(tindeq):
    """[(name, [data files], expected efforts, kind, pause between sets s,
    app reference per set [(avg kg, peak kg)] or None)]"""
    out = []
    for name in sorted(os.listdir(tindeq)):
        p = os.path.join(tindeq, name)
        if os.path.isdir(p) and os.path.exists(os.path.join(p, "info.csv")):
            info = read_info(os.path.join(p, "info.csv"))
            files = sorted((os.path.join(p, f) for f in os.listdir(p) if f.startswith("data_set_")),
                           key=lambda f: int("".join(c for c in os.path.basename(f) if c.isdigit()) or 0))
            reps, sets = int(info["reps"]), int(info["sets"])
            work_s = float(info["work dur."])
            refs = []
            for f in files:
                _, _, _, r = read_export(f)
                if "Avg" in r and "Peak" in r:
                    # first value: the set; then one per rep
                    refs.extend(zip(r["Avg"][1:] or r["Avg"][:1], r["Peak"][1:] or r["Peak"][:1]))
            out.append((name, files, reps * sets, "hold" if work_s >= 2 else "rep",
                        float(info.get("pause btw. sets") or 0), refs or None))
        elif name.endswith(".csv"):
            _, _, header, _ = read_export(p)
            if "max" in header and "avg" in header:
                kind = "hold" if float(header.get("duration") or 0) >= 2 else "rep"
                refs = [(float(header["avg"]), float(header["max"]))]
            else:
                kind, refs = "rep", None   # a rate-of-force test: one fast pull
            out.append((name, [p], 1, kind, 0.0, refs))
    return out


def smooth(a, b, n):
    x = np.linspace(0, 1, n + 2)[1:-1]
    return a + (b - a) * x * x * (3 - 2 * x)


def build_session(files, pause_s, rng):
    """Left force (N), times, and each set's span [(t0, t1)] on the session's time."""
    ts, fs, spans = [], [], []
    dts = []
    sets = [read_export(f) for f in files]
    for t, _, _, _ in sets:
        dts.append(np.median(np.diff(t)))
    dt = float(np.median(dts))
    cur = 0.0

    def rest(seconds, start):
        n = int(round(seconds / dt))
        return start + dt * np.arange(n), rng.normal(0, OTHER_NOISE_N, n)

    for k, (t, w, _, _) in enumerate(sets):
        f = w * G
        gap = PAD_S if k == 0 else pause_s
        rt, rf = rest(gap, cur)
        nj = int(round(JOIN_S / dt))
        if abs(f[0]) > 2.0:   # starts loaded (cropped): ramp up inside the rest
            rf[-nj:] = smooth(0.0, f[0], nj)
        ts.append(rt)
        fs.append(rf)
        st = (rt[-1] + dt if len(rt) else cur) - t[0]
        ts.append(t + st)
        fs.append(f)
        spans.append((t[0] + st, t[-1] + st))
        cur = t[-1] + st + dt
        if k == len(sets) - 1:
            rt, rf = rest(PAD_S, cur)
            if abs(f[-1]) > 2.0:
                rf[:nj] = smooth(f[-1], 0.0, nj)
            ts.append(rt)
            fs.append(rf)
        elif abs(f[-1]) > 2.0:   # cropped at the end of a set: ramp down at the start of the pause
            nxt = dt * np.arange(nj) + cur
            ts.append(nxt)
            fs.append(smooth(f[-1], 0.0, nj))
            cur = nxt[-1] + dt
    return np.concatenate(ts), np.concatenate(fs), spans


def write_csv(path, t, left, right):
    with open(path, "w") as f:
        f.write("# converted from a Tindeq Progressor export for outside_eval.py\n")
        f.write("t_s,left_n,right_n\n")
        f.write("".join(f"{a:.6f},{b:.3f},{c:.3f}\n" for a, b, c in zip(t, left, right)))


def above(e, name, tare):
    """Force above rest of an event, and whether it was a fallback."""
    if f"{name}_above_rest_n" in e:
        return e[f"{name}_above_rest_n"], False
    return e[f"{name}_n"] - tare, True


def evaluate(exe, rec, tare_n, d, verbose):
    name, files, expected, kind, pause_s, refs = rec
    rng = np.random.default_rng(20230430)
    t, left, spans = build_session(files, pause_s, rng)
    right = rng.normal(0, OTHER_NOISE_N, len(t)) + tare_n
    path = os.path.join(d, f"{name.replace('.csv', '')}-tare{tare_n:g}.csv")
    write_csv(path, t, left + tare_n, right)
    out = subprocess.run([exe, "analyze", path, "--json"], capture_output=True, text=True)
    row = dict(found="-", right="-", kind="-", peak="-", avg="-", raw="-", note="")
    if out.returncode != 0:
        row["note"] = f"analyze exit {out.returncode}: {out.stderr.strip().splitlines()[0][:80]}"
        return row
    j = json.loads(out.stdout)
    ev = sorted([("hold", e) for e in j["holds"]] + [("rep", e) for e in j["reps"]], key=lambda x: x[1]["start_s"])
    lev = [(k, e) for k, e in ev if e["leg"] == "left"]
    nh = sum(k == "hold" for k, _ in lev)
    row["found"] = f"{len(lev)} ({nh}/{len(lev) - nh})"
    row["right"] = str(sum(e["leg"] == "right" for _, e in ev))
    row["kind"] = f"{sum(k == kind for k, _ in lev)}/{expected}"
    fallback = False
    # against the app's per-set reference: the strongest left event inside each set
    if refs and len(refs) == len(spans):
        pe, ae = [], []
        for (a_kg, p_kg), (s0, s1) in zip(refs, spans):
            inside = [e for _, e in lev if e["end_s"] >= s0 - 0.5 and e["start_s"] <= s1 + 0.5]
            if not inside:
                continue
            best = max(inside, key=lambda e: e["peak_n"])
            p, fb1 = above(best, "peak", tare_n)
            a, fb2 = above(best, "mean", tare_n)
            fallback = fallback or fb1 or fb2
            pe.append(100 * (p - p_kg * G) / (p_kg * G))
            ae.append(100 * (a - a_kg * G) / (a_kg * G))
        if pe:
            row["peak"] = " ".join(f"{x:+.1f}" for x in pe)
            row["avg"] = " ".join(f"{x:+.1f}" for x in ae)
    # against the raw maximum inside each event found
    errs = []
    for _, e in lev:
        m = (t >= e["start_s"]) & (t <= e["end_s"])
        if m.any():
            p, fb = above(e, "peak", tare_n)
            fallback = fallback or fb
            raw = float(np.max(left[m]))
            errs.append(100 * (p - raw) / raw)
    if errs:
        row["raw"] = f"{np.median(errs):+.1f}"
    if fallback:
        row["note"] = "* peak_n/mean_n - tare"
    if verbose:
        for k, e in ev:
            print(f"    {name} tare {tare_n:g}: {e['leg']} {k} {e['start_s']:.2f}-{e['end_s']:.2f} "
                  f"peak_n {e['peak_n']} mean_n {e.get('mean_n')}")
    return row


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: outside_eval.py BRIDGEMON [--outside DIR] [--keep DIR] [--verbose]", file=sys.stderr)
        return 1
    exe = argv[1]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outside = argv[argv.index("--outside") + 1] if "--outside" in argv else os.path.join(root, "..", "shared", "outside")
    tindeq = os.path.join(outside, "tindeq") if os.path.isdir(os.path.join(outside, "tindeq")) else outside
    if not os.path.isdir(tindeq) or not recordings(tindeq):
        print(f"outside_eval: no outside recordings at {os.path.normpath(outside)}; nothing to do")
        return 0
    keep = argv[argv.index("--keep") + 1] if "--keep" in argv else None
    if keep and os.path.commonpath([os.path.abspath(keep), root]) == root:
        print("outside_eval: --keep must be outside the repository (the recordings have no licence)", file=sys.stderr)
        return 1
    verbose = "--verbose" in argv
    recs = recordings(tindeq)
    print(f"{'recording':40s} {'tare':>4s} {'want':>4s} {'kind':>4s} {'found L (h/r)':>13s} {'R':>2s} "
          f"{'kind ok':>7s} {'peak err % (app)':>17s} {'avg err % (app)':>17s} {'vs raw %':>8s}  note")
    tot_want = {tare: 0 for tare, _ in TARES}
    tot_found = {tare: 0 for tare, _ in TARES}
    with tempfile.TemporaryDirectory(prefix="bm-outside-") as tmp:
        d = keep or tmp
        os.makedirs(d, exist_ok=True)
        for rec in recs:
            for label, tare in TARES:
                r = evaluate(exe, rec, tare, d, verbose)
                tot_want[label] += rec[2]
                if r["found"] != "-":
                    tot_found[label] += min(int(r["found"].split()[0]), rec[2])
                print(f"{rec[0]:40s} {label:>4s} {rec[2]:4d} {rec[3]:>4s} {r['found']:>13s} {r['right']:>2s} "
                      f"{r['kind']:>7s} {r['peak']:>17s} {r['avg']:>17s} {r['raw']:>8s}  {r['note']}")
    for label, _ in TARES:
        print(f"tare {label}: {tot_found[label]} of {tot_want[label]} expected efforts found on the left "
              f"(counting at most the expected number per recording)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
