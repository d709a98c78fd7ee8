/* SPDX-License-Identifier: GPL-2.0-only */
/* ACPI: just enough to find the CPUs (MADT local APIC entries). */
#include "arch.h"

struct sdt_header {
    char sig[4];
    uint32_t length;
    uint8_t rev, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static bool checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

static const uint8_t *find_rsdp_in(uint64_t start, uint64_t len)
{
    for (uint64_t pa = start; pa < start + len; pa += 16) {
        const uint8_t *p = phys_to_virt(pa);
        if (!memcmp(p, "RSD PTR ", 8) && checksum_ok(p, 20))
            return p;
    }
    return NULL;
}

unsigned acpi_find_cpus(uint32_t *apic_ids, unsigned max)
{
    uint64_t ebda = (uint64_t)*(uint16_t *)phys_to_virt(0x40e) << 4;
    const uint8_t *rsdp = ebda ? find_rsdp_in(ebda, 1024) : NULL;
    if (!rsdp)
        rsdp = find_rsdp_in(0xe0000, 0x20000);
    if (!rsdp)
        return 0;
    bool xsdt = rsdp[15] >= 2 && *(const uint64_t *)(rsdp + 24);
    uint64_t root_pa = xsdt ? *(const uint64_t *)(rsdp + 24) : *(const uint32_t *)(rsdp + 16);
    const struct sdt_header *root = phys_to_virt(root_pa);
    unsigned entry_size = xsdt ? 8 : 4;
    unsigned n = (root->length - sizeof(*root)) / entry_size;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (unsigned i = 0; i < n; i++) {
        uint64_t pa = xsdt ? *(const uint64_t *)(entries + i * 8) : *(const uint32_t *)(entries + i * 4);
        const struct sdt_header *h = phys_to_virt(pa);
        if (memcmp(h->sig, "APIC", 4))
            continue;
        unsigned count = 0;
        const uint8_t *p = (const uint8_t *)h + 44, *end = (const uint8_t *)h + h->length;
        while (p + 2 <= end && p[1] >= 2) {
            /* type 0: processor local APIC {uid, apic id, flags} */
            if (p[0] == 0 && (*(const uint32_t *)(p + 4) & 1) && count < max)
                apic_ids[count++] = p[3];
            p += p[1];
        }
        return count;
    }
    return 0;
}
