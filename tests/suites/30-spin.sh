#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Layer 2 of the replay proof: the Promela model, checked by SPIN.  The
# safe variants must verify (state counts printed); the unsafe RFC must
# produce a counterexample (its trail is printed).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
work=${BUILD:-$top/build}/spin
pass=0 fail=0
for v in PERENTRY BATCHED UNSAFE; do
    d=$work/$v
    rm -rf "$d" && mkdir -p "$d" && cp "$top/tests/model/kmap_replay.pml" "$d/"
    if ! (cd "$d" && spin -D$v -a kmap_replay.pml >spin.log 2>&1 && gcc -O2 -DSAFETY -o pan pan.c >>spin.log 2>&1); then
        echo "FAIL spin $v: model did not build"; tail -5 "$d/spin.log"; fail=$((fail + 1)); continue
    fi
    (cd "$d" && ./pan -m200000 >pan.log 2>&1)
    errors=$(grep -oE 'errors: [0-9]+' "$d/pan.log" | grep -oE '[0-9]+')
    states=$(grep -E 'states, stored' "$d/pan.log" | awk '{print $1}')
    if [ "$v" = UNSAFE ]; then
        if [ "${errors:-0}" -gt 0 ]; then
            echo "PASS spin $v: counterexample found ($(grep -m1 'assertion violated' "$d/pan.log" | sed 's/^pan:1: //'))"
            (cd "$d" && spin -DUNSAFE -t -B kmap_replay.pml 2>/dev/null | grep -E 'assertion|proc' | head -4 | sed 's/^/    trail: /')
            pass=$((pass + 1))
        else
            echo "FAIL spin $v: the unsafe scheme verified ($states states)"; fail=$((fail + 1))
        fi
    else
        if [ "${errors:-1}" = 0 ] && [ -n "$states" ]; then
            echo "PASS spin $v: verified, $states states"
            pass=$((pass + 1))
        else
            echo "FAIL spin $v: $(grep -m1 -E 'assertion violated|errors' "$d/pan.log")"; fail=$((fail + 1))
        fi
    fi
done
echo "spin: $pass passed, $fail failed"
[ "$fail" = 0 ]
