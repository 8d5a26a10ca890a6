#!/usr/bin/python3
"""A session is never lost or silently corrupted: black-box tests of the
observations of the reliability issue, each built from its description.

  2  a full disk: a small tmpfs mounted by the test (as root), and a file
     size limit (RLIMIT_FSIZE) where mounting is not allowed
  3  SIGINT, SIGTERM, SIGHUP finish the recording; kill -9 leaves a
     readable CSV and sidecar
  4  a crafted sample rate cannot hang replay or analyze
  5  odd first rows cannot change the rate or give a false message
  6  gap figures: a gap in both legs is one; gap_s is the time missing
  7  companion files are never replaced
  9  no silent demo: said, and marked in the recording
 10  an uncalibrated board is marked in the recording
 11  small things: --screenshot without a display, --help per subcommand

usage: test_reliability.py PATH/TO/bridgemon
"""
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import bmframes as bf  # noqa: E402

BRIDGEMON = None


def run(*args, timeout=120, **kw):
    p = subprocess.run([BRIDGEMON, *args], capture_output=True, text=True, timeout=timeout, **kw)
    return p.returncode, p.stdout, p.stderr


def rows_of(path):
    with open(path) as f:
        lines = f.read().split("\n")
    return lines


class Tmp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="bm_rel_")
        self.d = self.dir.name
        # Recordings without --out go to a scratch sessions folder.
        self.env = dict(os.environ, XDG_DATA_HOME=self.d, XDG_CONFIG_HOME=self.d)
        self.env.pop("DISPLAY", None)
        self.env.pop("WAYLAND_DISPLAY", None)
        self.env.pop("SDL_VIDEODRIVER", None)

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.d, name)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def check_cut_cleanly(self, csv):
        """The recording ends at a complete row, and analyze reads it all."""
        lines = rows_of(csv)
        self.assertEqual(lines[-1], "", "the file ends with a line ending")
        n = len(lines[1].split(","))
        for l in lines[1:-1]:
            self.assertEqual(len(l.split(",")), n, f"a cut row: {l!r}")
        rc, out, err = run("analyze", csv, "--json", env=self.env)
        self.assertEqual(rc, 0, err)
        j = json.loads(out)
        self.assertEqual(j["data"]["rows"], len(lines) - 2)
        return j


class TestDiskFull(Tmp):
    def record_into(self, folder, preexec=None):
        out = os.path.join(folder, "a.csv")
        p = subprocess.run([BRIDGEMON, "record", "--demo", "--seed", "7", "--speed", "10",
                            "--seconds", "120", "--out", out], capture_output=True, text=True,
                           timeout=120, env=self.env, preexec_fn=preexec)
        return p, out

    def check_stopped(self, p, out):
        self.assertEqual(p.returncode, 3, p.stderr)
        said = [l for l in p.stderr.splitlines() if "recording stopped" in l]
        self.assertEqual(len(said), 1, p.stderr)
        self.assertIn("last complete row", said[0])
        j = self.check_cut_cleanly(out)
        # Everything that fit is there: more than a few seconds of it.
        self.assertGreater(j["duration_s"], 5)

    def test_small_tmpfs(self):
        mnt = self.path("mnt")
        os.mkdir(mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", mnt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"note: cannot mount a tmpfs here ({r.stderr.strip()}); "
                  "the RLIMIT_FSIZE test covers a full disk")
            return
        try:
            p, out = self.record_into(mnt)
            self.check_stopped(p, out)
        finally:
            subprocess.run(["umount", mnt])

    def test_file_size_limit(self):
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))
        p, out = self.record_into(self.d, limit)
        self.check_stopped(p, out)


