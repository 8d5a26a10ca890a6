#!/usr/bin/python3
"""outside_import.py - the Tindeq Progressor recordings through `bridgemon
import` as they are (no padding, no made-up other leg), then `bridgemon
analyze --json` on each result, against the app's own reference: info.csv's
reps x sets (each data_set file is one set of `reps` efforts), or one effort
for a single-file test; the app's Peak (Avg/Peak block) or max (header)
where the export has one.

A development script, not a test: the recordings are not part of the
project (no licence was given) and are read from where they lie, by default
../shared/outside/tindeq from the repository's root; when they are absent
the script says so in one line and exits 0.  The imports go to a temporary
folder, never into the repository.

Each file is imported twice: as the app tared it (rest about 0 N), and with
--rest 50 (a heel resting on a plate tared empty).

    outside_import.py BRIDGEMON [--outside DIR] [--verbose]
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

G = 9.80665
RESTS = (0, 50)


def rows_of(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def app_reference(path):
    """(expected efforts in this file, app's peak kg or None, what the app says)."""
    rows = rows_of(path)
    peak, head = None, {}
    for i, r in enumerate(rows):
        if r[:2] == ["time", "weight"]:
            break
        if r and r[0] == "Peak" and len(r) > 1:
            peak = float(r[1])
        if r and r[0] == "date" and i + 1 < len(rows):
            head = dict(zip(r, rows[i + 1]))
    info = os.path.join(os.path.dirname(path), "info.csv")
    if os.path.basename(path).startswith("data_set_") and os.path.exists(info):
        r = rows_of(info)
        d = dict(zip(r[0], r[1]))
        reps, sets = int(d["reps"]), int(d["sets"])
        return reps, peak, f"{reps} reps x {sets} sets ({reps} per file), {d['work dur.']} s work"
    if "max" in head:
        return 1, float(head["max"]), f"1 effort of {head.get('duration', '?')} s"
    return 1, peak, "1 pull (rate of force)"


def recordings(tindeq):
    out = []
    for name in sorted(os.listdir(tindeq)):
        p = os.path.join(tindeq, name)
        if os.path.isdir(p):
            out += [os.path.join(p, f) for f in sorted(os.listdir(p)) if f.startswith("data_set_")]
        elif name.endswith(".csv"):
            out.append(p)
    return out


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: outside_import.py BRIDGEMON [--outside DIR] [--verbose]", file=sys.stderr)
        return 1
    exe = os.path.abspath(argv[1])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    outside = argv[argv.index("--outside") + 1] if "--outside" in argv else os.path.join(root, "..", "shared", "outside")
    tindeq = os.path.join(outside, "tindeq") if os.path.isdir(os.path.join(outside, "tindeq")) else outside
    files = recordings(tindeq) if os.path.isdir(tindeq) else []
    if not files:
        print(f"outside_import: no Tindeq recordings at {os.path.normpath(tindeq)}; nothing to do")
        return 0
    verbose = "--verbose" in argv
    print(f"{'file':52s} {'rest':>4s} {'rows':>6s} {'Hz':>5s} {'miss':>5s} {'want':>4s} "
          f"{'holds':>5s} {'reps':>4s} {'other':>5s} {'peak err %':>10s}  app reference")
    found_total = {r: 0 for r in RESTS}
    want_total = 0
    with tempfile.TemporaryDirectory(prefix="bm-outside-import-") as tmp:
        for rest in RESTS:
            out = os.path.join(tmp, f"rest{rest}")
            p = subprocess.run([exe, "import", *files, "--out", out, "--rest", str(rest)],
                               capture_output=True, text=True)
            if p.returncode != 0:
                print(f"outside_import: import exit {p.returncode}: {p.stderr.strip()}")
            lines = {l.split(" -> ")[0]: l for l in p.stdout.splitlines()}
            for f in files:
                want, peak_kg, ref = app_reference(f)
                if rest == RESTS[0]:
                    want_total += want
                label = os.path.relpath(f, tindeq)
                line = lines.get(f)
                if not line:
                    print(f"{label:52s} {rest:4d}  not imported")
                    continue
                csv_out = line.split(" -> ")[1].split(": ")[0]
                rows = int(line.split(": ")[1].split()[0])
                hz = float(line.split(" at ")[1].split()[0])
                miss = line.split("; ")[1].split()[0] if "; " in line else "0"
                a = subprocess.run([exe, "analyze", csv_out, "--json"], capture_output=True, text=True)
                if a.returncode != 0:
                    print(f"{label:52s} {rest:4d}  analyze exit {a.returncode}: {a.stderr.strip()[:60]}")
                    continue
                j = json.loads(a.stdout)
                holds = [e for e in j["holds"] if e["leg"] == "left"]
                reps = [e for e in j["reps"] if e["leg"] == "left"]
                other = [e for e in j["holds"] + j["reps"] if e["leg"] != "left"]
                found_total[rest] += min(len(holds) + len(reps), want)
                err = "-"
                ev = holds + reps
                if peak_kg and ev:
                    top = max(e.get("peak_above_rest_n", e["peak_n"] - rest) for e in ev)
                    err = f"{100 * (top - peak_kg * G) / (peak_kg * G):+.1f}"
                print(f"{label:52s} {rest:4d} {rows:6d} {hz:5.1f} {miss:>5s} {want:4d} {len(holds):5d} "
                      f"{len(reps):4d} {len(other):5d} {err:>10s}  {ref}")
                if verbose:
                    for e in sorted(ev, key=lambda e: e["start_s"]):
                        print(f"    {'hold' if e in holds else 'rep '} {e['start_s']:7.2f}-{e['end_s']:7.2f} s "
                              f"peak {e['peak_n']:.1f} N")
    for rest in RESTS:
        print(f"rest {rest} N: {found_total[rest]} of {want_total} efforts of the app's reference found "
              f"on the sensor's leg (at most the reference per file counted)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
