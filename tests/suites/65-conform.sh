#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The portable kmap_local library and its conformance suite, cross-built
# for i386, ARM, MIPS, PowerPC and SPARC32 and run under qemu-user (ARC
# built only), at level 1 (small depths, an NMI at every step of every
# switch); make linux-check runs level 2 (every depth).  About 10 s.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tools/kmap-conform.sh" --level 1
