/* SPDX-License-Identifier: GPL-2.0-only */
/* The page size (part of the arch interface the core may use). */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ul << PAGE_SHIFT)

#endif
