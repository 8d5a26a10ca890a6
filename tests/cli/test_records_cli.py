#!/usr/bin/python3
"""Black-box tests of the records commands: history (listing, crash
recovery, --athlete with trend and change, --rebuild), sync, athlete, pain
and report, with the store in SQLite; and, given "pg", the same JSON from a
real PostgreSQL server and a server that goes away (run by with_pg.sh).

usage: test_records_cli.py PATH/TO/bridgemon [pg]
"""
import calendar
import hashlib
import json
import math
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import unittest

BRIDGEMON = None
DAY = 86400
E0 = calendar.timegm((2026, 11, 2, 9, 0, 0))  # a Monday, 09:00 UTC


def run(*args, env=None, timeout=120):
    e = dict(os.environ)
    e["TZ"] = "UTC"
    if env:
        e.update(env)
    p = subprocess.run([BRIDGEMON, *args], capture_output=True, text=True, env=e,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def tool(name):
    path = shutil.which(name)
    if not path:
        raise AssertionError(f"{name} is needed (Debian: poppler-utils) and was not found")
    return path


class Tmp(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="bm_records_cli_")
        self.d = os.path.join(self.tmp.name, "rec")
        os.mkdir(self.d)
        self.data = os.path.join(self.tmp.name, "data")
        self.env = {"XDG_DATA_HOME": self.data}
        self.db = os.path.join(self.data, "bridgemon", "bridgemon.db")

    def tearDown(self):
        self.tmp.cleanup()

    def bm(self, *args, timeout=120):
        return run(*args, env=self.env, timeout=timeout)

    def path(self, name):
        return os.path.join(self.d, name)

    def rec(self, name, seed, epoch, athlete=None, exercise=None, demo=False, seconds=900,
            summary=True, closed=True, pain=(None, None), folder=None):
        """A recording as the monitor leaves it: CSV, sidecar and (when
        summary) NAME.summary.json = analyze --json."""
        folder = folder or self.d
        csv = os.path.join(folder, name + ".csv")
        rc, _, err = run("simulate", "--seconds", str(seconds), "--seed", str(seed),
                         "--out", csv)
        self.assertEqual(rc, 0, err)
        mp = os.path.join(folder, name + ".meta.json")
        with open(mp) as f:
            meta = json.load(f)
        meta.update(demo=demo, source="demo" if demo else "board", closed=closed,
                    start_epoch_s=epoch,
                    start_time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)))
        meta["context"].update(athlete=athlete or "", exercise=exercise or "",
                               pain_before=pain[0], pain_after=pain[1])
        with open(mp, "w") as f:
            json.dump(meta, f)
        if summary:
            rc, out, err = run("analyze", csv, "--json")
            self.assertEqual(rc, 0, err)
            with open(os.path.join(folder, name + ".summary.json"), "w") as f:
                f.write(out)
        else:
            old = time.time() - 3600
            for p in (csv, mp):
                os.utime(p, (old, old))
        return csv

    def folder_state(self):
        """Every file of the recordings folder with a hash of its bytes."""
        state = {}
        for n in sorted(os.listdir(self.d)):
            with open(os.path.join(self.d, n), "rb") as f:
                state[n] = hashlib.sha256(f.read()).hexdigest()
        return state

    def one_line(self, err):
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got: {err!r}")
        return lines[0]


