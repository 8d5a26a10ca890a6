#!/bin/sh
# run_libfuzzer_protocol.sh - coverage-guided fuzzing of the protocol parser
# (and, for inputs that parse, the writer and the runner) with clang's
# libFuzzer, ASan and UBSan, for SECONDS (default 20) from the committed
# corpus.  Crashes are saved in OUTDIR as crash-* files.
#   tests/rehab/run_libfuzzer_protocol.sh [SECONDS] [OUTDIR]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
out=${2:-${TMPDIR:-/tmp}/bm_fuzz_protocol}
mkdir -p "$out"
cc=${CLANG:-clang}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_DEFAULT_SOURCE"
$cc $flags -I"$here/host/rehab" "$here/tests/rehab/fuzz_protocol.c" "$here"/host/rehab/*.c -lm \
	-o "$out/fuzz_protocol"
mkdir -p "$out/corpus"
cp "$here"/tests/rehab/corpus/* "$out/corpus/"
echo "fuzz_protocol: $secs s"
rc=0
(cd "$out" && ./fuzz_protocol -max_total_time="$secs" -max_len=4096 -print_final_stats=1 corpus \
	>fuzz_protocol.log 2>&1) || rc=$?
tail -n 12 "$out/fuzz_protocol.log"
if [ "$rc" -ne 0 ]; then
	echo "fuzz_protocol FAILED (exit $rc): see $out/fuzz_protocol.log and the crash-* file there" >&2
	exit 1
fi
