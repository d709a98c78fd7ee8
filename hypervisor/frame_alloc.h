/* SPDX-License-Identifier: GPL-2.0-only */
/* Physical frame allocator: one bit per frame, first fit. */
#ifndef HV_FRAME_ALLOC_H
#define HV_FRAME_ALLOC_H

#include <kmvlib.h>

struct frame_allocator {
    uint64_t *bitmap;   /* bit set = frame in use (or not RAM) */
    uint64_t nframes;   /* frames the bitmap covers */
    uint64_t nfree;
    uint64_t next;      /* where fa_alloc_run looks first (next fit) */
};

/* All frames start out in use; RAM ranges are then added. */
void fa_init(struct frame_allocator *fa, uint64_t *bitmap, uint64_t nframes);
void fa_add_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count);
void fa_reserve(struct frame_allocator *fa, uint64_t pfn, uint64_t count);
/* count contiguous frames whose first pfn is a multiple of align (a power
 * of two); returns the first pfn, or -1 when no such run is free. */
int64_t fa_alloc(struct frame_allocator *fa, uint64_t count, uint64_t align);
/* Up to max contiguous frames, wherever the next free run is, looking
 * first after the last allocation (next fit: a domain's memory is taken
 * in one sweep of the bitmap, and continues where fa_alloc left off when
 * the host has room there); the first pfn, with the run's length in *got,
 * or -1 when nothing is free. */
int64_t fa_alloc_run(struct frame_allocator *fa, uint64_t max, uint64_t *got);
void fa_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count);
bool fa_is_free(const struct frame_allocator *fa, uint64_t pfn);

#endif
