#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make xen-bench: the same guest image on kmapvisor and on Xen 4.17 (PV32
# build of Debian's hypervisor, a minimal Debian dom0), side by side in
# one table, every run under QEMU TCG -icount shift=0,sleep=off with the
# insn-split plugin; the whole set is run twice and must print the same
# figures.
#   tools/xen-bench/xen-bench.sh [--guest probe|mini] [--runs N] [--out DIR]
#     --guest probe  build/xen-probe.elf (default): update_va_mapping pairs,
#                    nested maps, multicalls; on kmapvisor in its window
#                    (kmapvisor) and on pages of its own image through the
#                    PV MMU (kmapvisor-mmu), as on Xen
#     --guest mini   the mini guest (build/guest.elf): the native build (the
#                    baseline), every strategy of kmapvisor bench, backend
#                    xen in the guest's own slot area on kmapvisor (xen-own),
#                    and on Xen 4.17 backend xen (there: its own slot area)
#     --mini-args A  the mini guest's extra arguments on Xen (default: none)
#     --memory MB    the domU's memory on Xen (default: 128 for the probe,
#                    512 for the mini guest, as kmapvisor gives it: 128 MiB
#                    lowmem and highmem above)
#     --runs N       1..5 (default 2)
#     --out DIR      default build/xen-bench
# Downloads and builds are cached in /var/cache/kmapvisor-xen.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
guest=probe runs=2 out=$build/xen-bench mini_args= memory=
bad() { echo "xen-bench: $1" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--guest) [ $# -ge 2 ] || bad "--guest needs probe or mini"
		case $2 in probe|mini) guest=$2 ;; *) bad "--guest: '$2' is not probe or mini" ;; esac; shift 2 ;;
	--runs) [ $# -ge 2 ] || bad "--runs needs a number"
		case $2 in [1-5]) runs=$2 ;; *) bad "--runs: '$2' is not a number from 1 to 5" ;; esac; shift 2 ;;
	--out) [ $# -ge 2 ] || bad "--out needs a directory"; out=$2; shift 2 ;;
	--mini-args) [ $# -ge 2 ] || bad "--mini-args needs a value"; mini_args=$2; shift 2 ;;
	--memory) [ $# -ge 2 ] || bad "--memory needs a number of MiB"
		case $2 in ''|*[!0-9]*) bad "--memory: '$2' is not a number of MiB" ;; esac; memory=$2; shift 2 ;;
	-h|--help) sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) bad "unknown option '$1' (--help lists them)" ;;
	esac
done
[ -n "$memory" ] || { [ $guest = probe ] && memory=128 || memory=512; }
make -C "$top" --no-print-directory all >/dev/null || bad "the build failed (make all)"
KV=$build/kmapvisor
PLUGIN=$build/insn-split.so
KV_HV=0xffffffff80000000-0
sym() { nm "$1" | awk -v s="$2" '$3 == s {print "0x" $1}'; }
t_start=$(date +%s)
mkdir -p "$out"
# Xen and dom0 first (cached), so that their build time is its own line
t0=$(date +%s); "$top/tools/xen-bench/build-xen.sh" >/dev/null || exit 1
"$top/tools/xen-bench/mkdom0.sh" >/dev/null || exit 1; t1=$(date +%s)
prep_s=$((t1 - t0))

kv_run() { # dir mark guest [kmapvisor run options] -- args
	local dir=$1 mark=$2; shift 2
	mkdir -p "$dir"
	local t0=$(date +%s)
	"$KV" run --icount --accel tcg --vcpus 1 --pcpus 1 --timeout 600 --quiet --log "$dir/domU.log" \
		--plugin "$PLUGIN,out=$dir/split.txt,mark=$mark,hv=$KV_HV" "$@" 2>"$dir/run.err" || {
		echo "xen-bench: kmapvisor run failed ($dir/run.err):" >&2; tail -5 "$dir/run.err" >&2; return 1; }
	echo "$(( $(date +%s) - t0 ))" > "$dir/seconds"
}
xen_run() { # dir guest -- args
	local dir=$1; shift
	local t0=$(date +%s)
	"$top/tools/xen-bench/xen-run.sh" --out "$dir" --memory "$memory" "$@" >/dev/null 2>"$dir.err" || {
		echo "xen-bench: Xen run failed ($dir.err, $dir/serial.log); the domU's console ends:" >&2
		tail -5 "$dir/domU.log" >&2; return 1; }
	echo "$(( $(date +%s) - t0 ))" > "$dir/seconds"
}