class TestListing(Tmp):
    def test_demo_left_out_unless_asked(self):
        self.rec("2026-11-02T09-00-00", 1, E0, athlete="Ann", exercise="double_leg",
                 pain=(2, 3), seconds=300)
        self.rec("2026-11-03T09-00-00-demo", 2, E0 + DAY, demo=True, seconds=300)
        rc, out, err = self.bm("history", self.d, "--json")
        self.assertEqual(rc, 0, err)
        h = json.loads(out)
        self.assertEqual([e["recording"] for e in h], ["2026-11-02T09-00-00"])
        e = h[0]
        self.assertEqual((e["date"], e["demo"], e["athlete"], e["exercise"], e["pain"]),
                         ("2026-11-02", False, "Ann", "double_leg",
                          {"before": 2.0, "after": 3.0}))
        with open(self.path("2026-11-02T09-00-00.summary.json")) as f:
            s = json.load(f)
        self.assertEqual(e["reps"], s["summary"]["reps"])
        self.assertEqual(e["hold_time_s"], s["summary"]["hold_time_s"])
        self.assertEqual(e["duration_s"], round(s["duration_s"], 1))
        rc, out, err = self.bm("history", self.d, "--json", "--include-demo")
        self.assertEqual(rc, 0, err)
        h = json.loads(out)
        self.assertEqual([(e["recording"], e["demo"]) for e in h],
                         [("2026-11-02T09-00-00", False), ("2026-11-03T09-00-00-demo", True)])
        self.assertEqual(h[1]["athlete"], None)
        rc, out, err = self.bm("history", self.d, "--include-demo")
        self.assertEqual(rc, 0, err)
        self.assertIn("(demo)", out.splitlines()[2], out)
        self.assertNotIn("(demo)", out.splitlines()[1], out)
        rc, out, _ = self.bm("history", self.d)
        self.assertEqual(len(out.splitlines()), 2, out)

    def test_odd_file_names_are_escaped(self):
        self.rec('we"ird\nname', 3, E0, athlete='Zoë "Z" \\ Ørsted', seconds=120)
        self.rec("plain", 4, E0 + DAY, seconds=120)
        # A name that is not UTF-8 (an old system's file).
        for ext in (".csv", ".meta.json", ".summary.json"):
            os.rename(self.path("plain" + ext).encode(),
                      os.path.join(self.d.encode(), b"bad\xffname" + ext.encode()))
        rc, out, err = self.bm("history", self.d, "--json")
        self.assertEqual(rc, 0, err)
        h = json.loads(out)
        self.assertEqual(sorted(e["recording"] for e in h), ["bad\ufffdname", 'we"ird\nname'])
        self.assertIn('Zoë "Z" \\ Ørsted', [e["athlete"] for e in h])

    def test_bad_summaries_are_named(self):
        self.rec("2026-11-02T09-00-00", 1, E0, seconds=120)
        self.rec("2026-11-03T09-00-00", 2, E0 + DAY, seconds=120, summary=False)
        with open(self.path("2026-11-03T09-00-00.summary.json"), "w") as f:
            f.write('{"duration_s": 60, "holds": [], "reps": [], "bilateral": [], '
                    '"summary": {"hold_time_s": {"left": 1, "right": 1}, '
                    '"reps": {"left": -4, "right": 0}}}')
        fifo = self.path("2026-11-04T09-00-00.summary.json")
        os.mkfifo(fifo)
        rc, out, err = self.bm("history", self.d, "--json", timeout=60)
        self.assertEqual(rc, 2, err)
        self.assertEqual([e["recording"] for e in json.loads(out)], ["2026-11-02T09-00-00"])
        self.assertIn(self.path("2026-11-03T09-00-00.summary.json") + ': "summary.reps.left" '
                      "must be a whole number", err)
        self.assertIn(fifo + ": not a regular file", err)
        self.assertIn("2 recordings could not be read", err)


class TestRecovery(Tmp):
    def test_unfinished_recording_gets_its_summary(self):
        csv = self.rec("2026-11-02T09-00-00", 5, E0, seconds=300, summary=False, closed=False)
        with open(csv, "a") as f:
            f.write("300.0125,51.2")  # the power went mid-row
        old = time.time() - 3600
        os.utime(csv, (old, old))
        rc, out, err = self.bm("history", self.d, "--json")
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.strip(), f"bridgemon history: rebuilt the summary of {csv} (the "
                         "recording was not closed; its last line was cut short and is left out)")
        self.assertEqual(len(json.loads(out)), 1)
        rc, js, err = run("analyze", csv, "--json")
        self.assertEqual(rc, 0, err)
        with open(self.path("2026-11-02T09-00-00.summary.json")) as f:
            self.assertEqual(json.load(f), json.loads(js))
        self.assertTrue(os.path.exists(self.path("2026-11-02T09-00-00.events.csv")))
        # Said once: the second time there is nothing to rebuild.
        rc, out, err = self.bm("history", self.d)
        self.assertEqual((rc, err), (0, ""))


