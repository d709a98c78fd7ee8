#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Layer 1 of the replay proof: every interrupt/NMI position, on the host.
exec "${BUILD:-$(dirname "$0")/../../build}/interleave"
