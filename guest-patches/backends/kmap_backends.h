/* The backends and what they need from the kernel. */
#ifndef KMAP_BACKENDS_H
#define KMAP_BACKENDS_H

#include <stdint.h>
#include "../include/kmap_local.h"

extern const struct kmap_local_backend kmap_backend_pv;
extern const struct kmap_local_backend kmap_backend_xen;
extern const struct kmap_local_backend kmap_backend_pv_cached;
extern const struct kmap_local_backend kmap_backend_native;

/* PV kernels: the machine frame behind a pseudo-physical one, and the CPU. */
uint32_t kmap_pv_pfn_to_mfn(uint32_t pfn);
unsigned kmap_pv_cpu(void);
/* Native kernels: the window PTE of slot on this CPU. */
uint64_t *kmap_native_pte(unsigned slot);
void kmap_native_flush(uintptr_t va); /* invlpg on x86 */

#endif