class TestSignals(Tmp):
    def start(self, name):
        out = self.path(name + ".csv")
        p = subprocess.Popen([BRIDGEMON, "record", "--demo", "--seed", "3", "--seconds", "600",
                              "--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=self.env)
        # Until the recording runs (its sidecar exists) and a few seconds in.
        deadline = time.time() + 20
        while not os.path.exists(self.path(name + ".meta.json")) and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(2.5)
        return p, out

    def test_each_signal_finishes_the_recording(self):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            with self.subTest(signal=sig.name):
                p, out = self.start(sig.name)
                p.send_signal(sig)
                _, err = p.communicate(timeout=30)
                self.assertEqual(p.returncode, 0, err)
                self.assertIn("saved (with events and summary)", err)
                base = out[:-4]
                for ext in (".events.csv", ".summary.json", ".meta.json"):
                    self.assertTrue(os.path.exists(base + ext), ext)
                with open(base + ".meta.json") as f:
                    self.assertTrue(json.load(f)["closed"])
                with open(base + ".summary.json") as f:
                    summary = json.load(f)
                rc, js, e = run("analyze", out, "--json", env=self.env)
                self.assertEqual(rc, 0, e)
                self.assertEqual(summary, json.loads(js))

    def test_kill_9_leaves_a_readable_recording(self):
        p, out = self.start("k9")
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=30)
        base = out[:-4]
        self.assertFalse(os.path.exists(base + ".summary.json"))
        with open(base + ".meta.json") as f:
            self.assertFalse(json.load(f)["closed"])
        rc, js, err = run("analyze", out, "--json", env=self.env)
        self.assertEqual(rc, 0, err)
        self.assertGreater(json.loads(js)["duration_s"], 1.0)

    def test_after_kill_9_the_next_start_rebuilds_the_summary(self):
        # A recording in the sessions folder, killed: no summary.
        folder = os.path.join(self.d, "bridgemon", "sessions")
        os.makedirs(folder)
        out = os.path.join(folder, "2026-01-05T10-00-00-demo.csv")
        p = subprocess.Popen([BRIDGEMON, "record", "--demo", "--seed", "3", "--seconds", "600",
                              "--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=self.env)
        deadline = time.time() + 20
        while not os.path.exists(out[:-4] + ".meta.json") and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(2.5)
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=30)
        summary = out[:-4] + ".summary.json"
        self.assertFalse(os.path.exists(summary))
        # Another device's recording, imported an hour ago, has no summary
        # by design: it is not a crashed recording and stays as it is.
        other = self.write("plate.csv", "t,f\n" + "".join(
            f"{i / 80:.4f},{300 if 400 < i < 1200 else 100}\n" for i in range(2000)))
        rc, _, err = run("import", other, "--time", "t", "--left", "f", "--unit", "N",
                         "--out", folder, env=self.env)
        self.assertEqual(rc, 0, err)
        hour_ago = time.time() - 3600
        for ext in (".csv", ".meta.json"):
            os.utime(os.path.join(folder, "plate" + ext), (hour_ago, hour_ago))
        # The next recording rebuilds it first, and says so in one line.
        rc, _, err = run("record", "--demo", "--seed", "4", "--speed", "20", "--seconds", "2",
                         env=self.env)
        self.assertEqual(rc, 0, err)
        said = [l for l in err.splitlines() if "rebuilt the summary of" in l]
        self.assertEqual(len(said), 1, err)
        self.assertIn(os.path.basename(out), said[0])
        self.assertIn("not closed", said[0])
        with open(summary) as f:
            rebuilt = json.load(f)
        rc, js, e = run("analyze", out, "--json", env=self.env)
        self.assertEqual(rc, 0, e)
        self.assertEqual(rebuilt, json.loads(js), "the rebuilt summary is what analyze says")
        self.assertFalse(os.path.exists(os.path.join(folder, "plate.summary.json")))
        # And only once: a second start has nothing to rebuild.
        rc, _, err = run("record", "--demo", "--seed", "5", "--speed", "20", "--seconds", "2",
                         env=self.env)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("rebuilt the summary", err)


class TestHostileFiles(Tmp):
    def old_file(self, rate):
        rows = "\n".join(f"{i / 80:.6f},50.0,60.0" for i in range(800))
        return self.write("r.csv", f"# sample_rate_hz: {rate}\nt_s,left_n,right_n\n{rows}\n")

    def test_crafted_rate_cannot_hang(self):
        for rate in ("1e308", "1e6", "-5", "nan", "abc"):
            with self.subTest(rate=rate):
                f = self.old_file(rate)
                t0 = time.time()
                rc, _, err = run("replay", f, "--speed", "0", "--no-window", env=self.env, timeout=30)
                self.assertLess(time.time() - t0, 10)
                if rate == "1e6":
                    continue  # a rate a plate could have: read, honestly
                self.assertEqual(rc, 2, err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertIn("sample_rate_hz", err)
                rc, _, err = run("analyze", f, env=self.env, timeout=30)
                self.assertEqual(rc, 2, err)

    def test_crafted_sidecar(self):
        f = self.write("s.csv", "t_s,left_n,right_n\n" +
                       "\n".join(f"{i / 80:.6f},50.0,60.0" for i in range(800)) + "\n")
        for side, key in (('{"format": "bridgemon-session-meta", "version": 1, "sample_rate_hz": 1e308}', "sample_rate_hz"),
                          ('{"format": "bridgemon-session-meta", "version": 1, "gaps": 5}', "gaps"),
                          ('not json', "JSON")):
            with self.subTest(side=side):
                self.write("s.meta.json", side)
                rc, _, err = run("analyze", f, env=self.env, timeout=30)
                self.assertEqual(rc, 2, err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertIn(key, err)

    def test_odd_first_rows(self):
        for step_us in (10, 1, 4):
            with self.subTest(step_us=step_us):
                rows = [f"{i * step_us / 1e6:.6f},50.0,60.0" for i in range(300)]
                t0 = 300 * step_us / 1e6 + 0.0125
                rows += [f"{t0 + i / 80:.6f},50.0,60.0" for i in range(80 * 120)]
                f = self.write("odd.csv", "t_s,left_n,right_n\n" + "\n".join(rows) + "\n")
                t = time.time()
                rc, out, err = run("analyze", f, "--json", env=self.env, timeout=60)
                self.assertLess(time.time() - t, 10)
                self.assertEqual(rc, 0, err)
                self.assertAlmostEqual(json.loads(out)["sample_rate_hz"], 80, delta=1)
                self.assertNotIn("out of time order", err)


class TestGapFigures(Tmp):
    def test_one_gap_in_both_legs_is_one(self):
        rows = [f"{i / 80:.6f},50.0,60.0" for i in range(80 * 30)]
        rows += [f"{37 + i / 80:.6f},50.0,60.0" for i in range(80 * 30)]
        f = self.write("g.csv", "t_s,left_n,right_n\n" + "\n".join(rows) + "\n")
        rc, out, err = run("analyze", f, "--json", env=self.env)
        self.assertEqual(rc, 0, err)
        d = json.loads(out)["data"]
        self.assertEqual(d["gaps"], 1)
        self.assertAlmostEqual(d["gap_s"], 7.0, delta=0.05)

    def test_gap_of_days(self):
        t0 = 1764091234.0
        rows = [f"{t0 + i / 80:.6f},50.0,60.0" for i in range(80 * 30)]
        rows += [f"{t0 + 2 * 86400 + i / 80:.6f},50.0,60.0" for i in range(80 * 30)]
        f = self.write("days.csv", "t_s,left_n,right_n\n" + "\n".join(rows) + "\n")
        rc, out, err = run("analyze", f, "--json", env=self.env)
        self.assertEqual(rc, 0, err)
        d = json.loads(out)["data"]
        self.assertEqual(d["gaps"], 1)
        self.assertAlmostEqual(d["gap_s"], 2 * 86400 - 30, delta=1)


class TestNeverReplaced(Tmp):
    def test_companion_exists(self):
        out = self.path("a.csv")
        self.write("a.summary.json", "mine")
        rc, _, err = run("record", "--demo", "--seconds", "2", "--speed", "0", "--out", out,
                         env=self.env)
        self.assertEqual(rc, 3, err)
        self.assertIn("a.summary.json", err)
        with open(self.path("a.summary.json")) as f:
            self.assertEqual(f.read(), "mine")
        self.assertFalse(os.path.exists(out))


class TestNoSilentDemo(Tmp):
    def test_demo_marked(self):
        rc, _, err = run("record", "--demo", "--seconds", "3", "--speed", "0", env=self.env)
        self.assertEqual(rc, 0, err)
        folder = os.path.join(self.d, "bridgemon", "sessions")
        names = sorted(os.listdir(folder))
        csv = [n for n in names if n.endswith(".csv") and not n.endswith(".events.csv")]
        self.assertEqual(len(csv), 1, names)
        self.assertTrue(csv[0].endswith("-demo.csv"), csv)
        with open(os.path.join(folder, csv[0][:-4] + ".meta.json")) as f:
            self.assertTrue(json.load(f)["demo"])
        with open(os.path.join(folder, csv[0][:-4] + ".summary.json")) as f:
            self.assertTrue(json.load(f)["demo"])

    def test_monitor_says_no_board(self):
        # No display, no board: the terminal status, and the reason said.
        rc, _, err = run("--seconds", "2", "--no-window", env=self.env, timeout=60)
        self.assertEqual(rc, 0, err)
        self.assertIn("no board found", err)
        self.assertIn("demo", err.lower())


class TestUncalibrated(Tmp):
    def test_marked_in_the_recording(self):
        # A board that has never been calibrated (no EEPROM record).
        import threading
        master, slave = os.openpty()
        path = os.ttyname(slave)
        os.close(slave)
        os.set_blocking(master, False)
        frames = [bf.info()] + [bf.sample(i, i * 12500, 100000 + 3 * i, -3000, 0, 0) for i in range(200)]
        stop = []

        def play():
            deadline = time.time() + 10
            while time.time() < deadline:
                try:
                    if os.read(master, 256):
                        break
                except OSError:
                    time.sleep(0.005)
            os.write(master, b"\x00")
            for fr in frames:
                if stop:
                    break
                os.write(master, fr)
                time.sleep(0.0125)
        th = threading.Thread(target=play, daemon=True)
        th.start()
        out = self.path("u.csv")
        try:
            rc, _, err = run("record", "--port", path, "--seconds", "2", "--out", out, env=self.env)
        finally:
            stop.append(1)
            th.join(5)
            os.close(master)
        self.assertEqual(rc, 0, err)
        self.assertIn("not calibrated", err)
        with open(self.path("u.meta.json")) as f:
            self.assertFalse(json.load(f)["calibrated"])


class TestSmallThings(Tmp):
    def test_screenshot_needs_a_display(self):
        rc, _, err = run("demo", "--seconds", "1", "--screenshot", self.path("x.png"), env=self.env)
        self.assertEqual(rc, 1, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertFalse(os.path.exists(self.path("x.png")))

    def test_help_lists_only_what_a_subcommand_takes(self):
        rc, out, _ = run("record", "--help")
        self.assertEqual(rc, 0)
        self.assertNotIn("--fps", out)
        rc, _, err = run("record", "--demo", "--seconds", "1", "--fps", "30", env=self.env)
        self.assertEqual(rc, 1, err)

    def test_status_fits_80_columns(self):
        rc, _, err = run("record", "--demo", "--seconds", "3", "--speed", "1", "--out",
                         self.path("w.csv"), env=dict(self.env, COLUMNS="80"))
        self.assertEqual(rc, 0, err)
        status = [l for l in err.splitlines() if l.startswith("DEMO L ")]
        self.assertTrue(status, err)
        for l in status:
            self.assertLessEqual(len(l), 79, l)


def main():
    global BRIDGEMON
    BRIDGEMON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
