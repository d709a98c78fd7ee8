/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdlib.h>
#include "unit.h"

int main(void)
{
    SRunner *sr = srunner_create(lib_suite());
    srunner_add_suite(sr, frame_alloc_suite());
    srunner_add_suite(sr, elf32_suite());
    srunner_add_suite(sr, event_suite());
    srunner_add_suite(sr, runq_suite());
    srunner_add_suite(sr, window_suite());
    srunner_add_suite(sr, guest_lib_suite());
    srunner_add_suite(sr, pv_suite());
    srunner_add_suite(sr, pv_hostile_suite());
    srunner_add_suite(sr, rings_suite());
    srunner_add_suite(sr, xen_ops_suite());
    srunner_add_suite(sr, pv_mmu_suite());
    srunner_add_suite(sr, pv_desc_suite());
    srunner_add_suite(sr, pv_held_suite());
    srunner_add_suite(sr, pv_ptwr_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
