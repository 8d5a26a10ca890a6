#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench_analyze.py - `bridgemon analyze` against a pandas + scipy peer.

    bench/bench_analyze.py --bridgemon BUILD/host/app/bridgemon
                           [--rows N] [--runs R] [--cache DIR] [--seed S]

Generates a simulated session of about N rows once (`bridgemon simulate`,
with its truth file) into the cache folder, unless it is there already;
then runs `bridgemon analyze --json` and bench/peer_pandas.py on it R times
each, alternately, under GNU time (/usr/bin/time -v), and prints wall time,
CPU time and peak resident memory of both, their ratios, a PASS/MISS line
per target (at least 3x faster, at most 1/10 of the peak memory), and how
far the two agree with each other and with the simulator's truth.

The file is read once before the timed runs, so both sides read it from the
page cache.  The speed verdict uses the median CPU time (user + sys) of
the runs: both programs are single-threaded, so on an idle machine it
equals the wall time, and unlike the wall time it does not grow while a
busy (shared) machine makes a program wait for a core.  Wall times, median
and minimum, are printed too, with a note when runs had to wait.  Should
either side use more than one core, the verdict uses the median wall time.

Exit status: 0 when everything ran, whether or not the targets were met;
1 when something could not run (a missing tool, a failed command, output
that is not the expected JSON).

Standard library only; the peer itself runs under --python (Debian's
/usr/bin/python3, where python3-pandas and python3-scipy import).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GNU_TIME = "/usr/bin/time"
# Rows per second of simulated session: 80 SPS less the simulator's clock
# error and its gaps (measured: 12500 s gave 990 258 rows, 126 300 s gave
# 10 002 403).
ROWS_PER_S = 79.22
SPEED_TARGET = 3.0   # bridgemon at least this many times faster (CPU time)
MEMORY_TARGET = 0.1  # bridgemon's peak RSS at most this share of the peer's


class BenchError(Exception):
    """Something could not run; the message says what."""


