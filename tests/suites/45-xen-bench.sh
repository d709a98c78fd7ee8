#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make xen-bench's shape, without Xen (nothing here downloads or builds
# it): the report parses a recorded pair of runs (tests/xen-bench/: the
# xen-probe guest on kmapvisor and on Xen 4.17, console and plugin output)
# into the figures they hold; the tools reject bad options with a message;
# the insn-split plugin loads into QEMU, refuses bad arguments, and on a
# short kmapvisor boot its split matches the guest's own figures.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
fx=$top/tests/xen-bench
rep=$build/xen-bench-report
pass=0 fail=0
check() { # name, command...
    local name=$1; shift
    if "$@"; then echo "PASS xen-bench: $name"; pass=$((pass + 1)); else echo "FAIL xen-bench: $name"; fail=$((fail + 1)); fi
}
rejects() { # what the message must say, command...
    local want=$1; shift
    local msg rc
    msg=$("$@" 2>&1 >/dev/null); rc=$?
    [ "$rc" -ne 0 ] && echo "$msg" | grep -q -- "$want"
}
tab=$("$rep" --csv "$build/xen-bench-fixture.csv" kmapvisor="$fx/kmapvisor" xen-4.17="$fx/xen" 2>&1)
check "the report reads the recorded runs" test $? = 0
row() { echo "$tab" | sed -n "/^$1/,/^\$/p" | grep -m1 "^$2 "; }
check "instructions per op: a pair 684 on kmapvisor, 1788 on Xen (2.61)" \
    bash -c "echo '$(row instructions "pair_same 0")' | grep -q '684 (1.00) *1788 (2.61)'"
check "split of the median interval: the same 30 guest instructions per pair on both" \
    bash -c "echo '$(row split "pair_same 0")' | grep -q '30 + 654 *30 + 1758'"
check "traps/invlpg: 2/1 per pair on kmapvisor, 2/2 on Xen" \
    bash -c "echo '$(row "per operation" "pair_same 0")' | grep -q '2/1/0 *2/2/0'"
check "multicall: 2 traps per nested_mc 16 section on both" \
    bash -c "echo '$(row "per operation" "nested_mc 16")' | grep -q '2/16/0 *2/32/0'"
check "the plugin's mean beside the median interval (a timer tick on Xen in nested 16)" \
    bash -c "echo '$(row hypervisor "nested 16")' | grep -q '0 / 10464 / 10469 *0 / 28128 / 28216'"
check "the CSV has a row per column and metric" \
    bash -c "test \$(grep -c '^kmapvisor,' '$build/xen-bench-fixture.csv') = 13 -a \$(grep -c '^xen-4.17,' '$build/xen-bench-fixture.csv') = 13"
check "report: an unknown option" rejects "unknown option '--bogus'" "$rep" --bogus x=y
check "report: not NAME=DIR" rejects "is not NAME=DIR" "$rep" kmapvisor
check "report: a baseline that is no column" rejects "is not one of the columns" "$rep" --baseline native a="$fx/xen"
check "report: a directory without runs" rejects "cannot read" "$rep" a=/nonexistent
bad=$build/xen-bench-bad
mkdir -p "$bad"; cp "$fx/xen/domU.log" "$bad/"; echo "mark 0 guest 1" > "$bad/split.txt"
check "report: split.txt that is not the plugin's" rejects "not insn-split output" "$rep" a="$fx/kmapvisor" b="$bad"
check "xen-run.sh: an unknown option" rejects "unknown option '--bogus'" "$top/tools/xen-bench/xen-run.sh" --bogus
check "xen-run.sh: a bad --memory" rejects "not a number of MiB" "$top/tools/xen-bench/xen-run.sh" --memory lots g
check "xen-run.sh: no guest" rejects "no GUEST" "$top/tools/xen-bench/xen-run.sh"
check "xen-bench.sh: a bad --guest" rejects "is not probe or mini" "$top/tools/xen-bench/xen-bench.sh" --guest linux
check "xen-bench.sh: a bad --runs" rejects "not a number from 1 to 5" "$top/tools/xen-bench/xen-bench.sh" --runs 9
check "build-xen.sh: an unknown option" rejects "unknown option" "$top/tools/xen-bench/build-xen.sh" --debug
check "plugin: QEMU refuses it with a bad argument, saying why" \
    rejects "unknown argument" timeout 60 qemu-system-x86_64 -M q35 -display none -accel tcg -no-reboot \
    -plugin "$build/insn-split.so,colour=blue"
# The plugin on a real boot: xen-probe on kmapvisor (3 s under TCG).
d=$build/xen-bench-shape
rm -rf "$d"; mkdir -p "$d"
mark=$(nm "$build/xen-probe.elf" | awk '$3 == "probe_mark" {print "0x" $1}')
"$build/kmapvisor" run --icount --accel tcg --vcpus 1 --pcpus 1 --quiet --log "$d/domU.log" \
    --plugin "$build/insn-split.so,out=$d/split.txt,mark=$mark,hv=0xffffffff80000000-0" \
    "$build/xen-probe.elf" -- slots=0xffe00000 >/dev/null 2>&1
check "xen-probe on kmapvisor with the plugin powers off" grep -q '^bench: done$' "$d/domU.log"
"$rep" --csv "$d/r.csv" k="$d" >/dev/null 2>&1
check "...the plugin counts the probe's own 30 instructions in the median pair, as recorded" \
    grep -q '^k,pair_same,0,[0-9]*,1.0000,1,30.0,' "$d/r.csv"
check "...every row split exactly (an interval of the median's length), its mean within 5%" python3 - "$d/r.csv" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    hv, mean = float(r["hv_per_op"]), float(r["plugin_hv_mean"])
    assert r["exact"] == "1", (r["metric"], r["arg"])
    assert abs(float(r["guest_per_op"]) + hv + float(r["dom0_per_op"]) - float(r["median"])) < 0.01, r
    assert hv > 0 and abs(mean - hv) <= 0.05 * hv, (r["metric"], r["arg"], hv, mean)
PY
echo "xen-bench: $pass passed, $fail failed"
[ "$fail" = 0 ]
