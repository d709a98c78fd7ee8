#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what kmapvisor needs from Debian, only when something is missing.
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd gcc || need+=(gcc)
have_cmd make || need+=(make)
have_cmd ld || need+=(binutils)
have_cmd qemu-system-x86_64 || need+=(qemu-system-x86)
have_cmd pkg-config || need+=(pkg-config)
have_cmd spin || need+=(spin)
have_cmd python3 || need+=(python3)
have_cmd clang || need+=(clang)
# libFuzzer's runtime (the hypercall fuzzer)
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need+=(libclang-rt-dev)
[ -f /usr/include/xen/xen.h ] || need+=(libxen-dev)
pkg-config --exists check 2>/dev/null || need+=(check)
# GRUB's Xen PV port, a real client of the boot tests: grub-mkimage and its
# i386-xen modules, and Debian's prebuilt grub-i386-xen.bin
{ have_cmd grub-mkimage && [ -d /usr/lib/grub/i386-xen ]; } || need+=(grub-xen-bin)
[ -f /usr/lib/grub-xen/grub-i386-xen.bin ] || need+=(grub-xen-host)
# No gcc-multilib: the guests are freestanding and link with -nostdlib (no
# libgcc), and 32-bit user code is built with i686-linux-gnu-gcc; Debian
# 12's cross compilers (tools/linux-check.sh) conflict with gcc-multilib.

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "kmapvisor: missing packages: ${need[*]} (run as root, or: apt-get install ${need[*]})" >&2
    exit 1
fi
echo "kmapvisor: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
