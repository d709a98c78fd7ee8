#!/usr/bin/env bash
# Boot tests of the hypervisor and the mini guest under QEMU.
exec "$(dirname "$0")/../boot/run-boot-tests.sh"
