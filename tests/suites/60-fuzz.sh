#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A short run of the hypercall fuzzer (make fuzz runs longer): the PV layer
# and the core on the fake machine, ASan, UBSan and the exit-path
# invariants; any finding fails, with its input kept under build/.
# tests/fuzz/seeds: hand-made inputs run first (each reaches one rule the
# fuzzer finds slowly, e.g. a refused descriptor in a live GDT frame).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
secs=${FUZZ_CHECK_SECONDS:-60}
corpus=$build/fuzz-corpus
mkdir -p "$corpus" "$build/fuzz-findings"
log=$build/fuzz-check.log
(cd "$build/fuzz-findings" && "$build/fuzz-hypercalls" -max_total_time="$secs" -max_len=700 -print_final_stats=1 \
    "$corpus" "$top/tests/fuzz/seeds") >"$log" 2>&1
rc=$?
execs=$(grep -oE 'number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$')
cov=$(grep -oE 'DONE +cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
if [ "$rc" = 0 ] && [ -n "$execs" ] && [ "$execs" -gt 1000 ]; then
    echo "PASS fuzz: $execs executions in $secs s, no finding ($cov, corpus $(ls "$corpus" | wc -l) inputs)"
    echo "fuzz: 1 passed, 0 failed"
else
    echo "FAIL fuzz: exit $rc after ${execs:-0} executions; finding in $build/fuzz-findings"
    grep -E 'ERROR|fuzz:|runtime error' "$log" | head -5 | sed 's/^/    /'
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi
