#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Boot Xen 4.17 (PV32 build, tools/xen-bench/build-xen.sh) with a minimal
# dom0 (tools/xen-bench/mkdom0.sh) under QEMU TCG, start GUEST as a 32-bit
# PV domU with `xl create`, and print the domU's console on stdout.
#   tools/xen-bench/xen-run.sh [options] GUEST [-- GUEST ARGS]
#     --out DIR       where serial.log, domU.log, split.txt go (default build/xen-run)
#     --mark SYMBOL   the insn-split plugin's marker, a function of GUEST
#                     (default: plat_counters, else probe_mark)
#     --no-icount     plain TCG (no -icount, no plugin): figures are host time
#     --memory MB     the domU's memory (default 128)
#     --tsc-mode M    the domU's xl tsc_mode: native (default: rdtsc never
#                     emulated), default, always_emulate
#     --xen-opt OPT   one more option on Xen's command line (repeatable;
#                     e.g. spec-ctrl=no)
#     --timeout S     kill QEMU after S seconds (default 900)
# The domU runs with tsc_mode="native" (rdtsc not emulated); QEMU runs
# -cpu qemu64 -smp 1 -icount shift=0,sleep=off with the insn-split plugin
# (build/insn-split.so), which splits the instructions between the domU
# (below 4 GiB), Xen (0xffff800000000000-0xffff880000000000) and dom0.
# Exit status: 0 the domU printed "bench: done" or powered off, 1 it did
# not, 2 usage.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
out=$build/xen-run
mark= icount=1 memory=128 timeout=900 tsc_mode=native xen_opts=
usage() { sed -n '5,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
bad() { echo "xen-run: $1" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--out) [ $# -ge 2 ] || bad "--out needs a directory"; out=$2; shift 2 ;;
	--mark) [ $# -ge 2 ] || bad "--mark needs a symbol"; mark=$2; shift 2 ;;
	--no-icount) icount=0; shift ;;
	--memory) [ $# -ge 2 ] || bad "--memory needs a number of MiB"
		case $2 in ''|*[!0-9]*) bad "--memory: '$2' is not a number of MiB" ;; esac
		[ "$2" -ge 16 ] && [ "$2" -le 2048 ] || bad "--memory: '$2' is not from 16 to 2048"
		memory=$2; shift 2 ;;
	--tsc-mode) [ $# -ge 2 ] || bad "--tsc-mode needs a mode"
		case $2 in native|default|always_emulate) tsc_mode=$2 ;;
		*) bad "--tsc-mode: '$2' is not native, default or always_emulate" ;; esac; shift 2 ;;
	--xen-opt) [ $# -ge 2 ] || bad "--xen-opt needs an option"
		case $2 in ''|*[\ ,\"]*) bad "--xen-opt: '$2' is not one option (no spaces, commas or quotes)" ;; esac
		xen_opts="$xen_opts $2"; shift 2 ;;
	--timeout) [ $# -ge 2 ] || bad "--timeout needs seconds"
		case $2 in ''|*[!0-9]*) bad "--timeout: '$2' is not a number of seconds" ;; esac
		timeout=$2; shift 2 ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) bad "unknown option '$1' (--help lists them)" ;;
	*) [ -z "${guest:-}" ] || bad "one GUEST only ('$1')"; guest=$1; shift ;;
	esac
done
[ -n "${guest:-}" ] || bad "no GUEST given"
[ -r "$guest" ] || bad "GUEST '$guest' is not a readable file"
args="$*"
case $args in *\"*|*\\*) bad "guest arguments may not contain quotes or backslashes" ;; esac

xen=$("$top/tools/xen-bench/build-xen.sh")
set -- $("$top/tools/xen-bench/mkdom0.sh")
kernel=$1 initrd=$2
[ -s "$build/insn-split.so" ] || make -C "$top" --no-print-directory "$build/insn-split.so" >&2
if [ -z "$mark" ]; then
	for s in plat_counters probe_mark; do
		mark=$(nm "$guest" | awk -v s=$s '$3 == s {print "0x" $1}')
		[ -n "$mark" ] && break
	done
else
	sym=$mark
	mark=$(nm "$guest" | awk -v s="$sym" '$3 == s {print "0x" $1}')
	[ -n "$mark" ] || bad "--mark: '$sym' is not a symbol of $guest"
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage/guest"
cp "$guest" "$stage/guest/guest.elf"
cat > "$stage/guest/guest.cfg" <<CFG
name = "guest"
type = "pv"
kernel = "/guest/guest.elf"
memory = $memory
vcpus = 1
extra = "$args"
tsc_mode = "$tsc_mode"
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
CFG
# byte-identical from run to run (mtimes, cpio inodes, no gzip timestamp):
# with -rtc clock=vm the whole boot is then deterministic under -icount
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible | gzip -n -1) > "$out/guest.cpio.gz"
cat "$initrd" "$out/guest.cpio.gz" > "$out/initrd.cpio.gz"

xen_cmdline="console=com1 com1=115200,8n1 dom0_mem=384M,max:384M dom0_max_vcpus=1 noreboot$xen_opts"
# the machine: dom0's 384 MiB, the domU's, and room for Xen
qemu_mem=$((memory + 640)); [ $qemu_mem -ge 1024 ] || qemu_mem=1024
set -- qemu-system-x86_64 -M q35 -cpu qemu64 -m $qemu_mem -smp 1 -accel tcg -display none -monitor none \
	-serial stdio -no-reboot -rtc base=2026-01-01T00:00:00,clock=vm -kernel "$xen" -append "$xen_cmdline" \
	-initrd "$kernel console=hvc0,initrd.cpio.gz"
if [ $icount = 1 ]; then
	rm -f "$out/split.txt"
	set -- "$@" -icount shift=0,sleep=off \
		-plugin "$build/insn-split.so,out=$out/split.txt,mark=$mark,hv=0xffff800000000000-0xffff880000000000"
fi
{
	echo "xen: $xen ($(cat "$(dirname "$xen")/version"), CONFIG_PV32=y)"
	echo "dom0: $kernel ($(cat "$(dirname "$kernel")/kernel-version"))"
	echo "cmdline: $xen_cmdline"
	echo "guest: $guest $args (memory $memory MiB, 1 vCPU, tsc_mode $tsc_mode)"
	echo "icount: $icount, plugin mark $mark"
	echo "qemu: $*"
} > "$out/run.txt"
t0=$(date +%s)
rc=0
# from $out, with the initramfs named relatively: the multiboot module
# strings Xen sees (and so its memory layout) do not depend on --out
(cd "$out" && exec timeout "$timeout" "$@") < /dev/null > "$out/serial.log" 2>&1 || rc=$?
t1=$(date +%s)
echo "boot to poweroff: $((t1 - t0)) s, qemu exit $rc" >> "$out/run.txt"
tr -d '\r' < "$out/serial.log" | sed -n '/^=== domU console ===$/,/^=== end of domU console ===$/p' |
	sed '1d;$d' > "$out/domU.log"
cat "$out/domU.log"
echo "xen-run: $((t1 - t0)) s, QEMU exit $rc; $out/run.txt" >&2
if grep -q '^bench: done' "$out/domU.log"; then exit 0; fi
echo "xen-run: the domU did not finish; the end of the serial log:" >&2
tail -40 "$out/serial.log" >&2
exit 1