class AthleteData(Tmp):
    """Four sessions of Ann Lee a week apart, and one demo session of hers."""

    def setUp(self):
        super().setUp()
        self.names = []
        for i in range(4):
            name = time.strftime("%Y-%m-%dT%H-%M-%S", time.gmtime(E0 + i * 7 * DAY))
            self.rec(name, 40 + i, E0 + i * 7 * DAY, athlete="Ann Lee" if i % 2 else "ann lee",
                     exercise="single_leg_left" if i % 2 else "double_leg",
                     pain=(2, 3 + i % 2))
            self.names.append(name)
        self.rec("2026-12-01T09-00-00-demo", 50, E0 + 29 * DAY, athlete="Ann Lee", demo=True)

    def summary(self, name):
        with open(self.path(name + ".summary.json")) as f:
            return json.load(f)

    def dump(self):
        """Every column but the ids, of every session and effort."""
        con = sqlite3.connect(self.db)
        try:
            out = []
            cur = con.execute("SELECT * FROM sessions ORDER BY station, recording")
            cols = [c[0] for c in cur.description]
            for row in cur:
                out.append({c: v for c, v in zip(cols, row) if c != "id"})
            cur = con.execute("SELECT s.station, s.recording, e.* FROM efforts e JOIN sessions s "
                              "ON s.id = e.session_id ORDER BY s.station, s.recording, e.seq")
            cols = [c[0] for c in cur.description]
            for row in cur:
                out.append({c: v for c, v in zip(cols, row) if c not in ("id", "session_id")})
            return out
        finally:
            con.close()


class TestAthleteHistory(AthleteData):
    def test_sessions_trend_and_change(self):
        rc, out, err = self.bm("history", self.d, "--athlete", "ANN LEE", "--json")
        self.assertEqual(rc, 0, err)
        h = json.loads(out)
        self.assertEqual(h["athlete"]["name"], "ann lee")
        ss = h["sessions"]
        self.assertEqual([s["recording"] for s in ss], [n + ".csv" for n in self.names])
        for s, name in zip(ss, self.names):
            sm = self.summary(name)
            for leg in ("left", "right"):
                holds = [x["mean_above_rest_n"] for x in sm["holds"] if x["leg"] == leg]
                best = max(holds) if holds else None
                self.assertEqual(s[leg]["best_hold_n"], best, f"{name} {leg}")
                self.assertEqual(s[leg]["reps"], sm["summary"]["reps"][leg])
                self.assertEqual(s[leg]["hold_time_s"], sm["summary"]["hold_time_s"][leg])
            self.assertEqual(s["lsi_pct"], sm["summary"]["single_leg_lsi_pct"])
            self.assertEqual(s["date"], name[:10])
            self.assertFalse(s["demo"])
            self.assertIn(s["pain"]["after"], (3.0, 4.0))
            a = s["asymmetry"]
            self.assertIn(a["flag"], ("certain", "possible", "none", "not enough efforts"))
            if a["efforts"] >= 2:
                self.assertLessEqual(a["low_pct"], a["mean_pct"])
                self.assertLessEqual(a["mean_pct"], a["high_pct"])
        self.assertIn("N per week", h["trend"]["method"])
        for leg in ("left", "right"):
            self.assertEqual(h["trend"][leg]["sessions"], 4)
            self.assertIsInstance(h["trend"][leg]["n_per_week"], float)
        metrics = {(m["metric"], m["leg"]): m for m in h["change"]["metrics"]}
        best = metrics[("best_hold_n", "left")]
        self.assertGreater(best["te_df"], 0, "expected repeated holds within sessions")
        self.assertAlmostEqual(best["mdc95"], 1.96 * math.sqrt(2) * best["te"], delta=0.02)
        self.assertEqual(len(best["changes"]), 3)
        for c, (a, b) in zip(best["changes"], zip(ss, ss[1:])):
            self.assertAlmostEqual(c["change"], b["left"]["best_hold_n"] - a["left"]["best_hold_n"],
                                   delta=0.051)
            self.assertEqual(c["label"], "real" if abs(c["change"]) > best["mdc95"]
                             else "within noise")
        self.assertEqual({c["label"] for c in metrics[("reps", "right")]["changes"]},
                         {"not enough repeats"})
        # With the demo session, and the table.
        rc, out, err = self.bm("history", self.d, "--athlete", "Ann Lee", "--json",
                               "--include-demo")
        self.assertEqual(rc, 0, err)
        self.assertEqual([s["demo"] for s in json.loads(out)["sessions"]],
                         [False] * 4 + [True])
        rc, out, err = self.bm("history", self.d, "--athlete", "Ann Lee")
        self.assertEqual(rc, 0, err)
        self.assertIn("ann lee: 4 sessions", out)
        self.assertIn("N/week over 4 sessions", out)
        self.assertIn("MDC95", out)
        rc, out, err = self.bm("history", self.d, "--athlete", "Nobody")
        self.assertEqual(rc, 2)
        self.assertIn('no athlete called "Nobody"', self.one_line(err))

    def test_rebuild_gives_identical_rows(self):
        rc, before_json, err = self.bm("history", self.d, "--athlete", "Ann Lee", "--json")
        self.assertEqual(rc, 0, err)
        before = self.dump()
        self.assertEqual(len([r for r in before if "seq" not in r]), 5)
        rc, out, err = self.bm("history", self.d, "--rebuild", "--athlete", "Ann Lee", "--json")
        self.assertEqual(rc, 0, err)
        self.assertIn("5 sessions deleted, 5 inserted", err)
        self.assertEqual(self.dump(), before)
        self.assertEqual(out, before_json)


