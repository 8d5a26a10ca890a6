#!/bin/sh
# test.sh - install what is needed, build, and run the whole test suite.
# This is the README's test command and what .ci/run calls.
#   scripts/test.sh [--no-kicad] [extra meson test arguments...]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
setup_args=
if [ "${1:-}" = --no-kicad ]; then setup_args=--no-kicad; shift; fi
BRIDGEMON_WERROR=1 "$here/scripts/setup.sh" $setup_args "$here/build"
meson compile -C "$here/build"
meson test -C "$here/build" --print-errorlogs "$@"
