#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make check: every test suite, then one line "N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
total_pass=0 total_fail=0 total_skip=0

add_counts() { # "<pass> <fail> <skip>"
    read -r p f s <<<"$1"
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
}

echo "== unit tests (Check, host build of the hypervisor core and guest library)"
# Check's default 4 s per test trips on a loaded shared machine (seen: the
# guest library's arch tests under ASan at load 5 on 2 cores); 30 s unless set.
out=$(CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-30} "$build/unit-tests" 2>&1); rc=$?
echo "$out" | grep -Ev '^Running suite' 
line=$(echo "$out" | grep -E 'Checks: [0-9]+' | tail -1)
checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
failures=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
errors=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
if [ -z "$line" ]; then
    add_counts "0 1 0"   # the unit test binary did not run to its summary
else
    add_counts "$((checks - failures - errors)) $((failures + errors)) 0"
    [ "$rc" = 0 ] || [ $((failures + errors)) -gt 0 ] || add_counts "0 1 0"
fi

for suite in "$top"/tests/suites/*.sh; do
    [ -e "$suite" ] || continue
    echo "== $(basename "$suite" .sh)"
    out=$(bash "$suite" 2>&1); rc=$?
    echo "$out"
    last=$(echo "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
    if [ -z "$last" ]; then
        add_counts "0 1 0"
        continue
    fi
    p=$(echo "$last" | sed -E 's/.*\b([0-9]+) passed.*/\1/')
    f=$(echo "$last" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    s=$(echo "$last" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || echo 0)
    add_counts "$p $f $s"
    [ "$rc" = 0 ] || [ "$f" -gt 0 ] || add_counts "0 1 0"
done

echo "== total"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
