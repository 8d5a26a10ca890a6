#!/bin/sh
# report_png.sh [BUILD_DIR] [OUT.png] - the README's picture of a report
# (docs/report.png): six weekly sessions of a simulated athlete, recorded
# as the monitor would leave them, with pain scores typed in; the report of
# the latest session, its first page scaled to 900 px wide.  The sessions
# are the demo athlete's, so the page says "demo"; everything else is what
# a real athlete's report shows.  Needs a build (meson compile -C build).
#
#   scripts/report_png.sh build docs/report.png
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/docs/report.png}
bm=$build/host/app/bridgemon
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" TZ=UTC
mkdir "$tmp/rec"

athlete="Sam Example"
"$bm" athlete "$athlete" --injured right --mass 74 >/dev/null
t0=1793610000 # 2026-11-02 09:00 UTC
for i in 0 1 2 3 4 5; do
	t=$((t0 + i * 7 * 86400))
	name=$(date -u -d "@$t" +%Y-%m-%dT%H-%M-%S)
	csv="$tmp/rec/$name.csv"
	"$bm" simulate --seconds 900 --seed $((70 + i)) --asym $((24 - 3 * i)) --weaker right \
		--out "$csv"
	# What the monitor's context form would have written in the sidecar.
	/usr/bin/python3 - "$tmp/rec/$name.meta.json" "$t" "$athlete" "$i" <<'PY'
import json, sys, time
path, t, who, i = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
with open(path) as f:
    m = json.load(f)
m["start_epoch_s"] = t
m["start_time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
m["context"].update(athlete=who, injured_side="right", body_mass_kg=74.0,
                    exercise="single_leg_right" if i % 2 else "double_leg",
                    knee_angle_deg=90, hip_angle_deg=0, protocol="isometric holds 5 x 30 s",
                    notes="", pain_before=2, pain_after=[4, 4, 3, 3, 2, 2][i])
with open(path, "w") as f:
    json.dump(m, f)
PY
	"$bm" analyze "$csv" --json >"$tmp/rec/$name.summary.json"
	"$bm" pain --athlete "$athlete" $((3 - i / 2)) --when next_morning \
		--date "$(date -u -d "@$((t + 86400))" +%Y-%m-%d)" >/dev/null
done
"$bm" report "$tmp/rec" --athlete "$athlete" --include-demo --session "$csv" \
	--out "$tmp/report.png"
"$build/tests/records/report_page" "$tmp/report.png" 1 900 "$out"
echo "$out: page 1 of the report of $csv"
