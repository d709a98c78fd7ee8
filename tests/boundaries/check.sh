#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Who may include and call whom (docs/architecture.md).  Usage:
#   check.sh [SOURCE_TREE [BUILD_DIR]]
# Prints one line per rule and "boundaries: N passed, M failed".
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${2:-${BUILD:-$top/build}}
cd "$top" || exit 1
pass=0 fail=0

# rule NAME FILES... -- ALLOWED-REGEX: every #include in FILES must match.
rule() {
    local name=$1; shift
    local files=() allowed
    while [ "$1" != "--" ]; do files+=("$1"); shift; done
    allowed=$2
    local bad
    bad=$(grep -HnE '^[[:space:]]*#[[:space:]]*include' "${files[@]}" 2>/dev/null |
          grep -vE "#[[:space:]]*include[[:space:]]*($allowed)" )
    if [ -z "$bad" ]; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name:"; echo "$bad" | sed 's/^/    /'; fail=$((fail + 1))
    fi
}
srcs() { find "$@" -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.inc' \) 2>/dev/null | sort; }

# 1. Nothing is included by a relative path that climbs out of its folder.
mapfile -t all < <(srcs hypervisor arch include lib guest guest-patches tests tools)
bad=$(grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*\.\./' "${all[@]}")
if [ -z "$bad" ]; then echo "PASS no include by ../"; pass=$((pass + 1));
else echo "FAIL includes by ../:"; echo "$bad" | sed 's/^/    /'; fail=$((fail + 1)); fi

STD='<std[a-z]*\.h>'
# 2. The public ABI: itself, fixed-width types, Xen's public headers.
mapfile -t f < <(srcs include)
rule "include/ is self-contained (ABI, Xen, stdint)" "${f[@]}" -- "$STD|<xen/[a-z_/.0-9-]+>|\"[a-z_0-9]+\.h\""
# 3. kmvlib: nothing of kmapvisor.
mapfile -t f < <(srcs lib)
rule "lib/ depends on nothing" "${f[@]}" -- "$STD|<kmvlib\.h>|<string\.h>|<stdio\.h>"
# 4. The core: kmvlib, the ABI, Xen, its own headers, and of the arch only
#    <asm/page.h> and <asm/spinlock.h>.
mapfile -t f < <(srcs hypervisor)
rule "hypervisor/ sees the arch only through <asm/page.h>, <asm/spinlock.h>" "${f[@]}" -- \
    "$STD|<kmvlib\.h>|<kmapvisor/[a-z_0-9]+\.h>|<xen/[a-z_/.0-9-]+>|<asm/(page|spinlock)\.h>|\"[a-z_0-9]+\.h\""
# 5. The asm/ interface headers are leaves.
mapfile -t f < <(srcs arch/x86_64/include)
rule "arch/x86_64/include/asm/ headers are leaves" "${f[@]}" -- "$STD|<asm/[a-z_0-9]+\.h>|<kmapvisor/limits\.h>"
# 6. The guest library stands alone: its own headers, the ABI, Xen.
mapfile -t f < <(srcs guest-patches/include guest-patches/lib guest-patches/backends guest-patches/arch)
rule "guest-patches/ builds on its own headers" "${f[@]}" -- \
    "$STD|<kmap_[a-z_]+\.h>|\"kmap_[a-z_]+\.h\"|<kmapvisor/[a-z_0-9]+\.h>|<xen/[a-z_/.0-9-]+>"

# 7. Calls: the core's objects name no symbol that only the arch defines
#    (the arch reaches the core by name; the core reaches the machine
#    through struct hv_platform and struct kmap_env).
# The objects of today's sources (a build dir may hold stale ones).
objs_of() { local flavour=$1; shift; for c in "$@"; do echo "$build/$flavour/${c%.c}.o"; done; }
mapfile -t core_objs < <(objs_of hv hypervisor/*.c)
mapfile -t lib_objs < <(objs_of hv lib/*.c)
if [ -e "${core_objs[0]}" ]; then
    defined=$(nm --defined-only "${core_objs[@]}" "${lib_objs[@]}" 2>/dev/null | awk 'NF==3{print $3}' | sort -u)
    undef=$(nm --undefined-only "${core_objs[@]}" 2>/dev/null | awk 'NF==2{print $2}' | sort -u)
    stray=$(comm -23 <(echo "$undef") <(echo "$defined"))
    if [ -z "$stray" ]; then echo "PASS the core calls no arch function by name"; pass=$((pass + 1));
    else echo "FAIL the core names arch symbols: $(echo $stray)"; fail=$((fail + 1)); fi
else
    echo "FAIL no core objects in $build/hv/hypervisor (build first)"; fail=$((fail + 1))
fi
# 8. The guest library names nothing of the mini kernel but its hooks.
mapfile -t gp_objs < <(objs_of guest guest-patches/*/*.c)
if [ -e "${gp_objs[0]}" ]; then
    defined=$(nm --defined-only "${gp_objs[@]}" $(objs_of guest lib/*.c) 2>/dev/null | awk 'NF==3{print $3}' | sort -u)
    undef=$(nm --undefined-only "${gp_objs[@]}" 2>/dev/null | awk 'NF==2{print $2}' | sort -u)
    stray=$(comm -23 <(echo "$undef") <(echo "$defined"))
    if [ -z "$stray" ]; then echo "PASS the guest library names nothing of its kernel (struct kmap_local_kernel)"; pass=$((pass + 1));
    else echo "FAIL the guest library names kernel symbols: $(echo $stray)"; fail=$((fail + 1)); fi
else
    echo "FAIL no guest library objects in $build/guest (build first)"; fail=$((fail + 1))
fi

echo "boundaries: $pass passed, $fail failed"
[ "$fail" = 0 ]
