#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# kmapvisor bench --short: every strategy runs, the output has its shape,
# and the trap counts say what the designs promise: per-entry replay traps
# 2d times per switch, batched replay once, whatever d.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
out=$build/bench-short
rm -rf "$out"
pass=0 fail=0
check() { # name, command...
    local name=$1; shift
    if "$@"; then echo "PASS bench: $name"; pass=$((pass + 1)); else echo "FAIL bench: $name"; fail=$((fail + 1)); fi
}
"$build/kmapvisor" bench --short --accel tcg --plot --out "$out" >"$build/bench-short.log" 2>&1
rc=$?
check "bench --short exits 0" test "$rc" = 0
[ "$rc" = 0 ] || tail -20 "$build/bench-short.log"
check "results.json is valid JSON with every strategy" python3 - "$out/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
strategies = {"native", "pv", "pv-lazy", "pv-batched", "pv-batched-lazy", "xen", "pv-cached", "pv-cached-batched"}
assert {r["strategy"] for r in d["results"]} == strategies, d["results"][:3]
assert d["accelerator"] in ("tcg", "kvm") and d["commit"] and d["machine"]
PY
check "results.csv has every metric for every strategy" python3 - "$out/results.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
have = {(r["strategy"], r["metric"], int(r["arg"])) for r in rows}
for s in ("native", "pv", "pv-lazy", "pv-batched", "pv-batched-lazy", "xen", "pv-cached", "pv-cached-batched"):
    need = [("pair_same", 0), ("pair_new", 0)] + [("nested", d) for d in range(1, 17)] \
         + [("switch", d) for d in range(0, 9)] + [("throughput", v) for v in (1, 2, 4)]
    missing = [m for m in need if (s,) + m not in have]
    assert not missing, (s, missing)
    assert all(float(r["median"]) > 0 for r in rows if r["strategy"] == s)
native = {(r["metric"], r["arg"]): float(r["ratio_to_native"]) for r in rows if r["strategy"] == "native"}
assert all(abs(v - 1.0) < 1e-9 for v in native.values())
PY
check "traps per switch: 2d per-entry, 1 batched (flat in d)" python3 - "$out/results.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
traps = {(r["strategy"], int(r["arg"])): float(r["traps_per_op"]) for r in rows if r["metric"] == "switch"}
for d in range(1, 9):
    assert traps[("pv", d)] == 2 * d, ("pv", d, traps[("pv", d)])
    assert traps[("pv-batched", d)] == 1, ("pv-batched", d, traps[("pv-batched", d)])
    assert traps[("native", d)] == 0
    assert traps[("pv-cached-batched", d)] <= 1, ("pv-cached-batched", d, traps[("pv-cached-batched", d)])
pairs = {r["strategy"]: float(r["traps_per_op"]) for r in rows if r["metric"] == "pair_same"}
assert pairs["pv-cached"] == 0 and pairs["pv"] == 2, pairs  # a cached same-frame pair never traps
PY
check "plots written" test -s "$out/pair-cost.svg" -a -s "$out/switch-cost.svg" -a -s "$out/throughput.svg"
check "bad option rejected" bash -c "\"$build/kmapvisor\" bench --reps 0 2>&1 | grep -q 'not a number from 1' && ! \"$build/kmapvisor\" bench --reps 0 >/dev/null 2>&1"
echo "bench: $pass passed, $fail failed"
[ "$fail" = 0 ]
