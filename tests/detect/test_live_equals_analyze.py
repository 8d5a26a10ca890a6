#!/usr/bin/python3
"""test_live_equals_analyze.py - one truth: every session of the simulated
athlete (bridgemon simulate) and of the independent generator's conditions
(indep_session.py) is replayed through the live pipeline (`bridgemon replay
FILE --speed 0 --no-window --summary S --events E`), and its final state is
compared with `bridgemon analyze FILE --json` field by field: the summary
JSON must be equal as parsed, the events file must hold the same efforts,
and the counters the live pipeline ends on (its final terminal line: holds,
counted hold time and reps per leg) must be analyze's.

    test_live_equals_analyze.py BRIDGEMON [--quick]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import indep_session  # noqa: E402

SIMULATED = [  # (seed, rate, extra simulate options)
    (7, 80, []), (21, 80, []), (33, 80, ["--t0", "1764091234"]),
    (45, 10, ["--rate", "10"]), (58, 80, ["--gaps-in-efforts"]),
]
CONDITIONS = [  # (seed, rate, conditions)
    (301, 80.0, None), (302, 80.0, ["rest0"]), (303, 80.0, ["midstart"]),
    (304, 80.0, ["stuck"]), (305, 80.0, ["repeaters"]), (306, 10.0, ["rate10", "light"]),
    (307, 80.0, ["sags", "unequal_rest"]), (308, 80.0, ["max", "steps"]),
    (309, 80.0, ["rate87", "rest0", "max", "repeaters"]), (310, 80.0, ["gaps", "glitches"]),
]
FINAL = re.compile(r"holds (\d+)/(\d+) \(([\d.]+) s counted\), reps (\d+)/(\d+)")


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def compare(exe, csv, name, problems):
    d = os.path.dirname(csv)
    summary, events = os.path.join(d, name + ".live.json"), os.path.join(d, name + ".live.events.csv")
    live = run(exe, "replay", csv, "--speed", "0", "--no-window", "--summary", summary,
               "--events", events)
    if live.returncode != 0:
        problems.append(f"{name}: replay failed ({live.returncode}): {live.stderr.strip()[-300:]}")
        return
    off = run(exe, "analyze", csv, "--json")
    if off.returncode != 0:
        problems.append(f"{name}: analyze failed: {off.stderr.strip()}")
        return
    a = json.loads(off.stdout)
    with open(summary) as f:
        s = json.load(f)
    if s != a:
        keys = [k for k in a if a.get(k) != s.get(k)]
        problems.append(f"{name}: the live summary differs from analyze in {keys}")
    with open(events) as f:
        rows = f.read().splitlines()[1:]
    if len(rows) != len(a["holds"]) + len(a["reps"]):
        problems.append(f"{name}: {len(rows)} live events, analyze has "
                        f"{len(a['holds']) + len(a['reps'])}")
    m = FINAL.search(live.stderr)
    if not m:
        problems.append(f"{name}: no final counters in the replay's output")
        return
    holds = (int(m.group(1)), int(m.group(2)))
    reps = (int(m.group(4)), int(m.group(5)))
    want_holds = tuple(sum(h["leg"] == leg for h in a["holds"]) for leg in ("left", "right"))
    want_reps = (a["summary"]["reps"]["left"], a["summary"]["reps"]["right"])
    counted = max(a["summary"]["hold_time_s"]["left"], a["summary"]["hold_time_s"]["right"])
    if holds != want_holds or reps != want_reps or abs(float(m.group(3)) - counted) > 0.51:
        problems.append(f"{name}: live ended on holds {holds}, {m.group(3)} s, reps {reps}; "
                        f"analyze: holds {want_holds}, {counted:.1f} s, reps {want_reps}")
    print(f"{name}: holds {want_holds} reps {want_reps} counted {counted:.1f} s: "
          f"{'same' if not problems or not problems[-1].startswith(name) else 'DIFFERENT'}")


def main():
    exe = sys.argv[1]
    quick = "--quick" in sys.argv
    problems = []
    with tempfile.TemporaryDirectory(prefix="bm-one-truth-") as d:
        for seed, rate, extra in SIMULATED[:2] if quick else SIMULATED:
            csv = os.path.join(d, f"sim{seed}.csv")
            r = run(exe, "simulate", "--seconds", "420", "--seed", str(seed), "--out", csv, *extra)
            if r.returncode != 0:
                problems.append(f"simulate {seed}: {r.stderr.strip()}")
                continue
            compare(exe, csv, f"sim{seed}", problems)
        for seed, rate, cond in CONDITIONS[:3] if quick else CONDITIONS:
            csv = os.path.join(d, f"indep{seed}.csv")
            indep_session.write(seed, rate, csv, False, cond)
            compare(exe, csv, f"indep{seed}{'+' + '+'.join(cond) if cond else ''}", problems)
    for p in problems:
        print("FAIL:", p)
    print(f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
