#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The README's table of every strategy with Xen 4.17 beside it, from the
# results.csv of `xen-bench.sh --guest mini` (one column per strategy, the
# same guest image): per strategy and operation, instructions guest +
# hypervisor (the insn-split plugin's split of the median interval, so
# kmapvisor's entry stubs count as on Xen), traps / invlpg, and the
# modelled cycles at the mid costs (T=600, F=200) with the ratio to native.
#   tools/xen-bench/strategy-table.sh [CSV]   (default build/xen-bench/results.csv)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
csv=${1:-${BUILD:-$top/build}/xen-bench/results.csv}
[ -r "$csv" ] || { echo "strategy-table: no $csv (run make xen-bench XEN_BENCH_ARGS='--guest mini')" >&2; exit 2; }
awk -F, '
NR == 1 { for (i = 1; i <= NF; i++) f[$i] = i; next }
{
    key = $f["metric"] " " $f["arg"]
    if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 }
    ins[$1, key] = sprintf("%d+%d", $f["guest_per_op"] + 0.5, $f["hv_per_op"] + 0.5)
    tf[$1, key] = sprintf("%d/%d", $f["traps_per_op"] + 0.5, $f["invlpg_per_op"] + 0.5)
    mid[$1, key] = $f["modelled_mid"]
}
END {
    split("pair_same 0|pair_new 0|nested 16|switch 8", ops, "|")
    split("pair, same frame|pair, new frame|nested, depth 16|switch, 8 live slots", names, "|")
    printf "%-18s", ""
    for (o = 1; o <= 4; o++) printf "  %-33s", names[o]
    printf "\n%-18s", "strategy"
    for (o = 1; o <= 4; o++) printf "  %-11s %-7s %-13s", "insns g+h", "tr/flu", "mid (ratio)"
    printf "\n"
    for (i = 0; i < n; i++) {
        c = order[i]
        printf "%-18s", c
        for (o = 1; o <= 4; o++) {
            k = ops[o]
            printf "  %-11s %-7s %-13s", ins[c, k], tf[c, k], sprintf("%d (%.2f)", mid[c, k], mid[c, k] / mid["native", k])
        }
        printf "\n"
    }
}' "$csv" | sed 's/ *$//'