for r in $(seq 1 "$runs"); do
	d=$out/run$r
	rm -rf "$d"; mkdir -p "$d"
	echo "xen-bench: run $r of $runs" >&2
	if [ $guest = probe ]; then
		P=$build/xen-probe.elf
		cols="kmapvisor=$d/kmapvisor kmapvisor-mmu=$d/kmapvisor-mmu xen-4.17=$d/xen xen-nospec=$d/xen-nospec"
		kv_run "$d/kmapvisor" "$(sym "$P" probe_mark)" "$P" -- slots=0xffe00000 || exit 1
		kv_run "$d/kmapvisor-mmu" "$(sym "$P" probe_mark)" "$P" || exit 1
		xen_run "$d/xen" "$P" || exit 1
		xen_run "$d/xen-nospec" --xen-opt spec-ctrl=no "$P" || exit 1
	else
		G=$build/guest.elf N=$build/guest-native.elf
		M=$(sym "$G" plat_counters)
		cols="native=$d/native"
		kv_run "$d/native" "$(sym "$N" plat_counters)" --native "$N" -- workload=bench backend=native \
			variant=perentry || exit 1
		# every strategy of kmapvisor bench (tools/bench.c), the same image
		for s in pv:pv:perentry: pv-lazy:pv:perentry:--lazy pv-batched:pv:batched: \
			pv-batched-lazy:pv:batched:--lazy xen:xen:perentry: pv-cached:pv-cached:perentry:--cached \
			pv-cached-batched:pv-cached:batched:--cached; do
			IFS=: read -r name be var opt <<<"$s"
			# shellcheck disable=SC2086
			# kv-: the strategy xen is not the Xen run's directory
			kv_run "$d/kv-$name" "$M" $opt "$G" -- workload=bench backend=$be variant=$var || exit 1
			cols="$cols $name=$d/kv-$name"
		done
		# backend xen in the guest's own slot area (its L1, through kmapvisor's PV MMU), as on Xen
		kv_run "$d/kv-xen-own" "$M" "$G" -- workload=bench backend=xen variant=perentry noext=1 slot_area=own || exit 1
		cols="$cols xen-own=$d/kv-xen-own xen-4.17=$d/xen xen-nospec=$d/xen-nospec"
		xen_run "$d/xen" "$G" -- workload=bench backend=xen variant=perentry $mini_args || exit 1
		xen_run "$d/xen-nospec" --xen-opt spec-ctrl=no "$G" -- workload=bench backend=xen variant=perentry \
			$mini_args || exit 1
	fi
	# shellcheck disable=SC2086
	"$build/xen-bench-report" --csv "$d/results.csv" $cols > "$d/table.txt" || exit 1
done
# The plugin against kmapvisor's own accounting (KMAPOP_stats hv_tsc): the
# mini guest's pv and xen backends on kmapvisor, once.
x=$out/crosscheck
rm -rf "$x"; mkdir -p "$x"
G=$build/guest.elf
kv_run "$x/pv" "$(sym "$G" plat_counters)" "$G" -- workload=bench backend=pv variant=perentry || exit 1
kv_run "$x/xen" "$(sym "$G" plat_counters)" "$G" -- workload=bench backend=xen variant=perentry || exit 1
"$build/xen-bench-report" kmapvisor-pv="$x/pv" kmapvisor-xen="$x/xen" > "$x/table.txt" || exit 1
t_end=$(date +%s)

commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
	echo "kmapvisor xen-bench, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, guest $guest"
	echo "machine: $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, QEMU -cpu qemu64"
	echo "accelerator: tcg (QEMU $(qemu-system-x86_64 --version | head -1 | awk '{print $4}') -icount shift=0,sleep=off: 1 TSC tick per instruction; no KVM: Xen's PV32 needs ring 1 in compat mode, which this machine's nested KVM cannot run)"
	echo "xen: 4.17 from Debian's source package $(cat /var/cache/kmapvisor-xen/xen-pv32/version), CONFIG_PV32=y, release build; $(sed -n 's/^cmdline: //p' "$out/run1/xen/run.txt")"
	[ $guest = probe ] && echo "kmapvisor: the probe's slots in kmapvisor's kmap window; kmapvisor-mmu: in the probe's own pages, through kmapvisor's PV MMU (update_va_mapping anywhere), as on Xen"
	[ $guest = mini ] && echo "guest: build/guest.elf workload=bench, the same image everywhere (native: its native build); kmapvisor: every strategy of kmapvisor bench (pv..pv-cached-batched, xen in kmapvisor's window); xen-own: backend xen in the guest's own slot area (noext=1 slot_area=own), through kmapvisor's PV MMU, as on Xen; xen-4.17: backend xen, $([ -n "$mini_args" ] && echo "arguments $mini_args, ")its own slot area (no kmapvisor window on Xen)"
	echo "xen-nospec: the same with spec-ctrl=no on Xen's command line (no RSB stuffing on PV entry, BTI thunk JMP instead of RETPOLINE, no branch hardening); kmapvisor has no such mitigations"
	echo "dom0: Debian linux-image $(cat /var/cache/kmapvisor-xen/dom0/kernel-version), xl/xenstored/xenconsoled from xen-utils-4.17; domU: 1 vCPU, tsc_mode=\"native\" (rdtsc not emulated)"
	echo "split: the insn-split TCG plugin (tools/xen-bench/insn-split.c) on both hypervisors; kmapvisor's own accounting beside it"
	echo "times: Xen+dom0 ready (cached) in ${prep_s} s; per run: kmapvisor $(cat "$out/run1/$([ $guest = probe ] && echo kmapvisor || echo kv-xen-own)/seconds") s, Xen boot to poweroff $(cat "$out/run1/xen/seconds") s; all: $((t_end - t_start)) s"
	same=yes
	for r in $(seq 2 "$runs"); do
		cmp -s "$out/run1/table.txt" "$out/run$r/table.txt" || same=no
	done
	if [ "$runs" -gt 1 ]; then
		if [ $same = yes ]; then echo "runs: $runs, every run printed the same table (deterministic)"
		else echo "runs: $runs, the tables DIFFER (diff $out/run1/table.txt $out/runN/table.txt)"; fi
	fi
	cat "$out/run1/table.txt"
	echo
	echo "cross-check on kmapvisor, the mini guest (pv and xen backends): the hypervisor's own accounting"
	echo "(a TSC bracket from its C entry to the end of its exit path; a mean over the loop) against the"
	echo "plugin's count of every instruction at its addresses (the vector stubs, register saves and iretq"
	echo "included), in the median interval and as a mean"
	sed -n '/^hypervisor per op/,/^$/p' "$x/table.txt" | sed '1d;/^$/d'
} > "$out/report.txt"
cp "$out/run1/results.csv" "$out/results.csv"
cat "$out/report.txt"
[ "${same:-yes}" = yes ]
