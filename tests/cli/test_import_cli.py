#!/usr/bin/python3
"""Black-box tests of `bridgemon import`: a synthetic Tindeq-like repeaters
export (7 s on / 3 s off, 6 reps, 85 rows/s with one row in 16 missing, a
few stale rows at the start whose time goes backwards, the app's Avg/Peak
block above the rows, info.csv beside it) imports and `analyze` finds its
six holds on the sensor's leg and nothing on the other; a mapped CSV in
lbf; the sessions folder by default; exit codes and the one-line messages
(a bad file among good ones, an output that exists, usage errors).

The files are made here: the real Tindeq exports are not part of the
project.  Debian's python3, stdlib only.

usage: test_import_cli.py PATH/TO/bridgemon
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import unittest

BRIDGEMON = None
G = 9.80665

RATE_HZ = 85.0
LEAD_S = 3.0
REPS = 6
ON_S, OFF_S = 7.0, 3.0
KG = 25.0
STALE = (0.52, 0.41, 0.29, 0.18)


def run(*args, env=None):
    p = subprocess.run([BRIDGEMON, *args], capture_output=True, text=True, timeout=120,
                       env=env)
    return p.returncode, p.stdout, p.stderr


def effort_kg(t):
    w = 0.0
    for k in range(REPS):
        s = LEAD_S + k * (ON_S + OFF_S)
        w += KG * max(0.0, min(1.0, (t - s) / 0.3, (s + ON_S - t) / 0.3))
    return w


def tindeq_text(seed=3):
    """A Tindeq-like repeaters export, as the app writes it (CRLF, no line
    ending at the end); returns (text, rows kept)."""
    rnd = random.Random(seed)
    lines = [",Avg,Rep 1", f"Avg,{KG:.3f},{KG:.3f}", f"Peak,{KG + 0.5:.3f},{KG + 0.5:.3f}", ",",
             "time,weight"]
    lines += [f"{t},0.1" for t in STALE]
    n = int((LEAD_S + REPS * (ON_S + OFF_S)) * RATE_HZ)
    kept = 0
    for i in range(n):
        if i % 16 == 7:
            continue   # about one row in 16 never arrives
        t = i / RATE_HZ
        lines.append(f"{t:.6f},{effort_kg(t) + rnd.gauss(0, 0.05)!r}")
        kept += 1
    return "\r\n".join(lines), kept


INFO = ("date,tag,comment,unit,reps,work dur.,pause btw. reps,sets,pause btw. sets,mvc,"
        "Work Level (% of mvc),Rest level (% of mvc)\r\n2023-30-04 11:30:51,1,,SI,6,7,3,1,5,-,-,-\r\n")


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="bm_import_")
        self.d = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def path(self, *names):
        return os.path.join(self.d, *names)

    def write(self, name, text):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", newline="") as f:
            f.write(text)
        return p

    def tindeq(self, folder="repeaters-6x7-3"):
        text, kept = tindeq_text()
        self.write(os.path.join(folder, "info.csv"), INFO)
        return self.write(os.path.join(folder, "data_set_1.csv"), text), kept

    def analyze(self, csv):
        rc, out, err = run("analyze", csv, "--json")
        self.assertEqual(rc, 0, f"expected analyze to read the import, got {rc}: {err}")
        return json.loads(out)


class TestTindeq(Tmp):
    def check_holds(self, j, leg):
        holds = [e for e in j["holds"] if e["leg"] == leg]
        others = [e for e in j["holds"] + j["reps"] if e["leg"] != leg]
        self.assertEqual(len(holds), REPS,
                         f"expected {REPS} holds on the {leg} leg, got {len(holds)}: {holds}")
        self.assertEqual(others, [], f"expected nothing on the other leg, got {others}")
        self.assertEqual([e for e in j["reps"] if e["leg"] == leg], [],
                         "expected no reps on the sensor's leg")
        for k, e in enumerate(holds):
            start = LEAD_S + k * (ON_S + OFF_S)
            self.assertAlmostEqual(e["start_s"], start, delta=0.3,
                                   msg=f"hold {k}: expected to start at {start}, got {e['start_s']}")
            self.assertAlmostEqual(e["end_s"], start + ON_S, delta=0.3,
                                   msg=f"hold {k}: expected to end at {start + ON_S}, got {e['end_s']}")
            self.assertAlmostEqual(e["mean_n"], KG * G, delta=2.0,
                                   msg=f"hold {k}: expected a plateau of {KG * G:.1f} N, got {e['mean_n']}")

    def test_repeaters_left(self):
        src, kept = self.tindeq()
        out = self.path("out")
        rc, so, se = run("import", src, "--out", out, "--athlete", "A. Climber")
        self.assertEqual(rc, 0, f"expected the import to succeed, got {rc}: {se}")
        csv = os.path.join(out, "repeaters-6x7-3-data_set_1.csv")
        self.assertEqual(so.splitlines(), [so.splitlines()[0]], f"expected one line on stdout, got {so!r}")
        self.assertIn(f"{src} -> {csv}: {kept} rows at 85.0 Hz", so)
        self.assertIn("left='weight' (column 2) kg, right=none", so)
        self.assertEqual(se.splitlines(),
                         [f"bridgemon import: {src}: skipped 4 rows at the start whose time went "
                          "backwards (the first at line 6)"],
                         f"expected the stale rows counted on stderr, got {se!r}")
        with open(csv) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "t_s,left_n,right_n,left_raw,right_raw,seq,left_flags,right_flags")
        self.assertEqual(len(lines) - 1, kept, f"expected {kept} rows, got {len(lines) - 1}")
        self.assertTrue(lines[1].startswith("0.000000,") and lines[1].endswith(",,,,,,"),
                        f"expected the first row at 0 with the right leg and raw cells empty, got {lines[1]!r}")
        with open(os.path.join(out, "repeaters-6x7-3-data_set_1.meta.json")) as f:
            m = json.load(f)
        self.assertEqual((m["source"], m["demo"], m["device"]),
                         ("import", False, "Tindeq Progressor export"), m)
        self.assertAlmostEqual(m["sample_rate_hz"], RATE_HZ, delta=0.01,
                               msg=f"expected the median step's rate, got {m['sample_rate_hz']}")
        self.assertEqual(m["start_time"][:19], "2023-04-30T11:30:51",
                         f"expected info.csv's date (YYYY-DD-MM) as 30 April, got {m['start_time']}")
        self.assertIn(src, m["origin"])
        self.assertIn("left='weight' (column 2) kg", m["origin"])
        self.assertEqual(m["context"]["athlete"], "A. Climber")
        self.assertIn("6 reps x 7 s work", m["context"]["notes"])
        self.check_holds(self.analyze(csv), "left")

    def test_repeaters_right_leg(self):
        src, _ = self.tindeq()
        rc, _, se = run("import", src, "--out", self.d, "--leg", "right")
        self.assertEqual(rc, 0, se)
        self.check_holds(self.analyze(self.path("repeaters-6x7-3-data_set_1.csv")), "right")

    def test_sessions_folder_by_default(self):
        src, _ = self.tindeq()
        env = dict(os.environ, XDG_DATA_HOME=self.path("xdg"))
        rc, so, se = run("import", src, env=env)
        self.assertEqual(rc, 0, se)
        p = self.path("xdg", "bridgemon", "sessions", "repeaters-6x7-3-data_set_1.csv")
        self.assertTrue(os.path.exists(p), f"expected {p}, got {so!r}")
        self.assertTrue(os.path.exists(p[:-4] + ".meta.json"))
        # A second import of the same file: never overwritten, one line, exit 3.
        with open(p) as f:
            before = f.read()
        rc, so, se = run("import", src, env=env)
        self.assertEqual(rc, 3, f"expected exit 3 for an existing output, got {rc}: {se}")
        self.assertEqual(len(se.splitlines()), 1, f"expected one line, got {se!r}")
        self.assertIn(f"{p} exists", se)
        self.assertEqual(so, "")
        with open(p) as f:
            self.assertEqual(f.read(), before, "expected the existing session untouched")

    def test_info_csv_is_skipped(self):
        src, _ = self.tindeq()
        info = os.path.join(os.path.dirname(src), "info.csv")
        rc, so, se = run("import", info, src, "--out", self.d)
        self.assertEqual(rc, 0, f"expected info.csv passed over, not a failure: {se}")
        self.assertIn("summary of a test", se)
        self.assertEqual(len(so.splitlines()), 1, so)
        self.assertFalse(os.path.exists(self.path("info.csv")))


class TestMappedCsv(Tmp):
    def test_lbf_both_legs(self):
        rows = ["time_ms_not_used,t,L (lbf),R (lbf)"]
        for i in range(800):
            t = i / 80
            lf = 50.0 if 2 <= t < 6 else 0.0
            rf = 45.0 if 2 <= t < 6 else 0.0
            rows.append(f"{i * 12.5},{t:.4f},{lf + (i % 3) * 0.1:.2f},{rf:.2f}")
        src = self.write("plate.csv", "\n".join(rows) + "\n")
        # Into its own folder: the output would be the input itself, which is
        # never overwritten.
        rc, so, se = run("import", src, "--out", self.d, "--time", "t", "--left", "L (lbf)",
                         "--right", "4", "--unit", "lbf")
        self.assertEqual(rc, 3, f"expected the input itself refused as an output, got {rc}: {se}")
        self.assertIn(f"{src} exists", se)
        with open(src) as f:
            self.assertEqual(f.read(), "\n".join(rows) + "\n", "expected the input untouched")
        out = self.path("imported")
        rc, so, se = run("import", src, "--out", out, "--time", "t", "--left", "L (lbf)",
                         "--right", "4", "--unit", "lbf")
        self.assertEqual(rc, 0, se)
        self.assertIn("left='L (lbf)' (column 3) lbf, right='R (lbf)' (column 4) lbf", so)
        csv = os.path.join(out, "plate.csv")
        with open(csv) as f:
            first = f.read().splitlines()[1].split(",")
        self.assertAlmostEqual(float(first[1]), 0.0, delta=1e-9)
        j = self.analyze(csv)
        holds = sorted((e["leg"], round(e["mean_n"])) for e in j["holds"])
        self.assertEqual([h[0] for h in holds], ["left", "right"],
                         f"expected one hold per leg, got {holds}")
        self.assertAlmostEqual(holds[0][1], 50 * 4.4482216, delta=2,
                               msg=f"expected 50 lbf = 222.4 N on the left, got {holds[0][1]}")
        self.assertAlmostEqual(holds[1][1], 45 * 4.4482216, delta=2)
        with open(os.path.join(out, "plate.meta.json")) as f:
            m = json.load(f)
        self.assertEqual(m["device"], "imported CSV")
        self.assertAlmostEqual(m["sample_rate_hz"], 80.0, delta=1e-3)

    def test_bad_file_among_good(self):
        good, _ = self.tindeq()
        bad = self.write("bad.csv", "time,weight\n0,1\n0.01,heavy\n0.02,1\n")
        also = self.write("also.csv", "time,weight\n0,1\n0.01,2\n")
        rc, so, se = run("import", good, bad, also, "--out", self.path("o"))
        self.assertEqual(rc, 2, f"expected exit 2 for a malformed file, got {rc}: {se}")
        self.assertEqual(len(so.splitlines()), 2, f"expected the two good files imported: {so!r}")
        errs = [l for l in se.splitlines() if "skipped 4 rows" not in l]
        self.assertEqual(errs, [f"bridgemon import: {bad}:3: left force 'heavy' is not a number",
                                f"bridgemon import: 1 of 3 files not imported: {bad}"],
                         f"expected the bad line named and the failure listed at the end, got {se!r}")
        self.assertEqual(sorted(os.listdir(self.path("o"))),
                         ["also.csv", "also.meta.json", "repeaters-6x7-3-data_set_1.csv",
                          "repeaters-6x7-3-data_set_1.meta.json"],
                         "expected nothing of the bad file written")

    def test_each_bad_case(self):
        cases = [
            ("t,f\n0,1\n0.01,2\n", ("--time", "t", "--left", "f"), "x.csv:1: unknown unit"),
            ("t,f\n0,1\n", ("--time", "t", "--left", "force", "--unit", "N"),
             "x.csv:1: missing column 'force'"),
            ("time,weight\n" + "".join(f"{i / 100},1\n" for i in range(100)) + "0.5,1\n", (),
             "x.csv:102: time goes backwards after the first rows"),
            ("", (), "x.csv: empty file"),
            ("time,weight\n", (), "x.csv:1: no rows of data"),
            ("a,b\n1,2\n", (), "x.csv:1: not a Tindeq Progressor export"),
            ("date,tag,comment,unit\n2023-30-04 11:30:51,1,,stone\ntime,weight\n0,1\n", (),
             "x.csv:2: unknown unit 'stone'"),
        ]
        for text, args, want in cases:
            with self.subTest(want=want):
                p = self.write("x.csv", text)
                rc, so, se = run("import", p, "--out", self.path("o"), *args)
                self.assertEqual(rc, 2, f"{want}: expected exit 2, got {rc}: {se}")
                self.assertEqual(len(se.splitlines()), 1, f"expected one line, got {se!r}")
                self.assertIn(want, se)
                self.assertEqual(so, "")
                self.assertFalse(os.path.exists(self.path("o", "x.csv")))

    def test_usage_errors(self):
        src = self.write("y.csv", "t,f\n0,1\n")
        for args, want in ((("--unit", "stone"), "--unit is kg, N or lbf"),
                           (("--leg", "middle"), "--leg is left or right"),
                           (("--left", "f"), "need --time"),
                           (("--time", "t"), "needs --left and/or --right"),
                           (("--time", "t", "--left", "f", "--leg", "right"), "--leg is for"),
                           (("--rest", "lots"), "is not a number"),
                           (("--bogus",), "unknown option")):
            with self.subTest(args=args):
                rc, so, se = run("import", src, "--out", self.d, *args)
                self.assertEqual(rc, 1, f"{args}: expected a usage error, got {rc}: {se}")
                self.assertIn(want, se.splitlines()[0])
        rc, _, se = run("import")
        self.assertEqual(rc, 1)
        self.assertIn("which files?", se.splitlines()[0])
        rc, so, _ = run("import", "--help")
        self.assertEqual(rc, 0)
        self.assertTrue(so.startswith("usage: bridgemon import"), so)


if __name__ == "__main__":
    BRIDGEMON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
