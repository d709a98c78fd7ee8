/* The x86-64 side of running a 32-bit PV guest. */
#ifndef ARCH_GUEST_H
#define ARCH_GUEST_H

#include "../../hypervisor/domain.h"

/* guest_mem.c: guest virtual memory, through the vCPU's own page tables
 * (walked in software, so a bad pointer is an error, never a fault). */
int copy_from_guest(struct vcpu *v, void *dst, uint32_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint32_t gva, const void *src, size_t len);
/* Machine address behind gva, or 0 when not mapped (writable if asked). */
uint64_t guest_translate(struct vcpu *v, uint32_t gva, bool write);

/* guest_pt.c */
int guest_pt_build(struct domain *d, struct vcpu *v, uint64_t *next_pt_pfn);
extern const struct kmap_env kmap_env_template;
void vcpu_kmap_env(struct vcpu *v, struct kmap_env *env);

/* guest_trap.c */
bool guest_bounce(struct vcpu *v, unsigned vector, bool has_error, uint32_t error_code);
void guest_deliver_upcall(struct vcpu *v);
long guest_iret(struct vcpu *v);
void vcpu_load(struct pcpu *p, struct vcpu *v);
void vcpu_save(struct pcpu *p, struct vcpu *v);

#endif
