#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The verdicts of tools/linux-check.sh, on recorded console logs (logs/,
# cut down to the lines the harness reads) with the boot stubbed out: a
# timer-only FAIL on a board that loses timers is booted once more, any
# other FAIL is a FAIL, and an unsafe kernel that hit the slot check and
# then hung counts as the expected FAIL.  Each case checks the PASS/FAIL
# line and how many boots were made.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/linux-judge/logs
# shellcheck source=/dev/null
. "$top/tools/linux-check.sh"
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
BUILD_SECS=1

# The stub: boot k of a case "boots" the k-th log of SEQ, dead or not.
SEQ=() DEAD=0 BOOTS=0
boot_kernel() {
	BOOT_LOG=$LOGS/boot-$1-$2${BOOT_RUN:+.$BOOT_RUN}.log
	cp "$here/${SEQ[$BOOTS]}" "$BOOT_LOG"
	BOOTS=$((BOOTS + 1))
	BOOT_DEAD=$DEAD BOOT_HUNG=0 BOOT_SECS=5
}

ok=0 bad=0
# check NAME CONFIG EXPECT WANT-VERDICT WANT-BOOTS WANT-TEXT LOG...
check() {
	local name=$1 cfg=$2 expect=$3 want=$4 wboots=$5 text=$6 line
	shift 6
	SEQ=("$@") BOOTS=0 PASSED=0 FAILED=0
	boot_and_judge patched "$cfg" "$expect" 1 > "$LOGS/out"
	line=$(head -1 "$LOGS/out")
	if [[ $line == "$want "* ]] && [ "$BOOTS" = "$wboots" ] && [[ $line == *"$text"* ]]; then
		ok=$((ok + 1)); echo "PASS  $name"
	else
		bad=$((bad + 1)); echo "FAIL  $name: got '$line' after $BOOTS boot(s); want $want, $wboots boot(s), '$text'"
	fi
}

DEAD=0
check "timer-only FAIL on sparc32, then a PASS: PASS, booted again" sparc32 PASS PASS 2 "booted again" timer-only.log pass.log
check "timer-only FAIL twice on sparc32: FAIL" sparc32 PASS FAIL 2 "booted again" timer-only.log timer-only.log
check "timer and pattern errors on sparc32: FAIL, no second boot" sparc32 PASS FAIL 1 "expected PASS" timer-and-pattern.log pass.log
check "timer-only FAIL on ppc (its timers are not known lost): FAIL" ppc PASS FAIL 1 "expected PASS" timer-only.log pass.log
check "timer-only FAIL on mips: PASS, booted again" mips PASS PASS 2 "booted again" timer-only.log pass.log
check "a PASS where the unsafe kernel must FAIL: FAIL" sparc32 FAIL FAIL 1 "expected FAIL" pass.log
DEAD=1
check "unsafe: kernel BUG in mm/highmem.c, then the board hung: FAIL as expected" sparc32 FAIL PASS 1 "kernel BUG at mm/highmem.c:625" bug-then-hang.log
check "unsafe: the board hung with no BUG: FAIL" sparc32 FAIL FAIL 1 "no power-off" hang-no-bug.log
check "patched: kernel BUG, then the board hung: FAIL" sparc32 PASS FAIL 1 "no power-off" bug-then-hang.log
echo "$ok passed, $bad failed"
[ "$bad" = 0 ]
