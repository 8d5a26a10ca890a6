#!/usr/bin/python3
"""test_layering.py - the build enforces the data flow: every room of
host/core includes only its own headers and those of the rooms below it
(chain: its own, libc, libm, kissfft; formats: + chain and the wire
protocol; sim: the protocol; sources: + formats, sim; monitor: all of
them), and a file in chain/ that tries to include a formats/ header does
not compile with chain's include path.

    test_layering.py SOURCE_ROOT CC
"""
import os
import re
import subprocess
import sys
import tempfile

ROOMS = {  # room: rooms (and protocol) it may include from
    "chain": [],
    "formats": ["chain", "protocol"],
    "sim": ["protocol"],
    "sources": ["formats", "chain", "sim", "protocol"],
    "monitor": ["sources", "formats", "chain", "sim", "protocol"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    root, cc = sys.argv[1], sys.argv[2]
    core = os.path.join(root, "host", "core")
    headers = {}
    for room in ROOMS:
        for f in os.listdir(os.path.join(core, room)):
            if f.endswith(".h"):
                headers[f] = room
    for f in os.listdir(os.path.join(root, "firmware", "protocol")):
        if f.endswith(".h"):
            headers[f] = "protocol"
    problems = []
    for room, allowed in ROOMS.items():
        d = os.path.join(core, room)
        for f in sorted(os.listdir(d)):
            if not f.endswith((".c", ".h")):
                continue
            with open(os.path.join(d, f)) as fh:
                for inc in INCLUDE.findall(fh.read()):
                    home = headers.get(inc)
                    if inc == "bm_config.h" and room != "chain":
                        continue
                    if home is None:
                        problems.append(f"{room}/{f} includes \"{inc}\", which is no core header")
                    elif home != room and home not in allowed:
                        problems.append(f"{room}/{f} includes {home}/{inc}: {room} may use only "
                                        f"{', '.join([room] + allowed)}")
    # The compiler agrees: with chain's include path, formats/ is not there.
    with tempfile.TemporaryDirectory() as t:
        probe = os.path.join(t, "probe.c")
        with open(probe, "w") as fh:
            fh.write('#include "bm_detect.h"\n#include "bm_csv.h"\nint main(void) { return 0; }\n')
        r = subprocess.run([cc, "-fsyntax-only", "-I", os.path.join(core, "chain"), probe],
                           capture_output=True, text=True)
        if r.returncode == 0:
            problems.append("a chain/ file including bm_csv.h compiled with chain's include path")
        elif "bm_csv.h" not in r.stderr:
            problems.append(f"the probe failed for another reason: {r.stderr.strip()[:200]}")
        ok = os.path.join(t, "ok.c")
        with open(ok, "w") as fh:
            fh.write('#include "bm_detect.h"\n#include "bm_zigzag.h"\nint main(void) { return 0; }\n')
        r = subprocess.run([cc, "-fsyntax-only", "-I", os.path.join(core, "chain"), ok],
                           capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"chain's own headers do not compile alone: {r.stderr.strip()[:200]}")
    for p in problems:
        print("FAIL:", p)
    print(f"layering: {len(problems)} problem(s) in {len(ROOMS)} rooms")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
