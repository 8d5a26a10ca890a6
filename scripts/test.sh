#!/bin/sh
# test.sh - install what is needed, build, and run the whole test suite;
# then build the host code again with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/) and run the suites there, where
# any sanitizer report fails its test.  This is the README's test command
# and what .ci/run calls.
#   scripts/test.sh [--no-kicad] [--no-sanitize] [extra meson test arguments...]
# --no-sanitize   skip the sanitizer stage (on a clean clone on two cores,
#                 2026-12-02: 586 s with its build, after 530 s for the
#                 first stage; RELIABILITY.md has figures)
# Extra arguments go to both `meson test` runs (e.g. --suite unit).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
setup_args=
sanitize=yes
while [ $# -gt 0 ]; do
	case "$1" in
	--no-kicad) setup_args=--no-kicad ;;
	--no-sanitize) sanitize=no ;;
	*) break ;;
	esac
	shift
done
t0=$(date +%s)
BRIDGEMON_WERROR=1 "$here/scripts/setup.sh" $setup_args "$here/build"
meson compile -C "$here/build"
# A failure here does not stop the sanitizer stage: one run shows both.
rc=0
meson test -C "$here/build" --print-errorlogs "$@" || rc=$?
t1=$(date +%s)
echo "test.sh: build and suite took $((t1 - t0)) s$([ "$rc" = 0 ] || echo ', FAILED')"
[ "$sanitize" = yes ] || exit "$rc"

# ---- The sanitizer stage (RELIABILITY.md) ----------------------------------
# gcc's -fsanitize=undefined leaves out float-cast-overflow (a double too
# large for an int is undefined behaviour, and a file can carry one): added.
# The KiCad checks are Python on the schematic: nothing to sanitize.
asan=$here/build-asan
echo "test.sh: sanitizer stage in $asan (ASan + UBSan)"
if [ ! -f "$asan/build.ninja" ]; then
	meson setup "$asan" -Dwerror=true -Db_sanitize=address,undefined -Dhardware_checks=disabled \
		"-Dc_args=-fno-omit-frame-pointer -fsanitize=float-cast-overflow" \
		-Dc_link_args=-fsanitize=float-cast-overflow
fi
meson compile -C "$asan"
supp=$here/tests/sanitizer
# halt_on_error: the first report ends the process with an error, so the
# test fails; LeakSanitizer runs at every exit (detect_leaks), with the
# suppressions for third-party libraries only.
ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1:halt_on_error=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
LSAN_OPTIONS=suppressions=$supp/lsan.supp:print_suppressions=0
# SDL without Mesa: Mesa's software GL driver leaks two blocks and is
# unloaded before the leak check, so no suppression can name it (the normal
# tree tests the OpenGL path).  The window is still a real X11 window.
SDL_RENDER_DRIVER=software
SDL_FRAMEBUFFER_ACCELERATION=0
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS SDL_RENDER_DRIVER SDL_FRAMEBUFFER_ACCELERATION
# Every test but the libFuzzer runs (they build their own sanitized
# binaries with clang, and ran in the first stage), unless told which.
if [ $# -eq 0 ]; then
	tests=$(meson test -C "$asan" --list 2>/dev/null | sed -n 's|^[^ ]* / ||p' | grep -v '^libfuzzer')
	# shellcheck disable=SC2086
	set -- $tests
fi
rs=0
meson test -C "$asan" --print-errorlogs --timeout-multiplier 4 "$@" || rs=$?
echo "test.sh: sanitizer stage took $(($(date +%s) - t1)) s$([ "$rs" = 0 ] || echo ', FAILED')"
[ "$rc" = 0 ] && [ "$rs" = 0 ]
