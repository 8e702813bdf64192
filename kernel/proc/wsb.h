/*
 * kernel/proc/wsb.h: working-set bitmaps (part H, docs/working-set.md).
 *
 * An executable may carry a note (owner "Pagoda", type NT_PAGODA_WSB, found
 * through a PT_NOTE program header; tools/wsbitmap adds it) with a bitmap
 * of its file's pages: the pages the program touched in its last runs.
 * exec reads those pages in ascending file order, in as few disk requests
 * as it can, and maps them before the program starts; when the address
 * space goes, the pages it touched are written back into the note, in
 * place, under the note's policy (replace, or, aging).
 *
 * The note (little-endian), after its 20-byte header and name:
 *
 *   struct wsb_desc                       32 bytes, below
 *   copy 0, copy 1                        each: struct wsb_copy, then
 *                                         history bitmaps of bytes each
 *
 * A copy is valid when its crc (CRC-32 of the copy after the crc field)
 * matches; the valid copy with the higher seq is the current one, and an
 * update rewrites the other, so a write cut short never loses both.
 */
#ifndef KERNEL_PROC_WSB_H
#define KERNEL_PROC_WSB_H

#include <stdint.h>

#define PT_NOTE		4
#define NT_PAGODA_WSB	0x57534231u	/* "1BSW" */
#define WSB_MAGIC	0x4d425357u	/* "WSBM" */
#define WSB_VERSION	1
#define WSB_MAX_HISTORY	8
#define WSB_MAX_NOTE	(64 * 1024)	/* bigger notes are not ours to read */

enum wsb_policy { WSB_REPLACE, WSB_OR, WSB_AGING };
#define WSB_F_PREFETCH	0x1		/* read the pages at exec */
#define WSB_F_RECORD	0x2		/* write what was touched at exit */

struct wsb_desc {
	uint32_t magic;
	uint16_t version;
	uint8_t policy, flags;
	uint32_t npages;		/* bits in a bitmap: pages of the file */
	uint8_t history;		/* bitmaps per copy: the last runs, newest first */
	uint8_t keep;			/* aging: prefetch pages seen in at least keep */
	uint16_t reserved;
	uint32_t orig[4];		/* what wsbitmap strip restores; not read here */
} __attribute__((packed));

struct wsb_copy {
	uint32_t seq, crc;
	uint32_t when;			/* seconds since 1970 of the update */
	uint32_t runs;			/* updates so far */
} __attribute__((packed));

struct mm;
struct file;
struct elf_hdr;
struct elf_phdr;

/* After exec has mapped f's segments into mm: find the note, prefetch and
   map what it marks, and keep what the exit needs on mm. Never fails: a
   note it cannot use is ignored. */
void wsb_exec(struct mm *mm, struct file *f, const struct elf_hdr *eh, const struct elf_phdr *ph);
/* mm is going (exit, or exec replacing it): record the pages it touched. */
void wsb_exit(struct mm *mm);
/* mm is going without having run (a failed exec): forget, record nothing. */
void wsb_drop(struct mm *mm);

struct wsb_stats {
	uint32_t execs;			/* execs of a file with a usable note */
	uint32_t ignored;		/* notes malformed, of another version, torn twice */
	uint32_t prefetched;		/* pages mapped at exec */
	uint32_t updates;		/* notes rewritten at exit */
	uint32_t skipped;		/* exits that did not write: too soon, read-only */
};
extern struct wsb_stats wsb_stats;
#endif
