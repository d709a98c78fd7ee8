/* SPDX-License-Identifier: GPL-2.0-only */
void harness_step(const char *what);
