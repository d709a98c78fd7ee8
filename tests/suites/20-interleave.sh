#!/usr/bin/env bash
# Layer 1 of the replay proof: every interrupt/NMI position, on the host.
exec "${BUILD:-$(dirname "$0")/../../build}/interleave"
