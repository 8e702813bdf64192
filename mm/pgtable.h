/*
 * mm/pgtable.h: page-table pages and who uses them.
 *
 * Every user page table (a page of 1024 PTEs) has a struct pgtable. It
 * records the address spaces whose page directory points at it, each with
 * the virtual base the table maps there: that is how the rmap gets from a
 * PTE slot (table, index) back to virtual addresses. With fork=copy each
 * table has exactly one user; fork=share lets many address spaces use one
 * table (mm/share.c), and a shared table is still one rmap entry per
 * mapped page.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "kernel/arch/mmu.h"
#include "kernel/lib/list.h"
#include "mm/page.h"

struct mm;

struct pt_user {
	struct list_head link;		/* on pgtable->user_list */
	struct list_head mm_link;	/* on mm->pt_users: an mm finds its own in O(its tables),
					   not O(the table's users), which a crowd of forked
					   children sharing one table makes large */
	struct pgtable *pt;
	struct mm *mm;
	uint32_t vbase;			/* virtual address of entry 0 in mm */
};

struct pgtable {
	struct page *page;		/* the table itself; page->private points back */
	int users;			/* directories pointing here: pt_add/del_user */
	int nr_present;			/* present PTEs */
	int nr_swap;			/* swap entries (mm/swap.h); unmapping frees the
				   table when both are 0 (reclaim leaves it to the
				   next unmap or exit) */
	unsigned flags;			/* PT_* */
	struct list_head user_list;	/* struct pt_user, one per user */
};

#define PT_ALL_RO	0x1	/* every copy-on-write candidate is already read-only */

/* A zeroed page table with no users; NULL if out of memory. */
struct pgtable *pt_alloc(void);
/* Free a table with no users and no present entries. */
void pt_free(struct pgtable *pt);
/* Record that mm maps pt at vbase; -ENOMEM if out of memory. */
int pt_add_user(struct pgtable *pt, struct mm *mm, uint32_t vbase);
/* Forget mm as a user of pt. */
void pt_del_user(struct pgtable *pt, struct mm *mm);
/* The user record of mm in pt, or NULL. */
struct pt_user *pt_find_user(struct pgtable *pt, struct mm *mm);

static inline pte_t *pt_entries(const struct pgtable *pt)
{
	return page_address(pt->page);
}

/* The pgtable a present PDE points at. */
static inline struct pgtable *pt_of_pde(pde_t e)
{
	return (struct pgtable *)pfn_to_page(pde_addr(e) >> PGSHIFT)->private;
}

/* Page tables and user records in use, and their bytes (vmstat, rmap cost). */
uint32_t pt_count(void);
uint32_t pt_meta_bytes(void);

/* Make the caches of page-table records and their user records. */
void pgtable_init(void);
#endif
