/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line parsing shared by the kmapvisor subcommands. */
#ifndef TOOLS_OPTIONS_H
#define TOOLS_OPTIONS_H

#include "qemu_runner.h"

/* Parse a size like 512M / 1G / 65536K / 4096; false on garbage. */
bool parse_size_arg(const char *s, uint64_t *out);
/* Parse a whole unsigned number in [lo, hi]. */
bool parse_uint_arg(const char *s, unsigned lo, unsigned hi, unsigned *out);
/* Fill cfg with defaults. */
void run_config_defaults(struct run_config *cfg);
/* Check the combination; on error print one line and return false. */
bool run_config_check(struct run_config *cfg);
/* Find the build's hypervisor and guest when not given. */
const char *default_hypervisor(void);
const char *default_guest(void);
const char *default_native_guest(void);
const char *default_bench_dir(void);

#endif
