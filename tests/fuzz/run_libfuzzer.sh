#!/bin/sh
# run_libfuzzer.sh - coverage-guided fuzzing with clang's libFuzzer, ASan and
# UBSan: builds each target against the project's sources and runs it for
# SECONDS (default 20) from the committed corpus.  Crashes are saved in the
# build folder as crash-* files.
#   tests/fuzz/run_libfuzzer.sh [SECONDS] [OUTDIR]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
out=${2:-$here/build/fuzz}
mkdir -p "$out"
cc=${CLANG:-clang}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_DEFAULT_SOURCE"
inc="-I$here/firmware/protocol -I$here/host/core/chain -I$here/host/core/formats -I$here/host/core/sources -I$here/build"
proto="$here/firmware/protocol/bm_cobs.c $here/firmware/protocol/bm_crc16.c $here/firmware/protocol/bm_msg.c"
core="$here/host/core/sources/bm_decoder.c $here/host/core/formats/bm_csv.c $(ls "$here"/host/core/chain/*.c)"
kiss=$(pkg-config --cflags --libs kissfft-float)
for t in decoder csv; do
	$cc $flags $inc "$here/tests/fuzz/fuzz_$t.c" $proto $core $kiss -lm -o "$out/fuzz_$t"
	mkdir -p "$out/corpus_$t"
	cp "$here"/tests/fuzz/corpus/$t/* "$out/corpus_$t/"
	echo "fuzz_$t: $secs s"
	rc=0
	(cd "$out" && ./fuzz_$t -max_total_time="$secs" -print_final_stats=1 "corpus_$t" \
		>"fuzz_$t.log" 2>&1) || rc=$?
	tail -n 12 "$out/fuzz_$t.log"
	if [ "$rc" -ne 0 ]; then
		echo "fuzz_$t FAILED (exit $rc): see $out/fuzz_$t.log and the crash-* file there" >&2
		exit 1
	fi
done
