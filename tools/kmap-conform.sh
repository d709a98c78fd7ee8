#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kmap-conform.sh: cross-build the portable kmap_local library
# (guest-patches/lib, the arch table, the native backend) with its
# conformance suite (tests/conform) for each 32-bit highmem architecture
# that Debian has a cross compiler for, and run it under qemu-user.
#
#   tools/kmap-conform.sh [--level 1|2] [--only i386,arm,...]
#
# Level 1 (make check) sweeps small depths, level 2 (make linux-check)
# every depth up to the slot limit.  Each arch also runs a build of the
# suite with a backend that forgets its TLB flushes, which must FAIL.
# ARC is built only (Debian has no qemu-arc).  The suite needs no libc
# (tests/conform/nolibc.c: entry and two system calls; strings and
# vsnprintf from lib/), so SPARC32 runs too, built by the sparc64
# compiler with -m32.  The last line is "N passed, M failed[, K skipped]".
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
LEVEL=1
ONLY=
while [ $# -gt 0 ]; do
	case "$1" in
	--level) LEVEL=$2; shift ;;
	--only) ONLY=$2; shift ;;
	*) echo "kmap-conform: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
OUT=${KMV_CONFORM_OUT:-$REPO/build/conform}
mkdir -p "$OUT"

# name | compiler | extra flags | library-arch | qemu-user binary | Debian packages
TARGETS="i386|i686-linux-gnu-gcc||x86-32|qemu-i386|gcc-i686-linux-gnu
arm|arm-linux-gnueabihf-gcc||arm|qemu-arm|gcc-arm-linux-gnueabihf
mips|mips-linux-gnu-gcc|-mno-abicalls -G0|mips|qemu-mips|gcc-mips-linux-gnu
ppc|powerpc-linux-gnu-gcc|-G0|powerpc|qemu-ppc|gcc-powerpc-linux-gnu
sparc32|sparc64-linux-gnu-gcc|-m32 -mcpu=v8|sparc32|qemu-sparc|gcc-sparc64-linux-gnu
arc|arc-linux-gnu-gcc||arc||gcc-arc-linux-gnu"

PASSED=0 FAILED=0 SKIPPED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS  $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP  $*"; }

# install_pkgs, install_error, missing_tool_verdict: a tool the project
# installs and cannot find is a FAIL in CI (CI=true), with apt's reason.
# shellcheck source=tools/install-pkgs.sh
. "$REPO/tools/install-pkgs.sh"
missing() { # WHAT PKG
	local why
	why=$(install_error "$2")
	"$(missing_tool_verdict)" "$1 (${why:-$2 not installed})"
}

need=()
while IFS='|' read -r name cc flags larch qemu pkg; do
	command -v "$cc" >/dev/null || need+=("$pkg")
done <<< "$TARGETS"
command -v qemu-arm >/dev/null || need+=(qemu-user)
[ ${#need[@]} -eq 0 ] || install_pkgs "${need[@]}"

SRC=(tests/conform/kmap_conform.c tests/conform/nolibc.c lib/string.c lib/format.c
     guest-patches/lib/kmap_local.c guest-patches/arch/arches.c guest-patches/backends/native.c)
CFLAGS=(-static -nostdlib -ffreestanding -fno-pic -fno-builtin -O2 -Wall -Wextra -Werror
	-std=gnu11 -Iguest-patches/include -Iinclude -Ilib -Iguest-patches/linux/init -Dkmap_step_hook=conform_step
	-include tests/conform/step.h -e _start)

cd "$REPO" || exit 1
while IFS='|' read -r name cc flags larch qemu pkg; do
	if [ -n "$ONLY" ]; then
		case ",$ONLY," in *",$name,"*) ;; *) continue ;; esac
	fi
	if ! command -v "$cc" >/dev/null; then
		missing "$name: no $cc" "$pkg"
		continue
	fi
	libgcc=()
	# The sparc64 compiler has no 32-bit libgcc; the suite needs none there.
	[ "$name" = sparc32 ] || libgcc=(-lgcc)
	bin=$OUT/conform-$name log=$OUT/conform-$name.log
	t0=$(date +%s%N)
	# shellcheck disable=SC2086 # flags is a list of options
	if ! "$cc" "${CFLAGS[@]}" $flags -DKMV_CONFORM_ARCH="\"$larch\"" -DKMV_CONFORM_LEVEL="$LEVEL" \
		-o "$bin" "${SRC[@]}" "${libgcc[@]}" > "$log" 2>&1 ||
	   ! "$cc" "${CFLAGS[@]}" $flags -DKMV_CONFORM_ARCH="\"$larch\"" -DKMV_CONFORM_BREAK=1 \
		-o "$bin-broken" "${SRC[@]}" "${libgcc[@]}" >> "$log" 2>&1; then
		fail "$name: build ($cc; log $log)"
		head -5 "$log"
		continue
	fi
	if [ -z "$qemu" ]; then
		pass "$name: library and suite build ($cc); not run: Debian has no qemu-user for it"
		continue
	fi
	if ! command -v "$qemu" >/dev/null; then
		missing "$name: no $qemu" qemu-user
		continue
	fi
	"$qemu" "$bin" > "$log" 2>&1
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	line=$(tail -1 "$log")
	if [ $rc = 0 ] && echo "$line" | grep -q ' 0 failed$'; then
		sw=$(grep -o '[0-9]* switches' "$log" | awk '{n += $1} END {print n + 0}')
		pass "$name ($qemu, level $LEVEL, ${ms} ms with the build): ${line#conform }, $sw switches with an NMI at a step; $(head -1 "$log" | sed 's/.*: //')"
	else
		fail "$name ($qemu): exit $rc; $line (log $log)"
		grep FAIL "$log" | head -5
	fi
	"$qemu" "$bin-broken" > "$log.broken" 2>&1
	if [ $? != 0 ] && grep -q '^FAIL' "$log.broken"; then
		pass "$name: a backend without TLB flushes FAILs, as it must"
	else
		fail "$name: a backend without TLB flushes passed (log $log.broken)"
	fi
done <<< "$TARGETS"
line="$PASSED passed, $FAILED failed"
[ $SKIPPED -gt 0 ] && line="$line, $SKIPPED skipped"
echo "$line"
[ $FAILED = 0 ]
