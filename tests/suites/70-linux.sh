#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Linux guest series' CI subset (make linux-check runs all of it): the
# series applies to Debian's linux-source-6.1, the objects it touches
# compile for MIPS, PowerPC, SPARC32 and ARC, and i386 (HIGHMEM4G, the
# paravirt hooks on) and ARM (-M virt) build and boot with the kmap_local
# test, which must PASS.  Builds are cached outside the clone (under
# /var/cache/kmapvisor-linux), so a warm run takes about a minute and a
# cold one (unpack, copy, two small kernels) about 15 minutes on 2 cores
# (guest-patches/linux/README.md has the figures).
# KMV_SKIP_LINUX=1 skips it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${KMV_SKIP_LINUX:-0}" = 1 ]; then
    echo "linux: skipped (KMV_SKIP_LINUX=1)"
    echo "linux: 0 passed, 0 failed, 1 skipped"
    exit 0
fi
"$top/tools/linux-check.sh" --quick
