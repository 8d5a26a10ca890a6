#!/bin/sh
# render.sh - draw the bridgemon schematic as SVG and PDF with kicad-cli, so
# people without KiCad can read it (README-hardware.md shows the SVG).
#
#   schematics/render.sh [OUT_DIR]
#
# OUT_DIR defaults to schematics/ itself: the committed bridgemon.svg,
# bridgemon.pdf and render-manifest.txt.  tests/hw/check_renders.py runs this
# script into a temporary folder and compares, so the committed renders
# cannot drift from the schematic.  Run it after every change to the
# schematic (after gen_schematic.py) and commit the three files.
#
# kicad-cli stamps each render with the time it was made; those stamps are
# replaced by the schematic's own date (same length, so the PDF's byte
# offsets stay valid), which makes a re-render of an unchanged schematic
# byte-identical and keeps git quiet.  render-manifest.txt records the
# kicad-cli version and the SHA-256 of the schematic and of both renders.
#
# Environment: KICAD_CLI (default: kicad-cli), PYTHON (default: python3).
# kicad-cli runs with HOME in a scratch folder: it writes its settings there
# on first use, and the user's own KiCad settings stay untouched.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
kicad=${KICAD_CLI:-kicad-cli}
python=${PYTHON:-python3}
name=bridgemon

if ! command -v "$kicad" >/dev/null 2>&1; then
	echo "render.sh: $kicad not found; install KiCad 9 (scripts/setup.sh does)" >&2
	exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/bm-render.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$scratch/home/.config" "$scratch/home/.cache" "$scratch/project" "$scratch/svg" "$out"
HOME=$scratch/home
XDG_CONFIG_HOME=$scratch/home/.config
XDG_CACHE_HOME=$scratch/home/.cache
export HOME XDG_CONFIG_HOME XDG_CACHE_HOME

# Work on a copy: kicad-cli may touch files next to the schematic.
for f in "$name.kicad_sch" "$name.kicad_pro" "$name.kicad_sym" sym-lib-table; do
	cp "$here/$f" "$scratch/project/"
done
sch=$scratch/project/$name.kicad_sch

version=$("$kicad" version | tail -n 1 | tr -d '[:space:]')
"$kicad" sch export svg -o "$scratch/svg" "$sch" >"$scratch/log" 2>&1 ||
	{ cat "$scratch/log" >&2; exit 1; }
"$kicad" sch export pdf -o "$scratch/$name.pdf" "$sch" >>"$scratch/log" 2>&1 ||
	{ cat "$scratch/log" >&2; exit 1; }

"$python" - "$here/$name.kicad_sch" "$scratch/svg/$name.svg" "$scratch/$name.pdf" "$out" "$version" <<'EOF'
import hashlib, os, re, sys
sch, svg, pdf, out, version = sys.argv[1:6]
with open(sch, "rb") as f:
	sch_bytes = f.read()
sch_text = sch_bytes.decode("utf-8")
m = re.search(r'\(date "(\d{4})-(\d{2})-(\d{2})"\)', sch_text)
y, mo, d = m.groups() if m else ("2000", "01", "01")
with open(svg, encoding="utf-8") as f:
	svg_text = f.read()
svg_text, n = re.subn(r"(<title>SVG Image created as [^<]*?) date [0-9/]+ [0-9:]+ *(</title>)",
		      rf"\1 date {y}/{mo}/{d} 00:00:00 \2", svg_text, count=1)
if n != 1:
	sys.exit("render.sh: no date in the SVG <title> (kicad-cli output changed?)")
with open(pdf, "rb") as f:
	pdf_bytes = f.read()
stamp = f"(D:{y}{mo}{d}000000)".encode()
new_pdf, n = re.subn(rb"\(D:\d{14}\)", lambda _m: stamp, pdf_bytes)
if n < 1 or len(new_pdf) != len(pdf_bytes):
	sys.exit("render.sh: no CreationDate in the PDF (kicad-cli output changed?)")
files = {"bridgemon.svg": svg_text.encode("utf-8"), "bridgemon.pdf": new_pdf}
for fname, data in files.items():
	with open(os.path.join(out, fname), "wb") as f:
		f.write(data)
lines = ["# render-manifest.txt - written by schematics/render.sh, checked by tests/hw/check_renders.py",
	 f"# kicad-cli {version}",
	 f"{hashlib.sha256(sch_bytes).hexdigest()}  bridgemon.kicad_sch"]
for fname, data in files.items():
	lines.append(f"{hashlib.sha256(data).hexdigest()}  {fname}")
with open(os.path.join(out, "render-manifest.txt"), "w", encoding="utf-8") as f:
	f.write("\n".join(lines) + "\n")
EOF
echo "render.sh: kicad-cli $version wrote $out/$name.svg, $out/$name.pdf, $out/render-manifest.txt"
