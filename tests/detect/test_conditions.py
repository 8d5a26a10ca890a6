#!/usr/bin/python3
"""test_conditions.py - `bridgemon analyze` scored per generator condition
(indep_session.py CONDITIONS): each condition alone and a few mixes, four
seeds each, against the generator's truth.

Per condition:
  F1     efforts (holds + reps) matched to truth efforts of the same leg, one
         to one, by intersection over union >= 0.5; kind ignored.  Where the
         truth has a stuck chip (one leg's cells empty inside a hold), two
         parts both flagged cut_by_gap on either side of it count as one.
  kind   share of matches whose kind is the truth's ("either" fits both).
  peak   share of matches whose peak_above_rest_n is within 2 % of the
         truth's noise-free peak above rest, or within 5 noise SDs when
         that is wider (light efforts: the noise alone is more than 2 %);
         a missing key is a miss.
  flags  share of truth bilateral pairs (both efforts matched; asymmetry
         not within 1.5 points of 10 %) whose bilateral entry is there and
         flagged as the truth is.
  pk-base  (information only, not judged) the peak share with peak_n -
         baseline_n instead of peak_above_rest_n.
Exit 1 unless every condition has F1 >= 0.97, kind >= 0.97, peak >= 90 %
and flags >= 0.97.

    test_conditions.py BRIDGEMON [--verbose] [--condition NAME]

NAME is a condition or mix of the table (e.g. rest0, tindeq) or any
'+'-joined mix of indep_session conditions (e.g. rest0+sags).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import indep_session  # noqa: E402

MIN_F1, MIN_KIND, MIN_PEAK, MIN_FLAGS = 0.97, 0.97, 0.90, 0.97
PEAK_TOL, PEAK_NOISE_K = 0.02, 5.0
SEEDS_PER_CONDITION = 4

# (name, conditions); "default" is the original messy session at 80 Hz,
# 80 Hz with epoch times, and 10 Hz.
ALONE = ["plain", "rest0", "rest_low", "unequal_rest", "max", "repeaters", "sags", "steps",
         "midstart", "rate10", "rate87", "rate200", "rate1000", "stuck", "light", "glitches",
         "gaps", "epoch"]
MIXES = {
    "tindeq": "rest0+rate87+repeaters+max+midstart",
    "heel-tared-messy": "rest0+sags+glitches+gaps",
    "unequal-stuck": "unequal_rest+stuck+light+steps",
    "light-rest-10hz": "rest_low+max+rate10+epoch",
    "fast-stuck": "rest0+stuck+rate200+gaps",
}


def sessions_of(name):
    """[(seed, conditions)] for a condition or mix name."""
    if name == "default":
        return [(101, ["default"]), (104, ["default", "epoch"]), (201, ["default", "rate10"])]
    spec = MIXES.get(name, name)
    conds = [] if spec == "plain" else spec.split("+")
    indep_session.check_conditions(conds)
    base = 1000 + zlib.crc32(name.encode()) % 9000
    return [(base + i, conds) for i in range(SEEDS_PER_CONDITION)]


def iou(a0, a1, b0, b1):
    i = min(a1, b1) - max(a0, b0)
    u = max(a1, b1) - min(a0, b0)
    return i / u if i > 0 and u > 0 else 0.0


def match(found, truth):
    """One-to-one greedy matching by IoU >= 0.5, same leg: [(i_found, j_truth)]."""
    cand = sorted(((iou(f["start_s"], f["end_s"], t["start_s"], t["end_s"]), i, j)
                   for i, f in enumerate(found) for j, t in enumerate(truth) if f["leg"] == t["leg"]),
                  reverse=True)
    used_f, used_t, pairs = set(), set(), []
    for v, i, j in cand:
        if v < 0.5:
            break
        if i not in used_f and j not in used_t:
            used_f.add(i)
            used_t.add(j)
            pairs.append((i, j))
    return pairs


def detected_events(j, stuck):
    """Holds and reps of analyze's JSON, parts around a stuck chip merged."""
    ev = []
    for key, kind in (("holds", "hold"), ("reps", "rep")):
        for e in j.get(key, []):
            ev.append(dict(kind=kind, leg=e["leg"], start_s=e["start_s"], end_s=e["end_s"],
                           peak=e.get("peak_above_rest_n"),
                           peak_base=(e["peak_n"] - e["baseline_n"]) if "baseline_n" in e and "peak_n" in e else None,
                           cut=bool(e.get("cut_by_gap")), parts=1))
    ev.sort(key=lambda e: e["start_s"])
    for w in stuck:
        near = [e for e in ev if e["leg"] == w["leg"] and e["cut"]
                and e["start_s"] <= w["end_s"] + 1.0 and e["end_s"] >= w["start_s"] - 1.0]
        before = [e for e in near if e["end_s"] <= w["start_s"] + 0.5]
        after = [e for e in near if e["start_s"] >= w["end_s"] - 0.5]
        if before and after:
            a, b = before[-1], after[0]
            peaks = [p for p in (a["peak"], b["peak"]) if p is not None]
            bases = [p for p in (a["peak_base"], b["peak_base"]) if p is not None]
            merged = dict(kind="hold" if a["kind"] == b["kind"] == "hold" else "rep", leg=a["leg"],
                          start_s=a["start_s"], end_s=b["end_s"],
                          peak=max(peaks) if len(peaks) == 2 else None,
                          peak_base=max(bases) if len(bases) == 2 else None, cut=True, parts=2)
            ev = [e for e in ev if e is not a and e is not b] + [merged]
            ev.sort(key=lambda e: e["start_s"])
    return ev


