#!/bin/sh
# run_libfuzzer.sh - coverage-guided fuzzing with clang's libFuzzer, ASan and
# UBSan: builds the targets against the project's sources (each source
# compiled once into OUTDIR/obj, again only when a source or header changed)
# and runs each for SECONDS (default 20), two at a time (FUZZ_JOBS), from
# the committed corpus (tests/fuzz/corpus/TARGET, copied into OUTDIR, where
# the corpus grows from run to run).  Prints one line per target: runs,
# runs per second, coverage (edges and features) and corpus size.  Crashes
# are saved in OUTDIR as TARGET-crash-*; keep each one as a file in
# tests/fuzz/corpus/TARGET/ after fixing it (the mutation tests run them).
#   tests/fuzz/run_libfuzzer.sh [SECONDS] [OUTDIR] [TARGET...]
# TARGET: decoder csv analyze meta calib fwcmd summary replay settings (default all).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
out=${2:-$here/build/fuzz}
[ $# -gt 2 ] && shift 2 || set --
all="decoder csv analyze meta calib fwcmd summary replay settings"
targets=${*:-$all}
jobs=${FUZZ_JOBS:-2}
for t in $targets; do
	case " $all " in *" $t "*) ;; *) echo "run_libfuzzer.sh: no target '$t' (have: $all)" >&2; exit 2 ;; esac
done
mkdir -p "$out/obj"
out=$(cd "$out" && pwd)
cc=${CLANG:-clang}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -std=c11 -D_DEFAULT_SOURCE $san"
core=$here/host/core
inc="-I$here/firmware/protocol -I$here/firmware -I$core/chain -I$core/formats -I$core/sources
 -I$core/sim -I$core/monitor -I$here/tests/fuzz"
deps=$(pkg-config --cflags --libs kissfft-float json-c)
srcs="$here/firmware/protocol/bm_cobs.c $here/firmware/protocol/bm_crc16.c
 $here/firmware/protocol/bm_msg.c $here/firmware/fw_cmd.c
 $(ls "$core"/chain/*.c "$core"/formats/*.c "$core"/sources/*.c "$core"/sim/*.c \
      "$core"/monitor/*.c) $here/tests/fuzz/fuzz_files.c"

# The library: rebuilt whole when any source or header is newer than it
# (simple, and a rebuild is about 30 s on two cores).
lib=$out/obj/libbm_fuzz.a
if [ ! -f "$lib" ] || [ -n "$(find "$here/host/core" "$here/firmware" "$here/tests/fuzz" \
	-name '*.[ch]' -newer "$lib" | head -n 1)" ]; then
	echo "libfuzzer: compiling the core with $($cc --version | head -n 1)"
	rm -f "$out"/obj/*.o "$lib"
	# -fsanitize=fuzzer-no-link: coverage for libFuzzer in the library too.
	set -- $srcs
	while [ $# -gt 0 ]; do
		pids=
		i=0
		while [ $# -gt 0 ] && [ "$i" -lt "$jobs" ]; do
			# shellcheck disable=SC2086
			$cc $cflags -fsanitize=fuzzer-no-link $inc $(pkg-config --cflags kissfft-float json-c) \
				-c "$1" -o "$out/obj/$(basename "$1" .c).o" &
			pids="$pids $!"
			shift
			i=$((i + 1))
		done
		for p in $pids; do wait "$p"; done
	done
	ar rcs "$lib" "$out"/obj/*.o
fi
for t in $targets; do
	# The settings file's reader is in the records room, its defaults in the
	# rehab room (with the protocol code the defaults use): compiled with
	# the target.
	extra=
	[ "$t" = settings ] && extra="-I$here/host/records -I$here/host/rehab
 $here/host/records/bm_settings.c $here/host/rehab/bm_readiness.c
 $here/host/rehab/bm_rehab_protocol.c $here/host/rehab/bm_rehab.c"
	# shellcheck disable=SC2086
	$cc $cflags -fsanitize=fuzzer $inc "$here/tests/fuzz/fuzz_$t.c" $extra "$lib" $deps -lm \
		-lpthread -o "$out/fuzz_$t"
done

# One target: its corpus, its run, its log.
run() {
	t=$1
	mkdir -p "$out/corpus_$t"
	cp "$here/tests/fuzz/corpus/$t/"* "$out/corpus_$t/"
	# Tokens of the format (tests/fuzz/dict/); the recordings share csv's.
	case $t in analyze|replay) d=csv ;; *) d=$t ;; esac
	dict=
	[ -f "$here/tests/fuzz/dict/$d.dict" ] && dict=-dict=$here/tests/fuzz/dict/$d.dict
	# -timeout: an input that takes 10 s is a hang (the 1e308 rate was).
	(cd "$out" && exec "./fuzz_$t" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$out/$t-" $dict "corpus_$t") >"$out/fuzz_$t.log" 2>&1
}

# Runs, speed, coverage and corpus from libFuzzer's final lines.
report() {
	t=$1
	log=$out/fuzz_$t.log
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
	# Edges instrumented in what the target links (the core's objects it
	# pulls in; json-c, kissfft and libc are not instrumented).
	all=$(sed -n 's/^INFO: Loaded 1 modules *(\([0-9]*\) inline 8-bit counters.*/\1/p' "$log" | head -n 1)
	printf '%-14s %4s s %10s runs %7s/s  cov %5s of %5s edges  ft %6s  corpus %s\n' "fuzz_$t" \
		"$secs" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${all:-?}" "${ft:-?}" "${corp:-?}"
}

failed=
set -- $targets
while [ $# -gt 0 ]; do
	batch=
	i=0
	while [ $# -gt 0 ] && [ "$i" -lt "$jobs" ]; do
		run "$1" &
		batch="$batch $1:$!"
		shift
		i=$((i + 1))
	done
	for tp in $batch; do
		t=${tp%%:*}
		if wait "${tp#*:}"; then
			report "$t"
		else
			report "$t"
			tail -n 30 "$out/fuzz_$t.log" >&2
			echo "fuzz_$t FAILED: see $out/fuzz_$t.log and $out/$t-crash-*" >&2
			failed="$failed $t"
		fi
	done
done
[ -z "$failed" ] || { echo "libfuzzer: failed:$failed" >&2; exit 1; }
