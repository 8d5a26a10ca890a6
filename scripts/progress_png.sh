#!/bin/sh
# progress_png.sh [BUILD_DIR] [OUT.png] - the README's picture of the
# progress view (docs/progress.png): the screenshot the window test takes
# (tests/live/test_window_progress.c).  Five weekly single-leg bridge
# sessions of a made-up athlete with chosen forces (left 200-240 N, right
# 140-222 N above rest), pain after each and next-morning pain after the
# last two (2, then 5), one demo session that is left out; the window runs
# under Xvfb with --athlete, p is pressed on it, and the frame is saved.
# Needs a build (meson compile -C build) and xvfb-run.
#
#   scripts/progress_png.sh build docs/progress.png
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/docs/progress.png}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/tests/live/test_window_progress" "$build/host/app/bridgemon" "$(command -v xvfb-run)" \
	"$tmp" >/dev/null
cp "$tmp/progress.png" "$out"
echo "$out: the progress view of the window test's made-up athlete"
