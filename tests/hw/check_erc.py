#!/usr/bin/python3
"""check_erc.py - KiCad's electrical rules check passes on the schematic.

Runs `kicad-cli sch erc --format json --severity-all` on a copy of the
project and requires:
  * 0 errors;
  * every warning (and every exclusion) to be of a type listed in
    EXPLAINED below, with the reason it is acceptable.  A warning of any
    other type fails the test, so a new one has to be looked at and either
    fixed or explained here.

With the project as generated the ERC reports nothing at all; EXPLAINED
records what would be acceptable and why, so that nobody "fixes" those by
deleting the check:
  * lib_symbol_issues / lib_symbol_mismatch are not acceptable: the project
    ships sym-lib-table and bridgemon.kicad_sym, so KiCad finds the library
    the embedded symbols came from, and they must be the same.  (Without
    sym-lib-table KiCad 9 warns "The current configuration does not include
    the symbol library 'bridgemon'" for every symbol.)
  * footprint_link_issues: the drawing has no footprints on purpose (the
    board is hand-wired on perfboard from modules), so a warning about
    footprint libraries would carry no information.

Then a negative control: the same check on a copy with one no-connect flag
removed must report an error, so we know the ERC really ran on our file.

  check_erc.py --kicad-cli PATH --schematic schematics/bridgemon.kicad_sch
"""

import argparse
import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kicad_tools as kt  # noqa: E402

# Warning types that may remain, and why each is harmless here.
EXPLAINED = {
	"footprint_link_issues":
		"no footprints are assigned: the board is built from modules on perfboard, not a PCB",
}


def run_erc(kicad_cli, schematic, tmp):
	"""ERC of schematic (copied with its project into tmp); returns
	(kicad version, list of violations)."""
	sch = kt.copy_project(schematic, tmp)
	report = os.path.join(tmp, "erc.json")
	kt.run_kicad(kicad_cli, ["sch", "erc", "--format", "json", "--severity-all", "-o", report, sch], tmp)
	with open(report, encoding="utf-8") as f:
		data = json.load(f)
	violations = []
	for sheet in data.get("sheets", []):
		for v in sheet.get("violations", []):
			v = dict(v)
			v["sheet"] = sheet.get("path", "?")
			violations.append(v)
	return data.get("kicad_version", "?"), violations


def describe(v):
	where = "; ".join(i.get("description", "") for i in v.get("items", []))
	return f"[{v.get('type')}] {v.get('description')} ({v.get('severity')}) at {v['sheet']}: {where}"


def classify(violations):
	"""(errors, explained warnings, unexplained warnings)"""
	errors, explained, unexplained = [], [], []
	for v in violations:
		if v.get("severity") == "error":
			errors.append(v)
		elif v.get("type") in EXPLAINED:
			explained.append(v)
		else:
			unexplained.append(v)
	return errors, explained, unexplained


def main(argv):
	ap = argparse.ArgumentParser(description="KiCad ERC of the bridgemon schematic")
	ap.add_argument("--kicad-cli", required=True)
	ap.add_argument("--schematic", required=True)
	args = ap.parse_args(argv)
	passed = failed = 0
	with tempfile.TemporaryDirectory(prefix="bm-hw-erc-") as tmp:
		try:
			version, violations = run_erc(args.kicad_cli, args.schematic, os.path.join(tmp, "project"))
			errors, explained, unexplained = classify(violations)
			print(f"ERC (kicad-cli {version}): {len(errors)} errors, "
			      f"{len(explained) + len(unexplained)} warnings/exclusions "
			      f"({len(explained)} explained)")
			for v in explained:
				print(f"explained: {describe(v)}: {EXPLAINED[v['type']]}")
			for v in errors:
				print(f"FAIL: ERC error {describe(v)}")
			for v in unexplained:
				print(f"FAIL: ERC warning not explained in tests/hw/check_erc.py: {describe(v)}")
			if errors or unexplained:
				failed += 1
			else:
				passed += 1
			# Negative control: drop the first no-connect flag.
			ctl = os.path.join(tmp, "control")
			sch = kt.copy_project(args.schematic, ctl)
			with open(sch, encoding="utf-8") as f:
				lines = f.read().split("\n")
			idx = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("(no_connect "))
			del lines[idx]
			with open(sch, "w", encoding="utf-8") as f:
				f.write("\n".join(lines))
			_v, cviol = run_erc(args.kicad_cli, sch, os.path.join(tmp, "control-run"))
			cerr = [v for v in cviol if v.get("severity") == "error"]
			if cerr:
				print(f"ok: negative control (one no-connect flag removed) gives {len(cerr)} error(s): {describe(cerr[0])}")
				passed += 1
			else:
				print("FAIL: negative control: removing a no-connect flag gave no ERC error (did the ERC run on our file?)")
				failed += 1
		except (kt.CheckError, ValueError, OSError, StopIteration) as e:
			print(f"FAIL: {e!r}")
			failed += 1
	print(f"erc: {passed} passed, {failed} failed")
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
