#!/bin/sh
# demo.sh - install what is needed, build, and start the live monitor on the
# demo source (a simulated athlete).  Without a display, bridgemon says so
# and shows a status line in the terminal.  Extra arguments go to `bridgemon demo`.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" --no-kicad "$here/build"
meson compile -C "$here/build"
exec "$here/build/host/app/bridgemon" demo "$@"
