/* SPDX-License-Identifier: GPL-2.0-only */
#include "frame_alloc.h"

static bool test_bit(const uint64_t *bm, uint64_t i) { return bm[i / 64] >> (i % 64) & 1; }
static void set_bit(uint64_t *bm, uint64_t i) { bm[i / 64] |= 1ull << (i % 64); }
static void clear_bit(uint64_t *bm, uint64_t i) { bm[i / 64] &= ~(1ull << (i % 64)); }

/* No libgcc in the hypervisor: count bits by hand. */
static unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

void fa_init(struct frame_allocator *fa, uint64_t *bitmap, uint64_t nframes)
{
    fa->bitmap = bitmap;
    fa->nframes = nframes;
    fa->nfree = 0;
    fa->next = 0;
    for (uint64_t i = 0; i < (nframes + 63) / 64; i++)
        bitmap[i] = ~0ull;
}

/* Set (used) or clear (free) the bits of [pfn, pfn + count), a word at
 * a time where whole words are covered; keeps nfree exact. */
static void set_range(struct frame_allocator *fa, uint64_t pfn, uint64_t count, bool used)
{
    uint64_t end = MIN(pfn + count, fa->nframes);
    uint64_t i = pfn;
    while (i < end) {
        if (i % 64 == 0 && end - i >= 64) {
            uint64_t *w = &fa->bitmap[i / 64];
            unsigned in_use = (unsigned)popcount64(*w);
            fa->nfree += used ? -(uint64_t)(64 - in_use) : (uint64_t)in_use;
            *w = used ? ~0ull : 0;
            i += 64;
            continue;
        }
        if (used && !test_bit(fa->bitmap, i)) {
            set_bit(fa->bitmap, i);
            fa->nfree--;
        } else if (!used && test_bit(fa->bitmap, i)) {
            clear_bit(fa->bitmap, i);
            fa->nfree++;
        }
        i++;
    }
}

void fa_add_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count)
{
    set_range(fa, pfn, count, false);
}

void fa_reserve(struct frame_allocator *fa, uint64_t pfn, uint64_t count)
{
    set_range(fa, pfn, count, true);
}

bool fa_is_free(const struct frame_allocator *fa, uint64_t pfn)
{
    return pfn < fa->nframes && !test_bit(fa->bitmap, pfn);
}

int64_t fa_alloc(struct frame_allocator *fa, uint64_t count, uint64_t align)
{
    if (count == 0 || align == 0 || (align & (align - 1)))
        return -1;
    uint64_t start = 0;
    while (start + count <= fa->nframes) {
        /* Skip fully used words quickly. */
        if (start % 64 == 0 && fa->bitmap[start / 64] == ~0ull) {
            start = ALIGN_UP(start + 64, align);
            continue;
        }
        uint64_t run = 0;
        while (run < count && !test_bit(fa->bitmap, start + run))
            run++;
        if (run == count) {
            fa_reserve(fa, start, count);
            fa->next = start + count; /* fa_alloc_run continues from here */
            return (int64_t)start;
        }
        /* Skip past the used frame, to the next aligned start. */
        start = ALIGN_UP(start + run + 1, align);
    }
    return -1;
}

int64_t fa_alloc_run(struct frame_allocator *fa, uint64_t max, uint64_t *got)
{
    for (unsigned pass = 0; pass < 2 && max; pass++) {
        uint64_t i = pass ? 0 : fa->next;
        while (i < fa->nframes) {
            if (i % 64 == 0 && fa->bitmap[i / 64] == ~0ull) {
                i += 64;
                continue;
            }
            if (test_bit(fa->bitmap, i)) {
                i++;
                continue;
            }
            uint64_t run = 0;
            while (run < max && i + run < fa->nframes && !test_bit(fa->bitmap, i + run))
                run++;
            fa_reserve(fa, i, run);
            fa->next = i + run;
            *got = run;
            return (int64_t)i;
        }
    }
    return -1;
}

void fa_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count)
{
    fa_add_free(fa, pfn, count);
    if (pfn < fa->next)
        fa->next = pfn;
}
