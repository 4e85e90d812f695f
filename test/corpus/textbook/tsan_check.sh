#!/bin/sh
# Proves the textbook corpus under ThreadSanitizer: every *_bad program must
# report a data race on every run, every *_ok program must never report
# anything and must exit 0.
#
#   test/corpus/textbook/tsan_check.sh [FILE...]      (default: every *_bad.* and *_ok.* here)
#
# Environment: CC (default gcc), CXX (default g++), RUNS (runs per program,
# default 3), TIMEOUT (seconds per run, default 120). Builds one file at a
# time under `nice -n 19`. Prints a table; exits 1 if any program fails.
set -u

CC=${CC:-gcc}
CXX=${CXX:-g++}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-120}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

if [ $# -eq 0 ]; then
    set -- "$HERE"/*_bad.c "$HERE"/*_bad.cpp "$HERE"/*_ok.c "$HERE"/*_ok.cpp
fi

echo "# tsan_check.sh: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "# CC=$CC: $($CC --version | head -n 1)"
echo "# CXX=$CXX: $($CXX --version | head -n 1)"
echo "# C:   $CC -std=gnu11 -fsanitize=thread -g -O0 -pthread"
echo "# C++: $CXX -std=c++20 -fsanitize=thread -g -O0 -pthread"
echo "# TSAN_OPTIONS=\"halt_on_error=1 exitcode=66\", $RUNS runs each"
echo "#"
printf '%-36s %-6s %-8s %-7s %-28s %s\n' file want raced result first-report "lines-of-the-two-accesses"

pass=0
fail=0
for src in $(printf '%s\n' "$@" | sort); do
    [ -f "$src" ] || continue
    name=$(basename "$src")
    case "$name" in
        *_bad.*) want=race ;;
        *_ok.*) want=none ;;
        *) continue ;;
    esac
    exe="$TMP/$name.exe"
    case "$name" in
        *.c) build="$CC -std=gnu11" ;;
        *) build="$CXX -std=c++20" ;;
    esac
    if ! nice -n 19 $build -fsanitize=thread -g -O0 -pthread "$src" -o "$exe" 2>"$TMP/build.log"; then
        printf '%-36s %-6s %-8s %-7s %s\n' "$name" "$want" - FAIL "does not compile"
        sed 's/^/    /' "$TMP/build.log" | head -n 20
        fail=$((fail + 1))
        continue
    fi
    raced=0
    other=0
    first=-
    where=
    run=1
    while [ $run -le "$RUNS" ]; do
        TSAN_OPTIONS="halt_on_error=1 exitcode=66" timeout -k 5 "$TIMEOUT" "$exe" \
            >/dev/null 2>"$TMP/run.log" </dev/null
        rc=$?
        if grep -q 'WARNING: ThreadSanitizer: data race' "$TMP/run.log" && [ $rc -eq 66 ]; then
            raced=$((raced + 1))
        elif [ $rc -ne 0 ] || grep -q 'WARNING: ThreadSanitizer' "$TMP/run.log"; then
            other=$((other + 1))
        fi
        if [ "$first" = - ] && grep -q 'WARNING: ThreadSanitizer' "$TMP/run.log"; then
            first=$(sed -n 's/.*WARNING: ThreadSanitizer: \([^(]*\).*/\1/p' "$TMP/run.log" | head -n 1 | sed 's/ *$//; s/ /-/g')
            # the innermost frame in the program's own file, for each of the
            # report's two accesses (the current one first)
            where=$(awk -v f="$name:" '
                /^  (Read|Write|Atomic|Previous)/ { want = 1; next }
                want && index($0, f) { s = substr($0, index($0, f) + length(f)); sub(/[^0-9].*/, "", s); out = out (out ? "," : "") s; want = 0 }
                /^$/ { want = 0 }
                END { print out }' "$TMP/run.log")
            [ -n "$where" ] && where="line $where"
        fi
        if [ $rc -ne 0 ] && [ $rc -ne 66 ]; then
            where="$where exit=$rc"
        fi
        run=$((run + 1))
    done
    if [ "$want" = race ]; then
        [ $raced -eq "$RUNS" ] && result=PASS || result=FAIL
    else
        [ $raced -eq 0 ] && [ $other -eq 0 ] && result=PASS || result=FAIL
    fi
    printf '%-36s %-6s %-8s %-7s %-28s %s\n' "$name" "$want" "$raced/$RUNS" "$result" "$first" "$where"
    if [ $result = PASS ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "#"
echo "# $pass passed, $fail failed"
[ $fail -eq 0 ]