def score_session(exe, path, truth, verbose):
    s = dict(tp=0, fp=0, fn=0, kind_ok=0, peak_ok=0, peak_base_ok=0, peak_missing=0,
             flag_ok=0, flag_n=0, notes=[])
    eff = truth["efforts"]
    out = subprocess.run([exe, "analyze", path, "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        s["fn"] = len(eff)
        s["flag_n"] = sum(p["flagged"] is not None for p in truth["pairs"])
        s["notes"].append(f"analyze exit {out.returncode}: {out.stderr.strip()[:200]}")
        return s
    j = json.loads(out.stdout)
    found = detected_events(j, truth["stuck"])
    pairs = match(found, eff)
    s["tp"] = len(pairs)
    s["fp"] = len(found) - len(pairs)
    s["fn"] = len(eff) - len(pairs)
    of_truth = {jt: i for i, jt in pairs}
    tol_noise = PEAK_NOISE_K * truth["noise_n"]
    for i, jt in pairs:
        f, t = found[i], eff[jt]
        if t["kind"] == "either" or f["kind"] == t["kind"]:
            s["kind_ok"] += 1
        elif verbose:
            s["notes"].append(f"kind {f['kind']} for truth {t['kind']} ({t['type']}) {t['leg']} "
                              f"{t['start_s']:.2f}-{t['end_s']:.2f}")
        tol = max(PEAK_TOL * t["peak_above_rest_n"], tol_noise)
        if f["peak"] is None:
            s["peak_missing"] += 1
        elif abs(f["peak"] - t["peak_above_rest_n"]) <= tol:
            s["peak_ok"] += 1
        elif verbose:
            s["notes"].append(f"peak {f['peak']:.1f} N for truth {t['peak_above_rest_n']:.1f} N (tolerance "
                              f"{tol:.1f}) {t['type']} {t['leg']} {t['start_s']:.2f}")
        if f["peak_base"] is not None and abs(f["peak_base"] - t["peak_above_rest_n"]) <= tol:
            s["peak_base_ok"] += 1
    if verbose:
        matched_f = {i for i, _ in pairs}
        for i, f in enumerate(found):
            if i not in matched_f:
                s["notes"].append(f"false {f['kind']} {f['leg']} {f['start_s']:.2f}-{f['end_s']:.2f}"
                                  f"{' (cut by gap)' if f['cut'] else ''}")
        for jt, t in enumerate(eff):
            if jt not in of_truth:
                s["notes"].append(f"missed {t['kind']} ({t['type']}) {t['leg']} {t['start_s']:.2f}-{t['end_s']:.2f}"
                                  f" peak {t['peak_above_rest_n']:.0f} N above rest")
    bil = j.get("bilateral", [])
    for p in truth["pairs"]:
        if p["flagged"] is None or p["left"] not in of_truth or p["right"] not in of_truth:
            continue
        s["flag_n"] += 1
        lt, rt = eff[p["left"]], eff[p["right"]]
        spans = [(lt["start_s"], lt["end_s"]), (rt["start_s"], rt["end_s"]),
                 (min(lt["start_s"], rt["start_s"]), max(lt["end_s"], rt["end_s"]))]
        best, best_v = None, 0.5
        for b in bil:
            v = max(iou(b["start_s"], b["end_s"], a0, a1) for a0, a1 in spans)
            if v >= best_v:
                best, best_v = b, v
        if best is not None and bool(best.get("flagged")) == p["flagged"]:
            s["flag_ok"] += 1
        elif verbose:
            got = "no bilateral entry" if best is None else \
                f"flagged {best.get('flagged')} at {best.get('asymmetry_pct')} %"
            s["notes"].append(f"pair {p['kind']} {lt['start_s']:.2f}: truth {p['asymmetry_pct']:.1f} % "
                              f"flagged {p['flagged']}, got {got}")
    return s


def ratio(a, b):
    return a / b if b else None


def fmt(v, pct=False):
    if v is None:
        return "n/a"
    return f"{100 * v:.0f}%" if pct else f"{v:.3f}"


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: test_conditions.py BRIDGEMON [--verbose] [--condition NAME]", file=sys.stderr)
        return 1
    exe = argv[1]
    verbose = "--verbose" in argv
    names = ["default"] + ALONE + list(MIXES)
    if "--condition" in argv:
        i = argv.index("--condition")
        if i + 1 >= len(argv):
            print("--condition needs a NAME", file=sys.stderr)
            return 1
        names = [argv[i + 1]]
        try:
            sessions_of(names[0])
        except ValueError as e:
            print(f"--condition {names[0]}: {e}", file=sys.stderr)
            return 1
    t_start = time.time()
    rows, all_ok = [], True
    with tempfile.TemporaryDirectory(prefix="bm-cond-") as d:
        for name in names:
            tot = dict(tp=0, fp=0, fn=0, kind_ok=0, peak_ok=0, peak_base_ok=0, peak_missing=0,
                       flag_ok=0, flag_n=0, truth=0)
            for seed, conds in sessions_of(name):
                path = os.path.join(d, f"{name}-{seed}.csv".replace("+", "_"))
                truth = indep_session.write(seed, 80.0, path, False, conds)
                s = score_session(exe, path, truth, verbose)
                for k in tot:
                    tot[k] += s.get(k, 0)
                tot["truth"] += len(truth["efforts"])
                if s["notes"] and (verbose or s["notes"][0].startswith("analyze exit")):
                    print(f"{name} seed {seed} ({'+'.join(conds) or 'plain'}):")
                    for note in s["notes"]:
                        print(f"    {note}")
            tp, fp, fn = tot["tp"], tot["fp"], tot["fn"]
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            kind = ratio(tot["kind_ok"], tp)
            peak = ratio(tot["peak_ok"], tp)
            flags = ratio(tot["flag_ok"], tot["flag_n"])
            ok = (f1 >= MIN_F1 and kind is not None and kind >= MIN_KIND and peak is not None
                  and peak >= MIN_PEAK and (flags is None or flags >= MIN_FLAGS))
            all_ok = all_ok and ok
            rows.append((name, tot, f1, kind, peak, ratio(tot["peak_base_ok"], tp), flags, ok))
    print(f"{'condition':18s} {'truth':>5s} {'TP':>5s} {'FP':>4s} {'FN':>4s} {'F1':>6s} {'kind':>6s} "
          f"{'peak':>5s} {'flags':>9s} {'pk-base':>7s}  verdict")
    for name, tot, f1, kind, peak, pbase, flags, ok in rows:
        fl = f"{fmt(flags)} /{tot['flag_n']}" if flags is not None else "n/a /0"
        pk = fmt(peak, True) + ("*" if tot["peak_missing"] else "")
        print(f"{name:18s} {tot['truth']:5d} {tot['tp']:5d} {tot['fp']:4d} {tot['fn']:4d} {f1:6.3f} "
              f"{fmt(kind):>6s} {pk:>5s} {fl:>9s} {fmt(pbase, True):>7s}  {'PASS' if ok else 'FAIL'}")
    if any(r[1]["peak_missing"] for r in rows):
        print("* peak_above_rest_n missing from some matched events (counted as misses)")
    print(f"thresholds: F1 >= {MIN_F1}, kind >= {MIN_KIND}, peak >= {MIN_PEAK:.0%} "
          f"(within {PEAK_TOL:.0%} or {PEAK_NOISE_K:g} noise SDs), flags >= {MIN_FLAGS}; "
          f"{len(rows)} conditions in {time.time() - t_start:.0f} s: {'PASS' if all_ok else 'FAIL'}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
