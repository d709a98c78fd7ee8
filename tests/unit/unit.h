/* SPDX-License-Identifier: GPL-2.0-only */
/* Suites of the host unit tests (Check). */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H
#include <check.h>
Suite *lib_suite(void);
Suite *frame_alloc_suite(void);
Suite *elf32_suite(void);
Suite *event_suite(void);
Suite *runq_suite(void);
Suite *window_suite(void);
Suite *guest_lib_suite(void);
Suite *pv_suite(void);
Suite *pv_hostile_suite(void);
Suite *rings_suite(void);
Suite *xen_ops_suite(void);
Suite *pv_mmu_suite(void);
Suite *pv_desc_suite(void);
Suite *pv_held_suite(void);
Suite *pv_ptwr_suite(void);
#endif
