#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# kmapvisor bench --short: every strategy runs, the output has its shape,
# and the trap counts say what the designs promise: per-entry replay traps
# 2d times per switch, batched replay once, whatever d.  The figures are
# instruction counts under QEMU -icount: a second run must print the same
# ones, the TSC must count one tick per instruction, and the hypervisor's
# kmap path must stay within its budget.
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
check "TSC check: one tick per instruction under -icount" python3 - "$out/results.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["icount"] is True, d.get("icount")
a, b = d["tsc_check"]
assert b - a == 2000, (a, b)
PY
# A second run of two strategies (and native): the instruction figures
# must be the same numbers, to the instruction.
"$build/kmapvisor" bench --short --accel tcg --no-stress --only pv,pv-cached-batched --out "$out/again" \
    >"$build/bench-short-again.log" 2>&1
rc=$?
check "a second run exits 0" test "$rc" = 0
check "a second run prints the same instruction figures" python3 - "$out/results.csv" "$out/again/results.csv" <<'PY'
import csv, sys
def figures(path):
    return {(r["strategy"], r["metric"], r["arg"]): (r["median"], r["p10"], r["p90"], r["traps_per_op"], r["hv_per_op"],
             r["ptes_per_op"], r["flushes_per_op"], r["cr3_per_op"])
            for r in csv.DictReader(open(path)) if r["metric"] != "throughput"}
a, b = figures(sys.argv[1]), figures(sys.argv[2])
assert len(b) == 3 * (2 + 16 + 9), len(b)
diff = [(k, a.get(k), v) for k, v in b.items() if a.get(k) != v]
assert not diff, diff[:5]
PY
check "the hypervisor's kmap path: at most 120 instructions per push and per pop" python3 - "$out/results.csv" <<'PY'
import csv, sys
rows = {(r["strategy"], r["metric"], r["arg"]): r for r in csv.DictReader(open(sys.argv[1]))}
for m in ("pair_same", "pair_new"):
    hv = float(rows[("pv", m, "0")]["hv_per_op"])  # one push and one pop
    assert 0 < hv <= 240, (m, hv)
PY
check "plots written" test -s "$out/pair-cost.svg" -a -s "$out/switch-cost.svg" -a -s "$out/throughput.svg"
check "bad option rejected" bash -c "\"$build/kmapvisor\" bench --reps 0 2>&1 | grep -q 'not a number from 1' && ! \"$build/kmapvisor\" bench --reps 0 >/dev/null 2>&1"
echo "bench: $pass passed, $fail failed"
[ "$fail" = 0 ]
