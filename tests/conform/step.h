/* SPDX-License-Identifier: GPL-2.0-only */
void conform_step(const char *what);