def machine():
    """A line about the machine: CPUs, CPU model, RAM, load."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = float("nan")
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram_gb = int(line.split()[1]) / 1024 / 1024
                    break
    except OSError:
        pass
    load = os.getloadavg()
    return "%d CPUs (nproc), %s, %.1f GiB RAM, load average %.2f %.2f %.2f" % (
        len(os.sched_getaffinity(0)), model, ram_gb, *load)


def data_rows(path):
    """Rows of a session CSV: lines that are not comments, less the header.
    Reading the whole file also puts it in the page cache for the timed runs."""
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if not line.startswith(b"#") and line.strip():
                n += 1
    return n - 1


def session(bridgemon, cache, rows, seed):
    """The cached session CSV and truth for ~rows rows, made if missing."""
    seconds = int(-(-rows // ROWS_PER_S))
    stem = os.path.join(cache, "session-seed%d-%ds" % (seed, seconds))
    csv, truth, meta = stem + ".csv", stem + ".truth.json", stem + ".meta.json"
    if os.path.exists(csv) and os.path.exists(truth) and os.path.exists(meta):
        print("session: %s (cached; delete it to make it again)" % csv)
        return csv, truth
    os.makedirs(cache, exist_ok=True)
    # Write under temporary names, rename when complete: an interrupted run
    # never leaves a truncated file that later runs would take as cached.
    tmp_csv, tmp_truth = stem + ".part.csv", stem + ".part.json"
    tmp_meta = stem + ".part.meta.json"  # the CSV's sidecar travels with it
    cmd = [bridgemon, "simulate", "--seconds", str(seconds), "--seed", str(seed),
           "--out", tmp_csv, "--truth", tmp_truth]
    print("session: generating %s" % csv)
    print("  $ %s" % " ".join(cmd))
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise BenchError("bridgemon simulate failed (exit %d): %s" % (r.returncode, r.stderr.strip()))
    os.replace(tmp_truth, truth)
    os.replace(tmp_meta, meta)
    os.replace(tmp_csv, csv)
    print("  took %.1f s" % (time.perf_counter() - t0))
    return csv, truth


def timed(cmd):
    """Run cmd under GNU time; return (stdout, wall_s, cpu_s, peak_rss_kb)."""
    with tempfile.NamedTemporaryFile("r", prefix="bm-bench-time-", suffix=".txt") as tf:
        t0 = time.perf_counter()
        r = subprocess.run([GNU_TIME, "-v", "-o", tf.name] + cmd,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        report = tf.read()
    if r.returncode != 0:
        raise BenchError("'%s' failed (exit %d): %s" % (" ".join(cmd), r.returncode,
                                                         r.stderr.strip()[-2000:]))

    def field(name):
        m = re.search(r"^\s*" + re.escape(name) + r":\s*([0-9.]+)\s*$", report, re.M)
        if not m:
            raise BenchError("GNU time printed no '%s' for '%s'" % (name, " ".join(cmd)))
        return float(m.group(1))

    cpu = field("User time (seconds)") + field("System time (seconds)")
    rss_kb = field("Maximum resident set size (kbytes)")
    return r.stdout, wall, cpu, rss_kb


def parse_json(text, who):
    try:
        return json.loads(text)
    except ValueError as e:
        raise BenchError("%s did not print JSON (%s): %.200s" % (who, e, text))


def bridgemon_counts(rep):
    out = {}
    for leg in ("left", "right"):
        holds = [h for h in rep["holds"] if h["leg"] == leg]
        out[leg] = {"holds": len(holds),
                    "reps": sum(1 for r in rep["reps"] if r["leg"] == leg),
                    "hold_time_s": round(sum(h["end_s"] - h["start_s"] for h in holds), 1)}
    return out


def truth_counts(truth):
    out = {}
    for leg in ("left", "right"):
        ev = [e for e in truth["events"] if e["leg"] == leg]
        holds = [e for e in ev if e["kind"] == "hold"]
        out[leg] = {"holds": len(holds),
                    "reps": sum(1 for e in ev if e["kind"] == "rep"),
                    "hold_time_s": round(sum(e["end_s"] - e["start_s"] for e in holds), 1)}
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bridgemon", required=True, help="the bridgemon executable")
    ap.add_argument("--rows", type=int, default=10_000_000,
                    help="about this many rows of session (default 10000000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each side (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    ap.add_argument("--cache", default="/tmp/bridgemon-bench",
                    help="folder for the generated session (default /tmp/bridgemon-bench)")
    ap.add_argument("--python", default="/usr/bin/python3",
                    help="interpreter with pandas and scipy (default /usr/bin/python3)")
    ap.add_argument("--peer", default=os.path.join(HERE, "peer_pandas.py"),
                    help="the peer script (default: peer_pandas.py beside this one)")
    a = ap.parse_args(argv[1:])
    if a.runs < 1 or a.rows < 1000:
        ap.error("--runs must be at least 1 and --rows at least 1000")

    started = time.perf_counter()
    try:
        if not (os.path.isfile(GNU_TIME) and os.access(GNU_TIME, os.X_OK)):
            raise BenchError("%s (GNU time) is missing: install the Debian package 'time' "
                             "(scripts/setup.sh does)" % GNU_TIME)
        for prog in (a.bridgemon, a.python):
            if not shutil.which(prog):
                raise BenchError("cannot run '%s'" % prog)
        print("machine: %s" % machine())
        csv, truth_path = session(os.path.abspath(a.bridgemon), a.cache, a.rows, a.seed)
        rows = data_rows(csv)
        size_mb = os.path.getsize(csv) / 1e6
        print("rows: %d (%.0f MB)" % (rows, size_mb))

        sides = {
            "bridgemon": [os.path.abspath(a.bridgemon), "analyze", "--json", csv],
            "pandas+scipy": [a.python, a.peer, csv],
        }
        for name, cmd in sides.items():
            print("%-13s $ %s" % (name + ":", " ".join(cmd)))
        res = {name: [] for name in sides}
        out = {}
        for i in range(a.runs):
            for name, cmd in sides.items():
                stdout, wall, cpu, rss = timed(cmd)
                res[name].append((wall, cpu, rss))
                out[name] = stdout
                print("  run %d/%d %-13s wall %7.2f s  cpu %7.2f s  peak RSS %9.1f MB"
                      % (i + 1, a.runs, name, wall, cpu, rss / 1024), flush=True)

        # Figures.
        print()
        print("| %-13s | wall median | wall min | CPU median |  peak RSS |" % "")
        print("|%s|-------------|----------|------------|-----------|" % ("-" * 15))
        med = {}
        for name, rs in res.items():
            walls = [r[0] for r in rs]
            cpus = [r[1] for r in rs]
            rss = max(r[2] for r in rs) / 1024
            med[name] = (statistics.median(walls), min(walls), statistics.median(cpus), rss)
            print("| %-13s | %9.2f s | %6.2f s | %8.2f s | %6.1f MB |"
                  % (name, med[name][0], med[name][1], med[name][2], rss))
        bm, pd = med["bridgemon"], med["pandas+scipy"]
        speed_cpu = pd[2] / bm[2]
        speed_wall = pd[0] / bm[0]
        speed_min = pd[1] / bm[1]
        mem = bm[3] / pd[3]
        # Both sides are single-threaded, so on an idle machine wall time
        # equals CPU time; when a run's wall time is well above its CPU time
        # it waited for a core (the machine is shared), and the wall ratio
        # says more about the neighbours than about the programs.  Should
        # either side ever use several cores (CPU time above wall time), CPU
        # time stops measuring what a user waits for: judge on wall time.
        runs = [r for rs in res.values() for r in rs]
        waited = sum(1 for w, c, _ in runs if w > 1.1 * c + 0.05)
        threaded = any(c > 1.1 * w + 0.05 for w, c, _ in runs)
        speed, basis = (speed_wall, "median wall") if threaded else (speed_cpu, "CPU time")
        print()
        print("speed: bridgemon is %.2fx faster on CPU time (user + sys, medians);"
              " %.2fx on median wall, %.2fx on min wall" % (speed_cpu, speed_wall, speed_min))
        if threaded:
            print("note: a side used more than one core (CPU > wall): the verdict uses wall time")
        elif waited:
            print("note: %d of %d runs waited for a CPU (wall > 1.1 x CPU + 0.05 s): the machine"
                  " is busy, the wall ratios are unreliable" % (waited, len(runs)))
        print("memory: bridgemon's peak RSS is %.4f of the peer's (1/%.0f)" % (mem, 1 / mem))
        print("target speed  >= %.0fx faster:       %s (%.2fx, %s)"
              % (SPEED_TARGET, "PASS" if speed >= SPEED_TARGET else "MISS", speed, basis))
        print("target memory <= 1/%.0f of the peak: %s (1/%.0f)"
              % (1 / MEMORY_TARGET, "PASS" if mem <= MEMORY_TARGET else "MISS", 1 / mem))

        # Agreement.
        bmc = bridgemon_counts(parse_json(out["bridgemon"], "bridgemon analyze"))
        peer = parse_json(out["pandas+scipy"], "the peer")
        with open(truth_path) as f:
            tc = truth_counts(json.load(f))
        print()
        print("agreement (per leg: holds / reps / hold time in s):")
        print("| leg   | %-24s | %-24s | %-24s |" % ("simulator truth", "bridgemon", "pandas+scipy peer"))
        print("|-------|%s|%s|%s|" % ("-" * 26, "-" * 26, "-" * 26))
        for leg in ("left", "right"):
            p = peer["legs"][leg]
            cells = ["%5d / %5d / %8.1f" % (c["holds"], c["reps"], c["hold_time_s"])
                     for c in (tc[leg], bmc[leg], p)]
            print("| %-5s | %-24s | %-24s | %-24s |" % (leg, *cells))
        if peer["rows"] != rows:
            print("note: the peer read %d rows, the file has %d" % (peer["rows"], rows))
    except (BenchError, OSError) as e:
        print("bench_analyze: %s" % e, file=sys.stderr)
        return 1
    print()
    print("benchmark took %.0f s in all" % (time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
