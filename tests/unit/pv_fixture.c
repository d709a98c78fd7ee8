/* SPDX-License-Identifier: GPL-2.0-only */
#include "unit.h"
#include "pv_fixture.h"

#ifndef KMV_BUILD_DIR
#define KMV_BUILD_DIR "build"
#endif

struct domain dom;
struct vcpu *v0, *v1;

void build(const char *hv_cmdline)
{
    char why[160];
    fake_machine_init(128);
    int r = fake_domain_build(&dom, KMV_BUILD_DIR "/guest.elf", hv_cmdline, "test=none", why, sizeof(why));
    ck_assert_msg(r == 0, "domain build: %s", why);
    v0 = &dom.vcpu[0];
    v1 = &dom.vcpu[1];
    fake_map_lowmem(v0); /* as the guest's boot does */
}

void *g(uint32_t gva) { return fake_guest_ptr(v0, gva, true); }
uint32_t highmem_mfn(unsigned i) { return dom.arch->p2m[dom.arch->lowmem_pages + i]; }
