#!/usr/bin/python3
"""Seed inputs for the fuzz targets (tests/fuzz/corpus/TARGET/), rewritten
by this script; run it again after a format changes.

    tests/fuzz/make_corpus.py BRIDGEMON

BRIDGEMON is a built program (BUILD/host/app/bridgemon): the recordings
are its simulated athlete (forces-only at 10 Hz to keep them short, one
80 Hz file with every column) and the summaries are its `analyze --json`.
The rest is written here: real protocol frames (tests/support/bmframes.py),
sidecars and calibration files in the writers' shapes, and the inputs that
once broke a reader.  Files it does not write (crashes kept from fuzzing
runs as regressions) are left alone.

corpus/csv/ is hand-written and not touched here."""
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import bmframes as bf  # noqa: E402

MARK = b"\n--meta.json--\n"  # FUZZ_SIDECAR_MARK in fuzz_files.h


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def simulate(bm, tmp, seed, seconds, rate=10, clean=True, forces_only=True):
    out = os.path.join(tmp, "s%d.csv" % seed)
    args = [bm, "simulate", "--seconds", str(seconds), "--seed", str(seed), "--rate", str(rate),
            "--out", out]
    if clean:
        args.append("--clean")
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        lines = f.read().splitlines()
    if forces_only:
        lines = [",".join(x.split(",")[:3]) for x in lines]
    return "\n".join(lines) + "\n"


def analyze_json(bm, tmp, csv):
    p = os.path.join(tmp, "a.csv")
    with open(p, "w") as f:
        f.write(csv)
    return subprocess.run([bm, "analyze", "--json", p], check=True, capture_output=True,
                          text=True).stdout


def calib(t, left, right):
    return {"from_t_s": t,
            "left": {"offset_counts": left[0], "scale_n_per_count": left[1], "valid": True},
            "right": {"offset_counts": right[0], "scale_n_per_count": right[1], "valid": True}}


