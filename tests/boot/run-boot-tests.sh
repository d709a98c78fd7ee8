#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Run the boot tests in boot-tests.txt (and the image/option tests below)
# under every accelerator that can run a guest here: KVM when it can,
# and TCG always.  Prints one line per test, and "N passed, M failed,
# K skipped" last.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
kmv=$build/kmapvisor
guest=$build/guest.elf
logs=$build/test-logs
mkdir -p "$logs"
pass=0 fail=0 skip=0
only=${1:-}

say() { printf '%-8s %s\n' "$1" "$2"; }

# Can KVM run our guest here?  A one-vCPU boot tells; its reason is kept.
accels=(tcg)
kvm_note=""
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    if "$kmv" run --accel kvm --vcpus 1 --pcpus 1 --quiet --timeout 60 "$guest" -- test=boot >"$logs/kvm-probe.log" 2>&1; then
        accels=(kvm tcg)
    else
        kvm_note=$(grep -m1 -o 'KVM cannot run this guest.*' "$logs/kvm-probe.log" || echo "KVM boot failed")
    fi
else
    kvm_note="/dev/kvm not available"
fi
[ -n "$kvm_note" ] && echo "note: KVM tests skipped: $kvm_note"

run_case() { # name accel expected_exit regex -- kmapvisor args...
    local name=$1 accel=$2 want=$3 regex=$4
    shift 5
    local log="$logs/$name.$accel.log"
    "$kmv" run --accel "$accel" "$@" >"$log" 2>&1
    local got=$?
    if [ "$got" = "$want" ] && grep -Eq -- "$regex" "$log"; then
        say PASS "$name [$accel]"
        pass=$((pass + 1))
    else
        say FAIL "$name [$accel]: exit $got (want $want), text '$regex' $(grep -Eq -- "$regex" "$log" && echo found || echo missing); log $log"
        tail -5 "$log" | sed 's/^/    | /'
        fail=$((fail + 1))
    fi
}

