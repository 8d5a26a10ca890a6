#!/usr/bin/python3
"""Black-box tests of the daily dose on the command line: the line a live
command prints at its end for an athlete in the store (today and the last
7 days per leg against the aim, the every-second-day rhythm, load-weighted
time), its numbers equal to analyze's summaries of the athlete's
recordings; the demo athlete's data never counted; --dose-aim; the options
listed in --help.

usage: test_dose_cli.py PATH/TO/bridgemon
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

BRIDGEMON = None
DAY = 86400


def run(*args, env=None, timeout=120):
    e = dict(os.environ)
    e["TZ"] = "UTC"
    e.pop("DISPLAY", None)
    e.pop("WAYLAND_DISPLAY", None)
    if env:
        e.update(env)
    p = subprocess.run([BRIDGEMON, *args], capture_output=True, text=True, env=e,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def min_sec(s):
    t = int(round(s))
    return "%d:%02d" % (t // 60, t % 60)


class Dose(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="bm_dose_cli_")
        self.data = os.path.join(self.tmp.name, "data")
        self.sessions = os.path.join(self.data, "bridgemon", "sessions")
        os.makedirs(self.sessions)
        self.db = os.path.join(self.tmp.name, "store.db")
        self.env = {"XDG_DATA_HOME": self.data, "XDG_CONFIG_HOME": self.tmp.name}

    def tearDown(self):
        self.tmp.cleanup()

    def bm(self, *args):
        return run(*args, env=self.env)

    def rec(self, name, seed, epoch, athlete):
        """A recording of the sessions folder as the monitor leaves it:
        CSV, sidecar, and NAME.summary.json = analyze --json."""
        csv = os.path.join(self.sessions, name + ".csv")
        rc, _, err = run("simulate", "--seconds", "600", "--seed", str(seed), "--out", csv)
        self.assertEqual(rc, 0, err)
        mp = os.path.join(self.sessions, name + ".meta.json")
        with open(mp) as f:
            meta = json.load(f)
        meta.update(demo=False, source="board", closed=True, start_epoch_s=epoch,
                    start_time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)))
        meta["context"].update(athlete=athlete)
        with open(mp, "w") as f:
            json.dump(meta, f)
        rc, out, err = run("analyze", csv, "--json")
        self.assertEqual(rc, 0, err)
        with open(os.path.join(self.sessions, name + ".summary.json"), "w") as f:
            f.write(out)
        return json.loads(out)["summary"]["hold_time_s"]

    def dose_line(self, err):
        lines = [l for l in err.splitlines() if "'s dose: " in l]
        self.assertEqual(len(lines), 1, err)
        return lines[0]

    def test_dose_equals_the_summaries(self):
        now = time.time()
        a = self.rec("yesterday", 3, now - DAY, "Ann")
        b = self.rec("three-days-ago", 4, now - 3 * DAY, "Ann")
        self.rec("bo", 5, now - DAY, "Bo")
        self.assertGreater(a["left"] + b["left"], 60, "the simulated sessions hold too little")
        rc, _, err = self.bm("record", "--demo", "--seconds", "3", "--speed", "0",
                             "--athlete", "Ann", "--db", self.db)
        self.assertEqual(rc, 0, err)
        line = self.dose_line(err)
        week = "7 days L %s R %s" % (min_sec(a["left"] + b["left"]),
                                     min_sec(a["right"] + b["right"]))
        # The demo athlete's recording just made does not count as today's.
        self.assertIn("bridgemon record: Ann's dose: today L 0:00 R 0:00 of 2\u20135 min \u00b7 "
                      + week + " \u00b7 every second day: kept; ", line)
        self.assertIn("load-weighted: unknown without an MVIC test", line)

        rc, _, err = self.bm("record", "--demo", "--seconds", "1", "--speed", "0",
                             "--athlete", "ann", "--db", self.db, "--dose-aim", "1.5-4")
        self.assertEqual(rc, 0, err)
        self.assertIn("of 1.5\u20134 min \u00b7 " + week, self.dose_line(err))

    def test_without_an_athlete_nothing_is_said(self):
        rc, _, err = self.bm("record", "--demo", "--seconds", "1", "--speed", "0",
                             "--db", self.db)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("s dose:", err)
        self.assertNotIn("7 days", err)

    def test_dose_aim_option(self):
        for bad in ("5-2", "2", "0-3", "2-61", "a-b", "2-", "-2-5"):
            rc, _, err = self.bm("record", "--demo", "--seconds", "1", "--dose-aim", bad)
            self.assertEqual(rc, 1, bad)
            self.assertEqual(err.splitlines(),
                             ["bridgemon record: --dose-aim is MIN-MAX in minutes, e.g. 2-5 "
                              "(more than 0, at most 60), not '%s' (see bridgemon record --help)"
                              % bad])
        for cmd in ("record", "demo", "replay", "monitor"):
            rc, out, _ = run(cmd, "--help")
            self.assertEqual(rc, 0)
            self.assertIn("--dose-aim MIN-MAX", out, cmd)
            self.assertEqual("--pick-athlete" in out, cmd != "record", cmd)
        rc, _, err = self.bm("record", "--demo", "--seconds", "1", "--pick-athlete")
        self.assertEqual(rc, 1)
        self.assertIn("unknown option '--pick-athlete'", err)


if __name__ == "__main__":
    BRIDGEMON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
