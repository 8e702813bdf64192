/*
 * mm/directmap.h: the kernel's window on physical memory.
 *
 * Physical address p is at virtual KERNBASE + p for p < directmap_end() - KERNBASE,
 * mapped with 4 MiB pages in the boot page directory. The mapping only grows.
 */
#ifndef MM_DIRECTMAP_H
#define MM_DIRECTMAP_H

#include <stdint.h>

/* Map physical memory up to end (rounded up to 4 MiB); -1 if end > DIRECTMAP_MAX. */
int directmap_ensure(uint64_t end);
/* First virtual address past the direct map. */
uint32_t directmap_end(void);
/* Remove the low identity mapping entry.S needed to turn paging on. */
void directmap_drop_identity(void);
#endif