class TestStoreErrors(AthleteData):
    def test_locked_and_corrupt_databases_touch_nothing(self):
        rc, _, err = self.bm("sync", self.d)
        self.assertEqual(rc, 0, err)
        # A recording a crash left without a summary waits in the folder.
        self.rec("2026-12-02T09-00-00", 60, E0 + 30 * DAY, athlete="Ann Lee", summary=False,
                 closed=False, seconds=120)
        state = self.folder_state()
        con = sqlite3.connect(self.db, isolation_level=None)
        con.execute("BEGIN EXCLUSIVE")
        try:
            t0 = time.monotonic()
            rc, out, err = self.bm("history", self.d, "--athlete", "Ann Lee")
            waited = time.monotonic() - t0
        finally:
            con.execute("ROLLBACK")
            con.close()
        self.assertEqual((rc, out), (2, ""))
        line = self.one_line(err)
        self.assertIn(self.db, line)
        self.assertIn("locked", line)
        self.assertGreater(waited, 4.0, "expected the lock waited for")
        self.assertEqual(self.folder_state(), state)

        with open(self.db, "wb") as f:
            f.write(b"this is not a database" * 100)
        for args in (("history", self.d, "--athlete", "Ann Lee"), ("sync", self.d),
                     ("report", self.d, "--athlete", "Ann Lee", "--out",
                      os.path.join(self.tmp.name, "r.pdf"))):
            rc, out, err = self.bm(*args)
            self.assertEqual((rc, out), (2, ""), args)
            self.assertIn(self.db, self.one_line(err))
        self.assertEqual(self.folder_state(), state)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "r.pdf")))

    def test_unreachable_server(self):
        state = self.folder_state()
        url = f"postgresql://bm@/bm?host={self.tmp.name}/no-server&connect_timeout=2"
        rc, out, err = self.bm("sync", self.d, "--db", url)
        self.assertEqual((rc, out), (2, ""))
        line = self.one_line(err)
        self.assertTrue(line.startswith("bridgemon sync: cannot reach the clinic database ("),
                        line)
        self.assertTrue(line.endswith("): 5 recordings wait; run bridgemon sync when it is back"),
                        line)
        self.assertEqual(self.folder_state(), state)


