#!/bin/sh
# mutate.sh - mutation testing: deliberate one-line bugs in product code,
# one at a time, each against the tests that should catch it (the list and
# the details are in scripts/mutate.py; --help).  Not part of CI: the whole
# list takes minutes (BENCHMARKS.md, "Mutation testing").
#
#   scripts/mutate.sh [--list] [--only NAME[,NAME...]] [--scratch DIR] [--timeout S]
set -eu
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" "$(dirname "$0")/mutate.py" "$@"