def sidecar(rate=10.0, excluded=(), gaps=(), cals=None, version=1, **ctx):
    """A sidecar in bm_meta_to_json's shape (key order and all)."""
    context = {"athlete": "", "athlete_id": "", "injured_side": "", "body_mass_kg": None,
               "exercise": "", "knee_angle_deg": None, "hip_angle_deg": None, "protocol": "",
               "notes": "", "pain_before": None, "pain_after": None}
    context.update(ctx)
    m = {"format": "bridgemon-session-meta", "version": version, "bridgemon": "0.1.0",
         "source": "board", "demo": False, "closed": True, "device": "/dev/ttyUSB0 fw 0.1.0",
         "board_id": "5a3c91e2", "sample_rate_hz": rate, "start_time": "2026-11-20T09:15:00+01:00",
         "start_epoch_s": 1795248900.0,
         "calibration": cals if cals is not None else
         [calib(None, (69069.0, -0.000424980361), (-60132.0, 0.000485674595))],
         "excluded": [{"from_t_s": a, "to_t_s": b, "why": "calibrating"} for a, b in excluded],
         "gaps": [{"before_t_s": t, "samples_lost": n, "why": w} for t, n, w in gaps],
         "context": context, "origin": ""}
    return json.dumps(m, indent=1) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    bm = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        single = simulate(bm, tmp, 1, 90)      # single-leg holds on each leg: an LSI
        bilateral = simulate(bm, tmp, 7, 90)   # a bilateral hold
        reps = simulate(bm, tmp, 10, 90)       # 24 reps, 12 bilateral pairs
        raw80 = simulate(bm, tmp, 2, 4, rate=80, clean=False, forces_only=False)
        summaries = [analyze_json(bm, tmp, x) for x in (single, bilateral, reps)]

    # decoder: a stream of real frames.
    stream = b"\x00" + bf.info()
    for i in range(40):
        stream += bf.sample(65520 + i, 0xFFFFFF00 + i * 12500,
                            -8388608 if i == 5 else 100000 + i, 8388607 if i == 6 else -i,
                            4 if i == 5 else 0, 2 if i == 6 else 0)
    stream += bf.frame(bf.MSG_ACK, bytes([7, 0x40]))
    put("decoder", "stream.bin", stream)

    # analyze: recordings as analyze reads them, some with their sidecar.
    put("analyze", "single_leg_holds.csv", single)
    put("analyze", "bilateral_hold.csv", bilateral)
    put("analyze", "bilateral_reps.csv", reps)
    put("analyze", "raw_80hz.csv", raw80)
    put("analyze", "excluded_stretch.csv", bilateral.encode() + MARK + sidecar(
        excluded=[(20.0, 45.5), (80.0, None)], gaps=[(60.0, 12, "sequence gap")],
        cals=[calib(None, (69069.0, -0.000424980361), (-60132.0, 0.000485674595)),
              calib(45.5, (69000.0, -0.000425), (-60100.0, 0.000486))]).encode())
    put("analyze", "old_rate_line.csv", "# bridgemon 0.0.9 session\n# sample_rate_hz: 10\n" + reps)
    put("analyze", "backwards.csv",  # odd length: read with --skip-backwards
        "t_s,left_n,right_n\n0.0,5,5\n0.1,5,5\n0.05,5,5\n0.2,6,5\n0.3,80,82\n0.4,81,80\n0.5,5,5x\n")

    # meta: sidecars.
    put("meta", "full.meta.json", sidecar(
        rate=80.0, excluded=[(3.5, 9.25), (100.0, None)],
        gaps=[(12.5, 40, "sequence gap"), (30.0, -1, "board unplugged")],
        cals=[calib(None, (81234.0, 5.25e-4), (-4567.0, -4.75e-4)),
              calib(9.25, (81200.0, 5.3e-4), (-4500.0, -4.7e-4))],
        athlete="A. N. Other", athlete_id="17", injured_side="left", body_mass_kg=72.5,
        exercise="single_leg_left", knee_angle_deg=90.0, hip_angle_deg=0.0,
        protocol="isometric 5x30s", notes="first session \u00e9\n\"quoted\"", pain_before=2,
        pain_after=3))
    put("meta", "minimal.meta.json", '{"format": "bridgemon-session-meta", "version": 1}\n')
    put("meta", "newer.meta.json", sidecar(version=3, rate=None))
    put("meta", "out_of_range.meta.json", sidecar(rate=1e308))
    put("meta", "not_json.meta.json", '{"format": "bridgemon-session-meta", "version": 1,')

    # calib: calibration files as bm_calib_save writes them, and broken ones.
    good = ("# bridgemon calibration of board 00c0ffee: force_n = (raw - offset) * scale\n"
            "board_id = 00c0ffee\n"
            "left_offset_counts = -81234\nleft_scale_n_per_count = 0.00052500000000000003\n"
            "left_valid = 1\n"
            "right_offset_counts = 4567\nright_scale_n_per_count = -0.00047499999999999999\n"
            "right_valid = 1\n")
    put("calib", "saved.conf", good)
    put("calib", "spaces_crlf.conf", good.replace("\n", "\r\n").replace(" = ", "\t=  "))
    put("calib", "zero_scale.conf", good.replace("-0.00047499999999999999", "0"))
    put("calib", "incomplete.conf", "left_offset_counts = 1\nleft_valid = 0\n")
    put("calib", "unknown_key.conf", good + "middle_valid = 1\n")
    put("calib", "not_finite.conf", good.replace("4567", "1e999"))

    # fwcmd: first byte odd = a payload that gets its CRC; even = raw bytes.
    cmds = {"ping": (0x40, [9]), "get_info": (0x41, [1]), "rate80": (0x42, [2, 80]),
            "rate20": (0x42, [3, 20]), "gain64": (0x43, [4, 64]), "read_cal": (0x45, [5]),
            "store_cal": (0x44, [6] + list(struct.pack("<ifif", -81234, 5.25e-4, 4567, -4.75e-4))),
            "store_cal_blank": (0x44, [7] + [0xFF] * 16), "short_body": (0x42, [8]),
            "no_tag": (0x40, []), "unknown": (0x50, [1, 2]), "device_type": (0x01, [1])}
    stream = b""
    for name, (t, body) in cmds.items():
        put("fwcmd", "payload_" + name + ".bin", bytes([1, t] + body))
        stream += bf.frame(t, bytes(body))
    put("fwcmd", "stream_all.bin", b"\x00" + stream)
    put("fwcmd", "stream_garbage.bin",
        b"\x02" + bytes(range(1, 200)) + b"\x00\x00" + bf.frame(0x40, b"\x01")[::-1] +
        bf.frame(0x40, b"\x02"))

    # summary: what analyze --json writes, and numbers no count can be.
    for name, js in zip(("single_leg", "bilateral_hold", "bilateral_reps"), summaries):
        put("summary", name + ".summary.json", js)
    put("summary", "huge_counts.summary.json",
        summaries[2].replace('"reps": {"left": 12', '"reps": {"left": 1e300')
                    .replace('"bilateral_flagged": ', '"bilateral_flagged": -'))

    # replay: rate lines of earlier versions, sidecars, and the 1e308 rate.
    rows = "t_s,left_n,right_n\n" + "".join("%.1f,%d,%d\n" % (i / 10, 5 + i, 6 + i)
                                             for i in range(30))
    put("replay", "rate_1e308.csv", "# sample_rate_hz: 1e308\n" + rows)
    put("replay", "rate_10.csv", "# sample_rate_hz: 10\n" + rows)
    put("replay", "rate_unknown.csv", "# sample_rate_hz: unknown (no INFO)\n" + rows)
    put("replay", "rate_sidecar.csv", rows.encode() + MARK + sidecar(rate=10.0).encode())
    put("replay", "bilateral_hold.csv", "\n".join(bilateral.split("\n")[:400]) + "\n")


if __name__ == "__main__":
    main()