class TestSyncAthletePain(AthleteData):
    def test_sync(self):
        rc, out, err = self.bm("sync", self.d)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, f"5 recordings uploaded to {self.db} (0 already there)\n")
        rc, out, err = self.bm("sync", self.d)
        self.assertEqual(out, f"0 recordings uploaded to {self.db} (5 already there)\n")

    def test_athletes(self):
        rc, out, err = self.bm("athlete", "Bo Berg", "--injured", "left", "--mass", "71.5")
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"^Bo Berg: injured side left, 71\.5 kg, since \d{4}-\d\d-\d\d "
                              r"\(created\)\n$")
        rc, out, err = self.bm("athlete", "bo berg", "--injured", "both")
        self.assertIn("Bo Berg: injured side both, 71.5 kg", out)
        self.assertIn("(updated)", out)
        rc, out, err = self.bm("athlete", "--list")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out.splitlines()), 1)
        for args, msg in ((("athlete", "X", "--injured", "up"), "--injured 'up'"),
                          (("athlete", "X", "--mass", "5"), "out of range"),
                          (("athlete",), "which athlete?"),
                          (("athlete", "--list", "X"), "--list takes no name")):
            rc, out, err = self.bm(*args)
            self.assertEqual(rc, 1, args)
            self.assertIn(msg, err.splitlines()[0])

    def test_pain_is_logged_stored_and_restored(self):
        rc, out, err = self.bm("pain", "--athlete", "Ann Lee", "4")
        self.assertEqual(rc, 2)
        self.assertIn('no athlete called "Ann Lee"', self.one_line(err))
        log = os.path.join(self.data, "bridgemon", "pain-log.csv")
        self.assertFalse(os.path.exists(log), "a score for nobody is not logged")
        rc, _, err = self.bm("sync", self.d)
        self.assertEqual(rc, 0, err)
        day2 = time.strftime("%Y-%m-%d", time.gmtime(E0 + DAY))
        rc, out, err = self.bm("pain", "--athlete", "ANN LEE", "5", "--when", "next_morning",
                               "--date", day2)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], f"ann lee, {day2}, next_morning: pain 5/10, zone acceptable "
                         "(above 2, up to 5) (guidance, not medical advice)")
        self.assertTrue(lines[1].startswith("the session of 2026-11-02: reduce the load"), out)
        self.assertTrue(lines[1].endswith("(guidance, not medical advice)"), out)
        with open(log) as f:
            self.assertEqual(f.read().splitlines()[1].split(",")[2:],
                             ["next_morning", "5", '"ann lee"'])
        for bad in (("--date", "2026-02-30"), ("--when", "during"), ("11",)):
            args = ["pain", "--athlete", "Ann Lee"] + list(bad)
            if bad != ("11",):
                args.append("3")
            rc, _, err = self.bm(*args)
            self.assertEqual(rc, 1, bad)
        # The store lost: a sync puts the typed score back from the log.
        os.remove(self.db)
        rc, _, err = self.bm("sync", self.d)
        self.assertEqual(rc, 0, err)
        rc, out, err = self.bm("history", self.d, "--athlete", "Ann Lee", "--json")
        self.assertEqual(rc, 0, err)
        first = json.loads(out)["sessions"][0]
        self.assertEqual(first["pain"], {"before": 2.0, "after": 3.0, "next_morning": 5.0})


class TestReport(AthleteData):
    def test_pdf_holds_what_analyze_prints(self):
        pdf = os.path.join(self.tmp.name, "ann.pdf")
        rc, out, err = self.bm("report", self.d, "--athlete", "Ann Lee", "--out", pdf)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, f"{pdf}: 5 pages (4 sessions and the progress)\n")
        info = subprocess.run([tool("pdfinfo"), pdf], capture_output=True, text=True).stdout
        self.assertRegex(info, r"Pages:\s+5\n")
        text = subprocess.run([tool("pdftotext"), "-layout", pdf, "-"], capture_output=True,
                              text=True).stdout
        self.assertIn("ann lee", text)
        for name in self.names:
            self.assertIn(name[:10], text)
        rc, js, err = run("analyze", self.path(self.names[0] + ".csv"), "--json")
        holds = json.loads(js)["holds"]
        self.assertTrue(holds)
        for h in holds:
            self.assertIn(f" {h['mean_n']:.1f}/{h['peak_n']:.1f}", text)
        self.assertIn("Readiness to run", text)
        self.assertIn("guidance, not medical advice", text)
        self.assertIn("Metric confidence at 80 samples/s", text)

    def test_one_session_and_images(self):
        png = os.path.join(self.tmp.name, "one.png")
        rc, out, err = self.bm("report", self.d, "--athlete", "Ann Lee", "--out", png,
                               "--session", self.path(self.names[1] + ".csv"))
        self.assertEqual(rc, 0, err)
        with open(png, "rb") as f:
            head = f.read(24)
        self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(struct.unpack(">II", head[16:24]), (1241, 2 * 1754))
        svg = os.path.join(self.tmp.name, "all.svg")
        rc, out, err = self.bm("report", self.d, "--athlete", "Ann Lee", "--out", svg,
                               "--include-demo")
        self.assertEqual(rc, 0, err)
        self.assertIn("6 pages (5 sessions and the progress)", out)
        for args, code in ((("--out", "r.txt"), 1), (("--out", png, "--athlete", "Nobody"), 2),
                           (("--out", png, "--session", "/nowhere/x.csv"), 2)):
            full = ["report", self.d, "--athlete", "Ann Lee"] + list(args)
            rc, out, err = self.bm(*full)
            self.assertEqual(rc, code, args)
            self.assertTrue(err.strip(), args)


