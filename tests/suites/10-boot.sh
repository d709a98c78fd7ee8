#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot tests of the hypervisor and the mini guest under QEMU.
exec "$(dirname "$0")/../boot/run-boot-tests.sh"
