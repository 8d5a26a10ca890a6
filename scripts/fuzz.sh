#!/bin/sh
# fuzz.sh - long coverage-guided fuzzing runs (clang's libFuzzer with ASan
# and UBSan), beyond the 20 s per target the test suite gives each.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS  per target (default 600); targets run two at a time (FUZZ_JOBS).
# TARGET   decoder csv analyze meta calib fwcmd summary replay settings (the readers
#          in tests/fuzz/) and protocol (the rehab protocol files,
#          tests/rehab); default: all of them.
#
# The corpus grows in build-fuzz/corpus_TARGET from run to run (FUZZ_OUT
# chooses another folder); a crash is saved there as TARGET-crash-*, and
# the line per target gives runs, runs per second and coverage.  After a
# fix, copy the crash into tests/fuzz/corpus/TARGET/ (tests/rehab/corpus/
# for protocol) so every build runs it again.  RELIABILITY.md records what
# the runs measured.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
secs=600
if [ $# -gt 0 ]; then
	case "$1" in
	*[!0-9]*) ;;
	*) secs=$1; shift ;;
	esac
fi
out=${FUZZ_OUT:-$here/build-fuzz}
protocol=no
targets=
for t in "${@:-all}"; do
	case "$t" in
	all) targets="decoder csv analyze meta calib fwcmd summary replay settings"; protocol=yes ;;
	protocol) protocol=yes ;;
	*) targets="$targets $t" ;;
	esac
done
command -v "${CLANG:-clang}" >/dev/null 2>&1 ||
	{ echo "fuzz.sh: needs clang and libclang-rt-14-dev (scripts/setup.sh installs them)" >&2; exit 1; }
rc=0
if [ -n "$targets" ]; then
	# shellcheck disable=SC2086
	"$here/tests/fuzz/run_libfuzzer.sh" "$secs" "$out" $targets || rc=$?
fi
if [ "$protocol" = yes ]; then
	"$here/tests/rehab/run_libfuzzer_protocol.sh" "$secs" "$out/protocol" || rc=$?
fi
exit $rc
