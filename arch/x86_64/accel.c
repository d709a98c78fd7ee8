/* SPDX-License-Identifier: GPL-2.0-only */
/* Which accelerator runs us: the hypervisor CPUID leaf says. */
#include "arch.h"
#include <kmapvisor/abi.h>

unsigned detect_accel(void)
{
    uint32_t a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & (1u << 31)))
        return KMV_ACCEL_UNKNOWN;
    cpuid(0x40000000, 0, &a, &b, &c, &d);
    char sig[13];
    memcpy(sig, &b, 4);
    memcpy(sig + 4, &c, 4);
    memcpy(sig + 8, &d, 4);
    sig[12] = '\0';
    if (!memcmp(sig, "KVMKVMKVM", 9))
        return KMV_ACCEL_KVM;
    if (!memcmp(sig, "TCGTCGTCGTCG", 12))
        return KMV_ACCEL_TCG;
    return KMV_ACCEL_UNKNOWN;
}
