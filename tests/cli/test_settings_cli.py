#!/usr/bin/python3
"""Black-box tests of the settings file ($XDG_CONFIG_HOME/bridgemon/
bridgemon.conf): the store it names is the one the records commands and a
live command use (--db still wins), the return-to-run checklist's thresholds
reach the report, a wrong line stops a records command with one line naming
file and line, and a live command goes on without it, saying so.  A
finished recording of the sessions folder is in that store when the live
command ends (the clinic's desk sees it at once).

usage: test_settings_cli.py PATH/TO/bridgemon
"""
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

BRIDGEMON = None


class Settings(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="bm_settings_cli_")
        t = self.tmp.name
        self.conf = os.path.join(t, "conf", "bridgemon", "bridgemon.conf")
        os.makedirs(os.path.dirname(self.conf))
        os.makedirs(os.path.join(t, "data", "bridgemon", "sessions"))
        self.default_db = os.path.join(t, "data", "bridgemon", "bridgemon.db")
        self.clinic_db = os.path.join(t, "clinic.db")
        self.env = dict(os.environ)
        self.env.update({"XDG_CONFIG_HOME": os.path.join(t, "conf"),
                         "XDG_DATA_HOME": os.path.join(t, "data"), "HOME": t, "TZ": "UTC"})
        self.env.pop("DISPLAY", None)
        self.env.pop("WAYLAND_DISPLAY", None)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, text):
        with open(self.conf, "w") as f:
            f.write(text)

    def bm(self, *args):
        p = subprocess.run([BRIDGEMON, *args], capture_output=True, text=True, env=self.env,
                           timeout=120, cwd=self.tmp.name)
        return p.returncode, p.stdout, p.stderr

    def one_line(self, err):
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        return lines[0]

    def names(self, db):
        con = sqlite3.connect(db)
        try:
            return sorted(r[0] for r in con.execute("SELECT name FROM athletes"))
        finally:
            con.close()

    def test_store_named_by_the_settings(self):
        self.write("# the station's store\ndb = %s\n" % self.clinic_db)
        rc, out, err = self.bm("athlete", "Ann", "--injured", "left")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.names(self.clinic_db), ["Ann"])
        self.assertFalse(os.path.exists(self.default_db))
        # A live command's athlete goes to the same store.
        rc, out, err = self.bm("record", "--demo", "--seconds", "3", "--speed", "20",
                               "--athlete", "Bo", "--out", "bo.csv")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.names(self.clinic_db), ["Ann", "Bo"])
        # --db wins over the file.
        other = os.path.join(self.tmp.name, "other.db")
        rc, out, err = self.bm("athlete", "Cy", "--db", other)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.names(other), ["Cy"])
        self.assertEqual(self.names(self.clinic_db), ["Ann", "Bo"])
        rc, out, err = self.bm("athlete", "--list")
        self.assertEqual(rc, 0, err)
        self.assertIn("Ann", out)
        self.assertNotIn("Cy", out)

    def sessions(self, db):
        con = sqlite3.connect(db)
        try:
            return sorted(con.execute("SELECT recording, demo FROM sessions"))
        finally:
            con.close()

    def test_recording_in_the_store_at_stop(self):
        self.write("db = %s\n" % self.clinic_db)
        rc, out, err = self.bm("record", "--demo", "--seconds", "3", "--speed", "20",
                               "--athlete", "Ann")
        self.assertEqual(rc, 0, err)
        folder = os.path.join(self.tmp.name, "data", "bridgemon", "sessions")
        csvs = [n for n in os.listdir(folder) if n.endswith(".csv") and ".events" not in n]
        self.assertEqual(len(csvs), 1, os.listdir(folder))
        self.assertEqual(self.sessions(self.clinic_db), [(csvs[0], 1)])
        # One made elsewhere (--out) waits for a sync of its own folder.
        rc, out, err = self.bm("record", "--demo", "--seconds", "3", "--speed", "20",
                               "--athlete", "Ann", "--out", "elsewhere.csv")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.sessions(self.clinic_db), [(csvs[0], 1)])

    def test_a_signal_leaves_the_upload_to_later(self):
        # SIGTERM finishes the recording but does not wait for a store (a
        # server that does not answer must not hold the exit up); the next
        # sync uploads it.
        self.write("db = %s\n" % self.clinic_db)
        p = subprocess.Popen([BRIDGEMON, "record", "--demo", "--seconds", "60", "--athlete",
                              "Ann"], env=self.env, cwd=self.tmp.name, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(2.0)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("saved (with events and summary)", err)
        self.assertEqual(self.sessions(self.clinic_db), [])
        rc, out, err = self.bm("sync")
        self.assertEqual(rc, 0, err)
        self.assertIn("1 recording uploaded", out)
        self.assertEqual(len(self.sessions(self.clinic_db)), 1)

    def test_thresholds_reach_the_report(self):
        rc, out, err = self.bm("athlete", "Ann")
        self.assertEqual(rc, 0, err)
        for pct, want, not_want in (("85", ">= 85 %", ">= 90 %"), (None, ">= 90 %", ">= 85 %")):
            self.write("readiness.lsi_peak_min_pct = %s\n" % pct if pct else "# defaults\n")
            svg = os.path.join(self.tmp.name, "r%s.svg" % (pct or "def"))
            rc, out, err = self.bm("report", "--athlete", "Ann", "--out", svg)
            self.assertEqual(rc, 0, err)
            with open(svg) as f:
                text = f.read().replace("&gt;", ">")
            self.assertIn("LSI on peak force " + want, text)
            self.assertNotIn("LSI on peak force " + not_want, text)

    def test_wrong_line(self):
        self.write("db = %s\nreadiness.pain_max = 12\n" % self.clinic_db)
        for args in (["athlete", "--list"], ["history", "--athlete", "Ann"], ["sync"],
                     ["pain", "--athlete", "Ann", "2"],
                     ["report", "--athlete", "Ann", "--out", "r.pdf"]):
            rc, out, err = self.bm(*args)
            self.assertEqual(rc, 2, (args, err))
            lines = err.strip().splitlines()
            self.assertEqual(len(lines), 1, (args, err))
            self.assertIn("bridgemon.conf:2: readiness.pain_max is a number from 0 to 10, "
                          "not '12'", lines[0])
        self.assertFalse(os.path.exists(self.clinic_db))
        # With --db given, a command that needs nothing else from the file
        # says so and goes on; the report needs its thresholds: it stops.
        other = os.path.join(self.tmp.name, "other.db")
        rc, out, err = self.bm("athlete", "Ann", "--db", other)
        self.assertEqual(rc, 0, err)
        self.assertIn("going on with --db and the defaults", self.one_line(err))
        self.assertEqual(self.names(other), ["Ann"])
        rc, out, err = self.bm("report", "--athlete", "Ann", "--db", other, "--out", "r.svg")
        self.assertEqual(rc, 2, err)
        self.assertNotIn("going on", err)
        # history of the folder alone needs no store, nor the file.
        rc, out, err = self.bm("history")
        self.assertEqual(rc, 0, err)
        # A live session goes on, with the default store, and says so once.
        rc, out, err = self.bm("record", "--demo", "--seconds", "3", "--speed", "20",
                               "--athlete", "Ann", "--out", "a.csv")
        self.assertEqual(rc, 0, err)
        said = [l for l in err.splitlines() if "bridgemon.conf" in l]
        self.assertEqual(len(said), 1, err)
        self.assertIn("going on without the settings file", said[0])
        self.assertTrue(os.path.exists(os.path.join(self.tmp.name, "a.csv")))
        self.assertEqual(self.names(self.default_db), ["Ann"])

    def test_not_a_file(self):
        os.mkfifo(self.conf)
        rc, out, err = self.bm("athlete", "--list")
        self.assertEqual(rc, 2, err)
        self.assertIn("not a settings file (not a regular file)", err)


if __name__ == "__main__":
    BRIDGEMON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
