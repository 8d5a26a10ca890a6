#!/usr/bin/python3
"""Black-box tests of --anchor-uninjured: a protocol's zones on both legs as
a % of the uninjured leg's MVIC, the injured side read from the athlete in
the store; the zone in newtons on the terminal's get-ready line; one-line
usage errors without a protocol or an athlete; a note, and each leg's own
MVIC, when the athlete's injured side is not one leg.

usage: test_zones_cli.py PATH/TO/bridgemon
"""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

BRIDGEMON = None
ZONE = re.compile(r"get ready \xb7 zone above rest L (\d+)-(\d+) N, R (\d+)-(\d+) N")


class Zones(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="bm_zones_cli_")
        self.db = os.path.join(self.tmp.name, "store.db")
        self.env = dict(os.environ)
        self.env.update({"XDG_DATA_HOME": os.path.join(self.tmp.name, "data"),
                         "XDG_CONFIG_HOME": self.tmp.name, "TZ": "UTC"})
        self.env.pop("DISPLAY", None)
        self.env.pop("WAYLAND_DISPLAY", None)
        self.n = 0

    def tearDown(self):
        self.tmp.cleanup()

    def bm(self, *args):
        p = subprocess.run([BRIDGEMON, *args], capture_output=True, text=True,
                           env=self.env, timeout=120)
        return p.returncode, p.stdout, p.stderr

    def athlete(self, name, injured, left_n, right_n):
        """An athlete with a maximal test of today: left_n and right_n
        (both legs together and single-leg alike)."""
        rc, _, err = self.bm("athlete", name, "--injured", injured, "--db", self.db)
        self.assertEqual(rc, 0, err)
        con = sqlite3.connect(self.db)
        (aid,) = con.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
        now = int(time.time())
        for leg, f in (("left", left_n), ("right", right_n)):
            for mode in ("single_leg", "both_legs"):
                con.execute("INSERT INTO mvic_results (athlete_id, epoch_s, leg, mode, force_n) "
                            "VALUES (?, ?, ?, ?, ?)", (aid, now, leg, mode, f))
        con.commit()
        con.close()

    def session(self, *extra):
        self.n += 1
        out = os.path.join(self.tmp.name, "s%d.csv" % self.n)
        return self.bm("record", "--demo", "--seconds", "8", "--speed", "20", "--protocol",
                       "isometric", "--db", self.db, "--out", out, *extra)

    def zone(self, out):
        m = ZONE.search(out)
        self.assertIsNotNone(m, "no zone on the get-ready line:\n" + out)
        return [int(x) for x in m.groups()]

    def test_anchored_to_the_uninjured_leg(self):
        self.athlete("Ann", "left", 200, 500)
        rc, out, err = self.session("--athlete", "Ann")
        self.assertEqual(rc, 0, err)
        own = self.zone(err)
        # 70 % of each leg's own MVIC, +-10 %: 120-160 N and 300-400 N.
        self.assertEqual(own, [120, 160, 300, 400])
        self.assertNotIn("anchor", err)

        rc, out, err = self.session("--athlete", "Ann", "--anchor-uninjured")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.zone(err), [300, 400, 300, 400])
        self.assertIn("zones on both legs as a % of the right leg's MVIC "
                      "(left is the injured side)", err)

    def test_injured_right(self):
        self.athlete("Bo", "right", 450, 150)
        rc, out, err = self.session("--athlete", "Bo", "--anchor-uninjured")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.zone(err), [270, 360, 270, 360])

    def test_side_not_one_leg(self):
        self.athlete("Cy", "none", 200, 500)
        rc, out, err = self.session("--athlete", "Cy", "--anchor-uninjured")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.zone(err), [120, 160, 300, 400])
        lines = [l for l in err.splitlines() if "--anchor-uninjured" in l]
        self.assertEqual(len(lines), 1, err)
        self.assertIn("Cy's injured side is none", lines[0])
        self.assertIn("its own MVIC", lines[0])

    def test_usage(self):
        rc, _, err = self.session("--anchor-uninjured", "--athlete", "Ann")
        self.assertEqual(rc, 0, err)  # a protocol and an athlete: fine
        for args, words in ((["replay", "x.csv", "--anchor-uninjured", "--athlete", "Ann"],
                             "give --protocol NAME too"),
                            (["record", "--demo", "--seconds", "5", "--protocol", "isometric",
                              "--anchor-uninjured"], "needs --athlete NAME")):
            rc, out, err = self.bm(*args)
            self.assertEqual(rc, 1, err)
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            self.assertIn(words, err)
        rc, out, _ = self.bm("record", "--help")
        self.assertIn("--anchor-uninjured", out)


if __name__ == "__main__":
    BRIDGEMON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
