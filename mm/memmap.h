/*
 * mm/memmap.h: which physical memory the kernel may use.
 *
 * The firmware's map (via Multiboot) lists ranges with a type; it may be
 * unsorted, overlapping, unaligned, or reach past what the kernel can map.
 * memmap_sanitize turns it into `usable`: sorted, disjoint, page-aligned
 * ranges that no entry of another type overlaps, all below DIRECTMAP_MAX.
 * `reserved` then lists what lies inside usable memory but must never be
 * handed out (the kernel image, Multiboot data, modules, mem_map).
 */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lib/param.h"

#define MEM_AVAILABLE	1	/* Multiboot/e820 type of usable RAM */

struct memrange {
	uint64_t base;
	uint64_t end;		/* exclusive */
	uint32_t type;
	const char *what;	/* reserved ranges: why */
};

struct memmap {
	struct memrange usable[NMEMRANGE];
	int nusable;
	struct memrange reserved[NRESERVED];
	int nreserved;
	uint64_t ram_top;	/* end of the highest available entry */
	uint64_t ignored;	/* available bytes beyond DIRECTMAP_MAX */
};

/* Build m->usable from n raw entries; returns the number of oddities warned about. */
int memmap_sanitize(const struct memrange *in, int n, struct memmap *m, bool quiet);
/* Add [base, end) to the reserved list; -1 if the list is full. */
int memmap_reserve(struct memmap *m, uint64_t base, uint64_t end, const char *what);
/* Is any byte of [base, end) reserved, or outside usable memory? */
bool memmap_is_reserved(const struct memmap *m, uint64_t base, uint64_t end);
/* Lowest page-aligned usable, unreserved address with size bytes free; 0 if none. */
uint64_t memmap_find_free(const struct memmap *m, uint64_t size);
/* Usable minus reserved, page-aligned, into out; returns the count. */
int memmap_free_ranges(const struct memmap *m, struct memrange *out, int max);
/* Total bytes in m->usable. */
uint64_t memmap_usable_bytes(const struct memmap *m);

/* The machine's map, filled by boot/multiboot.c and mm/page_alloc.c. */
extern struct memmap boot_memmap;
#endif
