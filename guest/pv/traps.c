/* SPDX-License-Identifier: GPL-2.0-only */
/* Exception handling: the trap table and the handlers behind it. */
#include "pv.h"

#define E(n) extern char exc_##n[];
E(0) E(1) E(3) E(4) E(5) E(6) E(7) E(10) E(11) E(12) E(13) E(14) E(16) E(17) E(19)
extern char upcall_entry[];

static trap_info_t trap_table[] = {
    { 0, 0, FLAT_RING1_CS, (unsigned long)exc_0 },
    { 1, 0, FLAT_RING1_CS, (unsigned long)exc_1 },
    { 3, 3, FLAT_RING1_CS, (unsigned long)exc_3 },
    { 4, 3, FLAT_RING1_CS, (unsigned long)exc_4 },
    { 5, 0, FLAT_RING1_CS, (unsigned long)exc_5 },
    { 6, 0, FLAT_RING1_CS, (unsigned long)exc_6 },
    { 7, 0, FLAT_RING1_CS, (unsigned long)exc_7 },
    { 10, 0, FLAT_RING1_CS, (unsigned long)exc_10 },
    { 11, 0, FLAT_RING1_CS, (unsigned long)exc_11 },
    { 12, 0, FLAT_RING1_CS, (unsigned long)exc_12 },
    { 13, 0, FLAT_RING1_CS, (unsigned long)exc_13 },
    /* #PF with events masked (flag 4), as Linux does: cr2 must be read
     * before another fault can overwrite it. */
    { 14, 4, FLAT_RING1_CS, (unsigned long)exc_14 },
    { 16, 0, FLAT_RING1_CS, (unsigned long)exc_16 },
    { 17, 0, FLAT_RING1_CS, (unsigned long)exc_17 },
    { 19, 0, FLAT_RING1_CS, (unsigned long)exc_19 },
    { 0, 0, 0, 0 },
};

/* A fixup: a fault at eip resumes at fixup_eip (used by tests). */
static volatile uint32_t fixup_from, fixup_to;
volatile unsigned long page_faults_fixed;

void set_fault_fixup(uint32_t from, uint32_t to)
{
    fixup_from = from;
    fixup_to = to;
}

void exception_handler(struct exc_frame *f);
void exception_handler(struct exc_frame *f)
{
    if (f->vector == 14 && fixup_from && f->eip == fixup_from) {
        f->eip = fixup_to;
        page_faults_fixed++;
        return;
    }
    if (f->vector == 14) {
        irq_enter(); /* a fault handler's mappings are not the task's */
        bool handled = page_fault_hook(f);
        irq_leave();
        if (handled)
            return;
    }
    printk("guest: unhandled exception %u (error %x) at eip %x, cr2 %x\n", f->vector, f->error,
           f->eip, (unsigned)plat_fault_address());
    plat_shutdown(false);
}

uint32_t plat_fault_address(void)
{
    return shared->vcpu_info[smp_processor_id()].arch.cr2;
}

void plat_traps_init(void)
{
    long r = HYPERVISOR_set_trap_table(trap_table);
    if (r)
        guest_panic("set_trap_table: %ld", r);
    r = HYPERVISOR_set_callbacks(FLAT_RING1_CS, upcall_entry, FLAT_RING1_CS, upcall_entry);
    if (r)
        guest_panic("set_callbacks: %ld", r);
}
