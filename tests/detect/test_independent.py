#!/usr/bin/python3
"""test_independent.py - `bridgemon analyze` on sessions from the independent
generator (indep_session.py): holds and reps per leg matched to its truth by
intersection over union >= 0.5, one to one; F1 must be at least 0.97 for
holds and for reps, at 80 and at 10 samples per second.

    test_independent.py BRIDGEMON [--verbose]
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import indep_session  # noqa: E402

SESSIONS = [(s, 80.0, s % 4 == 0) for s in range(101, 113)] + [(s, 10.0, False) for s in range(201, 207)]
MIN_F1 = 0.97


def iou(a, b):
    i = min(a[1], b[1]) - max(a[0], b[0])
    u = max(a[1], b[1]) - min(a[0], b[0])
    return i / u if i > 0 and u > 0 else 0


def match(found, truth):
    pairs = sorted(((iou(f[:2], t[:2]), i, j) for i, f in enumerate(found)
                    for j, t in enumerate(truth) if f[2] == t[2]), reverse=True)
    used_f, used_t = set(), set()
    for v, i, j in pairs:
        if v < 0.5:
            break
        if i not in used_f and j not in used_t:
            used_f.add(i)
            used_t.add(j)
    return (len(used_f), [f for i, f in enumerate(found) if i not in used_f],
            [t for j, t in enumerate(truth) if j not in used_t])


def main():
    exe = sys.argv[1]
    verbose = "--verbose" in sys.argv
    totals = {"hold": [0, 0, 0], "rep": [0, 0, 0]}
    with tempfile.TemporaryDirectory(prefix="bm-indep-") as d:
        for seed, rate, epoch in SESSIONS:
            path = os.path.join(d, f"s{seed}.csv")
            truth = indep_session.write(seed, rate, path, epoch)
            out = subprocess.run([exe, "analyze", path, "--json"], capture_output=True, text=True)
            if out.returncode != 0:
                print(f"FAIL: analyze of seed {seed}: {out.stderr.strip()}")
                return 1
            j = json.loads(out.stdout)
            line = f"seed {seed} at {rate:g} Hz{' (epoch)' if epoch else ''}:"
            for kind, key in (("hold", "holds"), ("rep", "reps")):
                found = [(e["start_s"], e["end_s"], e["leg"]) for e in j[key]]
                want = [(e["start_s"], e["end_s"], e["leg"]) for e in truth if e["kind"] == kind]
                tp, fp, fn = match(found, want)
                totals[kind][0] += tp
                totals[kind][1] += len(fp)
                totals[kind][2] += len(fn)
                line += f"  {key} {tp}/{len(want)} (+{len(fp)} false)"
                if verbose:
                    line += "".join(f"\n    false {kind} {x}" for x in fp)
                    line += "".join(f"\n    missed {kind} {x}" for x in fn)
            print(line)
    ok = True
    for kind, (tp, fp, fn) in totals.items():
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"{kind}s: {tp} found, {fp} false, {fn} missed: F1 {f1:.4f} (at least {MIN_F1})")
        ok = ok and f1 >= MIN_F1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
