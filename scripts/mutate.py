#!/usr/bin/python3
"""mutate.py - testing the tests: small deliberate bugs, one at a time.

Each mutant below is one small change to product code (a constant, an
off-by-one, a flipped comparison, a dropped statement), written as a file,
the exact original text and its replacement.  The original text must occur
exactly once in its file: when the code changes under it, the script stops
and says which mutant to rewrite, so the list cannot rot silently.

For each mutant the script writes the change into a scratch copy of the
tree, builds incrementally what the mutant's tests need (one scratch build
folder, configured once and kept between runs), runs those tests, and puts
the file back.  A mutant is "killed" when a test fails or times out,
"killed by build" when it does not compile (a weaker kill: such mutants are
best avoided), and "survived" when every test passes.  Before the mutants,
the same tests run once on the unchanged tree: they must pass there.

    scripts/mutate.sh [--list] [--only NAME[,NAME...]] [--scratch DIR]
                      [--timeout SECONDS] [--no-baseline]

--list        the mutants (and check that each original text is still there)
--only        these mutants only
--scratch     scratch folder (default: $TMPDIR/bridgemon-mutate, or /tmp)
--timeout     wall seconds per mutant, build and tests, unless the mutant
              sets its own (default 300)
--no-baseline skip the run on the unchanged tree

Exit status: 0 when every mutant was killed, 1 when one survived, 2 on an
error (a stale mutant, a baseline failure, a broken scratch build).
Python 3 standard library only; not part of CI (the whole list takes
minutes; BENCHMARKS.md, "Mutation testing", has a measured run).
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The tests each area's mutants run (names from `meson test --list`).
DETECT = "core detect-conditions detect-observations detect-independent live-equals-analyze"
FW_SIM = "sim-saturation sim-commands sim-stuck"


class Mutant:
    def __init__(self, name, path, orig, repl, tests, why, timeout=None):
        self.name, self.path, self.orig, self.repl = name, path, orig, repl
        self.tests = tests.split()
        self.why = why
        self.timeout = timeout


M = Mutant
MUTANTS = [
    # ---- decoder (host/core/sources/bm_decoder.c)
    M("decoder-lost-off-by-one", "host/core/sources/bm_decoder.c",
      "lost = step - 1u;", "lost = step;",
      "core", "a sequence step of 1 counts a lost sample"),
    M("decoder-repeat-not-restart", "host/core/sources/bm_decoder.c",
      "if (step == 0 || step > 0x8000u) {", "if (step > 0x8000u) {",
      "core", "a repeated sequence number is 65535 lost samples, not a restart"),
    M("decoder-no-clock-wrap", "host/core/sources/bm_decoder.c",
      "dec->t_high += UINT64_C(1) << 32;", "dec->t_high += 0;",
      "core", "the board's 32-bit microsecond clock wrapping sends time back 71 min"),
    # ---- protocol (firmware/protocol: both ends of the wire)
    M("crc-polynomial", "firmware/protocol/bm_crc16.c",
      "crc = (uint16_t)((crc << 1) ^ 0x1021u);", "crc = (uint16_t)((crc << 1) ^ 0x8005u);",
      "protocol core firmware-logic",
      "CRC-16/ARC's polynomial: both ends agree, only the catalogue check can tell"),
    M("crc-init", "firmware/protocol/bm_crc16.h",
      "#define BM_CRC16_INIT 0xFFFFu", "#define BM_CRC16_INIT 0x0000u",
      "protocol core firmware-logic", "CRC-16/XMODEM instead of CCITT-FALSE"),
    M("cobs-extra-code-after-full-block", "firmware/protocol/bm_cobs.c",
      "if (code == 0xFF && i + 1 < len) {", "if (code == 0xFF) {",
      "protocol", "a 254-byte run at the end gets a spare code byte"),
    M("cobs-implied-zero-after-full-block", "firmware/protocol/bm_cobs.c",
      "if (code != 0xFF && i < len) {", "if (i < len) {",
      "protocol core", "the decoder adds a zero after a full 254-byte block"),
    M("s24-sign-bit", "firmware/protocol/bm_msg.c",
      "if (u & 0x800000UL)\n\t\tu |= 0xFF000000UL;", "if (u & 0x400000UL)\n\t\tu |= 0xFF000000UL;",
      "protocol core", "24-bit readings sign-extended from the wrong bit"),
    # ---- calibration (host/core/chain/bm_calib.c)
    M("calib-apply-offset-sign", "host/core/chain/bm_calib.c",
      "return ((double)raw_counts - cal->offset_counts[ch]) * cal->scale_n_per_count[ch];",
      "return ((double)raw_counts + cal->offset_counts[ch]) * cal->scale_n_per_count[ch];",
      "core", "the tare offset added instead of taken off"),
    M("calib-reverse-cell-refused", "host/core/chain/bm_calib.c",
      "if (fabs(delta) < lim->min_counts) {", "if (delta < lim->min_counts) {",
      "core", "a cell wired in reverse is refused as 'no response'"),
    M("calib-gravity-9.81", "host/core/chain/bm_calib.c",
      "cal->scale_n_per_count[ch] = mass_kg * BM_STANDARD_GRAVITY / delta;",
      "cal->scale_n_per_count[ch] = mass_kg * 9.81 / delta;",
      "core", "g rounded to 9.81 instead of the standard 9.80665 (0.03 % off)"),
    # ---- filter (host/core/chain/bm_filter.c, .h)
    M("despike-not-median", "host/core/chain/bm_filter.c",
      "return next < lo ? lo : (next > hi ? hi : next);",
      "return next < lo ? lo : (next > hi ? hi : cur);",
      "filter core", "the median of three returns the middle sample, not the median"),
    M("butter-prewarp", "host/core/chain/bm_filter.c",
      "double warped = 4.0 * tan(M_PI * wn / 2.0);", "double warped = 4.0 * tan(M_PI * wn / 4.0);",
      "filter", "the bilinear transform's prewarp at half the frequency"),
    M("filtfilt-even-extension", "host/core/chain/bm_filter.c",
      "set_state(z, zi, ns, 2.0 * x0 - x[p]);", "set_state(z, zi, ns, x[p]);",
      "filter", "filtfilt's initial state from the sample, not the odd extension"),
    M("filter-default-cutoff", "host/core/chain/bm_filter.h",
      "#define BM_FILTER_DEFAULT_CUTOFF_HZ 5.0", "#define BM_FILTER_DEFAULT_CUTOFF_HZ 8.0",
      "filter core", "the default low-pass at 8 Hz instead of 5 Hz"),
    M("sosfilt-not-primed", "host/core/chain/bm_filter.c",
      "\tif (f->need_prime)\n\t\tbm_sosfilt_prime(f, x);",
      "\tif (0 && f->need_prime)\n\t\tbm_sosfilt_prime(f, x);",
      "filter core", "the causal filter starts from zero, not steady at the first sample"),
    # ---- detector (host/core/chain/bm_detect.c)
    M("detect-onset-25", "host/core/chain/bm_detect.c",
      "p->onset_n = 20.0;", "p->onset_n = 25.0;",
      DETECT, "issue 13: the onset threshold 25 N instead of 20 N"),
    M("detect-release-0.5", "host/core/chain/bm_detect.c",
      "p->release_s = 1.0;", "p->release_s = 0.5;",
      DETECT, "issue 13: a loaded period ends after 0.5 s below threshold"),
    M("detect-dip-max-0.4", "host/core/chain/bm_detect.c",
      "p->dip_max_s = 0.8;", "p->dip_max_s = 0.4;",
      DETECT, "brief dips inside a hold only up to 0.4 s"),
    M("detect-rest-jumps-up", "host/core/chain/bm_detect.c",
      "d->rest_n += m - d->rest_n < up ? m - d->rest_n : up;", "d->rest_n += m - d->rest_n;",
      DETECT, "the resting level follows a rise at once, not at 3 N/s"),
    M("detect-lift-level", "host/core/chain/bm_detect.c",
      "#define LIFT_DROP_FRAC 0.7", "#define LIFT_DROP_FRAC 0.4",
      DETECT, "a foot counts as lifted 40 % below rest instead of 70 %"),
    # ---- report (host/core/formats/bm_report.c)
    M("report-weaker-leg-swapped", "host/core/formats/bm_report.c",
      "p->weaker = p->left_above_rest_n <= p->right_above_rest_n ? 0 : 1;",
      "p->weaker = p->left_above_rest_n <= p->right_above_rest_n ? 1 : 0;",
      "core", "the stronger leg named as the weaker"),
    M("report-uncounted-hold-time", "host/core/formats/bm_report.c",
      "\t\t\tif (e->counted)\n", "\t\t\tif (e->kind == BM_EVENT_HOLD)\n",
      "core", "holds shorter than min_hold_s count toward the hold time"),
    M("report-lsi-as-asymmetry", "host/core/formats/bm_report.c",
      "r->lsi_pct = hi > 0 && lo > 0 ? 100.0 * lo / hi : NAN;",
      "r->lsi_pct = hi > 0 && lo > 0 ? 100.0 * (hi - lo) / hi : NAN;",
      "core", "the limb symmetry index computed as the asymmetry"),
    # ---- summary reader (host/core/formats/bm_summary.c)
    M("summary-old-holds-all-counted", "host/core/formats/bm_summary.c",
      "e->counted = counted >= 0 ? counted : e->end_s - e->start_s >= MIN_HOLD_S;",
      "e->counted = counted >= 0 ? counted : 1;",
      "records core", "summaries older than 'counted': every hold counted, short ones too"),
    M("summary-old-holds-count-reps", "host/core/formats/bm_summary.c",
      "rep->holds[i] += rep->events[k].kind == BM_EVENT_HOLD &&",
      "rep->holds[i] += rep->events[k].kind == BM_EVENT_REP &&",
      "records core", "summaries older than summary.holds: reps counted as holds"),
    # ---- CSV (host/core/formats/bm_csv.c)
    M("csv-repeated-time-accepted", "host/core/formats/bm_csv.c",
      "if (r->have_prev && !(t > r->prev_t)) {", "if (r->have_prev && t < r->prev_t) {",
      "core", "a row repeating the previous time is accepted"),
    M("csv-crlf-kept", "host/core/formats/bm_csv.c",
      "if (end > start && end[-1] == '\\r')", "if (0 && end > start && end[-1] == '\\r')",
      "core", "Windows line endings left on the last cell"),
    M("csv-truncated-last-line-fatal", "host/core/formats/bm_csv.c",
      "if (rc == BM_CSV_ERR_FORMAT && r->last_unended) {", "if (0) {",
      "core", "a last line cut short by a crash makes the whole file unreadable"),
    # ---- recording folder (host/records/bm_recording.c)
    M("recording-events-csv-listed", "host/records/bm_recording.c",
      "} else if (ends_with(f, len, CSV_EXT) && !ends_with(f, len, EVENTS_EXT)) {",
      "} else if (ends_with(f, len, CSV_EXT)) {",
      "records", "an events table (.events.csv) listed as a recording"),
    M("recording-utc-offset-sign", "host/records/bm_recording.c",
      "double off = (oh * 3600.0 + om * 60.0) * (sign == '-' ? -1 : 1);",
      "double off = (oh * 3600.0 + om * 60.0) * (sign == '-' ? 1 : -1);",
      "records", "an old header's start_time +01:00 read as -01:00"),
    # ---- firmware (firmware/*.c, pure logic and on the simulated board)
    M("fw-hx711-sck-high-short", "firmware/fw_hx711.c",
      "__builtin_avr_delay_cycles(3);", "__builtin_avr_delay_cycles(2);",
      FW_SIM, "DOUT sampled before the HX711's T2 (0.1 us) has passed: the model's bits are "
      "not there yet"),
    M("fw-seq-not-incremented", "firmware/main.c",
      "m->seq = a->seq++;", "m->seq = a->seq;",
      FW_SIM, "every sample frame carries the same sequence number"),
    M("fw-clock-half-rate", "firmware/fw_clock.c",
      "return (wraps << 15) | (uint32_t)(ticks >> 1);", "return (wraps << 15) | (uint32_t)(ticks >> 2);",
      FW_SIM, "the microsecond clock from Timer1 ticks of 1 us instead of 0.5 us"),
    M("fw-ring-keep-free-off-by-one", "firmware/fw_ring.c",
      "if (n > space || (uint8_t)(space - n) < keep_free)",
      "if (n > space || (uint8_t)(space - n) <= keep_free)",
      "firmware-logic", "a reply that would leave exactly room for a sample is refused"),
    M("fw-cal-frame-always-valid", "firmware/fw_frames.c",
      "body[1] = valid ? 1u : 0u;", "body[1] = 1u;",
      "firmware-logic", "a CAL reply says valid for a blank EEPROM"),
    M("fw-gain64-pulses", "firmware/fw_hx.c",
      "return hx->gain == 64 ? 27 : 25;", "return hx->gain == 64 ? 26 : 25;",
      "firmware-logic sim-commands", "26 pulses select channel B (gain 32), not A at 64"),
    M("fw-first-sample-after-gain-sent", "firmware/fw_hx.c",
      "int send = hx->conv_gain == hx->gain;", "int send = 1;",
      "firmware-logic sim-commands", "the reading converted at the old gain is sent"),
    M("fw-sign-extend-23-bits", "firmware/fw_hx.c",
      "bits &= 0xFFFFFFUL;", "bits &= 0x7FFFFFUL;",
      "firmware-logic sim-saturation", "the HX711's sign bit masked off: negative readings huge"),
    M("fw-read-guard-off", "firmware/fw_hx.c",
      "\t\t\tif ((ready & FW_HX_BIT(ch)) && conversion_near(hx, ch, now_us))\n",
      "\t\t\tif (0 && (ready & FW_HX_BIT(ch)) && conversion_near(hx, ch, now_us))\n",
      "firmware-logic sim-phase", "a read may overlap the next conversion of the chip whose word waited"),
    M("fw-read-guard-no-tolerance", "firmware/fw_hx.h",
      "#define FW_HX_OSC_TOL_PCT 5u", "#define FW_HX_OSC_TOL_PCT 0u",
      "firmware-logic sim-phase", "the guard assumes both chips run at exactly the nominal rate"),
    M("fw-read-guard-short-read", "firmware/fw_hx.h",
      "#define FW_HX_READ_US 200u", "#define FW_HX_READ_US 5u",
      "firmware-logic sim-phase", "the guard takes a read to last 5 us"),
    M("fw-store-cal-version-unchecked", "firmware/fw_store.c",
      "\tif (blk[0] != FW_STORE_CAL_VERSION)\n", "\tif (0 && blk[0] != FW_STORE_CAL_VERSION)\n",
      "firmware-logic", "a calibration block of another layout version accepted"),
]


def fail(msg):
    print("mutate: " + msg, file=sys.stderr)
    sys.exit(2)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    # A fresh write: the file's time is now, so ninja rebuilds what uses it.
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def check_mutants(mutants):
    names = set()
    for m in mutants:
        if m.name in names:
            fail("two mutants named %s" % m.name)
        names.add(m.name)
        path = os.path.join(ROOT, m.path)
        if not os.path.isfile(path):
            fail("%s: %s no longer exists; rewrite the mutant" % (m.name, m.path))
        n = read(path).count(m.orig)
        if n != 1:
            fail("%s: the original text occurs %d times in %s (must be once); "
                 "rewrite the mutant:\n%s" % (m.name, n, m.path, m.orig))
        if m.orig == m.repl:
            fail("%s: the replacement is the original" % m.name)


def sync_tree(src_dir):
    """Copy the tracked (and new, not ignored) files into src_dir, writing
    only those whose content differs, so that the scratch build stays
    incremental.  Files of an earlier copy that are gone are removed."""
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], check=True, capture_output=True).stdout
    files = sorted({f for f in out.decode().split("\0") if f})
    os.makedirs(src_dir, exist_ok=True)
    manifest = os.path.join(os.path.dirname(src_dir), "manifest.txt")
    old = set(read(manifest).split("\n")) if os.path.exists(manifest) else set()
    copied = 0
    kept = []
    for f in files:
        a, b = os.path.join(ROOT, f), os.path.join(src_dir, f)
        if not os.path.isfile(a) or os.path.islink(a):
            continue
        kept.append(f)
        with open(a, "rb") as fa:
            data = fa.read()
        if os.path.isfile(b):
            with open(b, "rb") as fb:
                if fb.read() == data:
                    continue
        os.makedirs(os.path.dirname(b), exist_ok=True)
        with open(b, "wb") as fb:
            fb.write(data)
        shutil.copymode(a, b)
        copied += 1
    for f in old - set(kept):
        p = os.path.join(src_dir, f)
        if f and os.path.isfile(p):
            os.remove(p)
    with open(manifest, "w") as fm:
        fm.write("\n".join(kept))
    return copied


def run(cmd, log, timeout, cwd=None):
    """Run cmd in its own process group, output appended to log.
    Returns the exit status, or None on timeout (the group is killed)."""
    with open(log, "a") as lf:
        lf.write("$ %s\n" % " ".join(cmd))
        lf.flush()
        p = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT, cwd=cwd,
                             start_new_session=True)
        try:
            return p.wait(timeout=max(timeout, 1))
        except subprocess.TimeoutExpired:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    p.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    pass
            lf.write("\n[mutate: timed out after %.0f s]\n" % timeout)
            return None


class Build:
    def __init__(self, scratch):
        self.src = os.path.join(scratch, "src")
        self.dir = os.path.join(scratch, "build")
        self.logs = os.path.join(scratch, "logs")
        os.makedirs(self.logs, exist_ok=True)

    def setup(self):
        log = os.path.join(self.logs, "setup.log")
        open(log, "w").close()
        if not os.path.isfile(os.path.join(self.dir, "build.ninja")):
            rc = run(["meson", "setup", self.dir, self.src, "-Dhardware_checks=disabled"],
                     log, 600)
            if rc != 0:
                fail("meson setup of the scratch build failed (see %s)" % log)
        # Regenerates the build files when a meson.build changed, so that
        # the introspection below is current.
        if run(["ninja", "-C", self.dir, "build.ninja"], log, 600) != 0:
            fail("the scratch build could not be regenerated (see %s)" % log)
        tests = json.loads(subprocess.run(["meson", "introspect", self.dir, "--tests"],
                                          check=True, capture_output=True).stdout)
        targets = json.loads(subprocess.run(["meson", "introspect", self.dir, "--targets"],
                                            check=True, capture_output=True).stdout)
        files = {t["id"]: t["filename"] for t in targets}
        self.outputs = {}
        for t in tests:
            outs = []
            for dep in t.get("depends", []):
                outs += [os.path.relpath(f, self.dir) for f in files.get(dep, [])]
            self.outputs[t["name"]] = outs

    def check_tests(self, mutants):
        for m in mutants:
            for t in m.tests:
                if t not in self.outputs:
                    fail("%s: no test named %s (meson test --list)" % (m.name, t))

    def build(self, tests, log, timeout):
        outs = sorted({o for t in tests for o in self.outputs[t]})
        return run(["ninja", "-C", self.dir] + outs, log, timeout)

    def test(self, tests, log, timeout):
        """Returns (status, failed test names); status None on timeout."""
        before = os.path.getsize(log)
        rc = run(["meson", "test", "-C", self.dir, "--no-rebuild", "--print-errorlogs"] + tests,
                 log, timeout)
        with open(log, errors="replace") as f:
            f.seek(before)
            out = f.read()
        failed = sorted(set(re.findall(r"/ (\S+)\s+(?:FAIL|TIMEOUT|ERROR)", out)))
        return rc, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--only", help="run only these mutants (comma-separated names)")
    ap.add_argument("--scratch", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                      "bridgemon-mutate"))
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="wall seconds per mutant (build and tests)")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()

    check_mutants(MUTANTS)
    chosen = MUTANTS
    if a.only:
        want = [w for w in a.only.split(",") if w]
        known = {m.name for m in MUTANTS}
        for w in want:
            if w not in known:
                fail("no mutant named %s (try --list)" % w)
        chosen = [m for m in MUTANTS if m.name in want]
    if a.list:
        for m in chosen:
            print("%-36s %-32s %s\n%36s tests: %s" % (m.name, m.path, m.why, "",
                                                      " ".join(m.tests)))
        print("%d mutants" % len(chosen))
        return 0

    t0 = time.time()
    scratch = os.path.abspath(a.scratch)
    b = Build(scratch)
    n = sync_tree(b.src)
    print("mutate: scratch tree %s (%d files updated)" % (b.src, n), flush=True)
    b.setup()
    b.check_tests(chosen)

    if not a.no_baseline:
        tests = sorted({t for m in chosen for t in m.tests})
        log = os.path.join(b.logs, "baseline.log")
        open(log, "w").close()
        if b.build(tests, log, 3600) != 0:
            fail("the unchanged tree does not build (see %s)" % log)
        rc, failed = b.test(tests, log, 1800)
        if rc != 0:
            fail("the tests fail on the unchanged tree: %s (see %s)"
                 % (" ".join(failed) or "timeout", log))
        print("mutate: baseline passes (%s) in %.0f s" % (" ".join(tests), time.time() - t0),
              flush=True)

    killed = by_build = timeouts = 0
    survivors = []
    for i, m in enumerate(chosen, 1):
        path = os.path.join(b.src, m.path)
        orig = read(path)
        if orig.count(m.orig) != 1:
            fail("%s: original text not found once in the scratch copy" % m.name)
        log = os.path.join(b.logs, m.name + ".log")
        open(log, "w").close()
        limit = m.timeout or a.timeout
        t1 = time.time()
        write(path, orig.replace(m.orig, m.repl))
        try:
            rc = b.build(m.tests, log, limit)
            if rc is None:
                verdict, detail = "KILLED", "build timed out"
                killed += 1
                timeouts += 1
            elif rc != 0:
                verdict, detail = "KILLED-BY-BUILD", "does not compile"
                killed += 1
                by_build += 1
            else:
                rc, failed = b.test(m.tests, log, limit - (time.time() - t1))
                if rc is None:
                    verdict, detail = "KILLED", "timeout"
                    killed += 1
                    timeouts += 1
                elif rc != 0:
                    verdict, detail = "KILLED", "by " + (" ".join(failed) or "meson test")
                    killed += 1
                else:
                    verdict, detail = "SURVIVED", "passed " + " ".join(m.tests)
                    survivors.append(m.name)
        finally:
            write(path, orig)
        print("%2d/%d %-16s %-36s %5.0f s  %s" % (i, len(chosen), verdict, m.name,
                                                   time.time() - t1, detail), flush=True)

    print("killed %d of %d (%d by build, %d by timeout), %.0f s wall"
          % (killed, len(chosen), by_build, timeouts, time.time() - t0))
    if survivors:
        print("survived: " + " ".join(survivors))
        print("logs: " + b.logs)
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
