#!/bin/sh
# setup.sh - install what bridgemon needs on Debian 12 and configure the build.
#
# Idempotent: packages already present are left alone (apt-get says so), an
# existing build folder is reconfigured rather than wiped.  Needs root, or
# sudo for the apt step only.
#
#   scripts/setup.sh [--no-kicad] [BUILD_DIR]
#
# --no-kicad   skip KiCad 9 (from bookworm-backports: about 100 MB download,
#              450 MB on disk, measured 2026-11; needed only for the schematic
#              checks); the hardware tests are then not built, and meson says
#              so in its summary.
# BUILD_DIR    defaults to ./build
#
# BRIDGEMON_WERROR=1 configures with warnings as errors (the CI does).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
kicad=yes
builddir=
for arg in "$@"; do
	case "$arg" in
	--no-kicad) kicad=no ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 1 ;;
	*) builddir=$arg ;;
	esac
done
[ -n "$builddir" ] || builddir="$here/build"
[ "${BRIDGEMON_NO_KICAD:-0}" = 1 ] && kicad=no

# What each package is for (README.md, "Dependencies", says the same).
# time: GNU time (/usr/bin/time -v), peak memory in the benchmark (bench/).
# libcairo2-dev: the report on paper (PDF, PNG, SVG); libfontconfig-dev:
# its font cache freed at exit (it comes with cairo; named for what uses
# it); poppler-utils: its tests read the PDF back.  libsqlite3-dev: the embedded store; libpq-dev and
# postgresql: a clinic's shared store, and the server its tests start.
# libjson-c-dev: reading summaries and sidecar files back.  libx11-dev:
# the progress view's window test presses keys through the X server (it
# comes with libsdl2-dev too; named for what uses it).
packages="
meson ninja-build pkg-config gcc libc6-dev
libserialport-dev
libsdl2-dev libsdl2-ttf-dev fonts-dejavu-core
libkissfft-dev
check
gcc-avr avr-libc binutils-avr avrdude
simavr libsimavr-dev libelf-dev
xvfb xauth libx11-dev
python3 python3-numpy python3-scipy python3-pandas
clang libclang-rt-14-dev
libpng-dev
time
libcairo2-dev libfontconfig-dev poppler-utils
libsqlite3-dev libpq-dev postgresql
libjson-c-dev
"

if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "setup.sh: installing packages needs root; run as root or install sudo" >&2
	exit 1
fi

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup.sh: installing Debian packages:$missing"
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
else
	echo "setup.sh: all Debian packages present"
fi

# kicad-cli 9 or newer, or nothing: KiCad 6-8 (plain bookworm has 6) cannot
# check the schematic.
kicad9() {
	v=$(kicad-cli version 2>/dev/null | sed -n 's/^\([0-9][0-9]*\)\..*/\1/p' | head -n 1)
	[ -n "$v" ] && [ "$v" -ge 9 ]
}

if [ "$kicad" = yes ]; then
	if ! kicad9; then
		echo "setup.sh: installing KiCad 9 (kicad-cli) from bookworm-backports for the schematic checks"
		echo "          (skip with --no-kicad; adds /etc/apt/sources.list.d/bridgemon-backports.sources)"
		# Only active lines of active files count (not comments, not
		# *.disabled files).
		if ! cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
			/etc/apt/sources.list.d/*.sources 2>/dev/null |
			grep -v '^[[:space:]]*#' | grep -qs 'bookworm-backports'; then
			printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
				$sudo tee /etc/apt/sources.list.d/bridgemon-backports.sources >/dev/null
		fi
		$sudo apt-get update -q
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends -t bookworm-backports kicad
	fi
fi
# The hardware checks run wherever a KiCad 9 is present (meson's summary
# says when they are not built).
if kicad9; then hw=enabled; else hw=disabled; fi

werror=false
[ "${BRIDGEMON_WERROR:-0}" = 1 ] && werror=true

cd "$here"
if [ -f "$builddir/build.ninja" ]; then
	meson configure "$builddir" -Dwerror=$werror -Dhardware_checks=$hw >/dev/null
	echo "setup.sh: reconfigured $builddir"
else
	meson setup "$builddir" -Dwerror=$werror -Dhardware_checks=$hw
fi