# The hostile suite (tests/boot/hostile-tests.txt, docs/security.md) runs
# too (HOSTILE=0 leaves it out); alone: tests/boot/run-boot-tests.sh 'hostile-*'.
test_files=("$top/tests/boot/boot-tests.txt")
[ "${HOSTILE:-1}" = 1 ] && test_files+=("$top/tests/boot/hostile-tests.txt")
while IFS='|' read -r name opts args want regex; do
    [[ "$name" =~ ^[[:space:]]*(#|$) ]] && continue
    name=$(echo "$name" | xargs)
    [ -n "$only" ] && [[ "$name" != $only ]] && continue
    opts=$(echo "$opts" | xargs); args=$(echo "$args" | xargs); want=$(echo "$want" | xargs)
    regex=$(echo "$regex" | sed 's/^ *//; s/ *$//')
    for a in "${accels[@]}"; do
        # shellcheck disable=SC2086
        g=$guest o=""
        [[ " $opts " == *" --native "* ]] && g=$build/guest-native.elf
        for w in $opts; do  # @IMAGE in the options: boot build/IMAGE instead
            if [[ $w == @* ]]; then g=$build/${w#@}; else o="$o $w"; fi
        done
        run_case "$name" "$a" "$want" "$regex" -- $o "$g" -- $args
    done
    if [ -n "$kvm_note" ]; then skip=$((skip + 1)); fi
done < <(cat "${test_files[@]}")

# The deliberately broken replay (incoming entries pushed before the
# outgoing ones are popped) must be caught by the stress workload.
if [ -z "$only" ] || [[ "broken-replay" == $only ]]; then
    for a in "${accels[@]}"; do
        run_case "broken-replay-caught" "$a" 1 "VERIFICATION ERROR|kmap_local: .*(overflow|refused|out of order)" -- \
            --vcpus 2 --pcpus 2 --timeout 60 "$build/guest-broken.elf" -- workload=stress duration=3000
        run_case "broken-replay-caught-sstep" "$a" 1 "VERIFICATION ERROR|kmap_local: .*(overflow|refused|out of order)" -- \
            --vcpus 2 --pcpus 2 --single-step --timeout 60 "$build/guest-broken.elf" -- workload=stress duration=3000
    done
fi

# A module (initrd) reaches the guest whole, where start_info says.
if [ -z "$only" ] || [[ "initrd" == $only ]]; then
    mkdir -p "$build/initrd"
    head -c 300001 /dev/urandom >"$build/initrd/blob"
    fnv=$(python3 -c 'import sys
h = 2166136261
for b in open(sys.argv[1], "rb").read(): h = ((h ^ b) * 16777619) & 0xffffffff
print("%08x" % h)' "$build/initrd/blob")
    for a in "${accels[@]}"; do
        run_case "initrd" "$a" 0 "initrd: 300001 bytes at 0x[0-9a-f]+, fnv1a $fnv" -- \
            --vcpus 1 --initrd "$build/initrd/blob" "$guest" -- test=initrd
    done
fi

# Malformed guest images: a clear error and exit 6, never a hang.
if [ -z "$only" ] || [[ "bad-image" == $only ]]; then
    bad=$build/bad-images
    mkdir -p "$bad"
    head -c 3000 /dev/urandom >"$bad/random.bin"
    head -c 100 "$guest" >"$bad/truncated.elf"
    cp "$build/kmapvisor.elf" "$bad/elf64.elf"
    python3 - "$guest" "$bad/badentry.elf" <<'PY'
import sys, struct
d = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('<I', d, 24, 0x1000)  # e_entry outside every segment
note = d.find(struct.pack('<III', 4, 4, 1) + b'Xen\0')  # and XEN_ELFNOTE_ENTRY, which overrides it
if note >= 0:
    struct.pack_into('<I', d, note + 16, 0x1000)
open(sys.argv[2], 'wb').write(d)
PY
    for case in "random.bin:bad magic" "truncated.elf:outside the image" "elf64.elf:not a 32-bit ELF" "badentry.elf:entry point 0x1000"; do
        f=${case%%:*} msg=${case#*:}
        run_case "bad-image-$f" tcg 6 "cannot build domain 0: .*$msg" -- --vcpus 1 --timeout 30 "$bad/$f"
    done
fi

# The runner rejects bad options with one line and exit 2.
if [ -z "$only" ] || [[ "bad-options" == $only ]]; then
    for case in "--initrd a,b" "--hv-opt nokey" "--vcpus 0" "--vcpus x" "--mem 12Q" "--lowmem 3M" "--accel xen" "--kmap-policy maybe" "--slots 999" "--bogus"; do
        out=$("$kmv" run $case "$guest" 2>&1); got=$?
        if [ "$got" = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && [[ "$out" == kmapvisor:* ]]; then
            say PASS "bad-option '$case'"
            pass=$((pass + 1))
        else
            say FAIL "bad-option '$case': exit $got, output: $out"
            fail=$((fail + 1))
        fi
    done
fi

# --mem is checked against the host's RAM before QEMU starts: a host of
# 8 GiB (a fake /proc/meminfo) refuses 16G with a message that says so,
# and takes 7G.
if [ -z "$only" ] || [[ "host-memory" == $only ]]; then
    fake_meminfo=$(mktemp)
    printf 'MemTotal:        8388608 kB\nMemFree:         8000000 kB\n' > "$fake_meminfo"
    out=$(KMV_MEMINFO=$fake_meminfo "$kmv" run --mem 16G --timeout 1 "$guest" 2>&1); got=$?
    if [ "$got" = 2 ] && [[ "$out" == *"--mem 16384M needs about 17024 MiB of host RAM"*"this host has 8192 MiB"* ]]; then
        say PASS "host-memory: --mem 16G refused on an 8 GiB host"
        pass=$((pass + 1))
    else
        say FAIL "host-memory: --mem 16G on an 8 GiB host: exit $got, output: $out"
        fail=$((fail + 1))
    fi
    out=$(KMV_MEMINFO=$fake_meminfo "$kmv" run --mem 7G --vcpus 1 --quiet --timeout 60 "$guest" -- test=boot 2>&1); got=$?
    if [ "$got" = 0 ]; then
        say PASS "host-memory: --mem 7G boots on an 8 GiB host"
        pass=$((pass + 1))
    else
        say FAIL "host-memory: --mem 7G on an 8 GiB host: exit $got, output: $(printf '%s\n' "$out" | tail -2)"
        fail=$((fail + 1))
    fi
    rm -f "$fake_meminfo"
fi

echo "boot: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
