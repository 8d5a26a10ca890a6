#!/usr/bin/python3
"""Black-box tests of the bridgemon command line: help, version, usage
errors, `simulate`, and `analyze` (table, JSON read back with Python's json
module, every malformed-CSV case, exit codes, nothing half-written).

usage: test_cli.py PATH/TO/bridgemon
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import bmframes as bf  # noqa: E402

BRIDGEMON = None


def run(*args, stdin=None):
    p = subprocess.run([BRIDGEMON, *args], capture_output=True, text=True, input=stdin,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="bm_cli_")
        self.d = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.d, name)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p


class TestBasics(Tmp):
    def test_version(self):
        rc, out, err = run("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^bridgemon \d+\.\d+\.\d+\n$")

    def test_help_lists_subcommands(self):
        rc, out, _ = run("--help")
        self.assertEqual(rc, 0)
        for sub in ("analyze", "simulate"):
            self.assertIn(sub, out)

    def test_subcommand_help(self):
        for sub in ("analyze", "simulate"):
            rc, out, err = run(sub, "--help")
            self.assertEqual(rc, 0, sub)
            self.assertTrue(out.startswith("usage: bridgemon " + sub), out)

    def test_unknown_subcommand(self):
        rc, out, err = run("frobnicate")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        # Usage errors are one line, and say where the usage is.
        self.assertEqual(err.splitlines(), ["bridgemon: unknown subcommand 'frobnicate' (see bridgemon --help)"])

    def test_unknown_flag(self):
        rc, out, err = run("analyze", "x.csv", "--bogus")
        self.assertEqual(rc, 1)
        self.assertEqual(err.splitlines(),
                         ["bridgemon analyze: unknown option '--bogus' (see bridgemon analyze --help)"])

    def test_bad_flag_values(self):
        for args, msg in ((("--asym-threshold", "abc"), "'abc' is not a number"),
                          (("--min-hold", "-3"), "out of range"),
                          (("--max-rep", ""), "needs a value"),
                          (("--max-force", "0"), "out of range")):
            rc, out, err = run("analyze", "x.csv", *args)
            self.assertEqual(rc, 1, args)
            self.assertIn(msg, err.splitlines()[0], args)

    def test_missing_value(self):
        rc, _, err = run("analyze", "x.csv", "--min-hold")
        self.assertEqual(rc, 1)
        self.assertIn("needs a value", err.splitlines()[0])

    def test_missing_file(self):
        rc, out, err = run("analyze", self.path("nope.csv"))
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertEqual(len(err.splitlines()), 1)
        self.assertIn("nope.csv: cannot open", err)

    def test_ports_lists_without_crashing(self):
        rc, out, err = run("ports", "--no-probe")
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.strip(), "one line per port, or a line saying there are none")
        rc, _, err = run("ports", "--bogus")
        self.assertEqual(rc, 1)

    def test_simulate_needs_out(self):
        rc, _, err = run("simulate", "--seconds", "10")
        self.assertEqual(rc, 1)
        self.assertIn("--out", err.splitlines()[0])


HOLD_KEYS = {"leg", "start_s", "end_s", "mean_n", "peak_n", "cv_pct", "impulse_ns"}
REP_KEYS = {"leg", "start_s", "end_s", "peak_n", "tut_s"}
PAIR_KEYS = {"kind", "start_s", "end_s", "left_n", "right_n", "asymmetry_pct", "weaker", "flagged"}


class TestAnalyze(Tmp):
    def simulate(self, *extra, seconds=240, seed=5):
        csv, truth = self.path("s.csv"), self.path("s.json")
        rc, out, err = run("simulate", "--seconds", str(seconds), "--seed", str(seed),
                           "--out", csv, "--truth", truth, *extra)
        self.assertEqual(rc, 0, err)
        with open(truth) as f:
            return csv, json.load(f)

    def analyze_json(self, csv, *extra):
        rc, out, err = run("analyze", csv, "--json", *extra)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def test_json_shape(self):
        csv, truth = self.simulate(seed=11, seconds=600)
        j = self.analyze_json(csv)
        self.assertTrue({"duration_s", "sample_rate_hz", "holds", "reps", "bilateral",
                         "summary"} <= set(j))
        self.assertAlmostEqual(j["sample_rate_hz"], 80.0, delta=1.0)
        self.assertGreater(j["duration_s"], 590)
        for h in j["holds"]:
            self.assertTrue(HOLD_KEYS <= set(h), h)
            self.assertIn(h["leg"], ("left", "right"))
            self.assertLess(h["start_s"], h["end_s"])
            # Holds of any length are reported; those of --min-hold (10 s)
            # and more count toward the hold time.
            self.assertEqual(h["counted"], h["end_s"] - h["start_s"] >= 10.0, h)
            self.assertAlmostEqual(h["peak_above_rest_n"], h["peak_n"] - h["baseline_n"], delta=0.11)
            self.assertAlmostEqual(h["mean_above_rest_n"], h["mean_n"] - h["baseline_n"], delta=0.11)
        for r in j["reps"]:
            self.assertTrue(REP_KEYS <= set(r), r)
            self.assertTrue(0.3 <= r["end_s"] - r["start_s"] <= 6.0 + 1e-6, r)
        for p in j["bilateral"]:
            self.assertTrue(PAIR_KEYS <= set(p), p)
            self.assertIn(p["kind"], ("hold", "rep"))
            # Asymmetry on the force above each leg's rest.
            a, b = p["left_above_rest_n"], p["right_above_rest_n"]
            hi, lo = max(a, b), min(a, b)
            # Both printed to 0.1 N: allow for that rounding.
            self.assertAlmostEqual(p["asymmetry_pct"], (hi - lo) / hi * 100,
                                   delta=0.11 + 10.0 / hi)
            self.assertEqual(p["weaker"], "left" if a < b else "right")
            self.assertEqual(p["flagged"], p["asymmetry_pct"] > 10.0)
        s = j["summary"]
        self.assertEqual(set(s["hold_time_s"]), {"left", "right"})
        for leg in ("left", "right"):
            want = sum(h["end_s"] - h["start_s"] for h in j["holds"] if h["leg"] == leg and h["counted"])
            self.assertAlmostEqual(s["hold_time_s"][leg], want, delta=0.1)
        self.assertEqual(s["reps"]["left"], sum(r["leg"] == "left" for r in j["reps"]))
        self.assertEqual(s["reps"]["right"], sum(r["leg"] == "right" for r in j["reps"]))
        self.assertEqual(s["asym_threshold_pct"], 10.0)
        self.assertIn("single_leg_lsi_pct", s)
        # Against the truth: same number of efforts per kind and leg.
        for kind, key in (("hold", "holds"), ("rep", "reps")):
            for leg in ("left", "right"):
                want = sum(e["kind"] == kind and e["leg"] == leg for e in truth["events"])
                got = sum(e["leg"] == leg for e in j[key])
                self.assertEqual(got, want, f"{leg} {key}")

    def test_threshold_flags(self):
        csv, _ = self.simulate(seed=11, seconds=600)
        all_flagged = self.analyze_json(csv, "--asym-threshold", "0")
        none_flagged = self.analyze_json(csv, "--asym-threshold", "100")
        self.assertGreater(len(all_flagged["bilateral"]), 0)
        self.assertTrue(all(p["flagged"] for p in all_flagged["bilateral"]
                            if p["asymmetry_pct"] > 0))
        self.assertFalse(any(p["flagged"] for p in none_flagged["bilateral"]))
        self.assertEqual(none_flagged["summary"]["asym_threshold_pct"], 100.0)

    def test_min_hold_and_max_rep(self):
        csv, _ = self.simulate(seed=11, seconds=600)
        base = self.analyze_json(csv)
        strict = self.analyze_json(csv, "--min-hold", "35")
        # --min-hold decides what counts toward the hold time, never hides a hold.
        self.assertEqual(len(strict["holds"]), len(base["holds"]))
        self.assertTrue(all(h["counted"] == (h["end_s"] - h["start_s"] >= 35) for h in strict["holds"]))
        for leg in ("left", "right"):
            self.assertLessEqual(strict["summary"]["hold_time_s"][leg], base["summary"]["hold_time_s"][leg])
        short = self.analyze_json(csv, "--max-rep", "1.0")
        self.assertTrue(all(r["end_s"] - r["start_s"] <= 1.0 + 1e-6 for r in short["reps"]))

    def test_epoch_times(self):
        csv, truth = self.simulate("--t0", "1764091234.5", seed=3, seconds=300)
        j = self.analyze_json(csv)
        self.assertGreater(len(j["holds"]) + len(j["reps"]), 0)
        for e in j["holds"] + j["reps"]:
            self.assertGreater(e["start_s"], 1764091234.5)
            self.assertLess(e["end_s"], 1764091234.5 + 301)
        # Same session at t0 = 0: same events, shifted.
        csv0, _ = self.simulate(seed=3, seconds=300)
        j0 = self.analyze_json(csv0)
        self.assertEqual(len(j["reps"]), len(j0["reps"]))
        for a, b in zip(j["reps"], j0["reps"]):
            self.assertAlmostEqual(a["start_s"] - 1764091234.5, b["start_s"], delta=0.002)

    def test_table_output(self):
        csv, _ = self.simulate(seed=2)
        rc, out, err = run("analyze", csv)
        self.assertEqual(rc, 0, err)
        for part in ("Holds", "Reps", "asymmetry", "Summary"):
            self.assertIn(part, out)

    def test_stdin(self):
        csv, _ = self.simulate(seed=2, seconds=60)
        with open(csv) as f:
            rc, out, err = run("analyze", "-", "--json", stdin=f.read())
        self.assertEqual(rc, 0, err)
        self.assertIn("holds", json.loads(out))

    def test_lsi_null_without_single_leg_holds(self):
        # A hand-made session: rest, one double-leg hold, rest.
        rows = ["t_s,left_n,right_n"]
        for i in range(80 * 60):
            t = i / 80
            up = 300 if 15 <= t < 45 else 0
            rows.append(f"{t:.4f},{50 + up + math.sin(i) * 0.5:.3f},{45 + up * 0.8:.3f}")
        j = self.analyze_json(self.write("d.csv", "\n".join(rows) + "\n"))
        self.assertEqual(len(j["holds"]), 2)
        self.assertIsNone(j["summary"]["single_leg_lsi_pct"])
        self.assertEqual(len(j["bilateral"]), 1)
        p = j["bilateral"][0]
        self.assertEqual(p["weaker"], "right")
        # Above rest: left 300 N, right 240 N (rests 50 and 45 N).
        self.assertAlmostEqual(p["asymmetry_pct"], (300 - 240) / 300 * 100, delta=0.5)
        self.assertAlmostEqual(p["left_n"], 350, delta=1)
        self.assertAlmostEqual(p["right_n"], 285, delta=1)
        self.assertTrue(p["flagged"])

    def test_rate_from_rounded_times(self):
        # Times written to the millisecond at 80 SPS: steps of 12 and 13 ms.
        rows = ["t_s,left_n,right_n"] + [f"{i * 0.0125:.3f},50,50" for i in range(800)]
        j = self.analyze_json(self.write("ms.csv", "\n".join(rows) + "\n"))
        self.assertAlmostEqual(j["sample_rate_hz"], 80.0, delta=0.15)
        self.assertEqual(j["data"]["samples_filled"], 0)

    def test_minimal_files(self):
        # Header only, one row: valid, nothing found.
        for text in ("t_s,left_n,right_n\n", "t_s,left_n,right_n\n0,50,50\n"):
            j = self.analyze_json(self.write("m.csv", text))
            self.assertEqual(j["holds"], [])
            self.assertEqual(j["reps"], [])
            self.assertEqual(j["duration_s"], 0)


MALFORMED = [
    ("t_s,left_n,right_n\n0,1,2\n0.0125,abc,2\n", 3, "is not a number"),
    ("t_s,left_n,right_n\n0,1,2\n0.5,1,2\n0.25,1,2\n", 4, "time goes backwards"),
    ("t_s,left_n\n0,1\n", 1, "missing column 'right_n'"),
    ("left_n,right_n\n1,2\n", 1, "missing column 't_s'"),
    ("t_s,left_n,right_n\n0,1,2\n0.0125,1\n", 3, "cells"),
    ("t_s,left_n,right_n\n,1,2\n", 2, "t_s is empty"),
    ("# only comments\n", 2, "no header row"),
    ("", 1, "no header row"),
]


class TestMalformed(Tmp):
    def test_each_case(self):
        for text, line, reason in MALFORMED:
            p = self.write("bad.csv", text)
            for extra in ((), ("--json",)):
                rc, out, err = run("analyze", p, *extra)
                self.assertEqual(rc, 2, (text, err))
                self.assertEqual(out, "", "nothing half-written on stdout")
                lines = err.splitlines()
                self.assertEqual(len(lines), 1, err)
                self.assertIn(f"bad.csv:{line}:", lines[0])
                self.assertIn(reason, lines[0])

    def test_late_error_prints_nothing(self):
        # A long valid file with a bad row at the end: still nothing on stdout.
        rows = ["t_s,left_n,right_n"] + [f"{i / 80:.4f},50,50" for i in range(20000)]
        rows.append("250.0,oops,50")
        rc, out, err = run("analyze", self.write("late.csv", "\n".join(rows) + "\n"))
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("late.csv:20002:", err)


class TestLive(Tmp):
    """The live subcommands without a window."""

    def test_replay_finds_what_analyze_finds(self):
        csv = self.path("s.csv")
        rc, _, err = run("simulate", "--seconds", "300", "--seed", "21", "--out", csv)
        self.assertEqual(rc, 0, err)
        summary, events = self.path("r.json"), self.path("r.events.csv")
        rc, _, err = run("replay", csv, "--speed", "0", "--no-window",
                         "--summary", summary, "--events", events)
        self.assertEqual(rc, 0, err)
        rc, out, err = run("analyze", csv, "--json")
        self.assertEqual(rc, 0, err)
        with open(summary) as f:
            self.assertEqual(json.load(f), json.loads(out))
        with open(events) as f:
            rows = f.read().splitlines()
        j = json.loads(out)
        self.assertEqual(rows[0].split(",")[:4], ["kind", "leg", "start_s", "end_s"])
        self.assertEqual(len(rows) - 1, len(j["holds"]) + len(j["reps"]))

    def test_record_demo(self):
        out = self.path("rec.csv")
        rc, _, err = run("record", "--demo", "--seed", "4", "--seconds", "120", "--speed", "0",
                         "--out", out)
        self.assertEqual(rc, 0, err)
        for f in ("rec.csv", "rec.events.csv", "rec.summary.json", "rec.meta.json"):
            self.assertTrue(os.path.exists(self.path(f)), f)
        with open(out) as f:
            lines = f.read().splitlines()
        self.assertFalse(any(l.startswith("#") for l in lines))
        with open(self.path("rec.meta.json")) as f:
            meta = json.load(f)
        self.assertEqual(meta["sample_rate_hz"], 80)
        self.assertTrue(meta["start_time"])
        # Simulated data is marked as such.
        self.assertTrue(meta["demo"])
        self.assertEqual(meta["source"], "demo")
        rows = [l for l in lines if not l.startswith("#")]
        self.assertEqual(rows[0], "t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags")
        t = [float(r.split(",")[0]) for r in rows[1:]]
        self.assertTrue(119.0 < t[-1] - t[0] < 120.0, t[-1] - t[0])
        rc, js, err = run("analyze", out, "--json")
        self.assertEqual(rc, 0, err)
        with open(self.path("rec.summary.json")) as f:
            self.assertEqual(json.load(f), json.loads(js))
        # Never overwritten: a second recording to the same file is refused.
        with open(out) as f:
            before = f.read()
        rc, _, err = run("record", "--demo", "--seconds", "5", "--speed", "0", "--out", out)
        self.assertEqual(rc, 3)
        self.assertIn("rec.csv", err)
        with open(out) as f:
            self.assertEqual(f.read(), before)

    def test_history(self):
        for seed, day in ((4, "2026-11-20"), (5, "2026-11-18")):
            rc, _, err = run("record", "--demo", "--seed", str(seed), "--seconds", "200",
                             "--speed", "0", "--out", self.path(f"{day}T08-00-00.csv"))
            self.assertEqual(rc, 0, err)
        self.write("broken.summary.json", "{not json")
        # Demo recordings only with --include-demo; a bad summary: exit 2.
        rc, out, err = run("history", self.d, "--json")
        self.assertEqual((rc, json.loads(out)), (2, []), err)
        rc, out, err = run("history", self.d, "--json", "--include-demo")
        self.assertEqual(rc, 2, err)
        self.assertIn("1 recording could not be read", err)
        h = json.loads(out)
        self.assertEqual([e["recording"] for e in h], ["2026-11-18T08-00-00", "2026-11-20T08-00-00"])
        for e in h:
            with open(self.path(e["recording"] + ".summary.json")) as f:
                s = json.load(f)
            self.assertEqual(e["reps"], s["summary"]["reps"])
            self.assertEqual(e["hold_time_s"], s["summary"]["hold_time_s"])
            self.assertEqual(e["single_leg_lsi_pct"], s["summary"]["single_leg_lsi_pct"])
            self.assertEqual(e["bilateral"], len(s["bilateral"]))
            self.assertEqual(e["bilateral_flagged"], sum(p["flagged"] for p in s["bilateral"]))
        rc, out, _ = run("history", self.d, "--include-demo")
        self.assertEqual(rc, 2)
        self.assertEqual(len(out.splitlines()), 3)
        empty = self.path("empty")
        os.mkdir(empty)
        rc, out, _ = run("history", empty)
        self.assertEqual(rc, 0)
        self.assertIn("no recordings", out)
        rc, _, err = run("history", self.path("nope"))
        self.assertEqual(rc, 2)
        self.assertIn("cannot open", err)

    def test_record_needs_seconds(self):
        rc, _, err = run("record", "--demo")
        self.assertEqual(rc, 1)
        self.assertIn("--seconds", err.splitlines()[0])

    def test_record_bad_port(self):
        rc, out, err = run("record", "--port", self.path("no-such-tty"), "--seconds", "1",
                           "--out", self.path("x.csv"))
        self.assertEqual(rc, 2)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("no-such-tty", err)
        self.assertFalse(os.path.exists(self.path("x.csv")))

    def test_replay_malformed(self):
        p = self.write("bad.csv", "t_s,left_n,right_n\n0,1,2\n0.1,x,2\n")
        rc, _, err = run("replay", p, "--speed", "0", "--no-window")
        self.assertEqual(rc, 2)
        self.assertIn("bad.csv:3:", err)

    def test_replay_options(self):
        rc, _, err = run("replay")
        self.assertEqual(rc, 1)
        rc, _, err = run("replay", "x.csv", "--port", "/dev/null")
        self.assertEqual(rc, 1)
        self.assertIn("unknown option '--port'", err.splitlines()[0])


class PtyBoard:
    """A board on a pseudo-terminal, played from Python (frames made by
    tests/support/bmframes.py, independently of the C code)."""

    def __init__(self, frames_after_open):
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)
        os.set_blocking(self.master, False)
        self.frames = frames_after_open
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        # Like an Arduino, start when the host opens the port and speaks.
        deadline = time.time() + 10
        while not self.stop and time.time() < deadline:
            try:
                if os.read(self.master, 256):
                    break
            except OSError:  # EAGAIN, or EIO while no one has the slave open
                time.sleep(0.005)
        os.write(self.master, b"\x00")
        for f in self.frames:
            if self.stop:
                break
            os.write(self.master, f)
            try:
                os.read(self.master, 256)
            except OSError:
                pass
            time.sleep(0.0125)

    def close(self):
        self.stop = True
        self.thread.join(5)
        os.close(self.master)


class TestBoard(Tmp):
    def test_protocol_version_refused(self):
        board = PtyBoard([bf.info(proto=2)] * 100)
        try:
            rc, _, err = run("record", "--port", board.path, "--seconds", "3",
                             "--out", self.path("v.csv"))
        finally:
            board.close()
        self.assertEqual(rc, 2, err)
        line = [l for l in err.splitlines() if "protocol" in l]
        self.assertEqual(len(line), 1, err)
        self.assertIn("protocol 2", line[0])
        self.assertIn("speaks 1", line[0])
        self.assertFalse(os.path.exists(self.path("v.csv")))

    def test_samples_arrive_exactly(self):
        frames = [bf.info()] + [bf.sample(i, i * 12500, 100000 + 7 * i, -3000 - i,
                                          2 if i == 50 else 0, 0) for i in range(240)]
        board = PtyBoard(frames)
        out = self.path("b.csv")
        try:
            rc, _, err = run("record", "--port", board.path, "--seconds", "2.9", "--out", out)
        finally:
            board.close()
        self.assertEqual(rc, 0, err)
        with open(out) as f:
            lines = f.read().splitlines()
        # Header and rows only; the board's INFO is in the sidecar.
        self.assertFalse(any(l.startswith("#") for l in lines), lines[:3])
        with open(out[:-4] + ".meta.json") as f:
            meta = json.load(f)
        self.assertIn("protocol 1", meta["device"])
        self.assertEqual(meta["source"], "board")
        self.assertFalse(meta["demo"])
        self.assertTrue(meta["closed"])
        rows = [l.split(",") for l in lines if not l.startswith("#")][1:]
        self.assertGreater(len(rows), 200)
        for r in rows:
            seq = int(r[5])
            self.assertEqual(int(r[3]), 100000 + 7 * seq)
            self.assertEqual(int(r[4]), -3000 - seq)
            self.assertEqual(int(r[6]), 2 if seq == 50 else 0)
            self.assertAlmostEqual(float(r[0]), seq * 0.0125, delta=1e-6)
        self.assertEqual([int(r[5]) for r in rows], list(range(len(rows))))


class TestSimulate(Tmp):
    def test_deterministic_and_replaced_whole(self):
        a, b = self.path("a.csv"), self.path("b.csv")
        for p in (a, b):
            rc, _, err = run("simulate", "--seconds", "30", "--seed", "9", "--out", p)
            self.assertEqual(rc, 0, err)

        def body(p):
            with open(p) as f:
                return [l for l in f if not l.startswith("# start_time")]
        self.assertEqual(body(a), body(b))
        # Replacing an existing file leaves no partial files behind.
        rc, _, _ = run("simulate", "--seconds", "30", "--seed", "10", "--out", a)
        self.assertEqual(rc, 0)
        self.assertEqual(sorted(os.listdir(self.d)), ["a.csv", "a.meta.json", "b.csv", "b.meta.json"])
        self.assertNotEqual(body(a), body(b))

    def test_rate_10(self):
        p = self.path("t.csv")
        rc, _, err = run("simulate", "--seconds", "20", "--rate", "10", "--out", p)
        self.assertEqual(rc, 0, err)
        with open(p) as f:
            lines = [l for l in f if not l.startswith("#")]
        self.assertEqual(lines[0].strip(),
                         "t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags")
        self.assertTrue(150 <= len(lines) - 1 <= 201, len(lines))

    def test_bad_rate(self):
        rc, _, err = run("simulate", "--seconds", "20", "--rate", "40", "--out", self.path("x.csv"))
        self.assertEqual(rc, 1)
        self.assertIn("80 or 10", err.splitlines()[0])


if __name__ == "__main__":
    BRIDGEMON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