class TestPostgres(AthleteData):
    """Run by with_pg.sh: the same JSON from both back ends; a server that
    goes away and comes back, also during a live recording."""

    def test_server_gone_during_a_recording(self):
        uri = os.environ.get("BM_TEST_PG_URI")
        self.assertTrue(uri, "BM_TEST_PG_URI is not set: run this through with_pg.sh")
        env = dict(os.environ, TZ="UTC", **self.env)
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        p = subprocess.Popen([BRIDGEMON, "record", "--demo", "--seconds", "6", "--athlete",
                              "Bo", "--db", uri], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(2.5)
        subprocess.run([os.environ["BM_PG_STOP"]], check=True)
        try:
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
            sessions = os.path.join(self.data, "bridgemon", "sessions")
            csvs = [n for n in os.listdir(sessions) if n.endswith(".csv") and
                    not n.endswith(".events.csv")]
            self.assertEqual(len(csvs), 1, os.listdir(sessions))
            self.assertIn(csvs[0] + " saved (with events and summary)", err)
            said = [l for l in err.splitlines() if "cannot reach the clinic database" in l]
            self.assertEqual(len(said), 1, err)
            self.assertIn("1 recording waits; run bridgemon sync when it is back", said[0])
        finally:
            subprocess.run([os.environ["BM_PG_START"]], check=True)
        rc, out, err = self.bm("sync", sessions, "--db", uri)
        self.assertEqual(rc, 0, err)
        self.assertIn("1 recording uploaded", out)
        rc, out, err = self.bm("history", sessions, "--athlete", "Bo", "--db", uri,
                               "--include-demo", "--json")
        self.assertEqual(rc, 0, err)
        self.assertIn(csvs[0], out)

    def test_same_json_and_a_server_that_goes_away(self):
        uri = os.environ.get("BM_TEST_PG_URI")
        self.assertTrue(uri, "BM_TEST_PG_URI is not set: run this through with_pg.sh")
        rc, lite, err = self.bm("history", self.d, "--athlete", "Ann Lee", "--json")
        self.assertEqual(rc, 0, err)
        rc, out, err = self.bm("sync", self.d, "--db", uri)
        self.assertEqual(rc, 0, err)
        self.assertIn("5 recordings uploaded to PostgreSQL database", out)
        rc, pg, err = self.bm("history", self.d, "--athlete", "Ann Lee", "--json", "--db", uri)
        self.assertEqual(rc, 0, err)
        self.assertEqual(pg, lite)
        rc, pg, err = self.bm("history", self.d, "--athlete", "Ann Lee", "--json", "--db", uri,
                              "--rebuild")
        self.assertEqual(rc, 0, err)
        self.assertEqual(pg, lite)

        subprocess.run([os.environ["BM_PG_STOP"]], check=True)
        try:
            self.rec("2026-12-02T09-00-00", 61, E0 + 30 * DAY, athlete="Ann Lee", seconds=120)
            state = self.folder_state()
            rc, out, err = self.bm("sync", self.d, "--db", uri + "&connect_timeout=3")
            self.assertEqual((rc, out), (2, ""))
            line = self.one_line(err)
            self.assertTrue(line.startswith("bridgemon sync: cannot reach the clinic database"),
                            line)
            self.assertTrue(line.endswith("): 1 recording waits; run bridgemon sync when it is "
                                          "back"), line)
            self.assertEqual(self.folder_state(), state)
        finally:
            subprocess.run([os.environ["BM_PG_START"]], check=True)
        rc, out, err = self.bm("sync", self.d, "--db", uri)
        self.assertEqual(rc, 0, err)
        self.assertIn("1 recording uploaded", out)
        self.assertIn("(5 already there)", out)


def main():
    global BRIDGEMON
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    BRIDGEMON = os.path.abspath(sys.argv[1])
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    if sys.argv[2:] == ["pg"]:
        suite.addTests(loader.loadTestsFromTestCase(TestPostgres))
    else:
        for case in (TestListing, TestRecovery, TestAthleteHistory, TestStoreErrors,
                     TestSyncAthletePain, TestReport):
            suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
