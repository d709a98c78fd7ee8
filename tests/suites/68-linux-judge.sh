#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# How tools/linux-check.sh judges a boot, on recorded console logs with the
# boot stubbed out (no kernel, no QEMU; a second).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tests/linux-judge/judge-test.sh"
