#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench_live.py - the live monitor's figures (issue 4), under Xvfb.

    bench/bench_live.py --bridgemon BUILD/host/app/bridgemon [--seconds 30]

1. Latency: `bridgemon demo` in a real window for --seconds at 60 FPS, with
   BRIDGEMON_LATENCY_LOG set: for every sample, the time from the reader
   thread getting it to the end of the SDL_RenderPresent of the frame that
   shows it.  Printed: p50, p99, and p99 minus the 16.7 ms frame interval
   (the target: at most 2 ms on top of the frame interval).
2. CPU: the same run's user + sys time over its wall time (target: at most
   5 % of one core), and again at --fps 30.
3. Memory: a one-hour session replayed in the window at 30x speed (120 s),
   resident set size of the bridgemon process sampled every second from
   /proc (target: at most 1 MiB of growth after the start-up, taken as the
   first quarter of the run; growth is the median of the last quarter less
   the median of the second, since RSS swings by about a MiB as text
   textures come and go).

Prints the figures and PASS/MISS; exits 1 only when something cannot run.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

SPEED = 30  # the one-hour replay takes 2 minutes
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1280x720x24"]
ENV = dict(os.environ, SDL_AUDIODRIVER="dummy")


def run_demo(exe, seconds, fps, lat_path):
    env = dict(ENV, BRIDGEMON_LATENCY_LOG=lat_path)
    cmd = ["/usr/bin/time", "-f", "%U %S %e"] + XVFB + [exe, "demo", "--seconds", str(seconds),
                                                      "--seed", "12", "--fps", str(fps)]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"bench_live: demo failed: {p.stderr.strip()[-300:]}")
    user, sys_, wall = map(float, p.stderr.strip().splitlines()[-1].split())
    with open(lat_path) as f:
        lat = sorted(float(x) * 1000 for x in f)
    return user + sys_, wall, lat


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bridgemon", required=True)
    ap.add_argument("--seconds", type=float, default=30)
    a = ap.parse_args()
    exe = os.path.abspath(a.bridgemon)
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="bm-bench-live-") as d:
        print(f"machine: {os.cpu_count()} CPUs; window 1280x720 under Xvfb (Mesa software OpenGL)")
        for fps in (60, 30):
            cpu, wall, lat = run_demo(exe, a.seconds, fps, os.path.join(d, f"lat{fps}.txt"))
            p50 = lat[len(lat) // 2]
            p99 = lat[int(len(lat) * 0.99)]
            frame = 1000.0 / fps
            share = 100 * cpu / wall
            print(f"demo {a.seconds:g} s at {fps} FPS: {len(lat)} samples, latency p50 {p50:.2f} ms, "
                  f"p99 {p99:.2f} ms (p99 - frame interval {frame:.1f} ms = {p99 - frame:+.2f} ms); "
                  f"CPU {cpu:.2f} s over {wall:.1f} s = {share:.1f} % of one core")
            if fps == 60:
                print(f"  target latency p99 <= frame interval + 2 ms: "
                      f"{'PASS' if p99 - frame <= 2 else 'MISS'} ({p99 - frame:+.2f} ms)")
                print(f"  target CPU <= 5 % of one core: {'PASS' if share <= 5 else 'MISS'} ({share:.1f} %)")

        csv = os.path.join(d, "hour.csv")
        subprocess.run([exe, "simulate", "--seconds", "3600", "--seed", "3", "--out", csv], check=True)
        proc = subprocess.Popen(XVFB + [exe, "replay", csv, "--speed", str(SPEED), "--seconds", "3599"], env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        pid, samples = None, []
        start = time.time()
        while proc.poll() is None:
            if pid is None:
                # The bridgemon process itself, not xvfb-run's shell around it.
                out = subprocess.run(["pgrep", "-f", f"{exe} replay {csv} "], capture_output=True, text=True)
                for cand in out.stdout.split():
                    try:
                        if os.path.realpath(f"/proc/{cand}/exe") == os.path.realpath(exe):
                            pid = cand
                    except OSError:
                        pass
            elif (r := rss_kb(pid)) is not None:
                samples.append((time.time() - start, r))
            time.sleep(1.0)
        if proc.returncode != 0 or len(samples) < 10:
            raise SystemExit(f"bench_live: replay failed ({proc.returncode}): {proc.stderr.read()[-300:]}")
        # The first quarter is start-up: fonts, the text cache filling up to
        # its bound (160 strings), the GL driver's buffers.  After it, RSS
        # swings by about a MiB as text textures come and go, so growth is
        # judged on medians: the last quarter's against the second's.
        end_t = samples[-1][0]
        quarters = [[r / 1024 for t, r in samples if k * end_t / 4 <= t < (k + 1) * end_t / 4 + (k == 3)]
                    for k in range(4)]
        med = [statistics.median(q) for q in quarters]
        growth = med[3] - med[1]
        print(f"replay of a one-hour session at {SPEED}x ({end_t:.0f} s): RSS {samples[0][1] / 1024:.1f} MiB "
              f"at start; medians by quarter " + ", ".join(f"{m:.1f}" for m in med) +
              f" MiB (range after the first quarter {min(min(q) for q in quarters[1:]):.1f}-"
              f"{max(max(q) for q in quarters[1:]):.1f}); growth from the second quarter to the "
              f"last {growth:+.2f} MiB")
        print(f"  target RSS growth <= 1 MiB: {'PASS' if growth <= 1 else 'MISS'}")
    print(f"benchmark took {time.time() - t0:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
