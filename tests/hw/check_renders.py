#!/usr/bin/python3
"""check_renders.py - the committed SVG and PDF show the current schematic.

schematics/render.sh draws bridgemon.svg and bridgemon.pdf with kicad-cli
and writes render-manifest.txt: the kicad-cli version and the SHA-256 of the
schematic it drew and of both drawings.  This test checks, in order:

 1. the manifest's schematic hash is the committed schematic's: someone who
    changed the schematic without re-rendering is told to run render.sh;
 2. the manifest's SVG/PDF hashes are the committed files' (no hand edits,
    no half-finished render);
 3. render.sh, run now into a temporary folder, draws the same thing:
    - with the same kicad-cli version as the manifest: the SVG text and the
      PDF bytes must be equal after masking what legitimately differs between
      runs (the render time in the SVG <title> and the PDF CreationDate/
      ModDate; render.sh already pins both, the mask keeps this test
      independent of that);
    - with another kicad-cli version (Debian's backports move on), geometry
      may shift in the last digit and the title block shows the new version,
      so only the SVG's text layer (every text item KiCad draws, with its
      position rounded to 0.1 mm, minus the "KiCad E.D.A. x.y.z" line) is
      compared, and the test says so.  Steps 1 and 2 still tie the renders
      to the schematic, so this is no silent pass.

  check_renders.py --render-sh schematics/render.sh --kicad-cli PATH
                   [--python PATH]
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kicad_tools as kt  # noqa: E402

RENDERS = ("bridgemon.svg", "bridgemon.pdf")
SCHEMATIC = "bridgemon.kicad_sch"
MANIFEST = "render-manifest.txt"


def sha256_file(path):
	with open(path, "rb") as f:
		return hashlib.sha256(f.read()).hexdigest()


def read_manifest(path):
	"""(kicad version, {file name: sha256})"""
	version = None
	hashes = {}
	with open(path, encoding="utf-8") as f:
		for line in f:
			line = line.strip()
			m = re.match(r"#\s*kicad-cli\s+(\S+)", line)
			if m:
				version = m.group(1)
				continue
			if not line or line.startswith("#"):
				continue
			digest, name = line.split(None, 1)
			hashes[name.strip()] = digest
	return version, hashes


def normalise_svg(text):
	"""The SVG without the lines that change from run to run or with the
	KiCad version: the <title> (render time) and the title block's
	"KiCad E.D.A. x.y.z" text with its stroked glyphs."""
	text = re.sub(r"<title>.*?</title>", "<title/>", text, count=1, flags=re.S)
	text = re.sub(r'<text[^>]*>KiCad E\.D\.A\.[^<]*</text>', "", text)
	text = re.sub(r'<g class="stroked-text"><desc>KiCad E\.D\.A\.[^<]*</desc>.*?</g>', "", text, flags=re.S)
	return text


def svg_text_layer(text):
	"""Sorted (content, x, y) of every <text> KiCad draws (it writes each
	text twice: as invisible searchable <text> and as stroked glyphs)."""
	items = []
	for m in re.finditer(r"<text\b([^>]*)>([^<]*)</text>", text):
		attrs, content = m.group(1), m.group(2).strip()
		if content.startswith("KiCad E.D.A."):
			continue
		x = re.search(r'\bx="([-\d.]+)"', attrs)
		y = re.search(r'\by="([-\d.]+)"', attrs)
		pos = (round(float(x.group(1)), 1) if x else None, round(float(y.group(1)), 1) if y else None)
		items.append((content, pos))
	return sorted(items, key=repr)


def normalise_pdf(data):
	return re.sub(rb"/(CreationDate|ModDate)\s*\(D:[^)]*\)", rb"/\1 (D:masked)", data)


def main(argv):
	ap = argparse.ArgumentParser(description="committed renders match the schematic")
	ap.add_argument("--render-sh", required=True)
	ap.add_argument("--kicad-cli", required=True)
	ap.add_argument("--python", default=sys.executable)
	args = ap.parse_args(argv)
	sdir = os.path.dirname(os.path.abspath(args.render_sh))
	passed = failed = 0

	def fail(msg):
		nonlocal failed
		print(f"FAIL: {msg}")
		failed += 1

	def ok(msg):
		nonlocal passed
		print(f"ok: {msg}")
		passed += 1

	rerender = "run schematics/render.sh and commit bridgemon.svg, bridgemon.pdf and render-manifest.txt"
	manifest = os.path.join(sdir, MANIFEST)
	if not os.path.exists(manifest):
		fail(f"{manifest} missing: {rerender}")
		print(f"renders: {passed} passed, {failed} failed")
		return 1
	m_version, m_hashes = read_manifest(manifest)
	# 1 and 2: the committed files are the ones the manifest describes.
	for name in (SCHEMATIC,) + RENDERS:
		path = os.path.join(sdir, name)
		if not os.path.exists(path):
			fail(f"{name} missing in {sdir}: {rerender}")
		elif m_hashes.get(name) != sha256_file(path):
			what = ("the schematic changed since the renders were made" if name == SCHEMATIC
				else f"{name} is not the file render.sh wrote")
			fail(f"{name}: SHA-256 {sha256_file(path)[:16]}... differs from the manifest's "
			     f"{(m_hashes.get(name) or 'none')[:16]}...: {what}; {rerender}")
		else:
			ok(f"{name} is the one in {MANIFEST}")
	# 3: render again and compare.
	with tempfile.TemporaryDirectory(prefix="bm-hw-render-") as tmp:
		try:
			version = kt.kicad_version(args.kicad_cli, tmp)
			env = kt.scratch_env(tmp)
			env["KICAD_CLI"] = args.kicad_cli
			env["PYTHON"] = args.python
			out = os.path.join(tmp, "out")
			proc = subprocess.run(["sh", args.render_sh, out], env=env, stdout=subprocess.PIPE,
					      stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
			print(proc.stdout.strip())
			if proc.returncode != 0:
				raise kt.CheckError(f"render.sh exited {proc.returncode}")
			with open(os.path.join(sdir, "bridgemon.svg"), encoding="utf-8") as f:
				svg_committed = f.read()
			with open(os.path.join(out, "bridgemon.svg"), encoding="utf-8") as f:
				svg_now = f.read()
			with open(os.path.join(sdir, "bridgemon.pdf"), "rb") as f:
				pdf_committed = f.read()
			with open(os.path.join(out, "bridgemon.pdf"), "rb") as f:
				pdf_now = f.read()
			if version == m_version:
				if normalise_svg(svg_now) == normalise_svg(svg_committed):
					ok(f"SVG re-rendered with kicad-cli {version} is identical (render time masked)")
				else:
					a = normalise_svg(svg_committed).splitlines()
					b = normalise_svg(svg_now).splitlines()
					first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
					fail(f"SVG differs from a fresh render from line {first + 1} "
					     f"(committed {len(a)} lines, now {len(b)}): {rerender}")
				if normalise_pdf(pdf_now) == normalise_pdf(pdf_committed):
					ok(f"PDF re-rendered with kicad-cli {version} is identical (creation date masked)")
				else:
					fail(f"PDF differs from a fresh render ({len(pdf_committed)} vs {len(pdf_now)} bytes): {rerender}")
			else:
				print(f"note: renders were made with kicad-cli {m_version}, this is {version}: "
				      f"comparing the drawing's text layer only (run render.sh to refresh them)")
				t_old, t_new = svg_text_layer(svg_committed), svg_text_layer(svg_now)
				if t_old == t_new and t_old:
					ok(f"SVG text layer ({len(t_old)} items) matches a fresh render")
				else:
					only_old = sorted(set(t_old) - set(t_new), key=repr)[:5]
					only_new = sorted(set(t_new) - set(t_old), key=repr)[:5]
					fail(f"SVG text differs from a fresh render: committed only {only_old}, "
					     f"new only {only_new}: {rerender}")
				if pdf_now.startswith(b"%PDF") and pdf_committed.startswith(b"%PDF"):
					ok("both PDFs are PDF files (byte comparison needs the same kicad-cli version)")
				else:
					fail("committed or fresh PDF does not start with %PDF")
		except (kt.CheckError, OSError, subprocess.SubprocessError, UnicodeDecodeError) as e:
			fail(str(e))
	print(f"renders: {passed} passed, {failed} failed")
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
