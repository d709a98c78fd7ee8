#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The layering rules of docs/architecture.md hold for the tree; and the
# check can fail: a copy of the tree with one forbidden include per rule
# must be refused, rule by rule.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }

if out=$("$top/tests/boundaries/check.sh" "$top" "$build"); then ok "the tree keeps its boundaries"; else ko "the tree breaks a boundary"; fi
echo "$out" | grep -E '^(PASS|FAIL|    )' | sed 's/^/  /'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$top"/{hypervisor,arch,include,lib,guest,guest-patches,tests,tools} "$tmp"/
echo '#include "../arch/x86_64/cpu.h"' >>"$tmp/hypervisor/event.c"
echo '#include <asm/mmu.h>' >>"$tmp/hypervisor/window.c"
echo '#include "sched.h"' >>"$tmp/guest-patches/lib/kmap_local.c"
echo '#include "hypervisor/domain.h"' >>"$tmp/lib/parse.c"
bad=$("$tmp/tests/boundaries/check.sh" "$tmp" "$build")
for rule in "includes by ../" "hypervisor/ sees the arch only" "guest-patches/ builds on its own" "lib/ depends on nothing"; do
    if echo "$bad" | grep -q "^FAIL $rule"; then ok "an injected violation is caught: $rule"; else ko "not caught: $rule"; fi
done
echo "boundaries: $pass passed, $fail failed"
[ "$fail" = 0 ]
