/* SPDX-License-Identifier: GPL-2.0-only */
/* The early compat-mode probe (see probe.S). */
#include "arch.h"

#define PROBE_PHYS 0x7000  /* a free page below 1 MiB, identity-mapped by boot.S */

extern char probe_stub[], probe_stub_end[];
extern uint64_t probe_saved_rsp;
int probe_compat_ring1(uint32_t eip, uint32_t esp);
_Noreturn void probe_resume(void);
volatile bool probe_active;

/* The probe's trap lands here, not on the stack we are running on. */
static uint8_t probe_stack[4096] __attribute__((aligned(16)));

bool probe_guest_mode(void)
{
    struct pcpu *p = this_pcpu();
    uint64_t rsp0 = p->tss.rsp[0];
    p->tss.rsp[0] = (uint64_t)(probe_stack + sizeof(probe_stack));
    /* Identity-mapped through boot_pml4, still in CR3 here. */
    uint8_t *page = (uint8_t *)(uint64_t)PROBE_PHYS;
    memcpy(page, probe_stub, probe_stub_end - probe_stub);
    probe_active = true;
    int ok = probe_compat_ring1(PROBE_PHYS, PROBE_PHYS + PAGE_SIZE);
    probe_active = false;
    p->tss.rsp[0] = rsp0;
    return ok == 1;
}
