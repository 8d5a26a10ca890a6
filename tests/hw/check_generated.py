#!/usr/bin/python3
"""check_generated.py - the committed KiCad project and parts list are what
schematics/gen_schematic.py writes.

The schematic, its symbol library, the library table, the project file and
bom.csv are all generated from the tables in gen_schematic.py.  Running the
generator into a temporary folder and comparing byte for byte catches a
hand edit of the generated files (which the next regeneration would lose)
and a generator change that was not followed by a regeneration.  It also
guarantees that bridgemon.kicad_sym holds exactly the symbols embedded in
the schematic (KiCad's ERC compares only some of their properties).

Last, bom.csv is checked against the schematic's own parts: every part on
the drawing (not power symbols) appears in bom.csv once, with the value the
drawing gives it, and each row's quantity is its number of references.

  check_generated.py --generator schematics/gen_schematic.py [--python PATH]
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

GENERATED = ("bridgemon.kicad_sch", "bridgemon.kicad_pro", "bridgemon.kicad_sym",
	     "sym-lib-table", "bom.csv")


def schematic_parts(sch_text):
	"""{reference: value} of the placed symbols that are in the BOM."""
	parts = {}
	for m in re.finditer(r'\(symbol\s*\n\s*\(lib_id "[^"]+"\).*?\n\t\)', sch_text, re.S):
		block = m.group(0)
		if "(in_bom yes)" not in block:
			continue
		ref = re.search(r'\(property "Reference" "([^"]+)"', block).group(1)
		val = re.search(r'\(property "Value" "([^"]+)"', block).group(1)
		parts[ref] = val
	return parts


def check_bom(bom_path, sch_text):
	problems = []
	with open(bom_path, newline="", encoding="utf-8") as f:
		rows = list(csv.DictReader(f))
	need = ["Reference", "Part", "Value", "Quantity"]
	if not rows or any(k not in rows[0] for k in need):
		return [f"bom.csv: needs columns {need}"]
	seen = {}
	for r in rows:
		refs = r["Reference"].split()
		try:
			qty = int(r["Quantity"])
		except ValueError:
			problems.append(f"bom.csv: quantity {r['Quantity']!r} of {r['Reference']} is not a number")
			continue
		if qty != len(refs):
			problems.append(f"bom.csv: {r['Reference']} has quantity {qty}, expected {len(refs)}")
		for ref in refs:
			if ref in seen:
				problems.append(f"bom.csv: {ref} appears twice")
			seen[ref] = r["Value"]
	for ref, val in sorted(schematic_parts(sch_text).items()):
		if ref not in seen:
			problems.append(f"bom.csv: {ref} ({val}) is on the schematic but not in the parts list")
		elif seen[ref] != val:
			problems.append(f"bom.csv: {ref} has value {seen[ref]!r}, the schematic says {val!r}")
	return problems


def main(argv):
	ap = argparse.ArgumentParser(description="generated KiCad files are up to date")
	ap.add_argument("--generator", required=True)
	ap.add_argument("--python", default=sys.executable)
	args = ap.parse_args(argv)
	sdir = os.path.dirname(os.path.abspath(args.generator))
	passed = failed = 0
	with tempfile.TemporaryDirectory(prefix="bm-hw-gen-") as tmp:
		proc = subprocess.run([args.python, args.generator, "--out", tmp], stdout=subprocess.PIPE,
				      stderr=subprocess.STDOUT, universal_newlines=True)
		if proc.returncode != 0:
			print(proc.stdout)
			print(f"FAIL: {args.generator} exited {proc.returncode}")
			print("generated: 0 passed, 1 failed")
			return 1
		for name in GENERATED:
			committed = os.path.join(sdir, name)
			fresh = os.path.join(tmp, name)
			if not os.path.exists(committed):
				print(f"FAIL: {name} is missing in {sdir}: run schematics/gen_schematic.py")
				failed += 1
				continue
			with open(committed, "rb") as f:
				a = f.read()
			with open(fresh, "rb") as f:
				b = f.read()
			if a == b:
				print(f"ok: {name} is what gen_schematic.py writes")
				passed += 1
			else:
				la, lb = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
				i = next((k for k, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
				print(f"FAIL: {name} differs from gen_schematic.py's output at line {i + 1}:\n"
				      f"  committed: {la[i] if i < len(la) else '<end>'}\n"
				      f"  generated: {lb[i] if i < len(lb) else '<end>'}\n"
				      f"  edit gen_schematic.py (not the generated file), run it, then schematics/render.sh")
				failed += 1
		with open(os.path.join(sdir, "bridgemon.kicad_sch"), encoding="utf-8") as f:
			sch_text = f.read()
		problems = check_bom(os.path.join(sdir, "bom.csv"), sch_text)
		n_parts = len(schematic_parts(sch_text))
		for p in problems:
			print(f"FAIL: {p}")
		if problems or n_parts == 0:
			failed += 1
			if n_parts == 0:
				print("FAIL: found no parts in the schematic (parser out of date?)")
		else:
			print(f"ok: bom.csv lists all {n_parts} parts of the schematic with their values")
			passed += 1
	print(f"generated: {passed} passed, {failed} failed")
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
